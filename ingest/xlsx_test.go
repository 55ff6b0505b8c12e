package ingest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

func saveWorkbook(t *testing.T, f *excelize.File, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWorkbookTitleMergedHeaderFormulasAnd1904(t *testing.T) {
	w := loadOrg(t)
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "巡视")
	date1904 := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
		t.Fatal(err)
	}
	// Row 1: a title merged across; rows 2-3: a two-row header, 巡视编号 and 班组 merged down,
	// 巡视情况 merged across 巡视日期 / 巡视类型 / 巡视里程.
	f.SetCellValue("巡视", "A1", "2024年线路巡视记录")
	f.MergeCell("巡视", "A1", "E1")
	f.SetCellValue("巡视", "A2", "巡视编号")
	f.MergeCell("巡视", "A2", "A3")
	f.SetCellValue("巡视", "B2", "班组")
	f.MergeCell("巡视", "B2", "B3")
	f.SetCellValue("巡视", "C2", "巡视情况")
	f.MergeCell("巡视", "C2", "E2")
	f.SetSheetRow("巡视", "C3", &[]any{"巡视日期", "巡视类型", "巡视里程"})
	// 1904 system: serial 43890 is 2024-03-01 (it would be 2020-02-29 in the 1900 system).
	f.SetSheetRow("巡视", "A4", &[]any{"P1", "T01", 43890, "正常巡视", 10})
	f.SetSheetRow("巡视", "A5", &[]any{"P2", "T02", "2024-03-05", "夜间巡视", 2})
	f.SetCellFormula("巡视", "E5", "1+2")
	f.SetCellValue("巡视", "E5", 3) // cached value of the formula
	f.SetCellFormula("巡视", "E5", "1+2")
	// A hidden sheet is not read.
	f.NewSheet("旧数据")
	f.SetSheetRow("旧数据", "A1", &[]any{"巡视编号", "班组", "巡视日期", "巡视类型", "巡视里程"})
	f.SetSheetRow("旧数据", "A2", &[]any{"P9", "T01", "2020-01-01", "正常巡视", 1})
	f.SetSheetVisible("旧数据", false)
	p := saveWorkbook(t, f, "巡视.xlsx")
	sum := ingestOK(t, w, ingest.Options{}, p)
	if err := sum.Err(); err != nil || len(sum.Files) != 1 {
		t.Fatalf("%v %+v", err, sum.Files)
	}
	got := query(t, w.DB(), "SELECT patrol_id, team_id, strftime(patrolled_on, '%Y-%m-%d'), kind, km, _source_row FROM patrols ORDER BY 1")
	want := "P1 T01 2024-03-01 routine 10 4|P2 T02 2024-03-05 night 3 5"
	var rows []string
	for _, r := range got {
		rows = append(rows, strings.Join(r, " "))
	}
	if strings.Join(rows, "|") != want {
		t.Errorf("got %q\nwant %q", strings.Join(rows, "|"), want)
	}
}

func TestIDNumbersStoredAsNumbersAreRefused(t *testing.T) {
	w := loadOrg(t)
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"工号", "姓名", "身份证号", "手机号", "是否党员"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"E001", "张三", "11010519491231002X", "138 0013 8000", "是"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"E002", "李四", 110105194912310021.0, "13800138001", "否"}) // rounded by Excel
	f.SetSheetRow("Sheet1", "A4", &[]any{"E003", "王五", "1101051949123100", "13800138002", "群众"})  // wrong check digit
	p := saveWorkbook(t, f, "人员花名册.xlsx")
	sum := ingestOK(t, w, ingest.Options{}, p)
	r := sum.Files[0]
	if r.Dataset != "people" || r.Loaded != 1 || r.Rejected != 2 {
		t.Fatalf("%+v %v", r, rejects(t, w.DB(), r.BatchID))
	}
	codes := rejects(t, w.DB(), r.BatchID)
	if len(codes) != 2 || codes[0].code != "id_as_number" || codes[1].code != "bad_id_number" {
		t.Fatalf("%v", codes)
	}
	// No raw personal value is anywhere in the warehouse, rejects included.
	dump := one(t, w.DB(), "SELECT string_agg(x, ' ') FROM (SELECT CAST(p AS VARCHAR) AS x FROM people p UNION ALL SELECT CAST(r AS VARCHAR) FROM _rejects r)")
	for _, raw := range []string{"张三", "李四", "E001", "1101051949", "13800138"} {
		if strings.Contains(dump, raw) {
			t.Errorf("raw personal value %q stored: %s", raw, dump)
		}
	}
	if got := one(t, w.DB(), "SELECT phone FROM people"); got != ingest.Pseudonym(testKey, "phone", "13800138000") {
		t.Errorf("phone pseudonym %s", got)
	}
}

func TestCorrectedFileUpdatesRowsByKey(t *testing.T) {
	w := loadOrg(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "班组.csv")
	os.WriteFile(p, []byte("班组编码,班组名称,单位,班组类型,班组人数\nT01,运行一班,U01,运行,23\nT02,检修一班,U01,检修,18\nT04,带电作业班,U01,线路,9\n"), 0o644)
	r := ingestOK(t, w, ingest.Options{}, p).Files[0]
	if r.Status != ingest.StatusLoaded || r.Updated != 1 || r.Unchanged != 1 || r.Loaded != 1 {
		t.Fatalf("%+v", r)
	}
	if got := one(t, w.DB(), "SELECT headcount FROM teams WHERE team_id = 'T01'"); got != "23" {
		t.Errorf("headcount %s", got)
	}
	if got := one(t, w.DB(), "SELECT count(*) FROM teams"); got != "4" {
		t.Errorf("teams %s", got)
	}
}

func TestJSONArrayAndParquet(t *testing.T) {
	w := loadOrg(t)
	dir := t.TempDir()
	arr := filepath.Join(dir, "缺陷记录.json")
	os.WriteFile(arr, []byte(`[{"缺陷编号":"D1","班组":"T01","缺陷等级":"严重","发现日期":"2024/3/5","消缺日期":"2024-03-07"},
 {"缺陷编号":"D2","班组":"T02","缺陷等级":"critical","发现日期":45356,"消缺日期":"2024-03-01"}]`), 0o644)
	r := ingestOK(t, w, ingest.Options{}, arr).Files[0]
	if r.Format != ingest.FormatJSON || r.Loaded != 1 || r.Rejected != 1 {
		t.Fatalf("%+v", r)
	}
	if codes := rejects(t, w.DB(), r.BatchID); len(codes) != 1 || codes[0] != (rejectRow{"2", "NULL", "check:eliminated_after_found"}) {
		t.Errorf("%v", codes)
	}
	pq := filepath.Join(dir, "events.parquet")
	if _, err := w.DB().Exec("COPY (SELECT 'S1' AS event_id, 'T01' AS team_id, DATE '2024-05-01' AS occurred_on, '违章' AS kind, true AS responsible, 30 AS outage_min) TO '" + pq + "' (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	r = ingestOK(t, w, ingest.Options{}, pq).Files[0]
	if r.Dataset != "safety_events" || r.Loaded != 1 {
		t.Fatalf("%+v", r)
	}
	if got := one(t, w.DB(), "SELECT kind || strftime(occurred_on, '%Y-%m-%d') || responsible || outage_min FROM safety_events"); got != "violation2024-05-01true30" {
		t.Errorf("%s", got)
	}
}

// TestLibreOfficeWorkbooksLoadLikeTheirCSV loads workbooks that LibreOffice Calc saved from the
// CSV files beside them (dates became date cells, numbers number cells) and compares tables.
func TestLibreOfficeWorkbooksLoadLikeTheirCSV(t *testing.T) {
	digests := map[string]map[string]string{}
	for _, ext := range []string{".csv", ".xlsx"} {
		w := warehousetest.New(t)
		var paths []string
		for _, n := range []string{"单位名册", "班组名册", "巡视记录"} {
			paths = append(paths, filepath.Join("testdata", "libreoffice", n+ext))
		}
		sum := ingestOK(t, w, ingest.Options{}, paths...)
		if err := sum.Err(); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		for _, f := range sum.Files {
			if f.Rejected != 0 || f.Loaded == 0 {
				t.Errorf("%s: %+v", ext, f)
			}
		}
		digests[ext] = tableDigest(t, w)
	}
	for ds, v := range digests[".csv"] {
		if digests[".xlsx"][ds] != v {
			t.Errorf("%s differs: xlsx %q, csv %q", ds, digests[".xlsx"][ds], v)
		}
	}
}

// A workbook of more rows than one Arrow batch of the stream the typing reads: rows refused by
// the typing, by a reference and by a duplicate key keep their text and their sheet row, a row
// missing from the XML counts as blank, cells needing folding are cleaned on any row, and a
// totals row is skipped.
func TestLargeWorkbookRowsAndRejects(t *testing.T) {
	w := loadOrg(t)
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	const last = 20001 // sheet row of the last patrol
	row := func(n int) []any {
		return []any{fmt.Sprintf("P%05d", n), "T0" + strconv.Itoa(1+n%2), "龙潭线", "220kV", fmt.Sprintf("2024-%02d-%02d", 1+n%12, 1+n%28), "正常巡视", "12.5", "是", "0"}
	}
	sw.SetRow("A1", []any{"巡视编号", "班组", "线路名称", "电压等级", "巡视日期", "巡视类型", "巡视里程", "计划内", "发现缺陷数"})
	for n := 2; n <= last+1; n++ {
		r := row(n)
		switch n {
		case 100:
			continue // not in the XML: a blank row
		case 5:
			r[1] = "T09" // unknown team
		case 16390:
			r[5] = "\u3000夜间巡视" // an ideographic space before the kind
		case 17000:
			r[6] = "８.５" // full-width digits
		case 17500:
			r[4] = "2024-02-30"
		case 18000:
			r[0], r[1] = "P00002", "T01" // the key of row 2 with other values
		case 19000:
			r = row(3) // an exact copy of row 3
		case last + 1:
			r = []any{"合计", nil, nil, nil, nil, nil, "250000", nil, nil}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	p := saveWorkbook(t, f, "巡视记录.xlsx")
	r := ingestOK(t, w, ingest.Options{}, p).Files[0]
	if r.Status != ingest.StatusLoaded || r.RowsRead != last || r.Loaded != last-1-1-3-1 || r.Rejected != 3 || r.Duplicates != 1 || r.Blank != 1 || r.Skipped != 1 {
		t.Fatalf("%+v", r)
	}
	got := query(t, w.DB(), "SELECT source_row, column_name, raw_value, reason_code FROM _rejects WHERE batch_id = ? ORDER BY source_row", r.BatchID)
	want := [][]string{{"5", "班组", "T09", "unknown_reference"}, {"17500", "巡视日期", "2024-02-30", "bad_date"}, {"18000", "巡视编号", "P00002", "duplicate_key"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rejects %v, want %v", got, want)
	}
	if got := one(t, w.DB(), "SELECT reason_zh FROM _rejects WHERE batch_id = ? AND source_row = 18000", r.BatchID); !strings.Contains(got, "与第 2 行") {
		t.Errorf("the duplicate's reason does not name row 2: %s", got)
	}
	for _, c := range []struct{ q, want string }{
		{"SELECT kind FROM patrols WHERE _source_row = 16390", "night"},
		{"SELECT km FROM patrols WHERE _source_row = 17000", "8.5"},
		{"SELECT patrol_id FROM patrols WHERE _source_row = " + strconv.Itoa(last), fmt.Sprintf("P%05d", last)},
		{"SELECT count(*) FROM patrols WHERE _source_row <> CAST(substr(patrol_id, 2) AS INTEGER)", "0"},
	} {
		if got := one(t, w.DB(), c.q); got != c.want {
			t.Errorf("%s = %s, want %s", c.q, got, c.want)
		}
	}
}

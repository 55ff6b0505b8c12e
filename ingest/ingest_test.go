package ingest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// orgFiles is a small organisation: two units, two branches, groups and teams whose names
// repeat across units (运行党小组, 运行一班), as in real companies.
var orgFiles = map[string]string{
	"单位.csv":    "单位编码,单位名称,单位类型\nU01,线路工区,工区\nU02,城东供电所,供电所\n",
	"党支部.csv":   "支部编码,支部名称,单位\nB01,线路工区党支部,U01\nB02,城东供电所党支部,城东供电所\n",
	"党小组名册.csv": "党小组编码,党小组名称,所属支部,成立日期,组长工号\nG01,运行党小组,B01,2020-01-01,E001\nG02,检修党小组,B01,2020/1/1,E002\nG03,运行党小组,B02,2021年3月5日,E003\n",
	"班组.csv":    "班组编码,班组名称,单位,班组类型,班组人数\nT01,运行一班,U01,运行,22\nT02,检修一班,U01,检修,18\nT03,运行一班,U02,运行,12\n",
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func gb(t *testing.T, s string) string {
	t.Helper()
	out, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func ingestOK(t *testing.T, w *warehouse.Warehouse, opts ingest.Options, paths ...string) *ingest.Summary {
	t.Helper()
	if opts.Key == nil {
		opts.Key = testKey
	}
	sum, err := ingest.Ingest(context.Background(), w, paths, opts)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return sum
}

func query(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			if v.Valid {
				row[i] = v.String
			} else {
				row[i] = "NULL"
			}
		}
		out = append(out, row)
	}
	return out
}

func one(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	r := query(t, db, q, args...)
	if len(r) != 1 || len(r[0]) != 1 {
		t.Fatalf("%s: %v", q, r)
	}
	return r[0][0]
}

func TestOrganisationFolderLoadsInDependencyOrder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, orgFiles)
	w := warehousetest.New(t)
	sum := ingestOK(t, w, ingest.Options{}, dir)
	if err := sum.Err(); err != nil {
		t.Fatalf("%v\n%+v", err, sum.Files)
	}
	var order []string
	for _, f := range sum.Files {
		order = append(order, f.Dataset)
		if f.Status != ingest.StatusLoaded || f.Rejected != 0 {
			t.Errorf("%+v", f)
		}
	}
	if strings.Join(order, ",") != "units,branches,party_groups,teams" {
		t.Errorf("order %v", order)
	}
	db := w.DB()
	if got := one(t, db, "SELECT unit_id FROM branches WHERE branch_id = 'B02'"); got != "U02" {
		t.Errorf("unit by name: %s", got)
	}
	if got := one(t, db, "SELECT string_agg(strftime(formed_on, '%Y-%m-%d'), ',' ORDER BY group_id) FROM party_groups"); got != "2020-01-01,2020-01-01,2021-03-05" {
		t.Errorf("dates: %s", got)
	}
	if got := one(t, db, "SELECT string_agg(kind, ',' ORDER BY team_id) FROM teams"); got != "operation,maintenance,operation" {
		t.Errorf("enums: %s", got)
	}
	leader := one(t, db, "SELECT leader_id FROM party_groups WHERE group_id = 'G01'")
	if leader != ingest.Pseudonym(testKey, "employee", "E001") || strings.Contains(leader, "E001") {
		t.Errorf("leader pseudonym %q", leader)
	}
	// A second ingest of the same folder changes nothing.
	sum = ingestOK(t, w, ingest.Options{}, dir)
	for _, f := range sum.Files {
		if f.Status != ingest.StatusSkipped {
			t.Errorf("second ingest: %+v", f)
		}
	}
	// --force reads again: everything unchanged.
	sum = ingestOK(t, w, ingest.Options{Force: true}, dir)
	for _, f := range sum.Files {
		if f.Status != ingest.StatusLoaded || f.Unchanged != f.RowsRead || f.Loaded != 0 {
			t.Errorf("forced ingest: %+v", f)
		}
	}
}

func loadOrg(t *testing.T) *warehouse.Warehouse {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, orgFiles)
	w := warehousetest.New(t)
	if err := ingestOK(t, w, ingest.Options{}, dir).Err(); err != nil {
		t.Fatal(err)
	}
	return w
}

type rejectRow struct{ row, column, code string }

func rejects(t *testing.T, db *sql.DB, batch int64) []rejectRow {
	var out []rejectRow
	for _, r := range query(t, db, "SELECT source_row, column_name, reason_code FROM _rejects WHERE batch_id = ? ORDER BY source_row", batch) {
		out = append(out, rejectRow{r[0], r[1], r[2]})
	}
	return out
}

func TestMessyPatrolsCSV(t *testing.T) {
	w := loadOrg(t)
	body := "2024年巡视记录\n" + // title row
		"巡视编号,班组,线路名称,电压等级,巡视日期,巡视类型,巡视里程(km),计划内,发现缺陷数\n" +
		"P1,T01,龙潭线,220千伏,2024-03-05,正常巡视,12.5,是,0\n" + // line 3
		"P2,运行一班,龙潭线,220kV,2024/3/5,特殊巡视,\"1,000\",否,1\n" + // 4: name, ambiguous (U01 and U02)
		"\n" + // 5: blank
		"P3,检修一班,\"东湖\n二线\",110kV,20240305,routine,８.５,Y,２\n" + // 6-7: name unique, embedded newline, full-width
		"P4,T02,东湖线,110kV,45356,夜间巡视,-3,是,0\n" + // 8: negative km
		"P5,T09,东湖线,110kV,2024年3月5日,夜间巡视,3,是,0\n" + // 9: unknown team
		"P6,T02,东湖线,110kV,2024-02-30,夜间巡视,3,是,0\n" + // 10: bad date
		"P7,T02,东湖线,110kV,2024-03-01,,3,是,0\n" + // 11: missing required kind
		"P1,T01,龙潭线,220千伏,2024-03-05,正常巡视,12.5,是,0\n" + // 12: exact duplicate of line 3
		"P8,T02, 东湖线 ,10kV,2024-03-05 08:30,灾后巡视,1.2万,是,0\n" + // 13: 万 → out of range
		"P9,T02,东湖线,10kV,2024-03-05,灾后巡视,50%,是,0\n" + // 14: percent
		"P1,T02,龙潭线,220千伏,2024-03-05,正常巡视,12.5,是,0\n" + // 15: same key, different values
		",,,,,,,,\n" // 16: empty row
	dir := t.TempDir()
	path := filepath.Join(dir, "巡视记录.csv")
	os.WriteFile(path, []byte(body), 0o644)
	sum := ingestOK(t, w, ingest.Options{}, path)
	f := sum.Files[0]
	if f.Dataset != "patrols" || f.Status != ingest.StatusLoaded {
		t.Fatalf("%+v", f)
	}
	// Rows as a spreadsheet shows them (the record with a line break in a cell is one row, 6),
	// columns under the file's own headers.
	want := []rejectRow{{"4", "班组", "ambiguous_reference"}, {"7", "巡视里程(km)", "out_of_range"}, {"8", "班组", "unknown_reference"},
		{"9", "巡视日期", "bad_date"}, {"10", "巡视类型", "missing_required"}, {"12", "巡视里程(km)", "out_of_range"}, {"14", "巡视编号", "duplicate_key"}}
	got := rejects(t, w.DB(), f.BatchID)
	if len(got) != len(want) {
		t.Fatalf("rejects %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("reject %d: %v, want %v", i, got[i], want[i])
		}
	}
	if f.RowsRead != 13 || f.Loaded != 3 || f.Rejected != 7 || f.Duplicates != 1 || f.Blank != 2 {
		t.Errorf("counts %+v", f)
	}
	rows := query(t, w.DB(), "SELECT patrol_id, team_id, line_name, voltage, strftime(patrolled_on, '%Y-%m-%d'), kind, km, planned, defects_found, _source_row FROM patrols ORDER BY patrol_id")
	wantRows := [][]string{
		{"P1", "T01", "龙潭线", "220kV", "2024-03-05", "routine", "12.5", "true", "0", "3"},
		{"P3", "T02", "东湖\n二线", "110kV", "2024-03-05", "routine", "8.5", "true", "2", "6"},
		{"P9", "T02", "东湖线", "10kV", "2024-03-05", "after_storm", "0.5", "true", "0", "13"},
	}
	if len(rows) != len(wantRows) {
		t.Fatalf("rows %v", rows)
	}
	for i := range wantRows {
		if strings.Join(rows[i], "|") != strings.Join(wantRows[i], "|") {
			t.Errorf("row %d: %q, want %q", i, rows[i], wantRows[i])
		}
	}
	reason := one(t, w.DB(), "SELECT reason_zh || ' / ' || reason_en FROM _rejects WHERE batch_id = ? AND source_row = 4", f.BatchID)
	if !strings.Contains(reason, "T01") || !strings.Contains(reason, "T03") || !strings.Contains(reason, "运行一班") {
		t.Errorf("ambiguous reason lacks candidates: %s", reason)
	}
	data := one(t, w.DB(), "SELECT row_data->>'巡视日期' FROM _rejects WHERE batch_id = ? AND source_row = 9", f.BatchID)
	if data != "2024-02-30" {
		t.Errorf("row_data: %s", data)
	}
}

func TestGB18030AndUTF8GiveTheSameTable(t *testing.T) {
	body := "单位编码,单位名称,单位类型,供电公司\nU01,线路工区,工区,南京供电公司\nU02,𠮷城供电所,供电所,南京供电公司\n"
	var tables []string
	for _, enc := range []string{"utf8", "bom", "gb18030"} {
		w := warehousetest.New(t)
		dir := t.TempDir()
		data := body
		switch enc {
		case "bom":
			data = "\ufeff" + body
		case "gb18030":
			data = gb(t, body)
		}
		p := filepath.Join(dir, "units.csv")
		os.WriteFile(p, []byte(data), 0o644)
		sum := ingestOK(t, w, ingest.Options{}, p)
		if err := sum.Err(); err != nil {
			t.Fatalf("%s: %v", enc, err)
		}
		tables = append(tables, one(t, w.DB(), "SELECT string_agg(unit_id || name || kind || company, ';' ORDER BY unit_id) FROM units"))
	}
	if tables[0] != tables[1] || tables[0] != tables[2] || !strings.Contains(tables[0], "𠮷城供电所") {
		t.Errorf("tables differ: %q", tables)
	}
}

func TestInvalidEncodingIsRefusedWithItsLine(t *testing.T) {
	w := warehousetest.New(t)
	p := filepath.Join(t.TempDir(), "units.csv")
	body := "单位编码,单位名称\nU01,线路工区\nU02,\xff\xff\n"
	os.WriteFile(p, []byte(body), 0o644)
	sum := ingestOK(t, w, ingest.Options{}, p)
	f := sum.Files[0]
	if f.Status != ingest.StatusFailed || !errors.Is(f.Err, ingest.ErrEncoding) || !strings.Contains(f.Message, "第 3 行") || !strings.Contains(f.Message, "UTF-8") {
		t.Fatalf("%+v", f)
	}
	if n := one(t, w.DB(), "SELECT count(*) FROM units"); n != "0" {
		t.Errorf("loaded %s rows of mojibake", n)
	}
}

// TestSourceRowOfPersonalFiles: a file with personal columns is pseudonymised; every loaded
// row must still carry the line it came from (here each line's birth year and date tell its
// number), however DuckDB plans the statements. The file is large enough (many row groups, read
// by both threads) that pseudonyms joined in while typing wrote some thousands of rows in
// another order.
func TestSourceRowOfPersonalFiles(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("人员,姓名,出生年份,入党日期\n")
	const n = 300000
	day := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		// Line i+2 of the file: born in 1940 + i%40, joined the party i/40 days after 1960-01-01.
		fmt.Fprintf(&b, "E%06d,姓名%d,%d,%s\n", i, i, 1940+i%40, day.AddDate(0, 0, i/40).Format("2006-01-02"))
	}
	p := filepath.Join(dir, "人员花名册.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	w := warehousetest.New(t)
	sum := ingestOK(t, w, ingest.Options{}, p)
	if err := sum.Err(); err != nil || sum.Files[0].Loaded != n {
		t.Fatalf("ingest: %v, %+v", err, sum.Files)
	}
	got := query(t, w.DB(), "SELECT count(*), count(*) FILTER (_source_row = birth_year - 1940 + 40 * datediff('day', DATE '1960-01-01', joined_on) + 2) FROM people")
	if got[0][0] != fmt.Sprint(n) || got[0][1] != got[0][0] {
		t.Errorf("rows whose _source_row is their line: %s of %s", got[0][1], got[0][0])
	}
}

package tabular_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/queries/table"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

func sample() *table.Table {
	return &table.Table{
		Columns: []table.Column{{Name: "党小组", Type: table.Text}, {Name: "会议数", Type: table.Integer}, {Name: "出席率", Type: table.Float}, {Name: "日期", Type: table.Date}},
		Rows: [][]any{
			{"运行党小组", int64(12), 0.9375, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)},
			{"=HYPERLINK(\"http://x\")", int64(-3), nil, nil},
		},
	}
}

func TestTextAlignsWideCharacters(t *testing.T) {
	var buf bytes.Buffer
	if err := tabular.Write(&buf, sample(), tabular.Text, tabular.Options{Null: "NULL"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines:\n%s", len(lines), buf.String())
	}
	// Every line must have blanks where the rule line has its gaps between columns.
	cells := func(line string) []rune {
		var out []rune
		for _, r := range line {
			out = append(out, r)
			if tabular.DisplayWidth(string(r)) == 2 {
				out = append(out, 0)
			}
		}
		return out
	}
	rule := cells(lines[1])
	for i, line := range lines {
		c := cells(line)
		for pos, r := range rule {
			if r == ' ' && pos < len(c) && c[pos] != ' ' {
				t.Errorf("line %d is not aligned at display column %d:\n%s", i, pos, buf.String())
				break
			}
		}
	}
	if !strings.Contains(lines[3], "NULL") || !strings.Contains(lines[2], "2024-03-05") || !strings.Contains(lines[2], "0.9375") {
		t.Errorf("values not formatted:\n%s", buf.String())
	}
}

func TestCSVNeutralisesFormulasButNotNumbers(t *testing.T) {
	var buf bytes.Buffer
	if err := tabular.Write(&buf, sample(), tabular.CSV, tabular.Options{BOM: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\uFEFF") {
		t.Error("no BOM")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[2][0] != `'=HYPERLINK("http://x")` {
		t.Errorf("formula cell = %q, want it prefixed with '", recs[2][0])
	}
	if recs[2][1] != "-3" {
		t.Errorf("negative number = %q, want -3 untouched", recs[2][1])
	}
}

func TestJSONKeepsColumnOrderAndTypes(t *testing.T) {
	var buf bytes.Buffer
	if err := tabular.Write(&buf, sample(), tabular.JSON, tabular.Options{}); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rows); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if rows[0]["会议数"] != float64(12) || rows[0]["日期"] != "2024-03-05" || rows[1]["出席率"] != nil {
		t.Errorf("rows %v", rows)
	}
	if i, j := strings.Index(buf.String(), "党小组"), strings.Index(buf.String(), "会议数"); i > j {
		t.Error("column order lost")
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := tabular.Write(&buf, sample(), tabular.XLSX, tabular.Options{SheetName: "结果"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("结果")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "党小组" || rows[1][0] != "运行党小组" || rows[2][0] != `'=HYPERLINK("http://x")` {
		t.Errorf("rows %q", rows)
	}
	if formula, _ := f.GetCellFormula("结果", "A3"); formula != "" {
		t.Errorf("a formula got into the export: %q", formula)
	}
}

func TestMarkdownEscapesPipes(t *testing.T) {
	tab := &table.Table{Columns: []table.Column{{Name: "a", Type: table.Text}}, Rows: [][]any{{"x|y"}}}
	var buf bytes.Buffer
	tabular.Write(&buf, tab, tabular.Markdown, tabular.Options{})
	if !strings.Contains(buf.String(), `x\|y`) {
		t.Errorf("%s", buf.String())
	}
}

// CSV keeps every float64 exactly: reading a cell back with ParseFloat gives the same bits
// (statistics such as p = 1.4667601868057879e-24 or an estimate of -0.8145599197234567 are
// compared with other tools to 1e-10). The text table still shows six significant digits.
func TestCSVRoundTripsDoubles(t *testing.T) {
	vals := []float64{-0.8145599197234567, 1.4667601868057879e-24, 0.1 + 0.2, 1.0 / 3, 123456789.12345679, 5e-324, -1e300, 2.5}
	tb := &table.Table{Columns: []table.Column{{Name: "v", Type: table.Float}}}
	for _, v := range vals {
		tb.Rows = append(tb.Rows, []any{v})
	}
	var buf bytes.Buffer
	if err := tabular.Write(&buf, tb, tabular.CSV, tabular.Options{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vals {
		got, err := strconv.ParseFloat(recs[i+1][0], 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(v) {
			t.Errorf("row %d: CSV %q reads back as %v, want %v exactly", i, recs[i+1][0], got, v)
		}
	}
	if c := tabular.Cell(vals[0], ""); c != "-0.81456" {
		t.Errorf("text cell = %q, want six significant digits -0.81456", c)
	}
}

// A sheet as a reader opens it: shares as percentages, integers with separators, decimals by
// magnitude, dates as dates, booleans as 是/否, the header frozen with a filter, columns wide
// enough for their contents.
func TestXLSXLooksFinished(t *testing.T) {
	tb := &table.Table{
		Columns: []table.Column{
			{Name: "党小组", Type: table.Text},
			{Name: "会议次数", Type: table.Integer},
			{Name: "按月开会率", Type: table.Float, Unit: table.Share},
			{Name: "每次会议批评意见数", Type: table.Float},
			{Name: "巡视公里数", Type: table.Float},
			{Name: "日期", Type: table.Date},
			{Name: "已建立", Type: table.Bool},
		},
		Rows: [][]any{
			{"线路1班党小组（输电运检工区）", int64(12345), 0.8333333333333, 0.5123456789, 1234.56789, time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), true},
			{"线路2班党小组", int64(3), 1.0, 0.25, 999.0, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), false},
		},
	}
	var buf bytes.Buffer
	if err := tabular.Write(&buf, tb, tabular.XLSX, tabular.Options{SheetName: "结果"}); err != nil {
		t.Fatal(err)
	}
	data := bytes.Clone(buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("结果")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"线路1班党小组（输电运检工区）", "12,345", "83.3%", "0.512", "1,234.6", "2024-07-01", "是"}
	for i, w := range want {
		if rows[1][i] != w {
			t.Errorf("column %s shows %q, want %q", tb.Columns[i].Name, rows[1][i], w)
		}
	}
	if rows[2][6] != "否" || rows[2][2] != "100.0%" {
		t.Errorf("second row %v", rows[2])
	}
	panes, err := f.GetPanes("结果")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	// The filter is Excel's hidden defined name over the table.
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" && strings.Contains(n.RefersTo, "$A$1:$G$3") {
			found = true
		}
	}
	if !found {
		t.Errorf("no filter over A1:G3: %+v", names)
	}
	// and the sheet's own autoFilter element, without which Excel shows no filter buttons.
	if sheet := zipEntry(t, data, "xl/worksheets/sheet1.xml"); !strings.Contains(sheet, `<autoFilter ref="$A$1:$G$3"`) {
		t.Errorf("the sheet has no autoFilter over A1:G3")
	}
	w, err := f.GetColWidth("结果", "A")
	if err != nil || w < 30 {
		t.Errorf("column A is %.1f wide for a 30-column name", w)
	}
	if w, _ := f.GetColWidth("结果", "F"); w < 10 {
		t.Errorf("date column %.1f wide: dates would show as ###", w)
	}
}

// zipEntry is the text of one member of a zip archive (an XLSX part).
func zipEntry(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no %s in the archive", name)
	return ""
}

// A share that rounds to zero at one decimal reads 0.0% in the text and Markdown tables, not
// -0.0% (a decrease the figure cannot show); a negative share that shows a digit keeps its sign.
func TestShareCellsHaveNoNegativeZero(t *testing.T) {
	tb := &table.Table{
		Columns: []table.Column{{Name: "变化", Type: table.Float, Unit: table.Share}},
		Rows:    [][]any{{-0.0004}, {math.Copysign(0, -1)}, {-0.012}},
	}
	for _, f := range []tabular.Format{tabular.Text, tabular.Markdown} {
		var buf bytes.Buffer
		if err := tabular.Write(&buf, tb, f, tabular.Options{}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(out, "-0.0%") || strings.Count(out, " 0.0%") != 2 || !strings.Contains(out, "-1.2%") {
			t.Errorf("format %v:\n%s\nwant 0.0%% twice and -1.2%%, no -0.0%%", f, out)
		}
	}
}

// An XLSX share cell stores what its "0.0%" format shows: rounded to a tenth of a percent, and
// 0 rather than a negative value that Excel would show as -0.0%. Read back, the stored values
// and the shown ones agree.
func TestXLSXShareCellsStoreWhatTheyShow(t *testing.T) {
	tb := &table.Table{
		Columns: []table.Column{{Name: "变化", Type: table.Float, Unit: table.Share}, {Name: "比值", Type: table.Float}},
		Rows:    [][]any{{-0.00004, -0.00004}, {math.Copysign(0, -1), 0.5}, {-0.01234, 0.5}, {0.94449, 0.5}, {0.0005, 0.5}},
	}
	var buf bytes.Buffer
	if err := tabular.Write(&buf, tb, tabular.XLSX, tabular.Options{SheetName: "s"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, want := range []struct{ raw, shown string }{{"0", "0.0%"}, {"0", "0.0%"}, {"-0.012", "-1.2%"}, {"0.944", "94.4%"}, {"0.001", "0.1%"}} {
		cell := fmt.Sprintf("A%d", i+2)
		raw, _ := f.GetCellValue("s", cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("s", cell)
		if raw != want.raw || shown != want.shown {
			t.Errorf("%s stores %q and shows %q, want %q shown as %q", cell, raw, shown, want.raw, want.shown)
		}
	}
	// Other floats keep their digits.
	if raw, _ := f.GetCellValue("s", "B2", excelize.Options{RawCellValue: true}); raw != "-4e-05" && raw != "-0.00004" {
		t.Errorf("a float outside a share column was rounded: %q", raw)
	}
}

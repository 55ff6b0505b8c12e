package tabular_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
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

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The worked example of docs/report-spec.md renders against a real warehouse like the
// built-in reports: HTML with one container per directive (stable IDs), Markdown and XLSX
// whose sheets hold the queries' numbers.
func TestReportSpecExampleRenders(t *testing.T) {
	db := ingestedTiny(t)
	out := t.TempDir()
	spec := filepath.Join("..", "..", "reports", "testdata", "spec", "example.md")
	r := mingdeng(t, "report", "--db", db, "--spec", spec, "--param", "year=2024", "--out", out)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	page, err := os.ReadFile(filepath.Join(out, "example.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, want := range []string{`id="meetings_by_unit-line"`, `id="attendance-heatmap"`, `id="meeting_kinds-pie"`, `id="patrol_km-bar"`,
		`id="meetings"`, `id="patrols"`, "线路工区党小组季度简报", "各单位每月党小组会次数", "迎峰度夏（7–8 月）", "--param year=2024"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(html, "暂无") {
		t.Errorf("a chart had no data on the tiny data set")
	}
	md, err := os.ReadFile(filepath.Join(out, "example.md"))
	if err != nil || !strings.Contains(string(md), "## 二、巡视") {
		t.Fatalf("markdown: %v", err)
	}
	// The sheet of the pie chart holds what the statement returns.
	q := mingdeng(t, "sql", "--db", db, "--format", "csv", "--param", "year=2024",
		`SELECT l.label_zh AS 会议类型, count(*) AS 次数 FROM meetings AS m LEFT JOIN _labels AS l ON l.dataset = 'meetings' AND l.column_name = 'kind' AND l.code = m.kind WHERE year(m.held_on) = $year GROUP BY 1 ORDER BY 2 DESC, 1`)
	if q.code != 0 {
		t.Fatalf("%+v", q)
	}
	x, err := excelize.OpenFile(filepath.Join(out, "example.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(sheetByID(t, x, "meeting_kinds-pie"))
	if err != nil {
		t.Fatalf("%v (sheets %v)", err, x.GetSheetList())
	}
	var got []string
	for _, row := range rows {
		got = append(got, strings.Join(row, ","))
	}
	if want := strings.TrimSpace(q.stdout); !strings.Contains(strings.Join(got, "\n"), want) {
		t.Errorf("sheet:\n%s\nwant the query's rows:\n%s", strings.Join(got, "\n"), want)
	}
	// English: the same spec, the frame in English.
	if r := mingdeng(t, "report", "--db", db, "--lang", "en", "--spec", spec, "--param", "year=2024", "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if _, err := os.Stat(filepath.Join(out, "example-en.html")); err != nil {
		t.Fatal(err)
	}
}

func TestReportSpecErrorsNameTheLine(t *testing.T) {
	db := initDB(t)
	dir := t.TempDir()
	write := func(text string) string {
		p := filepath.Join(dir, "s.md")
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	for _, tt := range []struct {
		spec   string
		params []string
		want   string
	}{
		{"# T\n\n```sql name=a\nselect 1 as x, 2 as y\n```\n\n::: chart bar data=a x=x y=z\n", nil, `s.md 第 7 行：a：y 列 "z" 不在查询结果中（结果的列：x, y）`},
		{"```sql name=a\nselect 1 as x; select 2\n```\n", nil, "s.md 第 1 行：a：一次只能执行一条语句"},
		{"```sql name=a params=year\nselect $year as x\n```\n", nil, "s.md 第 1 行：sql 块 a 需要参数 year"},
		{"```sql name=a\nselect 1 as x\n```\n", []string{"year=1"}, "--param year 没有被 s.md 中的任何 sql 块使用"},
		{"```sql name=a\nselect 1 as x\n```\n::: chart bar data=b x=x y=x\n", nil, `s.md 第 4 行：没有名为 "b" 的 SQL 块（已定义：a）`},
	} {
		args := []string{"report", "--db", db, "--spec", write(tt.spec), "--out", dir}
		for _, p := range tt.params {
			args = append(args, "--param", p)
		}
		r := mingdeng(t, args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: %+v, want %q", tt.spec, r, tt.want)
		}
	}
}

// sheetByID is the sheet the contents sheet (目录: sheet, title, ID, rows) lists for a table ID.
func sheetByID(t *testing.T, x *excelize.File, id string) string {
	t.Helper()
	rows, err := x.GetRows("目录")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		if len(row) > 2 && row[2] == id {
			return row[0]
		}
	}
	t.Fatalf("no sheet for %s in the contents %v", id, rows)
	return ""
}

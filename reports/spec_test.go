package reports

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

func TestParseSpecExample(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "spec", "example.md"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSpec(src)
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "线路工区党小组季度简报" || len(s.Queries) != 3 || len(s.Sections) != 3 {
		t.Fatalf("title %q, %d queries, %d sections", s.Title, len(s.Queries), len(s.Sections))
	}
	if q := s.Queries[2]; q.Name != "patrol_km" || len(q.Params) != 2 || q.Params[1] != (SpecParam{Name: "min_km", Default: "0", HasDefault: true}) {
		t.Errorf("params %+v", q.Params)
	}
	var ids []string
	for _, sec := range s.Sections {
		for _, it := range sec.Items {
			switch it.Kind {
			case "chart":
				ids = append(ids, it.Chart.ID)
			case "table":
				ids = append(ids, it.ID)
			}
		}
	}
	if got := strings.Join(ids, " "); got != "meetings_by_unit-line attendance-heatmap meeting_kinds-pie patrol_km-bar patrol_km-table" {
		t.Errorf("ids %s", got)
	}
	if s.Sections[1].ID != "meetings" || s.Sections[0].Title != "" {
		t.Errorf("sections %+v", s.Sections[:2])
	}
}

func TestParseSpecErrors(t *testing.T) {
	q := "```sql name=a\nselect 1\n```\n"
	for _, tt := range []struct {
		src  string
		line int
		want string
	}{
		{"# T\n", 1, "no ```sql name=NAME block"},
		{"```sql name=a\nselect 1\n", 1, "code block has no closing ```"},
		{"```sql\nselect 1\n```\n", 1, "a sql block needs name=NAME"},
		{"```sql name=1a\nselect 1\n```\n", 1, `name "1a"`},
		{q + "```sql name=a\nselect 2\n```\n", 4, "name a already used on line 1"},
		{"```sql name=a size=3\nselect 1\n```\n", 1, `unknown sql block attribute "size"`},
		{"```sql name=a\n\n```\n", 1, "sql block a is empty"},
		{q + "::: chart data=a x=x y=y\n", 4, "::: chart needs a type"},
		{q + "::: chart donut data=a x=x y=y\n", 4, `chart type "donut"`},
		{q + "::: chart bar data=a y=y\n", 4, "needs x=COLUMN and y=COLUMN"},
		{q + "::: chart bar x=x y=y\n", 4, "needs data=NAME"},
		{q + "::: chart bar data=b x=x y=y\n", 4, `no sql block named "b" (defined: a)`},
		{q + "::: chart bar data=a x=x y=y colour=red\n", 4, `unknown "colour=red"`},
		{q + "::: chart bar data=a x=x y=y title=\"open\n", 4, "the quote after title= is not closed"},
		{q + "::: chart bar data=a x=x x=y\n", 4, "x given twice"},
		{q + "::: chart bar data=a x=x y=y\n\n::: chart bar data=a x=x y=y\n", 6, "ID a-bar already used on line 4"},
		{q + "::: chart bar data=a x=x y=y id=\"a b\"\n", 4, `ID "a b"`},
		{q + "::: table data=a limit=0\n", 4, "limit=0: expected a positive whole number"},
		{q + "::: graph data=a\n", 4, `unknown directive "graph"`},
		{q + "### small\n", 4, "heading skips a level: ### needs a ## before it"},
		{q + "## A\n#### B\n", 5, "heading skips a level: #### needs a ### before it"},
		{q + "###### deep\n", 4, "at most four heading levels"},
		{q + "## A {.red}\n", 4, `heading attribute ".red"`},
		{q + "## A\n### B {#x}\n### C {#x}\n", 6, "ID x already used on line 5"},
		{"# A\n# B\n" + q, 2, "only one level-1 heading"},
		{q + "##nospace\n", 4, "a heading needs a space"},
		{q + "## A {#x}\n## B {#x}\n", 5, `section ID "x" repeats line 4`},
		{"```sql name=a params=\"y,y\"\nselect 1\n```\n", 1, "parameter y given twice"},
		{"ok\n\xff\n" + q, 2, "not valid UTF-8"},
		{q + "::: chart bar data=a x=x y=y =z\n", 4, "= without a name"},
	} {
		_, err := ParseSpec([]byte(tt.src))
		var se *SpecError
		if !errors.As(err, &se) || se.Line != tt.line || !strings.Contains(se.Message("en"), tt.want) {
			t.Errorf("%q: %v, want line %d: %s", tt.src, err, tt.line, tt.want)
			continue
		}
		if !strings.HasPrefix(se.Message("zh"), "第 ") {
			t.Errorf("%q: Chinese message %q", tt.src, se.Message("zh"))
		}
	}
}

// specTables is what the example's queries return (a few rows, a hostile unit name).
func specTables() map[string]SpecResult {
	mb := &queries.Table{Columns: []queries.Column{{Name: "单位", Type: queries.Text}, {Name: "月份", Type: queries.Text},
		{Name: "党小组会次数", Type: queries.Integer}, {Name: "平均出席率", Type: queries.Float}}}
	for _, u := range []string{"线路工区", evilName} {
		for _, m := range []string{"2024-01", "2024-02", "2024-03"} {
			mb.Rows = append(mb.Rows, []any{u, m, int64(len(u) % 5), 0.9})
		}
	}
	mk := &queries.Table{Columns: []queries.Column{{Name: "会议类型", Type: queries.Text}, {Name: "次数", Type: queries.Integer}},
		Rows: [][]any{{"党小组会", int64(40)}, {"主题党日", int64(12)}}}
	pk := &queries.Table{Columns: []queries.Column{{Name: "月份", Type: queries.Text}, {Name: "巡视类型", Type: queries.Text}, {Name: "公里数", Type: queries.Float}},
		Rows: [][]any{{"2024-07", "routine", 120.5}, {"2024-07", "night", 30.0}, {"2024-08", "routine", 98.0}}}
	return map[string]SpecResult{
		"meetings_by_unit": {Table: mb, Src: Source{Query: "meetings_by_unit", Params: "year=2024"}},
		"meeting_kinds":    {Table: mk, Src: Source{Query: "meeting_kinds", Params: "year=2024"}},
		"patrol_km":        {Table: pk, Src: Source{Query: "patrol_km", Params: "year=2024 min_km=0"}},
	}
}

// specReport is the worked example of docs/report-spec.md built from specTables.
func specReport(lang Lang) *Report {
	src, err := os.ReadFile(filepath.Join("testdata", "spec", "example.md"))
	if err != nil {
		panic(err)
	}
	s, err := ParseSpec(src)
	if err != nil {
		panic(err)
	}
	r, err := BuildSpecReport(s, "example", specTables(), nil, lang)
	if err != nil {
		panic(err)
	}
	return r
}

func TestBuildSpecReport(t *testing.T) {
	r := specReport("zh")
	if len(r.Charts()) != 4 || len(r.Tables()) != 5 || len(r.Sources) != 3 || r.Sections[0].Title != "概述" {
		t.Fatalf("%d charts, %d tables, %d sources, first section %q", len(r.Charts()), len(r.Tables()), len(r.Sources), r.Sections[0].Title)
	}
	if c := r.Charts()[0]; c.Ref != "S1" || c.Title != "各单位每月党小组会次数" {
		t.Errorf("chart %s ref %s", c.Title, c.Ref)
	}
	// A directive naming a column the result lacks: the error has the directive's line.
	s, _ := ParseSpec([]byte("```sql name=a\nselect 1\n```\n\n::: chart bar data=a x=x y=q\n"))
	_, err := BuildSpecReport(s, "x", map[string]SpecResult{"a": {Table: &queries.Table{Columns: []queries.Column{{Name: "x", Type: queries.Text}}}}}, nil, "en")
	var se *SpecError
	if !errors.As(err, &se) || se.Line != 5 || !strings.Contains(se.Message("en"), `line 5: a: y column "q" is not in the result (its columns: x)`) {
		t.Errorf("%v", err)
	}
}

// FuzzParseSpec: any input either parses or fails with a *SpecError whose line lies in the
// input; a parsed spec builds a report from empty results without panicking.
func FuzzParseSpec(f *testing.F) {
	if src, err := os.ReadFile(filepath.Join("testdata", "spec", "example.md")); err == nil {
		f.Add(src)
	}
	f.Add([]byte("```sql name=a params=\"y=1, z\"\nselect 1\n```\n::: chart bar data=a x=x y=y title=\"a \\\"b\\\" c\"\n"))
	f.Add([]byte("# T\n## S {#s}\n- a\n  b\n* c\ntext\n```text\nx\n```\n::: table data=a limit=3\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := ParseSpec(src)
		if err != nil {
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			lines := strings.Count(string(src), "\n") + 1
			if se.Line < 0 || se.Line > lines {
				t.Fatalf("line %d outside 1..%d: %v", se.Line, lines, err)
			}
			return
		}
		res := map[string]SpecResult{}
		for _, q := range s.Queries {
			if q.Name == "" || q.SQL == "" {
				t.Fatalf("query %+v", q)
			}
			res[q.Name] = SpecResult{Table: &queries.Table{}}
		}
		if _, err := BuildSpecReport(s, "fuzz", res, nil, "zh"); err != nil {
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("build error of type %T: %v", err, err)
			}
		}
	})
}

// TestSpecHeadingLevels: four heading levels get 公文 numbers that restart under each parent,
// {-} and hand-numbered titles keep none, and HTML and Markdown show the same outline.
func TestSpecHeadingLevels(t *testing.T) {
	src := "# 报告\n```sql name=a\nselect 1 AS x\n```\n" +
		"## 基本情况\n### 范围\n#### 数据\n##### 会议\n##### 考评\n#### 方法\n### 期间\n" +
		"## 存在的问题\n### 会议\n## 附录 {-}\n### 表 {-}\n## 三、自编号\n### （一）自编号小节\n"
	spec, err := ParseSpec([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := BuildSpecReport(spec, "h", map[string]SpecResult{"a": {Table: &queries.Table{}}}, nil, "zh")
	if err != nil {
		t.Fatal(err)
	}
	var mdOut, htmlOut bytes.Buffer
	if err := WriteMarkdown(&mdOut, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&htmlOut, r); err != nil {
		t.Skip(err) // ECharts asset missing: make assets
	}
	var got []string
	for _, line := range strings.Split(mdOut.String(), "\n") {
		if strings.HasPrefix(line, "##") {
			got = append(got, line)
		}
	}
	want := []string{"## 一、基本情况", "### （一）范围", "#### 1.数据", "##### （1）会议", "##### （2）考评", "#### 2.方法", "### （二）期间",
		"## 二、存在的问题", "### （一）会议", "## 附录", "### 表", "## 三、自编号", "### （一）自编号小节", "## 数据来源"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Markdown headings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, h := range []string{"<h2>一、基本情况</h2>", `<h3 class="md-h2">（一）范围</h3>`, `<h4 class="md-h3">1.数据</h4>`, `<h5 class="md-h4">（1）会议</h5>`, "<h2>附录</h2>"} {
		if !strings.Contains(htmlOut.String(), h) {
			t.Errorf("HTML lacks %s", h)
		}
	}
}

// TestSpecFigures: ::: figures turns each row into a headline number linked to its query, as
// the built-in reports' headline rows are; a missing column names the result's columns.
func TestSpecFigures(t *testing.T) {
	src := "```sql name=kpi\nselect 1\n```\n## 概况\n::: figures data=kpi label=指标 value=数值 unit=单位\n"
	spec, err := ParseSpec([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tb := &queries.Table{Columns: []queries.Column{{Name: "指标", Type: queries.Text}, {Name: "数值", Type: queries.Float}, {Name: "单位", Type: queries.Text}},
		Rows: [][]any{{"党小组会", 4140.0, "次"}, {"按月开会达标率", 0.9081, ""}}}
	r, err := BuildSpecReport(spec, "k", map[string]SpecResult{"kpi": {Table: tb, Src: Source{Query: "kpi"}}}, nil, "zh")
	if err != nil {
		t.Fatal(err)
	}
	fs, ok := r.Sections[0].Blocks[0].(Figures)
	if !ok || len(fs.Items) != 2 || fs.Items[0] != (Figure{Label: "党小组会", Value: "4140", Unit: "次", Ref: "S1"}) || fs.Items[1].Value != "0.91" {
		t.Fatalf("figures: %+v", r.Sections[0].Blocks)
	}
	spec, _ = ParseSpec([]byte(strings.Replace(src, "unit=单位", "unit=口径", 1)))
	_, err = BuildSpecReport(spec, "k", map[string]SpecResult{"kpi": {Table: tb}}, nil, "zh")
	var se *SpecError
	if !errors.As(err, &se) || se.Line != 5 || !strings.Contains(se.Message("en"), `column "口径" is not in the result (its columns: 指标, 数值, 单位)`) {
		t.Errorf("missing column: %v", err)
	}
	if _, err := ParseSpec([]byte(strings.Replace(src, " value=数值", "", 1))); err == nil || !strings.Contains(err.Error(), "value=") {
		t.Errorf("no value column: %v", err)
	}
}

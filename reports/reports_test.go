package reports

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/queries"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// requireAsset fails when the binary was built without ECharts: `make assets` first.
func requireAsset(t *testing.T) {
	t.Helper()
	if _, err := loadECharts(); err != nil {
		t.Fatalf("%v", err)
	}
}

// TestChartOptionsGolden pins the ECharts option JSON of every chart of the fixture reports.
// Run `go test ./reports -run Golden -update` to rewrite them after an intended change.
func TestChartOptionsGolden(t *testing.T) {
	seen := map[string]bool{}
	reps := fixtureReports()
	names := make([]string, 0, len(reps))
	for n := range reps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, c := range reps[name].Charts() {
			file := c.ID
			if strings.HasSuffix(name, "-en") {
				file += ".en"
			}
			if seen[file] {
				t.Fatalf("chart ID %s used twice", file)
			}
			seen[file] = true
			got, err := OptionJSON(c)
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			var pretty bytes.Buffer
			if err := indentJSON(&pretty, got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", file+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./reports -run Golden -update)", err)
			}
			if !bytes.Equal(want, pretty.Bytes()) {
				// Say whether the chart changed or only the layout of its JSON (key order,
				// number spelling): the second is safe to take with -update.
				d, err := jsonDiff(want, pretty.Bytes())
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if d == "" {
					d = "the same option, laid out differently"
				}
				t.Errorf("%s: option JSON differs from %s: %s (run with -update if the change is intended)", c.ID, path, d)
			}
		}
	}
}

// TestNamesAreEscaped puts a hostile group name through every output.
func TestNamesAreEscaped(t *testing.T) {
	requireAsset(t)
	for name, r := range fixtureReports() {
		var h, m bytes.Buffer
		if err := WriteHTML(&h, r); err != nil {
			t.Fatal(err)
		}
		if err := WriteMarkdown(&m, r); err != nil {
			t.Fatal(err)
		}
		h = *bytes.NewBuffer(withoutECharts(t, h.Bytes()))
		if bytes.Contains(h.Bytes(), []byte(evilName)) || bytes.Contains(h.Bytes(), []byte("<img")) {
			t.Errorf("%s.html: the raw name appears", name)
		}
		if !bytes.Contains(h.Bytes(), []byte("&lt;img src=x onerror=alert(1)&gt;")) && !bytes.Contains(h.Bytes(), []byte(`\u003cimg src=x onerror=alert(1)\u003e`)) {
			t.Errorf("%s.html: the escaped name is missing", name)
		}
		// Markdown escapes the tag's "<" with a backslash: "\<img" is text, "<img" a tag.
		if bytes.Count(m.Bytes(), []byte("<img")) != bytes.Count(m.Bytes(), []byte(`\<img`)) {
			t.Errorf("%s.md: the raw name appears", name)
		}
		for _, c := range r.Charts() {
			j, _ := OptionJSON(c)
			if bytes.ContainsAny(j, "<>") {
				t.Errorf("%s: option JSON holds < or >", c.ID)
			}
		}
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	requireAsset(t)
	var h bytes.Buffer
	if err := WriteHTML(&h, fixtureReports()["evaluation"]); err != nil {
		t.Fatal(err)
	}
	page := string(withoutECharts(t, h.Bytes()))
	for _, bad := range []string{"<link", "<img", "<script src", "<iframe", "<object", "@import", "url(", "@font-face", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q: it must not load anything", bad)
		}
	}
	if !strings.Contains(page, "default-src &#39;none&#39;") {
		t.Error("no Content-Security-Policy")
	}
	if n := strings.Count(page, `class="md-chart"`); n != len(fixtureReports()["evaluation"].Charts()) {
		t.Errorf("%d chart containers", n)
	}
	for _, sec := range []string{"compliance", "quality", "assessment", "relations", "model-groups", "trends", "survey", "awards", "rankings", "methods"} {
		if !strings.Contains(page, `id="`+sec+`"`) {
			t.Errorf("section %s missing", sec)
		}
	}
}

func TestMissingAssetMessage(t *testing.T) {
	if !strings.Contains(ErrAssetMissing.Error(), "ECharts asset missing: run make") {
		t.Fatal(ErrAssetMissing)
	}
}

func TestAnnualStructureAndLinks(t *testing.T) {
	r := BuildAnnual(fixtureAnnual(), "zh")
	var titles []string
	for _, s := range r.Sections {
		titles = append(titles, s.Heading())
	}
	want := []string{"一、基本情况", "二、存在的主要问题", "三、主要做法", "四、初步成效", "五、下一步建议", "六、结语"}
	for i, w := range want {
		if titles[i] != w {
			t.Fatalf("sections %v, want %v first", titles, want)
		}
	}
	var m bytes.Buffer
	if err := WriteMarkdown(&m, r); err != nil {
		t.Fatal(err)
	}
	// Every linked number points to a listed source.
	ids := map[string]bool{}
	for _, s := range r.Sources {
		ids[s.ID] = true
	}
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			var spans []Span
			switch x := b.(type) {
			case Paragraph:
				spans = x.Spans
			case Bullets:
				for _, it := range x.Items {
					spans = append(spans, it...)
				}
			}
			for _, sp := range spans {
				if sp.Ref != "" && !ids[sp.Ref] {
					t.Errorf("span %q links to unknown source %s", sp.Text, sp.Ref)
				}
			}
		}
	}
	if !strings.Contains(m.String(), "](#src-S") || !strings.Contains(m.String(), `<a id="src-S1"></a>`) {
		t.Error("markdown has no links to sources")
	}
}

// sheetSuffix is the "(2)" that tells apart sheets whose titles shorten to the same name;
// sheetQualifier a bracketed part of a title, which a shortened name leaves out.
var sheetSuffix, sheetQualifier = regexp.MustCompile(`\(\d+\)$`), regexp.MustCompile(`\s*(（[^）]*）|\([^)]*\))`)

// namedBy reports whether a sheet name is its title, shortened: each piece of it (around a
// “…”) is in the title, or in the title without its bracketed parts.
func namedBy(sheet, title string) bool {
	bare := sheetQualifier.ReplaceAllString(title, "")
	for _, piece := range strings.Split(sheetSuffix.ReplaceAllString(sheet, ""), "…") {
		if !strings.Contains(title, piece) && !strings.Contains(bare, piece) {
			return false
		}
	}
	return true
}

// openXLSX writes r as XLSX and opens what was written, as a reader of the file would.
func openXLSX(t *testing.T, r *Report) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Every table is a sheet named by its Chinese title, listed with its stable ID in the
// contents sheet; the header stays in view and shares show as percentages.
func TestXLSXOneSheetPerTable(t *testing.T) {
	r := fixtureReports()["evaluation"]
	f := openXLSX(t, r)
	defer f.Close()
	sheets := f.GetSheetList()
	tables := r.Tables()
	if len(sheets) != len(tables)+1 {
		t.Fatalf("%d sheets for %d tables", len(sheets), len(tables))
	}
	names := SheetNames(r)
	if sheets[0] != "目录" {
		t.Errorf("first sheet %q, want 目录", sheets[0])
	}
	for i, nt := range tables {
		if sheets[i+1] != names[nt.ID] {
			t.Errorf("sheet %d is %q, want %q", i+1, sheets[i+1], names[nt.ID])
		}
		if !namedBy(names[nt.ID], nt.Title) {
			t.Errorf("sheet %q is not named by the title %q", names[nt.ID], nt.Title)
		}
		if id, _ := f.GetCellValue("目录", fmt.Sprintf("C%d", i+2)); id != nt.ID {
			t.Errorf("contents row %d names ID %q, want %q", i+2, id, nt.ID)
		}
	}
	sheet := names["eval-quality"]
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header of %s not frozen: %+v %v", sheet, panes, err)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	pct := 0
	for _, row := range rows[1:] {
		for _, v := range row[1:] {
			if strings.HasSuffix(v, "%") {
				pct++
			}
		}
	}
	if pct == 0 {
		t.Errorf("no share shown as a percentage in %s: %v", sheet, rows[:2])
	}
}

// Tables whose titles are the same, shorten to the same name, or are the contents sheet's name
// each get their own sheet of at most 31 characters, and the contents sheet and the pages name
// the sheet that holds each table.
func TestXLSXSheetNamesUniqueWhenTitlesCollide(t *testing.T) {
	titles := []string{
		"各单位情况", "各单位情况", "目录",
		"奖项集中程度排名（各单位最近一年，按基尼系数从高到低；与随机分配比较见“判断”）",
		"奖项集中程度排名（各单位最近一年，按党员数从多到少排列，党员数相同的按基尼系数）",
		"各党小组每月组织生活会议次数与出席率及其与安全生产指标的相关关系一览表之一",
		"各党小组每月组织生活会议次数与出席率及其与安全生产指标的相关关系一览表之二",
		"违章/百人：2024[上半年]?",
		"示范党小组减其他党小组（差值与 95% 置信区间）：百人违章数",
		"示范党小组减其他党小组（差值与 95% 置信区间）：百公里发现缺陷数",
	}
	var blocks []Block
	for i, title := range titles {
		tb := &queries.Table{Columns: []queries.Column{{Name: "表", Type: queries.Text}}, Rows: [][]any{{fmt.Sprintf("第%d张表", i+1)}}}
		blocks = append(blocks, &TableBlock{ID: fmt.Sprintf("t%d", i+1), Caption: title, Table: tb})
	}
	r := &Report{Kind: "x", Lang: "zh", Title: "测试", Sections: []Section{{ID: "s", Title: "一节", Blocks: blocks}}}
	f := openXLSX(t, r)
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != len(titles)+1 {
		t.Fatalf("%d sheets for %d tables: %q", len(sheets), len(titles), sheets)
	}
	seen := map[string]bool{}
	for _, s := range sheets {
		if utf8.RuneCountInString(s) > 31 || strings.ContainsAny(s, `:\/?*[]`) || seen[strings.ToLower(s)] {
			t.Errorf("sheet %q is too long, holds a refused character or is not unique", s)
		}
		seen[strings.ToLower(s)] = true
	}
	names := SheetNames(r)
	for i, title := range titles {
		id := fmt.Sprintf("t%d", i+1)
		sheet := names[id]
		if v, _ := f.GetCellValue(sheet, "A2"); v != fmt.Sprintf("第%d张表", i+1) {
			t.Errorf("sheet %q holds %q, want table %s (%q)", sheet, v, id, title)
		}
		if v, _ := f.GetCellValue("目录", fmt.Sprintf("A%d", i+2)); v != sheet {
			t.Errorf("contents row %d names sheet %q, want %q", i+2, v, sheet)
		}
		if v, _ := f.GetCellValue("目录", fmt.Sprintf("B%d", i+2)); v != title {
			t.Errorf("contents row %d gives the title %q, want %q", i+2, v, title)
		}
	}
	for id, want := range map[string]string{"t1": "各单位情况", "t2": "各单位情况(2)", "t3": "目录(2)", "t4": "奖项集中程度排名", "t5": "奖项集中程度排名(2)",
		"t8": "违章／百人：2024(上半年)",
		// Siblings read alike: the one that would fit loses the qualifier its sibling had to.
		"t9": "示范党小组减其他党小组：百人违章数", "t10": "示范党小组减其他党小组：百公里发现缺陷数"} {
		if names[id] != want {
			t.Errorf("table %s is in sheet %q, want %q", id, names[id], want)
		}
	}
}

func TestWriteFiles(t *testing.T) {
	requireAsset(t)
	dir := t.TempDir()
	f, err := WriteFiles(dir, "", fixtureReports()["group"])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{f.HTML, f.Markdown, f.XLSX} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	if !errors.Is(ErrAssetMissing, ErrAssetMissing) {
		t.Fatal()
	}
}

// withoutECharts removes the inlined ECharts library, so checks see only what this package wrote.
func withoutECharts(t *testing.T, page []byte) []byte {
	t.Helper()
	ec, err := loadECharts()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, ec) {
		t.Fatal("ECharts is not inlined")
	}
	return bytes.Replace(page, ec, nil, 1)
}

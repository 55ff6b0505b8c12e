package tabular_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/internal/workbook"
	"github.com/mingdeng/mingdeng/queries/table"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// checkSheets asserts what Excel needs of a workbook's names: every sheet present, at most 31
// characters, none of : \ / ? * [ ], no apostrophe at either end, and no two the same when
// case is ignored (Excel takes those for one sheet).
func checkSheets(t *testing.T, names []string, want int) {
	t.Helper()
	if len(names) != want {
		t.Errorf("%d sheets, want %d: %q", len(names), want, names)
	}
	seen := map[string]string{}
	for _, n := range names {
		// Excel counts UTF-16 units: a character beyond the BMP is two.
		if l := len(utf16.Encode([]rune(n))); l > workbook.MaxSheetName || n == "" {
			t.Errorf("sheet %q has %d characters", n, l)
		}
		if strings.ContainsAny(n, `:\/?*[]`) || strings.HasPrefix(n, "'") || strings.HasSuffix(n, "'") {
			t.Errorf("sheet %q holds a character Excel refuses", n)
		}
		if o, ok := seen[strings.ToLower(n)]; ok {
			t.Errorf("sheets %q and %q are the same to Excel", o, n)
		}
		seen[strings.ToLower(n)] = n
	}
}

// Titles that are too long, share their first 31 characters, differ only in case or hold
// characters Excel refuses each get a sheet of their own with a readable name (bracketed
// qualifiers dropped first, a cut at a word boundary marked with …, "(2)" on a collision), and
// each sheet holds its own table (none written over another).
func TestSheetNamesInAWrittenWorkbook(t *testing.T) {
	titles := []string{
		"奖项集中程度排名（各单位最近一年，按基尼系数从高到低；与随机分配比较见“判断”）",
		"奖项集中程度排名（各单位最近一年，按党员数从多到少排列，党员数相同的按基尼系数）",
		"Units ranked by concentration of awards (latest year, highest Gini first)",
		"Units ranked by concentration of awards (latest year, most members first)",
		"Meetings per group and month across every unit of the province in the period",
		"Meetings per group and month across every unit of the province in the year",
		"各党小组每月组织生活会议次数与出席率及其与安全生产指标的相关关系一览表之一",
		"各党小组每月组织生活会议次数与出席率及其与安全生产指标的相关关系一览表之二",
		"Summary", "summary", "SUMMARY",
		"rates: defects/100 km [2024]?*",
		"'quoted'",
		"History",
		"",
		"预先设定的假设：固定效应估计（点为估计值，横线为 95% 置信区间）：百公里发现缺陷数",
		"预先设定的假设：固定效应估计（点为估计值，横线为 95% 置信区间）：百人违章数",
		"Assessment grades per half, 2024",
		strings.Repeat("𠮷", 20), // 20 characters, 40 to Excel
	}
	f := excelize.NewFile()
	namer := workbook.NewSheetNamer("目录")
	if err := f.SetSheetName("Sheet1", "目录"); err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(titles))
	for i, title := range titles {
		names[i] = namer.Name(title)
		tb := &table.Table{Columns: []table.Column{{Name: "title", Type: table.Text}}, Rows: [][]any{{title + "#"}}}
		if err := tabular.AddSheet(f, names[i], tb); err != nil {
			t.Fatalf("sheet %q for %q: %v", names[i], title, err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	list := back.GetSheetList()
	checkSheets(t, list, len(titles)+1)
	for i, title := range titles {
		if v, _ := back.GetCellValue(names[i], "A2"); v != title+"#" {
			t.Errorf("sheet %q holds %q, want the table of %q", names[i], v, title)
		}
	}
	for i, want := range map[int]string{
		0:  "奖项集中程度排名",
		1:  "奖项集中程度排名(2)",
		2:  "Units ranked by concentration…",
		3:  "Units ranked by…(2)",
		4:  "Meetings per group and month…",
		8:  "Summary",
		9:  "summary(2)",
		10: "SUMMARY(3)",
		11: "rates - defects／100 km (2024)",
		12: "quoted",
		13: "History(2)",
		14: "Sheet",
		// A qualifier in the middle goes, and the metric after it that tells the two apart stays.
		15: "预先设定的假设：固定效应估计：百公里发现缺陷数",
		16: "预先设定的假设：固定效应估计：百人违章数",
		// A short last clause (the year) stays; the cut falls before it.
		17: "Assessment grades per…, 2024",
		18: strings.Repeat("𠮷", 15) + "…",
	} {
		if names[i] != want {
			t.Errorf("%q is named %q, want %q", titles[i], names[i], want)
		}
	}
	// A cut title is cut at a boundary, not in a word, and says it was cut.
	for _, i := range []int{4, 5, 6} {
		head := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(names[i], "(2)"), "…"), "…")
		if !strings.HasSuffix(names[i], "…") && !strings.HasSuffix(names[i], "…(2)") {
			t.Errorf("%q: the cut name %q has no …", titles[i], names[i])
		}
		if !strings.HasPrefix(titles[i], head) {
			t.Errorf("%q is not a prefix of %q", head, titles[i])
		}
		if next, _ := utf8.DecodeRuneInString(titles[i][len(head):]); next != ' ' && utf8.RuneLen(next) == 1 {
			t.Errorf("%q cuts %q inside a word", names[i], titles[i])
		}
	}
}

// The one sheet of an export is named by the option, made valid: a long name with a slash is
// neither refused by excelize nor cut inside a word.
func TestXLSXExportSheetNameMadeValid(t *testing.T) {
	var buf bytes.Buffer
	opt := tabular.Options{SheetName: "violations per 100 staff / month, every unit"}
	if err := tabular.Write(&buf, sample(), tabular.XLSX, opt); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list := f.GetSheetList()
	checkSheets(t, list, 1)
	if list[0] != "violations per 100 staff…" {
		t.Errorf("sheet %q", list[0])
	}
	if v, _ := f.GetCellValue(list[0], "A2"); v != "运行党小组" {
		t.Errorf("the sheet holds %q", v)
	}
}

package reports

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/pdf"
)

// tool finds a command the document tests need. In CI a missing one fails the test (make
// test-deps installs it); elsewhere the test is skipped with the command to run.
func tool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
		if filepath.IsAbs(n) {
			if _, err := os.Stat(n); err == nil {
				return n
			}
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed: make test-deps installs it", names[0])
	}
	t.Skipf("%s is not installed: run make test-deps (make test does)", names[0])
	return ""
}

var (
	pictures     *Pictures
	picturesErr  error
	picturesOnce sync.Once
)

// testPictures loads ECharts into the JavaScript engine once for the package's tests.
func testPictures(t *testing.T) *Pictures {
	t.Helper()
	requireAsset(t)
	picturesOnce.Do(func() { pictures, picturesErr = NewPictures() })
	if picturesErr != nil {
		t.Fatal(picturesErr)
	}
	return pictures
}

func unzipped(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip archive: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

var (
	headingRe  = regexp.MustCompile(`<w:p><w:pPr><w:pStyle w:val="Heading(\d)"/>(<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>)?</w:pPr>(?:<w:bookmarkStart[^>]*/>)?<w:r><w:t xml:space="preserve">([^<]*)</w:t>`)
	anchorRe   = regexp.MustCompile(`w:anchor="([^"]+)"`)
	bookmarkRe = regexp.MustCompile(`<w:bookmarkStart w:id="\d+" w:name="([^"]+)"/>`)
)

// The annual write-up as a Word document: its sections are level-1 headings in Word's list
// numbering (the title's own 一、 handed to Word, not repeated), the appendix 数据来源 is an
// unnumbered heading whose rows are the bookmarks every number links to, tables are Word
// tables with a repeating header row, every chart is a PNG picture, the page is A4 with the
// page number in the footer.
func TestDOCXOfTheAnnual(t *testing.T) {
	pics := testPictures(t)
	r := BuildAnnual(fixtureAnnual(), "zh")
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, r, pics); err != nil {
		t.Fatal(err)
	}
	parts := unzipped(t, buf.Bytes())
	doc := string(parts["word/document.xml"])
	if doc == "" {
		t.Fatal("no word/document.xml")
	}
	var want []Heading // every heading of the model, sections as level 1
	for _, s := range r.Sections {
		want = append(want, Heading{Level: 1, Title: s.Title, Number: s.Number})
		for _, b := range s.Blocks {
			if h, ok := b.(Heading); ok {
				want = append(want, h)
			}
		}
	}
	hs := headingRe.FindAllStringSubmatch(doc, -1)
	if len(hs) != len(want)+1 {
		t.Fatalf("%d headings, want %d + the appendix", len(hs), len(want))
	}
	levels := map[string]bool{}
	for i, h := range want {
		levels[hs[i][1]] = true
		if hs[i][1] != strconv.Itoa(h.Level) {
			t.Errorf("heading %q: level %s, want %d", h.Text(), hs[i][1], h.Level)
		}
		if numbered := hs[i][2] == ""; numbered != (h.Number != "") {
			t.Errorf("heading %q: in Word's numbering %v, want %v", h.Text(), numbered, h.Number != "")
		}
		if h.Number != "" && hs[i][3] != h.Title {
			t.Errorf("heading text %q, want %q (Word draws the number %s)", hs[i][3], h.Title, h.Number)
		}
	}
	if !levels["1"] || !levels["2"] {
		t.Errorf("heading levels %v: want 1 and 2 at least", levels)
	}
	if last := hs[len(hs)-1]; last[2] == "" || !strings.Contains(last[3], "数据来源") {
		t.Errorf("last heading %q (unnumbered %q), want the unnumbered appendix 数据来源", last[3], last[2])
	}
	num := string(parts["word/numbering.xml"])
	for _, want := range []string{`w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/>`,
		`<w:lvlText w:val="（%2）"/>`, `<w:lvlText w:val="%3."/>`, `<w:lvlText w:val="（%4）"/>`} {
		if !strings.Contains(num, want) {
			t.Errorf("numbering.xml lacks %s", want)
		}
	}
	bookmarks := map[string]bool{}
	for _, m := range bookmarkRe.FindAllStringSubmatch(doc, -1) {
		bookmarks[m[1]] = true
	}
	for _, s := range r.Sources {
		if !bookmarks["src-"+s.ID] {
			t.Errorf("no bookmark for source %s", s.ID)
		}
	}
	anchors := anchorRe.FindAllStringSubmatch(doc, -1)
	if len(anchors) < 5 {
		t.Errorf("%d links to sources, want the numbers linked", len(anchors))
	}
	for _, a := range anchors {
		if !bookmarks[a[1]] {
			t.Errorf("link to %s, which has no bookmark", a[1])
		}
	}
	if n := strings.Count(doc, "<w:tbl>"); n < 2 {
		t.Errorf("%d tables, want the figures and the sources at least", n)
	}
	if !strings.Contains(doc, "<w:tblHeader/>") {
		t.Error("no repeating table header row")
	}
	charts := r.Charts()
	for i := range charts {
		img := parts[fmt.Sprintf("word/media/image%d.png", i+1)]
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			t.Fatalf("picture of chart %s: %v", charts[i].ID, err)
		}
		if cfg.Width != 2*chartWidthPx {
			t.Errorf("chart %s drawn %d px wide, want %d", charts[i].ID, cfg.Width, 2*chartWidthPx)
		}
	}
	if _, extra := parts[fmt.Sprintf("word/media/image%d.png", len(charts)+1)]; extra {
		t.Error("more pictures than charts")
	}
	for _, want := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `<w:footerReference w:type="default" r:id="rIdFooter"/>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(string(parts["word/footer1.xml"]), "PAGE") {
		t.Error("no page number field in the footer")
	}
	if !strings.Contains(string(parts["word/styles.xml"]), `w:eastAsia="仿宋"`) {
		t.Error("body text is not 仿宋")
	}
}

// The English document numbers headings 1. and does not repeat a title's own number.
func TestDOCXEnglishNumbering(t *testing.T) {
	var buf bytes.Buffer
	r := BuildAnnual(fixtureAnnual(), "en")
	if err := WriteDOCX(&buf, r, nil); err != nil {
		t.Fatal(err)
	}
	parts := unzipped(t, buf.Bytes())
	hs := headingRe.FindAllStringSubmatch(string(parts["word/document.xml"]), -1)
	if len(hs) == 0 || hs[0][2] != "" || strings.HasPrefix(hs[0][3], "1.") {
		t.Fatalf("first heading %v: want numbered by Word without its own 1.", hs[0])
	}
	if !strings.Contains(string(parts["word/numbering.xml"]), `<w:lvlText w:val="%1."/>`) {
		t.Error("English numbering is not 1.")
	}
}

// pdfPages returns each page's text lines, without empty lines and the page-number footer.
func pdfPages(t *testing.T, path string) [][]string {
	t.Helper()
	bin := tool(t, "pdftotext")
	out, err := exec.Command(bin, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	footer := regexp.MustCompile(`^—\s*\d+\s*—$`)
	var pages [][]string
	for _, pg := range strings.Split(strings.TrimRight(string(out), "\f\n"), "\f") {
		var lines []string
		for _, l := range strings.Split(pg, "\n") {
			l = strings.TrimSpace(l)
			if l != "" && !footer.MatchString(l) {
				lines = append(lines, l)
			}
		}
		pages = append(pages, lines)
	}
	return pages
}

// headingTexts are the report's titles a page must not end on: section titles, chart titles,
// table captions.
func headingTexts(r *Report) map[string]bool {
	out := map[string]bool{}
	for _, s := range r.Sections {
		out[s.Title] = true
		out[s.Heading()] = true
		for _, b := range s.Blocks {
			switch x := b.(type) {
			case Heading:
				out[x.Title] = true
				out[x.Text()] = true
			case *Chart:
				out[x.Title] = true
			case *TableBlock:
				out[x.Caption] = true
			}
		}
	}
	return out
}

func checkPages(t *testing.T, name string, pages [][]string, heads map[string]bool) {
	t.Helper()
	for i, lines := range pages {
		if len(lines) == 0 {
			t.Errorf("%s page %d is empty", name, i+1)
			continue
		}
		last := strings.TrimSuffix(lines[len(lines)-1], " [来源]")
		if heads[last] {
			t.Errorf("%s page %d ends with the heading %q", name, i+1, last)
		}
	}
}

func pageCount(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command(tool(t, "pdfinfo"), path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	if !bytes.Contains(out, []byte("595.")) || !bytes.Contains(out, []byte("(A4)")) {
		t.Errorf("%s is not A4: %s", path, out)
	}
	return n
}

// firstPagePNG renders page 1 and checks it has ink, as a reader would see it.
func firstPagePNG(t *testing.T, pdfPath string) {
	t.Helper()
	prefix := strings.TrimSuffix(pdfPath, ".pdf") + "-p"
	if out, err := exec.Command(tool(t, "pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "1", pdfPath, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	files, _ := filepath.Glob(prefix + "*.png")
	if len(files) != 1 {
		t.Fatalf("pdftoppm wrote %v", files)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	dark := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x8000 {
				dark++
			}
		}
	}
	if dark < b.Dx()*b.Dy()/500 {
		t.Errorf("page 1 of %s is nearly blank (%d dark pixels)", pdfPath, dark)
	}
}

// The DOCX converts to PDF with LibreOffice without an error; its pages are A4, none ends with
// a heading, and page 1 has ink.
func TestDOCXConvertsWithLibreOffice(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice")
	pics := testPictures(t)
	dir := t.TempDir()
	r := BuildAnnual(fixtureAnnual(), "zh")
	path := filepath.Join(dir, "annual.docx")
	if err := writeFile(path, func(w *os.File) error { return WriteDOCX(w, r, pics) }); err != nil {
		t.Fatal(err)
	}
	pdfPath := libreOfficePDF(t, soffice, path)
	n := pageCount(t, pdfPath)
	if n < 3 || n > 30 {
		t.Errorf("%d pages", n)
	}
	pages := pdfPages(t, pdfPath)
	checkPages(t, "annual.pdf (LibreOffice)", pages, headingTexts(r))
	if !strings.Contains(strings.Join(pages[0], "\n"), "一、") {
		t.Error("page 1 shows no 一、: the heading numbering was not drawn")
	}
	firstPagePNG(t, pdfPath)
	if py := tool(t, "/usr/bin/python3", "python3"); py != "" {
		script := `import sys, docx
d = docx.Document(sys.argv[1])
print(len([p for p in d.paragraphs if p.style.name == "Heading 1"]), len(d.tables), len(d.inline_shapes))`
		out, err := exec.Command(py, "-c", script, path).CombinedOutput()
		if err != nil {
			if os.Getenv("CI") != "" || !bytes.Contains(out, []byte("No module named")) {
				t.Fatalf("python3-docx: %v %s", err, out)
			}
			t.Logf("python3-docx not installed: %s", out)
		} else if want := fmt.Sprintf("%d ", len(r.Sections)+1); !strings.HasPrefix(string(out), want) {
			t.Errorf("python-docx reads %q (Heading 1 paragraphs, tables, pictures), want %d headings", out, len(r.Sections)+1)
		}
	}
}

// libreOfficePDF converts a DOCX with LibreOffice headless (a throwaway profile beside it) and
// returns the PDF's path; an error LibreOffice reports fails the test.
func libreOfficePDF(t *testing.T, soffice, path string) string {
	t.Helper()
	dir := filepath.Dir(path)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "lo")),
		"--headless", "--convert-to", "pdf", "--outdir", dir, path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	if bytes.Contains(bytes.ToLower(out), []byte("error")) {
		t.Errorf("LibreOffice reported an error:\n%s", out)
	}
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".pdf"
}

// The evaluation page printed by Chromium: A4 pages, numbered, none ending with a heading,
// every chart on the page (its title and caption both present).
func TestPDFOfTheEvaluation(t *testing.T) {
	bin := chromiumPath(t)
	t.Setenv(pdf.BrowserEnv, bin)
	requireAsset(t)
	dir := t.TempDir()
	r := BuildEvaluation(fixtureEvaluation(), "zh")
	AddCompleteness(r, &queries.Coverage{From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)}, Source{})
	files, err := WriteFiles(dir, "", r)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteDocuments(context.Background(), r, &files, Documents{PDF: true}); err != nil {
		t.Fatal(err)
	}
	n := pageCount(t, files.PDF)
	out, _ := exec.Command(tool(t, "pdftotext"), files.PDF, "-").Output()
	for i := 1; i <= n; i++ {
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^—\s*%d\s*—$`, i)).Match(out) {
			t.Errorf("page %d has no page number", i)
		}
	}
	pages := pdfPages(t, files.PDF)
	if len(pages) != n {
		t.Fatalf("%d pages of text, %d pages", len(pages), n)
	}
	checkPages(t, "evaluation.pdf", pages, headingTexts(r))
	// The completeness preface shares the contents page; the first numbered part opens page 2.
	if first := strings.Join(pages[0], "\n"); !strings.Contains(first, "本报告期间") {
		t.Errorf("page 1 lacks the completeness preface:\n%s", first)
	}
	if len(pages) < 2 || len(pages[1]) == 0 || pages[1][0] != r.Sections[1].Heading() {
		t.Errorf("page 2 does not open with %q", r.Sections[1].Heading())
	}
	all := strings.Join(pages[0], "\n")
	for _, pg := range pages[1:] {
		all += "\n" + strings.Join(pg, "\n")
	}
	for _, c := range r.Charts() {
		if !strings.Contains(all, c.Title) {
			t.Errorf("chart %s: title %q not in the PDF", c.ID, c.Title)
		}
	}
	firstPagePNG(t, files.PDF)
}

// The DOCX of the evaluation, converted by LibreOffice and read back with python-docx, opens
// with its 数据完整性 preface as the PDF does: on page 1 under the title lines, unnumbered, with
// its sentence and the list of months without records, before the first numbered part.
func TestDOCXOfTheEvaluationOpensWithCompleteness(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice")
	pics := testPictures(t)
	r := BuildEvaluation(fixtureEvaluation(), "zh")
	patrols := queries.DatasetCoverage{Dataset: "patrols", Grain: "month"}
	for m := 1; m <= 12; m++ {
		patrols.Months = append(patrols.Months, queries.MonthCoverage{Month: fmt.Sprintf("2024-%02d", m), Rows: 10, Missing: m == 3 || m == 4})
	}
	AddCompleteness(r, &queries.Coverage{From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), Datasets: []queries.DatasetCoverage{patrols}}, Source{Query: "data_coverage", Command: "mingdeng check --year 2024"})
	path := filepath.Join(t.TempDir(), "evaluation.docx")
	if err := writeFile(path, func(w *os.File) error { return WriteDOCX(w, r, pics) }); err != nil {
		t.Fatal(err)
	}
	preface := []string{"数据完整性", "本报告期间（2024-01 至 2024-12）以下数据集有月份无记录", "巡视记录：2024-03～2024-04 无记录（2 个月）"}
	first := r.Sections[1].Heading() // 一、…
	pages := pdfPages(t, libreOfficePDF(t, soffice, path))
	page1 := strings.Join(pages[0], "")
	at := -1
	for _, want := range preface {
		i := strings.Index(page1, want)
		if i < at {
			t.Errorf("page 1: %q missing or out of order:\n%s", want, strings.Join(pages[0], "\n"))
		}
		at = i
	}
	if i := strings.Index(page1, first); i >= 0 && i < at {
		t.Errorf("page 1: %q comes before the completeness preface", first)
	}
	if strings.Contains(page1, "一、数据完整性") {
		t.Error("the completeness preface is numbered")
	}
	checkPages(t, "evaluation.pdf (LibreOffice)", pages, headingTexts(r))

	py := tool(t, "/usr/bin/python3", "python3")
	script := `import sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
out, on = [], False
for p in d.paragraphs:
    text = "".join(t.text or "" for t in p._p.iter(qn("w:t")))  # with the text of links, which p.text may leave out
    if p.style.name == "Heading 1":
        if on: break
        on = text == "数据完整性"
    if on and text.strip(): out.append(text)
print("\n".join(out))`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		if os.Getenv("CI") != "" || !bytes.Contains(out, []byte("No module named")) {
			t.Fatalf("python3-docx: %v %s", err, out)
		}
		t.Skipf("python3-docx not installed: %s", out)
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) < 3 || got[0] != "数据完整性" || !strings.HasPrefix(got[1], preface[1]) || !strings.Contains(got[2], preface[2]) {
		t.Errorf("python-docx reads the preface as %q, want the heading, its sentence and the months without records", got)
	}
}

func TestNoBrowserMessage(t *testing.T) {
	t.Setenv(pdf.BrowserEnv, filepath.Join(t.TempDir(), "no-such-browser"))
	if _, err := pdf.Browser(); err == nil || !strings.Contains(err.Error(), pdf.BrowserEnv) {
		t.Fatalf("err %v, want one naming %s", err, pdf.BrowserEnv)
	}
}

// A heatmap that scrolls on the page (more than 40 rows) says in print and in the DOCX that only
// its first rows are drawn there, and names the sheet with all of them.
func TestScrollingChartSaysWhereTheRestIs(t *testing.T) {
	g := &HeatGrid{Cols: []string{"2024-01", "2024-02"}}
	for i := 0; i < 60; i++ {
		g.Rows = append(g.Rows, fmt.Sprintf("第%d党小组", i+1))
		g.Values = append(g.Values, []float64{1, 0})
	}
	c := heatmapChart("grid", "按月开会情况", "说明。", g, "zh", 0, 1, heatRamp, false)
	r := &Report{Kind: "x", Lang: "zh", Title: "测试", Sections: []Section{{ID: "s", Title: "一节", Blocks: []Block{c}}}}
	note := zoomNote(r, c)
	if !strings.Contains(note, "前 40 行（共 60 行）") || !strings.Contains(note, SheetNames(r)["grid"]) {
		t.Fatalf("note %q", note)
	}
	var page bytes.Buffer
	requireAsset(t)
	if err := WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), `<p class="md-caption md-print">`+note) {
		t.Error("the page has no print-only note")
	}
	var doc bytes.Buffer
	if err := WriteDOCX(&doc, r, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(unzipped(t, doc.Bytes())["word/document.xml"]), note) {
		t.Error("the DOCX caption has no note")
	}
}

// A wide table in the DOCX keeps its numbers on one line: the columns of numbers get their
// width and the text columns wrap (the flagged-groups table printed 73.5 as 7 / 3. / 5).
func TestDOCXTableKeepsNumbersWhole(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice")
	tb := &queries.Table{Columns: []queries.Column{{Name: "党小组", Type: queries.Text}, {Name: "单位", Type: queries.Text}, {Name: "半年", Type: queries.Text},
		{Name: "得分", Type: queries.Float}, {Name: "等次", Type: queries.Text}, {Name: "连续两次", Type: queries.Text}}}
	scores := []float64{73.5, 79.25, 88.5, 61.75}
	for i, s := range scores {
		tb.Rows = append(tb.Rows, []any{fmt.Sprintf("配电第%d党小组（配电运检工区变电检修）", i+5), "配电运检工区", "2024年下半年", s, "基本合格", "是：考虑调整党小组长"})
	}
	// Numbers under long headers: the headers wrap, the text columns keep a readable width.
	rank := &queries.Table{Columns: []queries.Column{{Name: "名次", Type: queries.Integer}, {Name: "单位", Type: queries.Text}, {Name: "年度", Type: queries.Text},
		{Name: "基尼系数", Type: queries.Float}, {Name: "随机分配的基尼系数", Type: queries.Float}, {Name: "高出随机", Type: queries.Float}, {Name: "p", Type: queries.Float},
		{Name: "判断", Type: queries.Text}, {Name: "前 10% 人员所占份额", Type: queries.Float}, {Name: "党员数", Type: queries.Integer}}}
	rank.Rows = [][]any{{int64(1), "城东供电所", "2024", 0.991, 0.9905, -0.00031, 1.0, "与随机分配相当", 0.5, int64(106)}}
	r := &Report{Kind: "evaluation", Lang: "zh", Title: "表格宽度", Sections: []Section{{ID: "t", Title: "需帮扶的党小组",
		Blocks: []Block{&TableBlock{ID: "t", Caption: "需帮扶的党小组", Table: tb}, &TableBlock{ID: "r", Caption: "奖项集中程度排名", Table: rank}}}}}
	NumberHeadings(r)
	path := filepath.Join(t.TempDir(), "table.docx")
	if err := writeFile(path, func(w *os.File) error { return WriteDOCX(w, r, testPictures(t)) }); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, pg := range pdfPages(t, libreOfficePDF(t, soffice, path)) {
		text.WriteString(strings.Join(pg, "\n"))
	}
	for _, s := range []string{"73.5", "79.25", "88.5", "61.75", "得分", "城东供电", "2024", "0.991", "-0.00031", "106", "与随机分"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("%s is split over lines in the printed table:\n%s", s, text.String())
		}
	}
}

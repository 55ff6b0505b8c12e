package reports

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// text is Chinese body text of about n characters.
func text(n int) Paragraph {
	const s = "党小组按月召开组织生活会，记录完整，数据可以追溯。"
	return Paragraph{Spans: []Span{{Text: strings.Repeat(s, max(1, n/len([]rune(s))))}}}
}

// gridChart is a heatmap of rows groups: 120 + 22 × rows px high (20 rows: 128 mm in the DOCX).
func gridChart(id, title string, rows int) *Chart {
	g := &HeatGrid{Cols: []string{"1月", "2月", "3月"}, Src: Source{ID: "S1"}}
	for i := 0; i < rows; i++ {
		g.Rows = append(g.Rows, fmt.Sprintf("第%d党小组", i+1))
		g.Values = append(g.Values, []float64{1, 0, 1})
	}
	return heatmapChart(id, title, "每格为该党小组当月是否开会。", g, "zh", 0, 1, heatRamp, false)
}

// The blocks are written in their order (text introducing a chart comes before it); a short
// introduction is kept with a tall chart so the heading moves with them.
func TestDOCXKeepsTheHeadingWithItsChart(t *testing.T) {
	r := &Report{Lang: "zh"}
	tall, small := gridChart("tall", "大图", 20), gridChart("small", "小图", 2)
	for _, c := range []struct {
		name   string
		blocks []Block
		want   string // the blocks: P paragraph, K kept paragraph, C chart, H heading, T table
	}{
		{"short introduction: kept with the chart", []Block{text(60), tall, text(30)}, "K C P"},
		{"long introduction: as written, the chart after it", []Block{text(900), tall, text(30)}, "P C P"},
		{"small chart: as written", []Block{text(900), small}, "P C"},
		{"chart straight after the heading: as written", []Block{tall, text(900)}, "C P"},
		{"a sub-heading starts its own count", []Block{text(900), Heading{Level: 2, Title: "（一）小节"}, text(60), tall}, "P H K C"},
		{"a table before the chart: as written", []Block{text(60), &TableBlock{ID: "t"}, tall}, "P T C"},
	} {
		keep := docxKeep(r, "一、节", c.blocks)
		var got []string
		for i, b := range c.blocks {
			switch b.(type) {
			case Paragraph:
				if keep[i] {
					got = append(got, "K")
				} else {
					got = append(got, "P")
				}
			case *Chart:
				got = append(got, "C")
			case Heading:
				got = append(got, "H")
			case *TableBlock:
				got = append(got, "T")
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: %s, want %s", c.name, strings.Join(got, " "), c.want)
		}
	}
}

// Converted by LibreOffice: a section whose short introduction and tall chart fit on a page has
// its heading on the page of the chart, not alone above white space; a section whose long
// introduction does not fit with its chart reads in order, the introduction before the chart.
func TestDOCXHeadingStaysWithAChartThatDoesNotFit(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice")
	pics := testPictures(t)
	end := func(s string) Paragraph { return Paragraph{Spans: []Span{{Text: s}}} }
	r := &Report{Kind: "test", Lang: "zh", Title: "版面检验", Sections: []Section{
		{ID: "a", Title: "甲部分", Blocks: []Block{text(400)}},
		{ID: "b", Title: "乙部分", Blocks: []Block{text(60), gridChart("b1", "乙部分的图", 20), text(100)}},
		{ID: "c", Title: "丙部分", Blocks: []Block{text(800), end("丙部分的引言到此为止，下图是按月开会情况。"), gridChart("c1", "丙部分的图", 20), text(100)}},
	}}
	path := filepath.Join(t.TempDir(), "layout.docx")
	if err := writeFile(path, func(w *os.File) error { return WriteDOCX(w, r, pics) }); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, libreOfficePDF(t, soffice, path))
	var flow []string // every line in reading order
	for _, lines := range pages {
		flow = append(flow, lines...)
	}
	where := func(s string) (page, line int) { // the page and the line in the flow holding s
		n := 0
		for i, lines := range pages {
			for _, l := range lines {
				if strings.Contains(l, s) {
					return i + 1, n
				}
				n++
			}
		}
		t.Fatalf("%q is on no page: %q", s, pages)
		return 0, 0
	}
	if h, c := func() (int, int) { h, _ := where("乙部分"); c, _ := where("乙部分的图"); return h, c }(); h != c {
		t.Errorf("heading 乙部分 on page %d, its chart on page %d", h, c)
	}
	introPage, introLine := where("丙部分的引言到此为止")
	chartPage, chartLine := where("丙部分的图")
	if introLine > chartLine || chartPage > introPage+1 {
		t.Errorf("丙部分: the introduction ends on page %d (line %d), its chart is on page %d (line %d): want the introduction first and the chart at most a page later",
			introPage, introLine, chartPage, chartLine)
	}
	checkPages(t, "layout.pdf", pages, headingTexts(r))
}

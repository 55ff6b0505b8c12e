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

func TestDOCXOrderKeepsTheHeadingWithItsChart(t *testing.T) {
	r := &Report{Lang: "zh"}
	tall, small := gridChart("tall", "大图", 20), gridChart("small", "小图", 2)
	for _, c := range []struct {
		name   string
		blocks []Block
		want   string // the blocks in DOCX order: P paragraph, K kept paragraph, C chart, H heading
	}{
		{"short introduction: kept with the chart", []Block{text(60), tall, text(30)}, "K C P"},
		{"long introduction: the chart first", []Block{text(900), tall, text(30)}, "C P P"},
		{"small chart: as written", []Block{text(900), small}, "P C"},
		{"chart straight after the heading: as written", []Block{tall, text(900)}, "C P"},
		{"a sub-heading starts its own count", []Block{text(900), Heading{Level: 2, Title: "（一）小节"}, text(60), tall}, "P H K C"},
		{"a table before the chart: as written", []Block{text(60), &TableBlock{ID: "t"}, tall}, "P T C"},
	} {
		out, keep := docxOrder(r, "一、节", c.blocks)
		var got []string
		for i, b := range out {
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

// A section whose first chart does not fit below its heading and introduction: converted by
// LibreOffice, the heading is on the page of the chart (its title), not alone above white space.
func TestDOCXHeadingStaysWithAChartThatDoesNotFit(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice")
	pics := testPictures(t)
	r := &Report{Kind: "test", Lang: "zh", Title: "版面检验", Sections: []Section{
		{ID: "a", Title: "甲部分", Blocks: []Block{text(400)}},
		{ID: "b", Title: "乙部分", Blocks: []Block{text(60), gridChart("b1", "乙部分的图", 20), text(100)}},
		{ID: "c", Title: "丙部分", Blocks: []Block{text(800), gridChart("c1", "丙部分的图", 20), text(100)}},
	}}
	path := filepath.Join(t.TempDir(), "layout.docx")
	if err := writeFile(path, func(w *os.File) error { return WriteDOCX(w, r, pics) }); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, libreOfficePDF(t, soffice, path))
	pageOf := func(s string) int { // the page holding the line s
		for i, lines := range pages {
			for _, l := range lines {
				if l == s {
					return i + 1
				}
			}
		}
		t.Fatalf("%q is on no page: %q", s, pages)
		return 0
	}
	for _, sec := range []string{"乙部分", "丙部分"} {
		if h, c := pageOf(sec), pageOf(sec+"的图"); h != c {
			t.Errorf("heading %s on page %d, its chart on page %d", sec, h, c)
		}
	}
	checkPages(t, "layout.pdf", pages, headingTexts(r))
}

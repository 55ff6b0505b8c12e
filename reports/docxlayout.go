package reports

import (
	"golang.org/x/text/width"
)

// Keeping a heading with its section's first chart in the Word document.
//
// Word and LibreOffice move a chart that does not fit at the foot of a page to the next one, with
// its title and caption (they are kept together), and leave the rest of the page white. When the
// chart is the first of a section and follows the heading's introduction, that white space sits
// between the heading and the chart it introduces. docxKeep mends it from the page geometry of
// reports/docx (A4, the 公文 margins, exact line heights), estimated without laying the page out:
// when heading, introduction and chart fit on one page, the introduction is kept with the chart,
// so the heading moves to the next page with them and the white space, if any, comes before the
// heading, where a new part starts. When they do not fit, the blocks stay as written: the text
// that introduces a chart always comes before it (a reader reads "下图…" before the picture),
// and a chart that does not fit below the introduction starts the next page.
//
// Small charts are left where they are: the white space they can leave is small.

// Page geometry in points: the text block of A4 with margins 37/35/28/26 mm.
const (
	mmPt       = 72 / 25.4
	pageBodyPt = (297 - 37 - 35) * mmPt
	textWidth  = (210 - 28 - 26) * mmPt
)

// tallChart is the height of a chart (title, picture, caption) above which the white space it
// can leave on a page is worth mending.
const tallChart = pageBodyPt / 3

// keepFits is the share of a page that heading, introduction and chart may fill to be kept
// together: the estimate leaves room for Word's and WPS's own line breaking and fonts.
const keepFits = 0.85

// docxKeep says which of a section's blocks (by position) are kept on the page of the block that
// follows. The blocks are written in their order: nothing moves ahead of the text before it.
func docxKeep(r *Report, title string, blocks []Block) map[int]bool {
	keep := map[int]bool{}
	head := headingPt(1, title) // the section's heading, written before its blocks
	for i := 0; i < len(blocks); {
		if h, ok := blocks[i].(Heading); ok {
			// Consecutive headings are kept together by their style.
			head += headingPt(h.Level, h.Text())
			i++
			continue
		}
		if head == 0 {
			i++
			continue
		}
		j, intro := i, 0.0
		for ; j < len(blocks); j++ {
			p, ok := blocks[j].(Paragraph)
			if !ok {
				break
			}
			intro += paragraphPt(p)
		}
		c, isChart := blockAt(blocks, j).(*Chart)
		if isChart && j > i && chartPt(r, c) > tallChart && head+intro+chartPt(r, c) <= keepFits*pageBodyPt {
			for k := i; k < j; k++ {
				keep[k] = true
			}
		}
		i, head = max(j, i+1), 0
	}
	return keep
}

func blockAt(bs []Block, i int) Block {
	if i < len(bs) {
		return bs[i]
	}
	return nil
}

// lines is how many lines text takes in a column widthEm wide (em of its font), the first line
// indented by indentEm: Chinese characters are one em, other characters about half of one.
func lines(text string, widthEm, indentEm float64) float64 {
	n, used := 1.0, indentEm
	for _, r := range text {
		w := 0.55
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w = 1
		}
		if used+w > widthEm {
			n++
			used = 0
		}
		used += w
	}
	return n
}

// The heights below follow the styles of reports/docx: body 三号 (16 pt) on a 28 pt line,
// headings on the same line (level 1 with 14 pt before), notes 12 pt on 20 pt, chart titles
// 12 pt on 20 pt with 10 and 3 pt around, captions 10.5 pt on 17 pt with 2 and 8 pt around.

func headingPt(level int, text string) float64 {
	h := 28 * lines(text, textWidth/16, 2)
	if level == 1 {
		h += 14
	}
	return h
}

func paragraphPt(p Paragraph) float64 {
	var s string
	for _, sp := range p.Spans {
		s += sp.Text
	}
	if p.Note {
		return 6 + 20*lines(s, (textWidth-10*mmPt)/12, 0)
	}
	return 28 * lines(s, textWidth/16, 2)
}

// chartPt is a chart's height in the document: its title, picture and caption (with the source
// link and the note of a scrolling chart).
func chartPt(r *Report, c *Chart) float64 {
	_, h := pictureMM(chartHeightPx(c))
	caption := c.Caption + t(r.Lang, " [来源]", " [source]") + zoomNote(r, c)
	return 13 + 20*lines(c.Title, textWidth/12, 0) + h*mmPt + 10 + 17*lines(caption, textWidth/10.5, 0)
}

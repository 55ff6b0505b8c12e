package reports

import (
	"fmt"
	"io"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/chartimage"
	"github.com/mingdeng/mingdeng/reports/docx"
)

// DOCXRowLimit is how many rows of a table the Word document shows; the XLSX has them all.
const DOCXRowLimit = 60

// chartWidthPx is the width charts are drawn at for documents: the HTML page's print width.
const chartWidthPx = 680

// Pictures draws charts as PNG for documents. It is not safe for concurrent use.
type Pictures struct{ r *chartimage.Renderer }

// NewPictures loads the embedded ECharts into a JavaScript runtime and finds a font with
// Chinese glyphs on this machine.
func NewPictures() (*Pictures, error) {
	ec, err := loadECharts()
	if err != nil {
		return nil, err
	}
	fonts, err := chartimage.FindFonts()
	if err != nil {
		return nil, err
	}
	r, err := chartimage.New(ec, fonts)
	if err != nil {
		return nil, err
	}
	return &Pictures{r: r}, nil
}

// ChartPNG draws a chart from the same option JSON the HTML page holds, twice the print size.
func (p *Pictures) ChartPNG(c *Chart) (png []byte, w, h int, err error) {
	opt, err := OptionJSON(c)
	if err != nil {
		return nil, 0, 0, err
	}
	h = chartHeightPx(c)
	b, err := p.r.PNG(opt, chartWidthPx, h, 2)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("chart %s: %w", c.ID, err)
	}
	return b, chartWidthPx * 2, h * 2, nil
}

// chartHeightPx is the height a chart is drawn at for documents, in CSS pixels.
func chartHeightPx(c *Chart) int {
	h := c.Height
	if h <= 0 {
		h = 360
	}
	// Taller than an A4 text block at this width would be shrunk by Word: cap it.
	return min(h, 900)
}

// pictureMM is the size of a chart's picture in the document, for a chart hPx high: the text
// width, or narrower for a tall chart (a heatmap of many groups) so it fits on one page with its
// title and caption (Word and LibreOffice drop "keep with next" for a chain that cannot fit).
func pictureMM(hPx int) (w, h float64) {
	w = 156.0
	h = w * float64(hPx) / chartWidthPx
	if maxH := 170.0; h > maxH {
		w, h = maxH*chartWidthPx/float64(hPx), maxH
	}
	return w, h
}

// wordNumbers follows the counters Word's list numbering keeps for the four heading levels,
// so a heading is handed to Word's numbering (title without its number, Word draws the number)
// only when Word would draw the number the model gave it (NumberHeadings); otherwise it keeps
// its number as text, unnumbered, and the document shows the same number as the page.
type wordNumbers struct {
	lang Lang
	c    [MaxHeadingLevel + 1]int
}

func (w *wordNumbers) heading(d *docx.Doc, level int, number, title, bookmark string) {
	if level < 1 || level > MaxHeadingLevel {
		level = MaxHeadingLevel
	}
	if number != "" {
		c := w.c
		c[level]++
		for k := level + 1; k <= MaxHeadingLevel; k++ {
			c[k] = 0
		}
		if headingNumber(w.lang, c[:], level) == number {
			w.c = c
			d.Heading(level, title, true, bookmark)
			return
		}
	}
	d.Heading(level, number+title, false, bookmark)
}

// WriteDOCX writes r as a Word document: the cover lines, each section as a numbered heading
// with its paragraphs, headline figures, charts as pictures drawn from the page's own options,
// and tables as Word tables (the first DOCXRowLimit rows; all are in the XLSX), then the
// appendix 数据来源 with a bookmark per source that the numbers link to. pics may be nil: charts
// are then left out with a sentence saying where they are.
func WriteDOCX(w io.Writer, r *Report, pics *Pictures) error {
	lang := "zh-CN"
	if r.Lang == "en" {
		lang = "en-US"
	}
	d := docx.New(r.Title, lang)
	d.Para(docx.TitleSt, docx.Run{Text: r.Title})
	if r.Subtitle != "" {
		d.Para(docx.Subtitle, docx.Run{Text: r.Subtitle})
	}
	for _, kv := range r.Meta {
		d.Para(docx.Meta, docx.Run{Text: kv.Key + t(r.Lang, "：", ": ") + kv.Value})
	}
	nums := &wordNumbers{lang: r.Lang}
	for _, s := range r.Sections {
		nums.heading(d, 1, s.Number, s.Title, "sec-"+s.ID)
		keep := docxKeep(r, s.Number+s.Title, s.Blocks)
		for i, b := range s.Blocks {
			if p, ok := b.(Paragraph); ok && keep[i] {
				d.ParaKept(paragraphStyle(p), docxRuns(p.Spans)...)
				continue
			}
			if err := docxBlock(d, r, b, pics, nums); err != nil {
				return err
			}
		}
	}
	if len(r.Sources) > 0 {
		docxSources(d, r)
	}
	return d.Write(w)
}

func docxRuns(ss []Span) []docx.Run {
	out := make([]docx.Run, 0, len(ss))
	for _, s := range ss {
		r := docx.Run{Text: s.Text}
		if s.Ref != "" {
			r.Anchor = "src-" + s.Ref
		}
		out = append(out, r)
	}
	return out
}

func sourceRun(lang Lang, ref string) []docx.Run {
	if ref == "" {
		return nil
	}
	return []docx.Run{{Text: t(lang, " [来源]", " [source]"), Anchor: "src-" + ref}}
}

func paragraphStyle(p Paragraph) string {
	if p.Note {
		return docx.Note
	}
	return docx.Body
}

func docxBlock(d *docx.Doc, r *Report, b Block, pics *Pictures, nums *wordNumbers) error {
	lang := r.Lang
	switch x := b.(type) {
	case Heading:
		nums.heading(d, x.Level, x.Number, x.Title, x.ID)
	case Paragraph:
		d.Para(paragraphStyle(x), docxRuns(x.Spans)...)
	case Bullets:
		for _, it := range x.Items {
			d.Para(docx.Bullet, docxRuns(it)...)
		}
	case Figures:
		rows := make([][]docx.Cell, 0, len(x.Items))
		for _, f := range x.Items {
			v := docx.Run{Text: f.Value, Bold: true}
			if f.Ref != "" {
				v.Anchor = "src-" + f.Ref
			}
			rows = append(rows, []docx.Cell{{Runs: []docx.Run{{Text: f.Label}}}, {Runs: []docx.Run{v, {Text: " " + f.Unit}}, Num: true},
				{Runs: []docx.Run{{Text: f.Note}}}})
		}
		d.Table([]string{t(lang, "指标", "figure"), t(lang, "数值", "value"), t(lang, "说明", "note")}, rows, []float64{3, 2, 4})
	case *Chart:
		d.Para(docx.FigTitle, docx.Run{Text: x.Title})
		if pics == nil {
			d.Para(docx.Caption, docx.Run{Text: t(lang, "（图表见同名 HTML 报告；数据见 XLSX 文件工作表 ", "(The chart is in the HTML report; its data is in the XLSX sheet ") + r.sheetFor(x.ID) + t(lang, "。）", ".)")})
		} else {
			png, pw, ph, err := pics.ChartPNG(x)
			if err != nil {
				return err
			}
			widthMM, _ := pictureMM(ph / 2)
			d.Picture(png, pw, ph, widthMM, x.Title)
		}
		cap := append([]docx.Run{{Text: x.Caption}}, sourceRun(lang, x.Ref)...)
		if note := zoomNote(r, x); note != "" {
			cap = append(cap, docx.Run{Text: note})
		}
		d.Para(docx.Caption, cap...)
	case *TableBlock:
		d.Para(docx.FigTitle, append([]docx.Run{{Text: x.Caption}}, sourceRun(lang, x.Ref)...)...)
		n := 0
		if x.Table != nil {
			n = len(x.Table.Rows)
		}
		if x.FileOnly || x.Table == nil {
			d.Para(docx.Caption, docx.Run{Text: fileOnlyNote(lang, n, r.sheetFor(x.ID))})
			return nil
		}
		limit := x.Limit
		if limit <= 0 || limit > DOCXRowLimit {
			limit = DOCXRowLimit
		}
		docxTable(d, r, x.Table, limit)
		if n > limit {
			d.Para(docx.Caption, docx.Run{Text: fmt.Sprintf(t(lang, "表中列出前 %d 行，另有 %d 行见 XLSX 文件工作表 %s。",
				"The first %d rows are shown; %d more are in the XLSX sheet %s."), limit, n-limit, r.sheetFor(x.ID))})
		}
	}
	return nil
}

// zoomNote says, for print and documents, that a chart which scrolls on the page shows only its
// first rows there, and where all of them are; "" for a chart that shows everything.
func zoomNote(r *Report, c *Chart) string {
	if len(c.Option.DataZoom) == 0 || c.Data == nil || zoomRows(c) >= len(c.Data.Rows) {
		return ""
	}
	return fmt.Sprintf(t(r.Lang, "印刷版图中显示前 %d 行（共 %d 行），全部数据见 XLSX 文件工作表 %s。",
		" In print the chart shows the first %d of %d rows; all are in the XLSX sheet %s."), zoomRows(c), len(c.Data.Rows), r.sheetFor(c.ID))
}

// zoomRows is how many category rows the chart's data zoom shows.
func zoomRows(c *Chart) int {
	for _, z := range c.Option.DataZoom {
		if z.StartValue != nil && z.EndValue != nil {
			return *z.EndValue - *z.StartValue + 1
		}
	}
	return len(c.Data.Rows)
}

func docxTable(d *docx.Doc, r *Report, tb *queries.Table, limit int) {
	header := make([]string, len(tb.Columns))
	cols := make([]docxColumn, len(tb.Columns))
	for i, c := range tb.Columns {
		header[i] = c.Name
		cols[i] = docxColumn{head: float64(min(24, displayWidth(c.Name))), numeric: true}
	}
	var rows [][]docx.Cell
	for i, row := range tb.Rows {
		if i >= limit {
			break
		}
		cells := make([]docx.Cell, len(row))
		for j, v := range row {
			s := cellText(v, column(tb, j), r.Lang, r.NoRecord)
			cells[j] = docx.Cell{Runs: []docx.Run{{Text: s}}, Num: isNumber(v)}
			if j < len(cols) {
				cols[j].content = max(cols[j].content, float64(min(24, displayWidth(s))))
				cols[j].numeric = cols[j].numeric && (v == nil || isNumber(v))
			}
		}
		rows = append(rows, cells)
	}
	d.Table(header, rows, columnWidths(cols))
}

// docxColumn is what a table column holds, in half-width characters (a CJK character is two).
type docxColumn struct {
	head, content float64 // the header's width and the widest cell's
	numeric       bool    // every cell a number (or empty)
}

// docxPageChars is the text width (156 mm) in half-width characters of the 10.5 pt table text;
// docxCellMargin the cells' left and right margins (80 twips each) in the same unit.
const docxPageChars, docxCellMargin = 84.0, 1.6

// columnWidths gives each column the width of its header and widest cell when the table fits
// the page. When it does not, every column first gets the least it can be read at — a number's
// whole width (split over lines, "73.5" as 7 / 3. / 5 cannot be read), a text's up to four CJK
// characters (a header wraps instead) — and the rest of the page is shared in proportion to
// what each still lacks.
func columnWidths(cols []docxColumn) []float64 {
	want := make([]float64, len(cols))
	least := make([]float64, len(cols))
	var sumWant, sumLeast float64
	for i, c := range cols {
		want[i] = max(4, c.head, c.content) + docxCellMargin
		if c.numeric {
			least[i] = max(4, c.content) + docxCellMargin
		} else {
			least[i] = max(4, min(8, c.content)) + docxCellMargin
		}
		least[i] = min(least[i], want[i])
		sumWant += want[i]
		sumLeast += least[i]
	}
	if sumWant <= docxPageChars || sumLeast >= docxPageChars {
		if sumWant <= docxPageChars {
			return want
		}
		return least
	}
	share := (docxPageChars - sumLeast) / (sumWant - sumLeast)
	out := make([]float64, len(cols))
	for i := range cols {
		out[i] = least[i] + share*(want[i]-least[i])
	}
	return out
}

// displayWidth counts a CJK character as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x2E80 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func docxSources(d *docx.Doc, r *Report) {
	lang := r.Lang
	d.Heading(1, t(lang, "附录　数据来源", "Appendix: data sources"), false, "md-sources")
	d.Para(docx.Body, docx.Run{Text: t(lang, "报告中的每个数字都由下列查询得出；在同一数据仓库上运行对应命令即可复核。",
		"Every number in this report comes from one of these queries; run the command on the same warehouse to check it.")})
	rows := make([][]docx.Cell, 0, len(r.Sources))
	for _, s := range r.Sources {
		rows = append(rows, []docx.Cell{{Runs: []docx.Run{{Text: s.ID}}, Bookmark: "src-" + s.ID}, {Runs: []docx.Run{{Text: s.Query}}},
			{Runs: []docx.Run{{Text: s.Params}}}, {Runs: []docx.Run{{Text: s.Command}}}})
	}
	d.Table([]string{"#", t(lang, "查询", "query"), t(lang, "参数", "parameters"), t(lang, "复核命令", "command")}, rows, []float64{2, 5, 6, 10})
}

// Package docx writes a Word document (Office Open XML, .docx) of headings, paragraphs, tables
// and pictures, laid out as a Chinese official document (公文): A4 with its margins, page
// numbers in the footer, 仿宋 body text, 黑体/楷体 headings numbered 一、（一）1.（1）by Word's
// own list numbering, and 宋体 tables. It writes the small part of WordprocessingML those need,
// read the same way by Word, WPS and LibreOffice.
//
// It is not a general DOCX library: no reading, no tracked changes, no fields but the page number.
package docx

import (
	"archive/zip"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Run is a piece of text in a paragraph; Anchor makes it a link to a bookmark.
type Run struct {
	Text   string
	Bold   bool
	Anchor string
}

// Doc is a document being built.
type Doc struct {
	Title   string
	Lang    string // zh-CN or en-US
	body    strings.Builder
	images  [][]byte
	bookmID int
	created time.Time
}

// New starts a document.
func New(title, lang string) *Doc {
	if lang == "" {
		lang = "zh-CN"
	}
	return &Doc{Title: title, Lang: lang, created: time.Now().UTC()}
}

// SetCreated fixes the creation time recorded in the document's properties (tests).
func (d *Doc) SetCreated(t time.Time) { d.created = t.UTC() }

var xmlEsc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// esc escapes text and drops characters XML 1.0 cannot hold.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	return xmlEsc.Replace(s)
}

func (d *Doc) w(parts ...string) {
	for _, p := range parts {
		d.body.WriteString(p)
	}
}

func runXML(r Run, extra string) string {
	rpr := extra
	if r.Bold {
		rpr += "<w:b/><w:bCs/>"
	}
	out := "<w:r>"
	if rpr != "" {
		out += "<w:rPr>" + rpr + "</w:rPr>"
	}
	return out + `<w:t xml:space="preserve">` + esc(r.Text) + "</w:t></w:r>"
}

func (d *Doc) runs(rs []Run) {
	for _, r := range rs {
		if r.Anchor != "" {
			d.w(`<w:hyperlink w:anchor="`, esc(r.Anchor), `" w:history="1">`, runXML(r, `<w:rStyle w:val="Link"/>`), "</w:hyperlink>")
			continue
		}
		d.w(runXML(r, ""))
	}
}

// Heading adds a heading of level 1–4. numbered puts it in the 公文 list (一、（一）1.（1）);
// Word numbers it, so text holds no number.
func (d *Doc) Heading(level int, text string, numbered bool, bookmark string) {
	if level < 1 {
		level = 1
	}
	if level > 4 {
		level = 4
	}
	d.w(`<w:p><w:pPr><w:pStyle w:val="Heading`, strconv.Itoa(level), `"/>`)
	if !numbered {
		d.w(`<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>`)
	}
	d.w("</w:pPr>")
	d.bookmark(bookmark, func() { d.runs([]Run{{Text: text}}) })
	d.w("</w:p>")
}

func (d *Doc) bookmark(name string, inner func()) {
	if name == "" {
		inner()
		return
	}
	d.bookmID++
	id := strconv.Itoa(d.bookmID)
	d.w(`<w:bookmarkStart w:id="`, id, `" w:name="`, esc(name), `"/>`)
	inner()
	d.w(`<w:bookmarkEnd w:id="`, id, `"/>`)
}

// Style names of paragraphs.
const (
	Body     = "Body"     // 仿宋, first line indented two characters
	Note     = "Note"     // smaller, for caveats and method notes
	Caption  = "Caption"  // under a chart or table
	FigTitle = "FigTitle" // a chart's or table's title, kept with what follows
	Subtitle = "Subtitle"
	Meta     = "Meta"
	Bullet   = "Bullet"
	TitleSt  = "Title"
)

// Para adds a paragraph in a style.
func (d *Doc) Para(style string, rs ...Run) {
	d.w(`<w:p><w:pPr><w:pStyle w:val="`, style, `"/></w:pPr>`)
	d.runs(rs)
	d.w("</w:p>")
}

// ParaKept adds a paragraph kept whole on the page of the paragraph that follows (an
// introduction moved to the next page with the chart it introduces).
func (d *Doc) ParaKept(style string, rs ...Run) {
	d.w(`<w:p><w:pPr><w:pStyle w:val="`, style, `"/><w:keepNext/><w:keepLines/></w:pPr>`)
	d.runs(rs)
	d.w("</w:p>")
}

// Picture adds a PNG picture widthMM wide (its height from the pixel ratio), centred, kept on
// the page of the paragraph that follows.
func (d *Doc) Picture(png []byte, pxW, pxH int, widthMM float64, alt string) {
	d.images = append(d.images, png)
	n := len(d.images)
	const emuPerMM = 36000
	cx := int64(widthMM * emuPerMM)
	cy := cx * int64(pxH) / int64(pxW)
	id := strconv.Itoa(n)
	rid := "rIdImg" + id
	d.w(`<w:p><w:pPr><w:pStyle w:val="Picture"/></w:pPr><w:r><w:drawing>`,
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="`, i64(cx), `" cy="`, i64(cy), `"/>`,
		`<wp:docPr id="`, id, `" name="Picture `, id, `" descr="`, esc(alt), `"/>`,
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr>`,
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">`,
		`<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="`, id, `" name="image`, id, `.png"/><pic:cNvPicPr/></pic:nvPicPr>`,
		`<pic:blipFill><a:blip r:embed="`, rid, `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`,
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="`, i64(cx), `" cy="`, i64(cy), `"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>`,
		`</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
}

func i64(v int64) string { return strconv.FormatInt(v, 10) }

// Cell is a table cell: runs, right-aligned when Num, a bookmark when Bookmark is set.
type Cell struct {
	Runs     []Run
	Num      bool
	Bookmark string
}

// Table adds a table: the header row repeats on every page, rows do not split across pages.
// widths are relative column widths (nil: equal).
func (d *Doc) Table(header []string, rows [][]Cell, widths []float64) {
	const textTwips = 8844 // 156 mm of text width
	if len(header) == 0 {
		return
	}
	if len(widths) != len(header) {
		widths = make([]float64, len(header))
		for i := range widths {
			widths[i] = 1
		}
	}
	var sum float64
	for _, w := range widths {
		sum += w
	}
	tw := make([]string, len(widths))
	d.w(`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="`, strconv.Itoa(textTwips), `" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for i, w := range widths {
		tw[i] = strconv.Itoa(int(float64(textTwips) * w / sum))
		d.w(`<w:gridCol w:w="`, tw[i], `"/>`)
	}
	d.w("</w:tblGrid>")
	d.w(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
	for i, h := range header {
		d.w(`<w:tc><w:tcPr><w:tcW w:w="`, tw[i], `" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="E8ECF0"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableHead"/></w:pPr>`, runXML(Run{Text: h}, ""), "</w:p></w:tc>")
	}
	d.w("</w:tr>")
	for _, row := range rows {
		d.w(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i := range header {
			var c Cell
			if i < len(row) {
				c = row[i]
			}
			style := "TableText"
			if c.Num {
				style = "TableNum"
			}
			d.w(`<w:tc><w:tcPr><w:tcW w:w="`, tw[i], `" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="`, style, `"/></w:pPr>`)
			d.bookmark(c.Bookmark, func() { d.runs(c.Runs) })
			d.w("</w:p></w:tc>")
		}
		d.w("</w:tr>")
	}
	d.w("</w:tbl>")
	// Word needs a paragraph between two tables, and one after a table before the section end.
	d.w(`<w:p><w:pPr><w:pStyle w:val="AfterTable"/></w:pPr></w:p>`)
}

// PageBreak starts a new page.
func (d *Doc) PageBreak() { d.w(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`) }

// Write writes the document as a .docx archive.
func (d *Doc) Write(out io.Writer) error {
	z := zip.NewWriter(out)
	add := func(name, content string) error {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: d.created}
		f, err := z.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, content)
		return err
	}
	var rels strings.Builder
	rels.WriteString(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>` +
		`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
		`<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
		`<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>`)
	for i := range d.images {
		n := strconv.Itoa(i + 1)
		rels.WriteString(`<Relationship Id="rIdImg` + n + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image` + n + `.png"/>`)
	}
	rels.WriteString(`</Relationships>`)
	document := xmlHead + `<w:document ` + nsW + `><w:body>` + d.body.String() +
		`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>` +
		`<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/>` +
		`<w:pgNumType w:fmt="decimal" w:start="1"/><w:docGrid w:linePitch="312"/></w:sectPr></w:body></w:document>`
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", d.core()},
		{"docProps/app.xml", appXML},
		{"word/document.xml", document},
		{"word/_rels/document.xml.rels", rels.String()},
		{"word/styles.xml", stylesXML(d.Lang)},
		{"word/numbering.xml", numberingXML(d.Lang)},
		{"word/settings.xml", settingsXML(d.Lang)},
		{"word/fontTable.xml", fontTableXML},
		{"word/footer1.xml", footerXML},
	}
	for _, p := range parts {
		if err := add(p.name, p.content); err != nil {
			return err
		}
	}
	for i, img := range d.images {
		h := &zip.FileHeader{Name: fmt.Sprintf("word/media/image%d.png", i+1), Method: zip.Store, Modified: d.created}
		f, err := z.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := f.Write(img); err != nil {
			return err
		}
	}
	return z.Close()
}

func (d *Doc) core() string {
	ts := d.created.Format("2006-01-02T15:04:05Z")
	return xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.Title) + `</dc:title><dc:creator>mingdeng</dc:creator><dc:language>` + esc(d.Lang) + `</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:modified></cp:coreProperties>`
}

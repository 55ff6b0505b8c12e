package reports

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

//go:embed runtime.js
var runtimeJS string

//go:embed style.css
var styleCSS string

var (
	echartsOnce sync.Once
	echartsSrc  []byte
	echartsErr  error
)

func loadECharts() ([]byte, error) {
	echartsOnce.Do(func() { echartsSrc, echartsErr = echartsJS() })
	return echartsSrc, echartsErr
}

// HTMLRowLimit is how many rows of a data table an HTML or Markdown report shows by default;
// the XLSX beside it holds them all.
const HTMLRowLimit = 200

// WriteHTML writes r as one self-contained HTML page: ECharts and the page script inlined, no
// external fonts, scripts, images or styles (a Content-Security-Policy forbids any load).
func WriteHTML(w io.Writer, r *Report) error {
	ec, err := loadECharts()
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	p := &htmlWriter{w: bw, r: r}
	p.page(ec)
	if p.err != nil {
		return p.err
	}
	return bw.Flush()
}

type htmlWriter struct {
	w   *bufio.Writer
	r   *Report
	err error
}

func (p *htmlWriter) s(parts ...string) {
	for _, s := range parts {
		if p.err == nil {
			_, p.err = p.w.WriteString(s)
		}
	}
}

// e escapes text for HTML content and attribute values.
func e(s string) string { return html.EscapeString(s) }

func scriptHash(src []byte) string {
	sum := sha256.Sum256(src)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

func (p *htmlWriter) page(ec []byte) {
	r := p.r
	lang := "zh-CN"
	if r.Lang == "en" {
		lang = "en"
	}
	// Inline scripts are allowed by hash only, so injected markup can run nothing; no load of
	// anything from anywhere (default-src 'none').
	csp := "default-src 'none'; script-src " + scriptHash(ec) + " " + scriptHash([]byte(runtimeJS)) +
		"; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
	p.s("<!DOCTYPE html>\n<html lang=\"", lang, "\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<meta http-equiv=\"Content-Security-Policy\" content=\"", e(csp), "\">\n",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
		"<meta name=\"generator\" content=\"mingdeng (ECharts ", EChartsVersion, ")\">\n",
		"<title>", e(r.Title), "</title>\n<style>\n", styleCSS, "</style>\n</head>\n<body>\n")
	p.s("<header class=\"md-cover\">\n<h1>", e(r.Title), "</h1>\n")
	if r.Subtitle != "" {
		p.s("<p class=\"md-sub\">", e(r.Subtitle), "</p>\n")
	}
	if len(r.Meta) > 0 {
		p.s("<dl class=\"md-meta\">")
		for _, kv := range r.Meta {
			p.s("<dt>", e(kv.Key), "</dt><dd>", e(kv.Value), "</dd>")
		}
		p.s("</dl>\n")
	}
	p.s("<nav class=\"md-toc\"><h2>", e(t(r.Lang, "目录", "Contents")), "</h2><ol>")
	for _, s := range r.Sections {
		p.s("<li><a href=\"#", e(s.ID), "\">", e(s.Heading()), "</a></li>")
	}
	if len(r.Sources) > 0 {
		p.s("<li><a href=\"#md-sources\">", e(t(r.Lang, "数据来源", "Data sources")), "</a></li>")
	}
	p.s("</ol></nav>\n</header>\n<main>\n")
	for _, s := range r.Sections {
		p.s("<section class=\"md-section\" id=\"", e(s.ID), "\">\n<h2>", e(s.Heading()), "</h2>\n")
		for _, b := range s.Blocks {
			p.block(b)
		}
		p.s("</section>\n")
	}
	if len(r.Sources) > 0 {
		p.sources()
	}
	p.s("</main>\n<footer>", e(t(r.Lang,
		"本报告由 mingdeng 生成，可离线打开；图表数据见各图下方“显示数据”及同目录下的 XLSX 文件。",
		"Made by mingdeng; opens offline. The data behind each chart is under “show data” and in the XLSX file beside this page.")),
		"</footer>\n")
	p.s("<script>")
	if p.err == nil {
		_, p.err = p.w.Write(ec)
	}
	p.s("</script>\n<script>", runtimeJS, "</script>\n</body>\n</html>\n")
}

func (p *htmlWriter) spans(ss []Span) {
	for _, sp := range ss {
		if sp.Ref != "" {
			p.s("<a class=\"md-ref\" href=\"#src-", e(sp.Ref), "\" title=\"", e(p.sourceTitle(sp.Ref)), "\">", e(sp.Text), "</a>")
		} else {
			p.s(e(sp.Text))
		}
	}
}

func (p *htmlWriter) sourceTitle(id string) string {
	for _, s := range p.r.Sources {
		if s.ID == id {
			return s.Command
		}
	}
	return id
}

func (p *htmlWriter) refLink(id string) {
	if id == "" {
		return
	}
	p.s(" <a class=\"md-ref\" href=\"#src-", e(id), "\" title=\"", e(p.sourceTitle(id)), "\">[", e(t(p.r.Lang, "来源", "source")), "]</a>")
}

func (p *htmlWriter) block(b Block) {
	lang := p.r.Lang
	switch x := b.(type) {
	case Heading:
		// Section titles are <h2>; headings inside a section, levels 2–4, are <h3>–<h5>.
		tag := "h" + strconv.Itoa(min(max(x.Level, 2), MaxHeadingLevel)+1)
		p.s("<", tag)
		if x.ID != "" {
			p.s(" id=\"", e(x.ID), "\"")
		}
		p.s(" class=\"md-h", strconv.Itoa(x.Level), "\">", e(x.Text()), "</", tag, ">\n")
	case Paragraph:
		if x.Note {
			p.s("<p class=\"md-note\">")
		} else {
			p.s("<p>")
		}
		p.spans(x.Spans)
		p.s("</p>\n")
	case Bullets:
		p.s("<ul>")
		for _, it := range x.Items {
			p.s("<li>")
			p.spans(it)
			p.s("</li>")
		}
		p.s("</ul>\n")
	case Figures:
		p.s("<div class=\"md-figures\">")
		for _, f := range x.Items {
			p.s("<div class=\"md-fig\"><div class=\"l\">", e(f.Label), "</div><div>")
			if f.Ref != "" {
				p.s("<a class=\"md-ref v\" href=\"#src-", e(f.Ref), "\" title=\"", e(p.sourceTitle(f.Ref)), "\">", e(f.Value), "</a>")
			} else {
				p.s("<span class=\"v\">", e(f.Value), "</span>")
			}
			p.s("<span class=\"u\">", e(f.Unit), "</span></div>")
			if f.Note != "" {
				p.s("<div class=\"n\">", e(f.Note), "</div>")
			}
			p.s("</div>")
		}
		p.s("</div>\n")
	case *Chart:
		opt, err := OptionJSON(x)
		if err != nil && p.err == nil {
			p.err = fmt.Errorf("chart %s: %w", x.ID, err)
			return
		}
		h := x.Height
		if h <= 0 {
			h = 360
		}
		p.s("<figure class=\"md-figure\" id=\"fig-", e(x.ID), "\">\n<div class=\"md-title\">", e(x.Title), "</div>\n",
			"<div class=\"md-chart\" id=\"", e(x.ID), "\" data-md-tooltip=\"", e(string(x.Tooltip)), "\" style=\"height:", strconv.Itoa(h), "px\" role=\"img\" aria-label=\"", e(x.Title), "\"></div>\n",
			"<script type=\"application/json\" id=\"md-opt-", e(x.ID), "\">", string(opt), "</script>\n")
		p.s("<p class=\"md-caption\">", e(x.Caption))
		p.refLink(x.Ref)
		p.s("</p>\n")
		if note := zoomNote(p.r, x); note != "" {
			p.s("<p class=\"md-caption md-print\">", e(note), "</p>\n")
		}
		if x.Data != nil {
			p.s("<details><summary>", e(t(lang, "显示数据", "Show data")), "</summary>")
			p.table(x.Data, HTMLRowLimit, x.ID)
			p.s("</details>\n")
		}
		p.s("</figure>\n")
	case *TableBlock:
		p.s("<figure class=\"md-figure md-tablefig\" id=\"", e(x.ID), "\"><div class=\"md-title\">", e(x.Caption))
		p.refLink(x.Ref)
		p.s("</div>")
		if x.FileOnly {
			n := 0
			if x.Table != nil {
				n = len(x.Table.Rows)
			}
			p.s("<p class=\"md-more\">", e(fileOnlyNote(lang, n, p.r.sheetFor(x.ID))), "</p></figure>\n")
			return
		}
		limit := x.Limit
		if limit <= 0 {
			limit = HTMLRowLimit
		}
		p.table(x.Table, limit, x.ID)
		p.s("</figure>\n")
	}
}

// table writes the first limit rows of tb, the table with this ID, and says which sheet of
// the XLSX holds the rest.
func (p *htmlWriter) table(tb *queries.Table, limit int, id string) {
	if tb == nil {
		return
	}
	p.s("<div class=\"md-table-wrap\"><table><thead><tr>")
	for _, c := range tb.Columns {
		p.s("<th>", e(c.Name), "</th>")
	}
	p.s("</tr></thead><tbody>")
	for i, row := range tb.Rows {
		if i >= limit {
			break
		}
		p.s("<tr>")
		for j, v := range row {
			cell := cellText(v, column(tb, j), p.r.Lang, p.r.NoRecord)
			if isNumber(v) {
				p.s("<td class=\"num\">", e(cell), "</td>")
			} else {
				p.s("<td>", e(cell), "</td>")
			}
		}
		p.s("</tr>")
	}
	p.s("</tbody></table></div>")
	if n := len(tb.Rows); n > limit {
		p.s("<p class=\"md-more\">", e(moreRowsNote(p.r.Lang, n-limit, p.r.sheetFor(id))), "</p>")
	}
}

func (p *htmlWriter) sources() {
	lang := p.r.Lang
	p.s("<section class=\"md-section\" id=\"md-sources\">\n<h2>", e(t(lang, "数据来源", "Data sources")), "</h2>\n<p>",
		e(t(lang, "报告中的每个数字都由下列查询得出；在同一数据仓库上运行对应命令即可复核。",
			"Every number in this report comes from one of these queries; run the command on the same warehouse to check it.")),
		"</p>\n<div class=\"md-table-wrap\"><table><thead><tr><th>#</th><th>", e(t(lang, "查询", "query")), "</th><th>",
		e(t(lang, "参数", "parameters")), "</th><th>", e(t(lang, "复核命令", "command")), "</th></tr></thead><tbody>")
	for _, s := range p.r.Sources {
		p.s("<tr id=\"src-", e(s.ID), "\"><td>", e(s.ID), "</td><td><code>", e(s.Query), "</code></td><td><code>", e(s.Params), "</code>",
			"</td><td><code>", e(s.Command), "</code></td></tr>")
	}
	p.s("</tbody></table></div>\n</section>\n")
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, int, float64:
		return true
	}
	return false
}

// FormatValue formats a table cell for reading: floats with at most 3 decimals.
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return FormatNum(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		if x {
			return "✓"
		}
		return ""
	case time.Time:
		return x.Format("2006-01-02")
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// FormatNum formats a number for text: "–" for NaN, at most 3 decimals, no trailing zeros.
func FormatNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	a := math.Abs(x)
	switch {
	case a != 0 && a < 0.001:
		// Two significant digits in plain decimals (0.00022): a report's reader does not read
		// 2.2e-04.
		return zhtext.Decimal(x)
	case a >= 1000:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	s := strconv.FormatFloat(x, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/mingdeng/mingdeng/queries"
)

// mdEscape makes text from the data inert in Markdown: no HTML, no links, no emphasis, no
// table breaks. Markdown is also read as plain text (in an editor, a mail), so characters are
// escaped only where Markdown would read them as markup, with a backslash rather than an HTML
// entity: "p < 0.001" stays as written, "<img" becomes "\<img", "&amp;" becomes "\&amp;".
var mdEscape = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "#", `\#`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

func md(s string) string {
	s = mdEscape.Replace(s)
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if startsMarkup(s, i) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// startsMarkup reports whether s[i] begins markup CommonMark would read: "<" before a letter,
// "/", "!" or "?" (an HTML tag, comment or autolink), or "&" starting a character reference
// ("&amp;", "&#60;"). Anywhere else both are read as themselves.
func startsMarkup(s string, i int) bool {
	if i+1 >= len(s) {
		return false
	}
	letter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	switch s[i] {
	case '<':
		c := s[i+1]
		return letter(c) || c == '/' || c == '!' || c == '?'
	case '&':
		j := i + 1
		for j < len(s) && (letter(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == '#') {
			j++
		}
		return j > i+1 && j < len(s) && s[j] == ';'
	}
	return false
}

// mdLine is md for text that begins a line: a leading ">" would open a block quote.
func mdLine(s string) string {
	e := md(s)
	if t := strings.TrimLeft(e, " "); strings.HasPrefix(t, ">") {
		return strings.Repeat(" ", len(e)-len(t)) + `\` + t
	}
	return e
}

// WriteMarkdown writes r as Markdown: the same sections, each chart as its title, caption and
// data table; numbers link to the data-source list at the end.
func WriteMarkdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	p("# %s\n\n", md(r.Title))
	if r.Subtitle != "" {
		p("%s\n\n", mdLine(r.Subtitle))
	}
	for _, kv := range r.Meta {
		p("- %s%s%s\n", md(kv.Key), t(r.Lang, "：", ": "), md(kv.Value))
	}
	if len(r.Meta) > 0 {
		p("\n")
	}
	for _, s := range r.Sections {
		p("## %s\n\n", md(s.Heading()))
		for _, b := range s.Blocks {
			switch x := b.(type) {
			case Heading:
				// Sections are ##; headings inside them, levels 2–4, are ### to #####.
				p("%s %s\n\n", strings.Repeat("#", min(max(x.Level, 2), MaxHeadingLevel)+1), md(x.Text()))
			case Paragraph:
				if x.Note {
					p("> %s\n\n", mdSpans(x.Spans))
				} else {
					p("%s\n\n", mdSpans(x.Spans))
				}
			case Bullets:
				for _, it := range x.Items {
					p("- %s\n", mdSpans(it))
				}
				p("\n")
			case Figures:
				for _, f := range x.Items {
					v := md(f.Value)
					if f.Ref != "" {
						v = fmt.Sprintf("[%s](#src-%s)", v, f.Ref)
					}
					line := fmt.Sprintf("- **%s**%s%s", md(f.Label), t(r.Lang, "：", ": "), v)
					if f.Unit != "" {
						line += " " + md(f.Unit)
					}
					if f.Note != "" {
						line += t(r.Lang, "（", " (") + md(f.Note) + t(r.Lang, "）", ")")
					}
					p("%s\n", strings.TrimRight(line, " "))
				}
				p("\n")
			case *Chart:
				// A chart's title is a caption, not a heading: headings carry the document's outline.
				p("**%s**\n\n%s", md(x.Title), mdLine(x.Caption))
				if x.Ref != "" {
					p(" [%s](#src-%s)", t(r.Lang, "来源", "source"), x.Ref)
				}
				p("\n\n")
				if x.Data != nil {
					mdTable(bw, r, x.Data, HTMLRowLimit, x.ID)
				}
			case *TableBlock:
				p("**%s**", md(x.Caption))
				if x.Ref != "" {
					p(" [%s](#src-%s)", t(r.Lang, "来源", "source"), x.Ref)
				}
				p("\n\n")
				if x.FileOnly {
					n := 0
					if x.Table != nil {
						n = len(x.Table.Rows)
					}
					p("%s\n\n", md(fileOnlyNote(r.Lang, n, r.sheetFor(x.ID))))
					continue
				}
				limit := x.Limit
				if limit <= 0 {
					limit = HTMLRowLimit
				}
				mdTable(bw, r, x.Table, limit, x.ID)
			}
		}
	}
	if len(r.Sources) > 0 {
		p("## %s\n\n", t(r.Lang, "数据来源", "Data sources"))
		for _, s := range r.Sources {
			params := ""
			if s.Params != "" { // no empty code span where a query takes no parameters
				params = " `" + strings.ReplaceAll(s.Params, "`", "") + "`"
			}
			p("- <a id=\"src-%s\"></a>**%s** `%s`%s — `%s`\n", s.ID, s.ID, strings.ReplaceAll(s.Query, "`", ""), params, strings.ReplaceAll(s.Command, "`", ""))
		}
		p("\n")
	}
	return bw.Flush()
}

func mdSpans(ss []Span) string {
	var b strings.Builder
	for _, sp := range ss {
		if sp.Ref != "" {
			fmt.Fprintf(&b, "[%s](#src-%s)", md(sp.Text), sp.Ref)
		} else if b.Len() == 0 {
			b.WriteString(mdLine(sp.Text))
		} else {
			b.WriteString(md(sp.Text))
		}
	}
	return b.String()
}

func mdTable(w io.Writer, r *Report, tb *queries.Table, limit int, id string) {
	lang := r.Lang
	if tb == nil || len(tb.Columns) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("|")
	for _, c := range tb.Columns {
		b.WriteString(" " + md(c.Name) + " |")
	}
	b.WriteString("\n|")
	for _, c := range tb.Columns {
		if c.Type == queries.Integer || c.Type == queries.Float {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for i, row := range tb.Rows {
		if i >= limit {
			break
		}
		b.WriteString("|")
		for j, v := range row {
			b.WriteString(" " + md(cellText(v, column(tb, j), lang, r.NoRecord)) + " |")
		}
		b.WriteString("\n")
	}
	if n := len(tb.Rows); n > limit {
		fmt.Fprintf(&b, "\n%s\n", md(moreRowsNote(lang, n-limit, r.sheetFor(id))))
	}
	b.WriteString("\n")
	io.WriteString(w, b.String())
}

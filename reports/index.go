package reports

import (
	"bufio"
	"io"
)

// IndexEntry is one report of an index page: what it covers and the files written for it, or
// why there is none.
type IndexEntry struct {
	Name  string // the unit's name
	Code  string
	Files []IndexFile
	Note  string // set when no report was written (no records, an error)
}

// IndexFile is one file of an entry, linked by its path relative to the index page.
type IndexFile struct {
	Label, Href string
}

// Index is a page listing one report per unit.
type Index struct {
	Lang     Lang
	Title    string
	Subtitle string
	Entries  []IndexEntry
}

// WriteIndex writes the index as one self-contained HTML page (no script, nothing loaded).
func WriteIndex(w io.Writer, ix *Index) error {
	bw := bufio.NewWriter(w)
	lang := "zh-CN"
	if ix.Lang == "en" {
		lang = "en"
	}
	s := func(parts ...string) {
		for _, p := range parts {
			bw.WriteString(p)
		}
	}
	s("<!DOCTYPE html>\n<html lang=\"", lang, "\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", e(ix.Title), "</title>\n<style>\n", styleCSS, "</style>\n</head>\n<body>\n",
		"<header class=\"md-cover\"><h1>", e(ix.Title), "</h1>")
	if ix.Subtitle != "" {
		s("<p class=\"md-sub\">", e(ix.Subtitle), "</p>")
	}
	s("</header>\n<main>\n<div class=\"md-table-wrap\"><table><thead><tr><th>", e(t(ix.Lang, "单位", "unit")), "</th><th>",
		e(t(ix.Lang, "代码", "code")), "</th><th>", e(t(ix.Lang, "报告", "report")), "</th></tr></thead><tbody>\n")
	for _, en := range ix.Entries {
		s("<tr><td>", e(en.Name), "</td><td>", e(en.Code), "</td><td>")
		if en.Note != "" {
			s("<span class=\"md-more\">", e(en.Note), "</span>")
		}
		for i, f := range en.Files {
			if i > 0 {
				s(" · ")
			}
			s("<a href=\"", e(f.Href), "\">", e(f.Label), "</a>")
		}
		s("</td></tr>\n")
	}
	s("</tbody></table></div>\n</main>\n</body>\n</html>\n")
	return bw.Flush()
}

package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

// ScopeLister is a Backend that lists the units and their party groups by name, for the
// report pickers (no codes to type).
type ScopeLister interface {
	Scopes(ctx context.Context) ([]UnitScope, error)
}

// UnitScope is a unit with its party groups.
type UnitScope struct {
	Code, Name string
	Groups     []UnitInfo
}

// Downloader is a Backend that writes a report in the CLI's files (HTML, Markdown, XLSX,
// DOCX, PDF) for download.
type Downloader interface {
	// Formats are the formats offered, in order (html, md, xlsx, docx, pdf).
	Formats() []string
	// Download builds the report and returns the file's name and bytes in format.
	Download(ctx context.Context, name string, params url.Values, lang datasets.Lang, format string) (string, []byte, error)
}

// formatLabels name the download buttons.
var formatLabels = map[string]datasets.Text{
	"html": datasets.T("下载网页", "HTML"), "md": datasets.T("Markdown", "Markdown"), "xlsx": datasets.T("Excel", "Excel"),
	"docx": datasets.T("Word", "Word"), "pdf": datasets.T("PDF", "PDF"),
}

var formatTypes = map[string]string{
	"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf",
}

func (s *server) download(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	name := r.PathValue("name")
	d, ok := s.b.(Downloader)
	known := false
	for _, rep := range s.b.Reports() {
		known = known || rep.Name == name
	}
	if !known || !ok {
		http.Error(w, datasets.T("没有这个报告", "no such report").In(lang), http.StatusNotFound)
		return
	}
	format := r.URL.Query().Get("format")
	offered := false
	for _, f := range d.Formats() {
		offered = offered || f == format
	}
	if !offered {
		http.Error(w, datasets.T("下载格式须为 ", "the format must be one of ").In(lang)+strings.Join(d.Formats(), ", "), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 4*s.cfg.QueryTimeout)
	defer cancel()
	file, data, err := d.Download(ctx, name, r.URL.Query(), lang, format)
	if err != nil {
		status, msg := s.failure(err, lang)
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", formatTypes[format])
	w.Header().Set("Content-Disposition", contentDisposition(file))
	w.Write(data)
}

// pickers is what the index page's report forms offer: the units and groups by name, and the
// download formats.
type pickers struct {
	Units   []UnitScope
	Formats []struct{ Value, Label string }
}

func (s *server) pickers(r *http.Request, lang datasets.Lang) (pickers, error) {
	var p pickers
	if sl, ok := s.b.(ScopeLister); ok {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
		defer cancel()
		us, err := sl.Scopes(ctx)
		if err != nil {
			return p, err
		}
		p.Units = us
	}
	if d, ok := s.b.(Downloader); ok {
		for _, f := range d.Formats() {
			p.Formats = append(p.Formats, struct{ Value, Label string }{f, formatLabels[f].In(lang)})
		}
	}
	return p, nil
}

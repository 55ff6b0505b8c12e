package web

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries/table"
)

// CoverageLister is a Backend that can say how complete the data is (the data_coverage
// query, as `mingdeng check` shows it); the page then has a coverage view.
type CoverageLister interface {
	Coverage(ctx context.Context, lang datasets.Lang) (*CoverageView, error)
}

// CoverageView is the coverage table with its title, the gaps as sentences and the legend.
type CoverageView struct {
	Title   string
	Table   *table.Table // nil when there are no dated records
	Summary string       // every slot has records, or: the gaps follow
	Gaps    []string
	Legend  string
	Missing string // the cell text that marks a slot without records
}

func (s *server) coverage(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	cl, ok := s.b.(CoverageLister)
	if !ok {
		writeError(w, http.StatusNotFound, "no_coverage", datasets.T("此服务不能查看数据完整性", "this server cannot show coverage").In(lang))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
	defer cancel()
	v, err := cl.Coverage(ctx, lang)
	if err != nil {
		status, msg := s.failure(err, lang)
		writeError(w, status, reasonOf(err), msg)
		return
	}
	resp := map[string]any{"title": v.Title, "summary": v.Summary, "gaps": v.Gaps, "legend": v.Legend, "missing": v.Missing,
		"columns": []table.Column{}, "rows": []json.RawMessage{}}
	if v.Gaps == nil {
		resp["gaps"] = []string{}
	}
	if v.Table != nil {
		resp["columns"], resp["rows"] = v.Table.Columns, jsonRows(ctx, v.Table)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(resp)
}

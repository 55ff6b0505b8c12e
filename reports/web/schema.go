package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/reports"
)

// SchemaLister is a Backend that lists what web queries may read, for the workbench's schema
// browser: each table and view with its columns, named and described in the user's language.
type SchemaLister interface {
	Schema(ctx context.Context, lang datasets.Lang) (*Schema, error)
}

// Schema is the schema browser's content.
type Schema struct {
	Tables []SchemaTable
	// Closed names the tables that exist but web queries may not read (person-level), so the
	// browser can say so instead of leaving the user to find out.
	Closed []string
}

// SchemaTable is one table or view.
type SchemaTable struct {
	Name, Label, Description string
	View                     bool // a metric view rather than a stored table
	Columns                  []SchemaColumn
}

// SchemaColumn is one column.
type SchemaColumn struct {
	Name, Label, Description, Type, Unit string
}

func (s *server) schema(r *http.Request, lang datasets.Lang) (*Schema, error) {
	sl, ok := s.b.(SchemaLister)
	if !ok {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
	defer cancel()
	return sl.Schema(ctx, lang)
}

// echarts serves the pinned ECharts script the workbench draws a result's chart with (the
// reports inline it; the page loads it once, from here, when the first chart is asked for).
func (s *server) echarts(w http.ResponseWriter, r *http.Request) {
	js, err := reports.EChartsScript()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=86400")
	w.Write(js)
}

// closedList joins the closed tables' names for the page.
func closedList(sc *Schema, lang datasets.Lang) string {
	if sc == nil {
		return ""
	}
	return strings.Join(sc.Closed, datasets.T("、", ", ").In(lang))
}

package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/mingdeng/mingdeng/internal/workbook"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// WriteXLSX writes every table of r (each chart's data and each table block) as a sheet named
// by its title (SheetNames), after a contents sheet that gives each sheet's title, stable ID
// and row count. Sheets read as finished (tabular.AddSheet): frozen header with a filter,
// widths, number formats by type and unit, 是/否, and in the built-in reports (Report.NoRecord) an
// empty cell reads 无记录 as it does in HTML, Markdown and DOCX.
func WriteXLSX(w io.Writer, r *Report) error {
	f := workbook.NewFile()
	defer f.Close()
	contents := t(r.Lang, "目录", "Contents")
	if err := f.SetSheetName("Sheet1", contents); err != nil {
		return err
	}
	tables := r.Tables()
	index := &queries.Table{Columns: []queries.Column{
		{Name: t(r.Lang, "工作表", "sheet"), Type: queries.Text},
		{Name: t(r.Lang, "内容", "content"), Type: queries.Text},
		{Name: t(r.Lang, "编号", "ID"), Type: queries.Text},
		{Name: t(r.Lang, "行数", "rows"), Type: queries.Integer},
	}}
	names := SheetNames(r)
	for _, nt := range tables {
		index.Rows = append(index.Rows, []any{names[nt.ID], nt.Title, nt.ID, int64(len(nt.Table.Rows))})
	}
	opts := tabular.SheetOptions{Yes: t(r.Lang, "是", "Yes"), No: t(r.Lang, "否", "No")}
	if r.NoRecord {
		opts.Empty = noRecordText(r.Lang)
	}
	if err := tabular.AddSheetWith(f, contents, index, opts); err != nil {
		return err
	}
	for _, nt := range tables {
		if err := tabular.AddSheetWith(f, names[nt.ID], nt.Table, opts); err != nil {
			return fmt.Errorf("sheet %s: %w", names[nt.ID], err)
		}
	}
	return f.Write(w)
}

// SheetNames gives each table of r (by its stable ID) the name of its XLSX sheet: its title,
// or its ID when it has no title, shortened, made valid and unique by workbook.SheetNamer (the
// contents sheet gives each sheet's full title). Pages name the sheet a reader should open
// with it.
func SheetNames(r *Report) map[string]string {
	var ids, titles []string
	seen := map[string]bool{}
	for _, nt := range r.Tables() {
		if seen[nt.ID] {
			continue
		}
		seen[nt.ID] = true
		title := strings.TrimSpace(nt.Title)
		if title == "" {
			title = nt.ID
		}
		ids, titles = append(ids, nt.ID), append(titles, title)
	}
	out := make(map[string]string, len(ids))
	for i, name := range workbook.NewSheetNamer(t(r.Lang, "目录", "Contents")).Names(titles) {
		out[ids[i]] = name
	}
	return out
}

// sheetFor is the sheet that holds the table with this ID.
func (r *Report) sheetFor(id string) string {
	if n, ok := SheetNames(r)[id]; ok {
		return n
	}
	return id
}

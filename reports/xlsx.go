package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// WriteXLSX writes every table of r (each chart's data and each table block) as a sheet named
// by its title (cut to Excel's 31 characters, made unique), after a contents sheet that gives
// each sheet's full title.
func WriteXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	contents := t(r.Lang, "目录", "contents")
	if err := f.SetSheetName("Sheet1", contents); err != nil {
		return err
	}
	tables := r.Tables()
	index := &queries.Table{Columns: []queries.Column{
		{Name: t(r.Lang, "工作表", "sheet"), Type: queries.Text},
		{Name: t(r.Lang, "内容", "content"), Type: queries.Text},
		{Name: t(r.Lang, "行数", "rows"), Type: queries.Integer},
	}}
	used := map[string]bool{contents: true}
	names := make([]string, len(tables))
	for i, nt := range tables {
		// Sheets are named by their titles, which a reader knows from the page; the stable ID
		// is only the fallback for an untitled table.
		title := nt.Title
		if strings.TrimSpace(title) == "" {
			title = nt.ID
		}
		names[i] = sheetName(title, used)
		index.Rows = append(index.Rows, []any{names[i], nt.Title, int64(len(nt.Table.Rows))})
	}
	if err := tabular.AddSheet(f, contents, index); err != nil {
		return err
	}
	for i, nt := range tables {
		if err := tabular.AddSheet(f, names[i], nt.Table); err != nil {
			return fmt.Errorf("sheet %s: %w", names[i], err)
		}
	}
	return f.Write(w)
}

// sheetName makes a valid, unique sheet name (at most 31 characters, none of []:*?/\).
func sheetName(id string, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return '_'
		}
		return r
	}, id)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	base := name
	for i := 2; used[name]; i++ {
		suffix := fmt.Sprintf("~%d", i)
		r := []rune(base)
		if len(r)+len(suffix) > 31 {
			r = r[:31-len(suffix)]
		}
		name = string(r) + suffix
	}
	used[name] = true
	return name
}

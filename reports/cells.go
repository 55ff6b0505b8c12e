package reports

import (
	"math"
	"strconv"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/table"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// Table cells as a reader reads them in HTML, Markdown and DOCX (XLSX has its own formats,
// reports/tabular): yes/no in words, shares as percentages, and a cell without a value said
// in words where the report knows what the empty cell means.

// cellText formats one cell of column c. noRecord is set by the built-in reports, whose empty
// cells are periods, groups or items without records (a group not yet formed, a half without
// defects): they read 无记录 instead of a blank a reader could take for zero. A report made
// from a user's SQL leaves NULL blank, since its meaning is the user's.
func cellText(v any, c queries.Column, lang Lang, noRecord bool) string {
	switch x := v.(type) {
	case nil:
		if noRecord {
			return noRecordText(lang)
		}
		return ""
	case bool:
		if x {
			return t(lang, "是", "Yes")
		}
		return t(lang, "否", "No")
	case float64:
		if c.Unit == table.Share {
			return zhtext.CellPercent(x)
		}
	}
	return FormatValue(v)
}

// shownDiff is a − b as a reader works it from the table's cells: the difference of the
// figures FormatNum prints, to their 3 decimals (Ginis of 0.5236 and 0.5004 print as 0.524 and
// 0.5, so the excess reads 0.024, not the 0.023 of the raw values), never -0; NaN when either
// figure is missing.
func shownDiff(a, b float64) float64 {
	pa, errA := strconv.ParseFloat(FormatNum(a), 64)
	pb, errB := strconv.ParseFloat(FormatNum(b), 64)
	if errA != nil || errB != nil {
		return math.NaN()
	}
	d := math.Round((pa-pb)*1000) / 1000
	if d == 0 {
		return 0
	}
	return d
}

// noRecordText is what a cell without records reads in every format of a built-in report.
func noRecordText(lang Lang) string { return t(lang, "无记录", "no record") }

// column is tb's column i, or a text column when a row is longer than the header.
func column(tb *queries.Table, i int) queries.Column {
	if i < len(tb.Columns) {
		return tb.Columns[i]
	}
	return queries.Column{Type: queries.Text}
}

// labelColumns names the columns of a user's SQL result that are known metric or contract
// columns by their labels (meetings_held → 党小组会次数, held_on → 召开日期), and marks a known
// share metric as a share (shown as a percentage); other columns keep the names the user gave
// them. Column order, types and values are unchanged, so positions found by the user's names
// stay valid. Values are not relabelled: a code in a user's column may mean what the user means.
func labelColumns(tb *queries.Table, lang Lang) *queries.Table {
	if tb == nil {
		return nil
	}
	cp := *tb
	cp.Columns = make([]queries.Column, len(tb.Columns))
	for i, c := range tb.Columns {
		if l := queries.ColumnLabel(c.Name, lang); l != "" && l != c.Name {
			if queries.UnitOf(c.Name).Kind == queries.UnitShare && c.Unit == "" {
				c.Unit = table.Share
			}
			c.Name = l
		}
		cp.Columns[i] = c
	}
	return &cp
}

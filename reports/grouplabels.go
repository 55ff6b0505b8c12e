package reports

import "github.com/mingdeng/mingdeng/queries"

// uniqueGroupNames makes group_name unique per group across the tables, in place. Real
// companies reuse names (every unit has its 运行党小组), and the report builders use the
// name both as the label a reader sees and as the key that gathers a group's rows: without
// this, groups of different units would be merged into one. A shared name gets the group's
// unit (its name when the table has one), or its own code when even that is shared:
// 运行党小组（变电运维工区）.
func uniqueGroupNames(tables ...*queries.Table) {
	type cols struct{ name, id, unit int }
	colsOf := func(tb *queries.Table) (cols, bool) {
		c := cols{colIndex(tb, "group_name"), colIndex(tb, "group_id"), colIndex(tb, "unit_id")}
		return c, c.name >= 0 && c.id >= 0
	}
	idsByName := map[string]map[string]bool{}
	idsByNameUnit := map[[2]string]map[string]bool{}
	add := func(m map[string]bool, id string) map[string]bool {
		if m == nil {
			m = map[string]bool{}
		}
		m[id] = true
		return m
	}
	for _, tb := range tables {
		if tb == nil {
			continue
		}
		c, ok := colsOf(tb)
		if !ok {
			continue
		}
		for _, row := range tb.Rows {
			name, id := FormatValue(row[c.name]), FormatValue(row[c.id])
			idsByName[name] = add(idsByName[name], id)
			if c.unit >= 0 {
				k := [2]string{name, FormatValue(row[c.unit])}
				idsByNameUnit[k] = add(idsByNameUnit[k], id)
			}
		}
	}
	for _, tb := range tables {
		if tb == nil {
			continue
		}
		c, ok := colsOf(tb)
		if !ok {
			continue
		}
		for _, row := range tb.Rows {
			name := FormatValue(row[c.name])
			if name == "" || len(idsByName[name]) < 2 {
				continue
			}
			suffix := FormatValue(row[c.id])
			if c.unit >= 0 {
				if unit := FormatValue(row[c.unit]); unit != "" && len(idsByNameUnit[[2]string{name, unit}]) == 1 {
					suffix = unitLabel(tb, row)
				}
			}
			row[c.name] = name + "（" + suffix + "）"
		}
	}
	// Two units may share a name too: any label still shared by several groups takes the
	// group's own code.
	idsByLabel := map[string]map[string]bool{}
	for _, tb := range tables {
		if tb == nil {
			continue
		}
		if c, ok := colsOf(tb); ok {
			for _, row := range tb.Rows {
				l := FormatValue(row[c.name])
				idsByLabel[l] = add(idsByLabel[l], FormatValue(row[c.id]))
			}
		}
	}
	for _, tb := range tables {
		if tb == nil {
			continue
		}
		if c, ok := colsOf(tb); ok {
			for _, row := range tb.Rows {
				if l := FormatValue(row[c.name]); len(idsByLabel[l]) > 1 {
					row[c.name] = l + "（" + FormatValue(row[c.id]) + "）"
				}
			}
		}
	}
}

// unitLabel is how a row's unit is shown: its name when the table has one, else its code.
func unitLabel(tb *queries.Table, row []any) string {
	if i := colIndex(tb, "unit_name"); i >= 0 {
		if name := FormatValue(row[i]); name != "" && row[i] != nil {
			return name
		}
	}
	if i := colIndex(tb, "unit_id"); i >= 0 {
		return FormatValue(row[i])
	}
	return ""
}

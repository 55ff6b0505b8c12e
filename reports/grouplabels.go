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
	// each calls f once per run of rows with the same name, code and unit (query results come
	// sorted by group, so a province's 720,000 group-months are ~6,500 runs); same reports
	// row by row, so a rename can be copied along the run.
	each := func(f func(tb *queries.Table, c cols, row []any), same func(row, prev []any)) {
		for _, tb := range tables {
			if tb == nil {
				continue
			}
			c := cols{colIndex(tb, "group_name"), colIndex(tb, "group_id"), colIndex(tb, "unit_id")}
			if c.name < 0 || c.id < 0 {
				continue
			}
			var prev []any
			var prevName, prevUnit any
			for _, row := range tb.Rows {
				if prev != nil && row[c.id] == prev[c.id] && row[c.name] == prevName && (c.unit < 0 || row[c.unit] == prevUnit) {
					if same != nil {
						same(row, prev)
					}
					continue
				}
				prevName = row[c.name]
				if c.unit >= 0 {
					prevUnit = row[c.unit]
				}
				f(tb, c, row)
				prev = row
			}
		}
	}
	// groupsBy[k] is the set of group codes whose rows give key k.
	groupsBy := func(key func(tb *queries.Table, c cols, row []any) string) map[string]map[string]bool {
		m := map[string]map[string]bool{}
		each(func(tb *queries.Table, c cols, row []any) {
			k := key(tb, c, row)
			if m[k] == nil {
				m[k] = map[string]bool{}
			}
			m[k][FormatValue(row[c.id])] = true
		}, nil)
		return m
	}
	name := func(_ *queries.Table, c cols, row []any) string { return FormatValue(row[c.name]) }
	byName := groupsBy(name)
	byNameUnit := groupsBy(func(_ *queries.Table, c cols, row []any) string {
		if c.unit < 0 {
			return ""
		}
		return FormatValue(row[c.name]) + "\x00" + FormatValue(row[c.unit])
	})
	nameCol := 0 // of the table each is in: set by f, which sees a table's first row first
	copyName := func(row, prev []any) { row[nameCol] = prev[nameCol] }
	each(func(tb *queries.Table, c cols, row []any) {
		nameCol = c.name
		n := FormatValue(row[c.name])
		if n == "" || len(byName[n]) < 2 {
			return
		}
		suffix := FormatValue(row[c.id])
		if c.unit >= 0 && FormatValue(row[c.unit]) != "" && len(byNameUnit[n+"\x00"+FormatValue(row[c.unit])]) == 1 {
			suffix = unitLabel(tb, row)
		}
		row[c.name] = n + "（" + suffix + "）"
	}, copyName)
	// Two units may share a name too: any label still shared by several groups takes the
	// group's own code.
	byLabel := groupsBy(name)
	each(func(_ *queries.Table, c cols, row []any) {
		nameCol = c.name
		if l := FormatValue(row[c.name]); len(byLabel[l]) > 1 {
			row[c.name] = l + "（" + FormatValue(row[c.id]) + "）"
		}
	}, copyName)
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

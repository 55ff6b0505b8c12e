package queries

import (
	"context"
	"fmt"

	"github.com/mingdeng/mingdeng/queries/table"
)

// complianceByGroupSQL folds group_compliance's rows (one per group and period, sorted by unit,
// branch, group and period) into one row per group in the same order, with the group-meeting
// cadence checked (every, min_per_slot: one for the whole query) and its periods and each
// period's compliance as lists in period order (period labels sort in time order).
const complianceByGroupSQL = `SELECT unit_id, unit_name, branch_id, group_id, group_name,
       any_value(every) AS every, any_value(min_per_slot) AS min_per_slot,
       list(period ORDER BY period) AS periods,
       list(compliance ORDER BY period) AS compliance
FROM (%s) AS gc
GROUP BY unit_id, unit_name, branch_id, group_id, group_name
ORDER BY unit_id, branch_id, group_id`

// ComplianceByGroup is group_compliance for p with one row per group instead of one per group
// and period: unit_id, unit_name, branch_id, group_id, group_name, every, min_per_slot, and the
// lists periods and compliance. The report's month-by-month grid reads a province's 720,000 group-months
// as 6,500 rows; `mingdeng query group_compliance` prints the same values one a row.
func ComplianceByGroup(ctx context.Context, db Querier, p Params) (*Table, error) {
	q, text, args, err := namedStatement(ctx, db, "group_compliance", p)
	if err != nil {
		return nil, err
	}
	span := StartTrace()
	defer func() { span.End("%s by group (period %s)", q.Name, p.Period) }()
	rows, err := db.QueryContext(ctx, fmt.Sprintf(complianceByGroupSQL, text), args...)
	if err != nil {
		return nil, fmt.Errorf("query %s by group: %w", q.Name, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("query %s by group: %w", q.Name, err)
	}
	// Not Collect: it would write each list as JSON text for a reader to parse back.
	t := &Table{}
	for _, n := range names {
		t.Columns = append(t.Columns, Column{Name: n, Type: table.Text})
	}
	for rows.Next() {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("query %s by group: %w", q.Name, err)
		}
		for i, v := range vals {
			if l, ok := v.([]any); ok {
				for k, e := range l {
					l[k] = table.Normalise(e)
				}
				continue
			}
			vals[i] = table.Normalise(v)
		}
		t.Rows = append(t.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query %s by group: %w", q.Name, err)
	}
	return t, nil
}

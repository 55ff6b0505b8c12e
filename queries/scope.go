package queries

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Match is a unit or party group that a name or code given by a user may mean.
type Match struct {
	Code string // unit_id or group_id
	Name string
	// Where tells same-named matches apart: a unit's company, a group's unit name.
	Where string
	// Branch is a group's branch name ("" for units).
	Branch string
	// Exact is set when the code or the whole name equals what was asked; otherwise the match
	// is one of the closest names, offered as a suggestion.
	Exact bool
}

// Lookups by name or code. Exact matches first: a code names one row; a name may be shared
// (every county has its 城东供电所, many units their 线路一班党小组). Suggestions rank names that
// contain the text (or are contained in it) first, then by Jaro–Winkler similarity, which counts
// characters rather than bytes, so it suits Chinese names.
const (
	unitExactSQL = `SELECT unit_id, name, coalesce(company, ''), '' FROM units
WHERE unit_id = $text OR name = $text
ORDER BY unit_id = $text DESC, unit_id`
	unitCloseSQL = `SELECT unit_id, name, coalesce(company, ''), '' FROM units
ORDER BY (contains(name, $text) OR contains($text, name)) DESC,
         jaro_winkler_similarity(lower(name), lower($text)) DESC, unit_id
LIMIT $limit`
	groupExactSQL = `SELECT g.group_id, g.name, coalesce(u.name, b.unit_id, ''), coalesce(b.name, g.branch_id, '') FROM party_groups g
LEFT JOIN branches b USING (branch_id) LEFT JOIN units u ON u.unit_id = b.unit_id
WHERE (g.group_id = $text OR g.name = $text) AND ($unit IS NULL OR b.unit_id = $unit)
ORDER BY g.group_id = $text DESC, g.group_id`
	groupCloseSQL = `SELECT g.group_id, g.name, coalesce(u.name, b.unit_id, ''), coalesce(b.name, g.branch_id, '') FROM party_groups g
LEFT JOIN branches b USING (branch_id) LEFT JOIN units u ON u.unit_id = b.unit_id
WHERE $unit IS NULL OR b.unit_id = $unit
ORDER BY (contains(g.name, $text) OR contains($text, g.name)) DESC,
         jaro_winkler_similarity(lower(g.name), lower($text)) DESC, g.group_id
LIMIT $limit`
	unitsWithGroupsSQL = `SELECT u.unit_id, u.name, coalesce(u.company, '') FROM units u
WHERE EXISTS (SELECT 1 FROM branches b JOIN party_groups g USING (branch_id) WHERE b.unit_id = u.unit_id)
ORDER BY u.unit_id`
	companySQL = `SELECT DISTINCT company FROM units WHERE company IS NOT NULL AND company <> '' AND ($unit IS NULL OR unit_id = $unit) ORDER BY company LIMIT 2`
)

// suggestions is how many closest names a failed lookup offers.
const suggestions = 5

// FindUnits looks text up as a unit code or name. When a unit has that code, it alone is
// returned; otherwise every unit of that name (Exact set); when there is none, up to five of
// the closest names (Exact unset). An empty warehouse returns nothing.
func FindUnits(ctx context.Context, db Querier, text string) ([]Match, error) {
	return find(ctx, db, "units", unitExactSQL, unitCloseSQL, text, nil)
}

// FindGroups is FindUnits for party groups; unit, when not empty, keeps the groups of that unit
// (a unit code) only. Where is the group's unit name.
func FindGroups(ctx context.Context, db Querier, text, unit string) ([]Match, error) {
	var u any
	if unit != "" {
		u = unit
	}
	return find(ctx, db, "party_groups", groupExactSQL, groupCloseSQL, text, []any{sql.Named("unit", u)})
}

func find(ctx context.Context, db Querier, what, exactSQL, closeSQL, text string, extra []any) ([]Match, error) {
	text = strings.TrimSpace(text)
	read := func(q string, exact bool, args ...any) ([]Match, error) {
		rows, err := db.QueryContext(ctx, q, append(args, extra...)...)
		if err != nil {
			return nil, fmt.Errorf("look up %s %q: %w", what, text, err)
		}
		defer rows.Close()
		var out []Match
		for rows.Next() {
			m := Match{Exact: exact}
			if err := rows.Scan(&m.Code, &m.Name, &m.Where, &m.Branch); err != nil {
				return nil, fmt.Errorf("look up %s %q: %w", what, text, err)
			}
			out = append(out, m)
		}
		return out, rows.Err()
	}
	ms, err := read(exactSQL, true, sql.Named("text", text))
	if err != nil || len(ms) == 0 {
		if err != nil {
			return nil, err
		}
		return read(closeSQL, false, sql.Named("text", text), sql.Named("limit", suggestions))
	}
	if ms[0].Code == text {
		return ms[:1], nil
	}
	return ms, nil
}

// UnitsWithGroups lists the units that have party groups, by code: the units a report per
// unit is written for (Exact set on each).
func UnitsWithGroups(ctx context.Context, db Querier) ([]Match, error) {
	rows, err := db.QueryContext(ctx, unitsWithGroupsSQL)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var out []Match
	for rows.Next() {
		m := Match{Exact: true}
		if err := rows.Scan(&m.Code, &m.Name, &m.Where); err != nil {
			return nil, fmt.Errorf("list units: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CompanyName is the company the units belong to (of unit, when given), or "" when the units
// name none or more than one.
func CompanyName(ctx context.Context, db Querier, unit string) (string, error) {
	var u any
	if unit != "" {
		u = unit
	}
	rows, err := db.QueryContext(ctx, companySQL, sql.Named("unit", u))
	if err != nil {
		return "", fmt.Errorf("company name: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		names = append(names, s)
	}
	if err := rows.Err(); err != nil || len(names) != 1 {
		return "", err
	}
	return names[0], nil
}

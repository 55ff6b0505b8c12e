package reports

import (
	"errors"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/table"
)

// A result missing a column the builders read is an error naming it; the queries listed are
// registered queries (a renamed query would otherwise never be checked).
func TestCheckColumns(t *testing.T) {
	reg, err := queries.Default()
	if err != nil {
		t.Fatal(err)
	}
	for q := range readColumns {
		if _, err := reg.Get(q); err != nil {
			t.Errorf("readColumns lists %s: %v", q, err)
		}
	}
	cols := func(names ...string) *queries.Table {
		tb := &queries.Table{}
		for _, n := range names {
			tb.Columns = append(tb.Columns, queries.Column{Name: n})
		}
		return tb
	}
	for _, tt := range []struct {
		query   string
		tb      *queries.Table
		missing string
	}{
		{"group_compliance", cols("unit_id", "group_id", "group_name", "period", "every", "min_per_slot", "slots_required", "slots_met", "compliance", "meetings_held"), ""},
		{"group_compliance", cols("unit_id", "group_id", "group_name", "period", "every", "min_per_slot", "slots_required", "slots_met", "complience", "meetings_held"), "compliance"},
		{"unit_surveys", cols("unit_id", "dimension"), "score, respondents"},
		{"panel", cols("x"), ""},
		{"group_outcomes", nil, ""},
	} {
		err := CheckColumns(tt.query, tt.tb)
		if tt.missing == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.query, err)
			}
			continue
		}
		if !errors.Is(err, table.ErrNoColumn) || !strings.Contains(err.Error(), tt.query+": ") || !strings.Contains(err.Error(), tt.missing) {
			t.Errorf("%s: %v, want it to name %s", tt.query, err, tt.missing)
		}
	}
}

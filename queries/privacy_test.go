package queries_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// TestPanelSuppressesWhatGroupSurveysSuppresses: the panel (query panel, analyze, reports'
// scatter plots) shows a group's satisfaction only where group_surveys shows that cell. Before,
// the panel showed the complementary cell (G1, customer, 2024H2: 6 respondents), from which the
// suppressed G2 (3 respondents) follows by subtraction from the unit's total.
func TestPanelSuppressesWhatGroupSurveysSuppresses(t *testing.T) {
	db := fixture(t)
	cells := rowsBy(t, runQ(t, db, "group_surveys", halfParams()), "group_id", "period", "audience", "dimension")
	p := halfParams()
	p.Lags = []int{0}
	panel := runQ(t, db, "panel", p)
	gi, pi := colIndexOf(panel.Columns, "group_id"), colIndexOf(panel.Columns, "period")
	checked := 0
	for _, audience := range []string{"employee", "customer"} {
		si := colIndexOf(panel.Columns, audience+"_satisfaction")
		for _, row := range panel.Rows {
			key := fmt.Sprintf("%v/%v/%s/<nil>", row[gi], row[pi], audience)
			cell, ok := cells[key]
			shown := ok && cell["suppressed"] == nil
			if row[si] != nil && !shown {
				t.Errorf("panel shows %s = %v, which group_surveys suppresses (%v)", key, row[si], cell["suppressed"])
			}
			// The panel sums the totals by respondent before the team mapping, group_surveys by
			// dimension: the same score up to the order of the float sums.
			if shown && (row[si] == nil || math.Abs(queries.Number(row[si])-queries.Number(cell["score"])) > 1e-9*math.Abs(queries.Number(cell["score"]))) {
				t.Errorf("panel shows %s = %v, group_surveys %v", key, row[si], cell["score"])
			}
			if ok {
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no survey cell in the panel")
	}
}

func colIndexOf(cols []queries.Column, name string) int {
	for i, c := range cols {
		if c.Name == name {
			return i
		}
	}
	panic("no column " + name)
}

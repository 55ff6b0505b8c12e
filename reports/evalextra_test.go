package reports

import (
	"math"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

func TestSurveyFromTableRespectsSuppression(t *testing.T) {
	tb := tableOf([]string{"unit_id", "group_id", "audience_zh", "dimension", "is_total", "score", "respondents", "suppressed"},
		[]any{"U1", "G1", "职工", nil, true, 99.0, int64(30), nil},
		[]any{"U1", "G1", "职工", "沟通", false, 80.0, int64(6), nil},
		[]any{"U1", "G2", "职工", "沟通", false, 60.0, int64(4), nil}, // shown by the query: counted
		[]any{"U1", "G3", "职工", "沟通", false, nil, nil, "fewer_than_5"},
		[]any{"U2", "G4", "职工", "沟通", false, 70.0, int64(3), nil}, // the unit has 3 shown respondents: suppressed
		[]any{"U2", "G5", "职工", "沟通", false, nil, nil, "complementary"},
	)
	r := SurveyFromTable(tb, "zh", Source{})
	if r == nil || len(r.Units) != 2 || r.Dimensions[0] != "职工·沟通" {
		t.Fatalf("%+v", r)
	}
	if got := r.Units[0].Values[0]; got != 72 { // (80·6 + 60·4) / 10
		t.Errorf("U1 %v, want 72", got)
	}
	if !math.IsNaN(r.Units[1].Values[0]) {
		t.Errorf("U2 %v, want suppressed", r.Units[1].Values[0])
	}
}

func TestAwardsFromTables(t *testing.T) {
	tb := &queries.Table{Columns: []queries.Column{{Name: "unit_id"}, {Name: "year"}, {Name: "awards"}}}
	for i := 0; i < 10; i++ {
		v := int64(0)
		if i == 9 {
			v = 5
		}
		tb.Rows = append(tb.Rows, []any{"U1", int64(2024), v})
	}
	rs := []stats.Result{{Method: stats.MethodGini, Activity: "awards", Scope: "U1/2023", Estimate: 0.5},
		{Method: stats.MethodGini, Activity: "awards", Scope: "U1/2024", Estimate: 0.9},
		{Method: stats.MethodGini, Activity: "model_posts", Scope: "U1/2024", Estimate: 0.1}}
	c := AwardsFromTables(tb, rs, Source{})
	if c == nil || len(c.Lorenz) != 11 || c.Lorenz[9] != 0 || c.Lorenz[10] != 1 {
		t.Fatalf("%+v", c)
	}
	if len(c.Results) != 1 || c.Results[0].Estimate != 0.9 {
		t.Errorf("results %+v, want the awards of the latest year", c.Results)
	}
	c.Units = map[string]string{"U1": "线路工区"}
	rk := RankedConcentration(c, "zh")
	if rk == nil || len(rk.Table.Rows) != 1 || rk.Table.Rows[0][3] != 0.9 {
		t.Fatalf("%+v", rk)
	}
	// The unit by name (no code: the name is not shared), and the year apart.
	if row := rk.Table.Rows[0]; row[1] != "线路工区" || row[2] != "2024" {
		t.Errorf("ranking row %v, want the unit's name and year", row)
	}
}

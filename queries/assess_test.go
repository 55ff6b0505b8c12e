package queries_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
)

func TestGradeBoundaries(t *testing.T) {
	g := queries.DefaultConfig().Assessment.Grades
	for _, tc := range []struct {
		total float64
		want  string
	}{
		{59.9, queries.GradeUnqualified}, {60, queries.GradeBasic}, {79.9, queries.GradeBasic},
		{80, queries.GradeQualified}, {94.9, queries.GradeQualified}, {95, queries.GradeExcellent},
		{100, queries.GradeExcellent}, {0, queries.GradeUnqualified},
	} {
		if got := g.Grade(tc.total); got != tc.want {
			t.Errorf("Grade(%v) = %s, want %s", tc.total, got, tc.want)
		}
	}
	if queries.GradeLabel(queries.GradeBasic, datasets.Zh) != "基本合格" || queries.GradeLabel(queries.GradeExcellent, datasets.En) != "Excellent" {
		t.Error("grade labels do not come from the contract")
	}
	if !queries.NeedsHelp(queries.GradeBasic) || !queries.NeedsHelp(queries.GradeUnqualified) || queries.NeedsHelp(queries.GradeQualified) {
		t.Error("NeedsHelp")
	}
}

// insertAssessment writes 12 items in the 5 default dimensions summing to total.
func insertAssessment(t *testing.T, exec func(string), group, half string, total float64) {
	t.Helper()
	dims := []string{"ideology", "organisation", "conduct", "institution", "central_task"}
	var rows []string
	per := total / 12
	for i := 0; i < 12; i++ {
		rows = append(rows, fmt.Sprintf("('%s', '%s', 'I%02d', '%s', %v, NULL, 1, %d)", group, half, i+1, dims[i%5], per, i))
	}
	exec("INSERT INTO assessments VALUES " + strings.Join(rows, ","))
}

func TestAssessByHand(t *testing.T) {
	db := fixture(t)
	exec := func(s string) {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO party_groups VALUES ('G4', '营销党小组', 'B1', DATE '2020-01-01', NULL, NULL, NULL, 1, 4)`)
	// G1: 96 and 94 → average 95, eligible. G2: 98 and 79.9 → H2 needs help, not eligible.
	// G4: 2023H2 59.9 and 2024H1 60 → two in a row; 2024H2 99.
	insertAssessment(t, exec, "G1", "2024H1", 96)
	insertAssessment(t, exec, "G1", "2024H2", 94)
	insertAssessment(t, exec, "G2", "2024H1", 98)
	insertAssessment(t, exec, "G2", "2024H2", 79.9)
	insertAssessment(t, exec, "G4", "2023H2", 59.9)
	insertAssessment(t, exec, "G4", "2024H1", 60)
	insertAssessment(t, exec, "G4", "2024H2", 99)
	// G3 (unit U2): 11 items only → incomplete, not eligible.
	exec(`INSERT INTO assessments VALUES ('G3', '2024H1', 'A1', 'ideology', 90, 100, 1, 1), ('G3', '2024H2', 'A1', 'ideology', 45, 50, 1, 2)`)
	a, err := queries.Assess(context.Background(), db, 2024, "", queries.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]queries.AssessmentRow{}
	for _, r := range a.Rows {
		got[r.GroupID+"/"+r.Half] = r
	}
	if len(got) != 8 {
		t.Fatalf("rows: %+v", a.Rows)
	}
	near := func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 }
	if r := got["G1/2024H1"]; !near(r.Total, 96) || r.Grade != queries.GradeExcellent || !r.Eligible || !near(r.YearAverage, 95) || !r.Complete {
		t.Errorf("G1 H1: %+v", r)
	}
	if r := got["G2/2024H2"]; r.Grade != queries.GradeBasic || !r.HelpNeeded || r.TwoInARow || r.Eligible {
		t.Errorf("G2 H2: %+v", r)
	}
	if r := got["G4/2024H1"]; r.Grade != queries.GradeBasic || !r.TwoInARow {
		t.Errorf("G4 H1 (after 59.9 in 2023H2): %+v", r)
	}
	if r := got["G4/2024H2"]; r.TwoInARow || r.Eligible {
		t.Errorf("G4 H2: %+v", r)
	}
	// G3 scores are rescaled by their maxima (90/100, 45/50 → 90, 90) but it is incomplete.
	if r := got["G3/2024H2"]; !near(r.Total, 90) || r.Complete || r.Eligible {
		t.Errorf("G3 H2: %+v", r)
	}
	// Advanced in U1: G1 (the only eligible group); none in U2.
	for k, r := range got {
		if r.Advanced != strings.HasPrefix(k, "G1/") {
			t.Errorf("%s advanced = %v", k, r.Advanced)
		}
	}
	tb := a.Table(datasets.Zh)
	if len(tb.Rows) != 8 || tb.Rows[0][10] == "" {
		t.Errorf("table: %+v", tb)
	}
	if _, err := queries.Assess(context.Background(), db, 1800, "", queries.DefaultConfig()); err == nil {
		t.Error("year 1800 accepted")
	}
}

func TestParseConfigOverridesDefaults(t *testing.T) {
	c, err := queries.ParseConfig([]byte("assessment:\n  grades:\n    excellent: 90\ndefect_limits:\n  critical: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Assessment.Grades.Excellent != 90 || c.Assessment.Grades.Qualified != 80 || c.DefectLimits.Critical != 2 || c.DefectLimits.General != 30 || len(c.Cadences) != 9 {
		t.Errorf("%+v", c)
	}
	if _, err := queries.ParseConfig([]byte("assessment:\n  grades:\n    excellent: 50\n")); err == nil {
		t.Error("excellent below qualified accepted")
	}
	if _, err := queries.ParseConfig([]byte("cadence: []\n")); err == nil {
		t.Error("unknown key accepted")
	}
	if c, err := queries.ParseConfig(nil); err != nil || c.Assessment.Items != 12 {
		t.Errorf("empty file: %v %+v", err, c)
	}
}

func TestDocumentedConfigIsTheDefault(t *testing.T) {
	b, err := os.ReadFile("../docs/mingdeng.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := queries.ParseConfig(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, queries.DefaultConfig()) {
		t.Errorf("docs/mingdeng.yaml differs from DefaultConfig:\n%+v\n%+v", c, queries.DefaultConfig())
	}
}

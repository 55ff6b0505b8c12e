package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// A declared hypothesis whose fixed-effects fit has no residual degrees of freedom (three
// groups over two halves with two activities) reads in the evaluation as not estimable with
// the reason, never as supported or with a p-value: the residuals of such a fit are rounding,
// and before they gave p < 0.001.
func TestSaturatedHypothesisReadsAsNotEstimable(t *testing.T) {
	p := stats.Panel{
		Group: []string{"G1", "G1", "G2", "G2", "G3", "G3"}, Period: []string{"2024H1", "2024H2", "2024H1", "2024H2", "2024H1", "2024H2"},
		Y: []float64{1, 4, 2, 9, 3, 3.5},
		X: []stats.Regressor{{Name: "critique_per_meeting", Values: []float64{0, 1, 1, 3, 2, 2.5}}, {Name: "meetings_held", Values: []float64{1, 0, 2, 2, 0, 3}}},
	}
	fe, err := stats.FixedEffects(p, stats.Meta{Outcome: "violations_per_100_staff", Lag: 1})
	if err != nil {
		t.Fatal(err)
	}
	sat := fe[0]
	sat.Family = stats.FamilyPrimary
	other := fixtureResult("panel_fe", "production_linked_share", "defects_per_100km", 1, -0.1, 0.4, 72)
	other.Family = stats.FamilyPrimary
	at := time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		lang        Lang
		wants, nots []string
	}{
		{"zh", []string{"的关系无法估计（注意：没有剩余自由度", "无法检验"}, []string{"假设得到数据支持：", "p < 0.001"}},
		{"en", []string{"could not be estimated (Caution: no residual degrees of freedom", "no test is possible"}, []string{"supported: ", "p < 0.001"}},
	} {
		ev := fixtureEvaluation()
		ev.Scatters, ev.Correlation, ev.Effects = nil, nil, nil
		ev.Hypotheses = &queries.Hypotheses{DeclaredAt: &at}
		ev.Year = &YearFigures{Year: "2024"}
		ApplyAnalysis(ev, []stats.Result{sat, other}, src("analyze", "--period half"), nil, nil)
		md := plainMD(renderMD(t, BuildEvaluation(ev, c.lang)))
		checkText(t, string(c.lang)+": the evaluation", md, c.wants, c.nots)
		if t.Failed() {
			for _, l := range strings.Split(md, "\n") {
				if strings.Contains(l, queries.MetricLabel("critique_per_meeting", c.lang)) {
					t.Log(l)
				}
			}
		}
	}
}

package reports

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// analyzeJSON is a slice of mingdeng analyze --format json output.
const analyzeJSON = `{"period":"half","from":"2023-01-01","to":"2024-12-31","results":[
{"method":"pearson","activity":"critique_per_meeting","outcome":"violations_per_100_staff","lag":1,"n":40,"estimate":-0.4123,"ci_low":-0.63,"ci_high":-0.12,"p":0.0082,"p_adj":0.03,"warnings":[]},
{"method":"pearson","activity":"critique_per_meeting","outcome":"violations_per_100_staff","lag":0,"n":48,"estimate":-0.2,"ci_low":-0.45,"ci_high":0.09,"p":0.17,"p_adj":0.4,"warnings":[]},
{"method":"panel_fe","activity":"critique_per_meeting","outcome":"violations_per_100_staff","lag":1,"n":40,"estimate":-1.187,"ci_low":-1.9,"ci_high":-0.47,"p":0.0021,"p_adj":0.012,"warnings":[],"groups":8},
{"method":"panel_fe","activity":"meetings_held","outcome":"violations_per_100_staff","lag":1,"n":40,"estimate":0.05,"ci_low":-0.3,"ci_high":0.4,"p":0.77,"p_adj":0.9,"warnings":[{"code":"few_groups","en":"only 8 groups","zh":"党小组仅 8 个"}],"groups":8},
{"method":"welch_t","activity":"model_group","outcome":"violations_per_100_staff","lag":0,"n":48,"estimate":-0.9,"ci_low":-1.6,"ci_high":-0.2,"p":0.01,"p_adj":null,"warnings":[]},
{"method":"did_twfe","activity":"model_post_awarded","outcome":"violations_per_100_staff","lag":0,"n":48,"estimate":-2.5,"ci_low":-3.9,"ci_high":-1.1,"p":0.001,"p_adj":null,"warnings":[]}
]}`

// TestNumbersEqualAnalyzeJSON checks that what the reports show is what analyze returned.
func TestNumbersEqualAnalyzeJSON(t *testing.T) {
	var res struct {
		Results []stats.Result `json:"results"`
	}
	if err := json.Unmarshal([]byte(analyzeJSON), &res); err != nil {
		t.Fatal(err)
	}
	ev := fixtureEvaluation()
	ev.Scatters, ev.Correlation, ev.Effects = nil, nil, nil
	act := tableOf([]string{"group_id", "group_name", "period", "critique_per_meeting", "meetings_held"},
		[]any{"G1", "一组", "2023H1", 1.0, 6.0}, []any{"G1", "一组", "2023H2", 2.0, 6.0}, []any{"G2", "二组", "2023H1", 0.5, 5.0})
	out := tableOf([]string{"group_id", "group_name", "period", "violations_per_100_staff"},
		[]any{"G1", "一组", "2023H2", 3.0}, []any{"G1", "一组", "2024H1", 2.0}, []any{"G2", "二组", "2023H2", 4.0})
	ApplyAnalysis(ev, res.Results, Source{Query: "analyze", Params: "--period half"}, act, out)

	if len(ev.Scatters) != 1 || ev.Scatters[0].Result.Estimate != -0.4123 || len(ev.Scatters[0].Points) != 3 {
		t.Fatalf("scatters: %+v", ev.Scatters)
	}
	// Points pair this half's activity with next half's outcome.
	if p := ev.Scatters[0].Points[0]; p.X != 1 || p.Y != 3 {
		t.Errorf("first point %+v, want (1, 3)", p)
	}
	r := BuildEvaluation(ev, "zh")
	// One forest plot per outcome unit, each estimate per a meaningful step of its activity: a
	// share per 10 percentage points, and a share outcome in percentage points.
	factor := func(act, out string) float64 {
		f := 1.0
		if strings.HasSuffix(act, "_share") || act == "monthly_compliance" || act == "resolution_rate" {
			f *= 0.1
		}
		if strings.HasSuffix(out, "_share") {
			f *= 100
		}
		return f
	}
	want := map[string][3]float64{}
	for _, x := range res.Results {
		if x.Method == "panel_fe" {
			k := factor(x.Activity, x.Outcome)
			want[EstimateLabel(x, "zh")] = [3]float64{x.Estimate * k, x.CILow * k, x.CIHigh * k}
		}
	}
	rows := 0
	for _, c := range r.Charts() {
		if !strings.HasPrefix(c.ID, "eval-effects-") {
			continue
		}
		for _, row := range c.Data.Rows {
			rows++
			w, ok := want[row[0].(string)]
			if !ok {
				t.Errorf("%s: unexpected row %v", c.ID, row)
				continue
			}
			for i := 0; i < 3; i++ {
				if got := row[2+i].(float64); math.Abs(got-w[i]) > 1e-12 {
					t.Errorf("%s column %d: %v, want %v", row[0], i, got, w[i])
				}
			}
		}
	}
	if rows == 0 || rows != len(want) {
		t.Fatalf("%d forest rows, want %d", rows, len(want))
	}
	if c := ResultCaption(ev.Scatters[0].Result, "zh"); c != "皮尔逊相关：估计值 -0.412，95% 置信区间 [-0.63, -0.12]，p = 0.008，n = 40，多重比较校正后 p = 0.03" {
		t.Errorf("caption %q", c)
	}
	var ann AnnualData
	ApplyAnnualAnalysis(&ann, res.Results, Source{Query: "analyze"})
	if ann.Intervention == nil || ann.Intervention.DiD.Estimate != -2.5 {
		t.Errorf("intervention %+v", ann.Intervention)
	}
}

package reports

import (
	"math"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// TestEffectsInReadersUnits: each estimate is restated per a meaningful step of its activity
// and in its outcome's unit, and worded by what its design supports.
func TestEffectsInReadersUnits(t *testing.T) {
	nan := math.NaN()
	for _, tt := range []struct {
		r        stats.Result
		estimate float64
		want     []string // in the Chinese sentence
		not      []string
	}{
		// A share per 10 points (× 0.1) against a rate: -2 per unit share is -0.2 per 10 points.
		{stats.Result{Method: stats.MethodFixedEffects, Activity: "production_linked_share", Outcome: "violations_per_100_staff", Lag: 1, Estimate: -2, CILow: -3, CIHigh: -1, P: 0.01, PAdj: 0.02, N: 100},
			-0.2, []string{"结合中心工作的会议占比每提高 10 个百分点，下一期百人违章数平均降低 0.2 起/百人", "校正后 p = 0.02"}, []string{"相关关系", "每增加 1 个单位"}},
		// A count against a share outcome (× 100: percentage points), same period: an association.
		{stats.Result{Method: stats.MethodFixedEffects, Activity: "critique_per_meeting", Outcome: "timely_elimination_share", Lag: 0, Estimate: 0.012, CILow: -0.01, CIHigh: 0.03, P: 0.4, PAdj: nan, N: 50},
			1.2, []string{"每次会议批评意见数每多 1 条，同期缺陷及时消除率平均提高 1.2 个百分点", "这是相关关系", "区间包含 0"}, []string{"下一期"}},
		// A difference in differences: the event against not, in the outcome's unit.
		{stats.Result{Method: stats.MethodDiD, Activity: "model_post_awarded", Outcome: "violations_per_100_staff", Estimate: -2.9, CILow: -3.5, CIHigh: -2.3, P: 0.001, PAdj: nan, N: 400},
			-2.9, []string{"下一期百人违章数平均降低 2.9 起/百人"}, nil},
		// A correlation keeps its r.
		{stats.Result{Method: stats.MethodPearson, Activity: "meetings_held", Outcome: "near_misses", Estimate: 0.3, CILow: 0.1, CIHigh: 0.5, P: 0.01, PAdj: nan, N: 40},
			0.3, []string{"党小组会次数与未遂事件数的相关系数为 0.3"}, []string{"影响"}},
	} {
		e := EffectOf(tt.r)
		if math.Abs(e.Estimate-tt.estimate) > 1e-12 {
			t.Errorf("%s → %s: estimate %v, want %v", tt.r.Activity, tt.r.Outcome, e.Estimate, tt.estimate)
		}
		s := e.Sentence("zh")
		for _, w := range tt.want {
			if !strings.Contains(s, w) {
				t.Errorf("%q lacks %q", s, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(s, w) {
				t.Errorf("%q has %q", s, w)
			}
		}
	}
}

package reports

import (
	"math"
	"slices"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// The activity and outcome metrics a report shows (of the many queries' analyze tests): those
// the domain cares most about, in reading order.
var (
	focusActivities = []string{"production_linked_share", "critique_per_meeting", "problems_resolved_per_meeting", "study_only_share", "monthly_compliance", "meetings_held"}
	focusOutcomes   = []string{"violations_per_100_staff", "defects_per_100km", "timely_elimination_share", "customer_satisfaction"}
	scatterPairs    = [][2]string{{"production_linked_share", "defects_per_100km"}, {"critique_per_meeting", "violations_per_100_staff"},
		{"problems_resolved_per_meeting", "violations_per_100_staff"}, {"meetings_held", "violations_per_100_staff"}}
)

func findResult(rs []stats.Result, method, act, out string, lag int) (stats.Result, bool) {
	for _, r := range rs {
		if r.Method == method && r.Activity == act && r.Outcome == out && r.Lag == lag {
			return r, true
		}
	}
	return stats.Result{}, false
}

// focusEstimates picks the results of one method for the focus metrics, in reading order.
func focusEstimates(rs []stats.Result, method string, lag int, acts []string) []stats.Result {
	var out []stats.Result
	for _, a := range acts {
		for _, o := range focusOutcomes {
			if r, ok := findResult(rs, method, a, o, lag); ok && !math.IsNaN(r.Estimate) {
				out = append(out, r)
			}
		}
	}
	return out
}

// lagPoints pairs each group's activity in a period with its outcome lag periods later.
func lagPoints(act, out *queries.Table, am, om string, lag int) []Point {
	if act == nil || out == nil {
		return nil
	}
	ai, oi := colIndex(act, am), colIndex(out, om)
	if ai < 0 || oi < 0 || colIndex(act, "period") < 0 || colIndex(out, "period") < 0 || colIndex(act, "group_id") < 0 || colIndex(out, "group_id") < 0 {
		return nil
	}
	periods := periodsOf(act)
	for _, p := range periodsOf(out) {
		if !slices.Contains(periods, p) {
			periods = append(periods, p)
		}
	}
	slices.Sort(periods)
	idx := map[string]int{}
	for i, p := range periods {
		idx[p] = i
	}
	type key struct {
		g string
		i int
	}
	ys := map[key]float64{}
	for _, row := range out.Rows {
		ys[key{FormatValue(row[colIndex(out, "group_id")]), idx[FormatValue(row[colIndex(out, "period")])]}] = queries.Number(row[oi])
	}
	var pts []Point
	for _, row := range act.Rows {
		p := FormatValue(row[colIndex(act, "period")])
		y, ok := ys[key{FormatValue(row[colIndex(act, "group_id")]), idx[p] + lag}]
		x := queries.Number(row[ai])
		if !ok || math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		pts = append(pts, Point{Label: groupLabel(act, row) + " · " + p, X: x, Y: y})
	}
	return pts
}

// ApplyAnalysis adds queries' analyze results (the JSON form's "results") to the evaluation:
// scatter plots (points from the half-year tables, statistics from analyze), the correlation
// matrix, the fixed-effect forest plot, model groups against the rest, and a headline count.
// actHalf and outHalf are group_activity and group_outcomes at the analysis period.
func ApplyAnalysis(d *EvaluationData, rs []stats.Result, src Source, actHalf, outHalf *queries.Table) {
	uniqueGroupNames(actHalf, outHalf)
	if len(rs) == 0 {
		return
	}
	for _, pr := range scatterPairs {
		r, ok := findResult(rs, stats.MethodPearson, pr[0], pr[1], 1)
		if !ok || math.IsNaN(r.Estimate) {
			continue
		}
		pts := lagPoints(actHalf, outHalf, pr[0], pr[1], 1)
		if len(pts) == 0 {
			continue
		}
		d.Scatters = append(d.Scatters, Scatter{Activity: pr[0], Outcome: pr[1], Lag: 1, Points: pts, Result: r, Src: src})
	}
	m := &Matrix{Src: src}
	for _, a := range focusActivities {
		var rr, pp []float64
		var nn []int
		any := false
		for _, o := range focusOutcomes {
			r, ok := findResult(rs, stats.MethodPearson, a, o, 0)
			if !ok {
				r = stats.Result{Estimate: math.NaN(), P: math.NaN()}
			}
			any = any || !math.IsNaN(r.Estimate)
			rr, pp, nn = append(rr, r.Estimate), append(pp, r.P), append(nn, r.N)
		}
		if any {
			m.Rows = append(m.Rows, a)
			m.R, m.P, m.N = append(m.R, rr), append(m.P, pp), append(m.N, nn)
		}
	}
	if len(m.Rows) > 0 {
		m.Cols = focusOutcomes
		d.Correlation = m
	}
	for _, r := range rs {
		if r.Family == stats.FamilyPrimary {
			if d.Primary == nil {
				d.Primary = &Estimates{Src: src}
			}
			d.Primary.Results = append(d.Primary.Results, r)
		}
	}
	countSig := func(rs []stats.Result) float64 {
		n := 0
		for _, r := range rs {
			if r.Significant(0.05) {
				n++
			}
		}
		return float64(n)
	}
	if fe := focusEstimates(rs, stats.MethodFixedEffects, 1, focusActivities); len(fe) > 0 {
		d.Effects = &Estimates{Results: fe, Src: src}
		if d.Primary == nil {
			d.Headlines = append(d.Headlines, Headline{Key: "significant", Value: countSig(fe), Of: len(fe), Src: src})
		} else if _, explore := splitFamilies(fe); len(explore) > 0 {
			// Two families, adjusted apart: counted apart, so the exploratory ones never read as
			// confirmed.
			d.Headlines = append(d.Headlines, Headline{Key: "explored", Value: countSig(explore), Of: len(explore), Src: src})
		}
	}
	if d.Primary != nil {
		i := len(d.Headlines)
		if i > 0 && d.Headlines[i-1].Key == "explored" {
			i-- // the primary count first
		}
		h := Headline{Key: "supported", Value: countSig(d.Primary.Results), Of: len(d.Primary.Results), Src: src}
		if none, _ := noneEstimable(d.Primary.Results, hypothesisTests(d.Hypotheses), "zh"); none {
			h.NoneEstimable = true // 0 of 6 supported would read as tested and refuted
		}
		d.Headlines = append(d.Headlines[:i], append([]Headline{h}, d.Headlines[i:]...)...)
	}
	if mg := focusEstimates(rs, stats.MethodWelch, 0, []string{queries.ModelGroup}); len(mg) > 0 {
		d.ModelDiffs = &Estimates{Results: mg, Src: src}
	}
}

// ApplyAnnualAnalysis adds the fixed-effect estimates and the model-post difference in
// differences to the annual write-up.
func ApplyAnnualAnalysis(d *AnnualData, rs []stats.Result, src Source) {
	// The declared hypotheses are the write-up's findings; the other fixed-effect estimates are
	// exploratory and go to its appendix.
	var primary []stats.Result
	for _, r := range rs {
		if r.Family == stats.FamilyPrimary {
			primary = append(primary, r)
		}
	}
	if len(primary) > 0 {
		d.Primary = &Estimates{Results: primary, Src: src}
	}
	var explore []stats.Result
	for _, r := range focusEstimates(rs, stats.MethodFixedEffects, 1, focusActivities) {
		if r.Family != stats.FamilyPrimary {
			explore = append(explore, r)
		}
	}
	if len(explore) > 0 {
		d.Effects = &Estimates{Results: explore, Src: src}
	}
	for _, r := range rs {
		// The write-up's intervention is the model post: its text speaks of 示范岗.
		if r.Method == stats.MethodDiD && r.Activity == queries.EventModelPost && !math.IsNaN(r.Estimate) {
			iv := &Intervention{Outcome: r.Outcome, DiD: r, PreTrend: stats.Result{P: math.NaN()}, Src: src}
			if pt, ok := findResult(rs, stats.MethodPreTrend, r.Activity, r.Outcome, r.Lag); ok {
				iv.PreTrend = pt
			}
			d.Intervention = iv
			break
		}
	}
}

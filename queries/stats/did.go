package stats

import (
	"fmt"
	"slices"
	"strconv"
)

// EventPanel is long-form data for a before/after comparison: row i is unit Unit[i] (a party
// group or team) in period Period[i] (an ordered integer index, e.g. 2·year + half − 1) with
// outcome Y[i]. Start gives, for each treated unit, the first period in which it is treated
// (the model post was awarded, the group was formed); units absent from Start are never treated
// and serve as controls. Starts may differ between units (staggered adoption).
type EventPanel struct {
	Unit   []string
	Period []int
	Y      []float64
	Start  map[string]int
	// Cluster, when set, maps units to the clusters of the standard errors (a unit not in it is
	// a cluster of its own; nil: cluster by unit). Units whose outcomes share shocks belong in
	// one cluster: teams that were ever in one party group share that group's baseline and
	// activity, so analyze clusters teams by the groups that link them.
	Cluster map[string]string
}

// PreTrendAlpha is the level below which the pre-trend check adds WarnPreTrend to the
// difference-in-differences result. It is deliberately loose (0.10): failing to detect a
// pre-trend is weak evidence that there is none.
const PreTrendAlpha = 0.10

// DiffInDiff estimates the effect of an event on the outcome by difference in differences
// (双重差分) and returns two Results: MethodDiD and MethodPreTrend. m.Activity should name the
// event (e.g. "model_post_awarded").
//
// MethodDiD is the two-way fixed-effects regression y_it = α_i + γ_t + β·D_it + ε_it with
// D_it = 1 when unit i is treated and t ≥ its start. Estimate is β: the average change in the
// outcome after the event in treated units, beyond the change in control units over the same
// periods. SE is CR2 (Bell–McCaffrey) clustered by p.Cluster (by unit when nil), DF the
// Bell–McCaffrey (Satterthwaite) degrees of freedom of the t reference, as clubSandwich's
// coef_test(lm(...), vcov = "CR2", test = "Satterthwaite") computes them (see fitCR2).
//
// MethodPreTrend uses only untreated rows (controls, and treated units before their start) and
// regresses y on unit and period effects plus treated_i × t, with the CR1 standard errors and
// effective-cluster df of FixedEffects, same clusters. Estimate is the difference in
// linear trend per period between the treated and control units before treatment; a clear
// non-zero slope means the parallel-trends assumption behind DiD is doubtful, and the DiD result
// gets WarnPreTrend (P < PreTrendAlpha).
//
// Warnings on the DiD result, in plain English and Chinese: always WarnSelection (units were
// chosen, not randomised); WarnStaggered when starts differ (two-way fixed effects then also
// compares late-treated with early-treated units, which is biased when the effect grows or
// fades over time; Goodman-Bacon 2021); WarnNoControls when no unit is never treated; and the
// usual small-n, few-groups and dominant-group warnings.
func DiffInDiff(p EventPanel, m Meta) ([]Result, error) {
	n := len(p.Y)
	if len(p.Unit) != n || len(p.Period) != n {
		return nil, fmt.Errorf("%w: difference in differences: %d units, %d periods, %d outcomes", ErrInput, len(p.Unit), len(p.Period), n)
	}
	d := make([]float64, n)
	periods := make([]string, n)
	treatedUnits := map[string]bool{}
	controlUnits := map[string]bool{}
	starts := map[int]bool{}
	for i := range p.Y {
		periods[i] = strconv.Itoa(p.Period[i])
		s, treated := p.Start[p.Unit[i]]
		if !treated {
			controlUnits[p.Unit[i]] = true
			continue
		}
		treatedUnits[p.Unit[i]] = true
		starts[s] = true
		if p.Period[i] >= s {
			d[i] = 1
		}
	}
	var clusters []string
	if p.Cluster != nil {
		clusters = make([]string, n)
		for i, u := range p.Unit {
			if c, ok := p.Cluster[u]; ok {
				clusters[i] = "c:" + c
			} else {
				clusters[i] = "u:" + u
			}
		}
	}
	mm := m
	mm.Groups = nil
	// Few clusters carry the event indicator (the treated ones), so its variance rests on them:
	// CR1 with the effective number of clusters as df rejected 5.9 % of 4,000 placebo events at
	// 5 %, CR2 with Bell–McCaffrey df (fitCR2) 5.1 %. The pre-trend check keeps CR1 with the
	// effective-cluster df (feFit): on the same placebos it rejects 10 % at its 10 % level, CR2
	// only 8 %, and a conservative check would hide drifts (docs/analysis.md, Calibration study).
	did := fitFE(p.Unit, periods, clusters, p.Y, [][]float64{d}, []Regressor{{Name: "post_event", ZH: "事件后指示变量", EN: "post-event indicator"}}, nil).result(MethodDiD, mm, 0)
	did.cr2(p.Unit, periods, clusters, p.Y, d)

	// Pre-trend: untreated rows only.
	var pu, pp, pc []string
	var py, px []float64
	for i := range p.Y {
		if d[i] == 1 {
			continue
		}
		pu = append(pu, p.Unit[i])
		pp = append(pp, periods[i])
		if clusters != nil {
			pc = append(pc, clusters[i])
		}
		py = append(py, p.Y[i])
		if treatedUnits[p.Unit[i]] {
			px = append(px, float64(p.Period[i]))
		} else {
			px = append(px, 0)
		}
	}
	pf := fitFE(pu, pp, pc, py, [][]float64{px}, []Regressor{{Name: "treated_trend", ZH: "处理组 × 期间", EN: "treated × period"}}, nil)
	pre := pf.result(MethodPreTrend, mm, 0)
	// The outcome before the event, not the number of periods, can be why there is no check:
	// it moves exactly with the unit and period effects (no variation left) or with them and
	// the trend (an exact fit). Such a warning is the fit's, not the regressor's.
	exact := slices.ContainsFunc(pf.common, func(w Warning) bool { return w.Code == WarnZeroVariance || w.Code == WarnSaturated })
	if !finite(pre.Estimate) && exact {
		pre.warn(warning(WarnFewPre,
			"before the event the outcome moves exactly with the unit and period effects (and the trend): nothing is left to compare the treated units' earlier trend with the controls', so the parallel-trends assumption cannot be checked",
			"事件前结果指标的变化完全由单位效应和期间效应（及趋势）决定，没有剩余的变动可用来比较处理组与对照组的事前趋势，平行趋势假设无法检验"))
		did.warn(pre.Warnings[len(pre.Warnings)-1])
	} else if !finite(pre.Estimate) {
		pre.warn(warning(WarnFewPre,
			"the treated units have too few periods before the event to compare their earlier trend with the controls; the parallel-trends assumption cannot be checked",
			"处理组在事件前的期数太少，无法与对照组比较事前趋势，平行趋势假设无法检验"))
		did.warn(pre.Warnings[len(pre.Warnings)-1])
	} else if pre.P < PreTrendAlpha {
		did.warn(warning(WarnPreTrend,
			fmt.Sprintf("before the event the treated units were already drifting away from the controls (%.3g per period, p = %.3g): the difference in differences may reflect that drift, not the event", pre.Estimate, pre.P),
			fmt.Sprintf("事件发生前，处理组与对照组已呈现不同趋势（每期 %.3g，p = %.3g）：双重差分结果可能反映的是原有趋势，而非事件本身的作用", pre.Estimate, pre.P)))
	}

	did.warn(warning(WarnSelection,
		"selection: model posts and model groups go to teams that were already doing well, so treated and control units differ from the start. Difference in differences removes fixed differences and shared period shocks, but not differences in where the units were heading. Read this as an association under the parallel-trends assumption, not as proof that the event caused the change.",
		"选择偏差：示范岗和示范党小组往往授予本来就表现较好的班组，处理组与对照组从一开始就不同。双重差分能消除固定差异和同期共同冲击，但消除不了各自原本的发展趋势差异。本结果只能在“平行趋势”假设下解读为关联，不能证明是该事件带来了变化。"))
	if len(starts) > 1 {
		did.warn(warning(WarnStaggered,
			fmt.Sprintf("the event starts at %d different times: this estimator also compares later-treated with earlier-treated units, which is biased if the effect grows or fades over time", len(starts)),
			fmt.Sprintf("事件在 %d 个不同时间开始：本估计方法也会把较晚发生该事件的单位与较早发生的单位相比较，若作用随时间增强或减弱，估计会有偏差", len(starts))))
	}
	if len(controlUnits) == 0 {
		did.warn(warning(WarnNoControls,
			"no unit is without the event: there is no control group, only the timing of the event separates its effect from other changes",
			"没有未发生该事件的单位：缺少对照组，只能依靠事件发生时间的先后来区分其作用与其他变化"))
	}
	if k := len(treatedUnits); k < MinGroups {
		did.warn(warning(WarnFewGroups,
			fmt.Sprintf("only %d treated units: one unusual unit can decide the result", k),
			fmt.Sprintf("处理组仅 %d 个单位：一个特殊单位就可能决定结果", k)))
	}
	return []Result{did, pre}, nil
}

// cr2 replaces the CR1 inference of an estimated result by CR2 with Bell–McCaffrey degrees
// of freedom (fitCR2); a result fitFE could not estimate stays as it is.
func (r *Result) cr2(unit, period, cluster []string, y, x []float64) {
	if !finite(r.Estimate) {
		return
	}
	if c := fitCR2(unit, period, cluster, y, x); c.ok {
		r.setT(r.Estimate, c.se, c.df)
	}
}

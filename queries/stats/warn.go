package stats

import "fmt"

// Code identifies a kind of warning; callers branch on it. The text is given in English and
// Chinese in the Warning itself, so a report can show either without a translation table.
type Code string

// Warning codes.
const (
	WarnTooFew        Code = "too_few"        // too few observations to compute the method at all
	WarnSmallN        Code = "small_n"        // n below MinN: intervals are wide, approximations rough
	WarnFewGroups     Code = "few_groups"     // fewer than MinGroups clusters
	WarnDominantGroup Code = "dominant_group" // one group holds more than DominantShare of observations or leverage
	WarnZeroVariance  Code = "zero_variance"  // a variable does not vary
	WarnAbsorbed      Code = "absorbed"       // a regressor does not vary within groups/periods: the fixed effects absorb it
	WarnCollinear     Code = "collinear"      // regressors are (nearly) linearly dependent
	WarnNotConverged  Code = "not_converged"  // the fixed-effect demeaning did not converge
	WarnSaturated     Code = "saturated"      // no residual degrees of freedom, or an exact fit: no test is possible
	WarnSelection     Code = "selection"      // treated units were chosen, not assigned at random
	WarnPreTrend      Code = "pre_trend"      // treated and control units already drifted apart before treatment
	WarnStaggered     Code = "staggered"      // treatment starts at different times
	WarnNoControls    Code = "no_controls"    // no never-treated units
	WarnFewPre        Code = "few_pre_periods"
	WarnTies          Code = "ties" // many tied values in a rank method
	// WarnCIDisagrees: a Mann–Whitney p-value (null variance) and its interval (DeLong variance)
	// give different verdicts at 5%.
	WarnCIDisagrees Code = "ci_p_disagree"
)

// Thresholds for the warnings.
const (
	MinN          = 30   // below this many observations: WarnSmallN
	MinGroups     = 10   // below this many clusters: WarnFewGroups
	DominantShare = 0.25 // a group above this share of observations or leverage: WarnDominantGroup
)

// Warning is a plain-words caveat attached to a Result, in English and Chinese.
type Warning struct {
	Code Code   `json:"code"`
	EN   string `json:"en"`
	ZH   string `json:"zh"`
}

func warning(c Code, en, zh string) Warning { return Warning{Code: c, EN: en, ZH: zh} }

func warnTooFew(n, need int) Warning {
	return warning(WarnTooFew,
		fmt.Sprintf("only %d usable observations; this method needs at least %d, so nothing was estimated", n, need),
		fmt.Sprintf("有效观测仅 %d 个，本方法至少需要 %d 个，未作估计", n, need))
}

func warnNoResidualDF(n, g, t, k int) Warning {
	return warning(WarnSaturated,
		fmt.Sprintf("no residual degrees of freedom: %d observations in %d groups and %d periods are used up by the group and period effects and %d activities, so the model fits the data exactly and no test is possible; nothing was estimated", n, g, t, k),
		fmt.Sprintf("没有剩余自由度：%d 个观测（%d 个小组、%d 个期间）被小组效应、期间效应和 %d 个活动指标全部用尽，模型与数据完全吻合，无法检验，未作估计", n, g, t, k))
}

func warnExactFit() Warning {
	return warning(WarnSaturated,
		"the model fits the data exactly (the residuals are zero up to rounding): there is no variation left to test against, so no test is possible; nothing was estimated",
		"模型与数据完全吻合（残差在舍入误差范围内为零）：没有剩余的变动可供比较，无法检验，未作估计")
}

func warnSmallN(n int) Warning {
	return warning(WarnSmallN,
		fmt.Sprintf("small sample (n = %d < %d): the interval is wide and the p-value approximate; treat the result as a hint, not a finding", n, MinN),
		fmt.Sprintf("样本量小（n = %d < %d）：置信区间宽、p 值为近似值，结果只作参考，不能作为结论", n, MinN))
}

func warnFewGroups(g int) Warning {
	return warning(WarnFewGroups,
		fmt.Sprintf("only %d groups (< %d): standard errors clustered by group are unreliable with so few groups", g, MinGroups),
		fmt.Sprintf("党小组仅 %d 个（< %d）：按小组聚类的标准误在小组这么少时不可靠", g, MinGroups))
}

func warnZeroVariance(what, whatZH string) Warning {
	return warning(WarnZeroVariance,
		fmt.Sprintf("%s does not vary, so the method is undefined", what),
		fmt.Sprintf("%s没有变化（方差为零），无法计算", whatZH))
}

// checkN adds small-n warnings.
func checkN(r *Result) {
	if r.N < MinN {
		r.warn(warnSmallN(r.N))
	}
}

// dominance counts groups and checks whether one group holds more than DominantShare of the
// observations, or of the weights w (a leverage measure) when w is non-nil. It returns the number
// of groups and the warnings.
func dominance(groups []string, w []float64) (int, []Warning) {
	if len(groups) == 0 {
		return 0, nil
	}
	gi := NewGroupIndex(groups)
	return newGroupCounter(gi).dominance(gi.codes, w)
}

func warnDominantObs(group string, share float64) Warning {
	return warning(WarnDominantGroup,
		fmt.Sprintf("group %q holds %.0f%% of the observations: the result may describe that one group rather than the company", group, 100*share),
		fmt.Sprintf("小组 %q 占全部观测的 %.0f%%：结果可能主要反映这一个小组，而不是全公司", group, 100*share))
}

func warnDominantLeverage(group string, share float64) Warning {
	return warning(WarnDominantGroup,
		fmt.Sprintf("group %q carries %.0f%% of the leverage (the variation that drives the estimate): one group decides the result", group, 100*share),
		fmt.Sprintf("小组 %q 贡献了 %.0f%% 的杠杆（决定估计值的变异）：结果由这一个小组决定", group, 100*share))
}

package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// CompareGroups compares the outcome y of the observations with model[i] true (model groups,
// 示范党小组) against the rest and returns three Results: Welch's t, Mann–Whitney U and Hedges' g,
// each estimating "model minus rest". Non-finite values of y are dropped. m.Groups, when set,
// turns on the few-groups and dominant-group warnings.
//
// Such a comparison is cross-sectional: model groups are chosen because they were already
// good, so a difference here is not an effect of being a model group (see DiffInDiff).
func CompareGroups(y []float64, model []bool, m Meta) ([]Result, error) {
	if len(y) != len(model) {
		return nil, fmt.Errorf("%w: compare groups: %d values, %d flags", ErrInput, len(y), len(model))
	}
	if m.Groups != nil && len(m.Groups) != len(y) {
		return nil, fmt.Errorf("%w: compare groups: %d group labels for %d values", ErrInput, len(m.Groups), len(y))
	}
	var a, b []float64
	var gs []string
	for i, v := range y {
		if !finite(v) {
			continue
		}
		if model[i] {
			a = append(a, v)
		} else {
			b = append(b, v)
		}
		if m.Groups != nil {
			gs = append(gs, m.Groups[i])
		}
	}
	mm := m
	mm.Groups = nil
	out := []Result{welch(a, b, mm), mannWhitney(a, b, mm), hedgesG(a, b, mm)}
	var groups int
	var ws []Warning
	if gs != nil {
		groups, ws = dominance(gs, nil) // the same observations for all three
	}
	for i := range out {
		out[i].Dropped = len(y) - len(a) - len(b)
		if gs != nil {
			out[i].Groups = groups
			out[i].warn(ws...)
		}
	}
	return out, nil
}

// WelchT is Welch's two-sample t test of mean(a) − mean(b) without assuming equal variances.
// Estimate is the difference in means, the CI uses Student's t with the Welch–Satterthwaite
// df = (va/na + vb/nb)² / ((va/na)²/(na−1) + (vb/nb)²/(nb−1)); Statistic is t, EffectSize is
// Hedges' g. Non-finite values are dropped.
func WelchT(a, b []float64, m Meta) Result { return welch(clean(a), clean(b), m) }

// MannWhitneyU is the Wilcoxon–Mann–Whitney rank-sum test of a against b. Statistic is
// U = R_a − n_a(n_a+1)/2 (R's W), with mid-ranks for ties; P is from the normal approximation
// with tie correction and continuity correction (R's wilcox.test(exact = FALSE, correct = TRUE)).
// Estimate and EffectSize are the rank-biserial correlation r = 2U/(n_a·n_b) − 1 (from −1: every
// b above every a, to 1: every a above every b); its CI is Wald on the AUC scale U/(n_a·n_b)
// with DeLong's variance, mapped to r and clipped to [−1, 1].
func MannWhitneyU(a, b []float64, m Meta) Result { return mannWhitney(clean(a), clean(b), m) }

// HedgesG is the standardised mean difference (mean(a) − mean(b)) / s_pooled times Hedges'
// exact small-sample correction J = Γ(df/2) / (√(df/2)·Γ((df−1)/2)), df = n_a + n_b − 2. The CI is
// g ± z₀.₉₇₅·SE with SE = √((n_a+n_b)/(n_a·n_b) + g²/(2(n_a+n_b))) (Hedges & Olkin 1985); P and
// Statistic are from Student's pooled-variance t test, the test that matches g.
func HedgesG(a, b []float64, m Meta) Result { return hedgesG(clean(a), clean(b), m) }

func clean(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if finite(v) {
			out = append(out, v)
		}
	}
	return out
}

func meanVar(x []float64) (float64, float64) {
	m := mean(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return m, s / float64(len(x)-1)
}

// twoSampleStart checks sizes and adds the common warnings.
func twoSampleStart(method string, a, b []float64, m Meta) (Result, bool) {
	r := newResult(method, m)
	r.N = len(a) + len(b)
	if len(a) < 2 || len(b) < 2 {
		r.warn(warning(WarnTooFew,
			fmt.Sprintf("need at least 2 observations in each group; have %d model and %d other", len(a), len(b)),
			fmt.Sprintf("每组至少需要 2 个观测；示范组 %d 个、其他 %d 个", len(a), len(b))))
		return r, false
	}
	if len(a) < MinN || len(b) < MinN {
		r.warn(warning(WarnSmallN,
			fmt.Sprintf("small groups (%d model, %d other; < %d each): the interval is wide and the p-value approximate", len(a), len(b), MinN),
			fmt.Sprintf("组规模小（示范组 %d 个、其他 %d 个，均应不少于 %d）：置信区间宽、p 值为近似值", len(a), len(b), MinN)))
	}
	return r, true
}

func welch(a, b []float64, m Meta) Result {
	r, ok := twoSampleStart(MethodWelch, a, b, m)
	if !ok {
		return r
	}
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	na, nb := float64(len(a)), float64(len(b))
	r.Estimate = ma - mb
	qa, qb := va/na, vb/nb
	se := math.Sqrt(qa + qb)
	if se == 0 {
		r.warn(warnZeroVariance("the outcome in both groups", "两组的结果指标"))
		return r
	}
	df := (qa + qb) * (qa + qb) / (qa*qa/(na-1) + qb*qb/(nb-1))
	t := r.Estimate / se
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	q := dist.Quantile(1 - (1-Level)/2)
	r.SE, r.DF, r.Statistic = se, df, t
	r.P = 2 * dist.Survival(math.Abs(t))
	r.CILow, r.CIHigh = r.Estimate-q*se, r.Estimate+q*se
	if sp := math.Sqrt(((na-1)*va + (nb-1)*vb) / (na + nb - 2)); sp > 0 {
		r.EffectSize = hedgesJ(na+nb-2) * r.Estimate / sp
	}
	return r
}

func mannWhitney(a, b []float64, m Meta) Result {
	r, ok := twoSampleStart(MethodMannWhitney, a, b, m)
	if !ok {
		return r
	}
	na, nb := float64(len(a)), float64(len(b))
	all := append(append(make([]float64, 0, len(a)+len(b)), a...), b...)
	rk, ties := midranks(all)
	ra, _ := midranks(a)
	rb, _ := midranks(b)
	sumA := 0.0
	for i := range a {
		sumA += rk[i]
	}
	n := na + nb
	u := sumA - na*(na+1)/2
	r.Statistic = u
	if ties >= n*n*n-n {
		r.warn(warnZeroVariance("the outcome (all values tied)", "结果指标（全部取值相同）"))
		return r
	}
	mu := na * nb / 2
	sigma := math.Sqrt(na * nb / 12 * ((n + 1) - ties/(n*(n-1))))
	corr := 0.0
	switch {
	case u > mu:
		corr = 0.5
	case u < mu:
		corr = -0.5
	}
	z := (u - mu - corr) / sigma
	// The lower tail at −|z|: gonum's Normal.Survival is 0.5·(1 − erf), which cancels to 0 for
	// z above about 8.3, where R still gives p (3.7e-27 at z = 10.8); the CDF is 0.5·erfc.
	r.P = 2 * distuv.UnitNormal.CDF(-math.Abs(z))
	if ties > 0 && ties > (n*n*n-n)/2 {
		r.warn(warning(WarnTies, "most values are tied: the rank test has little to work with",
			"大多数取值相同（并列）：秩检验可用信息很少"))
	}
	// AUC = P(a > b) + ½P(a = b) and DeLong's variance from placement values.
	auc := u / (na * nb)
	va := make([]float64, len(a))
	for i := range a {
		va[i] = (rk[i] - ra[i]) / nb
	}
	vb := make([]float64, len(b))
	for j := range b {
		vb[j] = 1 - (rk[len(a)+j]-rb[j])/na
	}
	_, s10 := meanVar(va)
	_, s01 := meanVar(vb)
	se := math.Sqrt(s10/na + s01/nb)
	zc := distuv.UnitNormal.Quantile(1 - (1-Level)/2)
	rb1 := 2*auc - 1
	r.Estimate, r.EffectSize, r.SE = rb1, rb1, 2*se
	r.CILow = math.Max(-1, 2*(auc-zc*se)-1)
	r.CIHigh = math.Min(1, 2*(auc+zc*se)-1)
	// The p-value uses U's variance if both groups came from one distribution (wilcox.test); the
	// interval uses DeLong's variance, which allows them to differ (unequal spreads). Their
	// verdicts at 5% differ exactly when the two z statistics fall on either side of the critical
	// value: |U − n_a·n_b/2 − c|/σ₀ against |AUC − ½|/se_DeLong. Say so rather than print a
	// "significant" p beside an interval that includes 0 (or the reverse).
	if sigP, sigCI := r.P < 1-Level, r.CILow > 0 || r.CIHigh < 0; sigP != sigCI {
		r.warn(warnCIDisagrees(sigP))
	}
	return r
}

func warnCIDisagrees(sigP bool) Warning {
	en := "the p-value is below 0.05 but the 95% interval includes 0"
	zh := "p 值小于 0.05，但 95% 置信区间包含 0"
	if !sigP {
		en = "the 95% interval excludes 0 but the p-value is not below 0.05"
		zh = "95% 置信区间不含 0，但 p 值不小于 0.05"
	}
	return warning(WarnCIDisagrees,
		en+": the p-value assumes both groups have the same distribution, the interval allows different spreads; the two groups probably differ in spread, so read the difference in level with care",
		zh+"：p 值假定两组分布相同，置信区间允许两组离散程度不同；两组很可能离散程度不同，对水平差异的判断须谨慎")
}

// hedgesJ is Hedges' exact small-sample correction for df degrees of freedom.
func hedgesJ(df float64) float64 {
	lg1, _ := math.Lgamma(df / 2)
	lg2, _ := math.Lgamma((df - 1) / 2)
	return math.Exp(lg1-lg2) / math.Sqrt(df/2)
}

func hedgesG(a, b []float64, m Meta) Result {
	r, ok := twoSampleStart(MethodHedgesG, a, b, m)
	if !ok {
		return r
	}
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	na, nb := float64(len(a)), float64(len(b))
	df := na + nb - 2
	sp := math.Sqrt(((na-1)*va + (nb-1)*vb) / df)
	if sp == 0 {
		r.warn(warnZeroVariance("the outcome within both groups", "两组内部的结果指标"))
		return r
	}
	g := hedgesJ(df) * (ma - mb) / sp
	se := math.Sqrt((na+nb)/(na*nb) + g*g/(2*(na+nb)))
	zc := distuv.UnitNormal.Quantile(1 - (1-Level)/2)
	r.Estimate, r.EffectSize, r.SE = g, g, se
	r.CILow, r.CIHigh = g-zc*se, g+zc*se
	t := (ma - mb) / (sp * math.Sqrt(1/na+1/nb))
	r.Statistic, r.DF = t, df
	r.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
	return r
}

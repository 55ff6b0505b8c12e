package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Pearson returns the Pearson correlation of x and y over the pairs where both are finite.
// Estimate is r; the 95% CI is tanh(atanh(r) ± z₀.₉₇₅/√(n−3)) (Fisher z, needs n ≥ 4); P is
// two-sided from t = r·√((n−2)/(1−r²)) with n−2 df; Statistic is t and DF is n−2. With
// m.Groups set, Groups is the number of groups and a warning is added when one group holds more
// than a quarter of the observations or of Σ(x−x̄)² (the leverage on the slope).
func Pearson(x, y []float64, m Meta) (Result, error) {
	return correlate(MethodPearson, x, y, m)
}

// Spearman returns Spearman's rank correlation: the Pearson correlation of the mid-ranks (ties
// get the average of their ranks), over the pairs where both values are finite. The 95% CI is
// Fisher z with the Bonett–Wright standard error √((1 + r²/2)/(n−3)); P is two-sided from the
// t approximation t = r·√((n−2)/(1−r²)) with n−2 df (R's cor.test with exact = FALSE).
func Spearman(x, y []float64, m Meta) (Result, error) {
	return correlate(MethodSpearman, x, y, m)
}

// completePairs keeps the indices where x and y are both finite.
func completePairs(x, y []float64, groups []string) (xs, ys []float64, gs []string) {
	for i := range x {
		if !finite(x[i]) || !finite(y[i]) {
			continue
		}
		xs = append(xs, x[i])
		ys = append(ys, y[i])
		if groups != nil {
			gs = append(gs, groups[i])
		}
	}
	return xs, ys, gs
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func correlate(method string, x, y []float64, m Meta) (Result, error) {
	if len(x) != len(y) {
		return Result{}, fmt.Errorf("%w: %s: x has %d values, y has %d", ErrInput, method, len(x), len(y))
	}
	if m.Groups != nil && len(m.Groups) != len(x) {
		return Result{}, fmt.Errorf("%w: %s: %d group labels for %d observations", ErrInput, method, len(m.Groups), len(x))
	}
	xs, ys, gs := completePairs(x, y, m.Groups)
	r := newResult(method, m)
	r.N = len(xs)
	r.Dropped = len(x) - len(xs)
	if r.N < 3 {
		r.warn(warnTooFew(r.N, 3))
		return r, nil
	}
	checkN(&r)
	var tx, ty float64
	if method == MethodSpearman {
		xs, tx = midranks(xs)
		ys, ty = midranks(ys)
		n := float64(r.N)
		if full := n*n*n - n; tx > full/2 || ty > full/2 {
			r.warn(warnMostTied())
		}
	}
	lev := make([]float64, len(xs))
	sxx, syy, sxy := moments(xs, ys, lev)
	if gs != nil {
		var ws []Warning
		r.Groups, ws = dominance(gs, lev)
		r.warn(ws...)
	}
	finishCorrelation(&r, method, sxx, syy, sxy)
	return r, nil
}

func warnMostTied() Warning {
	return warning(WarnTies, "most values are tied: rank correlation says little here",
		"大多数取值相同（并列）：秩相关在此意义不大")
}

// moments returns the centred sums of squares and products of the pairs, and each x's squared
// deviation (its leverage on the slope) in lev.
func moments(xs, ys, lev []float64) (sxx, syy, sxy float64) {
	mx, my := mean(xs), mean(ys)
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
		lev[i] = dx * dx
	}
	return sxx, syy, sxy
}

// finishCorrelation fills the estimate, test and interval from the centred sums.
func finishCorrelation(r *Result, method string, sxx, syy, sxy float64) {
	if sxx == 0 || syy == 0 {
		what, whatZH := "the activity", "活动指标"
		if sxx != 0 {
			what, whatZH = "the outcome", "结果指标"
		} else if syy == 0 {
			what, whatZH = "both variables", "两个变量都"
		}
		r.warn(warnZeroVariance(what, whatZH))
		return
	}
	rho := sxy / math.Sqrt(sxx*syy)
	rho = math.Max(-1, math.Min(1, rho))
	r.Estimate = rho
	n := float64(r.N)
	df := n - 2
	r.DF = df
	t := rho * math.Sqrt(df/((1-rho)*(1+rho)))
	if math.Abs(rho) == 1 {
		t = math.Copysign(math.Inf(1), rho)
	}
	r.Statistic = t
	r.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
	if r.N >= 4 {
		se := 1 / math.Sqrt(n-3)
		if method == MethodSpearman {
			se = math.Sqrt((1 + rho*rho/2) / (n - 3))
		}
		zc := distuv.UnitNormal.Quantile(1 - (1-Level)/2)
		z := math.Atanh(rho)
		r.CILow, r.CIHigh = math.Tanh(z-zc*se), math.Tanh(z+zc*se)
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

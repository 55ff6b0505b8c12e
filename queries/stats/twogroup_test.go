package stats_test

import (
	"math"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// R's sleep data (Cushny & Peebles), as printed in the Cookbook for R
// (http://www.cookbook-r.com/Statistical_analysis/t-test/).
var (
	sleep1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleep2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

// t.test(extra ~ group, sleep): t = -1.8608, df = 17.776, p-value = 0.07939,
// 95% CI -3.3654832 0.2054832, means 0.75 and 2.33 (Cookbook for R, above).
func TestWelchSleep(t *testing.T) {
	r := stats.WelchT(sleep1, sleep2, stats.Meta{Activity: "model_group", Outcome: "extra"})
	near(t, "estimate", r.Estimate, 0.75-2.33, 1e-12)
	near(t, "t", r.Statistic, -1.8608, 5e-5)
	near(t, "df", r.DF, 17.776, 5e-4)
	near(t, "p", r.P, 0.07939, 5e-6)
	near(t, "ci_low", r.CILow, -3.3654832, 5e-8)
	near(t, "ci_high", r.CIHigh, 0.2054832, 5e-8)
	if r.N != 20 || !r.HasWarning(stats.WarnSmallN) {
		t.Errorf("n/warnings: %+v", r)
	}
}

// Mann–Whitney U against R's wilcox.test (normal approximation, tie and continuity correction):
//   - "endmemo": https://endmemo.com/r/wilcoxon.php — W = 51.5, p-value = 0.5966
//   - "stackexchange": https://stats.stackexchange.com/questions/403173 — W = 97, p-value = 0.5335
//   - "mtcars": wilcox.test(mpg ~ am, data = mtcars) — W = 42, p-value = 0.001871 (quoted in
//     "Cannot Compute Exact P Values", Nemotron-CC-Math page collection); mpg by am from R's
//     mtcars in row order.
func TestMannWhitneyReference(t *testing.T) {
	cases := []struct {
		name string
		a, b []float64
		w, p float64
		tol  float64 // half a unit in the last digit R printed
	}{
		{"endmemo",
			[]float64{1, 5, 9, 24, 56, 21, 3, 7, 21, 4},
			[]float64{12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5},
			51.5, 0.5966, 5e-5},
		{"stackexchange",
			[]float64{99, 131, 118, 112, 128, 134, 103, 127, 121, 139, 110, 123, 100, 131, 108},
			[]float64{117, 125, 140, 109, 128, 136, 120, 107, 134, 122, 114, 101, 128, 110, 141},
			97, 0.5335, 5e-5},
		{"mtcars",
			[]float64{21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4, 10.4, 14.7, 21.5, 15.5, 15.2, 13.3, 19.2},
			[]float64{21.0, 21.0, 22.8, 32.4, 30.4, 33.9, 27.3, 26.0, 30.4, 15.8, 19.7, 15.0, 21.4},
			42, 0.001871, 5e-7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := stats.MannWhitneyU(c.a, c.b, stats.Meta{})
			near(t, "U", r.Statistic, c.w, 0)
			near(t, "p", r.P, c.p, c.tol)
			// Rank-biserial correlation and its DeLong SE by brute force over all pairs.
			var gt, lt float64
			va := make([]float64, len(c.a))
			vb := make([]float64, len(c.b))
			for i, x := range c.a {
				for j, y := range c.b {
					psi := 0.5
					if x > y {
						gt++
						psi = 1
					} else if x < y {
						lt++
						psi = 0
					}
					va[i] += psi / float64(len(c.b))
					vb[j] += psi / float64(len(c.a))
				}
			}
			nn := float64(len(c.a) * len(c.b))
			near(t, "rank-biserial", r.Estimate, (gt-lt)/nn, 1e-12)
			near(t, "effect_size", r.EffectSize, r.Estimate, 0)
			se := math.Sqrt(variance(va)/float64(len(c.a)) + variance(vb)/float64(len(c.b)))
			auc := (gt + (nn-gt-lt)/2) / nn
			near(t, "ci_low", r.CILow, math.Max(-1, 2*(auc-1.959963984540054*se)-1), 1e-9)
			near(t, "ci_high", r.CIHigh, math.Min(1, 2*(auc+1.959963984540054*se)-1), 1e-9)
		})
	}
}

func variance(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

// Hedges' g on the sleep data. Reference: the group SDs printed by R (sd = 1.789010 and
// 2.002249), pooled by hand; J by Hedges' approximation 1 − 3/(4·df − 1), which agrees with the
// exact gamma-function J to 1e-3 at df = 18; SE by the NIST Dataplot formula
// (https://www.itl.nist.gov/div898/software/dataplot/refman1/auxillar/hedges_g.htm).
// R's effectsize::hedges_g(extra ~ group, sleep) prints g = -0.80.
func TestHedgesGSleep(t *testing.T) {
	r := stats.HedgesG(sleep1, sleep2, stats.Meta{})
	sp := math.Sqrt((1.789010*1.789010 + 2.002249*2.002249) / 2)
	d := (0.75 - 2.33) / sp
	gApprox := (1 - 3.0/(4*18-1)) * d
	near(t, "g", r.Estimate, gApprox, 1e-3)
	near(t, "g (2 digits, effectsize)", r.Estimate, -0.80, 0.005)
	g := r.Estimate
	se := math.Sqrt(20.0/100 + g*g/40)
	near(t, "se", r.SE, se, 1e-12)
	near(t, "ci_low", r.CILow, g-1.959963984540054*se, 1e-12)
	near(t, "ci_high", r.CIHigh, g+1.959963984540054*se, 1e-12)
	// Student's pooled t test on sleep: t = -1.8608, df = 18, p-value = 0.07919 (R, var.equal = TRUE).
	near(t, "t", r.Statistic, -1.8608, 5e-5)
	near(t, "p", r.P, 0.07919, 5e-6)
}

func TestCompareGroups(t *testing.T) {
	y := append(append([]float64{}, sleep1...), sleep2...)
	y = append(y, math.NaN())
	model := make([]bool, len(y))
	for i := range sleep1 {
		model[i] = true
	}
	rs, err := stats.CompareGroups(y, model, stats.Meta{Activity: "model_group"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].Method != stats.MethodWelch || rs[1].Method != stats.MethodMannWhitney || rs[2].Method != stats.MethodHedgesG {
		t.Fatalf("methods: %+v", rs)
	}
	w := stats.WelchT(sleep1, sleep2, stats.Meta{})
	if rs[0].P != w.P || rs[0].Dropped != 1 || rs[0].Activity != "model_group" {
		t.Errorf("welch via CompareGroups: %+v", rs[0])
	}
	// Degenerate inputs give warnings, not errors or panics.
	one := stats.WelchT([]float64{1}, []float64{1, 2}, stats.Meta{})
	if !one.HasWarning(stats.WarnTooFew) || !math.IsNaN(one.P) {
		t.Errorf("n=1: %+v", one)
	}
	flat := stats.WelchT([]float64{1, 1, 1}, []float64{1, 1}, stats.Meta{})
	if !flat.HasWarning(stats.WarnZeroVariance) {
		t.Errorf("zero variance: %+v", flat)
	}
	tied := stats.MannWhitneyU([]float64{2, 2, 2}, []float64{2, 2}, stats.Meta{})
	if !tied.HasWarning(stats.WarnZeroVariance) {
		t.Errorf("all tied: %+v", tied)
	}
	if _, err := stats.CompareGroups([]float64{1}, nil, stats.Meta{}); err == nil {
		t.Error("length mismatch accepted")
	}
}

// Far in the tail the p-value must keep its digits: R, wilcox.test(a, b, exact = FALSE) with
// a <- 10 + (1:70 %% 7), b <- (1:70 %% 9) gives W = 4900, p = 1.4667601868057879e-24 (printed
// with sprintf("%.17g")). The normal tail taken as 0.5·(1 − erf(z/√2)) cancels to 0 there.
func TestMannWhitneyFarTail(t *testing.T) {
	var a, b []float64
	for i := 1; i <= 70; i++ {
		a = append(a, float64(10+i%7))
		b = append(b, float64(i%9))
	}
	r := stats.MannWhitneyU(a, b, stats.Meta{})
	near(t, "U", r.Statistic, 4900, 0)
	const want = 1.4667601868057879e-24
	if math.Abs(r.P-want) > 1e-12*want {
		t.Errorf("p = %.17g, want %.17g (relative 1e-12)", r.P, want)
	}
	// And the mirror image: the same p with the groups swapped.
	s := stats.MannWhitneyU(b, a, stats.Meta{})
	if math.Abs(s.P-want) > 1e-12*want {
		t.Errorf("swapped: p = %.17g, want %.17g", s.P, want)
	}
}

// The Mann–Whitney p-value (null variance, as wilcox.test) and its interval (DeLong variance)
// can give different verdicts; when they do the result says so. Narrow model groups against
// widely spread others: R's wilcox.test(a, b, exact = FALSE) gives W = 108,
// p = 0.038457689630790055, while the DeLong interval of the rank-biserial r includes 0.
// Where the spreads are alike (the mtcars case) they agree and there is no warning.
func TestMannWhitneyIntervalAndPDisagree(t *testing.T) {
	a := []float64{9, 9, 9, 11, 12, 10, 10, 9, 10, 9, 10, 10}
	b := []float64{0, 4, 16, 0, 19, 21, -3, -3, 8, 5, -3, 6}
	r := stats.MannWhitneyU(a, b, stats.Meta{})
	near(t, "U", r.Statistic, 108, 0)
	near(t, "p", r.P, 0.038457689630790055, 1e-15)
	if !(r.CILow < 0 && 0 < r.CIHigh) {
		t.Fatalf("CI [%v, %v] should include 0 here", r.CILow, r.CIHigh)
	}
	if !r.HasWarning(stats.WarnCIDisagrees) {
		t.Errorf("p %.3g below 0.05 with a CI including 0, but no %s warning: %+v", r.P, stats.WarnCIDisagrees, r.Warnings)
	}
	m := stats.MannWhitneyU(
		[]float64{21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4, 10.4, 14.7, 21.5, 15.5, 15.2, 13.3, 19.2},
		[]float64{21.0, 21.0, 22.8, 32.4, 30.4, 33.9, 27.3, 26.0, 30.4, 15.8, 19.7, 15.0, 21.4}, stats.Meta{})
	if m.HasWarning(stats.WarnCIDisagrees) || !(m.P < 0.05 && m.CIHigh < 0) {
		t.Errorf("mtcars: p %.3g, CI [%.3g, %.3g], warnings %+v: want agreement", m.P, m.CILow, m.CIHigh, m.Warnings)
	}
}

package stats_test

import (
	"math"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// A two-way fixed-effects fit with no residual degrees of freedom (n ≤ G + T − 1 + K), or one
// whose residuals are zero up to rounding, has no test: its residuals say nothing about the
// noise, so a standard error from them reads as certainty (p ≈ 0) or is 0 (p NaN). Such a fit
// is reported as not estimated, with WarnSaturated in both languages, and nothing in it reads
// as significant. A fit with one residual degree of freedom, or with small but real noise,
// is still estimated.
func TestFixedEffectsExactFitIsNotCertainty(t *testing.T) {
	// exact: y = α_g + γ_t + 2x (+ 0.5 z) to the last bit the data allow.
	exact := func(G, T int, noise float64, k int) stats.Panel {
		var p stats.Panel
		x := make([][]float64, k)
		for g := 0; g < G; g++ {
			for tt := 0; tt < T; tt++ {
				xv := float64((g*7+tt*3)%5) + 0.25*float64(g*tt%3)
				zv := float64((g*5+tt*tt)%7) / 4
				y := 10*float64(g) + 3*float64(tt*tt) + 2*xv
				if k > 1 {
					y += 0.5 * zv
				}
				y += noise * float64((g*13+tt*11)%9-4)
				p.Group = append(p.Group, string(rune('a'+g)))
				p.Period = append(p.Period, string(rune('1'+tt)))
				p.Y = append(p.Y, y)
				x[0] = append(x[0], xv)
				if k > 1 {
					x[1] = append(x[1], zv)
				}
			}
		}
		p.X = []stats.Regressor{{Name: "critique_per_meeting@0", Values: x[0]}}
		if k > 1 {
			p.X = append(p.X, stats.Regressor{Name: "meetings_held@1", Values: x[1]})
		}
		return p
	}
	// saturated: the residual degrees of freedom are zero whatever y is.
	sat := func(group, period []string, y []float64, xs ...[]float64) stats.Panel {
		p := stats.Panel{Group: group, Period: period, Y: y}
		for j, x := range xs {
			p.X = append(p.X, stats.Regressor{Name: []string{"x", "z"}[j], Values: x})
		}
		return p
	}
	for _, tt := range []struct {
		name      string
		p         stats.Panel
		saturated bool
	}{
		{"2 groups × 2 periods, 1 regressor", sat([]string{"a", "a", "b", "b"}, []string{"1", "2", "1", "2"},
			[]float64{1, 4, 2, 9}, []float64{0, 1, 1, 3}), true},
		{"3 groups × 2 periods, 2 regressors", sat([]string{"a", "a", "b", "b", "c", "c"}, []string{"1", "2", "1", "2", "1", "2"},
			[]float64{1, 4, 2, 9, 3, 3.5}, []float64{0, 1, 1, 3, 2, 2.5}, []float64{1, 0, 2, 2, 0, 3}), true},
		{"exact fit, 6 groups × 5 periods", exact(6, 5, 0, 1), true},
		{"exact fit, 2 regressors", exact(6, 5, 0, 2), true},
		{"one residual degree of freedom", sat([]string{"a", "a", "b", "b", "c", "c"}, []string{"1", "2", "1", "2", "1", "2"},
			[]float64{1, 4, 2, 9, 3, 3.5}, []float64{0, 1, 1, 3, 2, 2.5}), false},
		{"small real noise", exact(6, 5, 1e-6, 1), false},
	} {
		rs, err := stats.FixedEffects(tt.p, stats.Meta{Outcome: "violations_per_100_staff"})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for _, r := range rs {
			if !tt.saturated {
				if !finite(r.Estimate) || !finite(r.SE) || r.SE <= 0 || r.HasWarning(stats.WarnSaturated) {
					t.Errorf("%s: %s not estimated: %+v", tt.name, r.Activity, r)
				}
				continue
			}
			if !r.HasWarning(stats.WarnSaturated) {
				t.Errorf("%s: %s has no %q warning: %+v", tt.name, r.Activity, stats.WarnSaturated, r.Warnings)
			}
			for name, v := range map[string]float64{"estimate": r.Estimate, "se": r.SE, "p": r.P, "ci_low": r.CILow, "ci_high": r.CIHigh, "t": r.Statistic} {
				if !math.IsNaN(v) {
					t.Errorf("%s: %s reports %s = %g for a fit with no test", tt.name, r.Activity, name, v)
				}
			}
			if r.Significant(0.05) {
				t.Errorf("%s: %s reads as significant", tt.name, r.Activity)
			}
			for _, w := range r.Warnings {
				if w.Code == stats.WarnSaturated && (!strings.Contains(w.ZH, "无法检验") || !strings.Contains(w.EN, "no test")) {
					t.Errorf("%s: warning does not say no test is possible: %+v", tt.name, w)
				}
			}
		}
	}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// The difference in differences is a fixed-effects fit too: with two units over two periods
// (one treated in the second) it has no residual degrees of freedom, and an outcome that moves
// exactly with unit, period and event leaves nothing to test against. Neither may report a
// p-value (CR2's included) or read as significant.
func TestDiffInDiffExactFitIsNotCertainty(t *testing.T) {
	exact := stats.EventPanel{Start: map[string]int{"t1": 3, "t2": 4}}
	for u := 0; u < 6; u++ {
		name := []string{"t1", "t2", "c1", "c2", "c3", "c4"}[u]
		for p := 1; p <= 6; p++ {
			y := float64(u) + 0.5*float64(p*p)
			if s, ok := exact.Start[name]; ok && p >= s {
				y -= 1.5
			}
			exact.Unit, exact.Period, exact.Y = append(exact.Unit, name), append(exact.Period, p), append(exact.Y, y)
		}
	}
	for _, tt := range []struct {
		name string
		p    stats.EventPanel
	}{
		{"2 units × 2 periods", stats.EventPanel{Unit: []string{"t", "t", "c", "c"}, Period: []int{1, 2, 1, 2},
			Y: []float64{3, 1, 2, 2.5}, Start: map[string]int{"t": 2}}},
		{"exact fit, 6 units × 6 periods", exact},
	} {
		rs, err := stats.DiffInDiff(tt.p, stats.Meta{Activity: "model_post_awarded", Outcome: "violations_per_100_staff"})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		did := rs[0]
		if !did.HasWarning(stats.WarnSaturated) {
			t.Errorf("%s: no %q warning: %+v", tt.name, stats.WarnSaturated, did.Warnings)
		}
		for name, v := range map[string]float64{"estimate": did.Estimate, "se": did.SE, "p": did.P, "ci_low": did.CILow, "ci_high": did.CIHigh} {
			if !math.IsNaN(v) {
				t.Errorf("%s: the DiD reports %s = %g for a fit with no test", tt.name, name, v)
			}
		}
		if did.Significant(0.05) {
			t.Errorf("%s: the DiD reads as significant", tt.name)
		}
		if tt.name == "exact fit, 6 units × 6 periods" {
			// Four periods before the first event: the pre-trend check is exact, not short.
			for _, w := range did.Warnings {
				if w.Code == stats.WarnFewPre && strings.Contains(w.EN, "too few periods") {
					t.Errorf("%s: the pre-trend check is said to lack periods: %s", tt.name, w.EN)
				}
			}
		}
	}
}

package stats_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// The Correlator's pair must give exactly what Pearson and Spearman give, warnings included, on
// data with ties, missing values, infinities, negative zeros and dominant groups.
func TestCorrelatorMatchesPearsonSpearman(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := 0; trial < 60; trial++ {
		n := []int{0, 2, 3, 5, 40, 400}[trial%6]
		groups := make([]string, n)
		ngroups := 1 + trial%13
		cols := make([][]float64, 4)
		for j := range cols {
			cols[j] = make([]float64, n)
		}
		for i := 0; i < n; i++ {
			g := rng.IntN(ngroups)
			if trial%5 == 0 && rng.IntN(2) == 0 {
				g = 0 // one group dominates
			}
			groups[i] = fmt.Sprintf("G%02d", g)
			for j := range cols {
				v := math.Round(rng.NormFloat64()*float64(1+j)) / 2 // many ties
				switch rng.IntN(20) {
				case 0:
					v = math.NaN()
				case 1:
					v = math.Inf(1)
				case 2:
					v = math.Copysign(0, -1)
				}
				if j == 3 && trial%7 == 0 {
					v = 1 // constant column
				}
				cols[j][i] = v
			}
		}
		prepared := make([]*stats.Column, len(cols))
		for j, c := range cols {
			prepared[j] = stats.NewColumn(c)
		}
		for _, withGroups := range []bool{false, true} {
			var gi *stats.GroupIndex
			var gl []string
			if withGroups {
				gi, gl = stats.NewGroupIndex(groups), groups
			}
			c := stats.NewCorrelator(gi)
			for a := range cols {
				for b := range cols {
					m := stats.Meta{Activity: "a", Outcome: "b", Lag: 1, Groups: gl}
					wantP, err := stats.Pearson(cols[a], cols[b], m)
					if err != nil {
						t.Fatal(err)
					}
					wantS, err := stats.Spearman(cols[a], cols[b], m)
					if err != nil {
						t.Fatal(err)
					}
					gotP, gotS, err := c.Pair(prepared[a], prepared[b], m)
					if err != nil {
						t.Fatal(err)
					}
					if !sameResult(gotP, wantP) || !sameResult(gotS, wantS) {
						t.Fatalf("trial %d, columns %d and %d, groups %v:\npearson  %+v\nwant     %+v\nspearman %+v\nwant     %+v", trial, a, b, withGroups, gotP, wantP, gotS, wantS)
					}
				}
			}
		}
	}
}

// sameResult compares bit for bit, NaN equal to NaN.
func sameResult(a, b stats.Result) bool {
	fa, fb := []float64{a.Estimate, a.CILow, a.CIHigh, a.P, a.PAdj, a.SE, a.DF, a.Statistic, a.EffectSize},
		[]float64{b.Estimate, b.CILow, b.CIHigh, b.P, b.PAdj, b.SE, b.DF, b.Statistic, b.EffectSize}
	for i := range fa {
		if math.Float64bits(fa[i]) != math.Float64bits(fb[i]) && !(math.IsNaN(fa[i]) && math.IsNaN(fb[i])) {
			return false
		}
	}
	a.Estimate, a.CILow, a.CIHigh, a.P, a.PAdj, a.SE, a.DF, a.Statistic, a.EffectSize = 0, 0, 0, 0, 0, 0, 0, 0, 0
	b.Estimate, b.CILow, b.CIHigh, b.P, b.PAdj, b.SE, b.DF, b.Statistic, b.EffectSize = 0, 0, 0, 0, 0, 0, 0, 0, 0
	return reflect.DeepEqual(a, b)
}

func TestCorrelatorLengthErrors(t *testing.T) {
	c := stats.NewCorrelator(stats.NewGroupIndex([]string{"a", "b"}))
	if _, _, err := c.Pair(stats.NewColumn([]float64{1, 2}), stats.NewColumn([]float64{1}), stats.Meta{}); err == nil {
		t.Fatal("want an error for columns of different lengths")
	}
	if _, _, err := c.Pair(stats.NewColumn([]float64{1, 2, 3}), stats.NewColumn([]float64{1, 2, 3}), stats.Meta{}); err == nil {
		t.Fatal("want an error for groups of another length")
	}
}

// Two groups of equal size: the warning names the first by name, as the map version did.
func TestCorrelatorDominantTie(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	y := []float64{2, 1, 4, 3, 6, 5, 8, 7, 10, 9}
	groups := []string{"B", "A", "B", "A", "B", "A", "B", "A", "B", "A"}
	p, s, err := stats.NewCorrelator(stats.NewGroupIndex(groups)).Pair(stats.NewColumn(x), stats.NewColumn(y), stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []stats.Result{p, s} {
		found := false
		for _, w := range r.Warnings {
			if w.Code == stats.WarnDominantGroup {
				found = true
				if !strings.Contains(w.EN, `"A"`) {
					t.Errorf("%s: %s", r.Method, w.EN)
				}
			}
		}
		if !found {
			t.Errorf("%s: no dominant-group warning: %v", r.Method, r.Warnings)
		}
	}
}

// Fits that share an FECache give exactly what separate FixedEffects calls give, also when run
// at the same time and when outcomes are missing in different rows.
func TestFixedEffectsSharedMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 13))
	n := 600
	group, period := make([]string, n), make([]string, n)
	xs := make([]stats.Regressor, 3)
	for j := range xs {
		xs[j] = stats.Regressor{Name: fmt.Sprintf("x%d", j), Values: make([]float64, n)}
	}
	ys := make([][]float64, 6)
	for k := range ys {
		ys[k] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		group[i] = fmt.Sprintf("G%02d", i%40)
		period[i] = fmt.Sprintf("P%d", i/40)
		for j := range xs {
			xs[j].Values[i] = rng.NormFloat64()
			if j == 2 {
				xs[j].Values[i] = float64(i % 40) // constant within groups: absorbed
			}
		}
		if rng.IntN(30) == 0 {
			xs[0].Values[i] = math.NaN()
		}
		for k := range ys {
			ys[k][i] = xs[0].Values[i] + rng.NormFloat64()
			if k%2 == 1 && rng.IntN(10) == 0 {
				ys[k][i] = math.NaN() // another set of kept rows
			}
			if k == 5 {
				ys[k][i] = 1 // no variance
			}
		}
	}
	cache := stats.NewFECache()
	got := make([][]stats.Result, len(ys))
	done := make(chan struct{})
	for k := range ys {
		go func() {
			defer func() { done <- struct{}{} }()
			rs, err := stats.FixedEffectsShared(stats.Panel{Group: group, Period: period, Y: ys[k], X: xs}, stats.Meta{Outcome: "y"}, cache)
			if err != nil {
				t.Error(err)
			}
			got[k] = rs
		}()
	}
	for range ys {
		<-done
	}
	for k := range ys {
		want, err := stats.FixedEffects(stats.Panel{Group: group, Period: period, Y: ys[k], X: xs}, stats.Meta{Outcome: "y"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got[k]) != len(want) {
			t.Fatalf("outcome %d: %d results, want %d", k, len(got[k]), len(want))
		}
		for j := range want {
			if !sameResult(got[k][j], want[j]) {
				t.Errorf("outcome %d, regressor %d:\n%+v\nwant\n%+v", k, j, got[k][j], want[j])
			}
		}
	}
}

package stats_test

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

func TestBHHand(t *testing.T) {
	cases := []struct{ p, want []float64 }{
		{[]float64{0.01, 0.02, 0.03, 0.04, 0.05}, []float64{0.05, 0.05, 0.05, 0.05, 0.05}},
		// m·p/rank = .04, .022, .0533, .5 ; running minimum from the top enforces monotonicity.
		{[]float64{0.01, 0.011, 0.5, 0.04}, []float64{0.022, 0.022, 0.5, 0.16 / 3}},
		{[]float64{0.9, math.NaN(), 0.6}, []float64{0.9, math.NaN(), 0.9}},
		{[]float64{0.5, 0.7}, []float64{0.7, 0.7}},
		{[]float64{0.8}, []float64{0.8}},
		{nil, []float64{}},
	}
	for _, c := range cases {
		got := stats.BH(c.p)
		if len(got) != len(c.want) {
			t.Fatalf("len %d want %d", len(got), len(c.want))
		}
		for i := range got {
			if math.IsNaN(c.want[i]) {
				if !math.IsNaN(got[i]) {
					t.Errorf("BH(%v)[%d] = %v, want NaN", c.p, i, got[i])
				}
				continue
			}
			near(t, "p_adj", got[i], c.want[i], 1e-12)
		}
	}
}

// Independent check: p_adj ≤ q exactly for the hypotheses rejected by the BH step-up procedure
// at FDR q (reject the k smallest, k the largest i with p(i) ≤ i·q/m); adjusted values are
// monotone in p, at least p, and at most 1.
func TestBHStepUpEquivalence(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for rep := 0; rep < 200; rep++ {
		m := 1 + rng.IntN(40)
		p := make([]float64, m)
		for i := range p {
			p[i] = rng.Float64()
			if rng.IntN(3) == 0 {
				p[i] *= 0.01
			}
		}
		adj := stats.BH(p)
		sorted := append([]float64(nil), p...)
		sort.Float64s(sorted)
		for _, q := range []float64{0.01, 0.05, 0.1, 0.2, 0.5} {
			k := 0
			for i, v := range sorted {
				if v <= float64(i+1)*q/float64(m) {
					k = i + 1
				}
			}
			for i := range p {
				rejected := k > 0 && p[i] <= sorted[k-1]
				if (adj[i] <= q) != rejected {
					t.Fatalf("q=%v p=%v adj=%v rejected=%v", q, p[i], adj[i], rejected)
				}
			}
		}
		for i := range p {
			if adj[i] < p[i] || adj[i] > 1 {
				t.Fatalf("adj %v for p %v", adj[i], p[i])
			}
			for j := range p {
				if p[i] < p[j] && adj[i] > adj[j] {
					t.Fatalf("not monotone: p %v→%v, adj %v→%v", p[i], p[j], adj[i], adj[j])
				}
			}
		}
	}
}

func TestAdjustBHFamily(t *testing.T) {
	rs := []stats.Result{
		{Method: stats.MethodFixedEffects, P: 0.01},
		{Method: stats.MethodPreTrend, P: 0.001},
		{Method: stats.MethodFixedEffects, P: 0.04},
		{Method: stats.MethodGini, P: math.NaN()},
	}
	stats.AdjustBH(rs, func(r stats.Result) bool { return r.Method != stats.MethodPreTrend })
	near(t, "first", rs[0].PAdj, 0.02, 1e-12)
	near(t, "third", rs[2].PAdj, 0.04, 1e-12)
	if !math.IsNaN(rs[1].PAdj) || !math.IsNaN(rs[3].PAdj) {
		t.Errorf("excluded results got p_adj: %+v", rs)
	}
	if !rs[0].Significant(0.05) || rs[2].Significant(0.01) {
		t.Error("Significant uses p_adj")
	}
}

// Two families adjusted separately, worked by hand: fixed effects {0.01, 0.04, 0.03} give
// m = 3: 0.01·3/1 = 0.03, 0.03·3/2 = 0.045, 0.04·3/3 = 0.04 → monotone from the top: 0.03,
// 0.04, 0.04; correlations {0.001, 0.2} give 0.002, 0.2. Pooled (m = 5) the fixed-effects 0.03
// would be 0.05 and the 0.04 would be 0.05 too: the families matter.
func TestAdjustBHFamiliesSeparately(t *testing.T) {
	rs := []stats.Result{
		{Method: stats.MethodFixedEffects, P: 0.01},
		{Method: stats.MethodPearson, P: 0.001},
		{Method: stats.MethodFixedEffects, P: 0.04},
		{Method: stats.MethodPreTrend, P: 0.0001},
		{Method: stats.MethodFixedEffects, P: 0.03},
		{Method: stats.MethodPearson, P: 0.2},
	}
	stats.AdjustBHFamilies(rs, func(r stats.Result) string {
		if r.Method == stats.MethodPreTrend {
			return ""
		}
		return r.Method
	})
	for i, want := range []float64{0.03, 0.002, 0.04, math.NaN(), 0.04, 0.2} {
		if math.IsNaN(want) {
			if !math.IsNaN(rs[i].PAdj) {
				t.Errorf("result %d (%s) left out of every family got p_adj %v", i, rs[i].Method, rs[i].PAdj)
			}
			continue
		}
		near(t, rs[i].Method, rs[i].PAdj, want, 1e-12)
	}
}

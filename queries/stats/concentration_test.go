package stats_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// giniMAD is the definition: mean absolute difference over all ordered pairs ÷ (2·mean).
func giniMAD(x []float64) float64 {
	var sad, sum float64
	for _, a := range x {
		sum += a
		for _, b := range x {
			sad += math.Abs(a - b)
		}
	}
	n := float64(len(x))
	return sad / (2 * n * n * (sum / n))
}

func TestGini(t *testing.T) {
	cases := []struct {
		name string
		x    []float64
		want float64
	}{
		{"equal", []float64{3, 3, 3, 3}, 0},
		{"one holds all", []float64{0, 0, 0, 5}, 0.75}, // (n−1)/n
		{"1..5", []float64{1, 2, 3, 4, 5}, 40.0 / 150}, // Σ|xi−xj| = 40, 2n²μ = 150
		{"single", []float64{7}, 0},
	}
	for _, c := range cases {
		g, err := stats.Gini(c.x)
		if err != nil {
			t.Fatal(err)
		}
		near(t, c.name, g, c.want, 1e-12)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for rep := 0; rep < 100; rep++ {
		x := make([]float64, 1+rng.IntN(60))
		for i := range x {
			x[i] = float64(rng.IntN(4) * rng.IntN(4)) // many zeros and ties
		}
		x[0]++
		g, err := stats.Gini(x)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "gini sorted vs mean absolute difference", g, giniMAD(x), 1e-12)
	}
	if _, err := stats.Gini([]float64{0, 0}); !errors.Is(err, stats.ErrZeroTotal) {
		t.Errorf("all zero: %v", err)
	}
	if _, err := stats.Gini([]float64{1, -1}); !errors.Is(err, stats.ErrInput) {
		t.Errorf("negative: %v", err)
	}
	if _, err := stats.Gini(nil); !errors.Is(err, stats.ErrInput) {
		t.Errorf("empty: %v", err)
	}
}

func TestTopShare(t *testing.T) {
	ten := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	s, _ := stats.TopShare(ten, 0.1)
	near(t, "top 1 of 10", s, 10.0/55, 1e-12)
	thirty := make([]float64, 30)
	for i := range thirty {
		thirty[i] = 1
	}
	thirty[0], thirty[1], thirty[2], thirty[3] = 10, 10, 10, 10
	s, _ = stats.TopShare(thirty, 0.1) // k = 3, not 4 (0.1·30 in floating point is 3.0000000000000004)
	near(t, "top 3 of 30", s, 30.0/66, 1e-12)
	s, _ = stats.TopShare([]float64{0, 0, 5, 5, 0}, 0.1) // tie at the cut: either 5 gives the same sum
	near(t, "tie", s, 0.5, 0)
	if _, err := stats.TopShare(ten, 0); !errors.Is(err, stats.ErrInput) {
		t.Errorf("frac 0: %v", err)
	}
}

func TestConcentration(t *testing.T) {
	rs, err := stats.Concentration([]float64{0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 5, 10}, stats.Meta{Activity: "model_posts", Scope: "U01 2024"})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Method != stats.MethodGini || rs[1].Method != stats.MethodTopShare || rs[0].N != 12 || rs[0].Scope != "U01 2024" {
		t.Errorf("labels: %+v", rs)
	}
	near(t, "top share (2 of 12)", rs[1].Estimate, 15.0/20, 1e-12)
	near(t, "total", rs[0].Statistic, 20, 0)
	if !math.IsNaN(rs[0].CILow) || !math.IsNaN(rs[0].P) {
		t.Error("concentration has no CI or p")
	}
	small, _ := stats.Concentration([]float64{1, 2, 3}, stats.Meta{})
	if !small[0].HasWarning(stats.WarnSmallN) || !small[1].HasWarning(stats.WarnSmallN) {
		t.Errorf("small: %+v", small)
	}
	zero, err := stats.Concentration([]float64{0, 0, 0}, stats.Meta{})
	if err != nil || !math.IsNaN(zero[0].Estimate) || !zero[0].HasWarning(stats.WarnZeroVariance) {
		t.Errorf("zero: %+v %v", zero, err)
	}
	if _, err := stats.Concentration([]float64{math.NaN()}, stats.Meta{}); !errors.Is(err, stats.ErrInput) {
		t.Errorf("NaN count: %v", err)
	}
}

// chanceExact enumerates every allocation of total awards to n members (n^total equally likely
// sequences): the mean Gini and the share at least as concentrated as obs. The reference for
// GiniVsChance's simulation.
func chanceExact(n, total int, obs float64) (mean, p float64) {
	seqs := 1
	for range total {
		seqs *= n
	}
	atLeast := 0
	sum := 0.0
	for s := 0; s < seqs; s++ {
		x := make([]float64, n)
		for k, v := 0, s; k < total; k, v = k+1, v/n {
			x[v%n]++
		}
		g := giniMAD(x)
		sum += g
		if g >= obs-1e-12 {
			atLeast++
		}
	}
	return sum / float64(seqs), float64(atLeast) / float64(seqs)
}

func TestGiniVsChance(t *testing.T) {
	// By hand: one award between two members is always (1, 0), Gini 1/2; two awards are (2, 0)
	// or (1, 1) with probability 1/2 each, mean Gini 1/4; two among three: the same member
	// (1/3, Gini 2/3) or two members (2/3, Gini 1/3), mean 4/9.
	for _, tt := range []struct {
		counts []float64
		want   float64
	}{
		{[]float64{1, 0}, 0.5},
		{[]float64{1, 1}, 0.25},
		{[]float64{2, 0, 0}, 4.0 / 9},
	} {
		c, err := stats.GiniVsChance(tt.counts, 20000, 1)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "expected gini by hand", c.Expected, tt.want, 0.01)
	}
	// Against exact enumeration (4^5 allocations), including the p-value.
	obs := []float64{3, 2, 0, 0}
	c, err := stats.GiniVsChance(obs, 20000, 7)
	if err != nil {
		t.Fatal(err)
	}
	mean, p := chanceExact(4, 5, giniMAD(obs))
	near(t, "expected gini vs enumeration", c.Expected, mean, 0.005)
	near(t, "p vs enumeration", c.P, p, 0.015)
	near(t, "observed", c.Observed, giniMAD(obs), 1e-12)

	// The case that misled the report: 96 single awards among 1,000 members. The Gini is about
	// 0.9, and chance gives nearly the same: not concentrated.
	rare := make([]float64, 1000)
	for i := range 96 {
		rare[i] = 1
	}
	c, err = stats.GiniVsChance(rare, 999, 3)
	if err != nil {
		t.Fatal(err)
	}
	if c.Observed < 0.89 || c.Concentrated() || c.Excess() > 0.01 {
		t.Errorf("rare single awards: %+v, want Gini ≈ 0.9, not above chance", c)
	}
	// The same 96 awards held by 16 people, 6 each: far above chance.
	few := make([]float64, 1000)
	for i := range 16 {
		few[i] = 6
	}
	c, err = stats.GiniVsChance(few, 999, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Concentrated() || c.P != 1.0/1000 || c.Excess() < 0.05 {
		t.Errorf("concentrated awards: %+v", c)
	}
	// Reproducible, and the Result form carries the numbers.
	again, _ := stats.GiniVsChance(few, 999, 3)
	if again != c {
		t.Errorf("same seed, different result: %+v vs %+v", again, c)
	}
	r := c.Result(stats.Meta{Activity: "awards", Scope: "U1/2024"})
	if r.Method != stats.MethodGiniChance || r.Estimate != c.Excess() || r.Statistic != c.Expected || r.N != 1000 {
		t.Errorf("result: %+v", r)
	}
	for _, bad := range [][]float64{{0.5, 1}, {-1, 2}, {}} {
		if _, err := stats.GiniVsChance(bad, 999, 1); !errors.Is(err, stats.ErrInput) {
			t.Errorf("%v: %v", bad, err)
		}
	}
	if _, err := stats.GiniVsChance([]float64{0, 0}, 999, 1); !errors.Is(err, stats.ErrZeroTotal) {
		t.Errorf("zeros: %v", err)
	}
}

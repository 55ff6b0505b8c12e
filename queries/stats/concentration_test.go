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

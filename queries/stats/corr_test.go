package stats_test

import (
	"errors"
	"math"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// Reference values printed by R's cor.test (Pearson):
//   - "hollander": the example on R's ?cor.test help page (Hollander & Wolfe 1973, p. 187):
//     t = 1.8411, df = 7, p-value = 0.1082, 95% CI -0.1497426 0.8955795, cor 0.5711816.
//   - "iq": https://www.r-bloggers.com/parametric-method-for-the-study-of-the-correlation-the-pearson-r-test/
//     t = 0.4772, df = 8, p-value = 0.646, 95% CI -0.5174766 0.7205107, cor 0.166349.
func TestPearsonReference(t *testing.T) {
	cases := []struct {
		name        string
		x, y        []float64
		r, tt, p    float64
		lo, hi      float64
		tolR, tolT  float64
		tolP, tolCI float64
		df          float64
	}{
		{
			name: "hollander",
			x:    []float64{44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1},
			y:    []float64{2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8},
			r:    0.5711816, tt: 1.8411, p: 0.1082, lo: -0.1497426, hi: 0.8955795, df: 7,
			tolR: 5e-8, tolT: 5e-5, tolP: 5e-5, tolCI: 5e-8,
		},
		{
			name: "iq",
			x:    []float64{15, 21, 25, 26, 30, 30, 22, 29, 19, 16},
			y:    []float64{55, 56, 89, 67, 84, 89, 99, 62, 83, 88},
			r:    0.166349, tt: 0.4772, p: 0.646, lo: -0.5174766, hi: 0.7205107, df: 8,
			tolR: 5e-7, tolT: 5e-5, tolP: 5e-4, tolCI: 5e-8,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := stats.Pearson(c.x, c.y, stats.Meta{Activity: "a", Outcome: "o", Lag: 1})
			if err != nil {
				t.Fatal(err)
			}
			near(t, "r", r.Estimate, c.r, c.tolR)
			near(t, "t", r.Statistic, c.tt, c.tolT)
			near(t, "p", r.P, c.p, c.tolP)
			near(t, "ci_low", r.CILow, c.lo, c.tolCI)
			near(t, "ci_high", r.CIHigh, c.hi, c.tolCI)
			near(t, "df", r.DF, c.df, 0)
			if r.N != len(c.x) || r.Method != stats.MethodPearson || r.Activity != "a" || r.Lag != 1 {
				t.Errorf("labels/n wrong: %+v", r)
			}
			if !r.HasWarning(stats.WarnSmallN) {
				t.Errorf("n = %d should warn small_n", r.N)
			}
		})
	}
}

// Spearman: the worked example of Wikipedia's "Spearman's rank correlation coefficient" (IQ vs
// hours of TV per week): rho = -29/165 = -0.175757..., t = -0.5049782 and one-sided
// 1 - pt(t, 8) = 0.6864058, so the two-sided p is 2·0.3135942 (values printed in
// https://stats.stackexchange.com/questions/22816).
func TestSpearmanReference(t *testing.T) {
	iq := []float64{106, 100, 86, 101, 99, 103, 97, 113, 112, 110}
	tv := []float64{7, 27, 2, 50, 28, 29, 20, 12, 6, 17}
	r, err := stats.Spearman(iq, tv, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "rho", r.Estimate, -29.0/165, 1e-12)
	near(t, "t", r.Statistic, -0.5049782, 5e-8)
	near(t, "p", r.P, 2*0.3135942, 2e-7)
	// CI: Fisher z with the Bonett–Wright SE, computed here by hand.
	rho := -29.0 / 165
	se := math.Sqrt((1 + rho*rho/2) / 7)
	z := math.Atanh(rho)
	near(t, "ci_low", r.CILow, math.Tanh(z-1.959963984540054*se), 1e-12)
	near(t, "ci_high", r.CIHigh, math.Tanh(z+1.959963984540054*se), 1e-12)
}

// Spearman with ties must equal Pearson on mid-ranks computed by hand.
func TestSpearmanTiesIsPearsonOfMidranks(t *testing.T) {
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}
	y := []float64{2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4}
	// mid-ranks by hand: x sorted 1,1,2,3,3,4,5,5,5,6,9
	rx := []float64{4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8}
	// y sorted 1,1,2,2,2,4,7,8,8,8,8
	ry := []float64{4, 7, 1.5, 9.5, 4, 9.5, 1.5, 9.5, 4, 9.5, 6}
	got := stats.Ranks(x)
	for i := range rx {
		near(t, "rank x", got[i], rx[i], 0)
	}
	s, err := stats.Spearman(x, y, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := stats.Pearson(rx, ry, stats.Meta{})
	near(t, "rho", s.Estimate, p.Estimate, 1e-12)
	near(t, "p", s.P, p.P, 1e-12)
}

func TestCorrelationMissingAndDegenerate(t *testing.T) {
	x := []float64{1, 2, math.NaN(), 4, 5, 6, math.Inf(1)}
	y := []float64{2, 1, 3, 5, 4, 7, 1}
	for _, f := range []func([]float64, []float64, stats.Meta) (stats.Result, error){stats.Pearson, stats.Spearman} {
		r, err := f(x, y, stats.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		ref, _ := f([]float64{1, 2, 4, 5, 6}, []float64{2, 1, 5, 4, 7}, stats.Meta{})
		if r.N != 5 || r.Dropped != 2 || r.Estimate != ref.Estimate || r.P != ref.P {
			t.Errorf("%s: NaN pairs not skipped: %+v vs %+v", r.Method, r, ref)
		}
		z, err := f([]float64{1, 1, 1, 1}, []float64{1, 2, 3, 4}, stats.Meta{})
		if err != nil || !math.IsNaN(z.Estimate) || !z.HasWarning(stats.WarnZeroVariance) {
			t.Errorf("%s: zero variance: %+v, %v", z.Method, z, err)
		}
		few, err := f([]float64{1, 2}, []float64{1, 2}, stats.Meta{})
		if err != nil || !few.HasWarning(stats.WarnTooFew) {
			t.Errorf("%s: n=2: %+v, %v", few.Method, few, err)
		}
		empty, err := f(nil, nil, stats.Meta{})
		if err != nil || !empty.HasWarning(stats.WarnTooFew) {
			t.Errorf("%s: empty: %+v, %v", empty.Method, empty, err)
		}
		if _, err := f([]float64{1}, []float64{1, 2}, stats.Meta{}); !errors.Is(err, stats.ErrInput) {
			t.Errorf("length mismatch: %v", err)
		}
	}
}

func TestCorrelationDominantGroup(t *testing.T) {
	var x, y []float64
	var g []string
	for i := 0; i < 40; i++ {
		x = append(x, float64(i%5))
		y = append(y, float64((i*7)%11))
		g = append(g, string(rune('A'+i%20)))
	}
	// Group "Z" holds one extreme point: most of Σ(x−x̄)².
	x = append(x, 100)
	y = append(y, 50)
	g = append(g, "Z")
	r, err := stats.Pearson(x, y, stats.Meta{Groups: g})
	if err != nil {
		t.Fatal(err)
	}
	if r.Groups != 21 || !r.HasWarning(stats.WarnDominantGroup) {
		t.Errorf("want 21 groups and a dominant-group warning: %+v", r)
	}
}

// The t approximation used for Spearman's p must agree with gonum's t distribution directly.
func TestSpearmanPFromT(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	y := []float64{5, 4, 3, 2, 1, 6, 10, 9, 8, 7} // R's pspearman example
	r, _ := stats.Spearman(x, y, stats.Meta{})
	tt := r.Estimate * math.Sqrt(8/(1-r.Estimate*r.Estimate))
	want := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 8}.Survival(math.Abs(tt))
	near(t, "p", r.P, want, 1e-14)
	near(t, "rho", r.Estimate, 1-6*60/990.0, 1e-12) // Σd² = 60
}

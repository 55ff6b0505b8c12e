package stats_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
	"gonum.org/v1/gonum/mat"
)

type simPanel struct {
	group, period []string
	gi, ti        []int
	y             []float64
	x             [][]float64
}

// simulate makes an unbalanced panel of G groups × T periods (each row kept with probability
// keep, every group keeping at least 2 rows): y = α_g + γ_t + Σ β_j x_j + e with x correlated
// with α_g (so pooled OLS would be biased) and AR(1) errors within group (so clustering matters).
func simulate(rng *rand.Rand, G, T int, keep float64, beta []float64) simPanel {
	var s simPanel
	s.x = make([][]float64, len(beta))
	gamma := make([]float64, T)
	for t := range gamma {
		gamma[t] = rng.NormFloat64() + 0.3*float64(t)
	}
	for g := 0; g < G; g++ {
		alpha := 2 * rng.NormFloat64()
		e := rng.NormFloat64()
		var rows []int
		for t := 0; t < T; t++ {
			if rng.Float64() < keep || len(rows) < 2 && t >= T-2+len(rows) {
				rows = append(rows, t)
			}
		}
		for _, t := range rows {
			e = 0.5*e + rng.NormFloat64()
			yv := alpha + gamma[t] + e
			for j, b := range beta {
				xv := 0.5*alpha + 0.2*float64(t) + rng.NormFloat64()
				if j > 0 {
					xv += 0.5 * s.x[0][len(s.x[0])-1] // correlated regressors
				}
				s.x[j] = append(s.x[j], xv)
				yv += b * xv
			}
			s.group = append(s.group, fmt.Sprintf("g%03d", g))
			s.period = append(s.period, fmt.Sprintf("2024H%d", t))
			s.gi = append(s.gi, g)
			s.ti = append(s.ti, t)
			s.y = append(s.y, yv)
		}
	}
	return s
}

func (s simPanel) panel(names ...string) stats.Panel {
	p := stats.Panel{Group: s.group, Period: s.period, Y: s.y}
	for j, x := range s.x {
		p.X = append(p.X, stats.Regressor{Name: names[j], Values: x})
	}
	return p
}

// The within estimator with alternating projections must equal least squares on the full
// dummy-variable design (intercept, G−1 group dummies, T−1 period dummies), and its clustered
// SE must equal the explicit CR1 sandwich c·(X'X)⁻¹(Σ_g X_g'u_g u_g'X_g)(X'X)⁻¹ on that design
// with c = G/(G−1)·(N−1)/(N−p−(T−1)) (group dummies nested in clusters, not counted), and its df
// the effective number of clusters less one.
func TestFixedEffectsMatchesDummyOLS(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := simulate(rng, 25, 8, 0.7, []float64{1.5, -0.7})
	rs, err := stats.FixedEffects(s.panel("a", "b"), stats.Meta{Outcome: "o", Lag: 1})
	if err != nil {
		t.Fatal(err)
	}
	G, T, N, p := 25, 8, len(s.y), 2
	k := 1 + (G - 1) + (T - 1) + p
	X := mat.NewDense(N, k, nil)
	for i := 0; i < N; i++ {
		X.Set(i, 0, 1)
		if s.gi[i] > 0 {
			X.Set(i, s.gi[i], 1)
		}
		if s.ti[i] > 0 {
			X.Set(i, G-1+s.ti[i], 1)
		}
		for j := 0; j < p; j++ {
			X.Set(i, k-p+j, s.x[j][i])
		}
	}
	y := mat.NewVecDense(N, s.y)
	var xtx mat.Dense
	xtx.Mul(X.T(), X)
	var bread mat.Dense
	if err := bread.Inverse(&xtx); err != nil {
		t.Fatal(err)
	}
	var xty, b mat.VecDense
	xty.MulVec(X.T(), y)
	b.MulVec(&bread, &xty)
	var fit, u mat.VecDense
	fit.MulVec(X, &b)
	u.SubVec(y, &fit)
	meat := mat.NewDense(k, k, nil)
	for g := 0; g < G; g++ {
		sg := mat.NewVecDense(k, nil)
		for i := 0; i < N; i++ {
			if s.gi[i] == g {
				sg.AddScaledVec(sg, u.AtVec(i), X.RowView(i))
			}
		}
		var outer mat.Dense
		outer.Outer(1, sg, sg)
		meat.Add(meat, &outer)
	}
	var v, tmp mat.Dense
	tmp.Mul(&bread, meat)
	v.Mul(&tmp, &bread)
	c := float64(G) / float64(G-1) * float64(N-1) / float64(N-p-(T-1))
	for j := 0; j < p; j++ {
		r := rs[j]
		near(t, "beta", r.Estimate, b.AtVec(k-p+j), 1e-8)
		near(t, "se", r.SE, math.Sqrt(c*v.At(k-p+j, k-p+j)), 1e-8)
		// df = G* − 1, G* = (Σ_g a_g)²/Σ_g a_g² with a_g = Σ_{i∈g} w_i² and w the coefficient's
		// row of (X'X)⁻¹X' on the full dummy design (by Frisch–Waugh the demeaned one's).
		a := make([]float64, G)
		for i := 0; i < N; i++ {
			w := mat.Dot(bread.RowView(k-p+j), X.RowView(i))
			a[s.gi[i]] += w * w
		}
		var sum, sq float64
		for _, v := range a {
			sum += v
			sq += v * v
		}
		near(t, "df", r.DF, sum*sum/sq-1, 1e-8)
		if r.DF > float64(G-1) {
			t.Errorf("df %v above G−1 = %d", r.DF, G-1)
		}
		if r.N != N || r.Groups != G || r.Method != stats.MethodFixedEffects || r.Activity != []string{"a", "b"}[j] || r.Outcome != "o" || r.Lag != 1 {
			t.Errorf("labels: %+v", r)
		}
		if !(r.CILow < r.Estimate && r.Estimate < r.CIHigh) || r.P < 0 || r.P > 1 {
			t.Errorf("ci/p: %+v", r)
		}
	}
}

func TestFixedEffectsSingletonsAbsorbedMissing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	s := simulate(rng, 20, 6, 1, []float64{1})
	base, _ := stats.FixedEffects(s.panel("a"), stats.Meta{})
	// A singleton group and a row with a missing value are dropped without changing β.
	s.group = append(s.group, "lonely", "g000")
	s.period = append(s.period, "2024H0", "2024H1")
	s.y = append(s.y, 100, math.NaN())
	s.x[0] = append(s.x[0], 50, 1)
	// A group-constant regressor is absorbed by the group effects.
	gconst := make([]float64, len(s.y))
	code := map[string]float64{}
	for i, g := range s.group {
		if _, ok := code[g]; !ok {
			code[g] = float64(len(code) * len(code))
		}
		gconst[i] = code[g]
	}
	p := s.panel("a")
	p.X = append(p.X, stats.Regressor{Name: "leader_trained", Values: gconst})
	rs, err := stats.FixedEffects(p, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "beta unchanged", rs[0].Estimate, base[0].Estimate, 1e-9)
	if rs[0].Dropped != 2 || rs[0].N != base[0].N {
		t.Errorf("dropped = %d, n = %d; want 2, %d", rs[0].Dropped, rs[0].N, base[0].N)
	}
	if !rs[1].HasWarning(stats.WarnAbsorbed) || !math.IsNaN(rs[1].Estimate) {
		t.Errorf("group-constant regressor not absorbed: %+v", rs[1])
	}
	// Zero-variance outcome and too few groups: warnings, no error.
	flat, err := stats.FixedEffects(stats.Panel{
		Group: []string{"a", "a", "b", "b"}, Period: []string{"1", "2", "1", "2"},
		Y: []float64{1, 1, 1, 1}, X: []stats.Regressor{{Name: "x", Values: []float64{1, 2, 3, 5}}},
	}, stats.Meta{})
	if err != nil || !flat[0].HasWarning(stats.WarnZeroVariance) {
		t.Errorf("flat outcome: %+v %v", flat, err)
	}
	empty, err := stats.FixedEffects(stats.Panel{X: []stats.Regressor{{Name: "x"}}}, stats.Meta{})
	if err != nil || !empty[0].HasWarning(stats.WarnTooFew) {
		t.Errorf("empty panel: %+v %v", empty, err)
	}
	if _, err := stats.FixedEffects(stats.Panel{Y: []float64{1}}, stats.Meta{}); !errors.Is(err, stats.ErrInput) {
		t.Errorf("mismatched panel: %v", err)
	}
}

// Monte Carlo: on simulated unbalanced panels with known β, the 95% CI covers the truth in about
// 95% of replications, and a null regressor (correlated with the real one, coefficient 0) is
// significant at 5% in about 5% of them. 400 replications of 50 groups × 8 halves (the
// company scale of the sample data); the binomial SE of a rate near 0.95 is ≈ 0.011.
func TestFixedEffectsCoverageMonteCarlo(t *testing.T) {
	rng := rand.New(rand.NewPCG(20240601, 7))
	const reps = 400
	covered, nullRejected := 0, 0
	for rep := 0; rep < reps; rep++ {
		s := simulate(rng, 50, 8, 0.85, []float64{0.8, 0})
		rs, err := stats.FixedEffects(s.panel("critique_per_meeting", "meetings_held"), stats.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if rs[0].CILow <= 0.8 && 0.8 <= rs[0].CIHigh {
			covered++
		}
		if rs[1].P < 0.05 {
			nullRejected++
		}
	}
	cov := float64(covered) / reps
	rej := float64(nullRejected) / reps
	t.Logf("coverage %.3f, null rejection %.3f", cov, rej)
	if cov < 0.92 || cov > 0.98 {
		t.Errorf("coverage of the 95%% CI = %.3f, want about 0.95", cov)
	}
	if rej > 0.08 {
		t.Errorf("null regressor significant in %.3f of replications, want about 0.05", rej)
	}
}

func TestLagWithin(t *testing.T) {
	g := []string{"a", "a", "a", "b", "b"}
	p := []int{1, 2, 4, 2, 3}
	x := []float64{10, 20, 40, 200, 300}
	got, err := stats.LagWithin(g, p, x, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{math.NaN(), 10, math.NaN(), math.NaN(), 200}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Errorf("lag[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := stats.LagWithin([]string{"a", "a"}, []int{1, 1}, []float64{1, 2}, 1); !errors.Is(err, stats.ErrInput) {
		t.Errorf("duplicate period accepted: %v", err)
	}
}

// BenchmarkFixedEffects: 2 000 groups × 12 halves, 3 regressors (about province scale).
func BenchmarkFixedEffects(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	s := simulate(rng, 2000, 12, 0.9, []float64{1, 0.5, 0})
	p := s.panel("a", "b", "c")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := stats.FixedEffects(p, stats.Meta{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A regressor that is a linear combination of earlier ones within groups and periods (here an
// equal copy, as a yearly activity's lag-0 and lag-1 values are on a yearly outcome's rows) is
// left out with a collinear warning, and the others get exactly the estimates of the regression
// without it (R's lm reports the later of two aliased columns as NA and fits the rest).
func TestFixedEffectsDropsAliasedRegressor(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := simulate(rng, 30, 6, 0.9, []float64{1, -0.5})
	base, err := stats.FixedEffects(s.panel("a", "b"), stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	p := s.panel("a", "b")
	copyA := append([]float64(nil), s.x[0]...)
	combo := make([]float64, len(s.y))
	for i := range combo {
		combo[i] = 2*s.x[0][i] - s.x[1][i]
	}
	p.X = []stats.Regressor{p.X[0], {Name: "a@1", Values: copyA}, p.X[1], {Name: "2a-b", Values: combo}}
	rs, err := stats.FixedEffects(p, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		got  stats.Result
		want stats.Result
	}{{rs[0], base[0]}, {rs[2], base[1]}} {
		near(t, c.got.Activity+" beta", c.got.Estimate, c.want.Estimate, 1e-12)
		near(t, c.got.Activity+" se", c.got.SE, c.want.SE, 1e-12)
		if c.got.HasWarning(stats.WarnCollinear) {
			t.Errorf("%s: kept regressor warned collinear: %+v", c.got.Activity, c.got.Warnings)
		}
	}
	for _, j := range []int{1, 3} {
		if !rs[j].HasWarning(stats.WarnCollinear) || !math.IsNaN(rs[j].Estimate) {
			t.Errorf("%s: aliased regressor not dropped: %+v", rs[j].Activity, rs[j])
		}
	}
}

// Warnings name a regressor by its label in their language (ZH, EN), or by Name when it has
// none: absorbed, zero variance, and the regressors an aliased one duplicates.
func TestFixedEffectsWarningsUseLabels(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	s := simulate(rng, 20, 6, 1, []float64{1})
	gconst := make([]float64, len(s.y))
	for i, g := range s.gi {
		gconst[i] = float64(g % 3)
	}
	zero := make([]float64, len(s.y))
	for _, tt := range []struct {
		name   string
		x      []stats.Regressor
		j      int // the regressor warned about
		zh, en string
	}{
		{"collinear", []stats.Regressor{{Name: "a@0", ZH: "每次会议批评意见数", EN: "critique items per meeting", Values: s.x[0]},
			{Name: "a@1", ZH: "每次会议批评意见数（滞后 1 期）", EN: "critique items per meeting (lag 1)", Values: s.x[0]}}, 1,
			"解释变量“每次会议批评意见数（滞后 1 期）”是“每次会议批评意见数”的线性组合",
			`"critique items per meeting (lag 1)" is a linear combination of "critique items per meeting"`},
		{"absorbed", []stats.Regressor{{Name: "a@0", Values: s.x[0]},
			{Name: "leader_trained@1", ZH: "党小组长参加培训（滞后 1 期）", EN: "group leader trained (lag 1)", Values: gconst}}, 1,
			"“党小组长参加培训（滞后 1 期）”在小组内部随时间没有变化", `"group leader trained (lag 1)" does not change within groups`},
		{"zero variance", []stats.Regressor{{Name: "a@0", Values: s.x[0]},
			{Name: "demo_days_held@0", ZH: "示范日次数", EN: "demonstration days held", Values: zero}}, 1,
			"解释变量“示范日次数”没有变化", `the regressor "demonstration days held" does not vary`},
		{"no label", []stats.Regressor{{Name: "a@0", Values: s.x[0]}, {Name: "x@2", Values: zero}}, 1,
			"解释变量“x@2”没有变化", `the regressor "x@2" does not vary`},
	} {
		rs, err := stats.FixedEffects(stats.Panel{Group: s.group, Period: s.period, Y: s.y, X: tt.x}, stats.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		var zh, en string
		for _, w := range rs[tt.j].Warnings {
			zh, en = zh+w.ZH+"；", en+w.EN+"; "
		}
		if !strings.Contains(zh, tt.zh) || !strings.Contains(en, tt.en) {
			t.Errorf("%s: warnings\n%s\n%s\nwant %q and %q", tt.name, zh, en, tt.zh, tt.en)
		}
	}
}

package stats_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// eventPanel makes units × periods with unit and period effects, noise sd, an effect tau from
// each treated unit's start on, and an extra linear trend drift·t for treated units.
func eventPanel(rng *rand.Rand, units, periods, treated int, starts []int, tau, drift, sd float64) stats.EventPanel {
	p := stats.EventPanel{Start: map[string]int{}}
	gamma := make([]float64, periods)
	for t := range gamma {
		gamma[t] = rng.NormFloat64()
	}
	for u := 0; u < units; u++ {
		name := fmt.Sprintf("team%02d", u)
		alpha := rng.NormFloat64()
		isT := u < treated
		if isT {
			p.Start[name] = starts[u%len(starts)]
			alpha += 1 // selection: treated units were already different
		}
		for t := 0; t < periods; t++ {
			y := alpha + gamma[t] + sd*rng.NormFloat64()
			if isT {
				y += drift * float64(t)
				if t >= p.Start[name] {
					y += tau
				}
			}
			p.Unit = append(p.Unit, name)
			p.Period = append(p.Period, t)
			p.Y = append(p.Y, y)
		}
	}
	return p
}

// With common timing on a balanced panel the two-way FE estimate equals the textbook 2×2
// difference of means: (treated after − treated before) − (controls after − controls before).
func TestDiDEqualsDifferenceOfMeans(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := eventPanel(rng, 30, 6, 10, []int{3}, -2, 0, 1)
	rs, err := stats.DiffInDiff(p, stats.Meta{Activity: "model_post_awarded", Outcome: "violations_per_100_staff"})
	if err != nil {
		t.Fatal(err)
	}
	var sum [2][2]float64
	var cnt [2][2]float64
	for i := range p.Y {
		_, tr := p.Start[p.Unit[i]]
		a, b := 0, 0
		if tr {
			a = 1
		}
		if p.Period[i] >= 3 {
			b = 1
		}
		sum[a][b] += p.Y[i]
		cnt[a][b]++
	}
	m := func(a, b int) float64 { return sum[a][b] / cnt[a][b] }
	want := (m(1, 1) - m(1, 0)) - (m(0, 1) - m(0, 0))
	did := rs[0]
	near(t, "did", did.Estimate, want, 1e-9)
	if did.Method != stats.MethodDiD || rs[1].Method != stats.MethodPreTrend {
		t.Errorf("methods: %s, %s", did.Method, rs[1].Method)
	}
	if !(did.CILow < -2 && -2 < did.CIHigh) {
		t.Errorf("true effect -2 outside CI [%g, %g]", did.CILow, did.CIHigh)
	}
	sel := false
	for _, w := range did.Warnings {
		if w.Code == stats.WarnSelection && w.EN != "" && w.ZH != "" {
			sel = true
		}
	}
	if !sel {
		t.Error("selection warning missing or not bilingual")
	}
	if did.HasWarning(stats.WarnStaggered) || did.HasWarning(stats.WarnNoControls) {
		t.Errorf("unexpected warnings: %+v", did.Warnings)
	}
	if did.Groups != 30 || did.N != 180 {
		t.Errorf("groups/n: %d/%d", did.Groups, did.N)
	}
}

func TestDiDPreTrendAndStaggered(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	// Parallel trends, staggered starts: effect recovered, no pre-trend flag.
	ok := eventPanel(rng, 60, 10, 20, []int{4, 6, 8}, 1.5, 0, 1)
	rs, err := stats.DiffInDiff(ok, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if !(rs[0].CILow < 1.5 && 1.5 < rs[0].CIHigh) {
		t.Errorf("effect 1.5 outside CI: %+v", rs[0])
	}
	if !rs[0].HasWarning(stats.WarnStaggered) {
		t.Error("staggered starts not flagged")
	}
	for _, w := range rs[0].Warnings {
		// Said in plain words: "后处理单位与先处理单位" read as jargon to the write-up's readers.
		if w.Code == stats.WarnStaggered && !strings.Contains(w.ZH, "事件在 3 个不同时间开始：本估计方法也会把较晚发生该事件的单位与较早发生的单位相比较") {
			t.Errorf("staggered warning reads %q", w.ZH)
		}
	}
	if rs[0].HasWarning(stats.WarnPreTrend) {
		t.Errorf("false pre-trend flag: %+v", rs[1])
	}
	// Treated units drifting upward before (and after) treatment: the pre-trend check flags it.
	bad := eventPanel(rng, 60, 10, 20, []int{6}, 0, 0.5, 1)
	rs, err = stats.DiffInDiff(bad, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "pre-trend slope", rs[1].Estimate, 0.5, 0.15)
	if !rs[0].HasWarning(stats.WarnPreTrend) {
		t.Errorf("pre-trend not flagged: %+v", rs[1])
	}
	// Only one period before the event: the check cannot run and says so.
	short := eventPanel(rng, 20, 3, 5, []int{1}, 1, 0, 1)
	rs, err = stats.DiffInDiff(short, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if !rs[0].HasWarning(stats.WarnFewPre) || !rs[0].HasWarning(stats.WarnFewGroups) {
		t.Errorf("short pre-period / few treated not flagged: %+v", rs[0].Warnings)
	}
	// No never-treated units.
	all := eventPanel(rng, 20, 8, 20, []int{3, 5}, 1, 0, 1)
	rs, _ = stats.DiffInDiff(all, stats.Meta{})
	if !rs[0].HasWarning(stats.WarnNoControls) {
		t.Error("missing controls not flagged")
	}
	if _, err := stats.DiffInDiff(stats.EventPanel{Y: []float64{1}}, stats.Meta{}); err == nil {
		t.Error("mismatched panel accepted")
	}
}

// Clustering: mapping every unit to its own cluster changes nothing; pairing units (as teams
// linked through one party group are) makes Groups count the pairs and changes the SE but not
// the estimate; the DiD's Bell–McCaffrey df falls well below clusters − 1 when few clusters are
// treated, towards the number of treated ones.
func TestDiDClustersAndEffectiveDF(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	p := eventPanel(rng, 60, 8, 6, []int{4}, 1.0, 0, 1)
	base, err := stats.DiffInDiff(p, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	self := map[string]string{}
	pairs := map[string]string{}
	for _, u := range p.Unit {
		self[u] = u
		var k int
		fmt.Sscanf(u, "team%d", &k)
		pairs[u] = fmt.Sprintf("pair%02d", k/2)
	}
	p.Cluster = self
	same, _ := stats.DiffInDiff(p, stats.Meta{})
	if same[0].SE != base[0].SE || same[0].DF != base[0].DF || same[0].Groups != 60 {
		t.Errorf("own clusters: se %v df %v groups %d; want %v %v 60", same[0].SE, same[0].DF, same[0].Groups, base[0].SE, base[0].DF)
	}
	p.Cluster = pairs
	paired, _ := stats.DiffInDiff(p, stats.Meta{})
	if paired[0].Groups != 30 || paired[0].Estimate != base[0].Estimate || paired[0].SE == base[0].SE {
		t.Errorf("pairs: groups %d, estimate %v (base %v), se %v (base %v)", paired[0].Groups, paired[0].Estimate, base[0].Estimate, paired[0].SE, base[0].SE)
	}
	// 6 treated units (3 treated pairs) among 60: the df sits near the treated count, not 59.
	if !(base[0].DF > 1 && base[0].DF < 15) || !(paired[0].DF > 1 && paired[0].DF <= 29) {
		t.Errorf("df %v (60 clusters, 6 treated) and %v (30 pairs): want near the treated clusters", base[0].DF, paired[0].DF)
	}
}

// readTeamEvents reads a file of team_events' form (team_id, pidx, violations_per_100_staff,
// group_formed_pidx, group_ids) into an event panel whose clusters are the teams linked through
// any group they were ever in, as analyze builds them.
func readTeamEvents(t *testing.T, path string) stats.EventPanel {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	p := stats.EventPanel{Start: map[string]int{}, Cluster: map[string]string{}}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if q, ok := parent[x]; ok && q != x {
			r := find(q)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	for _, r := range recs[1:] {
		pidx, err1 := strconv.Atoi(r[1])
		y, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad row %v", path, r)
		}
		p.Unit = append(p.Unit, r[0])
		p.Period = append(p.Period, pidx)
		p.Y = append(p.Y, y)
		if r[3] != "" {
			s, err := strconv.Atoi(r[3])
			if err != nil {
				t.Fatalf("%s: bad start %q", path, r[3])
			}
			p.Start[r[0]] = s
		}
		for _, g := range strings.Split(r[4], ",") {
			a, b := find("t:"+r[0]), find("g:"+g)
			if a != b {
				parent[b] = a
			}
		}
	}
	for _, u := range p.Unit {
		p.Cluster[u] = find("t:" + u)
	}
	return p
}

// The DiD's inference is CR2 clustered by linked teams with Bell–McCaffrey (Satterthwaite) df,
// equal to clubSandwich's on an unbalanced, staggered panel with chained clusters; the pre-trend
// check's is CR1 with the effective-cluster df, equal to sandwich's vcovCL with G* − 1 df.
// Reference values from `Rscript tools/rcompare/did.R queries/stats/testdata/did_cr2.csv
// group_formed_pidx` (clubSandwich 0.5.8, sandwich 3.0). The pre-trend's rows are unbalanced, so
// its demeaning iterates (to 1e-10 of an SD): its tolerance is wider.
func TestDiDCR2AgainstClubSandwich(t *testing.T) {
	p := readTeamEvents(t, "testdata/did_cr2.csv")
	rs, err := stats.DiffInDiff(p, stats.Meta{Activity: "group_formed", Outcome: "violations_per_100_staff"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		r              stats.Result
		est, se, df, p float64
		n              int
		tol            float64
	}{
		{rs[0], -0.46282057361318324, 0.56298552168512184, 4.164365649977734, 0.45549739060354022, 123, 1e-12},
		{rs[1], 0.61837735103883773, 0.17492277408841592, 2.7487235099854095, 0.04420687423635173, 96, 1e-9},
	} {
		rel := func(name string, got, want float64) {
			t.Helper()
			if math.Abs(got-want) > c.tol*math.Abs(want) {
				t.Errorf("%s %s = %.17g, R %.17g", c.r.Method, name, got, want)
			}
		}
		rel("estimate", c.r.Estimate, c.est)
		rel("se", c.r.SE, c.se)
		rel("df", c.r.DF, c.df)
		rel("p", c.r.P, c.p)
		// The interval is the t quantile of those df times the SE (above 1.96 at a few df).
		q := (c.r.CIHigh - c.r.Estimate) / c.r.SE
		if c.r.Groups != 11 || c.r.N != c.n || !(q > 2.5) || math.Abs(c.r.Estimate-c.r.CILow-(c.r.CIHigh-c.r.Estimate)) > 1e-12 {
			t.Errorf("%s: clusters %d (want 11), n %d (want %d), CI [%g, %g] around %g", c.r.Method, c.r.Groups, c.r.N, c.n, c.r.CILow, c.r.CIHigh, c.r.Estimate)
		}
	}
}

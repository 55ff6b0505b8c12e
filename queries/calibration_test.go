package queries_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// The calibration study: on generated warehouses, how often does analyze reject a true null at
// 5% (unadjusted p), and how often do the 95% intervals of the planted effects cover the planted
// value? It is a developer tool, run as a test so that it reuses this package's test binary (which
// already links DuckDB) and never ships in the mingdeng binary:
//
//	go test ./queries -run TestCalibrationStudy -count=1 -timeout 0 \
//	    -calibrate.seeds 1-40 -calibrate.cache /tmp/mingdeng-cal -calibrate.report cal.md
//
// Each seed is generated at company scale and ingested once (kept in -calibrate.cache when
// given, so a second run only analyses), then analysed at the half and year grains, and the
// difference in differences is run on -calibrate.placebos placebo events per grain. Without
// flags (make test) it runs the short version: seed 7, the warehouse the other company-scale
// tests use, with wide bounds that catch gross miscalibration only; the full study's figures
// are in docs/analysis.md.
var (
	calSeeds  = flag.String("calibrate.seeds", "", "calibration study: seeds, e.g. 1-40 or 3,5,9 (empty: the short version, seed 7)")
	calCache  = flag.String("calibrate.cache", "", "calibration study: folder keeping one ingested warehouse per seed")
	calReport = flag.String("calibrate.report", "", "calibration study: write the summary (Markdown) to this file")
	calRaw    = flag.String("calibrate.raw", "", "calibration study: write every true-null test (CSV) to this file")
	calPlac   = flag.Int("calibrate.placebos", 50, "calibration study: placebo group-formation events per seed and grain")
)

// calNull is one test of a true null, calCover one planted effect's interval.
type calNull struct {
	seed                   uint64
	grain, method, outcome string
	activity               string
	lag                    int
	p, est, se, df         float64
}

type calCover struct {
	seed        uint64
	name        string
	truth       float64
	lo, hi, est float64
	found       bool   // p_adj < 0.05 in its family
	family      string // primary or exploratory
}

func parseSeeds(t *testing.T, s string) []uint64 {
	var out []uint64
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(lo, 10, 64)
		if err != nil {
			t.Fatalf("-calibrate.seeds %q: %v", s, err)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(hi, 10, 64); err != nil || b < a {
				t.Fatalf("-calibrate.seeds %q: bad range %q", s, part)
			}
		}
		for v := a; v <= b; v++ {
			out = append(out, v)
		}
	}
	return out
}

// calWarehouse returns an ingested company-scale warehouse of seed, from the cache when there.
func calWarehouse(t *testing.T, seed uint64) (string, *synth.Manifest) {
	t.Helper()
	if *calCache == "" {
		if seed == 7 {
			return sharedCompany(t)
		}
		return ingestGenerated(t, synth.Options{Scale: synth.ScaleCompany, Seed: seed})
	}
	db := filepath.Join(*calCache, fmt.Sprintf("company-%d.duckdb", seed))
	man := filepath.Join(*calCache, fmt.Sprintf("manifest-%d.json", seed))
	if _, err := os.Stat(db); err == nil {
		if m, err := readManifestFile(man); err == nil {
			return db, m
		}
	}
	if err := os.MkdirAll(*calCache, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, m := ingestGenerated(t, synth.Options{Scale: synth.ScaleCompany, Seed: seed})
	for _, c := range []struct{ from, to string }{{tmp, db}, {tmp + ".key", db + ".key"}} {
		if err := copyFile(c.from, c.to); err != nil && c.from == tmp {
			t.Fatal(err)
		}
	}
	if err := writeManifestFile(man, m); err != nil {
		t.Fatal(err)
	}
	return db, m
}

func TestCalibrationStudy(t *testing.T) {
	short := *calSeeds == ""
	if short && testing.Short() {
		t.Skip("company scale: skipped with -short")
	}
	seeds := []uint64{7}
	if !short {
		seeds = parseSeeds(t, *calSeeds)
	}
	ctx := context.Background()
	var nulls []calNull
	var covers []calCover
	for _, seed := range seeds {
		db, m := calWarehouse(t, seed)
		w, err := warehouse.Open(ctx, db, warehouse.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, run := range calRuns {
			res, err := queries.Analyze(ctx, w.DB(), queries.AnalyzeOptions{Period: run.period, Lags: run.lags})
			if err != nil {
				w.Close()
				t.Fatalf("seed %d %s: %v", seed, run.name, err)
			}
			n, c := calibrationTests(seed, run, res.Results, m.Effects)
			nulls = append(nulls, n...)
			covers = append(covers, c...)
		}
		for _, grain := range []string{"half", "year"} {
			n, err := placeboNulls(ctx, w, seed, grain, *calPlac)
			if err != nil {
				w.Close()
				t.Fatalf("seed %d %s placebos: %v", seed, grain, err)
			}
			nulls = append(nulls, n...)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d done", seed)
	}
	if *calRaw != "" {
		var b strings.Builder
		b.WriteString("seed,run,method,activity,outcome,lag,p,estimate,se,df\n")
		g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
		for _, n := range nulls {
			fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%d,%s,%s,%s,%s\n", n.seed, n.grain, n.method, n.activity, n.outcome, n.lag, g(n.p), g(n.est), g(n.se), g(n.df))
		}
		if err := os.WriteFile(*calRaw, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	report := calibrationSummary(seeds, nulls, covers)
	t.Log("\n" + report)
	if *calReport != "" {
		if err := os.WriteFile(*calReport, []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Bounds. Full study: the targets (rejection 3.5–6.5 %, coverage 92–98 %) on every method with
	// at least 400 null tests or 200 intervals; fewer make the rate too coarse to judge. Short
	// version: one seed, so only gross miscalibration (rejection above 12 % or coverage below
	// five of the six planted effects) fails.
	for _, row := range append(calibrationRows(nulls, byGrain), calibrationRows(nulls, pooled)...) {
		switch {
		case short && row.tests >= 40 && row.rate() > 0.12:
			t.Errorf("%s: %d of %d true nulls rejected at 5%% (%.1f %%)", row.key, row.rejected, row.tests, 100*row.rate())
		case !short && row.tests >= 400 && (row.rate() < 0.035 || row.rate() > 0.065):
			t.Errorf("%s: rejection rate %.2f %% of %d true nulls, want 3.5–6.5 %%", row.key, 100*row.rate(), row.tests)
		}
	}
	in := 0
	for _, c := range covers {
		if c.lo <= c.truth && c.truth <= c.hi {
			in++
		}
	}
	switch rate := float64(in) / float64(len(covers)); {
	case len(covers) == 0:
		t.Error("no planted effect found in the results")
	case short && len(covers)-in > 1:
		t.Errorf("only %d of %d planted effects inside their 95%% CI", in, len(covers))
	case !short && len(covers) >= 200 && (rate < 0.92 || rate > 0.98):
		t.Errorf("coverage %.1f %% of %d planted effects, want 92–98 %%", 100*rate, len(covers))
	}
}

// calRuns are the analyze runs of each seed: the default half-year panel with lags 0 and 1, the
// year panel with the same lags, and the year panel at lag 0 only (the run on which the
// same-year effect resolved_customer is planted; with one lag fewer it keeps the first year).
var calRuns = []struct {
	name, period string
	lags         []int
}{{"half", "half", []int{0, 1}}, {"year", "year", []int{0, 1}}, {"year lag 0", "year", []int{0}}}

// calNullOutcomes have no path from any activity in the generator (see nullOutcomes).
var calNullOutcomes = nullOutcomes

// calibrationTests picks the true nulls and the planted effects out of one run's results:
//   - panel_fe on the outcomes without a planted effect (every activity and lag), and the
//     planted null meeting_count_null;
//   - did_twfe of group_formed (the generator plants nothing on forming a group: a new group
//     draws a new baseline, zero on average) and did_pretrend of both events (posts are
//     selected on a fixed baseline, which the unit effects absorb, so there is no pre-trend);
//   - the planted effects' fixed-effects intervals, on the grain each is planted on.
func calibrationTests(seed uint64, run struct {
	name, period string
	lags         []int
}, rs []stats.Result, effects []synth.Effect) ([]calNull, []calCover) {
	grain := run.name
	var nulls []calNull
	var covers []calCover
	for _, r := range rs {
		if math.IsNaN(r.P) {
			continue
		}
		null := false
		switch r.Method {
		case stats.MethodFixedEffects:
			null = slices.Contains(calNullOutcomes, r.Outcome)
		case stats.MethodDiD:
			// The team panel does not depend on the lags: the lag-0 year run repeats the year DiD.
			null = r.Activity == queries.EventGroupFormed && run.name != "year lag 0"
		case stats.MethodPreTrend:
			null = run.name != "year lag 0"
		}
		for _, e := range effects {
			// Each planted effect once: the half panel, or for a yearly effect the lag-0 year run.
			if r.Method == stats.MethodFixedEffects && e.Activity == r.Activity && e.Outcome == r.Outcome && e.Lag == r.Lag &&
				(e.Period == "half" && run.name == "half" || e.Period == "year" && run.name == "year lag 0") {
				covers = append(covers, calCover{seed, e.Name, e.Coefficient, r.CILow, r.CIHigh, r.Estimate, r.PAdj < 0.05, r.Family})
				null = null || e.Coefficient == 0
			}
		}
		if null {
			nulls = append(nulls, calNull{seed, grain, r.Method, r.Outcome, r.Activity, r.Lag, r.P, r.Estimate, r.SE, r.DF})
		}
	}
	return nulls, covers
}

type calRow struct {
	key             string
	tests, rejected int
	estSum          float64
	perSeed         map[uint64][2]int // tests, rejected
}

// seedCI is the 95% interval of the rate when the seeds, not the tests, are the independent
// draws: tests of one seed share its data (the placebo events of a seed its team panel, the
// fixed-effects tests of a seed its groups), so the Wilson interval, which treats every test as
// independent, can be too narrow. It is the ratio estimator's normal interval over seeds (null
// with fewer than two seeds).
func (r calRow) seedCI() (float64, float64) {
	S := len(r.perSeed)
	if S < 2 {
		return math.NaN(), math.NaN()
	}
	rate := r.rate()
	mn := float64(r.tests) / float64(S)
	ss := 0.0
	for _, c := range r.perSeed {
		d := float64(c[1]) - rate*float64(c[0])
		ss += d * d
	}
	se := math.Sqrt(ss/float64(S-1)/float64(S)) / mn
	return rate - 1.959963984540054*se, rate + 1.959963984540054*se
}

func (r calRow) rate() float64 { return float64(r.rejected) / float64(r.tests) }

// byGrain keys the null tests by method and grain (DiD by event).
func byGrain(n calNull) string {
	k := n.method + " " + n.grain
	if n.method == stats.MethodDiD || n.method == stats.MethodPreTrend {
		k += " " + n.activity
	}
	return k
}

// pooled keys the null tests by method alone, the DiD's placebo events apart from the real ones:
// the rate each method is held to.
func pooled(n calNull) string {
	switch {
	case n.method != stats.MethodDiD && n.method != stats.MethodPreTrend:
		return n.method + ", all runs"
	case n.activity == placeboEvent:
		return n.method + ", placebo events, both grains"
	}
	return n.method + ", real events, both grains"
}

// calibrationRows groups the null tests by key.
func calibrationRows(nulls []calNull, key func(calNull) string) []calRow {
	idx := map[string]*calRow{}
	var keys []string
	for _, n := range nulls {
		k := key(n)
		r := idx[k]
		if r == nil {
			r = &calRow{key: k, perSeed: map[uint64][2]int{}}
			idx[k] = r
			keys = append(keys, k)
		}
		c := r.perSeed[n.seed]
		r.tests++
		c[0]++
		if n.p < 0.05 {
			r.rejected++
			c[1]++
		}
		r.perSeed[n.seed] = c
		r.estSum += n.est
	}
	sort.Strings(keys)
	out := make([]calRow, len(keys))
	for i, k := range keys {
		out[i] = *idx[k]
	}
	return out
}

// wilson is the 95% Wilson score interval of k successes in n.
func wilson(k, n int) (float64, float64) {
	const z = 1.959963984540054
	p, nn := float64(k)/float64(n), float64(n)
	c := (p + z*z/(2*nn)) / (1 + z*z/nn)
	h := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / (1 + z*z/nn)
	return math.Max(0, c-h), math.Min(1, c+h)
}

func calibrationSummary(seeds []uint64, nulls []calNull, covers []calCover) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Seeds: %d (%d–%d), company scale.\n\n", len(seeds), slices.Min(seeds), slices.Max(seeds))
	b.WriteString("| true nulls | tests | p < 0.05 | rate | 95% CI of the rate | by seed | mean estimate |\n|---|---:|---:|---:|---|---|---:|\n")
	for _, r := range append(calibrationRows(nulls, byGrain), calibrationRows(nulls, pooled)...) {
		lo, hi := wilson(r.rejected, r.tests)
		slo, shi := r.seedCI()
		fmt.Fprintf(&b, "| %s | %d | %d | %.1f %% | %.1f–%.1f %% | %.1f–%.1f %% | %.3g |\n", r.key, r.tests, r.rejected, 100*r.rate(),
			100*lo, 100*hi, 100*math.Max(0, slo), 100*shi, r.estSum/float64(r.tests))
	}
	b.WriteString("\n| planted effect | truth | intervals | cover | rate | mean estimate | family | p_adj < 0.05 |\n|---|---:|---:|---:|---:|---:|---|---:|\n")
	byName := map[string][]calCover{}
	var names []string
	for _, c := range covers {
		if byName[c.name] == nil {
			names = append(names, c.name)
		}
		byName[c.name] = append(byName[c.name], c)
	}
	total, totalIn := 0, 0
	for _, n := range names {
		cs := byName[n]
		in, found, sum := 0, 0, 0.0
		for _, c := range cs {
			if c.lo <= c.truth && c.truth <= c.hi {
				in++
			}
			if c.found {
				found++
			}
			sum += c.est
		}
		total += len(cs)
		totalIn += in
		fmt.Fprintf(&b, "| %s | %g | %d | %d | %.1f %% | %.3f | %s | %d of %d |\n", n, cs[0].truth, len(cs), in, 100*float64(in)/float64(len(cs)), sum/float64(len(cs)), cs[0].family, found, len(cs))
	}
	if total > 0 {
		lo, hi := wilson(totalIn, total)
		fmt.Fprintf(&b, "| all | | %d | %d | %.1f %% (95%% CI %.1f–%.1f %%) | |\n", total, totalIn, 100*float64(totalIn)/float64(total), 100*lo, 100*hi)
	}
	// Per-test detail for the fixed-effects nulls: which activity, outcome or lag is off.
	byOutcome := func(n calNull) string { return n.outcome }
	byActivity := func(n calNull) string { return n.activity + "@" + strconv.Itoa(n.lag) }
	b.WriteString(feBreakdown(nulls, "outcome", byOutcome))
	b.WriteString(feBreakdown(nulls, "activity@lag", byActivity))
	return b.String()
}

func feBreakdown(nulls []calNull, what string, label func(calNull) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nFixed-effects true nulls by %s:\n\n| run | %s | tests | rate |\n|---|---|---:|---:|\n", what, what)
	type ok struct{ grain, outcome string }
	cnt := map[ok][2]int{}
	var oks []ok
	for _, n := range nulls {
		if n.method != stats.MethodFixedEffects {
			continue
		}
		k := ok{n.grain, label(n)}
		c, seen := cnt[k]
		if !seen {
			oks = append(oks, k)
		}
		c[0]++
		if n.p < 0.05 {
			c[1]++
		}
		cnt[k] = c
	}
	sort.Slice(oks, func(i, j int) bool { return oks[i].grain+oks[i].outcome < oks[j].grain+oks[j].outcome })
	for _, k := range oks {
		c := cnt[k]
		fmt.Fprintf(&b, "| %s | %s | %d | %.1f %% |\n", k.grain, k.outcome, c[0], 100*float64(c[1])/float64(c[0]))
	}
	return b.String()
}

// placeboEvent is the activity of the placebo group-formation events.
const placeboEvent = queries.EventGroupFormed + "_placebo"

// placeboNulls runs the difference in differences (and its pre-trend check) on k placebo events
// of one seed and grain: the real group-formation event gives one test per seed and grain, too
// few to tell 5 % from 8 % (Bertrand, Duflo and Mullainathan 2004 calibrate DiD the same way,
// with placebo laws). Each placebo has the real event's structure: as many linked-team clusters
// as really formed a group, drawn at random from the clusters that never did, each treated from
// one of the real starts (a random pairing of clusters and the real clusters' starts), on the
// same team panel with the really treated clusters left out. Nothing happens at a placebo start,
// so every test is a true null. The draws are fixed by the seed and grain.
func placeboNulls(ctx context.Context, w *warehouse.Warehouse, seed uint64, grain string, k int) ([]calNull, error) {
	panels, names, err := queries.TeamEventPanels(ctx, w.DB(), queries.AnalyzeOptions{Period: grain})
	if err != nil {
		return nil, err
	}
	i := slices.Index(names, queries.EventGroupFormed)
	if i < 0 || k <= 0 {
		return nil, nil
	}
	ep := panels[i]
	cluster := func(u string) string {
		if c, ok := ep.Cluster[u]; ok {
			return c
		}
		return "u:" + u
	}
	// The real event: its clusters and their starts (a cluster's earliest).
	realStart := map[string]int{}
	for u, s := range ep.Start {
		c := cluster(u)
		if old, ok := realStart[c]; !ok || s < old {
			realStart[c] = s
		}
	}
	var starts []int
	for _, s := range realStart {
		starts = append(starts, s)
	}
	slices.Sort(starts) // map order must not reach the draws
	var base stats.EventPanel
	members := map[string][]string{}
	for r, u := range ep.Unit {
		c := cluster(u)
		if _, treated := realStart[c]; treated {
			continue
		}
		base.Unit = append(base.Unit, u)
		base.Period = append(base.Period, ep.Period[r])
		base.Y = append(base.Y, ep.Y[r])
		if !slices.Contains(members[c], u) {
			members[c] = append(members[c], u)
		}
	}
	pool := make([]string, 0, len(members))
	for c := range members {
		pool = append(pool, c)
	}
	slices.Sort(pool)
	if len(starts) == 0 || len(pool) < 2*len(starts) {
		return nil, nil
	}
	base.Cluster = ep.Cluster
	rng := rand.New(rand.NewPCG(seed, uint64(len(grain))))
	var out []calNull
	for d := 0; d < k; d++ {
		rng.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
		rng.Shuffle(len(starts), func(a, b int) { starts[a], starts[b] = starts[b], starts[a] })
		p := base
		p.Start = map[string]int{}
		for j, s := range starts {
			for _, u := range members[pool[j]] {
				p.Start[u] = s
			}
		}
		rs, err := stats.DiffInDiff(p, stats.Meta{Activity: placeboEvent, Outcome: "violations_per_100_staff"})
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if !math.IsNaN(r.P) {
				out = append(out, calNull{seed, grain, r.Method, r.Outcome, r.Activity, r.Lag, r.P, r.Estimate, r.SE, r.DF})
			}
		}
	}
	return out, nil
}

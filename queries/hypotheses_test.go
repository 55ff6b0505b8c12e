package queries_test

import (
	"context"
	"math"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// R: qt(0.975, 39) + qt(0.8, 39) = 2.8736259399568849; with six primary tests (Bonferroni level
// 0.05/6): qt(1 - 0.05/12, 39) + qt(0.8, 39) = 3.6305031555052727.
func TestMinimumDetectable(t *testing.T) {
	for _, c := range []struct{ alpha, want float64 }{{0.05, 2.8736259399568849}, {0.05 / 6, 3.6305031555052727}} {
		if got := queries.MinimumDetectable(2, 39, c.alpha); math.Abs(got-2*c.want) > 1e-12*c.want {
			t.Errorf("alpha %v: mde %.17g, want %.17g", c.alpha, got, 2*c.want)
		}
	}
	if !math.IsNaN(queries.MinimumDetectable(0, 39, 0.05)) || !math.IsNaN(queries.MinimumDetectable(1, 0, 0.05)) {
		t.Error("mde without a standard error or df should be NaN")
	}
}

func TestHypothesesConfig(t *testing.T) {
	c, err := queries.ParseConfig([]byte("hypotheses:\n  - {activity: critique_per_meeting, outcome: violations_per_100_staff, lag: 1, period: half}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Hypotheses) != 1 || c.Hypotheses[0].Outcome != "violations_per_100_staff" {
		t.Errorf("parsed %+v", c.Hypotheses)
	}
	if d := queries.DefaultConfig(); len(d.Hypotheses) == 0 {
		t.Error("no default hypotheses")
	}
	none, err := queries.ParseConfig([]byte("hypotheses: []\n"))
	if err != nil || len(none.Hypotheses) != 0 {
		t.Errorf("empty list: %+v, %v", none.Hypotheses, err)
	}
	for _, bad := range []string{
		"hypotheses: [{activity: meetings, outcome: violations_per_100_staff, lag: 1, period: half}]",
		"hypotheses: [{activity: meetings_held, outcome: violations, lag: 1, period: half}]",
		"hypotheses: [{activity: meetings_held, outcome: near_misses, lag: -1, period: half}]",
		"hypotheses: [{activity: meetings_held, outcome: near_misses, lag: 1, period: week}]",
		"hypotheses: [{activity: meetings_held, outcome: near_misses, lag: 1, period: half}, {activity: meetings_held, outcome: near_misses, lag: 1, period: half}]",
	} {
		if _, err := queries.ParseConfig([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	// The hash names the list, not its order.
	h := queries.DefaultHypotheses()
	rev := make([]queries.Hypothesis, len(h))
	for i := range h {
		rev[len(h)-1-i] = h[i]
	}
	if queries.HypothesesHash(h) != queries.HypothesesHash(rev) || queries.HypothesesHash(h) == queries.HypothesesHash(h[1:]) {
		t.Error("hash depends on order, or ignores a removed hypothesis")
	}
}

// The declared hypothesis is its own family: its p_adj is its p (a family of one), the other
// fixed-effects tests are adjusted among themselves only, and the record says when the list was
// first seen against the last ingest; re-recording does not move that time.
func TestAnalyzePrimaryFamilyAndRecord(t *testing.T) {
	ctx := context.Background()
	db := plantedSlopeWarehouse(t)
	hyp := []queries.Hypothesis{{Activity: "critique_per_meeting", Outcome: "violations_per_100_staff", Lag: 1, Period: "half"}}
	cfg := queries.DefaultConfig()
	cfg.Hypotheses = hyp
	run := func() *queries.AnalyzeResult {
		t.Helper()
		res, err := queries.Analyze(ctx, db, queries.AnalyzeOptions{
			Unit: "U9", Activities: []string{"critique_per_meeting", "problems_raised_per_meeting"},
			Outcomes: []string{"violations_per_100_staff", "near_misses"}, Lags: []int{0, 1}, Config: &cfg,
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run()
	var prim []stats.Result
	var expl []float64
	var explAdj []float64
	for _, r := range res.Results {
		switch r.Family {
		case stats.FamilyPrimary:
			prim = append(prim, r)
		case stats.FamilyExploratory:
			if r.Method == stats.MethodFixedEffects {
				expl = append(expl, r.P)
				explAdj = append(explAdj, r.PAdj)
			}
		default:
			t.Errorf("result without family: %+v", r)
		}
	}
	if len(prim) != 1 || prim[0].Method != stats.MethodFixedEffects || prim[0].Activity != "critique_per_meeting" || prim[0].Lag != 1 {
		t.Fatalf("primary results: %+v", prim)
	}
	if prim[0].PAdj != prim[0].P {
		t.Errorf("primary family of one: p_adj %v, p %v", prim[0].PAdj, prim[0].P)
	}
	for i, v := range stats.BH(expl) {
		if !(v == explAdj[i] || math.IsNaN(v) && math.IsNaN(explAdj[i])) {
			t.Errorf("exploratory FE p_adj[%d] = %v, want BH among themselves %v", i, explAdj[i], v)
		}
	}
	h := res.Hypotheses
	if h == nil || len(h.Tests) != 1 || h.Hash != queries.HypothesesHash(hyp) {
		t.Fatalf("record: %+v", h)
	}
	if h.Tests[0].Status != queries.HypothesisSupported || res.Results[h.Tests[0].Result].Family != stats.FamilyPrimary {
		t.Errorf("test: %+v", h.Tests[0])
	}
	// MDE = (t(1 − 0.05/2) + t(0.8))·SE with one primary test.
	if want := queries.MinimumDetectable(prim[0].SE, prim[0].DF, 0.05); !(want > 0) || h.Tests[0].MDE != want {
		t.Errorf("mde %v, want %v (se %v, df %v)", h.Tests[0].MDE, want, prim[0].SE, prim[0].DF)
	}
	if h.DeclaredAt != nil || !h.ChangedAfterIngest {
		t.Errorf("never recorded, yet declared_at %v, changed_after_ingest %v", h.DeclaredAt, h.ChangedAfterIngest)
	}

	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	batch := func(id int, finished string) {
		exec(`INSERT INTO _batches (batch_id, dataset, path, status, loaded, started_at, finished_at) VALUES (?, 'meetings', 'm.csv', 'loaded', 10, now(), now() + CAST(? AS INTERVAL))`, id, finished)
	}
	batch(1, "-1 day")
	if err := queries.RecordHypotheses(ctx, db, hyp); err != nil {
		t.Fatal(err)
	}
	h = run().Hypotheses
	if h.DeclaredAt == nil || h.LastIngest == nil || !h.ChangedAfterIngest {
		t.Fatalf("recorded after the last ingest: %+v", h)
	}
	first := *h.DeclaredAt
	// Loading data after the declaration clears the flag; recording again keeps the first time.
	batch(2, "1 hour")
	if err := queries.RecordHypotheses(ctx, db, hyp); err != nil {
		t.Fatal(err)
	}
	h = run().Hypotheses
	if !h.DeclaredAt.Equal(first) || h.ChangedAfterIngest {
		t.Errorf("after a later ingest: declared_at %v (first %v), changed_after_ingest %v", h.DeclaredAt, first, h.ChangedAfterIngest)
	}
	if ok, err := queries.HypothesesRecorded(ctx, db, hyp); err != nil || !ok {
		t.Errorf("recorded = %v, %v", ok, err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM _hypotheses`).Scan(&n); err != nil || n != 1 {
		t.Errorf("_hypotheses rows %d, %v", n, err)
	}
}

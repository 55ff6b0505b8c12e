package queries

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/queries/table"
)

// ActivityMetrics are the activity metrics the panel query provides (docs/metrics.md).
var ActivityMetrics = []string{
	"meetings_held", "monthly_compliance", "attendance_rate", "critique_per_meeting",
	"problems_raised_per_meeting", "problems_resolved_per_meeting", "resolution_rate",
	"production_linked_share", "study_only_share", "model_posts_held", "model_post_awarded",
	"demo_days_held", "leader_trained",
}

// OutcomeMetrics are the outcome and survey metrics the panel query provides.
var OutcomeMetrics = []string{
	"patrol_km_per_head", "planned_completion", "defects_per_100km", "timely_elimination_share",
	"violations_per_100_staff", "near_misses", "responsible_incidents", "longest_safe_run",
	"employee_satisfaction", "customer_satisfaction",
}

// DefaultActivities are analysed when AnalyzeOptions.Activities is empty. resolution_rate
// (a ratio of two metrics already in the set) and model_posts_held (counts pledges too, and
// nearly duplicates model_post_awarded) are left out so the adjusted regression stays well
// conditioned; ask for them by name.
var DefaultActivities = []string{
	"meetings_held", "monthly_compliance", "attendance_rate", "critique_per_meeting",
	"problems_raised_per_meeting", "problems_resolved_per_meeting", "production_linked_share",
	"study_only_share", "model_post_awarded", "demo_days_held", "leader_trained",
}

// AnalyzeOptions choose the panel and the tests of one analyze run.
type AnalyzeOptions struct {
	Period     string    // month, quarter, half (default) or year
	From, To   time.Time // zero: the whole years with records
	Unit       string    // empty: every unit
	Activities []string  // empty: DefaultActivities
	Outcomes   []string  // empty: OutcomeMetrics
	Lags       []int     // empty: 0 and 1
	Config     *Config   // nil: DefaultConfig()
}

// AnalyzeResult is what one analyze run returns; its JSON form is
// {"period","from","to","hypotheses":{...},"results":[stats.Result...]}.
type AnalyzeResult struct {
	Period string
	From   string // first day of the panel (YYYY-MM-DD)
	To     string // last day of the panel
	// Hypotheses is the declared primary list, when the warehouse first saw it, and each
	// hypothesis's status and minimum detectable effect in this run. Its results are those of
	// Results with Family == stats.FamilyPrimary (HypothesisTest.Result indexes them).
	Hypotheses *Hypotheses
	Results    []stats.Result
}

// Primary returns the results of the declared hypotheses (Family primary), in result order.
func (a *AnalyzeResult) Primary() []stats.Result {
	var out []stats.Result
	for _, r := range a.Results {
		if r.Family == stats.FamilyPrimary {
			out = append(out, r)
		}
	}
	return out
}

// MarshalJSON writes {"period","from","to","hypotheses","results"}.
func (a *AnalyzeResult) MarshalJSON() ([]byte, error) {
	rs := a.Results
	if rs == nil {
		rs = []stats.Result{}
	}
	return json.Marshal(struct {
		Period     string         `json:"period"`
		From       string         `json:"from"`
		To         string         `json:"to"`
		Hypotheses *Hypotheses    `json:"hypotheses"`
		Results    []stats.Result `json:"results"`
	}{a.Period, a.From, a.To, a.Hypotheses, rs})
}

// Event names used as the activity of the difference-in-differences and group comparisons.
const (
	EventModelPost   = "model_post_awarded"
	EventGroupFormed = "group_formed"
	ModelGroup       = "model_group"
)

func (o *AnalyzeOptions) normalise() error {
	if o.Period == "" {
		o.Period = "half"
	}
	if len(o.Activities) == 0 {
		o.Activities = DefaultActivities
	}
	if len(o.Outcomes) == 0 {
		o.Outcomes = OutcomeMetrics
	}
	if len(o.Lags) == 0 {
		o.Lags = []int{0, 1}
	}
	for _, a := range o.Activities {
		if !slices.Contains(ActivityMetrics, a) {
			return fmt.Errorf("%w: unknown activity metric %q (known: %s)", ErrParam, a, strings.Join(ActivityMetrics, ", "))
		}
	}
	for _, m := range o.Outcomes {
		if !slices.Contains(OutcomeMetrics, m) {
			return fmt.Errorf("%w: unknown outcome metric %q (known: %s)", ErrParam, m, strings.Join(OutcomeMetrics, ", "))
		}
	}
	return nil
}

// panelData is the panel query's result pivoted: one observation per group and period.
type panelData struct {
	group  []string
	pidx   []int
	period []string
	model  []bool
	y      map[string][]float64         // outcome → values
	x      map[int]map[string][]float64 // lag → activity → values
	from   string
	to     string
}

// loadPanel runs the panel query once and pivots its lag rows into columns. The rows are scanned
// straight into the columns (no Table of boxed cells: at province scale 240 k rows × 30 cells were
// ~200 MB of Go heap), each cell read as Number reads a Table cell, so the values are the same.
func loadPanel(ctx context.Context, db Querier, o AnalyzeOptions) (*panelData, error) {
	p := Params{Period: o.Period, From: o.From, To: o.To, Unit: o.Unit, Lags: o.Lags, Config: o.Config}
	q, text, args, err := namedStatement(ctx, db, "panel", p)
	if err != nil {
		return nil, err
	}
	span := StartTrace()
	defer span.End("panel, read into Go")
	rows, err := db.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	var (
		group, period textCell
		pidx, lag     intCell
		model         boolCell
	)
	dest := make([]any, len(names))
	var discard any
	for i := range dest {
		dest[i] = &discard
	}
	col := map[string]int{}
	for i, n := range names {
		col[n] = i
	}
	set := func(name string, d any) error {
		i, ok := col[name]
		if !ok {
			return fmt.Errorf("query %s: no column %q", q.Name, name)
		}
		dest[i] = d
		return nil
	}
	cells := map[string]*numberCell{}
	for _, n := range append(slices.Clone(o.Outcomes), o.Activities...) {
		if cells[n] == nil {
			cells[n] = new(numberCell)
		}
	}
	for _, c := range []struct {
		name string
		d    any
	}{{"group_id", &group}, {"period", &period}, {"pidx", &pidx}, {"lag", &lag}, {"model_group", &model}} {
		if err := set(c.name, c.d); err != nil {
			return nil, err
		}
	}
	for n, c := range cells {
		if err := set(n, c); err != nil {
			return nil, err
		}
	}
	d := &panelData{y: map[string][]float64{}, x: map[int]map[string][]float64{}}
	type key struct {
		g string
		p int64
	}
	at := map[key]int{}
	for _, l := range o.Lags {
		d.x[l] = map[string][]float64{}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("query %s: %w", q.Name, err)
		}
		k := key{string(group), int64(pidx)}
		i, ok := at[k]
		if !ok {
			i = len(d.group)
			at[k] = i
			d.group = append(d.group, string(group))
			d.pidx = append(d.pidx, int(pidx))
			d.period = append(d.period, string(period))
			d.model = append(d.model, bool(model))
			for _, m := range o.Outcomes {
				d.y[m] = append(d.y[m], float64(*cells[m]))
			}
			for _, l := range o.Lags {
				for _, a := range o.Activities {
					d.x[l][a] = append(d.x[l][a], math.NaN())
				}
			}
		}
		if xs, ok := d.x[int(lag)]; ok {
			for _, a := range o.Activities {
				xs[a][i] = float64(*cells[a])
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	return d, nil
}

// Scan targets that read a cell as the Table path does (normalise, then Number or a type
// assertion that leaves NULL and other types as the zero value).
type (
	numberCell float64
	textCell   string
	intCell    int64
	boolCell   bool
)

func (c *numberCell) Scan(v any) error { *c = numberCell(Number(table.Normalise(v))); return nil }

func (c *textCell) Scan(v any) error {
	s, _ := table.Normalise(v).(string)
	*c = textCell(s)
	return nil
}

func (c *intCell) Scan(v any) error {
	n, _ := table.Normalise(v).(int64)
	*c = intCell(n)
	return nil
}

func (c *boolCell) Scan(v any) error {
	b, _ := table.Normalise(v).(bool)
	*c = boolCell(b)
	return nil
}

// Analyze builds the group × period panel in SQL (the panel query: activity lagged within each
// group by join, outcomes and satisfaction in the period) and runs, on it:
//   - Pearson and Spearman correlation of every activity with every outcome at every lag;
//   - per outcome, one two-way fixed-effects regression (group and period effects, SE
//     clustered by group) on every chosen activity at every chosen lag together: the main,
//     adjusted estimate of each activity's association with the outcome;
//   - model groups (graded excellent in their latest earlier assessment) against the rest:
//     Welch's t, Mann–Whitney U and Hedges' g for every outcome in the same period;
//   - difference in differences of violations per 100 staff around a team's first model post
//     (the six model-post kinds) against teams without one, with the pre-trend check (when
//     violations_per_100_staff is among the outcomes);
//   - Benjamini–Hochberg adjusted p-values: the fixed-effects tests of the hypotheses declared in
//     the configuration (Config.Hypotheses, of this run's period) as the primary family, and the
//     rest, exploratory, within each method's tests (bhFamily), leaving out the pre-trend
//     diagnostic and Hedges' g (the same comparison as the t test); Result.Family says which.
func Analyze(ctx context.Context, db Querier, o AnalyzeOptions) (*AnalyzeResult, error) {
	if err := o.normalise(); err != nil {
		return nil, err
	}
	if err := (Params{Period: o.Period, From: o.From, To: o.To, Lags: o.Lags, Config: o.Config}).Validate(); err != nil {
		return nil, err
	}
	d, err := loadPanel(ctx, db, o)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	res := &AnalyzeResult{Period: o.Period}
	if err := res.setRange(ctx, db, o); err != nil {
		return nil, err
	}
	// Difference in differences around a team's first model post, and around the team coming
	// under a newly formed party group: its query runs here, with the others, before the
	// statistics.
	var events []stats.EventPanel
	var eventNames []string
	if slices.Contains(o.Outcomes, "violations_per_100_staff") {
		if events, eventNames, err = teamEvents(ctx, db, o); err != nil {
			return nil, err
		}
	}

	span := StartTrace()
	defer func() { span.End("analyze: statistics") }()
	// The statistics are independent jobs, each writing its own slot of slots, so the results
	// keep their order whichever goroutine runs them; the SQL is done, so the cores are free.
	ycol := make([]*stats.Column, len(o.Outcomes))
	if err := runParallel(ctx, len(o.Outcomes), func(_, i int) error {
		ycol[i] = stats.NewColumn(d.y[o.Outcomes[i]])
		return nil
	}); err != nil {
		return nil, err
	}
	groups := stats.NewGroupIndex(d.group)
	var jobs []func(c *stats.Correlator) ([]stats.Result, error)

	// Correlations, pair by pair: each column sorted once for the ranks, the groups coded once for
	// the group warnings (the same results as stats.Pearson and stats.Spearman with Meta.Groups).
	for _, l := range o.Lags {
		for _, a := range o.Activities {
			jobs = append(jobs, func(c *stats.Correlator) ([]stats.Result, error) {
				xcol := stats.NewColumn(d.x[l][a])
				out := make([]stats.Result, 0, 2*len(o.Outcomes))
				for j, m := range o.Outcomes {
					pr, sr, err := c.Pair(xcol, ycol[j], stats.Meta{Activity: a, Outcome: m, Lag: l})
					if err != nil {
						return nil, err
					}
					out = append(out, pr, sr)
				}
				return out, nil
			})
		}
	}

	// Fixed effects: every activity at every lag together, per outcome; outcomes missing in the
	// same rows share the demeaned activities.
	feCache := stats.NewFECache()
	for _, m := range o.Outcomes {
		jobs = append(jobs, func(*stats.Correlator) ([]stats.Result, error) {
			p := stats.Panel{Group: d.group, Period: d.period, Y: d.y[m]}
			for _, l := range o.Lags {
				for _, a := range o.Activities {
					zh, en := RegressorLabel(a, l)
					p.X = append(p.X, stats.Regressor{Name: a + "@" + strconv.Itoa(l), ZH: zh, EN: en, Values: d.x[l][a]})
				}
			}
			rs, err := stats.FixedEffectsShared(p, stats.Meta{Outcome: m}, feCache)
			if err != nil {
				return nil, err
			}
			for i := range rs {
				name, lag, _ := strings.Cut(rs[i].Activity, "@")
				rs[i].Activity = name
				rs[i].Lag, _ = strconv.Atoi(lag)
			}
			return rs, nil
		})
	}

	// Model groups against the rest, same period.
	for _, m := range o.Outcomes {
		jobs = append(jobs, func(*stats.Correlator) ([]stats.Result, error) {
			return stats.CompareGroups(d.y[m], d.model, stats.Meta{Activity: ModelGroup, Outcome: m, Groups: d.group})
		})
	}

	for i, ep := range events {
		jobs = append(jobs, func(*stats.Correlator) ([]stats.Result, error) {
			rs, err := stats.DiffInDiff(ep, stats.Meta{Activity: eventNames[i], Outcome: "violations_per_100_staff"})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", eventNames[i], err)
			}
			return rs, nil
		})
	}

	slots := make([][]stats.Result, len(jobs))
	corrs := make([]*stats.Correlator, runtime.GOMAXPROCS(0))
	if err := runParallel(ctx, len(jobs), func(w, i int) error {
		if corrs[w] == nil {
			corrs[w] = stats.NewCorrelator(groups)
		}
		rs, err := jobs[i](corrs[w])
		slots[i] = rs
		return err
	}); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	var out []stats.Result
	for _, rs := range slots {
		out = append(out, rs...)
	}

	cfg := DefaultConfig()
	if o.Config != nil {
		cfg = *o.Config
	}
	tests := matchHypotheses(out, cfg.Hypotheses, o.Period)
	stats.AdjustBHFamilies(out, bhFamily)
	finishHypotheses(out, tests)
	if res.Hypotheses, err = hypothesesRecord(ctx, db, cfg.Hypotheses, tests); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	res.Results = out
	return res, nil
}

// bhFamily puts each method's tests in a family of their own for the Benjamini–Hochberg
// adjustment: a reader reads the fixed-effects table, the correlations and the group comparisons
// separately, and the cross-sectional correlations, which group quality confounds, find so many
// "effects" that pooled with them a fixed-effects test with no effect behind it (p 0.012 on the
// generator's company scale) was adjusted to 0.034 and flagged. Left out: the pre-trend diagnostic
// and Hedges' g (the same comparison as Welch's t).
//
// The declared hypotheses (Family primary) are one family of their own, whatever their method:
// the point of declaring a short list is that its tests are not diluted by the exploratory ones.
func bhFamily(r stats.Result) string {
	if r.Family == stats.FamilyPrimary {
		return stats.FamilyPrimary
	}
	switch r.Method {
	case stats.MethodPreTrend, stats.MethodHedgesG:
		return ""
	}
	return r.Method
}

// TeamEventPanels returns the team panels the difference in differences of Analyze runs on (one
// per event some team had in the range, named as the results' Activity), each with the
// linked-team clusters of its standard errors. It is for studies of the method, such as the
// placebo events of the calibration study, which need the same panel Analyze uses.
func TeamEventPanels(ctx context.Context, db Querier, o AnalyzeOptions) ([]stats.EventPanel, []string, error) {
	if err := o.normalise(); err != nil {
		return nil, nil, err
	}
	return teamEvents(ctx, db, o)
}

// teamEvents reads team_events into one panel per event that some team had in the range: the
// first model post (event_pidx) and a newly formed group (group_formed_pidx). DiffInDiff compares
// the teams before and after it against teams without it.
func teamEvents(ctx context.Context, db Querier, o AnalyzeOptions) ([]stats.EventPanel, []string, error) {
	r, err := Default()
	if err != nil {
		return nil, nil, err
	}
	t, err := r.Run(ctx, db, "team_events", Params{Period: o.Period, From: o.From, To: o.To, Unit: o.Unit, Config: o.Config}, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("analyze: %w", err)
	}
	col := map[string]int{}
	for i, c := range t.Columns {
		col[c.Name] = i
	}
	clusters := linkedTeams(t, col)
	var panels []stats.EventPanel
	var names []string
	for _, ev := range []struct{ name, column string }{{EventModelPost, "event_pidx"}, {EventGroupFormed, "group_formed_pidx"}} {
		ep := stats.EventPanel{Start: map[string]int{}, Cluster: clusters}
		for _, row := range t.Rows {
			team, _ := row[col["team_id"]].(string)
			pi, _ := row[col["pidx"]].(int64)
			ep.Unit = append(ep.Unit, team)
			ep.Period = append(ep.Period, int(pi))
			ep.Y = append(ep.Y, Number(row[col["violations_per_100_staff"]]))
			if s, ok := row[col[ev.column]].(int64); ok {
				ep.Start[team] = int(s)
			}
		}
		if len(ep.Start) == 0 {
			continue // no team had this event in the range: nothing to compare
		}
		panels = append(panels, ep)
		names = append(names, ev.name)
	}
	return panels, names, nil
}

// linkedTeams maps each team to a cluster: teams that were ever in one party group, directly or
// through a chain of groups (a group formed out of two teams, a group split in two), are one
// cluster. Their violations share the group's baseline and its activity, so clustering by team
// alone treats correlated teams as independent: on the generator's company scale the null
// group-formation DiD was rejected at 5 % in 3 of 16 seeds that way (docs/analysis.md).
func linkedTeams(t *Table, col map[string]int) map[string]string {
	var edges [][2]string
	for _, row := range t.Rows {
		team, _ := row[col["team_id"]].(string)
		ids, _ := row[col["group_ids"]].(string)
		edges = append(edges, [2]string{"t:" + team, "t:" + team})
		for _, g := range strings.Split(ids, ",") {
			if g != "" {
				edges = append(edges, [2]string{"t:" + team, "g:" + g})
			}
		}
	}
	roots := components(edges)
	out := map[string]string{}
	for _, row := range t.Rows {
		team, _ := row[col["team_id"]].(string)
		out[team] = roots["t:"+team]
	}
	return out
}

// components returns, for every node of the edges, the smallest node of its connected component.
func components(edges [][2]string) map[string]string {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for _, e := range edges {
		ra, rb := find(e[0]), find(e[1])
		if rb < ra {
			ra, rb = rb, ra
		}
		if ra != rb {
			parent[rb] = ra
		}
	}
	out := map[string]string{}
	for x := range parent {
		out[x] = find(x)
	}
	return out
}

// runParallel calls work(worker, i) for i in [0, n) on up to GOMAXPROCS goroutines (worker is the
// goroutine's index, for per-goroutine state) and returns the error of the lowest i that failed.
func runParallel(ctx context.Context, n int, work func(worker, i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if errs[i] = ctx.Err(); errs[i] == nil {
					errs[i] = work(w, i)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// setRange fills From and To with the range the panel covered.
func (a *AnalyzeResult) setRange(ctx context.Context, db Querier, o AnalyzeOptions) error {
	if !o.From.IsZero() && !o.To.IsZero() {
		a.From, a.To = o.From.Format(time.DateOnly), o.To.Format(time.DateOnly)
		return nil
	}
	r, err := Default()
	if err != nil {
		return err
	}
	t, err := r.Run(ctx, db, "date_range", Params{Period: o.Period, From: o.From, To: o.To}, 0)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if len(t.Rows) == 1 {
		for i, v := range t.Rows[0] {
			if tm, ok := v.(time.Time); ok {
				if t.Columns[i].Name == "from" {
					a.From = tm.Format(time.DateOnly)
				} else {
					a.To = tm.Format(time.DateOnly)
				}
			}
		}
	}
	return nil
}

// Table returns the results as a Table (one row per result; warnings as their codes).
func (a *AnalyzeResult) Table() *Table {
	return ResultsTable(a.Results)
}

// ResultsTable lays out statistics results as a Table.
func ResultsTable(rs []stats.Result) *Table {
	t := &Table{Columns: []Column{
		{Name: "method", Type: Text}, {Name: "activity", Type: Text}, {Name: "outcome", Type: Text}, {Name: "lag", Type: Integer}, {Name: "scope", Type: Text}, {Name: "n", Type: Integer},
		{Name: "estimate", Type: Float}, {Name: "ci_low", Type: Float}, {Name: "ci_high", Type: Float}, {Name: "p", Type: Float}, {Name: "p_adj", Type: Float}, {Name: "warnings", Type: Text},
	}}
	f := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	for _, r := range rs {
		codes := make([]string, len(r.Warnings))
		for i, w := range r.Warnings {
			codes[i] = string(w.Code)
		}
		t.Rows = append(t.Rows, []any{r.Method, r.Activity, r.Outcome, int64(r.Lag), r.Scope, int64(r.N),
			f(r.Estimate), f(r.CILow), f(r.CIHigh), f(r.P), f(r.PAdj), strings.Join(codes, ",")})
	}
	return t
}

// Concentration measures how concentrated awards and model posts are across party members, per
// unit and year (the Matthew effect): the member_counts query gives every member's counts
// (zeros included); stats.Concentration gives the Gini coefficient and the top-10% share.
// Scope is "UNIT/YEAR"; Activity is "awards" or "model_posts".
func Concentration(ctx context.Context, db Querier, p Params) ([]stats.Result, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	t, err := r.Run(ctx, db, "member_counts", p, 0)
	if err != nil {
		return nil, fmt.Errorf("concentration: %w", err)
	}
	return ConcentrationOf(t)
}

// ConcentrationOf is Concentration on member_counts rows already read (a report shows them too,
// and at province scale they are 550,000 member-years).
func ConcentrationOf(t *Table) ([]stats.Result, error) {
	col := map[string]int{}
	for i, c := range t.Columns {
		col[c.Name] = i
	}
	type cell struct {
		scope  string
		counts map[string][]float64
	}
	var cells []*cell
	idx := map[string]*cell{}
	for _, row := range t.Rows {
		unit, _ := row[col["unit_id"]].(string)
		year, _ := row[col["year"]].(int64)
		s := fmt.Sprintf("%s/%d", unit, year)
		c, ok := idx[s]
		if !ok {
			c = &cell{scope: s, counts: map[string][]float64{}}
			idx[s] = c
			cells = append(cells, c)
		}
		for _, k := range []string{"awards", "model_posts"} {
			c.counts[k] = append(c.counts[k], Number(row[col[k]]))
		}
	}
	// Each cell on its own goroutine slot (the draws against chance are a province report's
	// largest Go step after the statistics), its results in its own slot so the order is the
	// cells'; each cell's draws are seeded by its scope, so the figures are the same.
	slots := make([][]stats.Result, len(cells))
	err := runParallel(context.Background(), len(cells), func(_, i int) error {
		c := cells[i]
		for _, k := range []string{"awards", "model_posts"} {
			m := stats.Meta{Activity: k, Outcome: "members", Scope: c.scope}
			rs, err := stats.Concentration(c.counts[k], m)
			if err != nil {
				return fmt.Errorf("concentration %s %s: %w", c.scope, k, err)
			}
			slots[i] = append(slots[i], rs...)
			// Against chance: a high Gini of rare awards is what random allocation gives too.
			if ch, ok, err := chanceOf(c.counts[k], unitChanceDraws, k+"/"+c.scope); err != nil {
				return fmt.Errorf("concentration %s %s: %w", c.scope, k, err)
			} else if ok {
				slots[i] = append(slots[i], ch.Result(m))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []stats.Result
	for _, rs := range slots {
		out = append(out, rs...)
	}
	return out, nil
}

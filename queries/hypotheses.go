package queries

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// Hypothesis is one primary hypothesis (预先设定的假设) declared in mingdeng.yaml before the data
// are looked at: the activity metric at Lag periods before the outcome metric, on a panel of
// Period. It is tested by the two-way fixed-effects coefficient of that activity, lag and
// outcome in an analyze run of that period; the primary results form their own family for the
// multiple-comparison adjustment, so a short declared list keeps its power.
type Hypothesis struct {
	Activity string `yaml:"activity" json:"activity"`
	Outcome  string `yaml:"outcome" json:"outcome"`
	Lag      int    `yaml:"lag" json:"lag"`
	Period   string `yaml:"period" json:"period"`
}

func (h Hypothesis) String() string {
	return fmt.Sprintf("%s → %s lag %d (%s)", h.Activity, h.Outcome, h.Lag, h.Period)
}

// DefaultHypotheses are the domain's primary questions (DOMAIN.md): does meeting quality
// (critique raised, problems resolved) and work linked to production this half go with fewer
// violations, more defects found on patrol and higher customer satisfaction next half? Meeting
// counts are left out on purpose: they are the measure formalism inflates.
func DefaultHypotheses() []Hypothesis {
	return []Hypothesis{
		{"critique_per_meeting", "violations_per_100_staff", 1, "half"},
		{"problems_resolved_per_meeting", "violations_per_100_staff", 1, "half"},
		{"production_linked_share", "violations_per_100_staff", 1, "half"},
		{"production_linked_share", "defects_per_100km", 1, "half"},
		{"problems_resolved_per_meeting", "customer_satisfaction", 1, "half"},
		{"production_linked_share", "customer_satisfaction", 1, "half"},
	}
}

// HypothesesHash identifies a declared list whatever its order and spacing in the file:
// "sha256:" and the hex digest of its sorted lines "activity|outcome|lag|period".
func HypothesesHash(hs []Hypothesis) string {
	lines := make([]string, len(hs))
	for i, h := range hs {
		lines[i] = fmt.Sprintf("%s|%s|%d|%s", h.Activity, h.Outcome, h.Lag, h.Period)
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func validateHypotheses(hs []Hypothesis) error {
	seen := map[Hypothesis]bool{}
	for i, h := range hs {
		key := fmt.Sprintf("hypotheses[%d]", i+1)
		if !slices.Contains(ActivityMetrics, h.Activity) {
			return configErr(key+".activity", h.Activity, "活动指标之一："+strings.Join(ActivityMetrics, "、"), "an activity metric: "+strings.Join(ActivityMetrics, ", "))
		}
		if !slices.Contains(OutcomeMetrics, h.Outcome) {
			return configErr(key+".outcome", h.Outcome, "成效指标之一："+strings.Join(OutcomeMetrics, "、"), "an outcome metric: "+strings.Join(OutcomeMetrics, ", "))
		}
		if h.Lag < 0 {
			return configErr(key+".lag", strconv.Itoa(h.Lag), "0 或正整数", "0 or more")
		}
		switch h.Period {
		case "month", "quarter", "half", "year":
		default:
			zh, en := oneOf("month", "quarter", "half", "year")
			return configErr(key+".period", h.Period, zh, en)
		}
		if seen[h] {
			return configErr(key, h.String(), "与前面各项不同的假设（这一项重复了）", "a hypothesis not declared above (this one repeats one)")
		}
		seen[h] = true
	}
	return nil
}

// Execer runs a statement; *sql.DB, *sql.Conn and *sql.Tx are Execers.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// RecordHypotheses stores the declared list in the warehouse (table _hypotheses) with the time
// it is first seen, if that list is not there yet; a list already recorded keeps its first
// time. Commands that open the warehouse for writing call it (init, ingest, analyze when the
// list is new), so a list written before the data were loaded is on record before them.
func RecordHypotheses(ctx context.Context, db Execer, hs []Hypothesis) error {
	b, err := json.Marshal(nonNil(hs))
	if err != nil {
		return err
	}
	// now() as ingest stamps _batches.finished_at, so the two compare in one clock and zone.
	_, err = db.ExecContext(ctx, `INSERT INTO _hypotheses (hash, declared, first_seen) VALUES (?, ?, now()) ON CONFLICT (hash) DO NOTHING`,
		HypothesesHash(hs), string(b))
	if err != nil {
		return fmt.Errorf("record hypotheses: %w", err)
	}
	return nil
}

// HypothesesRecorded reports whether the list is already in the warehouse.
func HypothesesRecorded(ctx context.Context, db Querier, hs []Hypothesis) (bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT 1 FROM _hypotheses WHERE hash = ?`, HypothesesHash(hs))
	if err != nil {
		return false, fmt.Errorf("read hypotheses: %w", err)
	}
	defer rows.Close()
	found := rows.Next()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("read hypotheses: %w", err)
	}
	return found, nil
}

func nonNil(hs []Hypothesis) []Hypothesis {
	if hs == nil {
		return []Hypothesis{}
	}
	return hs
}

// Hypotheses is the record of the declared primary hypotheses that an analyze run carries, for
// the reports' "预先设定的假设": the list, its hash, when the warehouse first saw it, when data
// were last ingested, and each hypothesis's outcome in this run.
type Hypotheses struct {
	Hash     string       `json:"hash"`
	Declared []Hypothesis `json:"declared"`
	// DeclaredAt is when a command first recorded this list in the warehouse (RecordHypotheses);
	// nil when it never was (the list was changed and only read-only commands ran since).
	DeclaredAt *time.Time `json:"declared_at"`
	// LastIngest is when the last file that loaded or updated rows finished; nil without data.
	LastIngest *time.Time `json:"last_ingest"`
	// ChangedAfterIngest: the list was first recorded after the data's last ingest, or never
	// recorded. A report must say so: the hypotheses may have been chosen after seeing the data.
	ChangedAfterIngest bool `json:"changed_after_ingest"`
	// Tests has one entry per declared hypothesis, in the declared order.
	Tests []HypothesisTest `json:"tests"`
}

// Status of a declared hypothesis in one run.
const (
	HypothesisSupported    = "supported"     // p_adj < 0.05 within the primary family
	HypothesisNotSupported = "not_supported" // estimated, p_adj ≥ 0.05: see MDE
	HypothesisNotEstimable = "not_estimable" // in the run, but no estimate (see the result's warnings)
	HypothesisNotInRun     = "not_in_run"    // another period, or the activity, outcome or lag was not chosen
)

// HypothesisTest is one declared hypothesis in a run: its status, the index of its result in
// AnalyzeResult.Results (-1 when not in the run), and the minimum detectable effect.
type HypothesisTest struct {
	Hypothesis
	Status string `json:"status"`
	Result int    `json:"result"`
	// MDE is the smallest effect (outcome units per unit of the activity) this run had an 80%
	// chance to find in the primary family: (t(1 − 0.05/(2m)) + t(0.80))·SE with the result's
	// df and m the primary tests of the run (the Bonferroni level, at which Benjamini–Hochberg
	// rejects whatever the other tests show). NaN (JSON null) when not estimated.
	MDE float64 `json:"-"`
}

// MarshalJSON writes mde as a number or null.
func (h HypothesisTest) MarshalJSON() ([]byte, error) {
	var mde *float64
	if !math.IsNaN(h.MDE) && !math.IsInf(h.MDE, 0) {
		mde = &h.MDE
	}
	return json.Marshal(struct {
		Hypothesis
		Status string   `json:"status"`
		Result int      `json:"result"`
		MDE    *float64 `json:"mde"`
	}{h.Hypothesis, h.Status, h.Result, mde})
}

// UnmarshalJSON reads the form MarshalJSON writes (null mde as NaN).
func (h *HypothesisTest) UnmarshalJSON(b []byte) error {
	var v struct {
		Hypothesis
		Status string   `json:"status"`
		Result int      `json:"result"`
		MDE    *float64 `json:"mde"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*h = HypothesisTest{Hypothesis: v.Hypothesis, Status: v.Status, Result: v.Result, MDE: math.NaN()}
	if v.MDE != nil {
		h.MDE = *v.MDE
	}
	return nil
}

// PowerTarget is the power at which MinimumDetectable is stated.
const PowerTarget = 0.80

// MinimumDetectable is the effect a two-sided t test at level alpha with standard error se and
// df degrees of freedom detects with probability PowerTarget: (t(1 − alpha/2) + t(power))·se
// (the usual normal-approximation formula with Student's t for the df of the clustered SE).
func MinimumDetectable(se, df, alpha float64) float64 {
	if !(se > 0) || !(df > 0) {
		return math.NaN()
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	return (t.Quantile(1-alpha/2) + t.Quantile(PowerTarget)) * se
}

// matchHypotheses marks the fixed-effects results of the declared hypotheses of this run's
// period as the primary family (the rest exploratory) and returns one HypothesisTest per declared
// hypothesis, MDE and status filled after the adjustment by finishHypotheses.
func matchHypotheses(rs []stats.Result, hs []Hypothesis, period string) []HypothesisTest {
	tests := make([]HypothesisTest, len(hs))
	for i, h := range hs {
		tests[i] = HypothesisTest{Hypothesis: h, Status: HypothesisNotInRun, Result: -1, MDE: math.NaN()}
	}
	for i := range rs {
		rs[i].Family = stats.FamilyExploratory
		if rs[i].Method != stats.MethodFixedEffects {
			continue
		}
		for k, h := range hs {
			if h.Period == period && h.Activity == rs[i].Activity && h.Outcome == rs[i].Outcome && h.Lag == rs[i].Lag {
				rs[i].Family = stats.FamilyPrimary
				tests[k].Result = i
			}
		}
	}
	return tests
}

// finishHypotheses sets each test's status and MDE from the adjusted results.
func finishHypotheses(rs []stats.Result, tests []HypothesisTest) {
	m := 0
	for _, t := range tests {
		if t.Result >= 0 && !math.IsNaN(rs[t.Result].P) {
			m++
		}
	}
	for k := range tests {
		t := &tests[k]
		if t.Result < 0 {
			continue
		}
		r := rs[t.Result]
		switch {
		case math.IsNaN(r.P):
			t.Status = HypothesisNotEstimable
		case r.PAdj < 0.05:
			t.Status = HypothesisSupported
		default:
			t.Status = HypothesisNotSupported
		}
		if m > 0 {
			t.MDE = MinimumDetectable(r.SE, r.DF, 0.05/float64(m))
		}
	}
}

// hypothesesRecord reads when the list was first recorded and when data were last ingested.
func hypothesesRecord(ctx context.Context, db Querier, hs []Hypothesis, tests []HypothesisTest) (*Hypotheses, error) {
	h := &Hypotheses{Hash: HypothesesHash(hs), Declared: nonNil(hs), Tests: tests}
	if h.Tests == nil {
		h.Tests = []HypothesisTest{}
	}
	var declared, last sql.NullTime
	rows, err := db.QueryContext(ctx, `SELECT
		(SELECT first_seen FROM _hypotheses WHERE hash = ?),
		(SELECT max(finished_at) FROM _batches WHERE status = 'loaded' AND (loaded > 0 OR updated > 0))`, h.Hash)
	if err != nil {
		return nil, fmt.Errorf("read hypotheses: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&declared, &last); err != nil {
			return nil, fmt.Errorf("read hypotheses: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read hypotheses: %w", err)
	}
	if declared.Valid {
		t := declared.Time
		h.DeclaredAt = &t
	}
	if last.Valid {
		t := last.Time
		h.LastIngest = &t
	}
	h.ChangedAfterIngest = h.DeclaredAt == nil || h.LastIngest != nil && h.DeclaredAt.After(*h.LastIngest)
	return h, nil
}

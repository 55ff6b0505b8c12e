package stats

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// ErrInput is wrapped by every error caused by unusable input (mismatched lengths, bad
// parameters, negative counts). Degenerate but valid data gives a Result with warnings instead.
var ErrInput = errors.New("stats: invalid input")

// ErrZeroTotal is returned by Gini and TopShare when all counts are zero: the share of nothing
// is undefined.
var ErrZeroTotal = errors.New("stats: counts sum to zero")

// Level is the confidence level of every interval in this package.
const Level = 0.95

// Families of Result.Family.
const (
	FamilyPrimary     = "primary"
	FamilyExploratory = "exploratory"
)

// Method names, as they appear in Result.Method.
const (
	MethodPearson      = "pearson"
	MethodSpearman     = "spearman"
	MethodFixedEffects = "panel_fe"
	MethodWelch        = "welch_t"
	MethodMannWhitney  = "mann_whitney_u"
	MethodHedgesG      = "hedges_g"
	MethodDiD          = "did_twfe"
	MethodPreTrend     = "did_pretrend"
	MethodGini         = "gini"
	MethodTopShare     = "top10_share"
)

// Meta labels a Result. Activity and Outcome are metric names (docs/metrics.md), Lag is the lag
// in periods of the activity behind the outcome (a label only: align the data with LagWithin or
// in SQL). Scope is an optional free label (for example a unit code and year for concentration).
// Groups, when set, gives the party group of each observation (same length as the data) and
// turns on the few-groups and one-group-dominates warnings for methods that do not cluster by
// themselves; it is ignored by FixedEffects and DiffInDiff, which take their groups from the
// panel.
type Meta struct {
	Activity string
	Outcome  string
	Lag      int
	Scope    string
	Groups   []string
}

// Result is one estimate with its uncertainty. Core fields are always present in JSON; a NaN
// core number is written as null. Optional fields (Groups, SE, DF, Statistic, EffectSize,
// Dropped, Scope) are omitted when zero/NaN/empty.
//
// JSON form (keys in this order):
//
//	{"method","activity","outcome","lag","n","estimate","ci_low","ci_high","p","p_adj","family",
//	 "warnings":[{"code","en","zh"}], "scope","groups","se","df","statistic","effect_size","dropped"}
//
// ("family" only when set).
type Result struct {
	Method   string
	Activity string
	Outcome  string
	Lag      int
	N        int     // observations used
	Estimate float64 // see each method for what is estimated
	CILow    float64 // 95% confidence interval; NaN when not defined
	CIHigh   float64
	P        float64 // two-sided p-value; NaN when not defined
	PAdj     float64 // Benjamini–Hochberg adjusted p, filled by AdjustBH; NaN until then
	// Family is the multiple-comparison family the caller put the result in: FamilyPrimary for a
	// hypothesis declared before the data, FamilyExploratory for the rest; "" when not set.
	Family   string
	Warnings []Warning

	Scope      string  // optional label (Meta.Scope)
	Groups     int     // clusters (party groups, units) used; 0 when not applicable
	SE         float64 // standard error of Estimate; NaN when not applicable
	DF         float64 // degrees of freedom of the reference t distribution; NaN when not applicable
	Statistic  float64 // test statistic (t, U, ...); NaN when not applicable
	EffectSize float64 // standardised effect size where the method has one; NaN otherwise
	Dropped    int     // observations dropped (missing values, singletons)
}

// newResult returns a Result labelled from m with every number NaN.
func newResult(method string, m Meta) Result {
	nan := math.NaN()
	return Result{
		Method: method, Activity: m.Activity, Outcome: m.Outcome, Lag: m.Lag, Scope: m.Scope,
		Estimate: nan, CILow: nan, CIHigh: nan, P: nan, PAdj: nan,
		SE: nan, DF: nan, Statistic: nan, EffectSize: nan,
		Warnings: []Warning{},
	}
}

// HasWarning reports whether r carries a warning with the code c.
func (r Result) HasWarning(c Code) bool {
	for _, w := range r.Warnings {
		if w.Code == c {
			return true
		}
	}
	return false
}

// Significant reports whether the adjusted p (or the raw p when PAdj is NaN) is below alpha.
func (r Result) Significant(alpha float64) bool {
	p := r.PAdj
	if math.IsNaN(p) {
		p = r.P
	}
	return p < alpha
}

func (r *Result) warn(w ...Warning) { r.Warnings = append(r.Warnings, w...) }

// jfloat writes NaN and ±Inf as null and reads null as NaN.
type jfloat float64

func (f jfloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

func (f *jfloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jfloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = jfloat(v)
	return nil
}

type resultJSON struct {
	Method     string    `json:"method"`
	Activity   string    `json:"activity"`
	Outcome    string    `json:"outcome"`
	Lag        int       `json:"lag"`
	N          int       `json:"n"`
	Estimate   jfloat    `json:"estimate"`
	CILow      jfloat    `json:"ci_low"`
	CIHigh     jfloat    `json:"ci_high"`
	P          jfloat    `json:"p"`
	PAdj       jfloat    `json:"p_adj"`
	Family     string    `json:"family,omitempty"`
	Warnings   []Warning `json:"warnings"`
	Scope      string    `json:"scope,omitempty"`
	Groups     int       `json:"groups,omitempty"`
	SE         *jfloat   `json:"se,omitempty"`
	DF         *jfloat   `json:"df,omitempty"`
	Statistic  *jfloat   `json:"statistic,omitempty"`
	EffectSize *jfloat   `json:"effect_size,omitempty"`
	Dropped    int       `json:"dropped,omitempty"`
}

func opt(v float64) *jfloat {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	f := jfloat(v)
	return &f
}

func unopt(f *jfloat) float64 {
	if f == nil {
		return math.NaN()
	}
	return float64(*f)
}

// MarshalJSON writes the stable JSON form documented on Result.
func (r Result) MarshalJSON() ([]byte, error) {
	w := r.Warnings
	if w == nil {
		w = []Warning{}
	}
	return json.Marshal(resultJSON{
		Method: r.Method, Activity: r.Activity, Outcome: r.Outcome, Lag: r.Lag, N: r.N,
		Estimate: jfloat(r.Estimate), CILow: jfloat(r.CILow), CIHigh: jfloat(r.CIHigh),
		P: jfloat(r.P), PAdj: jfloat(r.PAdj), Family: r.Family, Warnings: w,
		Scope: r.Scope, Groups: r.Groups, SE: opt(r.SE), DF: opt(r.DF),
		Statistic: opt(r.Statistic), EffectSize: opt(r.EffectSize), Dropped: r.Dropped,
	})
}

// UnmarshalJSON reads the form written by MarshalJSON (null and missing numbers become NaN).
func (r *Result) UnmarshalJSON(b []byte) error {
	nan := jfloat(math.NaN())
	j := resultJSON{Estimate: nan, CILow: nan, CIHigh: nan, P: nan, PAdj: nan}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Result{
		Method: j.Method, Activity: j.Activity, Outcome: j.Outcome, Lag: j.Lag, N: j.N,
		Estimate: float64(j.Estimate), CILow: float64(j.CILow), CIHigh: float64(j.CIHigh),
		P: float64(j.P), PAdj: float64(j.PAdj), Family: j.Family, Warnings: j.Warnings,
		Scope: j.Scope, Groups: j.Groups, SE: unopt(j.SE), DF: unopt(j.DF),
		Statistic: unopt(j.Statistic), EffectSize: unopt(j.EffectSize), Dropped: j.Dropped,
	}
	if r.Warnings == nil {
		r.Warnings = []Warning{}
	}
	return nil
}

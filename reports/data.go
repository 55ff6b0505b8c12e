package reports

import (
	"math"
	"time"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// The plain data a report is built from. The CLI fills it from package queries (each part with
// the Source of the query that produced it); tests fill it from fixtures. A nil or empty part
// leaves its chart out with a sentence saying the data is missing.

// Scope says what a report covers.
type Scope struct {
	Company   string    // company or unit name shown in the title
	Unit      string    // unit code when --unit was given
	From, To  time.Time // the period covered
	Period    string    // month, quarter, half, year: the analysis period
	Generated time.Time // when the report was made (shown in the header; zero: left out)
	Warehouse string    // the warehouse file, for the data-source note
}

// Headline is one headline number.
type Headline struct {
	Key   string  // a metric name (docs/metrics.md) or a headline key of headlineLabels
	Value float64 // shares are 0–1 and shown as percentages when Share is set
	Share bool
	Note  string
	// Period says what span the value covers, shown with its label so two figures under one
	// name never differ silently: month_mean (月均), half (半年), year (全年), total (全期合计),
	// span (全期, also for the units and groups counted over the whole period); "" for other
	// counts of things.
	Period string
	Of     int // "of N": the figure counts some of N (4 of 6 hypotheses); 0: not shown
	// NoneEstimable: the N could not be estimated at all, so the count (0) is no verdict on them.
	NoneEstimable bool
	Src           Source
}

// HeatGrid is a matrix of values: rows × columns (NaN: no value, e.g. the group did not exist).
type HeatGrid struct {
	Rows   []string
	Cols   []string
	Values [][]float64
	Units  []string // each row's unit, when known (for per-unit summaries); nil otherwise
	Src    Source
}

// NamedSeries is a named sequence of values over periods.
type NamedSeries struct {
	Name   string // a metric name or a label
	Values []float64
}

// TimeSeries is several series over the same periods (labels like 2024-07, 2024H1, 2024).
type TimeSeries struct {
	Periods []string
	Series  []NamedSeries
	Src     Source
}

// GradeDistribution counts groups per assessment grade per half.
type GradeDistribution struct {
	Periods []string
	Grades  []string  // grade codes, best first
	Counts  [][]int64 // [grade][period]
	Flagged []FlaggedGroup
	// Advanced are the year's 先进党小组 as the assessment rules chose them, best first.
	Advanced []AdvancedGroup
	// Rules are the grade thresholds in force (mingdeng.yaml), stated in the caption.
	Rules queries.GradeThresholds
	Src   Source
}

// AdvancedGroup is a year's 先进党小组: the eligible group with the highest average of its two
// assessments in its scope.
type AdvancedGroup struct {
	Group, Unit string
	Average     float64
}

// FlaggedGroup is a group at 基本合格 or below (help needed), or twice in a row (consider
// replacing its leader).
type FlaggedGroup struct {
	Group       string
	Unit        string
	Period      string
	Score       float64
	Grade       string
	Consecutive bool
}

// Point is one observation of a scatter plot.
type Point struct {
	Label string // the group (and period)
	X, Y  float64
}

// Scatter is activity against outcome with the correlation that summarises it.
type Scatter struct {
	Activity, Outcome string // metric names
	Lag               int    // halves
	Points            []Point
	Result            stats.Result // a correlation (pearson or spearman)
	Src               Source
}

// Matrix is a correlation matrix: activities × outcomes.
type Matrix struct {
	Rows, Cols []string // metric names
	R, P       [][]float64
	N          [][]int
	Src        Source
}

// Estimates are results of one method (fixed-effect panel regressions, comparisons).
type Estimates struct {
	Results []stats.Result
	Src     Source
}

// Comparison is model groups against the rest on one metric.
type Comparison struct {
	Metric      string
	Model, Rest float64 // means
	Result      stats.Result
}

// Comparisons are the model-group comparisons with the query behind them.
type Comparisons struct {
	Items []Comparison
	Src   Source
}

// SurveyRadar is survey dimension scores (0–100) per unit; NaN marks a suppressed cell.
type SurveyRadar struct {
	Dimensions []string
	Units      []NamedSeries
	Src        Source
}

// Concentration is how awards and model posts are spread over members.
type Concentration struct {
	Lorenz  []float64         // cumulative share of awards held by the bottom k/n of members, k = 0..n
	Results []stats.Result    // gini and top10_share, per scope
	Units   map[string]string // unit code → name, for the scopes (UNIT/YEAR) shown; nil: codes
	Src     Source
}

// scopeConcentration is one scope's concentration figures, NaN where the result is absent.
type scopeConcentration struct {
	gini, top, chance, excess, p float64
	n                            int
	hasChance                    bool // a gini_vs_chance result: the Gini may be stated
}

// byScope folds the results into one record per scope, scopes in the order they first appear.
func (c *Concentration) byScope() ([]string, map[string]*scopeConcentration) {
	by := map[string]*scopeConcentration{}
	var order []string
	for _, r := range c.Results {
		x := by[r.Scope]
		if x == nil {
			nan := math.NaN()
			x = &scopeConcentration{gini: nan, top: nan, chance: nan, excess: nan, p: nan}
			by[r.Scope] = x
			order = append(order, r.Scope)
		}
		x.n = r.N
		switch r.Method {
		case stats.MethodGini:
			x.gini = r.Estimate
		case stats.MethodTopShare:
			x.top = r.Estimate
		case stats.MethodGiniChance:
			x.chance, x.excess, x.p, x.hasChance = r.Statistic, r.Estimate, r.P, true
		}
	}
	return order, by
}

// TableData is a ready table with its source.
type TableData struct {
	Table *queries.Table
	Src   Source
}

// EvaluationData is everything the evaluation report shows.
type EvaluationData struct {
	Scope       Scope
	Headlines   []Headline
	Compliance  *HeatGrid          // groups × slots of MeetingRule: 1 met, 0 not, NaN no records
	MeetingRule meetingRule        // the group-meeting rule group_compliance checked
	Quality     *TimeSeries        // meeting-quality metrics per period
	Grades      *GradeDistribution // per half
	Scatters    []Scatter
	Correlation *Matrix
	Effects     *Estimates          // panel_fe results, one per activity–outcome–lag
	Primary     *Estimates          // the declared hypotheses' results (Family primary); nil: none declared
	Hypotheses  *queries.Hypotheses // the declared list, when it was set and each one's test (MDE)
	ModelDiffs  *Estimates          // model groups minus the rest (welch_t), when the means are not at hand
	Trends      *TimeSeries         // monthly safety and patrol outcomes
	Survey      *SurveyRadar
	Awards      *Concentration
	Spread      []queries.AwardSpread // members by number of awards and model posts (queries.AwardSpreads)
	// The latest year and the one before, for the 主要结论 and their 同比 (nil: no records).
	Year, PriorYear *YearFigures
	SpreadSrc       Source
	Ranked          []RankedTable
}

// RankedTable is a ranked table with its title.
type RankedTable struct {
	ID    string
	Title string
	TableData
}

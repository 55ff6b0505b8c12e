package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// evilName is a group name that would run script if any page put it into HTML unescaped.
const evilName = `<img src=x onerror=alert(1)>`

func src(q, params string) Source {
	return Source{Query: q, Params: params, Command: "mingdeng query " + q + " " + params + " --format json"}
}

func fixtureResult(method, act, out string, lag int, est, se float64, n int) stats.Result {
	p := math.Erfc(math.Abs(est/se) / math.Sqrt2)
	return stats.Result{Method: method, Activity: act, Outcome: out, Lag: lag, N: n, Estimate: est,
		CILow: est - 1.96*se, CIHigh: est + 1.96*se, P: p, PAdj: math.Min(1, p*1.5), Groups: 24,
		SE: se, DF: math.NaN(), Statistic: est / se, EffectSize: math.NaN(), Warnings: []stats.Warning{}}
}

// fixtureEvaluation is deterministic evaluation data: 24 groups over 2 years, one of them with
// a hostile name.
// monthlyRule is the default group-meeting rule, as group_compliance states it.
var monthlyRule = meetingRule{Every: "month", Min: 1}

func fixtureEvaluation() *EvaluationData {
	rng := rand.New(rand.NewPCG(1, 2))
	groups := make([]string, 24)
	for i := range groups {
		groups[i] = fmt.Sprintf("线路%d班党小组", i+1)
	}
	groups[3] = evilName
	var months []string
	for y := 2023; y <= 2024; y++ {
		for m := 1; m <= 12; m++ {
			months = append(months, fmt.Sprintf("%d-%02d", y, m))
		}
	}
	halves := []string{"2023H1", "2023H2", "2024H1", "2024H2"}
	comp := &HeatGrid{Rows: groups, Cols: months, Src: src("group_compliance_monthly", "--from 2023-01-01 --to 2024-12-31")}
	for i := range groups {
		row := make([]float64, len(months))
		for j := range months {
			if rng.Float64() < 0.85+0.005*float64(i) {
				row[j] = 1
			}
			if i == 5 && j < 6 {
				row[j] = math.NaN() // formed mid-2023
			}
		}
		comp.Values = append(comp.Values, row)
	}
	quality := &TimeSeries{Periods: halves, Src: src("metrics", "--period half --metrics critique_per_meeting,...")}
	for _, m := range []string{"critique_per_meeting", "problems_resolved_per_meeting", "production_linked_share", "study_only_share"} {
		vals := make([]float64, len(halves))
		for i := range vals {
			vals[i] = 0.3 + 0.1*float64(i) + 0.2*rng.Float64()
		}
		quality.Series = append(quality.Series, NamedSeries{Name: m, Values: vals})
	}
	grades := &GradeDistribution{Periods: halves, Grades: []string{"excellent", "qualified", "basic", "unqualified"},
		Counts: [][]int64{{4, 5, 6, 7}, {15, 15, 15, 14}, {4, 3, 3, 3}, {1, 1, 0, 0}},
		Flagged: []FlaggedGroup{{Group: evilName, Unit: "输电运检工区", Period: "2024H1", Score: 72.5, Grade: "basic", Consecutive: true},
			{Group: groups[7], Unit: "输电运检工区", Period: "2024H2", Score: 78, Grade: "basic"}},
		Src: src("assess", "--period half")}
	var scatters []Scatter
	for k, pair := range [][2]string{{"critique_per_meeting", "violations_per_100_staff"}, {"production_linked_share", "defects_per_100km"}} {
		sc := Scatter{Activity: pair[0], Outcome: pair[1], Lag: 1, Src: src("analyze", "--method pearson --lag 1")}
		for i, g := range groups {
			for _, h := range halves[:3] {
				x := rng.Float64() * 2
				if k == 1 {
					x /= 2 // a share, 0–1
				}
				y := 5 - 1.2*x*float64(1-2*k) + rng.NormFloat64()
				_ = i
				sc.Points = append(sc.Points, Point{Label: g + " · " + h, X: x, Y: y})
			}
		}
		sc.Result = fixtureResult("pearson", pair[0], pair[1], 1, -0.41+0.8*float64(k), 0.09, len(sc.Points))
		scatters = append(scatters, sc)
	}
	acts := []string{"meetings_held", "critique_per_meeting", "problems_resolved_per_meeting", "production_linked_share"}
	outs := []string{"violations_per_100_staff", "defects_per_100km", "customer_satisfaction"}
	corr := &Matrix{Rows: acts, Cols: outs, Src: src("analyze", "--method pearson --matrix")}
	for range acts {
		r, p, n := make([]float64, len(outs)), make([]float64, len(outs)), make([]int, len(outs))
		for j := range outs {
			r[j] = math.Round((rng.Float64()*1.4-0.7)*1000) / 1000
			p[j] = rng.Float64() * 0.2
			n[j] = 72
		}
		corr.R, corr.P, corr.N = append(corr.R, r), append(corr.P, p), append(corr.N, n)
	}
	effects := &Estimates{Src: src("analyze", "--method panel_fe --lag 1"), Results: []stats.Result{
		fixtureResult("panel_fe", "production_linked_share", "defects_per_100km", 1, 1.42, 0.31, 72),
		fixtureResult("panel_fe", "critique_per_meeting", "violations_per_100_staff", 1, -1.15, 0.28, 72),
		fixtureResult("panel_fe", "problems_resolved_per_meeting", "violations_per_100_staff", 1, -1.6, 0.35, 72),
		fixtureResult("panel_fe", "meetings_held", "violations_per_100_staff", 1, 0.04, 0.22, 72),
	}}
	trends := &TimeSeries{Periods: months, Src: src("metrics", "--period month --metrics patrol_km_per_head,...")}
	for _, m := range []string{"patrol_km_per_head", "defects_per_100km", "violations_per_100_staff"} {
		vals := make([]float64, len(months))
		for i := range vals {
			season := 1.0
			if isSummer(months[i]) {
				season = 1.4
			}
			vals[i] = season * (3 + rng.Float64())
		}
		trends.Series = append(trends.Series, NamedSeries{Name: m, Values: vals})
	}
	survey := &SurveyRadar{Dimensions: []string{"工作环境", "领导作风", "沟通", "培训", "服务"}, Src: src("survey_dimensions", "--by unit"),
		Units: []NamedSeries{{Name: "输电运检工区", Values: []float64{78, 82, 75, 70, 88}}, {Name: evilName, Values: []float64{65, math.NaN(), 71, 80, 77}}}}
	lorenz := []float64{0, 0.02, 0.05, 0.09, 0.14, 0.2, 0.28, 0.38, 0.5, 0.66, 1}
	awards := &Concentration{Lorenz: lorenz, Src: src("award_concentration", "--year 2024"), Results: []stats.Result{
		{Method: "gini", N: 412, Estimate: 0.46, CILow: 0.41, CIHigh: 0.51, P: math.NaN(), PAdj: math.NaN()},
		{Method: "top10_share", N: 412, Estimate: 0.34, CILow: 0.29, CIHigh: 0.39, P: math.NaN(), PAdj: math.NaN()},
	}}
	ranked := &queries.Table{Columns: []queries.Column{{Name: "排名", Type: queries.Integer}, {Name: "党小组", Type: queries.Text}, {Name: "平均得分", Type: queries.Float}}}
	for i, g := range groups {
		ranked.Rows = append(ranked.Rows, []any{int64(i + 1), g, 98 - 1.1*float64(i)})
	}
	return &EvaluationData{MeetingRule: monthlyRule,
		Scope: Scope{Company: "示例供电公司", From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), Period: "half"},
		Headlines: []Headline{
			{Key: "groups", Value: 24, Src: src("status_counts", "")},
			{Key: "group_meetings", Value: 545, Src: src("metrics", "--metrics meetings_held")},
			{Key: "meeting_compliance", Value: 0.912, Share: true, Src: src("metrics", "--metrics monthly_compliance")},
			{Key: "excellent_share", Value: 0.229, Share: true, Note: "2024H2", Src: src("assess", "--period half")},
			{Key: "violations_per_100_staff", Value: 3.27, Src: src("metrics", "--metrics violations_per_100_staff")},
		},
		Compliance: comp, Quality: quality, Grades: grades, Scatters: scatters, Correlation: corr, Effects: effects,
		Trends: trends, Survey: survey, Awards: awards,
		Ranked: []RankedTable{{ID: "eval-rank-groups", Title: "党小组考评平均分排名", TableData: TableData{Table: ranked, Src: src("assess", "--rank")}}},
	}
}

func fixtureAnnual() *AnnualData {
	ev := fixtureEvaluation()
	d := &AnnualData{Scope: ev.Scope, Year: "2024", GroupsTotal: 24, MeetingRule: monthlyRule,
		Missed:    []GroupMiss{{Group: evilName, Unit: "输电运检工区", SlotsMissed: 4, Slots: 12}, {Group: "线路2班党小组", Unit: "输电运检工区", SlotsMissed: 1, Slots: 12}},
		MissedSrc: src("group_compliance_monthly", "--year 2024"),
		Formal: []FormalSign{{Group: evilName, Critique: 0.1, StudyOnly: 0.7, ProductionLinked: 0.1, ResolutionRate: 0.2, Formal: true},
			{Group: "线路2班党小组", Critique: 1.4, StudyOnly: 0.1, ProductionLinked: 0.6, ResolutionRate: 0.8}},
		FormalSrc: src("meeting_quality", "--year 2024"),
		Practices: []Headline{{Key: "group_meetings", Value: 270, Src: src("metrics", "--metrics meetings_held --year 2024")},
			{Key: "demo_days_held", Value: 88, Src: src("metrics", "--metrics demo_days_held --year 2024")},
			{Key: "model_posts", Value: 31, Src: src("model_posts", "--year 2024")}},
		Effects: ev.Effects, Flagged: ev.Grades.Flagged, FlaggedSrc: ev.Grades.Src, Awards: ev.Awards,
		Intervention: &Intervention{Name: "设立示范岗", Outcome: "violations_per_100_staff",
			DiD:      fixtureResult("did_twfe", "model_post_awarded", "violations_per_100_staff", 0, -1.2, 0.4, 96),
			PreTrend: fixtureResult("did_pretrend", "model_post_awarded", "violations_per_100_staff", 0, 0.05, 0.2, 48),
			Src:      src("analyze", "--method did --treatment model_post_awarded")},
	}
	return d
}

func fixtureGroup() *GroupData {
	ev := fixtureEvaluation()
	monthly := &TimeSeries{Periods: ev.Trends.Periods, Src: src("metrics", "--group G004 --period month --metrics meetings_held")}
	vals := make([]float64, len(monthly.Periods))
	for i := range vals {
		vals[i] = float64((i*7)%3) / 1
	}
	monthly.Series = []NamedSeries{{Name: "meetings_held", Values: vals}}
	hist := &queries.Table{Columns: []queries.Column{{Name: "半年", Type: queries.Text}, {Name: "得分", Type: queries.Float}, {Name: "等次", Type: queries.Text}},
		Rows: [][]any{{"2024H1", 72.5, "基本合格"}, {"2024H2", 78.0, "基本合格"}}}
	return &GroupData{Scope: ev.Scope, Code: "G004", Name: evilName, Unit: "输电运检工区", Branch: "输电运检工区党支部",
		Monthly: monthly, MeetingRule: monthlyRule, SlotsRequired: 24, SlotsMet: 16, Activity: ev.Quality, Outcomes: &TimeSeries{Periods: ev.Quality.Periods, Src: src("metrics", "--group G004 --period half"),
			Series: []NamedSeries{{Name: "violations_per_100_staff", Values: []float64{3.1, 2.9, math.NaN(), 2.2}}}},
		Versus:  &Comparisons{Src: src("metrics", "--group G004 --compare company"), Items: []Comparison{{Metric: "violations_per_100_staff", Model: 2.2, Rest: 3.3}}},
		History: &TableData{Table: hist, Src: src("assess", "--group G004")},
	}
}

// fixtureReports are every report kind in both languages.
func fixtureReports() map[string]*Report {
	out := map[string]*Report{
		"evaluation":    BuildEvaluation(fixtureEvaluation(), "zh"),
		"evaluation-en": BuildEvaluation(fixtureEvaluation(), "en"),
		"annual":        BuildAnnual(fixtureAnnual(), "zh"),
		"annual-en":     BuildAnnual(fixtureAnnual(), "en"),
		"group":         BuildGroup(fixtureGroup(), "zh"),
	}
	out["spec-example"] = specReport("zh")
	for k, r := range adhocReports() {
		out[k] = r
	}
	return out
}

func indentJSON(w *bytes.Buffer, b []byte) error {
	if err := json.Indent(w, b, "", "  "); err != nil {
		return err
	}
	w.WriteByte('\n')
	return nil
}

func tableOf(cols []string, rows ...[]any) *queries.Table {
	tb := &queries.Table{}
	for _, c := range cols {
		tb.Columns = append(tb.Columns, queries.Column{Name: c, Type: queries.Text})
	}
	tb.Rows = rows
	return tb
}

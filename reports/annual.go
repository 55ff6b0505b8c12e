package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// GroupMiss is a group that missed the group-meeting rule in some of its slots.
type GroupMiss struct {
	Group, Unit string
	SlotsMissed int // slots of the rule in which the group held fewer meetings than it requires
	Slots       int // slots the group existed through in the year, with records
}

// FormalSign is a group's meeting-quality proxies for the "three many, three few" failure.
type FormalSign struct {
	Group, Unit      string
	Critique         float64 // critique items per meeting
	StudyOnly        float64 // share of study-only meetings
	ProductionLinked float64 // share of meetings linked to production
	ResolutionRate   float64 // problems resolved ÷ raised
	Formal           bool    // the query's verdict: looks formal
}

// Intervention is a before/after comparison of treated teams against comparable controls, as
// queries' analyze estimates it (the difference in differences and its pre-trend check).
type Intervention struct {
	Name     string       // what was done, e.g. 设立示范岗
	Outcome  string       // metric name
	DiD      stats.Result // did_twfe
	PreTrend stats.Result // did_pretrend (NaN fields when not run)
	Src      Source
}

// AnnualData is what the annual research write-up (年度调研课题报告) is filled from.
type AnnualData struct {
	Scope        Scope
	Year         string
	Missed       []GroupMiss
	MissedSrc    Source
	GroupsTotal  int
	Formal       []FormalSign
	FormalSrc    Source
	Practices    []Headline // what was done: meetings, demo days, model posts, trainings …
	Effects      *Estimates // panel_fe, BH-adjusted
	Intervention *Intervention
	Flagged      []FlaggedGroup
	Advanced     []AdvancedGroup // the year's 先进党小组, as the assessment rules chose them
	FlaggedSrc   Source
	Awards       *Concentration

	// The write-up as a document (annualdata.go).
	Grades        queries.GradeThresholds // in force (mingdeng.yaml)
	MeetingRule   meetingRule             // the group-meeting rule group_compliance checked
	This          YearFigures
	Prior         *YearFigures // the year before; nil when it has no records
	Measures      *Practices   // annual_practices of the year
	PriorMeasures *Practices
	Spread        []queries.AwardSpread
	SpreadSrc     Source
	// The declared primary hypotheses and their tests (nil: the analysis declared none);
	// Primary holds their results, Effects then holds the exploratory ones.
	Hypotheses *queries.Hypotheses
	Primary    *Estimates
	grid       *HeatGrid
}

// BuildAnnual is in annualdoc.go.

func mean(xs []float64) float64 {
	s, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

func missChart(miss []GroupMiss, rule meetingRule, lang Lang, ref string) *Chart {
	if len(miss) > 20 {
		miss = miss[:20]
	}
	names := make([]string, len(miss))
	vals := make([]any, len(miss))
	slot := rule.slot(lang)
	missedCol := fmt.Sprintf(t(lang, "未达到要求的%s数", "%ss short of the rule"), slot)
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "党小组", "group"), queries.Text), col(t(lang, "单位", "unit"), queries.Text),
		col(missedCol, queries.Integer), col(fmt.Sprintf(t(lang, "应开会%s数", "%ss required"), slot), queries.Integer)}}
	for i, m := range miss {
		names[i], vals[i] = m.Group, int64(m.SlotsMissed)
		tb.Rows = append(tb.Rows, []any{m.Group, m.Unit, int64(m.SlotsMissed), int64(m.Slots)})
	}
	opt := Option{
		Color:   []string{"#b8262b"},
		Tooltip: tip("axis"),
		Grid:    grid("2%", "6%", "10", "20"),
		XAxis:   []XAxis{{XAxis: opts.XAxis{Type: "value", Name: t(lang, slot, slot+"s"), Min: 0}}},
		YAxis:   []YAxis{{YAxis: opts.YAxis{Type: "category", Data: names, Inverse: opts.Bool(true)}, AxisLabel: everyLabel(0)}},
		Series: []Series{{SingleSeries: charts.SingleSeries{Type: "bar", Name: missedCol, Data: vals, BarMaxWidth: "18",
			Label: &opts.Label{Show: opts.Bool(true), Position: "right"}}}},
	}
	caption := fmt.Sprintf(t(lang, "mingdeng.yaml 规定%s；条形为党小组召开次数少于这一要求的%s数。", "mingdeng.yaml sets %s; each bar counts the %ss in which the group held fewer."),
		rule.words(lang), slot)
	title := fmt.Sprintf("未达到“%s”的党小组（未达到的%s数最多的 20 个）", rule.words(lang), slot)
	if lang == "en" {
		title = fmt.Sprintf("Groups that missed “%s” in some %ss (20 most)", rule.words(lang), slot)
	}
	return &Chart{ID: "annual-missed", Title: title,
		Caption: caption,
		Height:  80 + 26*len(miss), Tooltip: TipAxis, Option: opt, Data: tb, Ref: ref}
}

func interventionBlocks(iv *Intervention, period string, lang Lang, ref string) []Block {
	if iv.Name == "" {
		cp := *iv
		cp.Name = t(lang, "设立党员示范岗", "setting up model posts")
		iv = &cp
	}
	e := EffectOf(iv.DiD)
	p := newProse(lang)
	// The difference in differences compares production teams (班组: the teams that hold the
	// outcomes, team_events), not party groups, and its n counts team-periods: say both.
	p.s(fmt.Sprintf(t(lang, "为检验%s的作用，把采取了该举措的班组与同期尚未采取的班组对照比较（双重差分）：举措之后，这些班组的%s相对于对照班组",
		"To test whether %s made a difference, the production teams that took the measure were compared with the teams that had not yet taken it over the same periods (difference in differences): afterwards their %s, relative to the control teams, was "),
		iv.Name, queries.MetricLabel(iv.Outcome, lang)))
	p.n(e.change(lang, false), ref).s(t(lang, "（", " (")).n(e.interval(lang), ref)
	if w := periodLabel(period, lang); w != "" && w != period {
		p.s(fmt.Sprintf(t(lang, "，n 为班组·%s数", ", n in team-%ss"), w))
	}
	p.s(t(lang, "）", ")"))
	if !iv.DiD.Significant(0.05) {
		p.s(t(lang, "；区间包含 0，尚不能认为该举措带来了变化。", "; the interval includes 0, so no effect of the measure can be concluded."))
	} else {
		p.s(t(lang, "。", "."))
	}
	blocks := []Block{p.para()}
	note := newProse(lang)
	note.s(t(lang, "这一比较成立的前提是：如果没有采取该举措，两组的走势本应相同（平行趋势）。举措往往先给了本来就好的班组（选择偏差），双重差分扣除了两组原有的差距和共同的时间变化，但不能排除举措前后恰好出现的其他差异",
		"The comparison rests on an assumption: without the measure both groups would have moved alike (parallel trends). Such measures tend to go to teams that were already good (selection); difference in differences removes the groups' fixed gap and the change they share, but not other differences that arose at the same time"))
	if !math.IsNaN(iv.PreTrend.P) {
		note.s(t(lang, "。举措之前两组走势的检验 ", ". The check of the two groups' paths before the measure gives ")).n("p "+FormatP(iv.PreTrend.P), ref)
		if iv.PreTrend.P < 0.05 {
			note.s(t(lang, "，两组事前已有差异，结论须谨慎", ": they already drifted apart, so read the result with care"))
		} else {
			note.s(t(lang, "，未见事前差异", ": no earlier drift is seen"))
		}
	}
	note.s(t(lang, "。", "."))
	// The note above already says what the selection and pre-trend warnings say.
	w := iv.DiD
	w.Warnings = nil
	for _, x := range iv.DiD.Warnings {
		if x.Code != stats.WarnSelection && x.Code != stats.WarnPreTrend {
			w.Warnings = append(w.Warnings, x)
		}
	}
	if s := warningsText(w, lang); s != "" {
		note.s(" ").n(strings.TrimRight(s, "。.")+t(lang, "。", "."), ref)
	}
	blocks = append(blocks, Paragraph{Note: true, Spans: note.spans})
	return blocks
}

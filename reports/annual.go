package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// GroupMiss is a group that missed the monthly meeting rule.
type GroupMiss struct {
	Group, Unit  string
	MonthsMissed int
	Months       int // months the group existed in the year
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

// Intervention is a before/after comparison of treated teams against comparable controls.
type Intervention struct {
	Name             string       // what was done, e.g. 设立示范岗
	Outcome          string       // metric name
	Treated, Control int          // groups
	Periods          []string     // for the chart
	TreatedMeans     []float64    // outcome per period, treated groups
	ControlMeans     []float64    // outcome per period, control groups
	Start            string       // the first treated period
	DiD              stats.Result // did_twfe
	PreTrend         stats.Result // did_pretrend (NaN fields when not run)
	Src              Source
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
	Advanced     []AdvancedGroup         // the year's 先进党小组
	Rules        queries.GradeThresholds // the grade thresholds in force
	FlaggedSrc   Source
	Awards       *Concentration
}

// BuildAnnual builds the annual research write-up, structured as units write it:
// 一、存在的主要问题 二、主要做法 三、初步成效 四、下一步建议.
func BuildAnnual(d *AnnualData, lang Lang) *Report {
	var src sourcer
	r := &Report{Kind: "annual", Lang: lang,
		Title:    t(lang, "年度调研课题报告", "Annual research report"),
		Subtitle: t(lang, "发挥党小组作用，推动安全生产——基于数据的分析", "Party groups and safe production: what the records show"),
	}
	if d.Scope.Company != "" {
		r.Title = d.Scope.Company + " " + d.Year + t(lang, "年度调研课题报告", " Annual research report")
	}
	r.Meta = scopeMeta(d.Scope, lang)

	// 一、存在的主要问题
	p1 := Section{ID: "problems", Title: t(lang, "一、存在的主要问题", "1. Main problems")}
	missRef := src.add(&d.MissedSrc)
	if len(d.Missed) > 0 {
		miss := append([]GroupMiss(nil), d.Missed...)
		sort.SliceStable(miss, func(i, j int) bool { return miss[i].MonthsMissed > miss[j].MonthsMissed })
		total := 0
		for _, m := range miss {
			total += m.MonthsMissed
		}
		names := make([]string, 0, len(miss))
		for _, m := range miss {
			names = append(names, m.Group)
		}
		spans := []Span{txt(t(lang, "（一）部分党小组未坚持按月开会。", "(1) Some groups do not meet every month. ")),
			{Text: fmt.Sprintf("%d", len(miss)), Ref: missRef}}
		if d.GroupsTotal > 0 {
			spans = append(spans, txt(fmt.Sprintf(t(lang, " 个党小组（共 %d 个，占 ", " groups (of %d, "), d.GroupsTotal)),
				Span{Text: FormatPercent(float64(len(miss)) / float64(d.GroupsTotal)), Ref: missRef}, txt(t(lang, "）", ")")))
		} else {
			spans = append(spans, txt(t(lang, " 个党小组", " groups")))
		}
		spans = append(spans, txt(t(lang, "全年至少有一个月未召开党小组会，合计缺 ", " missed at least one monthly meeting, ")),
			Span{Text: fmt.Sprintf("%d", total), Ref: missRef},
			txt(t(lang, " 个月次；缺得最多的是：", " group-months in all; most often: ")), txt(joinNames(names, lang, 5)), txt(t(lang, "。", ".")))
		p1.Blocks = append(p1.Blocks, Paragraph{Spans: spans})
		p1.Blocks = append(p1.Blocks, missChart(miss, lang, missRef))
	} else if missRef != "" {
		p1.Blocks = append(p1.Blocks, Paragraph{Spans: []Span{txt(t(lang, "（一）各党小组均坚持按月开会。", "(1) Every group met every month.")), {Text: "✓", Ref: missRef}}})
	}
	formalRef := src.add(&d.FormalSrc)
	if len(d.Formal) > 0 {
		var formal []FormalSign
		var crit, study, linked, res []float64
		for _, f := range d.Formal {
			crit, study, linked, res = append(crit, f.Critique), append(study, f.StudyOnly), append(linked, f.ProductionLinked), append(res, f.ResolutionRate)
			if f.Formal {
				formal = append(formal, f)
			}
		}
		spans := []Span{txt(t(lang, "（二）会议质量有待提高，“三多三少”仍然存在。全部党小组平均每次会议提出批评意见 ", "(2) Meeting quality needs work: the “three many, three few” signs persist. Across groups, meetings raised ")),
			{Text: FormatNum(mean(crit)), Ref: formalRef},
			txt(t(lang, " 条，只学习、无议题的会议占 ", " critique items on average; study-only meetings were ")),
			{Text: FormatPercent(mean(study)), Ref: formalRef},
			txt(t(lang, "，结合中心工作的会议占 ", "; meetings linked to production work ")),
			{Text: FormatPercent(mean(linked)), Ref: formalRef},
			txt(t(lang, "，提出的问题解决了 ", "; problems resolved ")),
			{Text: FormatPercent(mean(res)), Ref: formalRef}, txt(t(lang, "。", "."))}
		if len(formal) > 0 {
			names := make([]string, len(formal))
			for i, f := range formal {
				names[i] = f.Group
			}
			spans = append(spans, txt(t(lang, "其中 ", " ")), Span{Text: fmt.Sprintf("%d", len(formal)), Ref: formalRef},
				txt(t(lang, " 个党小组的会议明显流于形式（批评少、只学习、不解决问题）：", " groups' meetings look formal (little critique, study only, problems unsolved): ")),
				txt(joinNames(names, lang, 5)), txt(t(lang, "。", ".")))
		}
		p1.Blocks = append(p1.Blocks, Paragraph{Spans: spans})
	}
	flagRef := src.add(&d.FlaggedSrc)
	if len(d.Flagged) > 0 {
		twice := 0
		var names []string
		seen := map[string]bool{}
		for _, f := range d.Flagged {
			if !seen[f.Group] { // a group flagged in two halves is named once
				seen[f.Group] = true
				names = append(names, f.Group)
			}
			if f.Consecutive {
				twice++
			}
		}
		p1.Blocks = append(p1.Blocks, Paragraph{Spans: []Span{
			txt(t(lang, "（三）半年考评中有 ", "(3) In the half-yearly assessments, ")), {Text: fmt.Sprintf("%d", len(d.Flagged)), Ref: flagRef},
			txt(fmt.Sprintf(t(lang, " 个党小组次为基本合格及以下（低于 %s 分：", " group-halves were rated basically qualified or below (under %s: "), FormatNum(d.Rules.Qualified))), txt(joinNames(names, lang, 5)),
			txt(t(lang, "），其中 ", "); ")), {Text: fmt.Sprintf("%d", twice), Ref: flagRef},
			txt(t(lang, " 个连续两次，应考虑调整党小组长。", " of them twice in a row, where replacing the leader should be considered."))}})
	}
	if len(p1.Blocks) == 0 {
		p1.Blocks = append(p1.Blocks, missing(lang, t(lang, "组织生活", "meeting")))
	}
	r.Sections = append(r.Sections, p1)

	// 二、主要做法
	p2 := Section{ID: "practices", Title: t(lang, "二、主要做法", "2. What was done")}
	if len(d.Practices) > 0 {
		var fs Figures
		for i := range d.Practices {
			h := &d.Practices[i]
			ref := src.add(&h.Src)
			f := headlineFigure(*h, lang, ref)
			fs.Items = append(fs.Items, f)
		}
		p2.Blocks = append(p2.Blocks, fs)
	} else {
		p2.Blocks = append(p2.Blocks, missing(lang, t(lang, "活动", "activity")))
	}
	if len(d.Advanced) > 0 {
		names := make([]string, len(d.Advanced))
		for i, a := range d.Advanced {
			names[i] = advancedName(a, t(lang, "两次考评平均 %s 分", "mean of both assessments %s"), lang)
		}
		p2.Blocks = append(p2.Blocks, Paragraph{Spans: []Span{txt(t(lang, "评选年度先进党小组：", "Advanced groups of the year: ")),
			{Text: joinNames(names, lang, 10), Ref: flagRef}, txt(t(lang, "。", "."))}})
	}
	r.Sections = append(r.Sections, p2)

	// 三、初步成效
	p3 := Section{ID: "results", Title: t(lang, "三、初步成效", "3. Early results")}
	if es := d.Effects; es != nil && len(es.Results) > 0 {
		ref := src.add(&es.Src)
		var sig, not [][]Span
		for _, res := range es.Results {
			line := []Span{txt(EstimateLabel(res, lang) + t(lang, "：", ": ")), {Text: effectSentence(res, lang), Ref: ref}}
			if res.Significant(0.05) {
				sig = append(sig, line)
			} else {
				not = append(not, line)
			}
		}
		p3.Blocks = append(p3.Blocks, Paragraph{Spans: []Span{txt(t(lang,
			"以下结果比较的是同一党小组自身前后的变化（固定效应），用本半年的活动对应下半年的成效，p 值已按多重比较校正。",
			"These results compare each group with itself over time (fixed effects), relate this half's activity to next half's results, and correct p-values for multiple comparisons."))}})
		if len(sig) > 0 {
			p3.Blocks = append(p3.Blocks, Paragraph{Spans: []Span{txt(t(lang, "有证据支持的关系：", "Relations the data support:"))}}, Bullets{Items: sig})
		}
		if len(not) > 0 {
			p3.Blocks = append(p3.Blocks, Paragraph{Spans: []Span{txt(t(lang, "证据不足、不能下结论的关系：", "Relations without enough evidence to conclude:"))}}, Bullets{Items: not})
		}
		p3.Blocks = append(p3.Blocks, forestChart("annual-effects", t(lang, "活动对成效的影响（固定效应估计与 95% 置信区间）", "Effect of activity on results (fixed-effect estimates with 95% CIs)"),
			t(lang, "横线不跨过虚线（0）表示该关系在 5% 水平上不为零。", "A bar that does not cross the dashed line (0) differs from zero at the 5% level."), es, lang))
	}
	if iv := d.Intervention; iv != nil {
		ref := src.add(&iv.Src)
		p3.Blocks = append(p3.Blocks, interventionBlocks(iv, lang, ref)...)
	}
	if len(p3.Blocks) == 0 {
		p3.Blocks = append(p3.Blocks, missing(lang, t(lang, "分析", "analysis")))
	}
	r.Sections = append(r.Sections, p3)

	// 四、下一步建议
	p4 := Section{ID: "next", Title: t(lang, "四、下一步建议", "4. Recommendations")}
	var recs [][]Span
	if len(d.Missed) > 0 {
		recs = append(recs, []Span{txt(t(lang, "对未按月开会的 ", "Set deadlines for the ")), {Text: fmt.Sprintf("%d", len(d.Missed)), Ref: missRef},
			txt(t(lang, " 个党小组限期整改，由联系支委督促落实，并在下次考评中复查。", " groups that missed monthly meetings; the liaison committee member follows up and the next assessment checks."))})
	}
	if len(d.Formal) > 0 {
		recs = append(recs, []Span{txt(t(lang, "考核会议质量而不是次数：把批评意见、问题解决率、结合中心工作作为党小组考评的重点，防止凑次数的形式主义。",
			"Assess meeting quality, not counts: make critique, problems resolved and links to production work the core of the assessment, so meetings are not held just to be counted."))})
	}
	if es := d.Effects; es != nil {
		for _, res := range es.Results {
			if res.Activity == "meetings_held" && !res.Significant(0.05) {
				recs = append(recs, []Span{txt(t(lang, "数据显示会议次数本身与成效无明显关系（", "The data show no clear relation between the number of meetings and results (")),
					{Text: effectSentence(res, lang), Ref: es.Src.ID}, txt(t(lang, "），不宜以开会次数作为主要考核指标。", "): the count alone should not be a main measure."))})
				break
			}
		}
	}
	twice := 0
	for _, f := range d.Flagged {
		if f.Consecutive {
			twice++
		}
	}
	if twice > 0 {
		recs = append(recs, []Span{txt(t(lang, "对连续两次基本合格及以下的 ", "For the ")), {Text: fmt.Sprintf("%d", twice), Ref: flagRef},
			txt(t(lang, " 个党小组，研究调整党小组长，并安排党小组长培训。", " groups rated basically qualified or below twice in a row, consider a new leader and arrange leader training."))})
	}
	if c := d.Awards; c != nil {
		for _, res := range c.Results {
			if res.Method == stats.MethodGini && res.Estimate >= 0.4 {
				ref := src.add(&c.Src)
				recs = append(recs, []Span{txt(t(lang, "评先评优集中在少数人（基尼系数 ", "Awards concentrate on a few people (Gini ")), {Text: FormatNum(res.Estimate), Ref: ref},
					txt(t(lang, "）：按长期表现评选，扩大覆盖面，避免“马太效应”。", "): choose on sustained records and spread recognition, avoiding the Matthew effect."))})
				break
			}
		}
	}
	recs = append(recs, []Span{txt(t(lang, "评价示范岗等举措时，坚持与条件相近的对照班组比较，并持续记录，使每项结论都可追溯、可复核。",
		"Judge model posts and similar measures against comparable control teams, and keep the records, so that every conclusion can be traced and checked."))})
	p4.Blocks = append(p4.Blocks, Bullets{Items: recs})
	r.Sections = append(r.Sections, p4)

	r.Sections = append(r.Sections, methodsSection(lang))
	r.Sources = src.list
	return r
}

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

// effectSentence says an estimate in words with its interval and adjusted p.
func effectSentence(r stats.Result, lang Lang) string {
	p := r.PAdj
	if math.IsNaN(p) {
		p = r.P
	}
	return fmt.Sprintf(t(lang, "每增加 1 个单位，%s变化 %s（95%% 置信区间 %s 至 %s，校正后 p %s，n = %d）", "one more unit changes %s by %s (95%% CI %s to %s, adjusted p %s, n = %d)"),
		queries.MetricLabel(r.Outcome, lang), FormatNum(r.Estimate), FormatNum(r.CILow), FormatNum(r.CIHigh), FormatP(p), r.N)
}

func missChart(miss []GroupMiss, lang Lang, ref string) *Chart {
	if len(miss) > 20 {
		miss = miss[:20]
	}
	names := make([]string, len(miss))
	vals := make([]any, len(miss))
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "党小组", "group"), queries.Text), col(t(lang, "单位", "unit"), queries.Text),
		col(t(lang, "未开会月数", "months missed"), queries.Integer), col(t(lang, "应开会月数", "months"), queries.Integer)}}
	for i, m := range miss {
		names[i], vals[i] = m.Group, int64(m.MonthsMissed)
		tb.Rows = append(tb.Rows, []any{m.Group, m.Unit, int64(m.MonthsMissed), int64(m.Months)})
	}
	opt := Option{
		Color:   []string{"#b8262b"},
		Tooltip: &Tooltip{Trigger: "axis", Confine: true},
		Grid:    &Grid{Left: "2%", Right: "6%", Top: "10", Bottom: "20", ContainLabel: true},
		XAxis:   []Axis{{Type: "value", Name: t(lang, "月", "months"), Min: 0}},
		YAxis:   []Axis{{Type: "category", Data: names, Inverse: true, AxisLabel: &AxisLabel{Interval: ptr(0)}}},
		Series:  []Series{{Type: "bar", Name: t(lang, "未开会月数", "months missed"), Data: vals, BarMaxWidth: 18, Label: &Label{Show: true, Position: "right"}}},
	}
	return &Chart{ID: "annual-missed", Title: t(lang, "未按月召开党小组会的党小组（缺会最多的 20 个）", "Groups that missed monthly meetings (20 most)"),
		Caption: t(lang, "每月至少召开一次党小组会是基本要求。", "At least one group meeting a month is the basic rule."),
		Height:  80 + 26*len(miss), Tooltip: TipAxis, Option: opt, Data: tb, Ref: ref}
}

func interventionBlocks(iv *Intervention, lang Lang, ref string) []Block {
	if iv.Name == "" {
		cp := *iv
		cp.Name = t(lang, "设立党员示范岗", "model posts were set up")
		iv = &cp
	}
	spans := []Span{txt(fmt.Sprintf(t(lang, "（对照比较）%s之后，", "(Controlled comparison) After %s, "), iv.Name)),
		txt(queries.MetricLabel(iv.Outcome, lang)), txt(t(lang, "相对于条件相近、未采取该举措的对照党小组，变化了 ", " changed, relative to comparable control groups that did not, by ")),
		{Text: FormatNum(iv.DiD.Estimate), Ref: ref},
		txt(fmt.Sprintf(t(lang, "（95%% 置信区间 %s 至 %s，p %s，处理组 %d 个）。", " (95%% CI %s to %s, p %s; %d treated groups)."), FormatNum(iv.DiD.CILow), FormatNum(iv.DiD.CIHigh), FormatP(iv.DiD.P), iv.Treated))}
	blocks := []Block{Paragraph{Spans: spans}}
	caveat := t(lang, "注意：举措往往先给了本来就好的班组（选择偏差）。双重差分用对照组扣除了共同的时间变化，但只有在举措之前两组走势一致时才可信",
		"Caution: such measures tend to go to teams that were already good (selection). Difference in differences removes the change both groups share, but it is only credible if both were on the same path before")
	if !math.IsNaN(iv.PreTrend.P) {
		caveat += fmt.Sprintf(t(lang, "；前趋势检验 p %s", "; pre-trend check p %s"), FormatP(iv.PreTrend.P))
		if iv.PreTrend.P < 0.05 {
			caveat += t(lang, "，两组事前已有差异，结论须谨慎", ": they already drifted apart, so read the result with care")
		}
	}
	caveat += t(lang, "。", ".")
	if w := warningsText(iv.DiD, lang); w != "" {
		caveat += " " + w
	}
	blocks = append(blocks, Paragraph{Note: true, Spans: []Span{txt(caveat)}})
	if len(iv.Periods) > 0 {
		ts := &TimeSeries{Periods: iv.Periods, Src: iv.Src, Series: []NamedSeries{
			{Name: t(lang, "采取举措的党小组", "treated groups"), Values: iv.TreatedMeans},
			{Name: t(lang, "对照党小组", "control groups"), Values: iv.ControlMeans}}}
		c := lineChart("annual-intervention", fmt.Sprintf(t(lang, "%s前后：处理组与对照组的%s", "%s: treated and control groups, %s"), iv.Name, queries.MetricLabel(iv.Outcome, lang)),
			fmt.Sprintf(t(lang, "举措自 %s 起。两条线在此前大致平行，双重差分的结果才可信。", "The measure starts in %s. The difference in differences is credible only if the lines ran roughly parallel before."), iv.Start),
			ts, lang, false)
		blocks = append(blocks, c)
	}
	return blocks
}

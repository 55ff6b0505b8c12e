package reports

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// headlineLabels name headline keys that are not metrics, with their unit.
var headlineLabels = map[string][2]datasets.Text{
	"units":          {datasets.T("单位数", "units"), datasets.T("个", "")},
	"groups":         {datasets.T("党小组数", "party groups"), datasets.T("个", "")},
	"members":        {datasets.T("党员数", "members"), datasets.T("人", "")},
	"group_meetings": {datasets.T("党小组会", "group meetings"), datasets.T("次", "")},
	// group_compliance's share of slots that met the configured group-meeting rule.
	"meeting_compliance": {datasets.T("党小组会达标率", "group-meeting compliance"), datasets.T("", "")},
	"excellent_share":    {datasets.T("考评优秀占比", "rated excellent"), datasets.T("", "")},
	"flagged_groups":     {datasets.T("需帮扶的党小组", "groups needing help"), datasets.T("个", "")},
	"model_posts":        {datasets.T("示范岗", "model posts"), datasets.T("个", "")},
	"significant":        {datasets.T("校正后仍显著的关系", "relations significant after correction"), datasets.T("项", "")},
	"supported":          {datasets.T("预先设定的假设得到数据支持", "hypotheses set in advance that the data support"), datasets.T("项", "")},
	"explored":           {datasets.T("探索性关系校正后显著", "exploratory relations significant after correction"), datasets.T("项", "")},
}

func headlineFigure(h Headline, lang Lang, ref string) Figure {
	label, unit := h.Key, ""
	if l, ok := headlineLabels[h.Key]; ok {
		label, unit = l[0].In(lang), tx(lang, l[1].Zh, l[1].En) // an empty English unit is none, not 个
	} else {
		label = queries.MetricLabel(h.Key, lang)
	}
	if p := periodWord(h.Period, lang); p != "" {
		label += t(lang, "（", " (") + p + t(lang, "）", ")")
	}
	if _, named := headlineLabels[h.Key]; !named && !h.Share && unit == "" {
		unit = queries.UnitOf(h.Key).Unit.In(lang) // 起/百人: a rate without its unit is not a figure
	}
	v := zhtext.Decimal(h.Value)
	if math.IsNaN(h.Value) {
		// A headline without a value has no records behind it: say so, with no unit.
		return Figure{Label: label, Value: t(lang, "无记录", "no records"), Note: PeriodInWords(h.Note, lang), Ref: ref}
	}
	if h.Share {
		v = zhtext.CellPercent(h.Value)
	} else if h.Value == math.Trunc(h.Value) && math.Abs(h.Value) < 1e12 {
		v = num(lang, h.Value) // 2.09 万 for a Chinese reader
	}
	note := PeriodInWords(h.Note, lang)
	if h.Of > 0 {
		of := t(lang, "共 ", "of ") + num(lang, float64(h.Of)) + tx(lang, " "+unit, "")
		if h.NoneEstimable {
			of += t(lang, "，均无法估计", ", none could be estimated")
		}
		if note != "" {
			of += t(lang, "，", ", ") + note
		}
		note = of
	}
	return Figure{Label: label, Value: v, Unit: unit, Note: note, Ref: ref}
}

// periodWord is the span a figure covers, as its label shows it.
func periodWord(p string, lang Lang) string {
	switch p {
	case "month_mean":
		return t(lang, "月均", "monthly mean")
	case "half":
		return t(lang, "半年", "half-year")
	case "year":
		return t(lang, "全年", "full year")
	case "total":
		return t(lang, "全期合计", "period total")
	case "span":
		return t(lang, "全期", "whole period")
	}
	return ""
}

// sourcer numbers the queries behind a report's numbers (S1, S2, …), once each.
type sourcer struct {
	list []Source
	seen map[string]string
}

func (s *sourcer) add(src *Source) string {
	if src == nil || src.Query == "" {
		return ""
	}
	if s.seen == nil {
		s.seen = map[string]string{}
	}
	key := src.Query + "\x00" + src.Params
	if id, ok := s.seen[key]; ok {
		src.ID = id
		return id
	}
	id := fmt.Sprintf("S%d", len(s.list)+1)
	src.ID = id
	s.seen[key] = id
	s.list = append(s.list, *src)
	return id
}

func scopeMeta(sc Scope, lang Lang) []KV {
	var kv []KV
	if sc.Company != "" {
		kv = append(kv, KV{t(lang, "范围", "Scope"), sc.Company})
	}
	if sc.Unit != "" && sc.Company == "" {
		// The code only when the unit has no name on record.
		kv = append(kv, KV{t(lang, "单位", "Unit"), sc.Unit})
	}
	if !sc.From.IsZero() || !sc.To.IsZero() {
		kv = append(kv, KV{t(lang, "期间", "Period"), dateOrDash(sc.From) + " — " + dateOrDash(sc.To)})
	}
	if sc.Period != "" {
		kv = append(kv, KV{t(lang, "分析周期", "Analysis period"), periodLabel(sc.Period, lang)})
	}
	if !sc.Generated.IsZero() {
		kv = append(kv, KV{t(lang, "生成时间", "Generated"), sc.Generated.Format("2006-01-02 15:04")})
	}
	if sc.Warehouse != "" {
		kv = append(kv, KV{t(lang, "数据仓库", "Warehouse"), sc.Warehouse})
	}
	return kv
}

func dateOrDash(d time.Time) string {
	if d.IsZero() {
		return "…"
	}
	return d.Format("2006-01-02")
}

func periodLabel(p string, lang Lang) string {
	switch p {
	case "month":
		return t(lang, "月", "month")
	case "quarter":
		return t(lang, "季度", "quarter")
	case "half":
		return t(lang, "半年", "half year")
	case "year":
		return t(lang, "年", "year")
	}
	return p
}

func missing(lang Lang, what string) Paragraph {
	return Paragraph{Note: true, Spans: []Span{{Text: fmt.Sprintf(t(lang, "暂无%s数据：数据仓库中没有相应记录，本节从略。", "No %s data: the warehouse holds no records for it, so this part is left out."), what)}}}
}

func txt(s string) Span { return Span{Text: s} }

// BuildEvaluation builds the company evaluation report (党建成效评估报告).
func BuildEvaluation(d *EvaluationData, lang Lang) *Report {
	var src sourcer
	r := &Report{Kind: "evaluation", Lang: lang, NoRecord: true,
		Title:    t(lang, "党建成效评估报告", "Party-building effectiveness evaluation"),
		Subtitle: t(lang, "党小组工作与安全生产成效的关系", "Does party-group work show up in safety and production results?"),
	}
	if d.Scope.Company != "" {
		r.Title = d.Scope.Company + " " + r.Title
	}
	r.Meta = scopeMeta(d.Scope, lang)
	r.Sections = append(r.Sections, conclusionsSection(d, lang, &src))

	// Overview.
	ov := Section{ID: "overview", Title: t(lang, "总体情况", "Overview")}
	if len(d.Headlines) > 0 {
		var fs Figures
		for i := range d.Headlines {
			h := &d.Headlines[i]
			fs.Items = append(fs.Items, headlineFigure(*h, lang, src.add(&h.Src)))
		}
		ov.Blocks = append(ov.Blocks, fs)
	}
	ov.Blocks = append(ov.Blocks, Paragraph{Spans: []Span{txt(t(lang,
		"本报告把党小组的组织生活记录、考评结果与所在班组的巡视、缺陷和安全记录放在一起，检验党小组工作是否体现在安全生产成效上，并找出需要帮扶的党小组。每个数字都可追溯到产生它的查询（见“数据来源”）。",
		"This report puts party groups' meeting records and assessments next to the patrol, defect and safety records of the teams they work in, tests whether the work shows up in results, and finds the groups that need help. Every number traces back to the query that produced it (see “Data sources”)."))}})
	r.Sections = append(r.Sections, ov)

	// 二 Compliance.
	cs := Section{ID: "compliance", Title: t(lang, "组织生活按规定频次开展情况", "Meetings against the rule")}
	if rule := d.MeetingRule; !rule.Set() {
		cs.Blocks = append(cs.Blocks, Paragraph{Spans: []Span{txt(noMeetingRule(lang))}})
	} else if g := d.Compliance; g != nil && len(g.Rows) > 0 {
		src.add(&g.Src)
		below := 0
		for _, row := range g.Values {
			for _, v := range row {
				if !math.IsNaN(v) && v < 1 {
					below++
					break
				}
			}
		}
		slot, words := rule.slot(lang), rule.words(lang)
		// What a cell says, the same in the chart, the page's table and the XLSX.
		cell := fmt.Sprintf(t(lang, "mingdeng.yaml 规定%s。每格为该党小组该%s是否达到这一要求（1 = 达到，0 = 未达到；图中空白、表中写“无记录”的格为无记录：党小组该%s未整期存续，或所在单位该%s没有党小组会记录）",
			"mingdeng.yaml sets %s. Each cell shows whether the group met it that %s (1 = met, 0 = did not; blank in the chart, “no records” in the table: the group did not exist through the %s or its unit has no group meeting records for the %s)"),
			words, slot, slot, slot)
		gridTitle := fmt.Sprintf(t(lang, "党小组按%s开会情况（党小组 × %s）", "Group meetings held each %s (group × %s)"), slot, slot)
		if len(g.Rows) <= pageGroupLimit {
			cs.Blocks = append(cs.Blocks, heatmapChart("eval-compliance", gridTitle,
				cell+fmt.Sprintf(t(lang, "；按达标率从低到高排列，最需关注的在上方。%s，%d 个党小组中有 %d 个至少有一个%s未达到。",
					"; groups are sorted from lowest compliance, so those needing attention are on top. From %s, of %d groups, %d missed it in at least one %s."),
					gridSpan(g, lang), len(g.Rows), below, slot), g, lang, 0, 1, heatRamp, false))
		} else {
			// Too many groups to draw one row each: the groups needing attention, each unit's
			// yearly figure, and every group's slots in the XLSX.
			top := topRows(g, attentionRows)
			cs.Blocks = append(cs.Blocks, heatmapChart("eval-compliance", fmt.Sprintf(t(lang, "最需关注的 %d 个", "The %d groups needing most attention: "), len(top.Rows))+gridTitle,
				cell+fmt.Sprintf(t(lang, "。%s，%d 个党小组中有 %d 个至少有一个%s未达到；这里只画达标率最低的 %d 个，全部党小组的逐%s情况见下方说明的 XLSX 工作表。",
					". From %s, of %d groups, %d missed it in at least one %s; this chart draws the %d with the lowest compliance, and every group's %ss are in the XLSX sheet named below."),
					gridSpan(g, lang), len(g.Rows), below, slot, len(top.Rows), slot), top, lang, 0, 1, heatRamp, false))
			if ug := unitYearGrid(g); ug != nil && len(ug.Rows) > 0 {
				cs.Blocks = append(cs.Blocks, heatmapChart("eval-compliance-units", t(lang, "各单位党小组会达标率（单位 × 年）", "Group-meeting compliance per unit (unit × year)"),
					fmt.Sprintf(t(lang, "每格为该单位全部党小组在该年有记录的%s中达到“%s”的比例；按达标率从低到高排列，共 %d 个单位。",
						"Each cell is the share of the unit's group-%ss with records in that year that met “%s”; units sorted from lowest compliance (%d units)."), slot, words, len(ug.Rows))+
						t(lang, "颜色从最低值所在的整十分位起算，以便区分各单位。", " The colour scale starts at the tenth below the lowest value, so units can be told apart."),
					ug, lang, gridFloor(ug), 1, heatRamp, false))
			}
			cs.Blocks = append(cs.Blocks, &TableBlock{ID: "eval-compliance-all", Caption: fmt.Sprintf(t(lang, "全部党小组按%s开会情况（党小组 × %s；%s：1 = 达到，0 = 未达到）", "Every group's meetings by %s (group × %s; %s: 1 = met, 0 = did not)"), slot, slot, words),
				Table: gridTable(g, t(lang, "党小组", "group"), lang), Ref: g.Src.ID, FileOnly: true})
		}
	} else {
		cs.Blocks = append(cs.Blocks, missing(lang, t(lang, "党小组会", "group meeting")))
	}
	r.Sections = append(r.Sections, cs)

	// 三 Quality.
	qs := Section{ID: "quality", Title: t(lang, "会议质量", "Meeting quality")}
	if q := d.Quality; q != nil && len(q.Periods) > 0 {
		src.add(&q.Src)
		qs.Blocks = append(qs.Blocks, lineChart("eval-quality", t(lang, "会议质量指标变化", "Meeting quality over time"),
			t(lang, "“三多三少”（表扬多批评少、形式多内容少、闲谈多解决问题少）的可测量指标：批评意见、问题解决、结合中心工作的会议占比、只学习无议题的会议占比。",
				"Measurable signs of the “three many, three few” failure (much praise, little critique; much show, little content; much chat, few problems solved): critique items, problems resolved, meetings linked to production work, study-only meetings."),
			seriesInWords(q, lang), lang, false))
	} else {
		qs.Blocks = append(qs.Blocks, missing(lang, t(lang, "会议质量", "meeting quality")))
	}
	r.Sections = append(r.Sections, qs)

	// 四 Assessment.
	as := Section{ID: "assessment", Title: t(lang, "半年度考评", "Half-yearly assessment")}
	if g := d.Grades; g != nil && len(g.Periods) > 0 {
		src.add(&g.Src)
		title := t(lang, "各半年考评等次分布", "Assessment grades per half")
		if y := sameYear(g.Periods); y != "" {
			// The grades are those of the assessment year only, while the report covers more:
			// the title says which year.
			title = fmt.Sprintf(t(lang, "%s 年各半年考评等次分布", "Assessment grades per half, %s"), y)
		}
		as.Blocks = append(as.Blocks, gradeChart("eval-grades", title,
			gradeRules(g.Rules, lang)+t(lang, "基本合格及以下的党小组须限期帮扶；连续两次基本合格及以下的，考虑调整党小组长。",
				"Groups at basically qualified or below get help and a deadline; twice in a row: consider replacing the leader."),
			gradesInWords(g, lang), lang))
		if len(g.Advanced) > 0 {
			names := make([]string, len(g.Advanced))
			for i, a := range g.Advanced {
				names[i] = advancedName(a, t(lang, "平均 %s 分", "mean %s"), lang)
			}
			lead := t(lang, "年度先进党小组（两次考评均完整、均在合格以上、平均分在本范围内最高）：", "The year's advanced groups (both assessments complete, both qualified or better, the highest mean in their scope): ")
			if y := sameYear(g.Periods); y != "" {
				// The report covers several years: the advanced groups are of the assessment year.
				lead = fmt.Sprintf(t(lang, "%s 年度先进党小组（两次考评均完整、均在合格以上、平均分在本范围内最高）：", "Advanced groups of %s (both assessments complete, both qualified or better, the highest mean in their scope): "), y)
			}
			as.Blocks = append(as.Blocks, Paragraph{Spans: []Span{
				txt(lead),
				{Text: joinNames(names, lang, 10), Ref: g.Src.ID}, txt(t(lang, "。", "."))}})
		}
		if len(g.Flagged) > 0 {
			tb := &queries.Table{Columns: []queries.Column{col(t(lang, "党小组", "group"), queries.Text), col(t(lang, "单位", "unit"), queries.Text),
				col(t(lang, "半年", "half"), queries.Text), col(t(lang, "得分", "score"), queries.Float), col(t(lang, "等次", "grade"), queries.Text),
				col(t(lang, "连续两次", "twice in a row"), queries.Text)}}
			for _, f := range g.Flagged {
				twice := t(lang, "否", "No")
				if f.Consecutive {
					twice = t(lang, "是：考虑调整党小组长", "Yes: consider replacing the leader")
				}
				tb.Rows = append(tb.Rows, []any{f.Group, f.Unit, PeriodInWords(f.Period, lang), nanToNil(f.Score), GradeLabel(f.Grade, lang), twice})
			}
			as.Blocks = append(as.Blocks, &TableBlock{ID: "eval-flagged", Caption: t(lang, "需帮扶的党小组（基本合格及以下）", "Groups needing help (basically qualified or below)"), Table: tb, Ref: g.Src.ID})
		}
	} else {
		as.Blocks = append(as.Blocks, missing(lang, t(lang, "考评", "assessment")))
	}
	r.Sections = append(r.Sections, as)

	// 五 Relations.
	rs := Section{ID: "relations", Title: t(lang, "党小组活动与安全生产成效的关系", "Party-group activity and production results")}
	g := grainOf(scopePeriod(d.Scope), lang)
	rs.Blocks = append(rs.Blocks, Paragraph{Note: true, Spans: []Span{txt(fmt.Sprintf(t(lang,
		"散点图和相关矩阵显示的是相关关系；固定效应估计只比较同一党小组自身前后的变化，排除了“好班组本来就好”的影响，并用%s的活动对应%s的成效，更接近因果判断，但仍不能排除同期其他因素。",
		"Scatter plots and the correlation matrix show the overall picture; the fixed-effect estimates compare each group only with itself over time, removing the “good teams were already good” effect, and relate %s's activity to %s's results, which is closer to a causal reading."), g.This, g.Next))}})
	for i := range d.Scatters {
		sc := &d.Scatters[i]
		src.add(&sc.Src)
		id := fmt.Sprintf("eval-scatter-%s-%s-lag%d", sc.Activity, sc.Outcome, sc.Lag)
		// How to read a scatter plot is said once, under the first.
		c := scatterChart(id, scatterInWords(sc, lang), scopePeriod(d.Scope), i == 0, lang)
		rs.Blocks = append(rs.Blocks, c)
	}
	if m := d.Correlation; m != nil && len(m.Rows) > 0 {
		src.add(&m.Src)
		rs.Blocks = append(rs.Blocks, corrChart("eval-correlation", m, lang))
	}
	rs.Blocks = append(rs.Blocks, effectBlocks(d, lang, &src)...)
	if len(d.Scatters) == 0 && d.Correlation == nil && d.Effects == nil {
		rs.Blocks = append(rs.Blocks, missing(lang, t(lang, "分析", "analysis")))
	}
	r.Sections = append(r.Sections, rs)

	// 六 Model groups.
	ms := Section{ID: "model-groups", Title: t(lang, "示范党小组与其他党小组", "Model groups and the rest")}
	if md := d.ModelDiffs; md != nil && len(md.Results) > 0 {
		src.add(&md.Src)
		ms.Blocks = append(ms.Blocks, forestCharts("eval-model-groups", t(lang, "示范党小组减其他党小组（差值与 95% 置信区间）", "Model groups minus the rest (difference with 95% CI)"),
			t(lang, "示范党小组从考评得分最高的小组中选出，本来就较好：差值是关联，不能说明“评上示范”带来了提升（选择偏差）。占比的差值以个百分点计。",
				"Model groups are chosen from the best-scoring groups, which were already better: the gap is an association and does not show that the title caused an improvement (selection). Differences in shares are in percentage points."), md, lang)...)
	} else {
		ms.Blocks = append(ms.Blocks, missing(lang, t(lang, "示范党小组", "model group")))
	}
	r.Sections = append(r.Sections, ms)

	// 七 Trends.
	ts := Section{ID: "trends", Title: t(lang, "安全与巡视趋势", "Safety and patrol trends")}
	if tr := d.Trends; tr != nil && len(tr.Periods) > 0 {
		src.add(&tr.Src)
		ts.Blocks = append(ts.Blocks, lineChart("eval-trends", t(lang, "安全与巡视指标逐月变化", "Safety and patrol outcomes by month"),
			t(lang, "阴影为迎峰度夏（7–8 月）：巡视工作量和风险随季节上升，跨月份比较时须考虑季节。",
				"Shaded: the summer peak (July–August), when patrol effort and risk rise; compare months with the season in mind."),
			tr, lang, true))
	} else {
		ts.Blocks = append(ts.Blocks, missing(lang, t(lang, "安全与巡视", "safety and patrol")))
	}
	r.Sections = append(r.Sections, ts)

	// 八 Survey.
	ss := Section{ID: "survey", Title: t(lang, "满意度调查", "Surveys")}
	if sv := d.Survey; sv != nil && len(sv.Units) > 0 {
		src.add(&sv.Src)
		var c *Chart
		if len(sv.Units) <= maxRadarUnits {
			c = radarChart("eval-survey", sv, lang)
		} else {
			c = surveyHeatmap("eval-survey", sv, lang)
		}
		// The scores pool every survey of the period (SurveyFromTable): say which period.
		c.Caption = fmt.Sprintf(t(lang, "%s各次调查按答卷人数加权合并。", "The surveys from %s pooled, weighted by respondents. "), d.span(lang)) + c.Caption
		ss.Blocks = append(ss.Blocks, c)
	} else {
		ss.Blocks = append(ss.Blocks, missing(lang, t(lang, "满意度调查", "survey")))
	}
	r.Sections = append(r.Sections, ss)

	// 九 Awards.
	aw := Section{ID: "awards", Title: t(lang, "奖项与示范岗的分布", "How awards are spread")}
	if c := d.Awards; c != nil && len(c.Lorenz) > 1 {
		src.add(&c.Src)
		aw.Blocks = append(aw.Blocks, lorenzChart("eval-awards", c, lang))
	}
	if len(d.Spread) > 0 {
		aw.Blocks = append(aw.Blocks, &TableBlock{ID: "eval-award-spread", Caption: t(lang, "获得表彰和示范岗的次数分布（人；与同样数量随机分配的基尼系数比较）", "Members by number of awards and model posts (Gini against random allocation of the same number)"),
			Table: spreadTable(d.Spread, lang), Ref: src.add(&d.SpreadSrc)})
	}
	if len(aw.Blocks) == 0 {
		aw.Blocks = append(aw.Blocks, missing(lang, t(lang, "奖项", "award")))
	}
	r.Sections = append(r.Sections, aw)

	// 十 Rankings.
	if len(d.Ranked) > 0 {
		rk := Section{ID: "rankings", Title: t(lang, "排名", "Rankings")}
		for i := range d.Ranked {
			rt := &d.Ranked[i]
			ref := src.add(&rt.Src)
			rk.Blocks = append(rk.Blocks, &TableBlock{ID: rt.ID, Caption: rt.Title, Table: rt.Table, Ref: ref, Limit: 30})
		}
		r.Sections = append(r.Sections, rk)
	}

	m := methodsSection(lang)
	m.Plain = true
	r.Sections = append(r.Sections, m)
	NumberHeadings(r)
	r.Sources = src.list
	return r
}

// methodsSection explains the methods and their limits in plain words.
func methodsSection(lang Lang) Section {
	items := [][]Span{
		{txt(t(lang, "相关不等于因果。两项指标一起变化，可能是第三个因素（如班组本身的基础、季节）同时影响了二者。",
			"Correlation is not causation. Two measures that move together may both follow a third thing (the team's starting level, the season)."))},
		{txt(t(lang, "每个结果都同时给出样本量 n、估计值、95% 置信区间和 p 值。置信区间越窄，估计越可靠；区间跨过 0 时，不能认为有影响。",
			"Every result gives the sample size n, the estimate, the 95% confidence interval and the p-value. A narrow interval means a reliable estimate; an interval that crosses 0 does not show an effect."))},
		{txt(t(lang, "固定效应：只比较每个党小组自身在不同时期的变化，消除小组之间固有差异的影响；滞后：用本期活动对应下一期成效，避免“结果反过来影响活动”。",
			"Fixed effects compare each group only with itself over time, removing fixed differences between groups; a lag relates this period's activity to the next period's results, so results cannot drive the activity."))},
		{txt(t(lang, "多重比较：同时检验很多关系时，总会有几个碰巧“显著”。校正后的 p 值（Benjamini–Hochberg）控制了这种误报。",
			"Many comparisons: test many relations and a few will look significant by chance. Adjusted p-values (Benjamini–Hochberg) control these false alarms."))},
		{txt(t(lang, "选择偏差：示范岗、示范党小组往往给了本来就好的班组。评价其作用须与条件相近、未获评的班组对比（双重差分），并检验获评前两组走势是否一致。",
			"Selection: model posts and model groups go to teams that were already good. Their effect needs a comparison with similar teams that were not chosen (difference in differences), and a check that both were on the same path before."))},
		{txt(t(lang, "防止形式主义：只看开会次数的指标会被“凑数”。会议质量和结合生产的指标比次数更重要；本报告的分析也显示了会议次数本身是否与成效有关。",
			"Against formalism: a measure that counts meetings regardless of content will be gamed. Quality and links to production work matter more than counts; the analysis shows whether the count alone relates to results."))},
		{txt(t(lang, "保护个人：报告不显示任何个人；调查中答卷人少于 5 人的格子不显示。",
			"Privacy: no person is shown; survey cells with fewer than 5 respondents are suppressed."))},
		{txt(t(lang, "数据可追溯：每个数字都可用“数据来源”中的命令在同一数据仓库上复核，并追溯到导入的源文件和行。",
			"Traceability: each number can be re-run with the command under “Data sources” on the same warehouse, and traced to the source files and rows it came from."))},
	}
	return Section{ID: "methods", Title: t(lang, "方法与注意事项", "Methods and caveats"), Blocks: []Block{Bullets{Items: items}}}
}

// joinNames lists names for running text.
func joinNames(names []string, lang Lang, max int) string {
	more := 0
	if len(names) > max {
		more = len(names) - max
		names = names[:max]
	}
	s := strings.Join(names, t(lang, "、", ", "))
	if more > 0 {
		s += fmt.Sprintf(t(lang, "等 %d 个", " and %d more"), len(names)+more)
		if lang == "en" {
			s = strings.Join(names, ", ") + fmt.Sprintf(" and %d more", more)
		}
	}
	return s
}

// gradeRules states the grade thresholds in force (mingdeng.yaml), e.g. "优秀 ≥ 95 分；合格
// 80–95 分；…。"; nothing when they are unknown.
func gradeRules(g queries.GradeThresholds, lang Lang) string {
	if g == (queries.GradeThresholds{}) {
		return ""
	}
	n := FormatNum
	return fmt.Sprintf(t(lang, "优秀 ≥ %s 分；合格 %s–%s 分；基本合格 %s–%s 分；不合格 < %s 分。", "Excellent ≥ %s; qualified %s–%s; basically qualified %s–%s; unqualified < %s. "),
		n(g.Excellent), n(g.Qualified), n(g.Excellent), n(g.Basic), n(g.Qualified), n(g.Basic))
}

// advancedName is an advanced group with its unit (once, also when its label already names
// it: 检修党小组（线路工区）) and its mean score, written with format (one %s).
func advancedName(a AdvancedGroup, format string, lang Lang) string {
	avg := fmt.Sprintf(format, FormatNum(a.Average))
	name := a.Group
	for _, suffix := range []string{"（" + a.Unit + "）", " (" + a.Unit + ")"} {
		name = strings.TrimSuffix(name, suffix)
	}
	if a.Unit == "" {
		return name + t(lang, "（"+avg+"）", " ("+avg+")")
	}
	return name + t(lang, "（"+a.Unit+"，"+avg+"）", " ("+a.Unit+", "+avg+")")
}

// effectBlocks are the fixed-effect estimates: with declared hypotheses, first the primary
// family (set in advance, adjusted among themselves, the report's findings), then the
// exploratory estimates under their own title (adjusted in their own family, never findings),
// so no reader takes one for the other; without, one family as analyze adjusted it.
func effectBlocks(d *EvaluationData, lang Lang, src *sourcer) []Block {
	es := d.Effects
	var explore []stats.Result
	if es != nil {
		_, explore = splitFamilies(es.Results)
	}
	pr := d.Primary
	if pr == nil || len(pr.Results) == 0 {
		if es == nil || len(es.Results) == 0 {
			return nil
		}
		ref := src.add(&es.Src)
		out := forestCharts("eval-effects", t(lang, "固定效应估计（点为估计值，横线为 95% 置信区间）", "Fixed-effect estimates (point: estimate; bar: 95% CI)"),
			t(lang, "横线不跨过虚线（0）表示该关系在 5% 水平上不为零；p 值已按多重比较（Benjamini–Hochberg）校正。", "A bar that does not cross the dashed line (0) means the relation differs from zero at the 5% level; p-values are corrected for multiple comparisons (Benjamini–Hochberg). ")+stepNote(lang),
			es, lang)
		return append(out, significantSentence(es.Results, ref, lang,
			t(lang, "以上 ", "Of the "), t(lang, " 项关系", " relations above"), ""))
	}
	ref := src.add(&pr.Src)
	var out []Block
	tests := hypothesisTests(d.Hypotheses)
	if none, reason := noneEstimable(pr.Results, tests, lang); none {
		// Too few periods for any within-group estimate: say so once, then the exploratory ones.
		out = append(out, newProse(lang).noneEstimableSentence(d.Hypotheses, len(pr.Results), tx(lang, "", "of ")+d.span(lang), reason, ref).para())
		if n := lateListNote(d.Hypotheses, lang); n != nil {
			out = append(out, *n)
		}
		return append(out, exploratoryBlocks(explore, es, lang, src)...)
	}
	intro := newProse(lang)
	intro.s(t(lang, "以下先列 mingdeng.yaml 中", "First come ")).declared(d.Hypotheses, len(pr.Results), ref).
		s(fmt.Sprintf(t(lang, "的检验结果：使用%s的记录，以%s为一期，用本期活动对应下一期成效（n 为参与估计的党小组·期数），p 值只在这几项假设之间校正，是本报告的结论。",
			" of mingdeng.yaml, on the records of %s with %ss as periods, this period's activity against the next period's results (n counts group-periods), p-values corrected among these hypotheses only: the report's findings. "),
			d.span(lang), periodLabel(scopePeriod(d.Scope), lang)))
	if len(explore) > 0 {
		intro.s(t(lang, "其后是探索性估计，单独标明。", "The exploratory estimates follow, marked as such."))
	}
	out = append(out, intro.para())
	if n := lateListNote(d.Hypotheses, lang); n != nil {
		out = append(out, *n)
	}
	out = append(out, forestCharts("eval-primary", t(lang, "预先设定的假设：固定效应估计（点为估计值，横线为 95% 置信区间）", "Hypotheses set in advance: fixed-effect estimates (point: estimate; bar: 95% CI)"),
		t(lang, "横线不跨过虚线（0）表示该关系在 5% 水平上不为零；p 值只在预先设定的假设之间按多重比较（Benjamini–Hochberg）校正。", "A bar that does not cross the dashed line (0) means the relation differs from zero at the 5% level; p-values are corrected (Benjamini–Hochberg) among the hypotheses set in advance only. ")+stepNote(lang),
		pr, lang)...)
	items := make([][]Span, 0, len(pr.Results))
	for _, r := range pr.Results {
		items = append(items, newProse(lang).hypothesisVerdict(EffectOf(r), tests, ref).spans)
	}
	out = append(out, Bullets{Items: items})
	return append(out, exploratoryBlocks(explore, es, lang, src)...)
}

// exploratoryBlocks are the exploratory estimates beside declared hypotheses, under their own
// title and with their own count; none when there are none.
func exploratoryBlocks(explore []stats.Result, es *Estimates, lang Lang, src *sourcer) []Block {
	if len(explore) == 0 {
		return nil
	}
	eref := src.add(&es.Src)
	ex := &Estimates{Results: explore, Src: es.Src}
	charts := forestCharts("eval-effects", t(lang, "探索性估计（未预先设定）：固定效应估计（点为估计值，横线为 95% 置信区间）", "Exploratory estimates (not set in advance): fixed effects (point: estimate; bar: 95% CI)"),
		t(lang, "这些关系不在预先设定的假设之内，是看过数据后的探索；p 值在全部探索性检验之间校正，与预先设定的假设分开。校正后显著的也只提示今后值得预先设定并检验的方向，不作为本报告的结论。估计值的计法与预先设定的假设的图相同。", "These relations were not set in advance: they are explored after seeing the data, and their p-values are corrected among all exploratory tests, apart from the hypotheses set in advance. Even one significant after correction only suggests what to set in advance and test next; it is not a finding of this report. Estimates are per the same steps as in the plots of the hypotheses set in advance."),
		ex, lang)
	// Each exploratory plot's title says 探索性估计, so a plot read alone says what it is.
	out := append([]Block(nil), charts...)
	return append(out, significantSentence(explore, eref, lang, t(lang, "探索性估计的 ", "Of the "), t(lang, " 项关系", " exploratory relations"),
		t(lang, "这些是探索性结果，只提示今后值得预先设定并检验的方向，不作为本报告的结论。", " These are exploratory: they suggest what to set in advance and test next, not findings of this report.")))
}

// significantSentence counts the results significant after correction and states each.
func significantSentence(rs []stats.Result, ref string, lang Lang, before, after, tail string) Paragraph {
	var sig []Effect
	for _, r := range rs {
		if r.Significant(0.05) {
			sig = append(sig, EffectOf(r))
		}
	}
	p := newProse(lang)
	p.s(before).n(fmt.Sprint(len(rs)), ref).s(after)
	if len(sig) == 0 {
		p.s(t(lang, "在多重比较校正后均不能确认，各项估计见图下数据。", ": none can be confirmed after correcting for multiple comparisons; the estimates are under each chart."))
		return p.para()
	}
	p.s(t(lang, "中，校正后显著的有 ", ", ")).n(fmt.Sprint(len(sig)), ref).s(t(lang, " 项：", " are significant after correction: "))
	for i, e := range sig {
		if i > 0 {
			p.s(t(lang, "；", "; "))
		}
		p.n(e.Sentence(lang), ref)
	}
	return p.s(t(lang, "。", ".")).s(tail).para()
}

// span is the period the evaluation's records cover, in words: 2020年1月至2024年12月 (the
// requested from–to, else the months of the compliance grid).
func (d *EvaluationData) span(lang Lang) string {
	from, to := "", ""
	if s := d.Scope; !s.From.IsZero() && !s.To.IsZero() {
		from, to = s.From.Format("2006-01"), s.To.Format("2006-01")
	} else if g := d.Compliance; g != nil && len(g.Cols) > 0 {
		from, to = g.Cols[0], g.Cols[len(g.Cols)-1]
	} else {
		return t(lang, "全部期间", "the whole period")
	}
	return monthText(from, lang) + t(lang, "至", " to ") + monthText(to, lang)
}

// scopePeriod is the analysis period, half unless the request chose another.
func scopePeriod(s Scope) string {
	if s.Period != "" {
		return s.Period
	}
	return "half"
}

// sameYear is the year of periods (2024H1, 2024H2) when they all lie in one, else "".
func sameYear(periods []string) string {
	var y string
	for _, p := range periods {
		if len(p) < 4 || !isYear(p[:4]) || (y != "" && p[:4] != y) {
			return ""
		}
		y = p[:4]
	}
	return y
}

// gridSpan is the months a grid covers in words: 2020年1月至2024年12月.
func gridSpan(g *HeatGrid, lang Lang) string {
	if len(g.Cols) == 0 {
		return ""
	}
	return slotText(g.Cols[0], lang) + t(lang, "至", " to ") + slotText(g.Cols[len(g.Cols)-1], lang)
}

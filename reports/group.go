package reports

import (
	"fmt"
	"slices"

	"github.com/mingdeng/mingdeng/queries"
)

// GroupData is what the drill-down for one party group shows.
type GroupData struct {
	Scope    Scope
	Code     string
	Name     string
	Unit     string
	Branch   string
	Monthly  *TimeSeries // group meetings per slot of the group-meeting cadence
	Activity *TimeSeries // activity metrics per half
	Outcomes *TimeSeries // outcome metrics per half
	Versus   *Comparisons
	History  *TableData // assessments: half, score, grade, dimensions
	// The group-meeting rule group_compliance checked, and its slots required and met.
	MeetingRule             meetingRule
	SlotsRequired, SlotsMet int
}

// BuildGroup builds the drill-down report for one group.
func BuildGroup(d *GroupData, lang Lang) *Report {
	var src sourcer
	name := d.Name
	if name == "" {
		name = d.Code
	}
	r := &Report{Kind: "group", Lang: lang, NoRecord: true,
		Title:    name + t(lang, " 党小组工作档案", ": party-group profile"),
		Subtitle: d.Unit,
	}
	// No group code: the unit (subtitle) and branch tell same-named groups apart in words.
	r.Meta = scopeMeta(d.Scope, lang)
	if d.Branch != "" {
		r.Meta = append(r.Meta, KV{t(lang, "党支部", "Branch"), d.Branch})
	}

	s1 := Section{ID: "meetings", Title: t(lang, "组织生活", "Meetings")}
	if m, rule := d.Monthly, d.MeetingRule; m != nil && len(m.Periods) > 0 && rule.Set() {
		src.add(&m.Src)
		caption := fmt.Sprintf(t(lang, "按 mingdeng.yaml 的规定，%s；有记录的 %d 个%s中 %d 个达到、%d 个未达到。",
			"mingdeng.yaml sets %s; of the %d %ss with records, %d met it and %d did not."),
			rule.words(lang), d.SlotsRequired, rule.slot(lang), d.SlotsMet, d.SlotsRequired-d.SlotsMet)
		title := t(lang, rule.per(lang)+"党小组会次数", "Group meetings per "+rule.slot(lang))
		c := lineChart("group-monthly", title, caption, seriesInWords(m, lang), lang, true)
		for i := range c.Option.Series {
			c.Option.Series[i].Type = "bar"
			c.Option.Series[i].ShowSymbol = nil
			c.Option.Series[i].BarMaxWidth = "18"
		}
		c.Option.YAxis[0].Scale = nil
		c.Option.YAxis[0].Min = 0
		s1.Blocks = append(s1.Blocks, c)
	}
	if a := d.Activity; a != nil && len(a.Periods) > 0 {
		src.add(&a.Src)
		s1.Blocks = append(s1.Blocks, lineChart("group-activity", t(lang, "会议质量指标", "Meeting quality"), fmt.Sprintf(t(lang, "每%s计算一次。", "Per %s."), groupPeriod(d, lang)), seriesInWords(a, lang), lang, false))
	}
	if !d.MeetingRule.Set() && d.Name != "" {
		s1.Blocks = append([]Block{Paragraph{Spans: []Span{txt(noMeetingRule(lang))}}}, s1.Blocks...)
	}
	if len(s1.Blocks) == 0 {
		s1.Blocks = append(s1.Blocks, missing(lang, t(lang, "党小组会", "group meeting")))
	}
	r.Sections = append(r.Sections, s1)

	s2 := Section{ID: "outcomes", Title: t(lang, "所在班组的安全生产成效", "Results of the group's teams")}
	if o := d.Outcomes; o != nil && len(o.Periods) > 0 {
		src.add(&o.Src)
		s2.Blocks = append(s2.Blocks, lineChart("group-outcomes", t(lang, "成效指标（每", "Outcome metrics (per ")+groupPeriod(d, lang)+t(lang, "）", ")"),
			t(lang, "经党小组与班组的对应关系（按日期生效）汇总到本党小组。", "Reached through the group–team mapping in force on each date."), seriesInWords(o, lang), lang, false))
	}
	if v := d.Versus; v != nil && len(v.Items) > 0 {
		src.add(&v.Src)
		tb := &queries.Table{Columns: []queries.Column{col(t(lang, "指标", "metric"), queries.Text), col(t(lang, "本党小组", "this group"), queries.Float), col(t(lang, "全公司平均", "company mean"), queries.Float)}}
		for _, c := range v.Items {
			// Each half's value, averaged: labelled with its span, so it is not read against the
			// evaluation's monthly means under the same name.
			label, k := queries.MetricLabel(c.Metric, lang)+t(lang, "（每", " (per ")+groupPeriod(d, lang), 1.0
			if queries.UnitOf(c.Metric).Kind == queries.UnitShare {
				// A share among counts: in percent, said in its label, so 0.895 is not read as a count.
				label, k = label+t(lang, "，%", ", %"), 100
			}
			tb.Rows = append(tb.Rows, []any{label + t(lang, "）", ")"), nanToNil(c.Model * k), nanToNil(c.Rest * k)})
		}
		s2.Blocks = append(s2.Blocks, &TableBlock{ID: "group-versus", Caption: t(lang, "与全公司平均比较", "Compared with the company mean"), Table: tb, Ref: v.Src.ID})
	}
	if len(s2.Blocks) == 0 {
		s2.Blocks = append(s2.Blocks, missing(lang, t(lang, "成效", "outcome")))
	}
	r.Sections = append(r.Sections, s2)

	s3 := Section{ID: "assessments", Title: t(lang, "考评记录", "Assessments")}
	if h := d.History; h != nil && h.Table != nil {
		ref := src.add(&h.Src)
		s3.Blocks = append(s3.Blocks, &TableBlock{ID: "group-history", Caption: historyCaption(h.Table, lang), Table: halvesInWords(h.Table, lang), Ref: ref})
	} else {
		s3.Blocks = append(s3.Blocks, missing(lang, t(lang, "考评", "assessment")))
	}
	r.Sections = append(r.Sections, s3)
	NumberHeadings(r)
	r.Sources = src.list

	return r
}

// groupPeriod is the analysis period the group's figures are per (半年 by default).
func groupPeriod(d *GroupData, lang Lang) string {
	if p := periodLabel(d.Scope.Period, lang); p != "" {
		return p
	}
	return periodLabel("half", lang)
}

// historyCaption names the years the assessment table holds (the report's assessment year,
// not every assessment ever made): "2024 年半年考评".
func historyCaption(tb *queries.Table, lang Lang) string {
	var years []string
	for _, row := range tb.Rows {
		if len(row) == 0 {
			continue
		}
		if y := FormatValue(row[0]); len(y) >= 4 && isYear(y[:4]) && !slices.Contains(years, y[:4]) {
			years = append(years, y[:4])
		}
	}
	if len(years) == 0 {
		return t(lang, "半年考评", "Half-yearly assessments")
	}
	span := years[0]
	if len(years) > 1 {
		span += "–" + years[len(years)-1]
	}
	return fmt.Sprintf(t(lang, "%s 年半年考评（是否需帮扶、是否连续两次按考评办法判定）", "Half-yearly assessments of %s (help needed and twice in a row as the rules decide)"), span)
}

// halvesInWords is the history table with its first column (the half) in words.
func halvesInWords(tb *queries.Table, lang Lang) *queries.Table {
	cp := *tb
	cp.Rows = make([][]any, len(tb.Rows))
	for i, row := range tb.Rows {
		r := append([]any(nil), row...)
		if len(r) > 0 {
			if s, ok := r[0].(string); ok {
				r[0] = PeriodInWords(s, lang)
			}
		}
		cp.Rows[i] = r
	}
	return &cp
}

package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// The annual write-up (年度调研课题报告) as a document an office submits after light editing,
// in the order such write-ups take: 一、基本情况 二、存在的主要问题 三、主要做法 四、初步成效
// 五、下一步建议 六、结语, then appendices. Problems and measures are reasoned paragraphs (what,
// how many, where, what the data shows about why); every number links to the query behind it
// and carries its 同比 where last year has records; recommendations are derived from the same
// findings, so none contradicts another part.

// prose builds a paragraph of plain text and linked numbers.
type prose struct {
	lang  Lang
	spans []Span
}

func (p *prose) s(text string) *prose {
	if text != "" {
		p.spans = append(p.spans, txt(text))
	}
	return p
}

func (p *prose) n(text, ref string) *prose {
	p.spans = append(p.spans, Span{Text: text, Ref: ref})
	return p
}

// yoy appends "，同比…（上年 …）" when last year has the figure: the whole phrase links to
// last year's query.
func (p *prose) yoy(cur, prev float64, kind zhtext.Kind, unitZh, unitEn, ref string) *prose {
	if ph := yoyPhrase(p.lang, cur, prev, kind, unitZh, unitEn); ph != "" {
		p.s(t(p.lang, "，", ", ")).n(ph, ref)
	}
	return p
}

func (p *prose) para() Paragraph { return Paragraph{Spans: p.spans} }

func newProse(lang Lang) *prose { return &prose{lang: lang} }

// yoyPhrase is the 同比 phrase; "" when either year lacks the figure.
func yoyPhrase(lang Lang, cur, prev float64, kind zhtext.Kind, unitZh, unitEn string) string {
	if lang != "en" {
		return zhtext.YoY(cur, prev, kind, unitZh)
	}
	if math.IsNaN(cur) || math.IsNaN(prev) {
		return ""
	}
	last := zhtext.Decimal(prev)
	switch kind {
	case zhtext.KindShare:
		last = zhtext.Percent(prev)
	case zhtext.KindCount:
		last = zhtext.CountEn(prev)
	}
	if unitEn != "" && kind != zhtext.KindShare {
		last += " " + unitEn
	}
	return "last year " + last
}

// count writes a whole count for the reader: 1.23 万 in Chinese, 12,345 in English.
func countIn(lang Lang, n int) string { return num(lang, float64(n)) }

// tx is t for texts whose English is empty on purpose (datasets.Text falls back to Chinese
// for an empty English text).
func tx(lang Lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

// num formats a count or level for the report's language.
func num(lang Lang, x float64) string {
	if lang == "en" {
		return zhtext.CountEn(x)
	}
	return zhtext.Count(x)
}

// enumLabel is the reader's label of an enum code of a dataset column.
func enumLabel(dataset, column, code string, lang Lang) string {
	c, err := datasets.Lookup(dataset)
	if err != nil {
		return code
	}
	for i := range c.Columns {
		if c.Columns[i].Name == column {
			return c.Columns[i].ValueLabel(code, lang)
		}
	}
	return code
}

// topUnits names the units with the most entries: "城东供电所（5 个）、线路工区（3 个）".
func topUnits(units []string, lang Lang, k int) string {
	n := map[string]int{}
	var order []string
	for _, u := range units {
		if u == "" {
			continue
		}
		if n[u] == 0 {
			order = append(order, u)
		}
		n[u]++
	}
	sort.SliceStable(order, func(i, j int) bool { return n[order[i]] > n[order[j]] })
	if len(order) > k {
		order = order[:k]
	}
	parts := make([]string, len(order))
	for i, u := range order {
		parts[i] = fmt.Sprintf(t(lang, "%s（%d 个）", "%s (%d)"), u, n[u])
	}
	return strings.Join(parts, t(lang, "、", ", "))
}

func share(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func dayRange(p Practice, lang Lang) string {
	if p.First.IsZero() {
		return ""
	}
	if p.First.Equal(p.Last) || p.Last.IsZero() {
		return longDate(p.First, lang)
	}
	return p.First.Format(t(lang, "1月2日", "2 Jan")) + t(lang, "至", " to ") + p.Last.Format(t(lang, "1月2日", "2 Jan"))
}

// longDate is a date as a document writes it: 2024年1月1日.
func longDate(d time.Time, lang Lang) string {
	if d.IsZero() {
		return "…"
	}
	return d.Format(t(lang, "2006年1月2日", "2 January 2006"))
}

// periodText is from–to as a document writes it: 2024年1月1日至12月31日.
func periodText(from, to time.Time, lang Lang) string {
	if !from.IsZero() && !to.IsZero() && from.Year() == to.Year() && lang != "en" {
		return longDate(from, lang) + "至" + to.Format("1月2日")
	}
	return longDate(from, lang) + t(lang, "至", " to ") + longDate(to, lang)
}

// BuildAnnual builds the annual research write-up.
func BuildAnnual(d *AnnualData, lang Lang) *Report {
	b := &annualBuilder{d: d, lang: lang}
	return b.build()
}

type annualBuilder struct {
	d    *AnnualData
	lang Lang
	src  sourcer
	// findings the recommendations are derived from
	effects    []Effect // lagged within-group estimates, in reading order (exploratory when primary is set)
	primary    []Effect // the declared hypotheses' results
	sigEffects []Effect
	meetingsNS bool // meetings_held has an estimate and it is not significant
	awardsConc *queries.AwardSpread
}

func (b *annualBuilder) t(zh, en string) string { return t(b.lang, zh, en) }

func (b *annualBuilder) ref(s *Source) string { return b.src.add(s) }

// rule is the group-meeting rule group_compliance checked for the write-up.
func (b *annualBuilder) rule() meetingRule { return b.d.MeetingRule }

// prior returns last year's figures, or a value with NaN figures when there is none.
func (b *annualBuilder) prior() YearFigures {
	if b.d.Prior != nil {
		return *b.d.Prior
	}
	nan := math.NaN()
	return YearFigures{Compliance: nan, Meetings: nan, Critique: nan, StudyOnly: nan, Linked: nan, Resolution: nan, Violations: nan, Defects: nan, Timely: nan}
}

// pv is a prior count as float, NaN when last year lacks the part.
func pv(has bool, v int) float64 {
	if !has {
		return math.NaN()
	}
	return float64(v)
}

func (b *annualBuilder) build() *Report {
	d, lang := b.d, b.lang
	r := &Report{Kind: "annual", Lang: lang, NoRecord: true,
		Title:    b.t("年度调研课题报告", "Annual research report"),
		Subtitle: b.t("发挥党小组作用，推动安全生产——基于记录数据的分析", "Party groups and safe production: what the records show"),
	}
	if d.Scope.Company != "" {
		r.Title = d.Scope.Company + " " + d.Year + b.t("年度调研课题报告", " Annual research report")
	} else if d.Year != "" {
		r.Title = d.Year + b.t("年度调研课题报告", " Annual research report")
	}
	r.Meta = scopeMeta(d.Scope, lang)
	b.findings()
	r.Sections = append(r.Sections, b.basics(), b.problems(), b.measures(), b.results(), b.recommendations(), b.closing())
	r.Sections = append(r.Sections, b.appendices()...)
	NumberHeadings(r)
	r.Sources = b.src.list
	return r
}

// findings works out what the recommendations and the conclusions rest on.
func (b *annualBuilder) findings() {
	if es := b.d.Effects; es != nil {
		meetings, meetingsSig := 0, 0
		for _, r := range es.Results {
			e := EffectOf(r)
			b.effects = append(b.effects, e)
			if r.Significant(0.05) {
				b.sigEffects = append(b.sigEffects, e)
			}
			if r.Activity == "meetings_held" {
				meetings++
				if r.Significant(0.05) {
					meetingsSig++
				}
			}
		}
		// "Meeting counts do not matter" only when no estimate of them says otherwise.
		b.meetingsNS = meetings > 0 && meetingsSig == 0
	}
	if pr := b.d.Primary; pr != nil {
		// The declared hypotheses are the findings; exploratory results only point the way.
		b.sigEffects = nil
		for _, r := range pr.Results {
			e := EffectOf(r)
			b.primary = append(b.primary, e)
			if r.Significant(0.05) {
				b.sigEffects = append(b.sigEffects, e)
			}
		}
	}
	for i := range b.d.Spread {
		s := &b.d.Spread[i]
		if s.Kind == "awards" && s.HasAny && s.Chance.Concentrated() && (fmt.Sprint(s.Year) == b.d.Year || s.Year == 0) {
			if b.awardsConc == nil || s.Year != 0 {
				b.awardsConc = s
			}
		}
	}
}

// ---- 一、基本情况

func (b *annualBuilder) basics() Section {
	d, lang := b.d, b.lang
	f, pf := d.This, b.prior()
	sec := Section{ID: "basics", Title: b.t("基本情况", "Background")}
	sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("调研范围和期间", "Scope and period")})
	p := newProse(lang)
	scope := d.Scope.Company
	if scope == "" {
		scope = b.t("本单位", "the organisation")
	}
	p.s(fmt.Sprintf(b.t("本课题以%s各基层党小组为调研对象，调研期间为%s。", "This study covers the party groups of %s from %s. "),
		scope, periodText(d.Scope.From, d.Scope.To, lang)))
	if f.HasGrid {
		gref := b.ref(&d.This.Src.Grid)
		p.s(b.t("期内共有 ", "In the period, ")).n(countIn(lang, f.Units), gref).s(b.t(" 个单位的 ", " units had ")).n(countIn(lang, f.Groups), gref).
			s(b.t(" 个党小组开展组织生活", " party groups"))
		if d.Prior != nil && pf.HasGrid {
			p.yoy(float64(f.Groups), float64(pf.Groups), zhtext.KindCount, " 个", "groups", b.ref(&d.Prior.Src.Grid))
		}
		p.s(b.t("。", ". "))
		if f.HasActivity && !math.IsNaN(f.Meetings) {
			aref := b.ref(&d.This.Src.Activity)
			p.s(b.t("全年召开党小组会 ", "They held ")).n(num(lang, f.Meetings), aref).s(b.t(" 次", " group meetings in the year"))
			if d.Prior != nil && pf.HasActivity {
				p.yoy(f.Meetings, pf.Meetings, zhtext.KindCount, " 次", "meetings", b.ref(&d.Prior.Src.Activity))
			}
			p.s(b.t("。", ". "))
		}
	}
	sec.Blocks = append(sec.Blocks, p.para())

	sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("数据和口径", "Data")})
	data := b.t("数据取自各单位移交的组织生活记录、党小组考评、示范岗、培训、表彰，以及巡视、缺陷、安全事件等生产台账，导入同一数据仓库后按统一口径计算。班组的生产成效按当日有效的党小组与班组对应关系归集到党小组。各数据集逐月的记录情况见报告开头的“数据完整性”，无记录的月份不据此认定问题。报告中每个带下划线的数字都链接到产生它的查询，可用文末“数据来源”中的命令在同一数据仓库上复核。",
		"The data are the units' records of meetings, group assessments, model posts, training and awards, and the production records of patrols, defects and safety events, loaded into one warehouse and computed the same way. Team results reach a group through the group–team mapping in force on each date. Which months each dataset has records for is under “Data completeness” at the top; months without records are never read as a problem. Every underlined number links to the query behind it; the commands under “Data sources” re-run it on the same warehouse.")
	if d.Prior == nil {
		data += b.t("上一年度没有可比记录，报告不列同比。", " The year before has no comparable records, so no year-on-year figures are given.")
	} else {
		data += fmt.Sprintf(b.t("同比均与 %s 年同口径数据相比。", " Year-on-year figures compare with %s on the same basis."), pf.Year)
	}
	sec.Blocks = append(sec.Blocks, Paragraph{Spans: []Span{txt(data)}})

	sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("测算方法", "How things were measured")})
	g := grainOf(b.period(), lang)
	rule := b.rule()
	meetings := noMeetingRule(lang)
	if rule.Set() {
		slot := rule.slot(lang)
		meetings = fmt.Sprintf(b.t("组织生活按 mingdeng.yaml 的规定核对：%s，党小组存续的每个整%s召开次数达到要求的记为达标，否则记为未达标；所在单位该%s没有任何党小组会议记录的记为无记录，不计为未达标。",
			"Meetings are checked against the rule of mingdeng.yaml, %s: every full %s a group existed counts as met when it held as many, and as not met otherwise; a %s in which the group's unit has no group meeting records at all is one without records, not a rule missed."),
			rule.words(lang), slot, slot)
	}
	sec.Blocks = append(sec.Blocks, Paragraph{Spans: []Span{txt(meetings + fmt.Sprintf(b.t(
		"会议质量用可计量的替代指标衡量，即每次会议提出的批评意见、提出和解决的问题、结合中心工作的会议占比、只学习无议题的会议占比，对应“三多三少”问题。党小组工作与安全生产的关系，只比较同一党小组自身前后的变化（固定效应），并用%s的活动对应%s的成效，以排除“好班组本来就好”和“结果反过来影响活动”；同时检验多项关系时，p 值按多重比较校正。示范岗等举措的作用，把采取了该举措的班组与同期尚未采取的班组对照比较（双重差分）。",
		" Meeting quality is measured by proxies for the “three many, three few” failure: critique items and problems raised and resolved per meeting, and the shares of meetings linked to production work or only for study. Relations between group work and results compare each group only with itself over time (fixed effects), with %s's activity against %s's results, so that fixed differences between teams and results driving activity are ruled out; p-values are corrected for the many relations tested. Measures such as model posts are judged by comparing the production teams that took them with the teams that had not yet taken them over the same periods (difference in differences)."), g.This, g.Next))}})
	return sec
}

// ---- 二、存在的主要问题

func (b *annualBuilder) problems() Section {
	d, lang := b.d, b.lang
	f, pf := d.This, b.prior()
	sec := Section{ID: "problems", Title: b.t("存在的主要问题", "Main problems")}
	flaggedGroups := map[string]bool{}
	var flaggedUnits []string
	for _, x := range d.Flagged {
		if !flaggedGroups[x.Group] {
			flaggedGroups[x.Group] = true
			flaggedUnits = append(flaggedUnits, x.Unit)
		}
	}
	formalGroups := map[string]bool{}
	var formalUnits []string
	for _, x := range d.Formal {
		if x.Formal {
			formalGroups[x.Group] = true
			formalUnits = append(formalUnits, x.Unit)
		}
	}

	// (一) monthly meetings
	if len(d.Missed) > 0 {
		ref := b.ref(&d.MissedSrc)
		rule := b.rule()
		slot := rule.slot(lang)
		title := fmt.Sprintf(b.t("部分党小组未做到%s", "Some groups fall short of %s"), rule.words(lang))
		lead := fmt.Sprintf(b.t("按照%s的要求，全年有 ", "Against the rule of %s, "), rule.words(lang))
		sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: title})
		const missed = "缺会" // a meeting the rule asked for was not held
		miss := append([]GroupMiss(nil), d.Missed...)
		sort.SliceStable(miss, func(i, j int) bool { return miss[i].SlotsMissed > miss[j].SlotsMissed })
		var units, names []string
		for _, m := range miss {
			units = append(units, m.Unit)
			names = append(names, m.Group)
		}
		p := newProse(lang)
		p.s(lead).n(countIn(lang, len(miss)), ref).
			s(b.t(" 个党小组（占 ", " groups (")).n(zhtext.Percent(share(len(miss), f.Groups)), ref).s(fmt.Sprintf(b.t("）至少有一个%s未达到", " of all) missed it in at least one %s"), slot))
		if d.Prior != nil && pf.HasGrid {
			p.yoy(float64(len(miss)), float64(pf.MissedGroups), zhtext.KindCount, " 个", "groups", b.ref(&d.Prior.Src.Grid))
		}
		p.s(b.t("；合计"+missed+" ", "; ")).n(countIn(lang, f.MissedSlots), ref).s(fmt.Sprintf(b.t(" 个%s次", " group-%ss were missed in all"), slot))
		if d.Prior != nil && pf.HasGrid {
			p.yoy(float64(f.MissedSlots), float64(pf.MissedSlots), zhtext.KindCount, " 个"+slot+"次", "group-"+slot+"s", b.ref(&d.Prior.Src.Grid))
		}
		p.s(fmt.Sprintf(b.t("。逐%s计，达到要求的占 ", ". Group-%ss that met it: "), slot)).n(zhtext.Percent(f.Compliance), ref)
		if d.Prior != nil && pf.HasGrid {
			p.yoy(f.Compliance, pf.Compliance, zhtext.KindShare, "", "", b.ref(&d.Prior.Src.Grid))
		}
		p.s(b.t("。", ". "))
		if where := topUnits(units, lang, 3); where != "" {
			p.s(b.t(missed+"的党小组主要在", "Most are in ")).n(where, ref).s(b.t("；"+missed+"最多的是", "; those missing most: ")).n(joinNames(names, lang, 3), ref).s(b.t("。", ". "))
		}
		// What the data show about why: is missing meetings part of a generally weak group?
		if len(flaggedGroups) > 0 {
			in, out := 0, 0
			for _, m := range miss {
				if flaggedGroups[m.Group] {
					in++
				}
			}
			out = len(flaggedGroups) - in
			others := f.Groups - len(miss)
			if others > 0 {
				p.s(b.t("从考评结果看，"+missed+"的党小组中有 ", "In the assessments, ")).n(zhtext.Percent(share(in, len(miss))), b.ref(&d.FlaggedSrc)).
					s(b.t(" 在半年考评中为基本合格及以下，其他党小组为 ", " of the groups that missed it were rated basically qualified or below in a half, against ")).
					n(zhtext.Percent(share(out, others)), b.ref(&d.FlaggedSrc))
				if share(in, len(miss)) > share(out, others) {
					p.s(b.t("，"+missed+"往往与党小组工作整体松散相伴。", " of the other groups: missing meetings tends to go with weaker group work overall. "))
				} else {
					p.s(b.t("，"+missed+"并不集中在考评较差的党小组，更多与个别月份的工作安排有关。", " of the other groups: missing meetings is not concentrated in weakly rated groups. "))
				}
			}
		}
		sec.Blocks = append(sec.Blocks, p.para(), missChart(miss, rule, lang, ref))
	}

	if !f.HasGrid && !f.HasActivity && (d.grid != nil || len(d.Formal) > 0) {
		// The groups are on record but their meetings are not: no finding either way.
		sec.Blocks = append(sec.Blocks, Paragraph{Note: true, Spans: []Span{txt(b.t(
			"本期没有党小组会议记录（见“数据完整性”），是否按规定频次开会和会议质量均无法判断，本报告不据此认定问题。",
			"There are no group meeting records for the period (see “Data completeness”), so neither meeting as the rule requires nor meeting quality can be judged, and no problem is found from them."))}})
	}

	// (二) meeting quality
	if f.HasActivity {
		ref := b.ref(&d.FormalSrc)
		var pref string
		if d.Prior != nil && pf.HasActivity {
			pref = b.ref(&d.Prior.Src.Activity)
		}
		sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("会议质量不高，“三多三少”现象仍然存在", "Meeting quality: the “three many, three few” signs persist")})
		p := newProse(lang)
		p.s(b.t("各党小组平均每次会议提出批评意见 ", "On average over groups, a meeting raised ")).n(zhtext.Decimal(f.Critique), ref).s(b.t(" 条", " critique items"))
		if pref != "" {
			p.yoy(f.Critique, pf.Critique, zhtext.KindLevel, " 条", "", pref)
		}
		p.s(b.t("；只学习、无议题的会议占 ", "; study-only meetings were ")).n(zhtext.Percent(f.StudyOnly), ref)
		if pref != "" {
			p.yoy(f.StudyOnly, pf.StudyOnly, zhtext.KindShare, "", "", pref)
		}
		p.s(b.t("；结合中心工作的会议占 ", "; meetings linked to production work ")).n(zhtext.Percent(f.Linked), ref)
		if pref != "" {
			p.yoy(f.Linked, pf.Linked, zhtext.KindShare, "", "", pref)
		}
		p.s(b.t("；会上提出的问题解决了 ", "; problems raised were resolved at ")).n(zhtext.Percent(f.Resolution), ref)
		if pref != "" {
			p.yoy(f.Resolution, pf.Resolution, zhtext.KindShare, "", "", pref)
		}
		p.s(b.t("。", ". "))
		if f.FormalGroups > 0 {
			p.s(tx(b.lang, "其中 ", "")).n(countIn(lang, f.FormalGroups), ref).s(b.t(" 个党小组的会议明显流于形式（只学习、无议题的会议过半，或平均每次会议批评意见不足 0.2 条且问题解决不到一半）",
				" groups' meetings look formal (study-only meetings the majority, or under 0.2 critique items a meeting with under half the problems resolved)"))
			if pref != "" {
				p.yoy(float64(f.FormalGroups), float64(pf.FormalGroups), zhtext.KindCount, " 个", "groups", pref)
			}
			p.s(b.t("，主要在", "; most are in ")).n(topUnits(formalUnits, lang, 3), ref).s(b.t("。", ". "))
			both := 0
			for g := range formalGroups {
				if flaggedGroups[g] {
					both++
				}
			}
			if len(flaggedGroups) > 0 {
				p.s(b.t("这些党小组中有 ", "Of them, ")).n(countIn(lang, both), b.ref(&d.FlaggedSrc)).s(b.t(" 个在半年考评中为基本合格及以下。", " were rated basically qualified or below in a half. "))
			}
		} else {
			p.s(b.t("按上述标准，没有党小组的会议明显流于形式。", "By these measures no group's meetings look merely formal. "))
		}
		sec.Blocks = append(sec.Blocks, p.para())
	}

	// (三) assessment
	if len(d.Flagged) > 0 {
		ref := b.ref(&d.FlaggedSrc)
		sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("部分党小组考评不理想", "Some groups are rated poorly")})
		var names []string
		for g := range flaggedGroups {
			names = append(names, g)
		}
		sort.Strings(names)
		p := newProse(lang)
		p.s(b.t("全年半年考评中，", "In the half-yearly assessments, ")).n(countIn(lang, len(flaggedGroups)), ref).s(b.t(" 个党小组共 ", " groups were rated basically qualified or below ")).
			n(countIn(lang, f.Flagged), ref).s(b.t(" 次为基本合格及以下", " times"))
		if d.Prior != nil && pf.HasGrades {
			p.yoy(float64(f.Flagged), float64(pf.Flagged), zhtext.KindCount, " 次", "", b.ref(&d.Prior.Src.Grades))
		}
		p.s(b.t("，主要在", "; most are in ")).n(topUnits(flaggedUnits, lang, 3), ref).s(b.t("。", ". "))
		if f.Twice > 0 {
			p.s(tx(lang, "其中 ", "")).n(countIn(lang, f.TwiceHalves), ref).s(b.t(" 次是连续第二次为基本合格及以下，涉及 ", " of them were the second in a row, for ")).n(countIn(lang, f.Twice), ref).
				s(b.t(" 个党小组，按考评办法应研究调整这些党小组的党小组长。", " groups, where the rules say a new leader should be considered. "))
		} else {
			p.s(b.t("没有党小组连续两次为基本合格及以下。", "No group was rated so twice in a row. "))
		}
		sec.Blocks = append(sec.Blocks, p.para())
	}

	// (四) awards, only when concentrated beyond chance
	if s := b.awardsConc; s != nil {
		ref := b.ref(&d.SpreadSrc)
		sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("评先评优集中在少数人", "Awards go to the same few people")})
		if s.Year == 0 {
			// The year alone is as chance gives; say so before the years together.
			for i := range d.Spread {
				y := &d.Spread[i]
				if y.Kind == s.Kind && fmt.Sprint(y.Year) == d.Year && y.HasAny && !y.Chance.Concentrated() {
					sec.Blocks = append(sec.Blocks, b.spreadPara(y, ref))
					sec.Blocks = append(sec.Blocks, Paragraph{Spans: []Span{txt(b.t("但把各年合起来看，同一批人反复获奖：", "Over the years together, though, the same people win again and again:"))}})
				}
			}
		}
		sec.Blocks = append(sec.Blocks, b.spreadPara(s, ref))
	}
	if len(sec.Blocks) == 0 {
		sec.Blocks = append(sec.Blocks, missing(lang, b.t("组织生活和考评", "meeting and assessment")))
	}
	return sec
}

// spreadPara states how awards spread over members against random allocation: each figure is
// its own link, and the p-value is written and linked whole ("p = 0.001"), as everywhere else
// in the report.
func (b *annualBuilder) spreadPara(s *queries.AwardSpread, ref string) Paragraph {
	lang := b.lang
	what := b.t("表彰", "awards")
	if s.Kind == "model_posts" {
		what = b.t("示范岗", "model posts")
	}
	period := fmt.Sprintf(b.t("%d 年，", "In %d, "), s.Year)
	if s.Year == 0 {
		period = b.t("历年累计，", "Over all years, ")
	}
	unit := "次"
	if s.Kind == "model_posts" {
		unit = "个"
	}
	p := newProse(lang)
	p.s(period).n(countIn(lang, s.Members), ref)
	if lang == "en" {
		p.s(" members received ").n(countIn(lang, s.Total), ref).s(" "+what+": ").
			n(countIn(lang, s.Tally[0]), ref).s(" with none, ").n(countIn(lang, s.Tally[1]), ref).s(" with one, ").
			n(countIn(lang, s.Tally[2]), ref).s(" with two, ").n(countIn(lang, s.Tally[3]), ref).s(" with three or more. ")
	} else {
		p.s(" 名党员共获得"+what+" ").n(countIn(lang, s.Total), ref).s(" "+unit+"：未获得的 ").
			n(countIn(lang, s.Tally[0]), ref).s(" 人，获得一"+unit+"的 ").n(countIn(lang, s.Tally[1]), ref).
			s(" 人，两"+unit+"的 ").n(countIn(lang, s.Tally[2]), ref).s(" 人，三"+unit+"及以上的 ").n(countIn(lang, s.Tally[3]), ref).s(" 人。")
	}
	c := s.Chance
	pv := "p " + FormatP(c.P)
	p.s(b.t("基尼系数为 ", "The Gini coefficient is ")).n(zhtext.Decimal(c.Observed), ref).s(b.t("，而把同样数量的奖项随机分给同样这些人，基尼系数平均为 ", "; handing the same number at random to the same people gives ")).
		n(zhtext.Decimal(c.Expected), ref)
	if c.Concentrated() {
		p.s(b.t("，实际高出 ", " on average, and the actual value is ")).n(zhtext.DecimalDiff(c.Observed, c.Expected), ref).
			s(b.t("（随机分配达到这一集中程度的概率 ", " higher (the chance that random allocation concentrates them as much: ")).n(pv, ref).
			s(b.t("），确实集中在少数人身上。", "): the awards do go to the same few people. "))
	} else {
		p.s(b.t("（", " on average (")).n(pv, ref)
		if c.Observed >= 0.5 {
			p.s(b.t("）：基尼系数高是因为奖项少、多数人本来就没有，并不说明集中在少数人身上。", "): the Gini is high because awards are rare, not because they go to the same people. "))
		} else {
			p.s(b.t("）：与随机分配相当，并不集中在少数人身上。", "): as chance gives; awards do not go to the same few people. "))
		}
	}
	return p.para()
}

// ---- 三、主要做法

func (b *annualBuilder) measures() Section {
	d, lang := b.d, b.lang
	sec := Section{ID: "practices", Title: b.t("主要做法", "What was done")}
	m, pm := d.Measures, d.PriorMeasures
	if m == nil {
		sec.Blocks = append(sec.Blocks, missing(lang, b.t("工作举措", "measures")))
		return sec
	}
	ref := b.ref(&m.Src)
	var pref string
	if pm != nil {
		pref = b.ref(&pm.Src)
	}
	prior := func(kind string, groups bool) float64 {
		if pm == nil {
			return math.NaN()
		}
		x, ok := pm.Get(kind)
		if !ok {
			return math.NaN()
		}
		if groups {
			return float64(x.Groups)
		}
		return float64(x.N)
	}

	// (一) organisation
	formed, _ := m.Get("group_formed")
	dissolved, _ := m.Get("group_dissolved")
	remapped, _ := m.Get("group_remapped")
	liaison, hasLiaison := m.Get("liaison")
	sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("调整组织设置，落实支委联系", "Organisation and liaison")})
	p := newProse(lang)
	if formed.N+dissolved.N+remapped.N == 0 {
		p.s(b.t("全年没有新组建、撤销或调整班组对应的党小组记录。", "No group was formed, dissolved or re-mapped to teams in the year. "))
	} else {
		p.s(b.t("根据生产组织的变化调整党小组设置：全年新组建党小组 ", "Groups followed changes in production: ")).n(countIn(lang, formed.N), ref).s(b.t(" 个", " groups were formed"))
		if r := dayRange(formed, lang); r != "" && formed.N > 0 {
			p.s(b.t("（组建于", " (formed ")).s(r).s(b.t("）", ")"))
		}
		p.s(b.t("，撤销 ", ", ")).n(countIn(lang, dissolved.N), ref).s(b.t(" 个", " dissolved"))
		if remapped.Groups > 0 {
			p.s(b.t("，", ", and ")).n(countIn(lang, remapped.Groups), ref).s(b.t(" 个党小组调整了对应的班组", " existing groups re-mapped to teams"))
		}
		p.s(b.t("。", ". "))
	}
	if hasLiaison && liaison.OfGroups > 0 {
		p.s(b.t("在期内存续的 ", "Of the ")).n(countIn(lang, liaison.OfGroups), ref).s(b.t(" 个党小组中，", " groups in the period, ")).n(countIn(lang, liaison.N), ref).
			s(b.t(" 个（", " (")).n(zhtext.Percent(share(liaison.N, liaison.OfGroups)), ref).s(b.t("）明确了联系指导的支委", ") have a branch committee member assigned as liaison"))
		if pref != "" {
			if pl, ok := pm.Get("liaison"); ok && pl.OfGroups > 0 {
				p.yoy(share(liaison.N, liaison.OfGroups), share(pl.N, pl.OfGroups), zhtext.KindShare, "", "", pref)
			}
		}
		p.s(b.t("。", ". "))
	}
	sec.Blocks = append(sec.Blocks, p.para())

	// (二) model posts and demonstration days
	posts := m.Each("model_post_awarded")
	inForce, _ := m.Get("model_post_in_force")
	revoked, _ := m.Get("model_post_revoked")
	demo, hasDemo := m.Get("demo_day")
	sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("开展示范岗创建和示范日活动", "Model posts and demonstration days")})
	p = newProse(lang)
	total, teams := 0, 0
	for _, x := range posts {
		total += x.N
		teams += x.Teams
	}
	if total > 0 {
		p.s(b.t("全年新设示范岗、责任区等 ", "In the year ")).n(countIn(lang, total), ref).s(b.t(" 个", " model posts, responsibility areas and similar were set up"))
		var prevTotal float64 = math.NaN()
		if pm != nil {
			prevTotal = 0
			for _, x := range pm.Each("model_post_awarded") {
				prevTotal += float64(x.N)
			}
		}
		p.yoy(float64(total), prevTotal, zhtext.KindCount, " 个", "", pref)
		var kinds []string
		for i, x := range posts {
			if i == 3 {
				break
			}
			kinds = append(kinds, enumLabel("model_posts", "kind", x.Detail, lang)+fmt.Sprintf(b.t(" %d 个", " %d"), x.N))
		}
		p.s(b.t("，其中", ", of which ")).n(strings.Join(kinds, b.t("、", ", ")), ref).s(b.t("；", "; "))
		p.s(tx(b.lang, "撤销 ", "")).n(countIn(lang, revoked.N), ref).s(b.t(" 个；年末在岗 ", " were revoked; at the year's end ")).n(countIn(lang, inForce.N), ref).s(b.t(" 个", " were in force"))
		p.yoy(float64(inForce.N), prior("model_post_in_force", false), zhtext.KindCount, " 个", "", pref)
		p.s(b.t("，覆盖 ", ", in ")).n(countIn(lang, inForce.Teams), ref).s(b.t(" 个班组。", " teams. "))
	} else {
		p.s(b.t("全年没有新设示范岗的记录。", "No model post was set up in the year. "))
	}
	if hasDemo {
		p.s(b.t("示范日活动全年开展 ", "Demonstration days were held ")).n(countIn(lang, demo.N), ref).s(b.t(" 次", " times"))
		// Demonstration days are meetings: a year before the meeting records begin has none on
		// record, not none held.
		if pf := d.Prior; pf != nil && (pf.HasGrid || pf.HasActivity) {
			p.yoy(float64(demo.N), prior("demo_day", false), zhtext.KindCount, " 次", "", pref)
		}
		p.s(b.t("，", ", by ")).n(countIn(lang, demo.Groups), ref).s(b.t(" 个党小组（占 ", " groups (")).n(zhtext.Percent(share(demo.Groups, demo.OfGroups)), ref).s(b.t("）至少开展过一次。", ") at least once. "))
	}
	sec.Blocks = append(sec.Blocks, p.para())
	for i := range d.Spread {
		s := &d.Spread[i]
		if s.Kind == "model_posts" && fmt.Sprint(s.Year) == d.Year && s.HasAny {
			sec.Blocks = append(sec.Blocks, b.spreadPara(s, b.ref(&d.SpreadSrc)))
		}
	}
	if iv := d.Intervention; iv != nil {
		sec.Blocks = append(sec.Blocks, interventionBlocks(iv, b.d.Scope.Period, lang, b.ref(&iv.Src))...)
	}

	// (三) leader training
	if tr, ok := m.Get("leader_trained"); ok {
		sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("加强党小组长培训", "Training group leaders")})
		p = newProse(lang)
		if tr.N == 0 {
			p.s(b.t("全年没有党小组长参加培训的记录，", "No group leader training is on record for the year, ")).
				s(b.t("与每年至少培训一次的要求有差距。", "short of the rule of at least once a year. "))
		} else {
			p.s(b.t("在有党小组长的 ", "Of the ")).n(countIn(lang, tr.OfGroups), ref).s(b.t(" 个党小组中，", " groups with a leader, ")).n(countIn(lang, tr.Groups), ref).
				s(b.t(" 个（", " (")).n(zhtext.Percent(share(tr.Groups, tr.OfGroups)), ref).s(b.t("）的党小组长全年参加了培训", ") had their leader trained in the year"))
			if pm != nil {
				// A year without one training on record is no records, as this year's is above.
				if pt, ok := pm.Get("leader_trained"); ok && pt.OfGroups > 0 && pt.N > 0 {
					p.yoy(share(tr.Groups, tr.OfGroups), share(pt.Groups, pt.OfGroups), zhtext.KindShare, "", "", pref)
				}
			}
			p.s(b.t("，培训时间为", "; training ran ")).s(dayRange(tr, lang)).s(b.t("。", ". "))
			if tr.Groups < tr.OfGroups {
				p.s(tx(b.lang, "尚有 ", "")).n(countIn(lang, tr.OfGroups-tr.Groups), ref).s(b.t(" 个党小组的党小组长全年未参加培训。", " groups' leaders had no training in the year. "))
			}
		}
		sec.Blocks = append(sec.Blocks, p.para())
	}

	// (四) the assessment rules in force
	sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("执行党小组工作考评办法", "The assessment rules")})
	g := d.Grades
	if g.Excellent == 0 {
		g = queries.DefaultConfig().Assessment.Grades
	}
	def := queries.DefaultConfig().Assessment.Grades
	gref := b.ref(&d.FlaggedSrc)
	p = newProse(lang)
	p.s(b.t("每半年对各党小组考评一次，按总分分为四档：优秀 ", "Every half year each group is scored and graded: excellent ")).n(zhtext.Decimal(g.Excellent), gref).
		s(b.t(" 分及以上，合格 ", " and above, qualified ")).n(zhtext.Decimal(g.Qualified), gref).s(b.t(" 分及以上，基本合格 ", " and above, basically qualified ")).n(zhtext.Decimal(g.Basic), gref).
		s(b.t(" 分及以上，其余为不合格。", " and above, the rest unqualified. "))
	if g == def {
		p.s(b.t("等次标准与默认考评办法相同（mingdeng.yaml 未作调整）。", "The thresholds are the defaults (mingdeng.yaml does not change them). "))
	} else {
		p.s(fmt.Sprintf(b.t("mingdeng.yaml 调整了默认标准（默认为优秀 %s 分、合格 %s 分、基本合格 %s 分），本报告的等次均按调整后的标准计算。",
			"mingdeng.yaml changes the default thresholds (excellent %s, qualified %s, basically qualified %s); every grade in this report uses the changed ones. "),
			zhtext.Decimal(def.Excellent), zhtext.Decimal(def.Qualified), zhtext.Decimal(def.Basic)))
	}
	p.s(b.t("基本合格及以下的党小组由党支部帮助查找原因、限期整改；连续两次基本合格及以下的，考虑调整党小组长。", "Groups at basically qualified or below get help and a deadline; twice in a row, a new leader is considered. "))
	sec.Blocks = append(sec.Blocks, p.para())
	if len(d.Advanced) > 0 {
		names := make([]string, len(d.Advanced))
		for i, a := range d.Advanced {
			names[i] = advancedName(a, b.t("两次考评平均 %s 分", "mean of both assessments %s"), lang)
		}
		p = newProse(lang)
		p.s(b.t("两次考评均完整、均在合格以上、平均分在本范围内最高的党小组评为年度先进党小组，共 ", "The groups with both assessments complete and qualified or better and the highest mean in their scope are the year's advanced groups: ")).
			n(countIn(lang, len(d.Advanced)), gref).s(b.t(" 个：", ": ")).n(joinNames(names, lang, 10), gref).s(b.t("。", ". "))
		sec.Blocks = append(sec.Blocks, p.para())
	}
	return sec
}

// ---- 四、初步成效

func (b *annualBuilder) results() Section {
	d, lang := b.d, b.lang
	f, pf := d.This, b.prior()
	sec := Section{ID: "results", Title: b.t("初步成效", "Early results")}
	if d.Primary != nil {
		sec.Blocks = append(sec.Blocks, b.primaryBlocks()...)
		sec.Blocks = append(sec.Blocks, b.exploratorySummary()...)
	} else if es := d.Effects; es != nil && len(b.effects) > 0 {
		sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("党小组工作与安全生产的关系", "Group work and production results")})
		ref := b.ref(&es.Src)
		intro := newProse(lang)
		intro.s(b.t("课题组检验了 ", "We tested ")).n(countIn(lang, len(b.effects)), ref).
			s(b.t(" 项党小组活动与下一期安全生产成效的关系，比较的是同一党小组自身前后的变化，p 值已按多重比较校正。", " relations between group activity and the next period's results, each group compared with itself over time, with p-values corrected for multiple comparisons. "))
		if len(b.sigEffects) == 0 {
			intro.s(b.t("校正后没有一项关系在统计上可以确认。", "After correction none of them can be confirmed. "))
		} else {
			intro.s(b.t("校正后可以确认的有 ", "After correction ")).n(countIn(lang, len(b.sigEffects)), ref).s(b.t(" 项：", " can be confirmed: "))
			for i, e := range b.sigEffects {
				if i > 0 {
					intro.s(b.t("；", "; "))
				}
				if len(b.sigEffects) > 1 {
					intro.s(b.ordinal(i+1) + b.t("是", ") "))
				}
				intro.n(e.Sentence(lang), ref)
			}
			intro.s(b.t("。", ". "))
		}
		sec.Blocks = append(sec.Blocks, intro.para())
		var ns []string
		for _, e := range b.effects {
			if !e.R.Significant(0.05) {
				ns = append(ns, queries.MetricLabel(e.R.Activity, lang)+b.t("与", " and ")+queries.MetricLabel(e.R.Outcome, lang))
			}
		}
		if len(ns) > 0 {
			p := newProse(lang)
			p.s(b.t("其余 ", "The other ")).n(countIn(lang, len(ns)), ref).s(b.t(" 项关系（如", " relations (such as ")).s(strings.Join(ns[:min(3, len(ns))], b.t("、", "; "))).
				s(b.t("）的置信区间包含 0，数据不足以说明它们有影响或没有影响，各项估计见附录一。", ") have intervals that include 0: the data can neither show an effect nor rule one out; the estimates are in Appendix 1. "))
			sec.Blocks = append(sec.Blocks, p.para())
		}
		sec.Blocks = append(sec.Blocks, Paragraph{Note: true, Spans: []Span{txt(b.t(
			"能得出的结论：上述关系排除了党小组之间固有差异的影响，且活动在前、成效在后。不能得出的结论：同期的其他变化（如人员调整、设备更新）仍可能同时影响两者；估计值是各党小组的平均关系，不等于每个党小组都会如此。",
			"What can be concluded: these relations exclude fixed differences between groups, and the activity comes before the result. What cannot: other changes at the same time (staff, equipment) may still drive both, and an average relation does not hold for every group."))}})
		sec.Blocks = append(sec.Blocks, forestCharts("annual-effects", b.t("党小组活动与下一期成效（固定效应估计与 95% 置信区间）", "Group activity and next period's results (fixed effects, 95% CIs)"),
			b.t("横线不跨过虚线（0）表示该关系在 5% 水平上不为零。", "A bar that does not cross the dashed line (0) differs from zero at the 5% level. ")+stepNote(lang), es, lang)...)
	} else {
		sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("党小组工作与安全生产的关系", "Group work and production results")})
		sec.Blocks = append(sec.Blocks, missing(lang, b.t("分析", "analysis")))
	}
	if f.HasOutcomes {
		ref := b.ref(&d.This.Src.Outcomes)
		var pref string
		if d.Prior != nil && pf.HasOutcomes {
			pref = b.ref(&d.Prior.Src.Outcomes)
		}
		sec.Blocks = append(sec.Blocks, Heading{Level: 2, Title: b.t("安全生产指标的变化", "Production results")})
		p := newProse(lang)
		p.s(b.t("全年各党小组平均百人违章数为 ", "Over the year, groups averaged ")).n(zhtext.Decimal(f.Violations), ref).s(b.t(" 起", " violations per 100 staff"))
		p.yoy(f.Violations, pf.Violations, zhtext.KindLevel, " 起", "", pref)
		p.s(b.t("；百公里发现缺陷 ", "; defects found per 100 km: ")).n(zhtext.Decimal(f.Defects), ref).s(tx(b.lang, " 个", ""))
		p.yoy(f.Defects, pf.Defects, zhtext.KindLevel, " 个", "", pref)
		p.s(b.t("；缺陷及时消除率为 ", "; defects eliminated in time: ")).n(zhtext.Percent(f.Timely), ref)
		p.yoy(f.Timely, pf.Timely, zhtext.KindShare, "", "", pref)
		p.s(b.t("。这些是全部党小组的总体变化，受季节、设备和任务量等多种因素影响，不能单独归因于党小组工作。", ". These are changes over all groups, shaped by season, equipment and workload, and cannot be put down to group work alone. "))
		sec.Blocks = append(sec.Blocks, p.para())
	}
	return sec
}

// primaryBlocks reads the declared hypotheses in plain words: each one's verdict, its effect
// per a meaningful step, and for those not supported the smallest effect the data could have
// found; then what can and cannot be concluded, and their forest plots.
func (b *annualBuilder) primaryBlocks() []Block {
	d, lang := b.d, b.lang
	pr := d.Primary
	ref := b.ref(&pr.Src)
	out := []Block{Heading{Level: 2, Title: b.t("预先设定的假设的检验结果", "The hypotheses set in advance")}}
	tests := hypothesisTests(d.Hypotheses)
	if none, reason := noneEstimable(pr.Results, tests, lang); none {
		// Too few periods for any within-group estimate (a first year, say).
		span := fmt.Sprintf(b.t("截至%s", "up to %s"), longDate(d.Scope.To, lang))
		out = append(out, newProse(lang).noneEstimableSentence(d.Hypotheses, len(pr.Results), span, reason, ref).para())
		if n := lateListNote(d.Hypotheses, lang); n != nil {
			out = append(out, *n)
		}
		return out
	}
	intro := newProse(lang)
	intro.s(b.t("本报告的主要结论来自 mingdeng.yaml 中", "The report's main findings test ")).declared(d.Hypotheses, len(pr.Results), ref)
	intro.s(fmt.Sprintf(b.t("：使用截至%s的全部记录，比较的是同一党小组自身前后的变化，以%s为一期，用本期的活动对应下一期的成效，p 值只在这几项假设之间校正。",
		" in mingdeng.yaml, on all records up to %s: each group is compared with itself over time, with %ss as periods, this period's activity against the next period's results, and p-values corrected among these hypotheses only. "),
		longDate(d.Scope.To, lang), periodLabel(b.period(), lang)))
	out = append(out, intro.para())
	if n := lateListNote(d.Hypotheses, lang); n != nil {
		out = append(out, *n)
	}
	for i, e := range b.primary {
		p := newProse(lang)
		p.s(fmt.Sprintf(b.t("%s是", "%s. "), b.ordinal(i+1))).hypothesisVerdict(e, tests, ref)
		out = append(out, p.para())
	}
	out = append(out, Paragraph{Note: true, Spans: []Span{txt(b.t(
		"能得出的结论：得到支持的关系排除了党小组之间固有差异的影响，且活动在前、成效在后。不能得出的结论：同期的其他变化（如人员调整、设备更新）仍可能同时影响两者；估计值是各党小组的平均关系，不等于每个党小组都会如此；未得到支持不等于没有作用。",
		"What can be concluded: a supported relation excludes fixed differences between groups, and the activity comes before the result. What cannot: other changes at the same time (staff, equipment) may still drive both; an average relation does not hold for every group; not supported does not mean no effect."))}})
	out = append(out, forestCharts("annual-primary", b.t("预先设定的假设（固定效应估计与 95% 置信区间）", "Hypotheses set in advance (fixed effects, 95% CIs)"),
		b.t("横线不跨过虚线（0）表示该关系在 5% 水平上不为零。", "A bar that does not cross the dashed line (0) differs from zero at the 5% level. ")+stepNote(lang), pr, lang)...)
	return out
}

// exploratorySummary says in one paragraph what the exploratory estimates are for; the
// estimates themselves are the appendix table.
func (b *annualBuilder) exploratorySummary() []Block {
	lang := b.lang
	es := b.d.Effects
	if es == nil || len(b.effects) == 0 {
		return nil
	}
	ref := b.ref(&es.Src)
	sig := 0
	for _, e := range b.effects {
		if e.R.Significant(0.05) {
			sig++
		}
	}
	p := newProse(b.lang)
	p.s(b.t("此外还探索性地检验了 ", "A further ")).n(countIn(lang, len(b.effects)), ref)
	if sig == 0 {
		p.s(b.t(" 项关系，校正后均不显著", " relations were explored, none significant after correction"))
	} else {
		p.s(b.t(" 项关系，校正后显著的 ", " relations were explored; ")).n(countIn(lang, sig), ref).s(b.t(" 项", " significant after correction"))
	}
	p.s(b.t("。探索性结果是在看过数据后挑选的，只提示下一步值得预先设定并检验的方向，不作为本报告的结论，各项估计见附录一。",
		". Exploratory results are picked after seeing the data: they suggest what to declare and test next, they are not findings of this report; Appendix 1 lists them. "))
	return []Block{Heading{Level: 2, Title: b.t("探索性分析", "Exploratory analysis")}, p.para()}
}

// ---- 五、下一步建议

func (b *annualBuilder) recommendations() Section {
	d, lang := b.d, b.lang
	sec := Section{ID: "next", Title: b.t("下一步建议", "Recommendations")}
	var paras []*prose
	add := func() *prose {
		p := newProse(lang)
		p.s(fmt.Sprintf(b.t("%s是", "%s. "), b.ordinal(len(paras)+1)))
		paras = append(paras, p)
		return p
	}
	if len(d.Missed) > 0 {
		p := add()
		r := b.rule()
		lead := fmt.Sprintf(b.t("落实%s的制度。对全年缺会的 ", "Keep to the rule of %s: set deadlines for the "), r.words(lang))
		p.s(lead).n(countIn(lang, len(d.Missed)), b.ref(&d.MissedSrc)).
			s(b.t(" 个党小组限期整改，由联系支委督促落实，在下次考评中复查。", " groups that missed it in some "+r.slot(lang)+"s, followed up by their liaison and checked at the next assessment. "))
		if b.meetingsNS {
			p.s(b.t("同时，同一党小组自身前后比较（固定效应）未显示会议次数本身与下一期成效有关，整改的重点应放在会议内容上，不宜把开会次数作为主要考核指标。", "At the same time comparing each group with itself over time (fixed effects) shows no relation between the number of meetings and the next period's results, so the point is what meetings do, and the count should not become a main measure. "))
		}
	}
	var quality []Effect
	for _, e := range b.sigEffects {
		if e.R.Activity != "meetings_held" && e.R.Activity != "monthly_compliance" {
			quality = append(quality, e)
		}
	}
	if d.This.FormalGroups > 0 || len(quality) > 0 {
		p := add()
		p.s(b.t("提高组织生活质量。", "Improve meeting quality. "))
		if len(quality) > 0 {
			var names []string
			seen := map[string]bool{}
			for _, e := range quality {
				if !seen[e.R.Activity] {
					seen[e.R.Activity] = true
					names = append(names, queries.MetricLabel(e.R.Activity, lang))
				}
			}
			p.s(b.t("数据显示", "The data relate ")).s(strings.Join(names, b.t("、", ", "))).
				s(b.t("与下一期成效有关（见第四部分），可把", " to the next period's results (Part 4): make ")).s(map[bool]string{true: b.t("这一指标", "it"), false: b.t("这些指标", "them")}[len(names) == 1]).
				s(b.t("作为党小组考评的重点，并继续检验。", " the core of the assessment and keep testing. "))
		} else {
			p.s(b.t("目前数据尚未确认哪项会议质量指标与成效有关，建议对会议流于形式的党小组重点指导，按现有口径继续记录，下一年度复核。", "The data have not yet confirmed which quality measure relates to results: guide the groups whose meetings look formal, keep recording on the same basis and check again next year. "))
		}
	}
	if d.This.Twice > 0 {
		p := add()
		p.s(b.t("加强党小组长队伍建设。对连续两次基本合格及以下的 ", "Strengthen group leaders: for the ")).n(countIn(lang, d.This.Twice), b.ref(&d.FlaggedSrc)).
			s(b.t(" 个党小组，研究调整党小组长，并把党小组长培训覆盖到每个党小组。", " groups rated basically qualified or below twice in a row, consider a new leader, and train every group's leader. "))
	} else if tr, ok := d.Measures.Get("leader_trained"); ok && tr.Groups < tr.OfGroups {
		p := add()
		p.s(b.t("把党小组长培训覆盖到每个党小组，对尚未参加培训的 ", "Train every group's leader: ")).n(countIn(lang, tr.OfGroups-tr.Groups), b.ref(&d.Measures.Src)).s(b.t(" 个党小组长安排培训。", " leaders have not been trained. "))
	}
	if s := b.awardsConc; s != nil {
		p := add()
		when := fmt.Sprintf(b.t("%d 年", "in %d"), s.Year)
		if s.Year == 0 {
			when = b.t("历年累计", "over all years")
		}
		p.s(fmt.Sprintf(b.t("改进评先评优办法。%s表彰集中在少数人的程度高于随机分配（见第二部分），建议按长期表现评选，扩大覆盖面。", "Change how awards are chosen: %s they concentrate beyond chance (Part 2); choose on sustained records and spread recognition. "), when))
	}
	p := add()
	p.s(b.t("坚持用数据检验工作成效。评价示范岗等举措时与同期尚未采取该举措的班组对照比较，完整记录组织生活和生产台账，使每项结论可追溯、可复核。", "Keep testing the work with data: judge measures such as model posts against the teams that had not yet taken them over the same periods, and keep complete records so every conclusion can be traced and checked. "))
	for _, p := range paras {
		sec.Blocks = append(sec.Blocks, p.para())
	}
	return sec
}

// period is the analysis period (半年 unless the request chose another).
func (b *annualBuilder) period() string {
	if b.d.Scope.Period != "" {
		return b.d.Scope.Period
	}
	return "half"
}

func (b *annualBuilder) ordinal(i int) string {
	if b.lang == "en" {
		return fmt.Sprint(i)
	}
	return ChineseNumeral(i)
}

// ---- 六、结语

func (b *annualBuilder) closing() Section {
	d := b.d
	sec := Section{ID: "closing", Title: b.t("结语", "Closing")}
	// The relations rest on every record up to the year's end (see 四), not on the year's alone.
	records := b.t("本年度的记录", "This year's records")
	if !d.Scope.To.IsZero() {
		records = fmt.Sprintf(b.t("截至%s的记录", "The records up to %s"), longDate(d.Scope.To, b.lang))
	}
	var s string
	if len(b.sigEffects) > 0 {
		s = records + b.t("表明，党小组工作中有可以确认与安全生产成效相关的部分，也有尚待检验的部分。", " show parts of group work that relate to results, and parts still to be tested. ")
	} else {
		s = records + b.t("尚不足以确认党小组工作与安全生产成效之间的关系，这并不说明工作没有作用，而是需要更长时间、更完整的记录来检验。", " cannot yet confirm a relation between group work and results; that is not evidence of no effect, but a reason to keep longer and fuller records. ")
	}
	s += b.t("课题组将继续按统一口径记录和分析，把结论建立在可复核的数据上，并恳请上级领导和兄弟单位批评指正。", "We will keep recording and analysing on the same basis, so that conclusions rest on data anyone can check.")
	sec.Blocks = append(sec.Blocks, Paragraph{Spans: []Span{txt(s)}})
	return sec
}

// ---- 附录

func (b *annualBuilder) appendices() []Section {
	d, lang := b.d, b.lang
	var out []Section
	if es := d.Effects; es != nil && len(b.effects) > 0 {
		tb := &queries.Table{Columns: []queries.Column{col(b.t("关系", "relation"), queries.Text), col(b.t("活动变化", "activity change"), queries.Text),
			col(b.t("成效变化", "change in result"), queries.Float), col(b.t("单位", "unit"), queries.Text), col(b.t("95% 下限", "CI low"), queries.Float),
			col(b.t("95% 上限", "CI high"), queries.Float), col(b.t("校正后 p", "adjusted p"), queries.Float), col("n", queries.Integer), col(b.t("结论", "reading"), queries.Text)}}
		for _, e := range b.effects {
			reading := b.t("证据不足", "not enough evidence")
			if e.R.Significant(0.05) {
				reading = b.t("校正后显著", "significant after correction")
			}
			step := e.Act.Per.In(lang)
			if e.Act.Kind == queries.UnitBinary {
				step = b.t("有与无", "with against without")
			}
			tb.Rows = append(tb.Rows, []any{EstimateLabel(e.R, lang), step, nanToNil(e.Estimate), e.OutUnit(lang), nanToNil(e.Low), nanToNil(e.High), nanToNil(e.R.PAdj), int64(e.R.N), reading})
		}
		out = append(out, Section{ID: "appendix-estimates", Plain: true, Title: b.t("附录一 各项关系的估计值", "Appendix 1. Every estimate"), Blocks: []Block{
			Paragraph{Spans: []Span{txt(b.t("下表列出探索性检验的全部关系，估计值的计法与第四部分的图相同。", "Every relation tested in Part 4 (exploratory), per the same steps as its charts."))}},
			&TableBlock{ID: "annual-estimates", Caption: b.t("党小组活动与下一期成效：固定效应估计", "Group activity and next period's results: fixed-effect estimates"), Table: tb, Ref: b.ref(&es.Src)}}})
	}
	if len(d.Spread) > 0 {
		tb := spreadTable(d.Spread, lang)
		out = append(out, Section{ID: "appendix-awards", Plain: true, Title: b.t("附录二 表彰与示范岗在党员中的分布", "Appendix 2. How awards and model posts spread"), Blocks: []Block{
			Paragraph{Spans: []Span{txt(b.t("基尼系数衡量集中程度，人人相同时为零。奖项少时，多数人本来就没有，基尼系数自然很高，所以与“同样数量的奖项随机分给同样这些人”的基尼系数比较，p 小于 0.05 才判断为集中于少数人。",
				"The Gini coefficient measures concentration (0: everyone the same). When awards are rare most people have none and the Gini is high anyway, so it is compared with handing the same number at random to the same people; only p below 0.05 counts as concentrated."))}},
			&TableBlock{ID: "annual-award-spread", Caption: b.t("获得表彰和示范岗的次数分布（人）", "Members by number of awards and model posts"), Table: tb, Ref: b.ref(&d.SpreadSrc)}}})
	}
	m := methodsSection(lang)
	m.Plain = true
	m.Title = fmt.Sprintf(b.t("附录%s 方法与注意事项", "Appendix %s. Methods and caveats"), b.appendixNo(len(out)+1))
	out = append(out, m)
	return out
}

func (b *annualBuilder) appendixNo(i int) string {
	if b.lang == "en" {
		return fmt.Sprint(i)
	}
	return ChineseNumeral(i)
}

// spreadTable is how many members got 0, 1, 2 and 3 or more awards and model posts, per year
// and over all years, with the Gini set against random allocation.
func spreadTable(spread []queries.AwardSpread, lang Lang) *queries.Table {
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "类别", "kind"), queries.Text), col(t(lang, "年度", "year"), queries.Text), col(t(lang, "党员数", "members"), queries.Integer),
		col(t(lang, "获得 0 次", "none"), queries.Integer), col(t(lang, "1 次", "one"), queries.Integer), col(t(lang, "2 次", "two"), queries.Integer), col(t(lang, "3 次及以上", "three or more"), queries.Integer),
		col(t(lang, "基尼系数", "Gini"), queries.Float), col(t(lang, "随机分配的基尼系数", "Gini by chance"), queries.Float), col(t(lang, "高出随机", "above chance"), queries.Float),
		col("p", queries.Float), col(t(lang, "判断", "reading"), queries.Text)}}
	for _, s := range spread {
		kind := t(lang, "表彰", "awards")
		if s.Kind == "model_posts" {
			kind = t(lang, "示范岗", "model posts")
		}
		year := fmt.Sprint(s.Year)
		if s.Year == 0 {
			year = t(lang, "历年累计", "all years")
		}
		row := []any{kind, year, int64(s.Members), int64(s.Tally[0]), int64(s.Tally[1]), int64(s.Tally[2]), int64(s.Tally[3])}
		if s.HasAny {
			reading := t(lang, "与随机分配相当", "as chance gives")
			if s.Chance.Concentrated() {
				reading = t(lang, "集中于少数人", "concentrated")
			}
			row = append(row, s.Chance.Observed, s.Chance.Expected, shownDiff(s.Chance.Observed, s.Chance.Expected), s.Chance.P, reading)
		} else {
			// No record of this kind in the year: how many got none is not known (a year not
			// loaded looks the same), so the tallies are 无记录 too, not 0.
			row = append(row[:3], nil, nil, nil, nil, nil, nil, nil, nil, t(lang, "无记录", "no records"))
		}
		tb.Rows = append(tb.Rows, row)
	}
	return tb
}

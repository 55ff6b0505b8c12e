package reports

import (
	"fmt"

	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// The evaluation's first section, 主要结论: who and which period the report covers, then three
// to five findings of the latest year, each with its 同比 and the span of every figure in its
// words (全年, 半年, 月均).

func conclusionsSection(d *EvaluationData, lang Lang, src *sourcer) Section {
	sec := Section{ID: "conclusions", Title: t(lang, "主要结论", "Main findings")}
	f := d.Year
	open := newProse(lang)
	who := d.Scope.Company
	if who == "" {
		who = t(lang, "本单位", "the organisation")
	}
	open.s(fmt.Sprintf(t(lang, "本报告评估%s党小组工作的成效", "This report evaluates the party groups of %s"), who))
	if g := d.Compliance; g != nil && len(g.Cols) > 0 {
		open.s(fmt.Sprintf(t(lang, "，数据期间为%s至%s", ", with records from %s to %s"), slotText(g.Cols[0], lang), slotText(g.Cols[len(g.Cols)-1], lang)))
	}
	if f != nil {
		open.s(fmt.Sprintf(t(lang, "；以下结论为 %s 年全年的情况", "; the findings below are for the full year %s"), f.Year))
		if d.PriorYear != nil {
			open.s(fmt.Sprintf(t(lang, "，同比与 %s 年相比", ", compared with %s"), d.PriorYear.Year))
		}
	}
	open.s(t(lang, "。", "."))
	sec.Blocks = append(sec.Blocks, open.para())
	if f == nil {
		sec.Blocks = append(sec.Blocks, missing(lang, t(lang, "本年度", "this year's")))
		return sec
	}
	var pf YearFigures
	has := d.PriorYear != nil
	if has {
		pf = *d.PriorYear
	}
	var paras []*prose
	add := func(title string) *prose {
		p := newProse(lang)
		p.s(fmt.Sprintf(t(lang, "%s是%s。", "%d. %s. "), ordinalText(len(paras)+1, lang), title))
		paras = append(paras, p)
		return p
	}
	priorRef := func(s Source) string {
		if !has {
			return ""
		}
		return src.add(&s)
	}
	if f.HasGrid {
		ref := src.add(&f.Src.Grid)
		pref := priorRef(pf.Src.Grid)
		p := add(t(lang, "组织生活", "Meetings"))
		rule := d.MeetingRule
		p.s(fmt.Sprintf(t(lang, "全年逐%[2]s计，达到“%[1]s”的占 ", "Group-%[2]ss that met “%[1]s”, full year: "), rule.words(lang), rule.slot(lang))).n(zhtext.Percent(f.Compliance), ref)
		if has && pf.HasGrid {
			p.yoy(f.Compliance, pf.Compliance, zhtext.KindShare, "", "", pref)
		}
		p.s(t(lang, "；", "; ")).n(countIn(lang, f.MissedGroups), ref).s(fmt.Sprintf(t(lang, " 个党小组全年至少有一个%s未达到", " groups missed it in at least one %s"), rule.slot(lang)))
		if has && pf.HasGrid {
			p.yoy(float64(f.MissedGroups), float64(pf.MissedGroups), zhtext.KindCount, " 个", "groups", pref)
		}
		p.s(t(lang, "。", "."))
	}
	if f.HasActivity {
		ref := src.add(&f.Src.Activity)
		pref := priorRef(pf.Src.Activity)
		p := add(t(lang, "会议质量", "Meeting quality"))
		p.s(t(lang, "全年只学习、无议题的会议占 ", "Study-only meetings, full year: ")).n(zhtext.Percent(f.StudyOnly), ref)
		if has && pf.HasActivity {
			p.yoy(f.StudyOnly, pf.StudyOnly, zhtext.KindShare, "", "", pref)
		}
		p.s(t(lang, "；结合中心工作的会议占 ", "; linked to production work: ")).n(zhtext.Percent(f.Linked), ref)
		if has && pf.HasActivity {
			p.yoy(f.Linked, pf.Linked, zhtext.KindShare, "", "", pref)
		}
		p.s(t(lang, "。", "."))
	}
	if f.HasGrades {
		ref := src.add(&f.Src.Grades)
		p := add(t(lang, "考评", "Assessments"))
		p.s(t(lang, "全年两次半年考评中，基本合格及以下共 ", "Ratings of basically qualified or below in the year's two half-yearly assessments: ")).n(countIn(lang, f.Flagged), ref).s(tx(lang, " 次", ""))
		if has && pf.HasGrades {
			p.yoy(float64(f.Flagged), float64(pf.Flagged), zhtext.KindCount, " 次", "", priorRef(pf.Src.Grades))
		}
		p.s(t(lang, "，其中 ", "; ")).n(countIn(lang, f.Twice), ref).s(t(lang, " 个党小组连续两次。", " groups twice in a row."))
	}
	// The declared hypotheses when there are, else the lagged fixed-effect estimates. Either
	// rests on the records of the whole span, not the year of the other findings: say so.
	es, primary := d.Primary, true
	if es == nil || len(es.Results) == 0 {
		es, primary = d.Effects, false
	}
	if es != nil && len(es.Results) > 0 {
		ref := src.add(&es.Src)
		p := add(t(lang, "党小组工作与成效的关系", "Group work and results"))
		var sig []Effect
		for _, r := range es.Results {
			if r.Significant(0.05) {
				sig = append(sig, EffectOf(r))
			}
		}
		p.s(fmt.Sprintf(t(lang, "按%s的记录（以%s为一期），", "On the records of %s (%ss as periods), "), d.span(lang), periodLabel(scopePeriod(d.Scope), lang)))
		none := false
		if primary {
			none, _ = noneEstimable(es.Results, hypothesisTests(d.Hypotheses), lang)
		}
		switch {
		case none:
			// Not one could be tested: "none is supported" would read as tested and refuted.
			p.s(tx(lang, "", "none of ")).declared(d.Hypotheses, len(es.Results), ref).
				s(t(lang, "均无法估计，不作结论。", " can be estimated, so no conclusion is drawn."))
		case primary:
			p.s(tx(lang, "", "of ")).declared(d.Hypotheses, len(es.Results), ref).s(t(lang, "中，", ", "))
		default:
			p.s(t(lang, "在 ", "of ")).n(countIn(lang, len(es.Results)), ref).s(t(lang, " 项活动与下一期成效的关系中，", " relations between activity and the next period's results, "))
		}
		switch {
		case none:
		case len(sig) == 0 && primary:
			p.s(t(lang, "没有一项得到数据支持。", "none is supported by the data."))
		case len(sig) == 0:
			p.s(t(lang, "多重比较校正后没有一项可以确认。", "none can be confirmed after correcting for multiple comparisons."))
		case primary:
			p.n(countIn(lang, len(sig)), ref).s(t(lang, " 项得到数据支持，如", " are supported, e.g. ")).n(sig[0].Sentence(lang), ref).s(t(lang, "。", "."))
		default:
			p.s(tx(lang, "校正后可以确认 ", "")).n(countIn(lang, len(sig)), ref).s(t(lang, " 项，如", " can be confirmed after correction, e.g. ")).n(sig[0].Sentence(lang), ref).s(t(lang, "。", "."))
		}
	}
	if f.HasOutcomes {
		ref := src.add(&f.Src.Outcomes)
		p := add(t(lang, "安全生产", "Safety"))
		p.s(t(lang, "全年各党小组平均百人违章数为 ", "Violations per 100 staff, full year, mean over groups: ")).n(zhtext.Decimal(f.Violations), ref).s(tx(lang, " 起", ""))
		if has && pf.HasOutcomes {
			p.yoy(f.Violations, pf.Violations, zhtext.KindLevel, " 起", "", priorRef(pf.Src.Outcomes))
		}
		p.s(t(lang, "；缺陷及时消除率为 ", "; defects eliminated in time: ")).n(zhtext.Percent(f.Timely), ref)
		if has && pf.HasOutcomes {
			p.yoy(f.Timely, pf.Timely, zhtext.KindShare, "", "", priorRef(pf.Src.Outcomes))
		}
		p.s(t(lang, "。这是全部党小组的总体变化，不能单独归因于党小组工作。", ". These are changes over all groups and cannot be put down to group work alone."))
	}
	for _, p := range paras {
		sec.Blocks = append(sec.Blocks, p.para())
	}
	return sec
}

func ordinalText(i int, lang Lang) any {
	if lang == "en" {
		return i
	}
	return ChineseNumeral(i)
}

// slotText writes a slot's label in words: a month 2024-01 as 2024年1月 (2024-01 in English,
// as on the grid's columns), a quarter, half or year as PeriodInFull does.
func slotText(p string, lang Lang) string {
	if len(p) == 7 && p[4] == '-' {
		return monthText(p, lang)
	}
	return PeriodInFull(p, lang)
}

// monthText writes a month label 2024-01 as 2024年1月.
func monthText(m string, lang Lang) string {
	var y, mo int
	if _, err := fmt.Sscanf(m, "%d-%d", &y, &mo); err != nil || lang == "en" {
		return m
	}
	return fmt.Sprintf("%d年%d月", y, mo)
}

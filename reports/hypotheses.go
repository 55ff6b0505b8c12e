package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// The declared primary hypotheses (mingdeng.yaml, analyze's primary family) in words, shared by
// the evaluation and the annual write-up so both say the same about them: "预先设定的假设" with
// the date the list was set, each one's verdict, and for one not supported the smallest effect
// the data could have found. Everything else the analysis estimated is exploratory and is
// always called so.

// declared appends "预先设定的 6 项假设（于 2026年12月2日设定）".
func (p *prose) declared(h *queries.Hypotheses, n int, ref string) *prose {
	p.s(t(p.lang, "预先设定的 ", "the ")).n(countIn(p.lang, n), ref).s(t(p.lang, " 项假设", " hypotheses set in advance"))
	if h != nil && h.DeclaredAt != nil {
		p.s(t(p.lang, "（于 ", " (set on ")).n(longDate(*h.DeclaredAt, p.lang), ref).s(t(p.lang, " 设定）", ")"))
	} else if h != nil {
		p.s(t(p.lang, "（设定时间未记录）", " (when they were set is not on record)"))
	}
	return p
}

// lateListNote warns when the list was recorded after the data's last ingest; nil otherwise.
func lateListNote(h *queries.Hypotheses, lang Lang) *Paragraph {
	if h == nil || !h.ChangedAfterIngest {
		return nil
	}
	if h.DeclaredAt == nil {
		// Changed in mingdeng.yaml and not yet put on record by an ingest or analyze.
		return &Paragraph{Note: true, Spans: []Span{txt(t(lang, "注意：当前的假设清单尚未记入数据仓库（修改 mingdeng.yaml 后还没有运行过导入或分析），无法说明它是在看到数据之前设定的，据此得出的结论须谨慎看待。",
			"Caution: the current list is not yet on record in the warehouse (mingdeng.yaml changed and no ingest or analyze has run since), so nothing shows it was set before the data were seen; read the findings with care."))}}
	}
	return &Paragraph{Note: true, Spans: []Span{txt(t(lang, "注意：假设清单是在最近一次导入数据之后才记录的，可能是看过数据后才确定的，据此得出的结论须谨慎看待。",
		"Caution: the list was recorded after the data's last ingest, so it may have been chosen after seeing the data; read the findings with care."))}}
}

// hypothesisTests indexes the declared hypotheses' tests by activity, outcome and lag.
func hypothesisTests(h *queries.Hypotheses) map[[3]string]queries.HypothesisTest {
	out := map[[3]string]queries.HypothesisTest{}
	if h == nil {
		return out
	}
	for _, x := range h.Tests {
		out[[3]string{x.Activity, x.Outcome, fmt.Sprint(x.Lag)}] = x
	}
	return out
}

// hypothesisVerdict appends one declared hypothesis' result: supported with its effect, not
// supported with its estimate and "以现有数据，只有当效应大于 X（单位）时才能发现", or not estimable.
func (p *prose) hypothesisVerdict(e Effect, tests map[[3]string]queries.HypothesisTest, ref string) *prose {
	lang, r := p.lang, e.R
	test, known := tests[[3]string{r.Activity, r.Outcome, fmt.Sprint(r.Lag)}]
	act, outName := queries.MetricLabel(r.Activity, lang), queries.MetricLabel(r.Outcome, lang)
	switch {
	case notEstimable(e, tests):
		p.s(fmt.Sprintf(t(lang, "%s与下一期%s的关系无法估计", "%s and next period's %s could not be estimated"), act, outName))
		if w := warningsText(r, lang); w != "" {
			p.s(t(lang, "（", " (")).n(strings.TrimRight(w, "。."), ref).s(t(lang, "）", ")"))
		}
		return p.s(t(lang, "。", ". "))
	case r.Significant(0.05):
		return p.s(t(lang, "假设得到数据支持：", "supported: ")).n(e.Sentence(lang), ref).s(t(lang, "。", ". "))
	}
	p.s(fmt.Sprintf(t(lang, "%s与下一期%s的关系未得到数据支持", "%s and next period's %s: not supported by the data"), act, outName)).
		s(t(lang, "（估计", " (estimate ")).n(e.change(lang, false)+t(lang, "，", ", ")+e.interval(lang), ref).s(t(lang, "）", ")"))
	if m := test.MDE; known && !math.IsNaN(m) && m > 0 {
		u := e.OutUnit(lang)
		if u != "" {
			u = " " + u
		}
		p.s(t(lang, "。以现有数据，只有当效应大于 ", ". With the data at hand, only an effect larger than ")).n(zhtext.Decimal(m*e.Act.Step*e.Out.Scale())+u, ref).
			s(fmt.Sprintf(t(lang, "（按%s计）时才能发现（有八成把握）；更小的效应既不能确认也不能排除。", " (%s) could be found (with 80%% power); smaller ones can be neither confirmed nor ruled out. "), e.per(lang)))
		return p
	}
	return p.s(t(lang, "。", ". "))
}

// notEstimable reports whether the hypothesis has no estimate in the run.
func notEstimable(e Effect, tests map[[3]string]queries.HypothesisTest) bool {
	test, known := tests[[3]string{e.R.Activity, e.R.Outcome, fmt.Sprint(e.R.Lag)}]
	return math.IsNaN(e.R.Estimate) || known && test.Status == queries.HypothesisNotEstimable
}

// noneEstimable reports whether no hypothesis of rs has an estimate, with the reason when they
// all give the same one ("" when they differ or give none).
func noneEstimable(rs []stats.Result, tests map[[3]string]queries.HypothesisTest, lang Lang) (bool, string) {
	if len(rs) == 0 {
		return false, ""
	}
	reason := warningsText(rs[0], lang)
	for _, r := range rs {
		if !notEstimable(Effect{R: r}, tests) {
			return false, ""
		}
		if warningsText(r, lang) != reason {
			reason = ""
		}
	}
	return true, strings.TrimRight(reason, "。.")
}

// noneEstimableSentence says that none of the declared hypotheses could be estimated on the
// records of span, and why, and that no conclusion is drawn: in place of a verdict per
// hypothesis repeating the same warning and plots with nothing in them.
func (p *prose) noneEstimableSentence(h *queries.Hypotheses, n int, span, reason, ref string) *prose {
	lang := p.lang
	p.s(t(lang, "mingdeng.yaml 中", "None of ")).declared(h, n, ref)
	p.s(fmt.Sprintf(t(lang, "均无法用%s的记录估计", " in mingdeng.yaml can be estimated on the records %s"), span))
	if reason != "" {
		p.s(t(lang, "（", " (")).n(reason, ref).s(t(lang, "）", ")"))
	}
	return p.s(t(lang, "，本报告对党小组工作与安全生产成效的关系不作结论，待记录积累后再检验。", ": the report draws no conclusion on group work and results; test them again once the records are longer. "))
}

// splitFamilies separates the primary family from the rest (exploratory, or "" when the
// analysis declared no hypotheses).
func splitFamilies(rs []stats.Result) (primary, rest []stats.Result) {
	for _, r := range rs {
		if r.Family == stats.FamilyPrimary {
			primary = append(primary, r)
		} else {
			rest = append(rest, r)
		}
	}
	return primary, rest
}

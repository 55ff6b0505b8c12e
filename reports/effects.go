package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// Effects in a reader's units. An estimate is per one unit of the activity metric; a reader
// thinks in a change that means something (a share per 10 percentage points, a count per one,
// a score per point: queries.UnitOf) and sees the outcome in its own unit (a share's change in
// 个百分点). Wording follows the design: only a lagged within-group estimate (fixed effects,
// this period's activity against the next period's outcome) and a difference in differences
// with its assumptions stated may speak of an effect (影响); every other result is an
// association (相关, 关联).

// Effect is a result restated per the activity's meaningful step, in the outcome's unit.
type Effect struct {
	R                   stats.Result
	Estimate, Low, High float64 // scaled
	Act, Out            queries.MetricUnit
}

// EffectOf scales r: estimate and interval × the activity's step × the outcome's display scale
// (100 for a share, whose change is in percentage points).
func EffectOf(r stats.Result) Effect {
	act, out := queries.UnitOf(r.Activity), queries.UnitOf(r.Outcome)
	if r.Method == stats.MethodDiD || r.Method == stats.MethodPreTrend {
		// The activity of a difference in differences is the event (a post set up, a group
		// formed): treated against not, whatever the metric of the same name measures.
		act = queries.MetricUnit{Kind: queries.UnitBinary, Step: 1, Per: act.Per}
	}
	k := act.Step * out.Scale()
	if r.Method == stats.MethodPearson || r.Method == stats.MethodSpearman {
		k = 1 // a correlation has no unit
	}
	return Effect{R: r, Estimate: r.Estimate * k, Low: r.CILow * k, High: r.CIHigh * k, Act: act, Out: out}
}

// Causal reports whether the design lets the text speak of an effect: a within-group estimate
// with the activity lagged behind the outcome, or a difference in differences.
func (e Effect) Causal() bool {
	return e.R.Method == stats.MethodFixedEffects && e.R.Lag > 0 || e.R.Method == stats.MethodDiD
}

// OutUnit is the unit of the scaled estimate.
func (e Effect) OutUnit(lang Lang) string { return e.Out.DiffUnit(lang) }

func (e Effect) num(x float64) string { return zhtext.Decimal(x) }

// interval is "95% 置信区间 a 至 b，校正后 p …，n = …".
func (e Effect) interval(lang Lang) string {
	r := e.R
	s := fmt.Sprintf(t(lang, "95%% 置信区间 %s 至 %s", "95%% CI %s to %s"), e.num(e.Low), e.num(e.High))
	if !math.IsNaN(r.PAdj) {
		s += fmt.Sprintf(t(lang, "，校正后 p %s", ", adjusted p %s"), FormatP(r.PAdj))
	} else if !math.IsNaN(r.P) {
		s += fmt.Sprintf(t(lang, "，p %s", ", p %s"), FormatP(r.P))
	}
	return s + fmt.Sprintf(t(lang, "，n = %d", ", n = %d"), r.N)
}

// change is "降低 0.31 起/百人" for the scaled estimate; comparative gives "低 0.31 起/百人"
// (after 比…).
func (e Effect) change(lang Lang, comparative bool) string {
	u := e.OutUnit(lang)
	if u != "" {
		u = " " + u
	}
	up, down := t(lang, "提高 ", "higher by "), t(lang, "降低 ", "lower by ")
	if comparative {
		up, down = t(lang, "高 ", "higher by "), t(lang, "低 ", "lower by ")
	}
	x := e.Estimate
	switch {
	case math.IsNaN(x):
		return "–"
	case zhtext.Decimal(x) == "0":
		return t(lang, "几乎不变", "about the same")
	case x > 0:
		return up + e.num(x) + u
	}
	return down + e.num(-x) + u
}

// per is how the activity changes: "结合中心工作的会议占比每提高 10 个百分点".
func (e Effect) per(lang Lang) string {
	a := queries.MetricLabel(e.R.Activity, lang)
	if e.Act.Kind == queries.UnitBinary {
		return fmt.Sprintf(t(lang, "%s的党小组（与其他党小组相比）", "for groups with %s (against the others)"), a)
	}
	if lang == "en" {
		return "with " + e.Act.Per.In(lang) + " " + a
	}
	return a + e.Act.Per.In(lang)
}

// Sentence states the result in words: what changes by how much per the meaningful step, the
// interval, and what the design allows one to conclude.
func (e Effect) Sentence(lang Lang) string {
	r := e.R
	out := queries.MetricLabel(r.Outcome, lang)
	sig := r.Significant(0.05)
	switch r.Method {
	case stats.MethodPearson, stats.MethodSpearman:
		return fmt.Sprintf(t(lang, "%s与%s的相关系数为 %s（%s）", "%s and %s correlate at r = %s (%s)"),
			queries.MetricLabel(r.Activity, lang), out, e.num(r.Estimate), e.interval(lang))
	case stats.MethodWelch, stats.MethodMannWhitney:
		return fmt.Sprintf(t(lang, "示范党小组的%s比其他党小组%s（%s）；这是关联，不说明评为示范带来了差异",
			"model groups' %s is %s than the others' (%s); an association, not evidence that the title made the difference"), out, e.change(lang, true), e.interval(lang))
	}
	var s string
	if e.Causal() {
		s = fmt.Sprintf(t(lang, "%s，下一期%s平均%s（%s）", "%s, the next period's %s is on average %s (%s)"), e.per(lang), out, e.change(lang, false), e.interval(lang))
	} else {
		s = fmt.Sprintf(t(lang, "%s，同期%s平均%s（%s），这是相关关系", "%s, the same period's %s is on average %s (%s), an association"), e.per(lang), out, e.change(lang, false), e.interval(lang))
	}
	if !sig {
		s += t(lang, "；区间包含 0，不能据此认为有影响", "; the interval includes 0, so no effect can be concluded")
	}
	return s
}

// axisKey groups estimates that share an axis: the same outcome unit.
func (e Effect) axisKey(lang Lang) string {
	if e.Out.Kind == queries.UnitShare {
		return "share"
	}
	return e.Out.Unit.In(lang) + "\x00" + e.R.Outcome
}

// forestCharts draws the estimates in reader's units, one forest plot per outcome unit so that
// each axis has one unit (rates per 100 staff, percentage points and 0–100 scores never share
// an axis). Chart IDs are idBase plus the first outcome of each plot.
func forestCharts(idBase, title, caption string, es *Estimates, lang Lang) []Block {
	var keys []string
	by := map[string][]Effect{}
	for _, r := range es.Results {
		e := EffectOf(r)
		k := e.axisKey(lang)
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], e)
	}
	var out []Block
	for _, k := range keys {
		effs := by[k]
		scaled := &Estimates{Src: es.Src}
		outs := map[string]bool{}
		var outNames []string
		for _, e := range effs {
			r := e.R
			r.Estimate, r.CILow, r.CIHigh = e.Estimate, e.Low, e.High
			scaled.Results = append(scaled.Results, r)
			if !outs[r.Outcome] {
				outs[r.Outcome] = true
				outNames = append(outNames, queries.MetricLabel(r.Outcome, lang))
			}
		}
		unit := effs[0].OutUnit(lang)
		sub := strings.Join(outNames, t(lang, "、", ", "))
		capt := caption
		if len(out) > 0 {
			// The first plot explains how to read them all; the page never repeats a sentence.
			capt = t(lang, "读法同上图。", "Read as the chart above.")
		}
		c := forestChart(idBase+"-"+effs[0].R.Outcome, fmt.Sprintf(t(lang, "%s：%s", "%s: %s"), title, sub), capt, scaled, lang)
		c.Option.XAxis[0].Name = fmt.Sprintf(t(lang, "%s的变化（%s）", "change in %s (%s)"), sub, unit)
		out = append(out, c)
	}
	return out
}

// stepNote says what each estimate is per, for a chart's caption.
func stepNote(lang Lang) string {
	return t(lang, "估计值按活动指标的有意义变化计：占比每提高 10 个百分点，次数、条数每多 1，得分每提高 1 分；成效为占比时以个百分点计。",
		"Estimates are per a meaningful change of the activity: 10 percentage points of a share, one more of a count, one point of a score; an outcome that is a share changes in percentage points.")
}

// concentrationSummary sums up the units' results against chance for the Lorenz chart's
// caption: it names the units whose awards are concentrated beyond chance (at most
// captionScopes, those furthest above chance first) and counts the rest, so that a province's
// hundreds of units make one readable sentence; the ranking table lists every unit. A Gini is
// never named without what random allocation of the same awards to the same members gives.
// The test against chance is one-sided (is the Gini higher than chance gives?), so a unit that
// is not concentrated is only ever said to be in line with chance, never more even.
func concentrationSummary(c *Concentration, lang Lang) string {
	order, by := c.byScope()
	var parts []string
	if x, ok := by[""]; ok {
		// One figure over all members (no unit, no year).
		if s := giniAgainstChance(x, lang); s != "" {
			parts = append(parts, t(lang, "全体党员：", "All members: ")+s+t(lang, "。", ". "))
		}
	}
	var conc, even []string
	noRecord, noBaseline := 0, 0
	years := map[string]bool{}
	var units []string
	for _, s := range order {
		if s == "" {
			continue
		}
		units = append(units, s)
		_, y := splitScope(s)
		years[y] = true
		x := by[s]
		switch {
		case math.IsNaN(x.gini):
			noRecord++
		case !x.hasChance:
			noBaseline++
		case x.p < 0.05:
			conc = append(conc, s)
		default:
			even = append(even, s)
		}
	}
	if len(units) == 0 {
		return strings.Join(parts, "")
	}
	sort.SliceStable(conc, func(i, j int) bool { return by[conc[i]].excess > by[conc[j]].excess })
	names := c.scopeNames(units, lang)
	oneYear := len(years) == 1
	var b strings.Builder
	if span := yearSpan(years, lang); span != "" {
		b.WriteString(fmt.Sprintf(t(lang, "各单位最近一年（%s）：", "Each unit's latest year (%s): "), span))
	} else {
		b.WriteString(t(lang, "各单位：", "Units: "))
	}
	var clauses []string
	switch {
	case len(conc) == 0 && len(even) > 0:
		all := unitCount(len(even), lang) + "均"
		if len(even) == 1 {
			all = "这 1 个单位"
		}
		clauses = append(clauses, fmt.Sprintf(t(lang, "没有单位的奖项比随机分配更集中，%s与随机分配相当", "no unit's awards are more concentrated than random allocation gives; %s in line with it"), t(lang, all, allOf(len(even)))))
	case len(conc) > 0:
		shown := conc[:min(len(conc), captionScopes)]
		var named []string
		for _, s := range shown {
			x := by[s]
			name := names[s]
			if !oneYear {
				_, y := splitScope(s)
				name += fmt.Sprintf(t(lang, " %s 年", " %s"), y)
			}
			named = append(named, fmt.Sprintf(t(lang, "%s（基尼系数 %s，随机分配为 %s，p %s）", "%s (Gini %s against %s by chance, p %s)"),
				name, zhtext.Decimal(x.gini), zhtext.Decimal(x.chance), FormatP(x.p)))
		}
		list := strings.Join(named, t(lang, "、", ", "))
		if len(conc) > len(shown) {
			clauses = append(clauses, fmt.Sprintf(t(lang, "%s的奖项显著比随机分配集中在少数人身上，高出随机最多的 %d 个是%s", "awards are significantly more concentrated than random allocation gives in %s; the %d furthest above chance are %s"), unitCount(len(conc), lang), len(shown), list))
		} else {
			clauses = append(clauses, fmt.Sprintf(t(lang, "%s的奖项显著比随机分配集中在少数人身上：%s", "awards are significantly more concentrated than random allocation gives in %s: %s"), unitCount(len(conc), lang), list))
		}
		if len(even) > 0 {
			clauses = append(clauses, fmt.Sprintf(t(lang, "其余 %s与随机分配相当", "in the other %s they are in line with random allocation"), unitCount(len(even), lang)))
		}
	}
	if noBaseline > 0 {
		clauses = append(clauses, fmt.Sprintf(t(lang, "%s未与随机分配比较", "no comparison with random allocation for %s"), unitCount(noBaseline, lang)))
	}
	if noRecord > 0 {
		if noRecord == len(units) {
			clauses = append(clauses, t(lang, "各单位的表彰均无记录", "no unit has award records"))
		} else {
			clauses = append(clauses, t(lang, "另有 "+unitCount(noRecord, lang)+"的表彰无记录", "no award records in "+strings.Replace(unitCount(noRecord, lang), " unit", " more unit", 1)))
		}
	}
	b.WriteString(strings.Join(clauses, t(lang, "；", "; ")))
	b.WriteString(t(lang, "。各单位的数值见“排名”一节。", ". Every unit's figures are in the rankings section."))
	return strings.Join(parts, "") + b.String()
}

// giniAgainstChance is one scope's Gini with its chance baseline, or only the top 10%'s share
// (which needs none) when there is no baseline; "" when there is neither.
func giniAgainstChance(x *scopeConcentration, lang Lang) string {
	if math.IsNaN(x.gini) {
		return ""
	}
	if !x.hasChance {
		if math.IsNaN(x.top) {
			return ""
		}
		return t(lang, "前 10% 人员所占份额 ", "top-10% share ") + zhtext.Percent(x.top)
	}
	verdict := t(lang, "与随机分配相当", "in line with random allocation")
	if x.p < 0.05 {
		// Above chance as a reader works it from the two printed Ginis.
		verdict = fmt.Sprintf(t(lang, "高出随机 %s，集中在少数人", "%s above chance: concentrated"), zhtext.DecimalDiff(x.gini, x.chance))
	}
	return fmt.Sprintf(t(lang, "基尼系数 %s，随机分配为 %s（p %s，%s）", "Gini %s against %s by chance (p %s, %s)"),
		zhtext.Decimal(x.gini), zhtext.Decimal(x.chance), FormatP(x.p), verdict)
}

// yearSpan is the years of a set as one year or a range ("2023—2024 年"); "" when none.
func yearSpan(years map[string]bool, lang Lang) string {
	ys := make([]string, 0, len(years))
	for y := range years {
		if y != "" {
			ys = append(ys, y)
		}
	}
	sort.Strings(ys)
	span := ""
	switch len(ys) {
	case 0:
		return ""
	case 1:
		span = ys[0]
	default:
		span = ys[0] + t(lang, "—", "–") + ys[len(ys)-1]
	}
	if lang == "en" {
		return span
	}
	return span + " 年"
}

// unitCount is "3 个单位" or "3 units" ("1 unit").
func unitCount(n int, lang Lang) string {
	if lang == "en" && n == 1 {
		return "1 unit"
	}
	return fmt.Sprintf(t(lang, "%d 个单位", "%d units"), n)
}

// allOf is the English for all n units ("all 3 units are", "the 1 unit is").
func allOf(n int) string {
	if n == 1 {
		return "the 1 unit is"
	}
	return fmt.Sprintf("all %d units are", n)
}

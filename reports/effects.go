package reports

import (
	"fmt"
	"math"
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

// concentrationParts states each scope's Gini with its chance baseline: a Gini is never shown
// without what random allocation of the same awards to the same members gives. It lists at most
// captionScopes scopes and returns them.
func concentrationParts(c *Concentration, lang Lang) ([]string, map[string]bool) {
	order, by := c.byScope()
	if len(order) > captionScopes {
		order = order[:captionScopes] // the ranking table lists every unit
	}
	var parts []string
	scopes := map[string]bool{}
	for _, s := range order {
		x := by[s]
		if math.IsNaN(x.gini) {
			continue
		}
		scopes[s] = true
		name := s
		if s != "" {
			unit, year := splitScope(s)
			name = c.unitName(unit) + " " + year + t(lang, " 年", ": ")
		}
		if !x.hasChance {
			// No baseline, no Gini sentence: only the top share, which needs none.
			if !math.IsNaN(x.top) {
				parts = append(parts, name+t(lang, "前 10% 人员所占份额 ", "top-10% share ")+zhtext.Percent(x.top))
			}
			continue
		}
		verdict := t(lang, "与随机分配相当", "as chance gives")
		if x.p < 0.05 {
			verdict = fmt.Sprintf(t(lang, "高出随机 %s，集中在少数人", "%s above chance: concentrated"), zhtext.Decimal(x.excess))
		}
		parts = append(parts, fmt.Sprintf(t(lang, "%s基尼系数 %s，随机分配为 %s（p %s，%s）", "%sGini %s against %s by chance (p %s, %s)"),
			name, zhtext.Decimal(x.gini), zhtext.Decimal(x.chance), FormatP(x.p), verdict))
	}
	return parts, scopes
}

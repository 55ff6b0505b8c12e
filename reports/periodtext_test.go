package reports

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// The annual closing names the records its relations rest on: every record up to the year's
// end (as 四 says), not the year's alone.
func TestAnnualClosingNamesTheRecordsItRestsOn(t *testing.T) {
	for _, c := range []struct {
		lang      Lang
		want, not string
	}{
		{"zh", "截至2024年12月31日的记录表明，党小组工作中有可以确认与安全生产成效相关的部分", "2024 年的记录"},
		{"en", "The records up to 31 December 2024 show parts of group work that relate to results", "2024's records"},
	} {
		md := plainMD(renderMD(t, BuildAnnual(fixtureAnnual(), c.lang)))
		if !strings.Contains(md, c.want) {
			t.Errorf("%s: the closing lacks %q", c.lang, c.want)
		}
		if strings.Contains(md, c.not) {
			t.Errorf("%s: the closing still says %q", c.lang, c.not)
		}
	}
	// Without a significant relation the closing says the records cannot confirm one.
	d := fixtureAnnual()
	d.Effects, d.Primary = nil, nil
	if md := plainMD(renderMD(t, BuildAnnual(d, "zh"))); !strings.Contains(md, "截至2024年12月31日的记录尚不足以确认") {
		t.Errorf("the closing without relations does not name the records")
	}
}

// The evaluation covers several years: its advanced groups, its survey scores and its counts of
// units and groups each say which period they are of.
func TestEvaluationFiguresNameTheirPeriod(t *testing.T) {
	for _, c := range []struct {
		lang  Lang
		wants []string
	}{
		{"zh", []string{"2024 年度先进党小组（两次考评均完整", "2023年1月至2024年12月各次调查按答卷人数加权合并。各维度得分换算为 0–100 分"}},
		{"en", []string{"Advanced groups of 2024 (both assessments complete", "The surveys from " + monthText("2023-01", "en") + " to " + monthText("2024-12", "en") + " pooled, weighted by respondents. Dimension scores"}},
	} {
		ev := fixtureEvaluation()
		g := *ev.Grades
		g.Periods = []string{"2024H1", "2024H2"}
		g.Counts = [][]int64{{4, 5}, {15, 15}, {4, 3}, {1, 1}}
		g.Advanced = []AdvancedGroup{{Group: "检修党小组", Unit: "变电检修工区", Average: 99.25}}
		ev.Grades = &g
		md := plainMD(renderMD(t, BuildEvaluation(ev, c.lang)))
		for _, w := range c.wants {
			if !strings.Contains(md, w) {
				t.Errorf("%s: the evaluation lacks %q", c.lang, w)
			}
		}
	}
	act := &queries.Table{Columns: []queries.Column{{Name: "group_id", Type: queries.Text}, {Name: "unit_id", Type: queries.Text},
		{Name: "period", Type: queries.Text}, {Name: "meetings_held", Type: queries.Integer}},
		Rows: [][]any{{"G1", "U1", "2023H1", int64(6)}, {"G2", "U1", "2023H1", int64(5)}, {"G3", "U2", "2024H2", int64(6)}}}
	d, err := EvaluationFromTables(EvaluationTables{Scope: fixtureEvaluation().Scope, ActivityHalf: act, Sources: map[string]Source{}})
	if err != nil {
		t.Fatal(err)
	}
	md := plainMD(renderMD(t, BuildEvaluation(d, "zh")))
	for _, w := range []string{"- **单位数（全期）**：2 个", "- **党小组数（全期）**：3 个", "- **党小组会（全期合计）**：17 次"} {
		if !strings.Contains(md, w) {
			t.Errorf("the headlines lack %q", w)
		}
	}
}

// When none of the declared hypotheses can be estimated (a first year: too few periods), the
// write-up says so once, with the reason, and draws no conclusion: no verdict per hypothesis
// repeating the same warning, no "what can be concluded", no empty plots.
func TestAnnualHypothesesNoneEstimable(t *testing.T) {
	ev := withFamilies()
	w := stats.Warning{Code: stats.WarnTooFew, ZH: "剔除缺失值和单次观测后仅剩 0 行", EN: "only 0 usable rows"}
	for i := range ev.Primary.Results {
		r := &ev.Primary.Results[i]
		r.Estimate, r.CILow, r.CIHigh, r.P, r.PAdj = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		r.Warnings = []stats.Warning{w}
	}
	for i := range ev.Hypotheses.Tests {
		ev.Hypotheses.Tests[i].Status = queries.HypothesisNotEstimable
	}
	for _, c := range []struct {
		lang Lang
		want string
		not  []string
	}{
		{"zh", "mingdeng.yaml 中预先设定的 2 项假设（于 2024年3月5日 设定）均无法用截至2024年12月31日的记录估计（注意：剔除缺失值和单次观测后仅剩 0 行），本报告对党小组工作与安全生产成效的关系不作结论，待记录积累后再检验。",
			[]string{"无法估计", "能得出的结论", "预先设定的假设（固定效应估计与 95% 置信区间）"}},
		{"en", "None of the 2 hypotheses set in advance (set on 5 March 2024) in mingdeng.yaml can be estimated on the records up to 31 December 2024 (Caution: only 0 usable rows): the report draws no conclusion",
			[]string{"could not be estimated", "What can be concluded", "Hypotheses set in advance (fixed effects, 95% CIs)"}},
	} {
		d := fixtureAnnual()
		d.Primary, d.Hypotheses, d.Effects = ev.Primary, ev.Hypotheses, ev.Effects
		md := plainMD(renderMD(t, BuildAnnual(d, c.lang)))
		checkText(t, string(c.lang)+": the write-up", md, []string{c.want}, c.not)
	}
}

// The evaluation says the same when none of its declared hypotheses can be estimated: its
// finding, its headline and its section do not read as hypotheses tested and refuted, and the
// exploratory estimates still follow.
func TestEvaluationHypothesesNoneEstimable(t *testing.T) {
	w := stats.Warning{Code: stats.WarnTooFew, ZH: "剔除缺失值和单次观测后仅剩 0 行", EN: "only 0 usable rows"}
	nan := math.NaN()
	notEstimated := func(act, out string) stats.Result {
		return stats.Result{Method: stats.MethodFixedEffects, Activity: act, Outcome: out, Lag: 1, Family: stats.FamilyPrimary,
			Estimate: nan, CILow: nan, CIHigh: nan, P: nan, PAdj: nan, SE: nan, Warnings: []stats.Warning{w}}
	}
	explored := fixtureResult("panel_fe", "meetings_held", "violations_per_100_staff", 1, 0.04, 0.22, 72)
	explored.Family = stats.FamilyExploratory
	rs := []stats.Result{notEstimated("production_linked_share", "defects_per_100km"), notEstimated("critique_per_meeting", "violations_per_100_staff"), explored}
	at := time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		lang  Lang
		wants []string
		nots  []string
	}{
		{"zh", []string{
			"按2023年1月至2024年12月的记录（以半年为一期），预先设定的 2 项假设（于 2024年3月5日 设定）均无法估计，不作结论。",
			"- **预先设定的假设得到数据支持**：0 项（共 2 项，均无法估计）",
			"mingdeng.yaml 中预先设定的 2 项假设（于 2024年3月5日 设定）均无法用2023年1月至2024年12月的记录估计（注意：剔除缺失值和单次观测后仅剩 0 行），本报告对党小组工作与安全生产成效的关系不作结论",
			"探索性估计的 1 项关系",
		}, []string{"没有一项得到数据支持", "的关系无法估计"}},
		{"en", []string{
			"none of the 2 hypotheses set in advance (set on 5 March 2024) can be estimated, so no conclusion is drawn.",
			"(of 2, none could be estimated)",
			"None of the 2 hypotheses set in advance (set on 5 March 2024) in mingdeng.yaml can be estimated on the records of " + monthText("2023-01", "en") + " to " + monthText("2024-12", "en") + " (Caution: only 0 usable rows)",
		}, []string{"none is supported", "could not be estimated"}},
	} {
		ev := fixtureEvaluation()
		ev.Scatters, ev.Correlation, ev.Effects = nil, nil, nil
		ev.Hypotheses = &queries.Hypotheses{DeclaredAt: &at}
		ev.Year = &YearFigures{Year: "2024"} // the findings of the year, where the hypotheses' finding is
		ApplyAnalysis(ev, rs, src("analyze", "--period half"), nil, nil)
		r := BuildEvaluation(ev, c.lang)
		md := plainMD(renderMD(t, r))
		checkText(t, string(c.lang)+": the evaluation", md, c.wants, c.nots)
		explore := 0
		for _, ch := range r.Charts() {
			if strings.HasPrefix(ch.ID, "eval-primary") {
				t.Errorf("%s: a plot %s of hypotheses with no estimate", c.lang, ch.ID)
			}
			if strings.HasPrefix(ch.ID, "eval-effects") {
				explore++
			}
		}
		if explore == 0 {
			t.Errorf("%s: the exploratory estimates are gone", c.lang)
		}
	}
}

// A year before the records begin still has its groups and staff, so group_outcomes gives it 0
// violations and no patrol figure: that year has no records, and the write-up does not set this
// year's violations against "last year 0".
func TestPriorYearWithoutOutcomeRecordsIsNoRecord(t *testing.T) {
	outcomes := func(year string, violations, defects any) *queries.Table {
		return &queries.Table{Columns: []queries.Column{{Name: "group_id", Type: queries.Text}, {Name: "period", Type: queries.Text},
			{Name: "violations_per_100_staff", Type: queries.Float}, {Name: "defects_per_100km", Type: queries.Float}, {Name: "timely_elimination_share", Type: queries.Float}},
			Rows: [][]any{{"G1", year, violations, defects, nil}, {"G2", year, violations, defects, nil}}}
	}
	srcs := map[string]Source{"OutcomesYear": src("group_outcomes", "--period year")}
	if f, err := FiguresOfYear(AnnualTables{Year: "2019", OutcomesYear: outcomes("2019", 0.0, nil), Sources: srcs}); err != nil || f != nil {
		t.Errorf("a year with 0 violations and no patrol figure: %+v, %v; want no records (nil)", f, err)
	}
	if f, err := FiguresOfYear(AnnualTables{Year: "2019", OutcomesYear: outcomes("2019", 0.0, 3.2), Sources: srcs}); err != nil || f == nil || !f.HasOutcomes {
		t.Errorf("a year with patrol figures and no violation: %+v, %v; want its outcomes", f, err)
	}
	in := AnnualTables{Scope: fixtureAnnual().Scope, Year: "2020", OutcomesYear: outcomes("2020", 3.0, 2.5), Sources: srcs,
		Prior: &AnnualTables{Year: "2019", OutcomesYear: outcomes("2019", 0.0, nil), Sources: srcs}}
	d, err := AnnualFromTables(in)
	if err != nil {
		t.Fatal(err)
	}
	md := plainMD(renderMD(t, BuildAnnual(d, "zh")))
	if !strings.Contains(md, "全年各党小组平均百人违章数为 3 起") {
		t.Errorf("the write-up lacks this year's violations")
	}
	for _, n := range []string{"上年 0 起", "同比均与 2019 年"} {
		if strings.Contains(md, n) {
			t.Errorf("the write-up says %q of a year without records", n)
		}
	}
}

// Last year's demonstration days and leader training are set against this year's only when last
// year has such records: a year before the meeting or training records begin has none on
// record, not none held.
func TestPriorPracticesWithoutRecordsAreNoRecord(t *testing.T) {
	this := &Practices{Rows: []Practice{{Kind: "demo_day", N: 88, Groups: 20, OfGroups: 24}, {Kind: "leader_trained", N: 30, Groups: 20, OfGroups: 24}}}
	last := &Practices{Rows: []Practice{{Kind: "demo_day", N: 0, OfGroups: 24}, {Kind: "leader_trained", N: 0, OfGroups: 24}}}
	for _, c := range []struct {
		name      string
		prior     YearFigures
		want, not []string
	}{
		{"no meeting or training records last year", YearFigures{Year: "2023", HasOutcomes: true},
			[]string{"示范日活动全年开展 88 次，", "的党小组长全年参加了培训，培训时间为"}, []string{"上年 0 次"}},
		// Meetings on record last year and no demonstration day among them: a true 0.
		{"meetings last year", YearFigures{Year: "2023", HasGrid: true, HasActivity: true},
			[]string{"同比增加 88 次（上年 0 次）", "的党小组长全年参加了培训，培训时间为"}, nil},
	} {
		d := fixtureAnnual()
		d.Measures, d.PriorMeasures = this, last
		pf := c.prior
		d.Prior = &pf
		md := plainMD(renderMD(t, BuildAnnual(d, "zh")))
		if !strings.Contains(md, "示范日活动全年开展 88 次") || !strings.Contains(md, "的党小组长全年参加了培训") {
			t.Fatalf("%s: the write-up lacks the demonstration days or the training", c.name)
		}
		checkText(t, c.name+": the write-up", md, c.want, c.not)
	}
}

// checkText reports each of wants that text lacks and each of nots that it has; what names the
// text in the messages.
func checkText(t *testing.T, what, text string, wants, nots []string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
	for _, n := range nots {
		if strings.Contains(text, n) {
			t.Errorf("%s says %q", what, n)
		}
	}
}

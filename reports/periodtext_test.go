package reports

import (
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
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

package reports

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/queries/table"
)

func renderMD(t *testing.T, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var mdLinkRe = regexp.MustCompile(`\[([^\]]*)\]\(#src-S\d+\)`)

// plainMD is the Markdown as read: links unwrapped to their text.
func plainMD(md string) string { return mdLinkRe.ReplaceAllString(md, "$1") }

func renderHTML(t *testing.T, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return string(withoutECharts(t, b.Bytes()))
}

func TestPeriodInWords(t *testing.T) {
	type tc struct{ in, zh, en string }
	for _, f := range []struct {
		name  string
		fn    func(string, Lang) string
		cases []tc
	}{
		{"PeriodInWords", PeriodInWords, []tc{
			{"2024H1", "2024年上半年", "2024 H1"},
			{"2024H2", "2024年下半年", "2024 H2"},
			{"2023Q3", "2023年第三季度", "2023 Q3"},
			{"2024-07", "2024-07", "2024-07"},
			{"2024", "2024", "2024"},
			{"2024H3", "2024H3", "2024H3"},
			{"ABCDH1", "ABCDH1", "ABCDH1"},
		}},
		// PeriodInFull: months and years in words too
		{"PeriodInFull", PeriodInFull, []tc{
			{"2024H1", "2024年上半年", "2024 H1"},
			{"2023Q1", "2023年第一季度", "2023 Q1"},
			{"2024-03", "2024年3月", "Mar 2024"},
			{"2024-12", "2024年12月", "Dec 2024"},
			{"2024", "2024年", "2024"},
			{"2024-13", "2024-13", "2024-13"},
			{"2024-1x", "2024-1x", "2024-1x"},
			{"2024-03-01", "2024-03-01", "2024-03-01"},
			{"", "", ""},
		}},
	} {
		for _, c := range f.cases {
			if got := f.fn(c.in, "zh"); got != c.zh {
				t.Errorf("%s(%s) zh: %q", f.name, c.in, got)
			}
			if got := f.fn(c.in, "en"); got != c.en {
				t.Errorf("%s(%s) en: %q", f.name, c.in, got)
			}
		}
	}
}

var machineHalf = regexp.MustCompile(`\d{4}H[12]`)

// TestReportsWritePeriodsInWords: pages, Markdown and chart options (axes, tooltips) say
// 2024年上半年 to a Chinese reader and 2024 H1 to an English one, never 2024H1.
func TestReportsWritePeriodsInWords(t *testing.T) {
	requireAsset(t)
	for _, c := range []struct {
		name string
		r    *Report
		want string
	}{
		{"evaluation", BuildEvaluation(fixtureEvaluation(), "zh"), "2024年上半年"},
		{"evaluation-en", BuildEvaluation(fixtureEvaluation(), "en"), "2024 H1"},
		{"group", BuildGroup(fixtureGroup(), "zh"), "2024年下半年"},
		{"group-en", BuildGroup(fixtureGroup(), "en"), "2024 H2"},
	} {
		texts := map[string]string{"md": renderMD(t, c.r), "html": renderHTML(t, c.r)}
		var opts strings.Builder
		for _, ch := range c.r.Charts() {
			j, err := OptionJSON(ch)
			if err != nil {
				t.Fatal(err)
			}
			opts.Write(j)
		}
		texts["chart options"] = opts.String()
		for kind, text := range texts {
			if m := machineHalf.FindString(text); m != "" {
				i := strings.Index(text, m)
				t.Errorf("%s %s shows %s: …%s…", c.name, kind, m, text[max(0, i-80):min(len(text), i+20)])
			}
			if !strings.Contains(text, c.want) {
				t.Errorf("%s %s: no %q", c.name, kind, c.want)
			}
		}
	}
}

// TestDiDSentenceNamesTeams: the difference in differences compares production teams; the
// sentence and the methods say 班组, and n is counted in team-periods.
func TestDiDSentenceNamesTeams(t *testing.T) {
	for lang, want := range map[Lang][]string{
		"zh": {"把采取了该举措的班组与同期尚未采取的班组对照比较（双重差分）", "相对于对照班组", "n 为班组·半年数"},
		"en": {"the production teams that took the measure were compared with the teams that had not yet taken it", "relative to the control teams", "n in team-half years"},
	} {
		iv := fixtureAnnual().Intervention
		r := &Report{Lang: lang, Sections: []Section{{Title: "x", Blocks: interventionBlocks(iv, "half", lang, "S1")}},
			Sources: []Source{{ID: "S1", Query: "analyze"}}}
		md := plainMD(renderMD(t, r))
		for _, w := range want {
			if !strings.Contains(md, w) {
				t.Errorf("%s: no %q", lang, w)
			}
		}
		for _, bad := range []string{"对照党小组", "未采取的党小组", "control groups", "similar groups"} {
			if strings.Contains(md, bad) {
				t.Errorf("%s: says %q", lang, bad)
			}
		}
	}
}

// TestGroupCellsSayYesNoAndNoRecord: the group page's assessment table reads 是/否 and 无记录
// (English Yes/No, no record) in HTML, Markdown, DOCX text and the XLSX; never ✓ or an empty
// cell, and the XLSX keeps the score a number.
func TestGroupCellsSayYesNoAndNoRecord(t *testing.T) {
	assess := &queries.Table{Columns: []queries.Column{{Name: "group_id", Type: queries.Text}, {Name: "group_name", Type: queries.Text},
		{Name: "half", Type: queries.Text}, {Name: "total", Type: queries.Float}, {Name: "grade", Type: queries.Text},
		{Name: "help_needed", Type: queries.Bool}, {Name: "two_in_a_row", Type: queries.Bool}},
		Rows: [][]any{{"G1", "运行党小组", "2024H1", 72.5, "basic", true, false}, {"G1", "运行党小组", "2024H2", nil, nil, nil, nil}}}
	for lang, want := range map[Lang][]string{
		"zh": {"| 2024年上半年 | 72.5 | 基本合格 | 是 | 否 |", "| 2024年下半年 | 无记录 | 无记录 | 无记录 | 无记录 |", "2024 年半年考评"},
		"en": {"| 2024 H1 | 72.5 | Basically qualified | Yes | No |", "| 2024 H2 | no record | no record | no record | no record |"},
	} {
		monthly := &queries.Table{Columns: []queries.Column{{Name: "group_id", Type: queries.Text}, {Name: "group_name", Type: queries.Text},
			{Name: "period", Type: queries.Text}, {Name: "meetings_held", Type: queries.Integer}}, Rows: [][]any{{"G1", "运行党小组", "2024-01", int64(1)}}}
		d, ok, err := GroupFromTables(GroupTables{Code: "G1", Lang: lang, ActivityMonthly: monthly, Assessments: assess,
			Sources: map[string]Source{"Assessments": src("assess", "--year 2024"), "ActivityMonthly": src("group_activity", "--period month")}})
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		r := BuildGroup(d, lang)
		md := plainMD(renderMD(t, r))
		for _, w := range want {
			if !strings.Contains(md, w) {
				t.Errorf("%s: no %q in\n%s", lang, w, md)
			}
		}
		if strings.Contains(md, "✓") || strings.Contains(md, "|  |") {
			t.Errorf("%s: a ✓ or an empty cell:\n%s", lang, md)
		}
		page := renderHTML(t, r)
		for _, cell := range []string{"<td>" + t2(lang, "是", "Yes") + "</td>", "<td>" + t2(lang, "否", "No") + "</td>", "<td>" + t2(lang, "无记录", "no record") + "</td>"} {
			if !strings.Contains(page, cell) {
				t.Errorf("%s page: no %s", lang, cell)
			}
		}
		if strings.Contains(page, "<td></td>") {
			t.Errorf("%s page: an empty cell", lang)
		}
		checkXLSXNoRecord(t, r, lang)
	}
}

// checkXLSXNoRecord reads r's XLSX back: the assessment sheet's row of the half without records
// reads 无记录 in every cell after the half, and the other half's score is a number cell.
func checkXLSXNoRecord(t *testing.T, r *Report, lang Lang) {
	t.Helper()
	f := openXLSX(t, r)
	defer f.Close()
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for i, row := range rows {
			for j, v := range row {
				switch v {
				case PeriodInWords("2024H2", lang), "2024H2":
					found = true
					if len(row) != len(rows[0]) {
						t.Errorf("%s sheet %s row %d: %d cells of %d: %q", lang, sheet, i+1, len(row), len(rows[0]), row)
					}
					for _, c := range row[j+1:] {
						if c != t2(lang, "无记录", "no record") {
							t.Errorf("%s sheet %s row %d: %q, want every cell after the half to read no record", lang, sheet, i+1, row)
							break
						}
					}
				case PeriodInWords("2024H1", lang), "2024H1":
					cell, _ := excelize.CoordinatesToCellName(j+2, i+1)
					raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
					if typ, _ := f.GetCellType(sheet, cell); raw != "72.5" || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
						t.Errorf("%s sheet %s %s: %q of type %v, want the number 72.5", lang, sheet, cell, raw, typ)
					}
				}
			}
		}
	}
	if !found {
		t.Errorf("%s: no sheet holds the half without records", lang)
	}
}

func t2(lang Lang, zh, en string) string { return t(lang, zh, en) }

// withFamilies is the fixture evaluation as analyze returns it with declared hypotheses: two
// primary results (one supported, one not, with its MDE) and the rest exploratory.
func withFamilies() *EvaluationData {
	d := fixtureEvaluation()
	rs := d.Effects.Results
	for i := range rs {
		rs[i].Family = stats.FamilyExploratory
	}
	p1 := rs[0]
	p1.Family = stats.FamilyPrimary
	p2 := fixtureResult("panel_fe", "production_linked_share", "violations_per_100_staff", 1, -0.1, 0.4, 72)
	p2.Family = stats.FamilyPrimary
	d.Primary = &Estimates{Results: []stats.Result{p1, p2}, Src: d.Effects.Src}
	d.Effects.Results = rs[1:]
	at := time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)
	d.Hypotheses = &queries.Hypotheses{DeclaredAt: &at, Tests: []queries.HypothesisTest{
		{Hypothesis: queries.Hypothesis{Activity: p1.Activity, Outcome: p1.Outcome, Lag: 1}, Status: queries.HypothesisSupported},
		{Hypothesis: queries.Hypothesis{Activity: p2.Activity, Outcome: p2.Outcome, Lag: 1}, Status: queries.HypothesisNotSupported, MDE: 12.8},
	}}
	return d
}

// TestEvaluationSeparatesPrimaryFromExploratory: every forest plot says whether it shows
// hypotheses set in advance or exploratory estimates; the primary ones come first, with the
// date they were set, and the one not supported says how large an effect the data could find.
func TestEvaluationSeparatesPrimaryFromExploratory(t *testing.T) {
	for lang, want := range map[Lang][]string{
		"zh": {"预先设定的 2 项假设（于 2024年3月5日 设定）", "以现有数据，只有当效应大于 1.28 起/百人（按结合中心工作的会议占比每提高 10 个百分点计）时才能发现", "探索性估计的 3 项关系", "结合中心工作的会议占比与下一期百人违章数的关系未得到数据支持"},
		"en": {"the 2 hypotheses set in advance (set on 5 March 2024)", "only an effect larger than 1.28 ", "Of the 3 exploratory relations"},
	} {
		r := BuildEvaluation(withFamilies(), lang)
		var primary, explore int
		seenExplore := false
		for _, c := range r.Charts() {
			if !strings.HasPrefix(c.ID, "eval-primary") && !strings.HasPrefix(c.ID, "eval-effects") {
				continue
			}
			isP := strings.HasPrefix(c.Title, t2(lang, "预先设定的假设", "Hypotheses set in advance"))
			isE := strings.HasPrefix(c.Title, t2(lang, "探索性估计", "Exploratory estimates"))
			switch {
			case isP && strings.HasPrefix(c.ID, "eval-primary"):
				primary++
				if seenExplore {
					t.Errorf("%s: primary plot %s after an exploratory one", lang, c.ID)
				}
			case isE && strings.HasPrefix(c.ID, "eval-effects"):
				explore++
				seenExplore = true
				if !strings.Contains(c.Caption, t2(lang, "探索性", "xploratory")) {
					t.Errorf("%s: exploratory plot %s: caption %q does not say so", lang, c.ID, c.Caption)
				}
			default:
				t.Errorf("%s: forest plot %s %q is not marked primary or exploratory", lang, c.ID, c.Title)
			}
		}
		if primary == 0 || explore == 0 {
			t.Errorf("%s: %d primary and %d exploratory plots", lang, primary, explore)
		}
		md := plainMD(renderMD(t, r))
		for _, w := range want {
			if !strings.Contains(md, w) {
				t.Errorf("%s: no %q", lang, w)
			}
		}
		if strings.Contains(md, "事先确定") || strings.Contains(md, "校正后仍显著的关系") {
			t.Errorf("%s: old wording mixing the families", lang)
		}
	}
}

// TestSpecReportsLabelKnownColumns: a spec's table and chart show a known metric or contract
// column by its label (and a share metric as a percentage), found by the user's own names;
// a column of the user's own keeps its name.
func TestSpecReportsLabelKnownColumns(t *testing.T) {
	s, err := ParseSpec([]byte("# 自定义\n\n```sql name=q\nselect 1\n```\n\n::: table data=q title=各党小组\n\n::: chart bar data=q x=group_name y=meetings_held\n"))
	if err != nil {
		t.Fatal(err)
	}
	tb := &queries.Table{Columns: []queries.Column{{Name: "group_name", Type: queries.Text}, {Name: "meetings_held", Type: queries.Integer},
		{Name: "production_linked_share", Type: queries.Float}, {Name: "我的列", Type: queries.Float}},
		Rows: [][]any{{"运行党小组", int64(3), 0.5, 1.5}}}
	for lang, want := range map[Lang][]string{
		"zh": {"| 党小组 | " + queries.ColumnLabel("meetings_held", "zh") + " | " + queries.ColumnLabel("production_linked_share", "zh") + " | 我的列 |", "| 运行党小组 | 3 | 50.0% | 1.5 |"},
		"en": {"| party group | " + queries.ColumnLabel("meetings_held", "en") + " |"},
	} {
		r, err := BuildSpecReport(s, "x", map[string]SpecResult{"q": {Table: tb, Src: Source{Query: "q"}}}, nil, lang)
		if err != nil {
			t.Fatal(err)
		}
		md := renderMD(t, r)
		for _, w := range want {
			if !strings.Contains(md, w) {
				t.Errorf("%s: no %q in\n%s", lang, w, md)
			}
		}
		c := r.Charts()[0]
		j, _ := OptionJSON(c)
		if !strings.Contains(string(j), queries.ColumnLabel("meetings_held", lang)) || strings.Contains(string(j), `"meetings_held"`) {
			t.Errorf("%s: chart axes: %s", lang, j)
		}
		if !strings.Contains(c.Caption, queries.ColumnLabel("meetings_held", lang)) {
			t.Errorf("%s: caption %q", lang, c.Caption)
		}
	}
	if queries.ColumnLabel("meetings_held", "zh") == "meetings_held" {
		t.Fatal("meetings_held has no label: the test shows nothing")
	}
}

// The write-ups state the group-meeting rule that group_compliance checked, in the slot and
// count it sets: never the monthly default when another rule is in force.
func TestWriteUpsStateTheConfiguredMeetingRule(t *testing.T) {
	quarterly := meetingRule{Every: "quarter", Min: 2}
	for _, c := range []struct {
		name        string
		rule        meetingRule
		lang        Lang
		want, avoid []string
	}{
		{"default", monthlyRule, "zh", []string{"组织生活按 mingdeng.yaml 的规定核对：每月至少召开一次党小组会，党小组存续的每个整月", "按照每月至少召开一次党小组会的要求，全年有 2 个党小组",
			"一是落实每月至少召开一次党小组会的制度。", "按 mingdeng.yaml 的规定，每月至少召开一次党小组会；有记录的 24 个月中 16 个达到、8 个未达到。", "；合计缺会 0 个月次", "**每月党小组会次数**"}, []string{"季度"}},
		{"quarterly", quarterly, "zh", []string{"组织生活按 mingdeng.yaml 的规定核对：每季度至少召开 2 次党小组会，党小组存续的每个整季度",
			"### （一）部分党小组未做到每季度至少召开 2 次党小组会", "按照每季度至少召开 2 次党小组会的要求，全年有 2 个党小组",
			"一是落实每季度至少召开 2 次党小组会的制度。", "；合计缺会 0 个季度次", "**每季度党小组会次数**", "**未达到“每季度至少召开 2 次党小组会”的党小组（未达到的季度数最多的 20 个）**"},
			[]string{"每月至少", "按月", "个月次"}},
		{"none", meetingRule{}, "zh", []string{"mingdeng.yaml 未规定党小组会的频次，本报告不核对党小组会是否按规定召开。"},
			[]string{"每月至少", "按月开会", "缺会"}},
		{"quarterly-en", quarterly, "en", []string{"Against the rule of at least 2 group meetings a quarter, 2 groups", "Group meetings per quarter",
			"Meetings are checked against the rule of mingdeng.yaml, at least 2 group meetings a quarter: every full quarter"},
			[]string{"a month", "every month"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			an, gr := fixtureAnnual(), fixtureGroup()
			an.MeetingRule, gr.MeetingRule = c.rule, c.rule
			if !c.rule.Set() {
				an.Missed = nil // group_compliance checks nothing without a rule
			}
			md := plainMD(renderMD(t, BuildAnnual(an, c.lang))) + plainMD(renderMD(t, BuildGroup(gr, c.lang)))
			for _, w := range c.want {
				if !strings.Contains(md, w) {
					t.Errorf("the write-up lacks %q", w)
				}
			}
			for _, w := range c.avoid {
				if strings.Contains(md, w) {
					t.Errorf("the write-up says %q though the rule is %+v", w, c.rule)
				}
			}
			if t.Failed() {
				t.Log(md)
			}
		})
	}
}

// A share is drawn in percent on an axis named so: a scatter of the production-linked share
// reads 0–100 (%), and the meeting-quality lines put shares on a % axis of their own, away from
// the per-meeting counts.
func TestChartsDrawSharesInPercent(t *testing.T) {
	charts := map[string]*Chart{}
	for _, c := range BuildEvaluation(fixtureEvaluation(), "zh").Charts() {
		charts[c.ID] = c
	}
	sc := charts["eval-scatter-production_linked_share-defects_per_100km-lag1"]
	if sc == nil {
		t.Fatal("no scatter of the production-linked share")
	}
	if got := sc.Option.XAxis[0].Name; got != "结合中心工作的会议占比（%）" {
		t.Errorf("scatter x axis is named %q, want the share in %%", got)
	}
	maxX := 0.0
	for _, p := range sc.Option.Series[0].Data.([]any) {
		x := p.([]any)[0].(float64)
		if x < 0 || x > 100 {
			t.Fatalf("scatter point at x = %v, outside 0–100 %%", x)
		}
		maxX = math.Max(maxX, x)
	}
	if maxX <= 1 {
		t.Errorf("scatter x values at most %v: still a 0–1 share", maxX)
	}
	q := charts["eval-quality"]
	if len(q.Option.YAxis) != 2 || q.Option.YAxis[1].Name != "%" {
		t.Fatalf("meeting quality chart axes %+v: want counts on the left and %% on the right", q.Option.YAxis)
	}
	for _, s := range q.Option.Series {
		share := strings.HasSuffix(s.Name, "（%）")
		if share != (s.YAxisIndex == 1) {
			t.Errorf("series %q on axis %d", s.Name, s.YAxisIndex)
		}
		if share {
			for _, v := range s.Data.([]any) {
				if f, ok := v.(float64); ok && f <= 1 {
					t.Errorf("series %q has %v: a 0–1 share on the %% axis", s.Name, f)
				}
			}
		}
	}
}

// The correlation matrix labels each cell with r to two decimals.
func TestCorrelationCellsReadToTwoDecimals(t *testing.T) {
	for _, c := range BuildEvaluation(fixtureEvaluation(), "zh").Charts() {
		if c.ID != "eval-correlation" {
			continue
		}
		for _, d := range c.Option.Series[0].Data.([]any) {
			r := d.([]any)[2].(float64)
			if s := strconv.FormatFloat(r, 'f', -1, 64); len(strings.TrimLeft(s, "-")) > 4 {
				t.Errorf("cell label %s: more than two decimals", s)
			}
		}
		return
	}
	t.Fatal("no correlation chart")
}

// Every interval chart keeps zero on its axis (the captions read the intervals against the
// dashed line at 0), and a chart whose value axis is named leaves room above the grid for the
// name, which ECharts draws outside the area containLabel keeps.
func TestIntervalChartsShowZeroAndAxisNamesFit(t *testing.T) {
	reps := fixtureReports()
	forests := 0
	for name, r := range reps {
		for _, c := range r.Charts() {
			if c.Tooltip == TipForest {
				forests++
				if s := c.Option.XAxis[0].Scale; s != nil && *s {
					t.Errorf("%s %s: the interval axis is scaled, so 0 may fall off it", name, c.ID)
				}
			}
			named := false
			for _, y := range c.Option.YAxis {
				named = named || (y.Type == "value" && y.Name != "")
			}
			if named && c.Option.Grid != nil {
				if top, err := strconv.Atoi(c.Option.Grid.Top); err != nil || top < 36 {
					t.Errorf("%s %s: grid top %q leaves no room for the value axis's name", name, c.ID, c.Option.Grid.Top)
				}
			}
		}
	}
	if forests == 0 {
		t.Fatal("no interval charts in the fixture reports")
	}
}

// The concentration ranking shows the top 10%'s share as a percentage (100%, not 1).
func TestConcentrationRankingShowsTopShareInPercent(t *testing.T) {
	c := &Concentration{Units: map[string]string{"U01": "城东供电所"}, Results: []stats.Result{
		{Method: stats.MethodGini, Scope: "U01/2024", Activity: "awards", N: 106, Estimate: 0.99},
		{Method: stats.MethodTopShare, Scope: "U01/2024", Activity: "awards", N: 106, Estimate: 1},
	}}
	rt := RankedConcentration(c, "zh")
	if rt == nil {
		t.Fatal("no ranking")
	}
	r := &Report{Kind: "evaluation", Lang: "zh", Title: "排名", Sections: []Section{{ID: "rank", Title: "排名",
		Blocks: []Block{&TableBlock{ID: rt.ID, Caption: rt.Title, Table: rt.Table}}}}}
	md := plainMD(renderMD(t, r))
	if !strings.Contains(md, "| 1 | 城东供电所 | 2024 | 0.99 |") || !strings.Contains(md, "| 100.0% | 106 |") {
		t.Errorf("the ranking row does not show the top 10%%'s share in percent:\n%s", md)
	}
}

// The headline of violations, a mean over every month of the trends, names those months.
func TestViolationsHeadlineNamesItsMonths(t *testing.T) {
	out := &queries.Table{Columns: []queries.Column{{Name: "group_id", Type: queries.Text}, {Name: "period", Type: queries.Text}, {Name: "violations_per_100_staff", Type: queries.Float}},
		Rows: [][]any{{"G1", "2023-01", 2.0}, {"G1", "2023-02", 3.0}, {"G1", "2024-12", 4.0}}}
	d, err := EvaluationFromTables(EvaluationTables{Scope: fixtureEvaluation().Scope, OutcomesMonthly: out, Sources: map[string]Source{}})
	if err != nil {
		t.Fatal(err)
	}
	md := plainMD(renderMD(t, BuildEvaluation(d, "zh")))
	if !strings.Contains(md, "- **百人违章数（月均）**：3 起/百人（2023-01–2024-12）") {
		t.Errorf("the headline does not name the months it averages:\n%s", md)
	}
}

// The grade chart of one assessment year says the year (the report covers more years), and the
// compliance caption says how a month without records shows in the chart and in the table.
func TestGradeChartNamesItsYearAndGridSaysNoRecord(t *testing.T) {
	ev := fixtureEvaluation()
	g := *ev.Grades
	g.Periods = []string{"2024H1", "2024H2"}
	g.Counts = [][]int64{{4, 5}, {15, 15}, {4, 3}, {1, 1}}
	ev.Grades = &g
	md := plainMD(renderMD(t, BuildEvaluation(ev, "zh")))
	for _, w := range []string{"**2024 年各半年考评等次分布**", "图中空白、表中写“无记录”的格为无记录"} {
		if !strings.Contains(md, w) {
			t.Errorf("the evaluation lacks %q", w)
		}
	}
	if md := plainMD(renderMD(t, BuildEvaluation(fixtureEvaluation(), "zh"))); !strings.Contains(md, "**各半年考评等次分布**") {
		t.Error("grades over several years should keep the title without a year")
	}
}

// The English write-up keeps a share with what it is a share of, before the year-on-year part.
func TestEnglishComplianceSentenceReadsInOrder(t *testing.T) {
	d := fixtureAnnual()
	prior := d.This
	prior.Compliance, prior.HasGrid = 0.911, true
	d.Prior = &prior
	md := plainMD(renderMD(t, BuildAnnual(d, "en")))
	if !regexp.MustCompile(`Group-months that met it: [0-9.]+%, last year 91\.1%\. `).MatchString(md) || strings.Contains(md, "of group-months.") {
		t.Errorf("the compliance sentence reads out of order:\n%s", md)
	}
}

// A share cell that rounds to zero reads 0.0%, not -0.0% (a decrease the figure cannot show);
// a negative share with a digit to show keeps its sign.
func TestShareCellsHaveNoNegativeZero(t *testing.T) {
	c := queries.Column{Name: "share", Type: queries.Float, Unit: table.Share}
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{-0.0004, "0.0%"}, {math.Copysign(0, -1), "0.0%"}, {-0.00049, "0.0%"}, {-0.0006, "-0.1%"}, {-0.012, "-1.2%"}, {0.944, "94.4%"},
	} {
		if got := cellText(tt.v, c, "zh", true); got != tt.want {
			t.Errorf("share %v reads %q, want %q", tt.v, got, tt.want)
		}
	}
}

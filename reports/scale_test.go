package reports

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// A province-sized evaluation draws what a reader can use and keeps every row in the XLSX:
// the least compliant groups and a per-unit summary instead of a row per group, a sample of
// the scatter points, and a survey heatmap instead of a radar of hundreds of units.
func TestLargeEvaluationSummarisesThePage(t *testing.T) {
	const groups, units = 1200, 60
	d := &EvaluationData{MeetingRule: monthlyRule}
	g := &HeatGrid{Cols: []string{"2023-11", "2023-12", "2024-01", "2024-02"}, Src: src("group_compliance", "--period month")}
	for i := 0; i < groups; i++ {
		g.Rows = append(g.Rows, fmt.Sprintf("党小组%04d", i))
		g.Units = append(g.Units, fmt.Sprintf("单位%02d", i%units))
		row := []float64{1, 1, 1, 1}
		if i < 7 {
			row[1] = 0 // the least compliant come first, as complianceGrid sorts them
		}
		if i == 0 {
			row[0] = math.NaN()
		}
		g.Values = append(g.Values, row)
	}
	d.Compliance = g
	sc := Scatter{Activity: "meetings_held", Outcome: "violations_per_100_staff", Lag: 1, Src: src("analyze", "")}
	for i := 0; i < 10000; i++ {
		sc.Points = append(sc.Points, Point{Label: fmt.Sprintf("党小组%04d · %d", i%groups, i), X: float64(i % 7), Y: float64(i % 11)})
	}
	sc.Result = fixtureResult("pearson", sc.Activity, sc.Outcome, 1, 0.1, 0.01, len(sc.Points))
	d.Scatters = []Scatter{sc}
	sv := &SurveyRadar{Dimensions: []string{"职工·沟通", "职工·培训"}, Src: src("unit_surveys", "")}
	for u := 0; u < units; u++ {
		sv.Units = append(sv.Units, NamedSeries{Name: fmt.Sprintf("单位%02d", u), Values: []float64{60 + float64(u%9), math.NaN()}})
	}
	d.Survey = sv
	r := BuildEvaluation(d, "zh")

	charts := map[string]*Chart{}
	for _, c := range r.Charts() {
		charts[c.ID] = c
	}
	if c := charts["eval-compliance"]; c == nil || len(c.Data.Rows) != attentionRows || c.Data.Rows[0][0] != "党小组0000" {
		t.Fatalf("compliance chart: %+v", c)
	}
	if c := charts["eval-compliance-units"]; c == nil || len(c.Data.Rows) != units {
		t.Fatalf("unit compliance chart: %+v", c)
	}
	// Unit 00 holds groups 0, 60, …, 1140: 40 group-months in 2023, one without a value (group 0
	// before it was formed) and one missed, so 38 of 39.
	if c := charts["eval-compliance-units"]; c.Data.Rows[0][0] != "单位00" || math.Abs(c.Data.Rows[0][1].(float64)-38.0/39) > 1e-12 {
		t.Errorf("unit row %v, want 单位00 with 2023 at 38/39", c.Data.Rows[0])
	}
	var all *TableBlock
	for _, nt := range r.Tables() {
		if nt.ID == "eval-compliance-all" {
			all = &TableBlock{Table: nt.Table}
		}
	}
	if all == nil || len(all.Table.Rows) != groups {
		t.Fatalf("the XLSX must keep every group: %+v", all)
	}
	scat := charts["eval-scatter-meetings_held-violations_per_100_staff-lag1"]
	if n := len(scat.Option.Series[0].Values()); n != maxScatterPoints || len(scat.Data.Rows) != 10000 {
		t.Errorf("scatter draws %d points and keeps %d rows, want %d and 10000", n, len(scat.Data.Rows), maxScatterPoints)
	}
	if !strings.Contains(scat.Caption, "10000") {
		t.Errorf("the caption must say the chart is a sample: %s", scat.Caption)
	}
	if c := charts["eval-survey"]; c == nil || c.Option.Series[0].Type != "heatmap" || len(c.Data.Rows) != units {
		t.Errorf("survey of %d units: %+v", units, c)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, r); err != nil {
		if strings.Contains(err.Error(), "echarts") {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	if strings.Contains(page.String(), "党小组1199<") || !strings.Contains(page.String(), "eval-compliance-all") {
		t.Error("the page must leave the per-group rows to the XLSX and name the sheet")
	}
}

// Units that share a name (every county has its 城东供电所) stay apart in the per-unit summary.
func TestComplianceGridKeepsUnitsWithTheSameNameApart(t *testing.T) {
	tb := &queries.Table{Columns: []queries.Column{{Name: "unit_id"}, {Name: "unit_name"}, {Name: "group_id"}, {Name: "group_name"}, {Name: "period"}, {Name: "compliance"}}}
	for _, r := range [][]any{{"U1", "城东供电所", "G1", "运行党小组", "2024-01", 1.0}, {"U2", "城东供电所", "G2", "运行党小组", "2024-01", 0.0}, {"U3", "营销部", "G3", "客服党小组", "2024-01", 1.0}} {
		tb.Rows = append(tb.Rows, r)
	}
	uniqueGroupNames(tb)
	g := complianceGrid(tb)
	ug := unitYearGrid(g)
	if len(ug.Rows) != 3 || ug.Rows[0] != "城东供电所（U2）" || ug.Values[0][0] != 0 {
		t.Errorf("units %v %v, want three, 城东供电所（U2） first at 0", ug.Rows, ug.Values)
	}
}

// A group without a single month it had to meet in (formed and dissolved within a month, or
// outside the range) has no compliance at all: it goes last, not among the least compliant. Its
// NaN mean used to break the sort and put blank rows among the 40 groups needing attention.
func TestComplianceGridPutsGroupsWithoutMonthsLast(t *testing.T) {
	tb := &queries.Table{Columns: []queries.Column{{Name: "unit_id"}, {Name: "unit_name"}, {Name: "group_id"}, {Name: "group_name"}, {Name: "period"}, {Name: "compliance"}}}
	for _, r := range [][]any{
		{"U1", "甲所", "G1", "一组", "2024-01", 1.0}, {"U1", "甲所", "G1", "一组", "2024-02", 1.0},
		{"U1", "甲所", "G2", "二组", "2024-01", nil}, {"U1", "甲所", "G2", "二组", "2024-02", nil},
		{"U1", "甲所", "G3", "三组", "2024-01", 0.0}, {"U1", "甲所", "G3", "三组", "2024-02", 1.0},
		{"U1", "甲所", "G4", "四组", "2024-01", nil}, {"U1", "甲所", "G4", "四组", "2024-02", 0.0},
	} {
		tb.Rows = append(tb.Rows, r)
	}
	g := complianceGrid(tb)
	if want := []string{"四组", "三组", "一组", "二组"}; !slices.Equal(g.Rows, want) {
		t.Errorf("rows %v, want %v (least compliant first, the group without months last)", g.Rows, want)
	}
}

package reports

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// adhocTable is a query result as queries.Collect returns it, with a hostile unit name.
func adhocTable() *queries.Table {
	tb := &queries.Table{Columns: []queries.Column{{Name: "unit", Type: queries.Text}, {Name: "month", Type: queries.Text},
		{Name: "meetings", Type: queries.Integer}, {Name: "attendance", Type: queries.Float}}}
	units := []string{"线路工区", evilName, "变电运维工区"}
	for m := 1; m <= 6; m++ {
		for i, u := range units {
			tb.Rows = append(tb.Rows, []any{u, "2024-0" + string(rune('0'+m)), int64(m + i), 0.7 + 0.04*float64(m) - 0.05*float64(i)})
		}
	}
	return tb
}

// adhocReports are one-chart reports of every type, drawn through BuildChartReport.
func adhocReports() map[string]*Report {
	out := map[string]*Report{}
	for _, s := range []ChartSpec{
		{ID: "adhoc-bar", Type: "bar", X: "month", Y: "meetings", Series: "unit", Title: "各单位每月会议数"},
		{ID: "adhoc-line", Type: "line", X: "month", Y: "attendance", Series: "unit"},
		{ID: "adhoc-scatter", Type: "scatter", X: "meetings", Y: "attendance", Series: "unit"},
		{ID: "adhoc-heatmap", Type: "heatmap", X: "month", Y: "attendance", Series: "unit"},
		{ID: "adhoc-pie", Type: "pie", X: "unit", Y: "meetings"},
	} {
		r, err := BuildChartReport(adhocTable(), s, ChartPage{SQL: "select unit, month, meetings, attendance from t", Params: "year=2024"}, "zh")
		if err != nil {
			panic(err)
		}
		out[s.ID] = r
	}
	return out
}

func TestBuildChartNamesMissingColumns(t *testing.T) {
	tb := adhocTable()
	for _, tt := range []struct {
		spec ChartSpec
		want string
	}{
		{ChartSpec{Type: "bar", X: "unitt", Y: "meetings"}, `x column "unitt" is not in the result (its columns: unit, month, meetings, attendance)`},
		{ChartSpec{Type: "bar", X: "unit", Y: "nope"}, `y column "nope" is not in the result (its columns: unit, month, meetings, attendance)`},
		{ChartSpec{Type: "bar", X: "unit", Y: "meetings", Series: "s"}, `series column "s" is not in the result`},
		{ChartSpec{Type: "bar", X: "unit", Y: "month"}, `y column "month" must hold numbers`},
		{ChartSpec{Type: "scatter", X: "unit", Y: "meetings"}, `x column "unit" must hold numbers`},
		{ChartSpec{Type: "heatmap", X: "unit", Y: "meetings"}, `a heatmap needs a series column`},
		{ChartSpec{Type: "pie", X: "unit", Y: "meetings", Series: "month"}, `a pie chart takes no series column`},
		{ChartSpec{Type: "donut", X: "unit", Y: "meetings"}, `chart type "donut": expected one of bar, line, scatter, heatmap, pie`},
		{ChartSpec{Type: "bar", Y: "meetings"}, `no x column given`},
	} {
		_, err := BuildChart(tb, tt.spec, "en")
		var se *SpecError
		if !errors.As(err, &se) || !strings.Contains(se.Message("en"), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.spec, err, tt.want)
		}
		if se != nil && !strings.ContainsAny(se.Message("zh"), "列图须类无缺") {
			t.Errorf("%+v: Chinese message %q", tt.spec, se.Message("zh"))
		}
	}
	// Column names match case-insensitively when there is no exact match.
	if _, err := BuildChart(tb, ChartSpec{Type: "bar", X: "UNIT", Y: "Meetings"}, "zh"); err != nil {
		t.Error(err)
	}
}

func TestBuildChartSeriesLayout(t *testing.T) {
	c, err := BuildChart(adhocTable(), ChartSpec{Type: "bar", X: "month", Y: "meetings", Series: "unit"}, "zh")
	if err != nil {
		t.Fatal(err)
	}
	if cats, _ := c.Option.XAxis[0].Data.([]string); len(c.Option.Series) != 3 || len(cats) != 6 || c.Option.Series[1].Name != evilName {
		t.Fatalf("series %d, categories %v", len(c.Option.Series), c.Option.XAxis[0].Data)
	}
	// The third unit in June: meetings = 6 + 2.
	if got := c.Option.Series[2].Values()[5]; got != 8.0 {
		t.Errorf("value %v, want 8", got)
	}
	if c.Data.Rows == nil || c.ID != "chart" || !strings.Contains(c.Caption, "18 行") {
		t.Errorf("chart %s caption %q", c.ID, c.Caption)
	}
}

// A heatmap's colour scale holds every cell as the page gets it: the bounds are those of the
// values written (6 significant digits), so the largest and smallest cells are coloured, not
// left out of range, and a max of 0 is written (ECharts' default max is 200).
func TestHeatmapScaleHoldsEveryCell(t *testing.T) {
	for _, c := range []struct {
		name string
		vals []float64
	}{
		{"thirds", []float64{2.0 / 3, 1.0 / 3, -1.0 / 3, 0.1}},
		{"large", []float64{1234567.8, 1234000, 999999.94}},
		{"at or below zero", []float64{-3, -1, 0}},
	} {
		tb := &queries.Table{Columns: []queries.Column{{Name: "unit", Type: queries.Text}, {Name: "month", Type: queries.Text}, {Name: "v", Type: queries.Float}}}
		for i, v := range c.vals {
			tb.Rows = append(tb.Rows, []any{"单位" + string(rune('A'+i)), "2024-01", v})
		}
		ch, err := BuildChart(tb, ChartSpec{Type: "heatmap", X: "month", Y: "v", Series: "unit"}, "zh")
		if err != nil {
			t.Fatal(err)
		}
		b, err := OptionJSON(ch)
		if err != nil {
			t.Fatal(err)
		}
		var opt struct {
			VisualMap []map[string]any `json:"visualMap"`
			Series    []struct {
				Data [][3]float64 `json:"data"`
			} `json:"series"`
		}
		if err := json.Unmarshal(b, &opt); err != nil {
			t.Fatal(err)
		}
		lo, okLo := opt.VisualMap[0]["min"].(float64)
		hi, okHi := opt.VisualMap[0]["max"].(float64)
		if !okLo || !okHi {
			t.Fatalf("%s: visualMap %v lacks min or max", c.name, opt.VisualMap[0])
		}
		for _, d := range opt.Series[0].Data {
			if d[2] < lo || d[2] > hi {
				t.Errorf("%s: cell %v outside the colour scale [%v, %v]", c.name, d[2], lo, hi)
			}
		}
		if len(opt.Series[0].Data) != len(c.vals) {
			t.Errorf("%s: %d cells, want %d", c.name, len(opt.Series[0].Data), len(c.vals))
		}
	}
}

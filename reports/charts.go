package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/queries/table"
)

// palette is the colour order of series (readable in print and for common colour blindness).
var palette = []string{"#b8262b", "#2f6db5", "#e39b2d", "#3c9a5f", "#7b5aa6", "#5b6770", "#c45fa0", "#1d9aa8"}

// heatRamp goes from poor (red) to good (green).
var heatRamp = []string{"#c0392b", "#f39c12", "#f7e08a", "#8fd19e", "#2e8b57"}

// divergingRamp is for correlations (-1 blue, 0 white, +1 red).
var divergingRamp = []string{"#2f6db5", "#9cc3e6", "#f7f7f7", "#f1a99b", "#b8262b"}

func nanToNil(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func col(name string, typ queries.ColumnType) queries.Column {
	return queries.Column{Name: name, Type: typ}
}

// shareCol is a float column of shares 0–1, shown as percentages (100%, not 1).
func shareCol(name string) queries.Column {
	c := col(name, queries.Float)
	c.Unit = table.Share
	return c
}

// metricCol is a float column of a metric's values; shares carry their unit so the XLSX shows
// them as percentages.
func metricCol(name, metric string) queries.Column {
	c := col(name, queries.Float)
	if queries.UnitOf(metric).Kind == queries.UnitShare {
		c.Unit = table.Share
	}
	return c
}

// nameTop is the room above a grid whose value axis has a name: ECharts sets the name above the
// axis end (15 px gap, 12 px text) and containLabel does not count it, so at 20 px the top of
// 党小组数 was cut off.
const nameTop = "36"

// grid places the plot area; its labels are kept inside it.
func grid(left, right, top, bottom string) *opts.Grid {
	return &opts.Grid{Left: left, Right: right, Top: top, Bottom: bottom, ContainLabel: opts.Bool(true)}
}

// everyLabel draws every category's label (group and metric names), rotated by the degrees given.
func everyLabel(rotate float64) *AxisLabel {
	return &AxisLabel{AxisLabel: opts.AxisLabel{Rotate: rotate}, Interval: ptr(0)}
}

// colourScale is a heatmap's continuous colour bar from min to max, under the grid.
func colourScale(min, max float64, ramp []string, bottom string) VisualMap {
	return VisualMap{VisualMap: opts.VisualMap{Type: "continuous", Calculable: opts.Bool(true), Orient: "horizontal", Left: "center",
		Bottom: bottom, InRange: &opts.VisualMapInRange{Color: ramp}}, Min: min, Max: max, Precision: 2}
}

// categoryGrid is the two category axes of a heatmap, rows top down, with striped cells.
func categoryGrid(cols, rows []string) ([]XAxis, []YAxis) {
	return []XAxis{{XAxis: opts.XAxis{Type: "category", Data: cols, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}}},
		[]YAxis{{YAxis: opts.YAxis{Type: "category", Data: rows, Inverse: opts.Bool(true), SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}}}
}

// heatmapChart draws a rows × cols grid; the rows scroll when there are many.
func heatmapChart(id, title, caption string, g *HeatGrid, lang Lang, min, max float64, ramp []string, showLabels bool) *Chart {
	var data []any
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "行", "row"), queries.Text)}}
	for _, c := range g.Cols {
		tb.Columns = append(tb.Columns, col(c, queries.Float))
	}
	tb.Columns[0].Name = ""
	for i, row := range g.Values {
		trow := []any{g.Rows[i]}
		for j, v := range row {
			trow = append(trow, nanToNil(v))
			if !math.IsNaN(v) {
				data = append(data, []any{j, i, v})
			}
		}
		tb.Rows = append(tb.Rows, trow)
	}
	visible := len(g.Rows)
	height := 120 + 22*visible
	opt := Option{
		Tooltip:   tip("item"),
		Grid:      grid("2%", "6%", "8", "70"),
		VisualMap: []VisualMap{colourScale(min, max, ramp, "5")},
		Series: []Series{{SingleSeries: charts.SingleSeries{Type: "heatmap", Name: title, Data: data,
			Label: &opts.Label{Show: opts.Bool(showLabels), FontSize: 10}, Emphasis: &opts.Emphasis{Focus: "self"}}}},
	}
	opt.XAxis, opt.YAxis = categoryGrid(g.Cols, g.Rows)
	if len(data) <= 10000 {
		// Drawn in one pass: frame by frame, a page printed to PDF or captured as soon as it
		// loads shows the grid half drawn (the 40 × 120 province grid stopped after 22 rows).
		opt.Series[0].Progressive = new(int)
	}
	if visible > 40 {
		// Many groups: show 40 at a time with a scroll bar (all are under "show data").
		visible = 40
		height = 120 + 22*visible
		opt.DataZoom = []DataZoom{{DataZoom: opts.DataZoom{Type: "slider", YAxisIndex: 0}, StartValue: ptr(0), EndValue: ptr(39), Right: "0"},
			{DataZoom: opts.DataZoom{Type: "inside", YAxisIndex: 0}, StartValue: ptr(0), EndValue: ptr(39)}}
	}
	return &Chart{ID: id, Title: title, Caption: caption, Height: height, Tooltip: TipHeatmap, Option: opt, Data: tb, Ref: g.Src.ID}
}

// summerAreas marks the summer peaks (迎峰度夏, July and August) on monthly labels YYYY-MM.
func summerAreas(periods []string, lang Lang) *MarkArea {
	var areas []any
	for i := 0; i < len(periods); i++ {
		if !isSummer(periods[i]) {
			continue
		}
		j := i
		for j+1 < len(periods) && isSummer(periods[j+1]) {
			j++
		}
		areas = append(areas, [2]opts.MarkAreaNameXAxisItem{{Name: t(lang, "迎峰度夏", "summer peak"), XAxis: periods[i]}, {XAxis: periods[j]}})
		i = j
	}
	if len(areas) == 0 {
		return nil
	}
	return &MarkArea{MarkAreas: opts.MarkAreas{Data: areas, MarkAreaStyle: opts.MarkAreaStyle{ItemStyle: &opts.ItemStyle{Color: "rgba(227,155,45,0.16)"},
		Label: &opts.Label{Show: opts.Bool(true), Position: "insideTop", FontSize: 10}}}, Silent: true}
}

func isSummer(p string) bool {
	return len(p) == 7 && p[4] == '-' && (strings.HasSuffix(p, "-07") || strings.HasSuffix(p, "-08"))
}

// lineChart draws each series over the periods; markSummer shades the summer peaks.
func lineChart(id, title, caption string, ts *TimeSeries, lang Lang, markSummer bool) *Chart {
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "期间", "period"), queries.Text)}}
	opt := Option{
		Color:   palette,
		Tooltip: tip("axis"),
		Legend:  &opts.Legend{Bottom: "0", Type: "scroll"},
		Grid:    grid("3%", "4%", nameTop, "50"),
		XAxis:   []XAxis{{XAxis: opts.XAxis{Type: "category", Data: ts.Periods}}},
		YAxis:   []YAxis{{YAxis: opts.YAxis{Type: "value", Scale: opts.Bool(true)}}},
	}
	// Shares are drawn in percent and named so: on one axis with counts, 0.47 reads as a count.
	// With counts beside them they get an axis of their own on the right.
	shares, counts := 0, 0
	for _, s := range ts.Series {
		if queries.UnitOf(s.Name).Kind == queries.UnitShare {
			shares++
		} else {
			counts++
		}
	}
	if shares > 0 && counts > 0 {
		opt.YAxis = append(opt.YAxis, YAxis{YAxis: opts.YAxis{Type: "value", Name: "%", Position: "right", Scale: opts.Bool(true), SplitLine: &opts.SplitLine{Show: opts.Bool(false)}}})
	} else if shares > 0 {
		opt.YAxis[0].Name = "%"
	}
	for si, s := range ts.Series {
		name := queries.MetricLabel(s.Name, lang)
		tb.Columns = append(tb.Columns, metricCol(name, s.Name))
		k, axis := queries.UnitOf(s.Name).Scale(), 0
		if k != 1 {
			name += t(lang, "（%）", " (%)")
			if counts > 0 {
				axis = 1
			}
		}
		data := make([]any, len(s.Values))
		for i, v := range s.Values {
			data[i] = nanToNil(v * k)
		}
		ser := Series{SingleSeries: charts.SingleSeries{Type: "line", Name: name, Data: data, ShowSymbol: opts.Bool(len(ts.Periods) <= 24), YAxisIndex: axis}}
		if markSummer && si == 0 {
			ser.MarkArea = summerAreas(ts.Periods, lang)
		}
		opt.Series = append(opt.Series, ser)
	}
	for i, p := range ts.Periods {
		row := []any{p}
		for _, s := range ts.Series {
			if i < len(s.Values) {
				row = append(row, nanToNil(s.Values[i]))
			} else {
				row = append(row, nil)
			}
		}
		tb.Rows = append(tb.Rows, row)
	}
	return &Chart{ID: id, Title: title, Caption: caption, Tooltip: TipAxis, Option: opt, Data: tb, Ref: ts.Src.ID}
}

// gradeChart stacks the number of groups per grade for each half.
func gradeChart(id, title, caption string, g *GradeDistribution, lang Lang) *Chart {
	colors := []string{"#2e8b57", "#2f6db5", "#e39b2d", "#c0392b"}
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "半年", "half"), queries.Text)}}
	opt := Option{
		Color:   colors,
		Tooltip: tip("axis"),
		Legend:  &opts.Legend{Bottom: "0"},
		Grid:    grid("3%", "4%", nameTop, "50"),
		XAxis:   []XAxis{{XAxis: opts.XAxis{Type: "category", Data: g.Periods}}},
		YAxis:   []YAxis{{YAxis: opts.YAxis{Type: "value", Name: t(lang, "党小组数", "groups")}}},
	}
	for gi, code := range g.Grades {
		name := GradeLabel(code, lang)
		tb.Columns = append(tb.Columns, col(name, queries.Integer))
		data := make([]any, len(g.Periods))
		for i := range g.Periods {
			data[i] = g.Counts[gi][i]
		}
		opt.Series = append(opt.Series, Series{SingleSeries: charts.SingleSeries{Type: "bar", Name: name, Stack: "grades", Data: data, BarMaxWidth: "48"}})
	}
	for i, p := range g.Periods {
		row := []any{p}
		for gi := range g.Grades {
			row = append(row, g.Counts[gi][i])
		}
		tb.Rows = append(tb.Rows, row)
	}
	return &Chart{ID: id, Title: title, Caption: caption, Tooltip: TipAxis, Option: opt, Data: tb, Ref: g.Src.ID}
}

// fitLine is the least-squares line through the points, from the smallest to the largest x.
func fitLine(ps []Point) (x0, y0, x1, y1 float64, ok bool) {
	var n, sx, sy, sxx, sxy float64
	x0, x1 = math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) {
			continue
		}
		n++
		sx += p.X
		sy += p.Y
		sxx += p.X * p.X
		sxy += p.X * p.Y
		x0, x1 = math.Min(x0, p.X), math.Max(x1, p.X)
	}
	d := n*sxx - sx*sx
	if n < 2 || d == 0 {
		return 0, 0, 0, 0, false
	}
	b := (n*sxy - sx*sy) / d
	a := (sy - b*sx) / n
	return x0, a + b*x0, x1, a + b*x1, true
}

// ResultCaption states an estimate with its uncertainty in plain words.
func ResultCaption(r stats.Result, lang Lang) string {
	p := FormatP(r.P)
	s := fmt.Sprintf(t(lang, "%s：估计值 %s，95%% 置信区间 [%s, %s]，p %s，n = %d", "%s: estimate %s, 95%% CI [%s, %s], p %s, n = %d"),
		queries.MethodLabel(r.Method, lang), FormatNum(r.Estimate), FormatNum(r.CILow), FormatNum(r.CIHigh), p, r.N)
	if !math.IsNaN(r.PAdj) {
		s += fmt.Sprintf(t(lang, "，多重比较校正后 p %s", ", p adjusted for multiple comparisons %s"), FormatP(r.PAdj))
	}
	if r.Groups > 0 {
		s += fmt.Sprintf(t(lang, "，%d 个党小组", ", %d groups"), r.Groups)
	}
	return s
}

// FormatP writes a p-value as "= 0.031" or "< 0.001".
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "= –"
	case p < 0.001:
		return "< 0.001"
	}
	return "= " + FormatNum(p)
}

func warningsText(r stats.Result, lang Lang) string {
	var ws []string
	for _, w := range r.Warnings {
		if lang == "en" {
			ws = append(ws, w.EN)
		} else {
			ws = append(ws, w.ZH)
		}
	}
	if len(ws) == 0 {
		return ""
	}
	return t(lang, "注意：", "Caution: ") + strings.Join(ws, t(lang, "；", "; "))
}

// scatterChart plots activity against outcome with the fitted line; the caption gives r, CI,
// p and n, and with explain how to read the plot (a page says it once). period is the analysis
// grain the points are per (month, quarter, half, year), named in the title's lag and the caption.
func scatterChart(id string, sc *Scatter, period string, explain bool, lang Lang) *Chart {
	xn, yn := queries.MetricLabel(sc.Activity, lang), queries.MetricLabel(sc.Outcome, lang)
	g := grainOf(period, lang)
	title := fmt.Sprintf(t(lang, "%s 与 %s", "%s and %s"), xn, yn)
	if sc.Lag > 0 {
		title += fmt.Sprintf(t(lang, "（滞后 %d %s）", " (%d %s lag)"), sc.Lag, g.Count)
	}
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "党小组·期间", "group · period"), queries.Text), metricCol(xn, sc.Activity), metricCol(yn, sc.Outcome)}}
	tb.Rows = make([][]any, 0, len(sc.Points))
	var shown []Point
	for _, p := range sc.Points {
		tb.Rows = append(tb.Rows, []any{p.Label, nanToNil(p.X), nanToNil(p.Y)})
		if !math.IsNaN(p.X) && !math.IsNaN(p.Y) {
			shown = append(shown, p)
		}
	}
	all := len(shown)
	shown = samplePoints(shown, maxScatterPoints)
	// A share is drawn in percent, its axis named so: 0.4 on an axis reads as a count.
	kx, ky := queries.UnitOf(sc.Activity).Scale(), queries.UnitOf(sc.Outcome).Scale()
	xAxis, yAxis := xn, yn
	if kx != 1 {
		xAxis += t(lang, "（%）", " (%)")
	}
	if ky != 1 {
		yAxis += t(lang, "（%）", " (%)")
	}
	pts := make([]any, 0, len(shown))
	for _, p := range shown {
		pts = append(pts, []any{p.X * kx, p.Y * ky, p.Label})
	}
	opt := Option{
		Color:   palette,
		Tooltip: tip("item"),
		Grid:    grid("4%", "6%", nameTop, "40"),
		XAxis:   []XAxis{{XAxis: opts.XAxis{Type: "value", Name: xAxis, NameLocation: "middle", NameGap: 28, Scale: opts.Bool(true)}}},
		YAxis:   []YAxis{{YAxis: opts.YAxis{Type: "value", Name: yAxis, Scale: opts.Bool(true)}}},
		Series: []Series{{SingleSeries: charts.SingleSeries{Type: "scatter", Name: t(lang, "党小组", "groups"), Data: pts, SymbolSize: 6,
			ItemStyle: &opts.ItemStyle{Opacity: opts.Float(0.6)}}}},
	}
	if x0, y0, x1, y1, ok := fitLine(sc.Points); ok {
		opt.Series = append(opt.Series, Series{SingleSeries: charts.SingleSeries{Type: "line", Name: t(lang, "拟合直线", "fitted line"),
			Data: []any{[]any{x0 * kx, y0 * ky}, []any{x1 * kx, y1 * ky}}, ShowSymbol: opts.Bool(false), LineStyle: &opts.LineStyle{Color: "#1f2328", Width: 2}},
			Silent: true, Tooltip: noTooltip()})
	}
	caption := ResultCaption(sc.Result, lang) + t(lang, "。", ".")
	if explain {
		caption += fmt.Sprintf(t(lang, "每个点是一个党小组在%s的值；直线为最小二乘拟合。", " Each point is one group in %s; the line is the least-squares fit."), g.One)
	}
	if len(shown) < all {
		caption += fmt.Sprintf(t(lang, "图中画出随机抽取的 %d 个点（共 %d 个）；直线和统计量用全部的点，全部的点见 XLSX 文件。",
			" The chart draws a random sample of %d of the %d points; the line and the statistics use them all, and all points are in the XLSX file."), len(shown), all)
	}
	if w := warningsText(sc.Result, lang); w != "" {
		caption += " " + w
	}
	return &Chart{ID: id, Title: title, Caption: caption, Height: 380, Tooltip: TipScatter, Option: opt, Data: tb, Ref: sc.Src.ID}
}

// corrChart draws the correlation matrix as a heatmap with r in each cell.
func corrChart(id string, m *Matrix, lang Lang) *Chart {
	rows := make([]string, len(m.Rows))
	for i, r := range m.Rows {
		rows[i] = queries.MetricLabel(r, lang)
	}
	cols := make([]string, len(m.Cols))
	for i, c := range m.Cols {
		cols[i] = queries.MetricLabel(c, lang)
	}
	var data []any
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "活动指标", "activity"), queries.Text), col(t(lang, "成效指标", "outcome"), queries.Text),
		col("r", queries.Float), col("p", queries.Float), col("n", queries.Integer)}}
	for i := range m.Rows {
		for j := range m.Cols {
			r := m.R[i][j]
			var p float64 = math.NaN()
			if m.P != nil {
				p = m.P[i][j]
			}
			var n int64
			if m.N != nil {
				n = int64(m.N[i][j])
			}
			tb.Rows = append(tb.Rows, []any{rows[i], cols[j], nanToNil(r), nanToNil(p), n})
			if !math.IsNaN(r) {
				// The cell label prints the value as given: two decimals are what r is read to
				// (-0.16, not -0.158465); the table under the chart keeps every digit.
				data = append(data, []any{j, i, math.Round(r*100) / 100})
			}
		}
	}
	opt := Option{
		Tooltip:   tip("item"),
		Grid:      grid("2%", "4%", "10", "70"),
		XAxis:     []XAxis{{XAxis: opts.XAxis{Type: "category", Data: cols}, AxisLabel: everyLabel(20)}},
		YAxis:     []YAxis{{YAxis: opts.YAxis{Type: "category", Data: rows, Inverse: opts.Bool(true)}, AxisLabel: everyLabel(0)}},
		VisualMap: []VisualMap{colourScale(-1, 1, divergingRamp, "0")},
		Series:    []Series{{SingleSeries: charts.SingleSeries{Type: "heatmap", Name: "r", Data: data, Label: &opts.Label{Show: opts.Bool(true), FontSize: 11}}}},
	}
	caption := t(lang, "格中数字为皮尔逊相关系数 r（-1 到 1）：红色为正相关，蓝色为负相关，颜色越深关系越强。相关不等于因果，见“方法与注意事项”。",
		"Each cell is Pearson's r (-1 to 1): red positive, blue negative, darker stronger. Correlation is not causation: see “Methods and caveats”.")
	return &Chart{ID: id, Title: t(lang, "活动指标与成效指标的相关矩阵", "Correlation of activity and outcome metrics"), Caption: caption,
		Height: 140 + 34*len(rows), Tooltip: TipHeatmap, Option: opt, Data: tb, Ref: m.Src.ID}
}

// EstimateLabel names an activity → outcome estimate.
func EstimateLabel(r stats.Result, lang Lang) string {
	s := queries.MetricLabel(r.Activity, lang) + " → " + queries.MetricLabel(r.Outcome, lang)
	if r.Lag > 0 {
		s += fmt.Sprintf(t(lang, "（滞后%d）", " (lag %d)"), r.Lag)
	}
	return s
}

// forestChart draws each estimate with its 95% CI and a line at zero.
func forestChart(id, title, caption string, es *Estimates, lang Lang) *Chart {
	labels := make([]string, len(es.Results))
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "关系", "relation"), queries.Text), col(t(lang, "方法", "method"), queries.Text),
		col(t(lang, "估计值", "estimate"), queries.Float), col(t(lang, "95% 下限", "CI low"), queries.Float), col(t(lang, "95% 上限", "CI high"), queries.Float),
		col("p", queries.Float), col(t(lang, "校正后 p", "adjusted p"), queries.Float), col("n", queries.Integer), col(t(lang, "党小组数", "groups"), queries.Integer)}}
	var points []any
	opt := Option{
		Color:   palette,
		Tooltip: tip("item"),
		Grid:    grid("2%", "6%", "10", "30"),
		XAxis: []XAxis{{XAxis: opts.XAxis{Type: "value", Name: t(lang, "效应（成效指标的单位）", "effect (outcome units)"), NameLocation: "middle",
			NameGap: 24}}}, // not scaled: zero, the dashed line the captions read the intervals against, stays on the axis
	}
	for i, r := range es.Results {
		labels[i] = EstimateLabel(r, lang)
		tb.Rows = append(tb.Rows, []any{labels[i], queries.MethodLabel(r.Method, lang), nanToNil(r.Estimate), nanToNil(r.CILow), nanToNil(r.CIHigh),
			nanToNil(r.P), nanToNil(r.PAdj), int64(r.N), int64(r.Groups)})
		if !math.IsNaN(r.CILow) && !math.IsNaN(r.CIHigh) {
			// One short line per interval: drawn as its own series so intervals never join.
			opt.Series = append(opt.Series, Series{SingleSeries: charts.SingleSeries{Type: "line", Name: labels[i], Data: []any{[]any{r.CILow, i}, []any{r.CIHigh, i}},
				Symbol: "rect", SymbolSize: 2, LineStyle: &opts.LineStyle{Color: "#5b6770", Width: 2}}, Silent: true, Tooltip: noTooltip()})
		}
		if !math.IsNaN(r.Estimate) {
			points = append(points, []any{r.Estimate, i, r.CILow, r.CIHigh, r.P})
		}
	}
	opt.YAxis = []YAxis{{YAxis: opts.YAxis{Type: "category", Data: labels, Inverse: opts.Bool(true)}, AxisLabel: everyLabel(0)}}
	opt.Series = append(opt.Series, Series{SingleSeries: charts.SingleSeries{Type: "scatter", Name: t(lang, "估计值", "estimate"), Data: points, SymbolSize: 10,
		ItemStyle: &opts.ItemStyle{Color: "#b8262b"}}, Z: 3,
		MarkLine: &MarkLine{MarkLines: opts.MarkLines{Data: []any{opts.MarkLineNameXAxisItem{XAxis: 0.0}},
			// No symbol at either end ("none" for both, as ECharts reads a single "none").
			MarkLineStyle: opts.MarkLineStyle{Symbol: []string{"none", "none"}, Label: &opts.Label{Show: opts.Bool(false)},
				LineStyle: &opts.LineStyle{Color: "#1f2328", Type: "dashed", Width: 1}}}, Silent: true}})
	return &Chart{ID: id, Title: title, Caption: caption, Height: 90 + 36*len(labels), Tooltip: TipForest, Option: opt, Data: tb, Ref: es.Src.ID}
}

// comparisonChart shows model groups against the rest, metric by metric.
func comparisonChart(id string, cs *Comparisons, lang Lang) *Chart {
	cats := make([]string, len(cs.Items))
	model := make([]any, len(cs.Items))
	rest := make([]any, len(cs.Items))
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "指标", "metric"), queries.Text), col(t(lang, "示范党小组均值", "model groups"), queries.Float),
		col(t(lang, "其他党小组均值", "other groups"), queries.Float), col(t(lang, "差值", "difference"), queries.Float),
		col(t(lang, "95% 下限", "CI low"), queries.Float), col(t(lang, "95% 上限", "CI high"), queries.Float), col("p", queries.Float), col("n", queries.Integer)}}
	for i, c := range cs.Items {
		cats[i] = queries.MetricLabel(c.Metric, lang)
		model[i], rest[i] = nanToNil(c.Model), nanToNil(c.Rest)
		tb.Rows = append(tb.Rows, []any{cats[i], nanToNil(c.Model), nanToNil(c.Rest), nanToNil(c.Result.Estimate),
			nanToNil(c.Result.CILow), nanToNil(c.Result.CIHigh), nanToNil(c.Result.P), int64(c.Result.N)})
	}
	opt := Option{
		Color:   []string{"#b8262b", "#9aa5b1"},
		Tooltip: tip("axis"),
		Legend:  &opts.Legend{Bottom: "0"},
		Grid:    grid("3%", "4%", "20", "50"),
		XAxis:   []XAxis{{XAxis: opts.XAxis{Type: "category", Data: cats}, AxisLabel: everyLabel(15)}},
		YAxis:   []YAxis{{YAxis: opts.YAxis{Type: "value"}}},
	}
	for _, s := range []struct {
		name string
		data []any
	}{{t(lang, "示范党小组", "model groups"), model}, {t(lang, "其他党小组", "other groups"), rest}} {
		opt.Series = append(opt.Series, Series{SingleSeries: charts.SingleSeries{Type: "bar", Name: s.name, Data: s.data, BarMaxWidth: "36",
			Label: &opts.Label{Show: opts.Bool(true), Position: "top", FontSize: 10}}})
	}
	caption := t(lang, "示范党小组从考评得分最高的小组中选出，本来就较好：两组之差不能说明“评上示范”带来了提升（选择偏差）。差值、置信区间和 p 值见下表。",
		"Model groups are chosen from the best-scoring groups, which were already better: the gap does not show that the title caused an improvement (selection). Differences, intervals and p-values are in the table.")
	return &Chart{ID: id, Title: t(lang, "示范党小组与其他党小组", "Model groups and the rest"), Caption: caption, Tooltip: TipAxis, Option: opt, Data: tb, Ref: cs.Src.ID}
}

// radarChart shows survey dimension scores per unit.
func radarChart(id string, r *SurveyRadar, lang Lang) *Chart {
	// Max only: ECharts starts an indicator with a positive max and no min at 0.
	ind := make([]*opts.Indicator, len(r.Dimensions))
	for i, d := range r.Dimensions {
		ind[i] = &opts.Indicator{Name: d, Max: 100}
	}
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "单位", "unit"), queries.Text)}}
	for _, d := range r.Dimensions {
		tb.Columns = append(tb.Columns, col(d, queries.Float))
	}
	var items []any
	suppressed := 0
	for _, u := range r.Units {
		row := []any{u.Name}
		vals := make([]any, len(u.Values))
		for i, v := range u.Values {
			row = append(row, nanToNil(v))
			if math.IsNaN(v) {
				suppressed++
				vals[i] = 0.0
			} else {
				vals[i] = v
			}
		}
		tb.Rows = append(tb.Rows, row)
		items = append(items, opts.RadarData{Name: u.Name, Value: vals})
	}
	opt := Option{
		Color:   palette,
		Tooltip: tip("item"),
		Legend:  &opts.Legend{Bottom: "0", Type: "scroll"},
		Radar:   &Radar{RadarComponent: opts.RadarComponent{Indicator: ind}, Radius: "62%"},
		Series: []Series{{SingleSeries: charts.SingleSeries{Type: "radar", Name: t(lang, "满意度", "satisfaction"), Data: items,
			AreaStyle: &opts.AreaStyle{Opacity: opts.Float(0.06)}}}},
	}
	caption := t(lang, "各维度得分换算为 0–100 分（反向题已反向计分）。", "Dimension scores on a 0–100 scale (reverse-coded items reversed). ")
	if suppressed > 0 {
		caption += fmt.Sprintf(t(lang, "有 %d 个格子的答卷人少于 5 人，为保护答卷人未显示（图中画在 0 处，表中为空）。",
			"%d cells had fewer than 5 respondents and are suppressed to protect them (drawn at 0, empty in the table)."), suppressed)
	}
	return &Chart{ID: id, Title: t(lang, "各单位满意度调查各维度得分", "Survey dimensions per unit"), Caption: caption, Height: 420, Tooltip: TipRadar, Option: opt, Data: tb, Ref: r.Src.ID}
}

// lorenzChart draws the Lorenz curve of awards over members against the line of equality.
func lorenzChart(id string, c *Concentration, lang Lang) *Chart {
	n := len(c.Lorenz) - 1
	curve := make([]any, 0, len(c.Lorenz))
	equal := []any{[]any{0.0, 0.0}, []any{100.0, 100.0}}
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "人员累计占比 %", "members, cumulative %"), queries.Float), col(t(lang, "奖项累计占比 %", "awards, cumulative %"), queries.Float)}}
	for k, v := range c.Lorenz {
		x := 100 * float64(k) / float64(max(n, 1))
		curve = append(curve, []any{x, 100 * v})
		tb.Rows = append(tb.Rows, []any{x, 100 * v})
	}
	opt := Option{
		Color:   []string{"#b8262b", "#9aa5b1"},
		Tooltip: tip("item"),
		Legend:  &opts.Legend{Bottom: "0"},
		Grid:    grid("4%", "6%", nameTop, "60"),
		XAxis: []XAxis{{XAxis: opts.XAxis{Type: "value", Name: t(lang, "党员（按获奖从少到多）累计 %", "members (fewest awards first), cumulative %"),
			NameLocation: "middle", NameGap: 26, Min: 0, Max: 100}}},
		YAxis: []YAxis{{YAxis: opts.YAxis{Type: "value", Name: t(lang, "奖项累计 %", "awards, cumulative %"), Min: 0, Max: 100}}},
		Series: []Series{
			{SingleSeries: charts.SingleSeries{Type: "line", Name: t(lang, "洛伦兹曲线", "Lorenz curve"), Data: curve, ShowSymbol: opts.Bool(false),
				AreaStyle: &opts.AreaStyle{Opacity: opts.Float(0.12)}}},
			{SingleSeries: charts.SingleSeries{Type: "line", Name: t(lang, "完全平均", "equal shares"), Data: equal, ShowSymbol: opts.Bool(false),
				LineStyle: &opts.LineStyle{Type: "dashed", Width: 1}}, Silent: true},
		},
	}
	caption := t(lang, "曲线越偏离对角线，奖项越集中。奖项少时多数人本来就没有，曲线和基尼系数自然偏高，所以每个基尼系数都与同样数量的奖项随机分给同样这些人的结果比较，高出随机且 p < 0.05 才算集中在少数人身上（“马太效应”）。",
		"The further the curve bows from the diagonal, the more concentrated the awards. Rare awards leave most people with none, so the curve and the Gini are high anyway: each Gini is set against handing the same number at random to the same people, and only one above chance with p < 0.05 counts as going to the same few people (the “Matthew effect”). ") +
		concentrationSummary(c, lang)
	return &Chart{ID: id, Title: t(lang, "奖项与示范岗的集中程度", "Concentration of awards and model posts"), Caption: caption, Height: 380, Tooltip: TipScatter, Option: opt, Data: tb, Ref: c.Src.ID}
}

// surveyHeatmap shows survey dimension scores of many units as a units × dimensions grid, the
// unit with the lowest mean score first (a radar cannot overlay hundreds of units).
func surveyHeatmap(id string, r *SurveyRadar, lang Lang) *Chart {
	g := &HeatGrid{Cols: r.Dimensions, Src: r.Src}
	suppressed := 0
	units := append([]NamedSeries(nil), r.Units...)
	means := make(map[string]float64, len(units))
	for _, u := range units {
		means[u.Name] = mean(u.Values)
		for _, v := range u.Values {
			if math.IsNaN(v) {
				suppressed++
			}
		}
	}
	sort.SliceStable(units, func(i, j int) bool {
		a, b := means[units[i].Name], means[units[j].Name]
		if math.IsNaN(a) != math.IsNaN(b) {
			return math.IsNaN(b)
		}
		return a < b
	})
	for _, u := range units {
		g.Rows = append(g.Rows, u.Name)
		g.Values = append(g.Values, u.Values)
	}
	caption := fmt.Sprintf(t(lang, "各维度得分换算为 0–100 分（反向题已反向计分）；%d 个单位按平均得分从低到高排列。", "Dimension scores on a 0–100 scale (reverse-coded items reversed); %d units sorted from the lowest mean score. "), len(units))
	if suppressed > 0 {
		caption += fmt.Sprintf(t(lang, "有 %d 个格子的答卷人少于 5 人，为保护答卷人未显示（图中空白，表中为空）。",
			"%d cells had fewer than 5 respondents and are suppressed to protect them (blank in the chart and the table)."), suppressed)
	}
	c := heatmapChart(id, t(lang, "各单位满意度调查各维度得分（单位 × 维度）", "Survey dimensions per unit (unit × dimension)"), caption, g, lang, 0, 100, heatRamp, false)
	c.Option.XAxis[0].AxisLabel = everyLabel(30)
	c.Data.Columns[0].Name = t(lang, "单位", "unit")
	return c
}

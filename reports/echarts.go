package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// The ECharts option of a chart, built from go-echarts' typed option structs (package opts and
// charts.SingleSeries, github.com/go-echarts/go-echarts/v2 v2.6.7, the newest the module proxy
// serves). Where a go-echarts type lacks a field these charts set, the type below embeds it and
// adds only that field; encoding/json flattens the embedded struct, and a field of the wrapper
// wins over an embedded one of the same JSON name. Each wrapper names what it adds and why;
// docs/reports.md ("How it is built") lists them with the evidence.
//
// The option object itself is ours: go-echarts' top level (charts.BaseConfiguration.JSON) is a
// map that always writes title, legend, tooltip and toolbox (an empty legend object draws a
// legend) and holds only go-echarts' own axis, dataZoom, visualMap and series types, so the
// extensions could not go in it. Its page templates load ECharts from a host URL, which these
// offline pages cannot; OptionJSON and the page writer render the option instead.

// Option is an ECharts option object. Field order is the JSON order, so the output is stable.
type Option struct {
	Color     []string     `json:"color,omitempty"`
	Tooltip   *Tooltip     `json:"tooltip,omitempty"`
	Legend    *opts.Legend `json:"legend,omitempty"`
	Grid      *opts.Grid   `json:"grid,omitempty"`
	Radar     *Radar       `json:"radar,omitempty"`
	XAxis     []XAxis      `json:"xAxis,omitempty"`
	YAxis     []YAxis      `json:"yAxis,omitempty"`
	VisualMap []VisualMap  `json:"visualMap,omitempty"`
	DataZoom  []DataZoom   `json:"dataZoom,omitempty"`
	Series    []Series     `json:"series"`
	Animation bool         `json:"animation"` // false: charts print at once and tests see the final state
}

// Tooltip is opts.Tooltip with confine, which it lacks: the hover box stays inside the chart
// (a narrow printed or embedded chart would otherwise clip it). Its formatter is set in the page
// script, which escapes HTML; Chart.Tooltip chooses which one.
type Tooltip struct {
	opts.Tooltip
	Confine bool `json:"confine,omitempty"`
}

// tip is the tooltip of every chart: triggered by item or axis, kept inside the chart.
func tip(trigger string) *Tooltip {
	return &Tooltip{Tooltip: opts.Tooltip{Trigger: trigger}, Confine: true}
}

// XAxis is opts.XAxis with our AxisLabel.
type XAxis struct {
	opts.XAxis
	AxisLabel *AxisLabel `json:"axisLabel,omitempty"`
}

// YAxis is opts.YAxis with our AxisLabel.
type YAxis struct {
	opts.YAxis
	AxisLabel *AxisLabel `json:"axisLabel,omitempty"`
}

// AxisLabel is opts.AxisLabel with interval as a number: go-echarts types it as a string, but
// ECharts adds 1 to it to step through the categories ("1" + 1 is "11"). Interval 0 draws every
// category label (group names, metric names). Its showMinLabel and showMaxLabel have no
// omitempty and would be written as null; these keep them out unless set.
type AxisLabel struct {
	opts.AxisLabel
	Interval     *int       `json:"interval,omitempty"`
	ShowMinLabel types.Bool `json:"showMinLabel,omitempty"`
	ShowMaxLabel types.Bool `json:"showMaxLabel,omitempty"`
}

// VisualMap is opts.VisualMap with min and max always written, and precision. go-echarts' min and
// max have omitempty: a max of 0 (a grid of values at or below 0) would be dropped and ECharts
// would scale the colours to its default max of 200. They are float32 there; float64 here keeps
// any bound the data gives. Precision, which it lacks, is the decimals of the colour bar's labels
// (0.83, not 0.8333333).
type VisualMap struct {
	opts.VisualMap
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	Precision int     `json:"precision,omitempty"`
}

// DataZoom is opts.DataZoom with startValue, endValue and right. go-echarts has only start and
// end in percent; the heatmaps show 40 rows, not a share of them (a share would show 4 rows of
// 100 or 400 of 10,000). Right places the slider at the chart's edge.
type DataZoom struct {
	opts.DataZoom
	StartValue *int   `json:"startValue,omitempty"`
	EndValue   *int   `json:"endValue,omitempty"`
	Right      string `json:"right,omitempty"`
}

// Radar is opts.RadarComponent with radius, which it lacks (the radar would otherwise fill the
// chart and its axis names run into the legend).
type Radar struct {
	opts.RadarComponent
	Radius string `json:"radius,omitempty"`
}

// Series is charts.SingleSeries with the fields it lacks: z (the forest plot's estimates drawn
// over their intervals), silent (the fitted line and the intervals take no hover), a tooltip
// that can be switched off (go-echarts' series tooltip has no show), progressive (the heatmap
// drawn in one pass), and mark lines and areas that can be silent. Data holds numbers, [x, y(,
// v)] tuples, opts.RadarData or opts.PieData items, or nil (a gap), always as []any.
type Series struct {
	charts.SingleSeries
	Z       int           `json:"z,omitempty"`
	Silent  bool          `json:"silent,omitempty"`
	Tooltip *opts.Tooltip `json:"tooltip,omitempty"`
	// Progressive is the number of shapes drawn per frame; 0 draws them all at once. Nil keeps
	// ECharts' default (400 per frame above 3,000 shapes).
	Progressive *int      `json:"progressive,omitempty"`
	MarkLine    *MarkLine `json:"markLine,omitempty"`
	MarkArea    *MarkArea `json:"markArea,omitempty"`
}

// Values is the series' data as built: a []any (nil when the series has none).
func (s Series) Values() []any {
	d, _ := s.Data.([]any)
	return d
}

// MarkLine is opts.MarkLines with silent, which it lacks: the reference line (zero in a forest
// plot) takes no hover.
type MarkLine struct {
	opts.MarkLines
	Silent bool `json:"silent"`
}

// MarkArea is opts.MarkAreas with silent, which it lacks: the shaded summer peaks take no hover.
type MarkArea struct {
	opts.MarkAreas
	Silent bool `json:"silent"`
}

func ptr[T any](v T) *T { return &v }

// noTooltip switches a series' tooltip off (opts.Tooltip, since opts.SeriesTooltip has no show).
func noTooltip() *opts.Tooltip { return &opts.Tooltip{Show: opts.Bool(false)} }

// OptionJSON is the chart's ECharts option as stable JSON, safe to place in a <script> element
// (encoding/json escapes <, > and &). It is the one form of a chart: the HTML page embeds it and
// reports/chartimage draws the DOCX picture from it.
func OptionJSON(c *Chart) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(sanitize(c.Option)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// sanitize replaces NaN and ±Inf in series data with nil (a gap), which JSON cannot hold, and
// leaves out an empty category list (go-echarts' axis data is an interface, which would write a
// nil slice as null). It copies what it changes: the chart keeps its values.
func sanitize(o Option) Option {
	o.Series = append([]Series(nil), o.Series...)
	for i := range o.Series {
		src := o.Series[i].Values()
		d := make([]any, len(src))
		for j, v := range src {
			d[j] = cleanValue(v)
		}
		o.Series[i].Data = d
	}
	o.XAxis = append([]XAxis(nil), o.XAxis...)
	for i := range o.XAxis {
		o.XAxis[i].Data = categories(o.XAxis[i].Data)
	}
	o.YAxis = append([]YAxis(nil), o.YAxis...)
	for i := range o.YAxis {
		o.YAxis[i].Data = categories(o.YAxis[i].Data)
	}
	return o
}

func categories(d any) any {
	if s, ok := d.([]string); ok && len(s) == 0 {
		return nil
	}
	return d
}

func cleanValue(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return round(x)
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = cleanValue(y)
		}
		return out
	case []float64:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = cleanValue(y)
		}
		return out
	case opts.RadarData:
		return opts.RadarData{Name: x.Name, Value: cleanValue(x.Value)}
	case opts.PieData:
		x.Value = cleanValue(x.Value)
		return x
	}
	return v
}

// round keeps 6 significant digits in chart data: enough to draw, and stable across platforms.
func round(x float64) float64 {
	if x == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return v
}

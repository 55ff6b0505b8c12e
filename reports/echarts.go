package reports

// The ECharts option as typed Go structs: only the parts these reports use. Field order is the
// JSON order, so the output is stable. See https://echarts.apache.org/en/option.html.
//
// These are not go-echarts' charts/opts structs: go-echarts v2.6.7 has no tooltip.confine, no
// visualMap.precision, float32 visualMap and radar min/max (0.7 written as 0.699999988079071),
// no dataZoom startValue/endValue, and no series z, silent, tooltip or progressive, all of
// which these charts set (docs/reports.md, "How it is built").

// Option is an ECharts option object.
type Option struct {
	Color     []string    `json:"color,omitempty"`
	Tooltip   *Tooltip    `json:"tooltip,omitempty"`
	Legend    *Legend     `json:"legend,omitempty"`
	Grid      *Grid       `json:"grid,omitempty"`
	Radar     *Radar      `json:"radar,omitempty"`
	XAxis     []Axis      `json:"xAxis,omitempty"`
	YAxis     []Axis      `json:"yAxis,omitempty"`
	VisualMap []VisualMap `json:"visualMap,omitempty"`
	DataZoom  []DataZoom  `json:"dataZoom,omitempty"`
	Series    []Series    `json:"series"`
	Animation bool        `json:"animation"` // false: charts print at once and tests see the final state
}

// Tooltip configures the hover box. Its formatter is set in the page script (it must escape
// HTML); Chart.Tooltip chooses which one.
type Tooltip struct {
	Trigger string `json:"trigger,omitempty"` // item or axis
	Confine bool   `json:"confine,omitempty"`
}

// Legend lists the series.
type Legend struct {
	Top    string `json:"top,omitempty"`
	Bottom string `json:"bottom,omitempty"`
	Type   string `json:"type,omitempty"` // scroll
}

// Grid places the plot area.
type Grid struct {
	Left         string `json:"left,omitempty"`
	Right        string `json:"right,omitempty"`
	Top          string `json:"top,omitempty"`
	Bottom       string `json:"bottom,omitempty"`
	ContainLabel bool   `json:"containLabel,omitempty"`
}

// Axis is an x or y axis.
type Axis struct {
	Type      string     `json:"type"` // category, value
	Name      string     `json:"name,omitempty"`
	NameLoc   string     `json:"nameLocation,omitempty"`
	NameGap   int        `json:"nameGap,omitempty"`
	Data      []string   `json:"data,omitempty"`
	Min       any        `json:"min,omitempty"`
	Max       any        `json:"max,omitempty"`
	Scale     bool       `json:"scale,omitempty"`
	Inverse   bool       `json:"inverse,omitempty"`
	SplitArea *Show      `json:"splitArea,omitempty"`
	AxisLabel *AxisLabel `json:"axisLabel,omitempty"`
}

// Show is the common {"show": bool} object.
type Show struct {
	Show bool `json:"show"`
}

// AxisLabel tunes axis labels.
type AxisLabel struct {
	Rotate   int  `json:"rotate,omitempty"`
	Interval *int `json:"interval,omitempty"`
}

// VisualMap maps values to colours (heatmaps).
type VisualMap struct {
	Type       string   `json:"type"` // continuous
	Min        float64  `json:"min"`
	Max        float64  `json:"max"`
	Calculable bool     `json:"calculable,omitempty"`
	Orient     string   `json:"orient,omitempty"`
	Left       string   `json:"left,omitempty"`
	Bottom     string   `json:"bottom,omitempty"`
	InRange    *InRange `json:"inRange,omitempty"`
	Precision  int      `json:"precision,omitempty"`
	Text       []string `json:"text,omitempty"`
}

// InRange gives the colour ramp.
type InRange struct {
	Color []string `json:"color"`
}

// DataZoom lets a long category axis scroll.
type DataZoom struct {
	Type       string `json:"type"` // slider, inside
	YAxisIndex *int   `json:"yAxisIndex,omitempty"`
	XAxisIndex *int   `json:"xAxisIndex,omitempty"`
	StartValue *int   `json:"startValue,omitempty"`
	EndValue   *int   `json:"endValue,omitempty"`
	Right      string `json:"right,omitempty"`
}

// Radar is the radar coordinate system.
type Radar struct {
	Indicator []RadarIndicator `json:"indicator"`
	Radius    string           `json:"radius,omitempty"`
}

// RadarIndicator is one axis of a radar.
type RadarIndicator struct {
	Name string  `json:"name"`
	Max  float64 `json:"max"`
	Min  float64 `json:"min"`
}

// Series is one series; Data holds numbers, [x, y(, v)] tuples, DataItems or nil (a gap).
type Series struct {
	Type         string     `json:"type"` // line, bar, scatter, heatmap, radar
	Name         string     `json:"name,omitempty"`
	Data         []any      `json:"data"`
	Radius       string     `json:"radius,omitempty"` // pie
	Stack        string     `json:"stack,omitempty"`
	Smooth       bool       `json:"smooth,omitempty"`
	ShowSymbol   *bool      `json:"showSymbol,omitempty"`
	Symbol       string     `json:"symbol,omitempty"`
	SymbolSize   float64    `json:"symbolSize,omitempty"`
	ConnectNulls bool       `json:"connectNulls,omitempty"`
	BarMaxWidth  int        `json:"barMaxWidth,omitempty"`
	Label        *Label     `json:"label,omitempty"`
	ItemStyle    *Style     `json:"itemStyle,omitempty"`
	LineStyle    *Style     `json:"lineStyle,omitempty"`
	AreaStyle    *Style     `json:"areaStyle,omitempty"`
	MarkArea     *MarkArea  `json:"markArea,omitempty"`
	MarkLine     *MarkLine  `json:"markLine,omitempty"`
	Emphasis     *Emphasis  `json:"emphasis,omitempty"`
	Silent       bool       `json:"silent,omitempty"`
	Z            int        `json:"z,omitempty"`
	Tooltip      *ShowTable `json:"tooltip,omitempty"`
	// Progressive is the number of shapes drawn per frame; 0 draws them all at once. Nil keeps
	// ECharts' default (400 per frame above 3,000 shapes).
	Progressive *int `json:"progressive,omitempty"`
}

// ShowTable is {"show": bool} for a series' tooltip.
type ShowTable struct {
	Show bool `json:"show"`
}

// DataItem is a named data point.
type DataItem struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Label shows values on marks.
type Label struct {
	Show     bool   `json:"show"`
	Position string `json:"position,omitempty"`
	FontSize int    `json:"fontSize,omitempty"`
}

// Style is an item, line or area style.
type Style struct {
	Color   string  `json:"color,omitempty"`
	Width   float64 `json:"width,omitempty"`
	Type    string  `json:"type,omitempty"` // solid, dashed
	Opacity float64 `json:"opacity,omitempty"`
}

// MarkArea shades ranges of an axis (the summer peaks).
type MarkArea struct {
	Silent    bool              `json:"silent"`
	ItemStyle *Style            `json:"itemStyle,omitempty"`
	Label     *Label            `json:"label,omitempty"`
	Data      [][2]MarkAreaEdge `json:"data"`
}

// MarkAreaEdge is one corner of a mark area.
type MarkAreaEdge struct {
	Name  string `json:"name,omitempty"`
	XAxis any    `json:"xAxis,omitempty"`
	YAxis any    `json:"yAxis,omitempty"`
}

// MarkLine draws reference lines (zero in a forest plot).
type MarkLine struct {
	Silent    bool           `json:"silent"`
	Symbol    string         `json:"symbol,omitempty"`
	LineStyle *Style         `json:"lineStyle,omitempty"`
	Label     *Label         `json:"label,omitempty"`
	Data      []MarkLineItem `json:"data"`
}

// MarkLineItem is one reference line.
type MarkLineItem struct {
	XAxis *float64 `json:"xAxis,omitempty"`
	YAxis *float64 `json:"yAxis,omitempty"`
}

// Emphasis is the hover style.
type Emphasis struct {
	Focus string `json:"focus,omitempty"`
}

func ptr[T any](v T) *T { return &v }

package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
)

// Charts from any query result: `mingdeng chart`, the chart directives of report specs and the
// workbench's chart button all come here, so they draw the same way as the built-in reports.

// ChartTypes are the chart types a query result can be drawn as.
var ChartTypes = []string{"bar", "line", "scatter", "heatmap", "pie"}

// ChartSpec says how to draw a query result.
//
//   - bar, line: X is the category axis (in the order of the rows), Y the value; with Series,
//     one bar or line per distinct value of that column.
//   - scatter: X and Y are numbers; with Series, one colour per distinct value.
//   - heatmap: X gives the columns, Series the rows, Y the value of each cell.
//   - pie: X names the slices, Y sizes them; Series is not used.
type ChartSpec struct {
	ID      string // stable chart ID (HTML id, sheet name); "" means "chart"
	Type    string
	X, Y    string
	Series  string
	Title   string
	Caption string // "" gives a sentence naming the columns and the row count
	Ref     string // Source.ID of the query
}

// SpecError is a mistake in a chart spec or a report spec; a chart error names the columns
// the result has, a report-spec error the line it is on.
type SpecError struct {
	File   string // the report spec's file, when known
	Line   int    // 1-based line of a report spec; 0: none
	Zh, En string
}

func (e *SpecError) Error() string { return e.Message("en") }

// Message is the error in lang, with its line.
func (e *SpecError) Message(lang datasets.Lang) string {
	msg := datasets.T(e.Zh, e.En).In(lang)
	if e.Line > 0 {
		msg = fmt.Sprintf(t(lang, "第 %d 行：", "line %d: "), e.Line) + msg
	}
	if e.File != "" {
		msg = e.File + t(lang, " ", ": ") + msg
	}
	return msg
}

func specErrorf(zh, en string, args ...any) *SpecError {
	return &SpecError{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)}
}

func columnNames(tb *queries.Table) string {
	names := make([]string, len(tb.Columns))
	for i, c := range tb.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// findColumn returns the index of the named column (exact, then case-insensitive).
func findColumn(tb *queries.Table, role, name string) (int, error) {
	if name == "" {
		return -1, specErrorf("缺少 %s 列：请指定（结果的列：%s）", "no %s column given (the result's columns: %s)", role, columnNames(tb))
	}
	for i, c := range tb.Columns {
		if c.Name == name {
			return i, nil
		}
	}
	for i, c := range tb.Columns {
		if strings.EqualFold(c.Name, name) {
			return i, nil
		}
	}
	return -1, specErrorf("%s 列 %q 不在查询结果中（结果的列：%s）", "%s column %q is not in the result (its columns: %s)", role, name, columnNames(tb))
}

func numericColumn(tb *queries.Table, i int) bool {
	switch tb.Columns[i].Type {
	case queries.Integer, queries.Float, queries.Bool:
		return true
	case "":
		// Untyped (a table built in Go): numeric when every non-null value is.
		seen := false
		for _, row := range tb.Rows {
			if row[i] == nil {
				continue
			}
			if math.IsNaN(queries.Number(row[i])) {
				return false
			}
			seen = true
		}
		return seen
	}
	return false
}

func requireNumeric(tb *queries.Table, role string, i int) error {
	if numericColumn(tb, i) {
		return nil
	}
	return specErrorf("%s 列 %q 须为数值（它的类型是 %s）", "%s column %q must hold numbers (it is %s)", role, tb.Columns[i].Name, string(tb.Columns[i].Type))
}

// label is a cell as an axis category or series name.
func label(v any) string {
	if v == nil {
		return "NULL"
	}
	return FormatValue(v)
}

// distinct lists the labels of column i in the order they first appear.
func distinct(tb *queries.Table, i int) ([]string, map[string]int) {
	var out []string
	at := map[string]int{}
	for _, row := range tb.Rows {
		l := label(row[i])
		if _, ok := at[l]; !ok {
			at[l] = len(out)
			out = append(out, l)
		}
	}
	return out, at
}

// BuildChart draws tb as spec says. Errors are *SpecError naming the columns tb has.
func BuildChart(tb *queries.Table, spec ChartSpec, lang Lang) (*Chart, error) {
	if tb == nil {
		return nil, specErrorf("没有查询结果", "no query result")
	}
	typ := strings.ToLower(strings.TrimSpace(spec.Type))
	known := false
	for _, k := range ChartTypes {
		known = known || k == typ
	}
	if !known {
		return nil, specErrorf("图表类型 %q 无效：可用 %s", "chart type %q: expected one of %s", spec.Type, strings.Join(ChartTypes, ", "))
	}
	xi, err := findColumn(tb, "x", spec.X)
	if err != nil {
		return nil, err
	}
	yi, err := findColumn(tb, "y", spec.Y)
	if err != nil {
		return nil, err
	}
	if err := requireNumeric(tb, "y", yi); err != nil {
		return nil, err
	}
	si := -1
	if spec.Series != "" {
		if typ == "pie" {
			return nil, specErrorf("饼图不使用 series 列", "a pie chart takes no series column")
		}
		if si, err = findColumn(tb, "series", spec.Series); err != nil {
			return nil, err
		}
	} else if typ == "heatmap" {
		return nil, specErrorf("热力图需要 series 列作为行（x 为列，y 为数值；结果的列：%s）", "a heatmap needs a series column for its rows (x gives the columns, y the values; the result's columns: %s)", columnNames(tb))
	}
	id := spec.ID
	if id == "" {
		id = "chart"
	}
	// Found by the user's names; shown by their labels where the column is a known one.
	tb = labelColumns(tb, lang)
	xn, yn := tb.Columns[xi].Name, tb.Columns[yi].Name
	title := spec.Title
	if title == "" {
		title = yn + t(lang, " 按 ", " by ") + xn
		if si >= 0 {
			title += t(lang, "、", " and ") + tb.Columns[si].Name
		}
	}
	c := &Chart{ID: id, Title: title, Data: tb, Ref: spec.Ref}
	switch typ {
	case "bar", "line":
		c.Option, c.Tooltip = categoryOption(tb, typ, xi, yi, si), TipAxis
	case "scatter":
		if err := requireNumeric(tb, "x", xi); err != nil {
			return nil, err
		}
		c.Option, c.Tooltip, c.Height = scatterOption(tb, xi, yi, si, lang), TipScatter, 380
	case "heatmap":
		var rows int
		c.Option, rows = heatOption(tb, xi, yi, si)
		c.Tooltip, c.Height = TipHeatmap, min(120+22*rows, 1000)
	case "pie":
		c.Option, c.Tooltip, c.Height = pieOption(tb, xi, yi), TipItem, 380
	}
	c.Caption = spec.Caption
	if c.Caption == "" {
		c.Caption = fmt.Sprintf(t(lang, "共 %d 行查询结果；横轴 %s，数值 %s。", "%d result rows; x: %s, value: %s."), len(tb.Rows), xn, yn)
		if si >= 0 {
			c.Caption = strings.TrimSuffix(c.Caption, t(lang, "。", ".")) + fmt.Sprintf(t(lang, "，分组 %s。", "; series: %s."), tb.Columns[si].Name)
		}
	}
	return c, nil
}

func categoryOption(tb *queries.Table, typ string, xi, yi, si int) Option {
	cats, at := distinct(tb, xi)
	opt := Option{
		Color:   palette,
		Tooltip: tip("axis"),
		Grid:    grid("3%", "4%", nameTop, "50"),
		XAxis:   []XAxis{{XAxis: opts.XAxis{Type: "category", Data: cats, Name: tb.Columns[xi].Name}}},
		YAxis:   []YAxis{{YAxis: opts.YAxis{Type: "value", Name: tb.Columns[yi].Name}}},
	}
	if typ == "line" {
		opt.YAxis[0].Scale = opts.Bool(true)
	}
	if len(cats) > 12 {
		opt.XAxis[0].AxisLabel = &AxisLabel{AxisLabel: opts.AxisLabel{Rotate: 30}}
	}
	names := []string{tb.Columns[yi].Name}
	sat := map[string]int{names[0]: 0}
	if si >= 0 {
		names, sat = distinct(tb, si)
		opt.Legend = &opts.Legend{Bottom: "0", Type: "scroll"}
	}
	data := make([][]any, len(names))
	for k := range data {
		data[k] = make([]any, len(cats))
	}
	for _, row := range tb.Rows {
		k := 0
		if si >= 0 {
			k = sat[label(row[si])]
		}
		data[k][at[label(row[xi])]] = nanToNil(queries.Number(row[yi]))
	}
	for k, name := range names {
		s := Series{SingleSeries: charts.SingleSeries{Type: typ, Name: name, Data: data[k]}}
		if typ == "bar" {
			s.BarMaxWidth = "48"
		} else {
			s.ShowSymbol = opts.Bool(len(cats) <= 40)
		}
		opt.Series = append(opt.Series, s)
	}
	return opt
}

func scatterOption(tb *queries.Table, xi, yi, si int, lang Lang) Option {
	names := []string{t(lang, "数据点", "points")}
	sat := map[string]int{names[0]: 0}
	if si >= 0 {
		names, sat = distinct(tb, si)
	}
	data := make([][]any, len(names))
	for _, row := range tb.Rows {
		x, y := queries.Number(row[xi]), queries.Number(row[yi])
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		k := 0
		if si >= 0 {
			k = sat[label(row[si])]
		}
		data[k] = append(data[k], []any{x, y})
	}
	opt := Option{
		Color:   palette,
		Tooltip: tip("item"),
		Grid:    grid("4%", "6%", nameTop, "50"),
		XAxis:   []XAxis{{XAxis: opts.XAxis{Type: "value", Name: tb.Columns[xi].Name, NameLocation: "middle", NameGap: 28, Scale: opts.Bool(true)}}},
		YAxis:   []YAxis{{YAxis: opts.YAxis{Type: "value", Name: tb.Columns[yi].Name, Scale: opts.Bool(true)}}},
	}
	if si >= 0 {
		opt.Legend = &opts.Legend{Bottom: "0", Type: "scroll"}
	}
	for k, name := range names {
		d := data[k]
		if d == nil {
			d = []any{}
		}
		opt.Series = append(opt.Series, Series{SingleSeries: charts.SingleSeries{Type: "scatter", Name: name, Data: d, SymbolSize: 7,
			ItemStyle: &opts.ItemStyle{Opacity: opts.Float(0.7)}}})
	}
	return opt
}

func heatOption(tb *queries.Table, xi, yi, si int) (Option, int) {
	cols, cat := distinct(tb, xi)
	rows, rat := distinct(tb, si)
	lo, hi := math.Inf(1), math.Inf(-1)
	data := []any{}
	for _, row := range tb.Rows {
		v := queries.Number(row[yi])
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		// The bounds of the values as written (6 digits): unrounded, 2/3 would be a max below
		// the cell's 0.666667 and leave that cell out of the colour scale.
		v = round(v)
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		data = append(data, []any{cat[label(row[xi])], rat[label(row[si])], v})
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	} else if lo == hi {
		hi = lo + 1
	}
	opt := Option{
		Tooltip:   tip("item"),
		Grid:      grid("2%", "6%", "8", "70"),
		VisualMap: []VisualMap{colourScale(lo, hi, heatRamp, "5")},
		Series: []Series{{SingleSeries: charts.SingleSeries{Type: "heatmap", Name: tb.Columns[yi].Name, Data: data,
			Label: &opts.Label{Show: opts.Bool(len(cols)*len(rows) <= 150), FontSize: 10}, Emphasis: &opts.Emphasis{Focus: "self"}}}},
	}
	opt.XAxis, opt.YAxis = categoryGrid(cols, rows)
	return opt, len(rows)
}

func pieOption(tb *queries.Table, xi, yi int) Option {
	items := []any{}
	for _, row := range tb.Rows {
		v := queries.Number(row[yi])
		if math.IsNaN(v) {
			continue
		}
		items = append(items, opts.PieData{Name: label(row[xi]), Value: v})
	}
	return Option{
		Color:   palette,
		Tooltip: tip("item"),
		Legend:  &opts.Legend{Bottom: "0", Type: "scroll"},
		Series: []Series{{SingleSeries: charts.SingleSeries{Type: "pie", Name: tb.Columns[yi].Name, Data: items, Radius: "62%",
			Label: &opts.Label{Show: opts.Bool(true)}}}},
	}
}

// ChartPage is what a one-chart page says about where its data came from.
type ChartPage struct {
	SQL    string // the statement
	Params string // parameters as given (name=value ...)
	Title  string // page title; "" uses the chart's title
}

// BuildChartReport makes a one-chart report (kind "chart"): the chart with its caption and
// "show data" table, and the statement as its data source.
func BuildChartReport(tb *queries.Table, spec ChartSpec, page ChartPage, lang Lang) (*Report, error) {
	spec.Ref = "S1"
	c, err := BuildChart(tb, spec, lang)
	if err != nil {
		return nil, err
	}
	r := &Report{Kind: "chart", Lang: lang, Title: page.Title}
	if r.Title == "" {
		r.Title = c.Title
	}
	r.Subtitle = t(lang, "自定义查询图表", "Chart of a custom query")
	r.Sections = []Section{{ID: "chart", Title: c.Title, Blocks: []Block{c}}}
	cmd := "mingdeng sql " + shellQuote(page.SQL)
	if page.Params != "" {
		for _, p := range strings.Fields(page.Params) {
			cmd += " --param " + shellQuote(p)
		}
	}
	r.Sources = []Source{{ID: "S1", Query: page.SQL, Params: page.Params, Command: cmd}}
	return r, nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '=' || r == '.' || r == '/' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

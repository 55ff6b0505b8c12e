// Package tabular writes a table.Table in the formats users ask for: an aligned text table
// (wide CJK characters counted as two columns), CSV, JSON, Markdown and XLSX. Exports to files
// neutralise cells that a spreadsheet would run as a formula. It does not run queries or draw
// charts.
package tabular

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/internal/workbook"
	"github.com/mingdeng/mingdeng/queries/table"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// Format is an output format.
type Format string

const (
	Text     Format = "table"
	CSV      Format = "csv"
	JSON     Format = "json"
	Markdown Format = "markdown"
	XLSX     Format = "xlsx"
)

// Formats lists the formats in the order help texts show them.
var Formats = []Format{Text, CSV, JSON, Markdown, XLSX}

// ParseFormat accepts a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case Text, CSV, JSON, Markdown, XLSX:
		return f, nil
	case "md":
		return Markdown, nil
	case "text":
		return Text, nil
	}
	return "", datasets.Errorf("未知的格式 %q（应为 table、csv、json、markdown 或 xlsx）", "unknown format %q (expected one of table, csv, json, markdown, xlsx)", s)
}

// Options tune the output.
type Options struct {
	// BOM starts CSV with a UTF-8 byte-order mark, so Excel on Chinese Windows reads it as UTF-8.
	BOM bool
	// SheetName names the XLSX sheet, made valid the way workbook.SheetNamer makes any name.
	SheetName string
	// Null is how a missing value shows in text and Markdown.
	Null string
}

// Write writes t to w in format f.
func Write(w io.Writer, t *table.Table, f Format, opts Options) error {
	switch f {
	case Text:
		return writeText(w, t, opts)
	case CSV:
		return writeCSV(w, t, opts)
	case JSON:
		return writeJSON(w, t)
	case Markdown:
		return writeMarkdown(w, t, opts)
	case XLSX:
		return writeXLSX(w, t, opts)
	}
	return fmt.Errorf("unknown format %q", f)
}

// columnCell formats a value of column i for a reader: a share as a percentage with one
// decimal (0.944 as 94.4%, as the XLSX shows it; 0.0%, not -0.0%, for a share that rounds to
// zero), anything else as Cell does.
func columnCell(cols []table.Column, i int, v any, null string) string {
	if x, ok := v.(float64); ok && i < len(cols) && cols[i].Unit == table.Share && !math.IsNaN(x) && !math.IsInf(x, 0) {
		return zhtext.CellPercent(x)
	}
	return Cell(v, null)
}

// Cell formats one value for text output.
func Cell(v any, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatFloat(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprint(v)
}

func formatFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'f', -1, 64)
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// DisplayWidth counts terminal columns: East Asian wide and full-width characters take two.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func writeText(w io.Writer, t *table.Table, opts Options) error {
	widths := make([]int, len(t.Columns))
	cells := make([][]string, len(t.Rows))
	for i, c := range t.Columns {
		widths[i] = DisplayWidth(c.Name)
	}
	for r, row := range t.Rows {
		cells[r] = make([]string, len(row))
		for i, v := range row {
			s := strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", " ").Replace(columnCell(t.Columns, i, v, opts.Null))
			cells[r][i] = s
			widths[i] = max(widths[i], DisplayWidth(s))
		}
	}
	var b strings.Builder
	line := func(vals []string, numeric func(int) bool) {
		for i, s := range vals {
			pad := strings.Repeat(" ", widths[i]-DisplayWidth(s))
			if i > 0 {
				b.WriteString("  ")
			}
			if numeric(i) {
				b.WriteString(pad + s)
			} else if i < len(vals)-1 {
				b.WriteString(s + pad)
			} else {
				b.WriteString(s)
			}
		}
		b.WriteString("\n")
	}
	names := make([]string, len(t.Columns))
	rule := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
		rule[i] = strings.Repeat("-", widths[i])
	}
	isNum := func(i int) bool { return t.Columns[i].Type == table.Integer || t.Columns[i].Type == table.Float }
	line(names, isNum)
	line(rule, func(int) bool { return false })
	for _, row := range cells {
		line(row, isNum)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Neutralise prefixes a text cell that a spreadsheet would treat as a formula (= + - @, tab,
// carriage return) with an apostrophe, so an exported file cannot run code when opened.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCSV(w io.Writer, t *table.Table, opts Options) error {
	if opts.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Neutralise(c.Name)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, v := range row {
			s := Cell(v, "")
			switch x := v.(type) {
			case string:
				s = Neutralise(s)
			case float64:
				// A CSV is read by other programs: the shortest text that parses back to the
				// same float64, not the six significant digits the text table shows.
				if finite := !math.IsNaN(x) && !math.IsInf(x, 0); finite {
					s = strconv.FormatFloat(x, 'g', -1, 64)
				}
			}
			rec[i] = s
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes an array of objects whose keys keep the column order.
func writeJSON(w io.Writer, t *table.Table) error {
	var b strings.Builder
	b.WriteString("[")
	for r, row := range t.Rows {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for i, v := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(t.Columns[i].Name)
			b.Write(k)
			b.WriteString(": ")
			val, err := JSONValue(v)
			if err != nil {
				return err
			}
			b.Write(val)
		}
		b.WriteString("}")
	}
	if len(t.Rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// JSONValue encodes one cell: dates as YYYY-MM-DD, NaN and infinities as null.
func JSONValue(v any) ([]byte, error) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return []byte("null"), nil
		}
	case time.Time:
		return json.Marshal(Cell(x, ""))
	}
	return json.Marshal(v)
}

func writeMarkdown(w io.Writer, t *table.Table, opts Options) error {
	var b strings.Builder
	esc := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ")
	b.WriteString("|")
	for _, c := range t.Columns {
		b.WriteString(" " + esc.Replace(c.Name) + " |")
	}
	b.WriteString("\n|")
	for _, c := range t.Columns {
		if c.Type == table.Integer || c.Type == table.Float {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("|")
		for i, v := range row {
			b.WriteString(" " + esc.Replace(columnCell(t.Columns, i, v, opts.Null)) + " |")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeXLSX(w io.Writer, t *table.Table, opts Options) error {
	f := workbook.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	if opts.SheetName != "" {
		sheet = workbook.NewSheetNamer().Name(opts.SheetName)
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := AddSheet(f, sheet, t); err != nil {
		return err
	}
	return f.Write(w)
}

// SheetOptions tune a sheet.
type SheetOptions struct {
	// Yes and No are how booleans show (default 是 and 否).
	Yes, No string
	// Empty is the text of a cell without a value (NULL), e.g. 无记录 where the report knows an
	// empty cell means no records; "" leaves it blank. Numbers stay numbers either way.
	Empty string
}

// widthSample is how many rows column widths are measured on.
const widthSample = 2000

// AddSheet writes t into the named sheet of f (creating it) so it reads as finished: a bold,
// shaded header row that stays in view and carries a filter, columns as wide as their
// contents, numbers formatted by column type and unit (integers with thousands separators,
// shares as percentages, decimals by the column's magnitude), dates as dates, booleans as
// 是/否, and text cells neutralised against formula injection.
func AddSheet(f *excelize.File, sheet string, t *table.Table) error {
	return AddSheetWith(f, sheet, t, SheetOptions{})
}

// AddSheetWith is AddSheet with options.
func AddSheetWith(f *excelize.File, sheet string, t *table.Table, opts SheetOptions) error {
	if opts.Yes == "" {
		opts.Yes, opts.No = "是", "否"
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
	}
	// The filter before the stream: set after its Flush, excelize reads the streamed sheet back
	// and writes it out again from its parsed form (a second of a province report's XLSX).
	if len(t.Columns) > 0 && len(t.Rows) > 0 {
		last, err := excelize.CoordinatesToCellName(len(t.Columns), len(t.Rows)+1)
		if err != nil {
			return err
		}
		if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF0"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "8C959F", Style: 1}}})
	if err != nil {
		return err
	}
	styles := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		if styles[i], err = f.NewStyle(&excelize.Style{CustomNumFmt: numFmt(c, t, i)}); err != nil {
			return err
		}
	}
	for i, w := range columnWidths(t, opts) {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if len(t.Rows) > 0 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: head, Value: Neutralise(c.Name)}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for r, row := range t.Rows {
		vals := make([]any, len(row))
		for i, v := range row {
			style := 0
			if i < len(styles) {
				style = styles[i]
			}
			switch x := v.(type) {
			case string:
				vals[i] = Neutralise(x)
			case bool:
				vals[i] = opts.No
				if x {
					vals[i] = opts.Yes
				}
			case float64:
				switch {
				case math.IsNaN(x) || math.IsInf(x, 0):
					vals[i] = nil
				case i < len(t.Columns) && t.Columns[i].Unit == table.Share:
					vals[i] = excelize.Cell{StyleID: style, Value: shownShare(x)}
				default:
					vals[i] = excelize.Cell{StyleID: style, Value: x}
				}
			case nil:
				vals[i] = nil
				if opts.Empty != "" {
					vals[i] = opts.Empty
				}
			default:
				vals[i] = excelize.Cell{StyleID: style, Value: x}
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// shownShare is a share as its "0.0%" cell shows it: rounded to a tenth of a percent, and 0
// rather than -0 for a negative share that rounds to zero. Stored unrounded, the cell would
// show -0.0% for -0.00004, and a sum or a comparison in the sheet would use digits the reader
// was never shown.
func shownShare(x float64) float64 {
	x = math.Round(x*1000) / 1000
	if x == 0 {
		return 0 // also turns -0 into 0
	}
	return x
}

// numFmt is a column's number format: by unit, then type; a float column gets as many
// decimals as its typical magnitude needs (3 below 1, 2 below 100, 1 above).
func numFmt(c table.Column, t *table.Table, col int) *string {
	s := func(v string) *string { return &v }
	if c.Unit == table.Share {
		return s("0.0%")
	}
	switch c.Type {
	case table.Integer:
		return s("#,##0")
	case table.Date:
		return s("yyyy-mm-dd")
	case table.Time:
		return s("yyyy-mm-dd hh:mm")
	case table.Float:
		var vals []float64
		for r, row := range t.Rows {
			if r >= widthSample {
				break
			}
			if col < len(row) {
				if x, ok := row[col].(float64); ok && !math.IsNaN(x) && !math.IsInf(x, 0) {
					vals = append(vals, math.Abs(x))
				}
			}
		}
		switch m := median(vals); {
		case m >= 100:
			return s("#,##0.0")
		case m >= 1:
			return s("0.00")
		}
		return s("0.000")
	}
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

// columnWidths measures the header and the first rows, as shown, in Excel's character units.
func columnWidths(t *table.Table, opts SheetOptions) []float64 {
	out := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		w := DisplayWidth(c.Name)
		if w > 24 {
			w = (w + 1) / 2 // the header wraps onto two lines
		}
		for r, row := range t.Rows {
			if r >= widthSample {
				break
			}
			if i >= len(row) {
				continue
			}
			var n int
			switch x := row[i].(type) {
			case time.Time:
				n = 16
			case float64:
				n = len(strconv.FormatFloat(x, 'f', 3, 64)) + 1
			case bool:
				n = DisplayWidth(opts.Yes)
			case nil:
				n = DisplayWidth(opts.Empty)
			default:
				n = DisplayWidth(Cell(x, ""))
			}
			w = max(w, n)
		}
		out[i] = math.Min(60, math.Max(8, float64(w)+2))
	}
	return out
}

package reports

import (
	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
)

// Lang is the language a report is written in (Chinese by default).
type Lang = datasets.Lang

// Report is a built report, ready to be written as HTML, Markdown or XLSX.
type Report struct {
	Kind     string // evaluation, annual, group: also the base of the file names
	Lang     Lang
	Title    string
	Subtitle string
	Meta     []KV // scope, period, generated at, data source
	Sections []Section
	Sources  []Source // the queries behind the numbers, linked from Spans with a Ref
	// NoRecord: a table cell without a value reads 无记录 (the built-in reports, whose empty
	// cells are periods or groups without records); false leaves it blank (a user's SQL).
	NoRecord bool
}

// KV is a labelled value in the report's header.
type KV struct{ Key, Value string }

// Section is a part of a report, its level-1 heading; in print each starts on a new page.
// Number is its 公文 number (一、) set by NumberHeadings; Plain sections (data sources,
// appendices) have none.
type Section struct {
	ID     string
	Title  string
	Number string
	Plain  bool
	Blocks []Block
}

// Heading is the title shown: the number and the title.
func (s Section) Heading() string { return s.Number + s.Title }

// Heading is a heading inside a section: Level 2 (（一）), 3 (1.) or 4 (（1）), numbered by
// NumberHeadings unless Plain.
type Heading struct {
	Level  int
	ID     string
	Title  string
	Number string
	Plain  bool
}

// Text is the heading as shown: the number and the title.
func (h Heading) Text() string { return h.Number + h.Title }

// Block is one of Heading, Paragraph, Figures, Chart, TableBlock, Bullets.
type Block interface{ block() }

// Span is a piece of text; a Span with a Ref links to the query that produced its number.
type Span struct {
	Text string
	Ref  string // Source.ID, or "" for plain text
}

// Paragraph is running text.
type Paragraph struct {
	Spans []Span
	Note  bool // a caveat or a method note, shown in a muted box
}

// Bullets is a list; each item is a paragraph of spans.
type Bullets struct {
	Items [][]Span
}

// Figure is a headline number.
type Figure struct {
	Label string
	Value string // formatted
	Unit  string
	Note  string
	Ref   string
}

// Figures is a row of headline numbers.
type Figures struct {
	Items []Figure
}

// TooltipKind chooses the page script's (HTML-escaping) tooltip formatter for a chart.
type TooltipKind string

const (
	TipAxis    TooltipKind = "axis"    // series name: value, one line per series
	TipItem    TooltipKind = "item"    // series name, point name: value
	TipHeatmap TooltipKind = "heatmap" // y category × x category: value
	TipScatter TooltipKind = "scatter" // point name: x, y
	TipForest  TooltipKind = "forest"  // estimate [low, high]
	TipRadar   TooltipKind = "radar"   // unit: dimension values
)

// Chart is an ECharts chart with its caption and the data behind it.
type Chart struct {
	ID      string // stable, from the spec: the HTML id, the golden file name, the sheet name
	Title   string
	Caption string
	Height  int // pixels; 0 means 360
	Tooltip TooltipKind
	Option  Option
	Data    *queries.Table // shown under "show data" and written as a sheet
	Ref     string
}

// TableBlock is a table with a caption.
type TableBlock struct {
	ID      string
	Caption string
	Table   *queries.Table
	Ref     string
	Limit   int // rows shown in HTML and Markdown (all rows go to XLSX); 0: all
	// FileOnly leaves the rows out of HTML and Markdown, which say where they are: for data
	// too large to read on a page (every group × month of a province).
	FileOnly bool
}

// Source names the query behind numbers, so a reader can re-run it.
type Source struct {
	ID      string // anchor
	Query   string // query or analysis name
	Params  string // parameters as shown to the user
	Command string // the mingdeng command that reproduces it
}

func (Heading) block()     {}
func (Paragraph) block()   {}
func (Bullets) block()     {}
func (Figures) block()     {}
func (*Chart) block()      {}
func (*TableBlock) block() {}

// Charts lists the report's charts in order.
func (r *Report) Charts() []*Chart {
	var out []*Chart
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			if c, ok := b.(*Chart); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// Tables lists the report's data tables in order: each chart's data, then each table block.
func (r *Report) Tables() []NamedTable {
	var out []NamedTable
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			switch x := b.(type) {
			case *Chart:
				if x.Data != nil {
					out = append(out, NamedTable{ID: x.ID, Title: x.Title, Table: x.Data})
				}
			case *TableBlock:
				if x.Table != nil {
					out = append(out, NamedTable{ID: x.ID, Title: x.Caption, Table: x.Table})
				}
			}
		}
	}
	return out
}

// NamedTable is a table with its stable ID and a title.
type NamedTable struct {
	ID    string
	Title string
	Table *queries.Table
}

// t picks the text for the report's language.
func t(lang Lang, zh, en string) string { return datasets.T(zh, en).In(lang) }

// Package datasets describes every dataset mingdeng knows: its table, columns, types, checks,
// Chinese and English header aliases, natural key and references. The contracts are plain Go
// values so that the compiler checks them and every other package asks here what a table looks
// like. The package does not read files (ingest does) or analyse data (queries does); the
// warehouse that turns contracts into tables lives in datasets/warehouse.
package datasets

import (
	"strings"
)

// Lang is a user-facing language. Chinese is the default; English is available everywhere.
type Lang string

const (
	Zh Lang = "zh"
	En Lang = "en"
)

// ParseLang accepts "zh" or "en" (case-insensitive, with common spellings).
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "zh", "zh-cn", "zh_cn", "cn", "chinese", "中文":
		return Zh, nil
	case "en", "en-us", "en_us", "english":
		return En, nil
	}
	return "", Errorf("未知的语言 %q（应为 zh 或 en）", "unknown language %q (expected zh or en)", s)
}

// Text is a user-facing string in both languages.
type Text struct {
	Zh string
	En string
}

// T builds a Text.
func T(zh, en string) Text { return Text{Zh: zh, En: en} }

// In returns the text in lang, falling back to Chinese.
func (t Text) In(lang Lang) string {
	if lang == En && t.En != "" {
		return t.En
	}
	return t.Zh
}

// Type is a column's logical type; the warehouse maps it to a DuckDB type.
type Type string

const (
	TypeText    Type = "text"    // free text
	TypeInteger Type = "integer" // whole numbers (BIGINT)
	TypeNumber  Type = "number"  // decimals (DOUBLE)
	TypeDate    Type = "date"    // calendar date
	TypeBool    Type = "bool"    // yes/no (是/否)
	TypeEnum    Type = "enum"    // one of Column.Values, stored as its code
)

// SQLType is the DuckDB type used for t.
func (t Type) SQLType() string {
	switch t {
	case TypeInteger:
		return "BIGINT"
	case TypeNumber:
		return "DOUBLE"
	case TypeDate:
		return "DATE"
	case TypeBool:
		return "BOOLEAN"
	default:
		return "VARCHAR"
	}
}

// Personal marks a column that holds personal data. Ingest replaces its values by a keyed
// pseudonym, so the warehouse never holds the raw value.
type Personal string

const (
	NotPersonal Personal = ""
	PersonName  Personal = "name"      // 姓名
	EmployeeNo  Personal = "employee"  // 工号: the stable identifier of a person
	IDNumber    Personal = "id_number" // 身份证号
	PhoneNumber Personal = "phone"     // 手机号
)

// Value is one allowed value of an enum column: the stored code, its labels, and other
// spellings found in real files.
type Value struct {
	Code    string
	Label   Text
	Aliases []string
}

// Range bounds a numeric column (inclusive). A nil bound is open.
type Range struct {
	Min *float64
	Max *float64
}

// Column describes one column of a dataset.
type Column struct {
	Name        string // SQL name, snake_case English
	Label       Text   // display name
	Description Text
	Type        Type
	Required    bool
	Unit        Text // e.g. km, 分钟; empty when unitless
	Range       Range
	Values      []Value  // allowed values when Type is Enum
	Pattern     string   // optional regular expression a text value must match (e.g. half 2024H1)
	Aliases     []string // headers real files carry, Chinese and English
	Personal    Personal
}

// Ref says that the listed columns of a dataset point at the key columns of another dataset.
// NameColumn, when set, lets files give the referenced row by its name instead of its code.
// Names repeat across units (every unit has a 运行党小组), so a name resolves only when it is
// unique within the unit: a team's or branch's own unit_id, a party group's branch's unit_id,
// the unit taken from the row's own unit column when the file has one. An ambiguous name is a
// reject that lists the candidates.
type Ref struct {
	Columns    []string // columns in this dataset
	Dataset    string   // referenced dataset
	To         []string // referenced columns (its natural key, in the same order)
	NameColumn string   // optional: the referenced dataset's name column
}

// Check is a rule across columns of one row, written as a SQL boolean expression over the
// typed columns (constant text from this package, never user input). A row where the
// expression is false is rejected with Message.
//
// When Ref names a referenced dataset, the rule also sees that row as x (a survey answer
// against its item's own scale): it is checked after the reference resolves. Column then names
// the column the reject is filed under ({0} in Message is its value) and Info an expression
// over x shown as {1}.
type Check struct {
	Name    string
	SQL     string
	Message Text
	Ref     string
	Column  string
	Info    string
}

// Group says which part of the domain a dataset belongs to; ingest loads groups in this order.
type Group int

const (
	Organisation Group = iota + 1
	Activity
	Outcomes
	Surveys
)

// Label is the group's display name.
func (g Group) Label() Text {
	switch g {
	case Organisation:
		return T("组织", "Organisation")
	case Activity:
		return T("党小组活动", "Party-group activity")
	case Outcomes:
		return T("生产成效", "Production outcomes")
	case Surveys:
		return T("满意度调查", "Surveys")
	}
	return T("其他", "Other")
}

// Contract describes one dataset and the warehouse table that holds it.
type Contract struct {
	Name        string // table name
	Group       Group
	Label       Text
	Description Text
	Columns     []Column
	Key         []string // natural key: loading a row with the same key updates it
	Refs        []Ref
	Checks      []Check
	// PersonLevel marks datasets whose rows describe individual people (a roster, attendance,
	// reviews, awards, survey answers). They are never reachable from web queries, and reports
	// only show them aggregated.
	PersonLevel bool
	// FileHints are words found in file names of this dataset (e.g. 会议, 巡视), used with the
	// headers to recognise which dataset a file holds.
	FileHints []string
}

// Column returns the named column.
func (c *Contract) Column(name string) (*Column, bool) {
	for i := range c.Columns {
		if c.Columns[i].Name == name {
			return &c.Columns[i], true
		}
	}
	return nil, false
}

// ColumnNames lists the columns in order.
func (c *Contract) ColumnNames() []string {
	names := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		names[i] = col.Name
	}
	return names
}

// Lineage columns every dataset table carries in the warehouse, after the contract's own.
const (
	BatchIDColumn   = "_batch_id"   // the _batches row that loaded this row
	SourceRowColumn = "_source_row" // the row number in the source file, as the user sees it
)

// ValueLabel returns the label of an enum code, or the code itself when unknown.
func (c *Column) ValueLabel(code string, lang Lang) string {
	for _, v := range c.Values {
		if v.Code == code {
			return v.Label.In(lang)
		}
	}
	return code
}

func f(v float64) *float64 { return &v }

// atLeast is a range open above.
func atLeast(v float64) Range { return Range{Min: f(v)} }

// between is a closed range.
func between(lo, hi float64) Range { return Range{Min: f(lo), Max: f(hi)} }

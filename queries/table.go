package queries

import "github.com/mingdeng/mingdeng/queries/table"

// The neutral result type lives in package table (a leaf, so packages that only need the type
// do not import queries); these names keep queries' callers reading naturally.
type (
	Table      = table.Table
	Column     = table.Column
	ColumnType = table.ColumnType
)

// The column types (table.Text …).
const (
	Text    = table.Text
	Integer = table.Integer
	Float   = table.Float
	Bool    = table.Bool
	Date    = table.Date
	Time    = table.Time
)

// ErrTooManyRows is table.ErrTooManyRows: Collect stopped at the row cap.
var ErrTooManyRows = table.ErrTooManyRows

// ErrTooManyBytes is table.ErrTooManyBytes: CollectCapped stopped at the byte cap.
var ErrTooManyBytes = table.ErrTooManyBytes

// Collect is table.Collect: all rows of a result, at most maxRows when maxRows > 0.
var Collect = table.Collect

// CollectCapped is table.CollectCapped: Collect with a byte cap as well.
var CollectCapped = table.CollectCapped

// Number is table.Number: a numeric cell as float64, NaN for NULL and text.
func Number(v any) float64 { return table.Number(v) }

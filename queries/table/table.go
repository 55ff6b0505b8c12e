// Package table is the neutral result of a query: named, typed columns and rows of plain Go
// values, with access by column name that fails loudly on a missing column. Queries, the SQL
// workbench, ingest's reject listings, the table formats (reports/tabular) and the reports all
// pass it around. It is a leaf: no cgo, no database driver, no knowledge of any query, so the
// packages that only need the type do not import package queries for it. It does not run SQL
// (Collect only reads rows someone else's query returned) and does not format values.
package table

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"time"
)

// Table is a query result in a neutral form: named, typed columns and rows of plain Go values
// (nil, bool, int64, float64, string, time.Time). Reports and exports consume it.
type Table struct {
	Columns []Column
	Rows    [][]any
}

// Column is a result column: its SQL name, a coarse type and, where the producer knows it, the
// unit of its values, for formatting.
type Column struct {
	Name string     `json:"name"`
	Type ColumnType `json:"type"`
	Unit Unit       `json:"unit,omitempty"`
}

// Unit tells writers how to show a number column beyond its type.
type Unit string

// Share marks a column of shares 0–1, shown as percentages (0.83 as 83.0%).
const Share Unit = "share"

// ColumnType is how a column's values should be formatted.
type ColumnType string

const (
	Text    ColumnType = "text"
	Integer ColumnType = "integer"
	Float   ColumnType = "float"
	Bool    ColumnType = "bool"
	Date    ColumnType = "date"
	Time    ColumnType = "timestamp"
)

// ErrTooManyRows is returned by Collect when a result exceeds the row cap.
var ErrTooManyRows = errors.New("result exceeds the row limit")

// ErrTooManyBytes is returned by CollectCapped when a result exceeds the byte cap.
var ErrTooManyBytes = errors.New("result exceeds the size limit")

// Collect reads all rows into a Table, stopping with an error after maxRows rows when
// maxRows > 0 (ErrTooManyRows, with the rows read so far).
func Collect(rows *sql.Rows, maxRows int) (*Table, error) { return CollectCapped(rows, maxRows, 0) }

// CollectCapped is Collect that also stops once the values read reach maxBytes (when > 0):
// ErrTooManyBytes, with the rows read before the one that crossed the cap. The size counted is
// the text's or blob's length and 16 bytes for any other value, about what it costs in memory
// and in a JSON or CSV reply, so a reply's size is bounded whatever its row count.
func CollectCapped(rows *sql.Rows, maxRows int, maxBytes int64) (*Table, error) {
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: make([]Column, len(types))}
	for i, ct := range types {
		t.Columns[i] = Column{Name: ct.Name(), Type: columnType(ct.DatabaseTypeName())}
	}
	var size int64
	for rows.Next() {
		if maxRows > 0 && len(t.Rows) >= maxRows {
			return t, fmt.Errorf("%w (%d)", ErrTooManyRows, maxRows)
		}
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = Normalise(v)
			size += valueSize(vals[i])
		}
		if maxBytes > 0 && size > maxBytes {
			return t, fmt.Errorf("%w (%d)", ErrTooManyBytes, maxBytes)
		}
		t.Rows = append(t.Rows, vals)
	}
	return t, rows.Err()
}

func valueSize(v any) int64 {
	switch x := v.(type) {
	case string:
		return int64(len(x)) + 16
	case []byte:
		return int64(len(x)) + 16
	case []any:
		n := int64(16)
		for _, e := range x {
			n += valueSize(e)
		}
		return n
	case map[string]any:
		n := int64(16)
		for k, e := range x {
			n += int64(len(k)) + valueSize(e)
		}
		return n
	}
	return 16
}

// columnType maps DuckDB's type names onto the coarse formatting types.
func columnType(dbType string) ColumnType {
	switch dbType {
	case "BOOLEAN":
		return Bool
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT", "UHUGEINT":
		return Integer
	case "FLOAT", "DOUBLE", "DECIMAL":
		return Float
	case "DATE":
		return Date
	case "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS":
		return Time
	}
	if len(dbType) > 7 && dbType[:7] == "DECIMAL" {
		return Float
	}
	return Text
}

// Normalise turns a driver value into the few plain types Table promises (Collect applies it
// to every cell; scanners that bypass Collect use it to read cells the same way).
func Normalise(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, time.Time:
		return x
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return float64(x)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64()
		}
		return x.String()
	case []byte:
		return string(x)
	case interface{ Float64() float64 }:
		return x.Float64()
	case map[string]any, []any, map[any]any:
		// JSON, LIST, STRUCT and MAP values: show them as JSON, not as Go's map[...] syntax.
		if b, err := json.Marshal(jsonSafe(x)); err == nil {
			return string(b)
		}
	}
	if m, ok := orderedMap(v); ok {
		if b, err := json.Marshal(jsonSafe(m)); err == nil {
			return string(b)
		}
	}
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprint(v)
}

// keyValues is the driver's ordered MAP type; its methods have pointer receivers.
type keyValues interface {
	Keys() []any
	Values() []any
}

// orderedMap turns a DuckDB MAP value (scanned as a struct value) into map[any]any.
func orderedMap(v any) (map[any]any, bool) {
	kv, ok := v.(keyValues)
	if !ok {
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Struct {
			return nil, false
		}
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		if kv, ok = p.Interface().(keyValues); !ok {
			return nil, false
		}
	}
	keys, vals := kv.Keys(), kv.Values()
	m := make(map[any]any, len(keys))
	for i, k := range keys {
		m[k] = vals[i]
	}
	return m, true
}

// jsonSafe converts map[any]any (DuckDB MAP values) into string-keyed maps json can encode.
func jsonSafe(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, val := range x {
			m[fmt.Sprint(k)] = jsonSafe(val)
		}
		return m
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, val := range x {
			m[k] = jsonSafe(val)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = jsonSafe(val)
		}
		return out
	case time.Time:
		return x.Format(time.RFC3339)
	}
	return v
}

// Number reads a numeric cell of a Table as float64: integers and booleans (1/0) convert, and
// anything else (NULL, text) is NaN.
func Number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case bool:
		if x {
			return 1
		}
		return 0
	}
	return math.NaN()
}

package table

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// ErrNoColumn is wrapped by every error about a column a result does not have.
var ErrNoColumn = errors.New("no such column")

// MissingColumnError names the columns a reader asked for that a result lacks, and the
// columns it has, so a renamed or misspelt column fails with a message instead of a part of a
// report silently disappearing.
type MissingColumnError struct {
	Missing []string
	Have    []string
}

func (e *MissingColumnError) Error() string {
	return fmt.Sprintf("%s %s (the result has %s)", ErrNoColumn, strings.Join(e.Missing, ", "), strings.Join(e.Have, ", "))
}

func (e *MissingColumnError) Unwrap() error { return ErrNoColumn }

// Col is the position of the column called name, or a *MissingColumnError.
func (t *Table) Col(name string) (int, error) {
	is, err := t.Cols(name)
	if err != nil {
		return -1, err
	}
	return is[0], nil
}

// Cols is the positions of the named columns, in the order asked; the error names every
// missing one. Readers ask for all the columns they use at once, before reading any row.
func (t *Table) Cols(names ...string) ([]int, error) {
	at := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		if _, dup := at[c.Name]; !dup {
			at[c.Name] = i
		}
	}
	out := make([]int, len(names))
	var missing []string
	for k, n := range names {
		i, ok := at[n]
		if !ok {
			missing = append(missing, n)
		}
		out[k] = i
	}
	if len(missing) > 0 {
		have := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			have[i] = c.Name
		}
		return nil, &MissingColumnError{Missing: missing, Have: have}
	}
	return out, nil
}

// Has reports whether the result has a column called name: for columns a reader treats as
// optional, said so where it reads them.
func (t *Table) Has(name string) bool {
	for _, c := range t.Columns {
		if c.Name == name {
			return true
		}
	}
	return false
}

// Floats is the named column as numbers (Number of each cell: NaN for NULL and text).
func (t *Table) Floats(name string) ([]float64, error) {
	i, err := t.Col(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(t.Rows))
	for r, row := range t.Rows {
		out[r] = Number(row[i])
	}
	return out, nil
}

// Strings is the named column as text: "" for NULL, text as it is, numbers and times in
// their plain form.
func (t *Table) Strings(name string) ([]string, error) {
	i, err := t.Col(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(t.Rows))
	for r, row := range t.Rows {
		out[r] = String(row[i])
	}
	return out, nil
}

// String is a cell as plain text: "" for NULL.
func String(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339)
	case float64:
		if math.IsNaN(x) {
			return ""
		}
	}
	return fmt.Sprint(v)
}

package table

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func sample() *Table {
	return &Table{
		Columns: []Column{{Name: "group_id", Type: Text}, {Name: "total", Type: Float}, {Name: "items", Type: Integer}, {Name: "day", Type: Date}},
		Rows: [][]any{
			{"XZ001", 96.5, int64(12), time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)},
			{nil, nil, true, nil},
		},
	}
}

// A missing column is an error naming it and the columns there are; a present one is found
// wherever it stands (never column 0 for a misspelt name).
func TestColumnsByName(t *testing.T) {
	tb := sample()
	for _, tt := range []struct {
		names   []string
		want    []int
		missing []string
	}{
		{[]string{"total"}, []int{1}, nil},
		{[]string{"items", "group_id"}, []int{2, 0}, nil},
		{[]string{"totl"}, nil, []string{"totl"}},
		{[]string{"group_id", "half", "grade"}, nil, []string{"half", "grade"}},
	} {
		got, err := tb.Cols(tt.names...)
		if tt.missing == nil {
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("%v: %v %v", tt.names, got, err)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%v: %v, want %v", tt.names, got, tt.want)
				}
			}
			continue
		}
		var me *MissingColumnError
		if !errors.As(err, &me) || !errors.Is(err, ErrNoColumn) || got != nil {
			t.Fatalf("%v: want a MissingColumnError, got %v %v", tt.names, got, err)
		}
		if strings.Join(me.Missing, ",") != strings.Join(tt.missing, ",") || !strings.Contains(err.Error(), "group_id, total, items, day") {
			t.Errorf("%v: %v", tt.names, err)
		}
	}
	if i, err := tb.Col("day"); i != 3 || err != nil {
		t.Errorf("Col(day) = %d, %v", i, err)
	}
	if i, err := tb.Col("nope"); i != -1 || err == nil {
		t.Errorf("Col(nope) = %d, %v", i, err)
	}
	if !tb.Has("items") || tb.Has("Items") {
		t.Error("Has is exact")
	}
}

// Typed column reads: numbers (booleans as 1/0, NULL as NaN) and text ("" for NULL, dates
// as YYYY-MM-DD).
func TestTypedColumns(t *testing.T) {
	tb := sample()
	f, err := tb.Floats("items")
	if err != nil || f[0] != 12 || f[1] != 1 {
		t.Errorf("items %v %v", f, err)
	}
	f, _ = tb.Floats("total")
	if f[0] != 96.5 || !math.IsNaN(f[1]) {
		t.Errorf("total %v", f)
	}
	s, err := tb.Strings("day")
	if err != nil || s[0] != "2024-06-30" || s[1] != "" {
		t.Errorf("day %q %v", s, err)
	}
	s, _ = tb.Strings("group_id")
	if s[0] != "XZ001" || s[1] != "" {
		t.Errorf("group_id %q", s)
	}
	if _, err := tb.Floats("score"); !errors.Is(err, ErrNoColumn) {
		t.Errorf("Floats(score): %v", err)
	}
	if _, err := tb.Strings("name"); !errors.Is(err, ErrNoColumn) {
		t.Errorf("Strings(name): %v", err)
	}
}

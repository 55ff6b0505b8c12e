package reports

import (
	"slices"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// Two units each have a 运行党小组: the report must count and show them as two groups.
func TestGroupsWithTheSameNameInDifferentUnitsStayApart(t *testing.T) {
	cols := []queries.Column{{Name: "unit_id"}, {Name: "group_id"}, {Name: "group_name"}, {Name: "period"},
		{Name: "meetings_held", Type: queries.Integer}, {Name: "compliance", Type: queries.Float}, {Name: "every"}, {Name: "min_per_slot"}}
	monthly := &queries.Table{Columns: cols, Rows: [][]any{
		{"DW0001", "XZ01", "运行党小组", "2024-01", int64(1), 1.0, "month", int64(1)},
		{"DW0002", "XZ02", "运行党小组", "2024-01", int64(0), 0.0, "month", int64(1)},
		{"DW0002", "XZ03", "检修党小组", "2024-01", int64(2), 1.0, "month", int64(1)},
	}}
	half := &queries.Table{Columns: cols, Rows: [][]any{
		{"DW0001", "XZ01", "运行党小组", "2024H1", int64(6), 1.0, "month", int64(1)},
		{"DW0002", "XZ02", "运行党小组", "2024H1", int64(2), 0.4, "month", int64(1)},
		{"DW0002", "XZ03", "检修党小组", "2024H1", int64(7), 1.0, "month", int64(1)},
	}}
	d, err := EvaluationFromTables(EvaluationTables{ActivityMonthly: monthly, ActivityHalf: half})
	if err != nil {
		t.Fatal(err)
	}
	var groups float64
	for _, h := range d.Headlines {
		if h.Key == "groups" {
			groups = h.Value
		}
	}
	if groups != 3 {
		t.Errorf("headline groups = %v, want 3", groups)
	}
	if d.Compliance == nil || len(d.Compliance.Rows) != 3 {
		t.Fatalf("compliance grid rows: %+v", d.Compliance)
	}
	for _, want := range []string{"运行党小组（DW0001）", "运行党小组（DW0002）", "检修党小组"} {
		if !slices.Contains(d.Compliance.Rows, want) {
			t.Errorf("grid rows %q lack %q", d.Compliance.Rows, want)
		}
	}
}

func TestSameNameInOneUnitFallsBackToTheGroupCode(t *testing.T) {
	tb := &queries.Table{Columns: []queries.Column{{Name: "unit_id"}, {Name: "group_id"}, {Name: "group_name"}}, Rows: [][]any{
		{"DW0001", "XZ01", "运行党小组"}, {"DW0001", "XZ02", "运行党小组"}, {"DW0001", "XZ03", "检修党小组"},
	}}
	uniqueGroupNames(tb)
	got := []any{tb.Rows[0][2], tb.Rows[1][2], tb.Rows[2][2]}
	want := []any{"运行党小组（XZ01）", "运行党小组（XZ02）", "检修党小组"}
	if !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
}

func TestSharedNamesTakeTheUnitNameWhenKnown(t *testing.T) {
	tb := &queries.Table{Columns: []queries.Column{{Name: "unit_id"}, {Name: "unit_name"}, {Name: "group_id"}, {Name: "group_name"}}, Rows: [][]any{
		{"DW0001", "线路工区", "XZ01", "运行党小组"}, {"DW0002", "变电运维工区", "XZ02", "运行党小组"}, {"DW0003", nil, "XZ03", "运行党小组"},
	}}
	uniqueGroupNames(tb)
	got := []any{tb.Rows[0][3], tb.Rows[1][3], tb.Rows[2][3]}
	want := []any{"运行党小组（线路工区）", "运行党小组（变电运维工区）", "运行党小组（DW0003）"}
	if !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
}

func TestUnitsWithTheSameNameStillKeepGroupsApart(t *testing.T) {
	tb := &queries.Table{Columns: []queries.Column{{Name: "unit_id"}, {Name: "unit_name"}, {Name: "group_id"}, {Name: "group_name"}}, Rows: [][]any{
		{"DW0001", "城区供电所", "XZ01", "营业党小组"}, {"DW0002", "城区供电所", "XZ02", "营业党小组"},
	}}
	uniqueGroupNames(tb)
	if tb.Rows[0][3] == tb.Rows[1][3] {
		t.Fatalf("two groups share the label %q", tb.Rows[0][3])
	}
}

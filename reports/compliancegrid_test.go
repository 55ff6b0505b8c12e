package reports

import (
	"fmt"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// The compliance grid, its headline and the annual list of groups that missed a month are the
// same from a row per group and month (group_compliance) as from a row per group with its months
// and values as lists (queries.ComplianceByGroup): groups with one name in two units, a month
// with no compliance (无记录), a group missing from a month.
func TestComplianceGridFromFoldedRows(t *testing.T) {
	cols := []queries.Column{{Name: "unit_id"}, {Name: "unit_name"}, {Name: "group_id"}, {Name: "group_name"}, {Name: "period"},
		{Name: "compliance", Type: queries.Float}, {Name: "every"}, {Name: "min_per_slot"}}
	long := func() *queries.Table {
		return &queries.Table{Columns: cols, Rows: [][]any{
			{"DW0001", "城东所", "XZ01", "运行党小组", "2024-01", 1.0, "month", int64(1)},
			{"DW0001", "城东所", "XZ01", "运行党小组", "2024-02", 0.0, "month", int64(1)},
			{"DW0001", "城东所", "XZ01", "运行党小组", "2024-03", 1.0, "month", int64(1)},
			{"DW0002", "城西所", "XZ02", "运行党小组", "2024-02", nil, "month", int64(1)},
			{"DW0002", "城西所", "XZ02", "运行党小组", "2024-03", 0.0, "month", int64(1)},
			{"DW0002", "城西所", "XZ03", "检修党小组", "2024-01", 1.0, "month", int64(1)},
			{"DW0002", "城西所", "XZ03", "检修党小组", "2024-02", 1.0, "month", int64(1)},
		}}
	}
	folded := func() *queries.Table {
		return &queries.Table{Columns: []queries.Column{{Name: "unit_id"}, {Name: "unit_name"}, {Name: "group_id"}, {Name: "group_name"},
			{Name: "every"}, {Name: "min_per_slot"}, {Name: "periods"}, {Name: "compliance"}}, Rows: [][]any{
			{"DW0001", "城东所", "XZ01", "运行党小组", "month", int64(1), []any{"2024-01", "2024-02", "2024-03"}, []any{1.0, 0.0, 1.0}},
			{"DW0002", "城西所", "XZ02", "运行党小组", "month", int64(1), []any{"2024-02", "2024-03"}, []any{nil, 0.0}},
			{"DW0002", "城西所", "XZ03", "检修党小组", "month", int64(1), []any{"2024-01", "2024-02"}, []any{1.0, 1.0}},
		}}
	}
	show := func(tb *queries.Table) string {
		d, err := EvaluationFromTables(EvaluationTables{ActivityMonthly: tb})
		if err != nil {
			t.Fatal(err)
		}
		a, err := AnnualFromTables(AnnualTables{ActivityMonthly: tb})
		if err != nil {
			t.Fatal(err)
		}
		if d.Compliance == nil {
			return "no grid"
		}
		g := d.Compliance
		return fmt.Sprintf("%v %v %v %v %+v %+v", g.Rows, g.Cols, g.Values, g.Units, d.Headlines, a.Missed)
	}
	want, got := show(long()), show(folded())
	if want == "no grid" {
		t.Fatal("no grid from the rows per group and month")
	}
	if got != want {
		t.Errorf("from the folded rows\n%s\nfrom a row per group and month\n%s", got, want)
	}
}

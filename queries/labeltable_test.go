package queries_test

import (
	"reflect"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
)

// LabelTable names columns and values for a reader, folds kind/kind_zh/kind_en into one column
// in the language, and leaves codes out only when asked and a name stands beside them.
func TestLabelTable(t *testing.T) {
	in := &queries.Table{
		Columns: []queries.Column{{Name: "unit_id"}, {Name: "unit_name"}, {Name: "kind"}, {Name: "kind_zh"}, {Name: "kind_en"},
			{Name: "help_needed", Type: queries.Bool}, {Name: "total"}, {Name: "grade"}, {Name: "patrol_kind_code"},
			{Name: "severity"}, {Name: "method"}, {Name: "every"}},
		Rows: [][]any{{"DW0003", "城东供电所", "group_meeting", "党小组会", "Group meeting", true, 92.5, "basic", "x", "critical", "panel_fe", "month"}},
	}
	for _, tc := range []struct {
		lang datasets.Lang
		drop bool
		cols []string
		row  []any
	}{
		{datasets.Zh, true,
			[]string{"单位", "类型", "需帮扶", "总分", "等次", "patrol_kind_code", "缺陷等级", "方法", "频次"},
			[]any{"城东供电所", "党小组会", "是", 92.5, "基本合格", "x", "危急", "双向固定效应面板回归", "按月"}},
		{datasets.En, false,
			[]string{"unit code", "unit", "kind", "help needed", "total score", "grade", "patrol_kind_code", "Severity", "method", "every"},
			[]any{"DW0003", "城东供电所", "Group meeting", "Yes", 92.5, "Basically qualified", "x", "Critical", "two-way fixed-effect panel regression", "monthly"}},
	} {
		out := queries.LabelTable(in, tc.lang, queries.LabelOptions{DropCodes: tc.drop})
		var cols []string
		for _, c := range out.Columns {
			cols = append(cols, c.Name)
		}
		if !reflect.DeepEqual(cols, tc.cols) {
			t.Errorf("%s: columns %q, want %q", tc.lang, cols, tc.cols)
		}
		if !reflect.DeepEqual(out.Rows[0], tc.row) {
			t.Errorf("%s: row %v, want %v", tc.lang, out.Rows[0], tc.row)
		}
	}
	if in.Columns[0].Name != "unit_id" || in.Rows[0][5] != true {
		t.Error("LabelTable changed its input")
	}
}

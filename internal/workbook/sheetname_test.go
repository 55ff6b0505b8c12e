package workbook_test

import (
	"testing"

	"github.com/mingdeng/mingdeng/internal/workbook"
)

// Names shortens a family of titles alike: when one of them has to lose its bracketed
// qualifier, its siblings lose theirs too, even the one that would fit.
func TestSheetNamesOfAFamilyReadAlike(t *testing.T) {
	got := workbook.NewSheetNamer().Names([]string{
		"示范党小组减其他党小组（差值与 95% 置信区间）：百人违章数",
		"示范党小组减其他党小组（差值与 95% 置信区间）：百公里发现缺陷数",
		"党小组按月开会情况（党小组 × 月）",
	})
	want := []string{"示范党小组减其他党小组：百人违章数", "示范党小组减其他党小组：百公里发现缺陷数", "党小组按月开会情况（党小组 × 月）"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("name %d is %q, want %q", i, got[i], want[i])
		}
	}
}

package synth

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets"
)

// A generated workbook's sheet is named within Excel's rules whatever the name asked for: too
// long or holding characters Excel refuses, it is shortened and cleaned as the reports' sheets
// are, and the sink says the name it wrote (the manifest records that one).
func TestXLSXSinkSheetNameFollowsExcelRules(t *testing.T) {
	for _, c := range []struct{ asked, want string }{
		{"党小组与班组对应", "党小组与班组对应"},
		{"Party group and production team mapping of every unit", "Party group and production…"},
		{"meetings: 2024/H1 [draft]", "meetings - 2024／H1 (draft)"},
	} {
		path := filepath.Join(t.TempDir(), "x.xlsx")
		s, err := newXLSXSink(path, c.asked, []datasets.Type{datasets.TypeText})
		if err != nil {
			t.Fatalf("%q: %v", c.asked, err)
		}
		if err := s.header([]string{"h"}); err != nil {
			t.Fatal(err)
		}
		if err := s.close(); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got := f.GetSheetList()
		f.Close()
		if len(got) != 1 || got[0] != c.want || s.sheet != c.want {
			t.Errorf("%q: sheets %q, sink says %q, want %q", c.asked, got, s.sheet, c.want)
		}
	}
}

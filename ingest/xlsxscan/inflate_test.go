package xlsxscan

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestStreamedPartSameRows reads the saved workbooks under ingest/testdata with every part
// streamed through the inflater (as a part over wholeCompressed bytes is) and read whole first:
// the same rows.
func TestStreamedPartSameRows(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*/*.xlsx")
	read := func(path string) string {
		wb, err := Open(path, Options{})
		if err != nil {
			return "open: " + err.Error()
		}
		defer wb.Close()
		var out strings.Builder
		for _, sh := range wb.Sheets {
			rows, err := wb.Rows(sh.Name)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				fmt.Fprintf(&out, "%d %q\n", rows.Num(), rows.Values())
			}
			fmt.Fprintf(&out, "%s: %v\n", sh.Name, rows.Err())
			rows.Close()
		}
		return out.String()
	}
	rows := 0
	for _, path := range files {
		whole := read(path)
		saved := wholeCompressed
		wholeCompressed = -1
		streamed := read(path)
		wholeCompressed = saved
		if streamed != whole {
			t.Errorf("%s: streamed:\n%s\nread whole:\n%s", path, streamed, whole)
		}
		rows += strings.Count(whole, "\n")
	}
	if len(files) < 3 || rows < 20 {
		t.Fatalf("%d workbooks, %d rows", len(files), rows)
	}
}

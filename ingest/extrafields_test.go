package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

// A row with more fields than the header (an unquoted comma in a name, say) is refused with
// the extra content named; before, DuckDB dropped the extra fields and the row loaded cut.
// A trailing empty field loses nothing and loads.
func TestFieldsBeyondTheHeaderAreRefusedNotCut(t *testing.T) {
	w := warehousetest.New(t)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "单位.csv")
	body := "单位编码,单位名称,单位类型\n" +
		"U01,线路工区,工区\n" +
		"U02,变电运维工区,工区,多余的内容\n" +
		"U03,城区供电所,供电所,\n" +
		",,,只有多余的内容\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := ingest.Ingest(ctx, w, []string{path}, ingest.Options{})
	if err == nil {
		err = sum.Err()
	}
	if err != nil {
		t.Fatal(err)
	}
	f := sum.Files[0]
	if f.RowsRead != 4 || f.Loaded != 2 || f.Rejected != 2 || f.Blank != 0 {
		t.Fatalf("read %d loaded %d rejected %d blank %d; want 4, 2, 2, 0", f.RowsRead, f.Loaded, f.Rejected, f.Blank)
	}
	rows, err := w.DB().QueryContext(ctx, `SELECT source_row, reason_code, raw_value, reason_zh, reason_en FROM _rejects ORDER BY source_row`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := []struct {
		row int
		raw string
	}{{3, "多余的内容"}, {5, "只有多余的内容"}}
	i := 0
	for rows.Next() {
		var row int
		var code, raw, zh, en string
		if err := rows.Scan(&row, &code, &raw, &zh, &en); err != nil {
			t.Fatal(err)
		}
		if i >= len(want) || row != want[i].row || code != "extra_fields" || raw != want[i].raw ||
			!strings.Contains(zh, "表头共 3 列") || !strings.Contains(en, want[i].raw) {
			t.Errorf("reject %d: row %d %s %q %q %q", i, row, code, raw, zh, en)
		}
		i++
	}
	if i != len(want) {
		t.Errorf("%d rejects, want %d", i, len(want))
	}
	var names string
	w.DB().QueryRowContext(ctx, `SELECT string_agg(name, ',' ORDER BY unit_id) FROM units`).Scan(&names)
	if names != "线路工区,城区供电所" {
		t.Errorf("loaded units %q", names)
	}
}

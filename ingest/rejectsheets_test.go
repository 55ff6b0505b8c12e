package ingest_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
	xlsxbook "github.com/mingdeng/mingdeng/internal/workbook"
)

// The rejects workbook names a sheet by its dataset's label, or by the dataset's code when the
// contracts no longer know it (rejects kept from an older version): a code too long for Excel,
// two codes alike in their first 31 characters, or one holding characters Excel refuses still
// give a workbook that opens, each sheet named within Excel's rules and holding its own rows.
func TestRejectsWorkbookSheetNamesFollowExcelRules(t *testing.T) {
	w := warehousetest.New(t)
	ctx := context.Background()
	datasetsAndRows := []struct {
		dataset string
		row     int64
	}{
		{"meetings", 2},
		{"attendance_records_of_the_previous_system_2019", 3},
		{"attendance_records_of_the_previous_system_2020", 4},
		{"legacy:meetings/2018[old]?", 5},
		{"MEETINGS", 6},
	}
	for _, r := range datasetsAndRows {
		if _, err := w.DB().ExecContext(ctx, `INSERT INTO _rejects (batch_id, dataset, path, source_row, column_name, raw_value, reason_code, reason_zh, reason_en, row_data)
			VALUES (1, ?, 'old.csv', ?, '日期', 'x', 'bad_date', '日期无效', 'not a date', '{"日期": "x"}')`, r.dataset, r.row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := ingest.ExportRejects(ctx, w.DB(), 0, &buf, "zh"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := f.GetSheetList()
	if len(names) != len(datasetsAndRows) {
		t.Fatalf("sheets %q, want one per dataset (%d)", names, len(datasetsAndRows))
	}
	seen := map[string]bool{}
	for i, n := range names {
		if l := len(utf16.Encode([]rune(n))); l == 0 || l > xlsxbook.MaxSheetName {
			t.Errorf("sheet %q has %d characters", n, l)
		}
		if strings.ContainsAny(n, `:\/?*[]`) || strings.HasPrefix(n, "'") || strings.HasSuffix(n, "'") {
			t.Errorf("sheet %q holds a character Excel refuses", n)
		}
		if seen[strings.ToLower(n)] {
			t.Errorf("sheet %q is another's name to Excel", n)
		}
		seen[strings.ToLower(n)] = true
		// Each sheet holds its dataset's row: the source row is the last column.
		rows, err := f.GetRows(n)
		if err != nil || len(rows) != 2 {
			t.Fatalf("sheet %q: %d rows, %v", n, len(rows), err)
		}
		if got, want := rows[1][len(rows[1])-1], datasetsAndRows[i].row; got != strconv.FormatInt(want, 10) {
			t.Errorf("sheet %q holds source row %s, want %d", n, got, want)
		}
	}
	if names[0] != "组织生活记录" || names[4] != "MEETINGS" {
		t.Errorf("sheets %q: the known dataset by its label, the unknown code as written", names)
	}
}

package xlsxscan_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/ingest/xlsxscan"
)

// sheetRows reads every row of a sheet with excelize's streaming reader (raw values), the
// way ingest used to.
func excelizeRows(t testing.TB, f *excelize.File, sheet string) ([][]string, []bool) {
	t.Helper()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatalf("excelize rows %s: %v", sheet, err)
	}
	defer rows.Close()
	var out [][]string
	var hidden []bool
	for rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("excelize columns %s: %v", sheet, err)
		}
		out = append(out, cols)
		hidden = append(hidden, rows.GetRowOpts().Hidden)
	}
	if err := rows.Error(); err != nil {
		t.Fatalf("excelize %s: %v", sheet, err)
	}
	return out, hidden
}

func scanRows(t testing.TB, wb *xlsxscan.Workbook, sheet string) ([][]string, []bool) {
	t.Helper()
	rows, err := wb.Rows(sheet)
	if err != nil {
		t.Fatalf("xlsxscan rows %s: %v", sheet, err)
	}
	defer rows.Close()
	var out [][]string
	var hidden []bool
	for rows.Next() {
		if rows.Num() != len(out)+1 {
			t.Fatalf("%s: row number %d after %d rows", sheet, rows.Num(), len(out))
		}
		out = append(out, rows.Values())
		hidden = append(hidden, rows.Hidden())
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("xlsxscan %s: %v", sheet, err)
	}
	return out, hidden
}

// compareWorkbook reads every sheet of a workbook with both readers and reports differences:
// the sheet list and visibility, the date system, every row's values, hidden rows and merged
// ranges. It returns the number of rows compared.
func compareWorkbook(t *testing.T, path string) int {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		// A file excelize refuses (a .xls renamed, an encrypted workbook) must be refused too.
		if wb, err2 := xlsxscan.Open(path, xlsxscan.Options{}); err2 == nil {
			wb.Close()
			t.Errorf("%s: excelize refuses it (%v), xlsxscan opens it", path, err)
		}
		return -1
	}
	defer f.Close()
	wb, err := xlsxscan.Open(path, xlsxscan.Options{})
	if err != nil {
		t.Fatalf("xlsxscan open %s: %v", path, err)
	}
	defer wb.Close()

	var names []string
	for _, s := range wb.Sheets {
		names = append(names, s.Name)
		visible, _ := f.GetSheetVisible(s.Name)
		if visible != s.Visible() {
			t.Errorf("%s: sheet %s visible %v, excelize %v", path, s.Name, s.Visible(), visible)
		}
	}
	if !reflect.DeepEqual(names, f.GetSheetList()) {
		t.Errorf("%s: sheets %q, excelize %q", path, names, f.GetSheetList())
	}
	props, _ := f.GetWorkbookProps()
	if want := props.Date1904 != nil && *props.Date1904; wb.Date1904 != want {
		t.Errorf("%s: date1904 %v, excelize %v", path, wb.Date1904, want)
	}
	n := 0
	for _, name := range names {
		want, wantHidden := excelizeRows(t, f, name)
		got, gotHidden := scanRows(t, wb, name)
		n += len(got)
		if len(got) != len(want) {
			t.Errorf("%s/%s: %d rows, excelize %d", path, name, len(got), len(want))
		}
		bad := 0
		for i := 0; i < len(got) && i < len(want); i++ {
			if !equalRow(got[i], want[i]) && bad < 5 {
				bad++
				t.Errorf("%s/%s row %d:\n got  %q\n want %q", path, name, i+1, got[i], want[i])
			}
			// excelize reports a gap row (not stored) with the options of the next stored row;
			// only rows with values are compared.
			if gotHidden[i] != wantHidden[i] && len(got[i]) > 0 {
				t.Errorf("%s/%s row %d: hidden %v, excelize %v", path, name, i+1, gotHidden[i], wantHidden[i])
			}
		}
		merged, err := wb.MergeCells(name)
		if err != nil {
			t.Fatalf("%s/%s merge cells: %v", path, name, err)
		}
		wantMerged, err := f.GetMergeCells(name, true)
		if err != nil {
			t.Fatalf("%s/%s excelize merge cells: %v", path, name, err)
		}
		var a, b []string
		for _, m := range merged {
			a = append(a, m.Ref)
		}
		for _, m := range wantMerged {
			b = append(b, m.GetStartAxis()+":"+m.GetEndAxis())
		}
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%s/%s: merged %v, excelize %v", path, name, a, b)
		}
	}
	return n
}

// equalRow treats a nil row and an empty one alike.
func equalRow(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSameAsExcelizeOnTestdata compares the two readers on every workbook under ingest/testdata
// (LibreOffice-saved fixtures included) and on this package's own hand-written workbooks.
func TestSameAsExcelizeOnTestdata(t *testing.T) {
	var files []string
	for _, root := range []string{"../testdata", "testdata"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".xlsx") {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) < 3 {
		t.Fatalf("only %d workbooks found: %v", len(files), files)
	}
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) {
			if n := compareWorkbook(t, p); n == 0 {
				t.Errorf("%s: no rows", p)
			} else if n < 0 {
				t.Logf("%s: refused by both", p)
			}
		})
	}
}

// TestSameAsExcelizeOnGenerated compares the two readers on the generator's XLSX output: the
// tiny scale plain and messy (title rows, merged headers, blank rows, odd values), and, when
// MINGDENG_XLSX_DIFF_COMPANY=1, the company scale (1,032,039 rows in 68 workbooks: about a
// minute of CPU, most of it excelize's, so not in every `make test`).
func TestSameAsExcelizeOnGenerated(t *testing.T) {
	cases := []synth.Options{
		{Scale: synth.ScaleTiny, Format: "xlsx", Seed: 7},
		{Scale: synth.ScaleTiny, Format: "xlsx", Seed: 11, Messy: true},
		{Scale: synth.ScaleTiny, Format: "xlsx", Seed: 3, Messy: true, Headers: synth.HeadersEn},
		{Scale: synth.ScaleCompany, Format: "xlsx", Seed: 1, Messy: true},
	}
	for _, opts := range cases {
		t.Run(fmt.Sprintf("%s_messy=%v_seed=%d", opts.Scale, opts.Messy, opts.Seed), func(t *testing.T) {
			if opts.Scale != synth.ScaleTiny && (testing.Short() || os.Getenv("MINGDENG_XLSX_DIFF_COMPANY") == "") {
				t.Skip("company scale: set MINGDENG_XLSX_DIFF_COMPANY=1")
			}
			opts.Out = t.TempDir()
			if _, err := synth.Generate(context.Background(), opts, nil); err != nil {
				t.Fatal(err)
			}
			files, rows := 0, 0
			filepath.WalkDir(opts.Out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && strings.HasSuffix(p, ".xlsx") {
					files++
					rows += compareWorkbook(t, p)
				}
				return nil
			})
			if files == 0 {
				t.Fatal("no workbooks generated")
			}
			t.Logf("%d workbooks, %d rows identical", files, rows)
		})
	}
}

// writePackage writes a minimal XLSX package from raw parts (name → XML).
func writePackage(t testing.TB, path string, parts map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	var names []string
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

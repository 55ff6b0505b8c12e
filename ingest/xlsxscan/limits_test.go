package xlsxscan_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/ingest/xlsxscan"
)

func withSheet(t *testing.T, sheet string) string {
	t.Helper()
	parts := edgeParts()
	parts["xl/worksheets/sheet1.xml"] = sheet
	p := filepath.Join(t.TempDir(), "w.xlsx")
	writePackage(t, p, parts)
	return p
}

func readSheet(t *testing.T, path string, opts xlsxscan.Options) ([][]string, error) {
	t.Helper()
	wb, err := xlsxscan.Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	return readAll(wb, wb.Sheets[0].Name)
}

func TestZipBombRefused(t *testing.T) {
	// 64 MiB of one repeated row compresses to well under 1 MiB.
	var b strings.Builder
	b.WriteString(`<worksheet><sheetData>`)
	row := `<row><c t="inlineStr"><is><t>` + strings.Repeat("x", 1000) + `</t></is></c></row>`
	for b.Len() < 64<<20 {
		b.WriteString(row)
	}
	b.WriteString(`</sheetData></worksheet>`)
	p := withSheet(t, b.String())
	if st, _ := os.Stat(p); st.Size() > 1<<20 {
		t.Fatalf("package is %d bytes", st.Size())
	}
	_, err := xlsxscan.Open(p, xlsxscan.Options{UnzipSizeLimit: 16 << 20})
	if !errors.Is(err, xlsxscan.ErrUnzipSizeLimit) {
		t.Fatalf("want ErrUnzipSizeLimit, got %v", err)
	}
	rows, err := readSheet(t, p, xlsxscan.Options{UnzipSizeLimit: 128 << 20})
	if err != nil || len(rows) < 60000 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
}

func TestNotXLSXRefused(t *testing.T) {
	dir := t.TempDir()
	ole := append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, bytes.Repeat([]byte{0}, 600)...)
	for name, content := range map[string][]byte{"ole.xlsx": ole, "text.xlsx": []byte("巡视编号,班组\nP1,T01\n"), "empty.xlsx": nil} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o644)
		if _, err := xlsxscan.Open(p, xlsxscan.Options{}); !errors.Is(err, xlsxscan.ErrFormat) {
			t.Errorf("%s: want ErrFormat, got %v", name, err)
		}
	}
	// A zip without a workbook part.
	p := filepath.Join(dir, "nowb.xlsx")
	writePackage(t, p, map[string]string{"hello.txt": "hi"})
	if _, err := xlsxscan.Open(p, xlsxscan.Options{}); !errors.Is(err, xlsxscan.ErrFormat) {
		t.Errorf("no workbook: want ErrFormat, got %v", err)
	}
}

func TestHugeTokensAndDeepNesting(t *testing.T) {
	// A cell value over the token limit is refused, not buffered.
	big := withSheet(t, `<worksheet><sheetData><row><c t="inlineStr"><is><t>`+strings.Repeat("长", 1<<20)+`</t></is></c></row></sheetData></worksheet>`)
	if _, err := readSheet(t, big, xlsxscan.Options{MaxTokenSize: 1 << 20}); !errors.Is(err, xlsxscan.ErrTooLarge) {
		t.Errorf("huge value: want ErrTooLarge, got %v", err)
	}
	if rows, err := readSheet(t, big, xlsxscan.Options{}); err != nil || len(rows[0][0]) != 3<<20 {
		t.Errorf("within the default limit: %v", err)
	}
	// A huge tag.
	tag := withSheet(t, `<worksheet><sheetData><row><c r="A1" x="`+strings.Repeat("a", 2<<20)+`"><v>1</v></c></row></sheetData></worksheet>`)
	if _, err := readSheet(t, tag, xlsxscan.Options{MaxTokenSize: 1 << 20}); !errors.Is(err, xlsxscan.ErrTooLarge) {
		t.Errorf("huge tag: want ErrTooLarge, got %v", err)
	}
	// A million nested elements inside a cell cost a counter, not a stack, and are skipped;
	// text outside values is skipped without being buffered.
	deep := withSheet(t, `<worksheet><sheetData><row><c r="B1"><v>7</v><x>`+strings.Repeat("<y>", 1<<20)+strings.Repeat("</y>", 1<<20)+
		`</x></c></row></sheetData><extLst>`+strings.Repeat("text ", 1<<20)+`</extLst></worksheet>`)
	rows, err := readSheet(t, deep, xlsxscan.Options{MaxTokenSize: 64 << 10})
	if err != nil || len(rows) != 1 || rows[0][1] != "7" {
		t.Errorf("deep nesting: %q %v", rows, err)
	}
	// Unterminated and broken XML is an error, never a silent stop.
	for _, bad := range []string{
		`<worksheet><sheetData><row><c r="A1"><v>1</v></c></row><row><c r="A2"><v>2`,
		`<worksheet><sheetData><row><c r="A1"><v>&bogus;</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c r="1A"><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="x"><c><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="1048577"><c><v>1</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>`,
		"<worksheet><sheetData><row><c><v>\xff</v></c></row></sheetData></worksheet>",
	} {
		if _, err := readSheet(t, withSheet(t, bad), xlsxscan.Options{}); err == nil {
			t.Errorf("no error for %.80q", bad)
		}
	}
}

func TestDateFormats(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, `yyyy"年"m"月"d"日"`: true, "[$-804]aaaa": true, "h:mm:ss": true, "[h]:mm": true,
		"m/d/yy h:mm": true, "0.00": false, "#,##0": false, `"day"0.00`: false, `0" m"`: false, "General": false,
		"[Red]0.00;[Blue]-0.00": false, "@": false, `\d0`: false, "0.00E+00": false, "[$-F800]dddd, mmmm dd, yyyy": true,
	} {
		if got := xlsxscan.IsDateFormat(code); got != want {
			t.Errorf("IsDateFormat(%q) = %v", code, got)
		}
	}
	for id, want := range map[int]bool{0: false, 1: false, 14: true, 22: true, 23: false, 31: true, 45: true, 47: true, 49: false, 57: true} {
		if got := xlsxscan.IsBuiltInDateFormat(id); got != want {
			t.Errorf("IsBuiltInDateFormat(%d) = %v", id, got)
		}
	}
}

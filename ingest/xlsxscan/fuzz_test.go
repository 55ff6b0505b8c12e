package xlsxscan_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/ingest/xlsxscan"
)

// fuzzPackage is edgeParts with the given worksheet XML as its first sheet.
func fuzzPackage(t testing.TB, sheet []byte) []byte {
	parts := edgeParts()
	parts["xl/worksheets/sheet1.xml"] = string(sheet)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		"xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[n]))
	}
	zw.Close()
	return buf.Bytes()
}

// wellFormed tells whether encoding/xml reads the whole document without an error (excelize
// stops silently at the first error, so only such documents can be compared).
func wellFormed(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// FuzzSheetXML feeds arbitrary worksheet XML to the scanner: it must not panic or loop, must
// number rows 1, 2, 3... with cells in increasing columns, and on XML that encoding/xml reads
// without error it must give excelize's values row by row.
func FuzzSheetXML(f *testing.F) {
	parts := edgeParts()
	f.Add([]byte(parts["xl/worksheets/sheet1.xml"]))
	f.Add([]byte(parts["xl/worksheets/sheet2.xml"]))
	f.Add([]byte(`<worksheet><sheetData><row r="3"><c r="B3" t="s"><v>1</v></c><c><f>1+1</f></c></row><row><c t="inlineStr"><is><r><t>a&amp;b</t></r></is></c></row></sheetData><mergeCells><mergeCell ref="A1:B2"/></mergeCells></worksheet>`))
	f.Add([]byte(`<worksheet><sheetData><row r="1" hidden="1"><c r="A1" t="e"><v>#N/A</v></c><c r="C1" t="b"><v>1</v></c><c r="D1" s="1"><v>45000</v></c></row></sheetData></worksheet>`))
	// The shapes the cell fast path reads, and near misses it must leave to the token loop.
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b_x0041_</t></is></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c><c r="C1" s="1" t="s"><v>2</v></c><c r="D1"></c><c r="E1"><v>1.5</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<worksheet><sheetData><row><c t="inlineStr"><is><t a='>'>q</t></is></c><c><v>1</v ></c><c><v>1<!--c--></v></c><c t="inlineStr"><is><t/></is></c><c t="s"><is><t>x</t></is><v>0</v></c><c><v>a` + "\r\n" + `</v></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData><row><c><v><![CDATA[x<y]]></v></c></row></sheetData></worksheet>`))
	// Cell start tags of the shape the tag fast path reads and of other shapes, one sheet each,
	// and the first ones together in a sheet of several rows.
	var rows []string
	for i, tag := range xlsxscan.CellTagShapes() {
		f.Add(cellTagSheet(tag))
		if i < 10 {
			rows = append(rows, strings.Replace(cellTagRow(tag), `r="1"`, fmt.Sprintf(`r="%d"`, i+1), 1))
		}
	}
	f.Add([]byte(`<worksheet><sheetData>` + strings.Join(rows, "") + `</sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, sheet []byte) {
		if len(sheet) > 1<<16 {
			return
		}
		pkg := fuzzPackage(t, sheet)
		wb, err := xlsxscan.OpenReaderAt(bytes.NewReader(pkg), int64(len(pkg)), xlsxscan.Options{MaxTokenSize: 1 << 16})
		if err != nil {
			t.Fatal(err)
		}
		const name = "数据 & 说明"
		rows, err := wb.Rows(name)
		if err != nil {
			t.Fatal(err)
		}
		var got [][]string
		for n := 1; rows.Next(); n++ {
			if rows.Num() != n {
				t.Fatalf("row %d after %d rows", rows.Num(), n-1)
			}
			prev := -1
			for _, c := range rows.Cells() {
				if c.Col <= prev || c.Col >= xlsxscan.MaxColumns+xlsxscan.MaxColumns {
					t.Fatalf("row %d: column %d after %d", rows.Num(), c.Col, prev)
				}
				prev = c.Col
			}
			if len(got) < 10000 {
				got = append(got, rows.Values())
			}
			if rows.Num() > xlsxscan.MaxRows {
				t.Fatalf("row %d", rows.Num())
			}
		}
		scanErr := rows.Err()
		rows.Close()
		if _, err := wb.MergeCells(name); err != nil && scanErr == nil && wellFormed(sheet) {
			t.Fatalf("merge cells: %v", err)
		}
		if scanErr != nil || !wellFormed(sheet) || len(got) >= 10000 || departs(sheet) {
			return
		}
		ef, err := excelize.OpenReader(bytes.NewReader(pkg))
		if err != nil {
			return
		}
		defer ef.Close()
		want, ok := excelizeAll(ef, name)
		if !ok {
			return // excelize refuses what the scanner read: not compared
		}
		if len(got) != len(want) {
			t.Fatalf("%d rows, excelize %d\n got  %q\n want %q", len(got), len(want), got, want)
		}
		for i := range got {
			if !equalRow(got[i], want[i]) {
				t.Fatalf("row %d:\n got  %q\n want %q", i+1, got[i], want[i])
			}
		}
	})
}

// cellTagSheet is a worksheet whose one row holds a cell, then a cell with the given start tag
// (and a value unless it closes itself), then a cell without r=.
func cellTagSheet(tag string) []byte {
	return []byte(`<worksheet><sheetData>` + cellTagRow(tag) + `</sheetData></worksheet>`)
}

func cellTagRow(tag string) string {
	body := `<v>7</v></c>`
	if strings.HasSuffix(tag, "/>") {
		body = ""
	}
	return `<row r="1"><c r="A1" t="s"><v>0</v></c>` + tag + body + `<c><v>9</v></c></row>`
}

// TestCellTagFastPathSameCells reads the fuzz seeds' cell tag sheets with the tag fast path and
// without it: the same rows, cells (column, type, style, flags, value) and errors.
func TestCellTagFastPathSameCells(t *testing.T) {
	read := func(sheet []byte, fast bool) string {
		xlsxscan.SetFastCellTags(fast)
		defer xlsxscan.SetFastCellTags(true)
		pkg := fuzzPackage(t, sheet)
		wb, err := xlsxscan.OpenReaderAt(bytes.NewReader(pkg), int64(len(pkg)), xlsxscan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		rows, err := wb.Rows("数据 & 说明")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out strings.Builder
		for rows.Next() {
			fmt.Fprintf(&out, "row %d hidden %v:", rows.Num(), rows.Hidden())
			for _, c := range rows.Cells() {
				fmt.Fprintf(&out, " [col %d type %d style %d date %v formula %v nocache %v %q]",
					c.Col, c.Type, c.Style, c.Date, c.Formula, c.NoCache, c.String())
			}
			out.WriteString("\n")
		}
		fmt.Fprintf(&out, "error %v", rows.Err())
		return out.String()
	}
	fastCells := 0
	for _, tag := range xlsxscan.CellTagShapes() {
		sheet := cellTagSheet(tag)
		got, want := read(sheet, true), read(sheet, false)
		if got != want {
			t.Errorf("%s:\n fast    %s\n general %s", tag, got, want)
		}
		if strings.Contains(got, "col 1 ") && !strings.Contains(got, "error <nil>") {
			t.Errorf("%s: a cell after the tag's and an error: %s", tag, got)
		}
		fastCells += strings.Count(got, "[col")
	}
	if fastCells == 0 {
		t.Fatal("no cells read")
	}
}

// departs tells whether a well-formed sheet holds what the scanner reads otherwise than excelize
// on purpose: a cell whose s= is not a number (the scanner keeps its value, excelize drops it),
// or a row numbered at or before the one before it (the scanner returns it as the next row,
// excelize appends its cells to that row).
func departs(sheet []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(sheet))
	cur := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		for _, a := range se.Attr {
			if a.Name.Local == "s" && se.Name.Local == "c" {
				if _, err := strconv.ParseInt(a.Value, 10, 64); err != nil {
					return true
				}
			}
		}
		if se.Name.Local == "row" {
			n := cur + 1
			for _, a := range se.Attr {
				if v, err := strconv.Atoi(a.Value); a.Name.Local == "r" && err == nil && v != 0 {
					n = v
				}
			}
			if n <= cur {
				return true
			}
			cur = n
		}
	}
}

// FuzzSharedStrings feeds arbitrary XML as the shared string table.
func FuzzSharedStrings(f *testing.F) {
	f.Add([]byte(edgeParts()["xl/sharedStrings.xml"]))
	f.Add([]byte(`<sst><si><r><t>a</t></r><r><t>_x0041_</t></r><rPh><t>x</t></rPh></si><si><t>1</t><t>2</t></si></sst>`))
	f.Fuzz(func(t *testing.T, sst []byte) {
		if len(sst) > 1<<16 {
			return
		}
		// A sheet that shows every shared string (up to 64), one per row, with a gap at the end.
		var sheet strings.Builder
		sheet.WriteString(`<worksheet><sheetData>`)
		for i := 0; i < 64; i++ {
			fmt.Fprintf(&sheet, `<row r="%d"><c r="B%d" t="s"><v>%d</v></c></row>`, i+1, i+1, i)
		}
		sheet.WriteString(`</sheetData></worksheet>`)
		parts := edgeParts()
		parts["xl/sharedStrings.xml"] = string(sst)
		parts["xl/worksheets/sheet1.xml"] = sheet.String()
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, v := range parts {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
			w.Write([]byte(v))
		}
		zw.Close()
		wb, err := xlsxscan.OpenReaderAt(bytes.NewReader(buf.Bytes()), int64(buf.Len()), xlsxscan.Options{MaxTokenSize: 1 << 16})
		if err != nil {
			if !strings.Contains(err.Error(), "sharedStrings") {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		defer wb.Close()
		const name = "数据 & 说明"
		got, err := readAll(wb, name)
		if err != nil {
			t.Fatal(err)
		}
		if !wellFormed(sst) {
			return
		}
		ef, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			return
		}
		defer ef.Close()
		want, ok := excelizeAll(ef, name)
		if !ok {
			return // excelize refuses the table (e.g. <sst> outside its namespace): not compared
		}
		if len(got) != len(want) {
			t.Fatalf("%d rows, excelize %d\n got  %q\n want %q", len(got), len(want), got, want)
		}
		for i := range got {
			if !equalRow(got[i], want[i]) {
				t.Fatalf("row %d:\n got  %q\n want %q", i+1, got[i], want[i])
			}
		}
	})
}

func readAll(wb *xlsxscan.Workbook, sheet string) ([][]string, error) {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		out = append(out, rows.Values())
	}
	return out, rows.Err()
}

// excelizeAll reads a sheet with excelize's streaming reader; false if it reports an error.
func excelizeAll(ef *excelize.File, sheet string) ([][]string, bool) {
	er, err := ef.Rows(sheet)
	if err != nil {
		return nil, false
	}
	defer er.Close()
	var want [][]string
	for er.Next() && len(want) < 10000 {
		cols, err := er.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, false
		}
		want = append(want, cols)
	}
	return want, er.Error() == nil
}

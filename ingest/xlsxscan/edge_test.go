package xlsxscan_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/ingest/xlsxscan"
)

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel  = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
)

// edgeParts is a workbook written by hand with the XML that real files contain and that excelize
// itself never writes: rich text and phonetic runs, entities and character references, _xHHHH_
// escapes, CDATA, CR LF in text, row and cell gaps, rows and cells without r=, out-of-order
// cells, formulas with and without cached values, booleans, errors, ISO dates, inline rich text,
// a prefixed namespace, comments and processing instructions, hidden rows, hidden sheets,
// merged ranges and the 1904 date system.
func edgeParts() map[string]string {
	return map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?>
<workbook ` + nsMain + ` ` + nsRel + `><workbookPr date1904="1"/><bookViews><workbookView/></bookViews><sheets>` +
			`<sheet name="数据 &amp; 说明" sheetId="1" r:id="rId1"/>` +
			`<sheet name="Hidden" sheetId="2" state="hidden" r:id="rId2"/>` +
			`<sheet name="VeryHidden" sheetId="3" state="veryHidden" r:id="rId3"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/>` +
			`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
			`<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"xl/sharedStrings.xml": `<?xml version="1.0" encoding="UTF-8"?>
<sst ` + nsMain + ` count="12" uniqueCount="12">` +
			`<si><t>巡视编号</t></si>` + // 0
			`<si><r><rPr><b/></rPr><t>班</t></r><r><t xml:space="preserve"> 组 </t></r></si>` + // 1: rich text
			`<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>` + // 2: phonetic run left out
			`<si><t>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos; &#20013;&#x6587;</t></si>` + // 3: entities
			`<si><t>line1&#13;&#10;line2_x000D_
line3</t></si>` + // 4: escapes and line ends
			`<si><t>_x005F_x0041_ and _x0041_ and _x00e9_ and _xD800_ and _x12_</t></si>` + // 5
			`<si><t><![CDATA[<raw> & text]]></t></si>` + // 6: CDATA
			`<si/>` + // 7: empty
			`<si><t/></si>` + // 8: empty t
			`<si><t xml:space="preserve">  spaced  </t></si>` + // 9
			"<si><t>crlf\r\nand\rcr</t></si>" + // 10
			`<si><!-- a comment --><t>after comment</t><?pi data?></si>` + // 11
			`</sst>`,
		"xl/styles.xml": `<?xml version="1.0" encoding="UTF-8"?>
<styleSheet ` + nsMain + `><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="&quot;day&quot;0.00"/></numFmts>` +
			`<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>` +
			`<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>` +
			`<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="4"/></cellXfs></styleSheet>`,
		"xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet ` + nsMain + ` ` + nsRel + `><dimension ref="A1:H12"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="3" width="12"/></cols><sheetData>` +
			`<row r="1" spans="1:8"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="E1" t="s"><v>3</v></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2" t="s"><v>6</v></c><c r="D2" t="s"><v>7</v></c><c r="E2" t="s"><v>8</v></c><c r="F2" t="s"><v>9</v></c><c r="G2" t="s"><v>10</v></c><c r="H2" t="s"><v>11</v></c></row>` +
			`<row r="4" hidden="1" ht="0" customHeight="1"><c r="A4" s="1"><v>43890</v></c><c r="B4" s="2"><v>43891.5</v></c><c r="C4" s="3"><v>1.5E-3</v></c><c r="D4" s="4"><v>-12345678901234567890</v></c><c r="E4" t="n"><v>110105194912310021</v></c></row>` +
			`<row r="5"><c r="A5" t="b"><v>1</v></c><c r="B5" t="b"><v>0</v></c><c r="C5" t="e"><v>#N/A</v></c><c r="D5" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E5" t="d"><v>2024-03-01T00:00:00Z</v></c></row>` +
			`<row r="6"><c r="A6"><f>1+2</f><v>3</v></c><c r="B6" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="C6"><f>A6*2</f></c><c r="D6"><f t="shared" ref="D6:D7" si="0">A6+1</f><v>4</v></c><c r="E6" t="str"><f>""</f><v></v></c></row>` +
			`<row r="7"><c r="D7"><f t="shared" si="0"/><v>5</v></c></row>` +
			`<row><c t="inlineStr"><is><t>inline &amp; plain</t></is></c><c t="inlineStr"><is><r><t>rich</t></r><r><rPr><i/></rPr><t xml:space="preserve"> inline</t></r></is></c><c t="inlineStr"><v>v only</v></c><c><is><t>ignored</t></is></c></row>` +
			`<row r="10"><c r="c10"><v>lower</v></c><c r="$D$10"><v>7</v></c><c r="B10"><v>out of order</v></c><c r="F10"/><c r="G10" s="1"/><c r="H10" t="s"><v>99</v></c><c r="I10" t="s"><v> 3 </v></c></row>` +
			`<row r="11" spans="1:3"/>` +
			`<row r="12"><!-- comment in a row --><c r="A12"><v>&#49;&#x32;3</v></c><c r="B12" t="s"><v>bad</v></c><c r="C12" t="inlineStr"><is><t>_x0009_tab</t></is></c><c r="D12"><v> 5 </v></c></row>` +
			`</sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C1:C2"/></mergeCells><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
		"xl/worksheets/sheet2.xml": `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c><x:c r="C2"><x:v>42</x:v></x:c></x:row><x:row r="3"><x:c r="A3" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
		"xl/worksheets/sheet3.xml": `<worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
	}
}

func TestSameAsExcelizeOnHandWrittenXML(t *testing.T) {
	p := filepath.Join(t.TempDir(), "edge.xlsx")
	writePackage(t, p, edgeParts())
	if compareWorkbook(t, p) == 0 {
		t.Fatal("no rows")
	}
	wb, err := xlsxscan.Open(p, xlsxscan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if !wb.Date1904 || wb.Sheets[1].State != "hidden" || wb.Sheets[2].State != "veryHidden" || wb.Sheets[0].Name != "数据 & 说明" {
		t.Errorf("workbook %+v", wb.Sheets)
	}
	rows, err := wb.Rows("数据 & 说明")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	kinds := map[string]string{}
	for rows.Next() {
		for _, c := range rows.Cells() {
			ref := string(rune('A'+c.Col)) + itoa(rows.Num())
			kinds[ref] = kindOf(c)
		}
		if rows.Num() == 4 && !rows.Hidden() {
			t.Error("row 4 should be hidden")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"A1": "shared", "A4": "number date", "B4": "number date", "C4": "number", "D4": "number",
		"A5": "bool", "C5": "error", "D5": "error formula", "E5": "isodate", "A6": "number formula",
		"B6": "str formula", "C6": "number formula nocache", "E6": "str formula nocache", "D7": "number formula",
		"A8": "inline", "C8": "inline",
	}
	for ref, k := range want {
		if kinds[ref] != k {
			t.Errorf("%s: %q, want %q", ref, kinds[ref], k)
		}
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return fmtInt(n/10) + string(rune('0'+n%10))
}

func kindOf(c xlsxscan.Cell) string {
	s := map[xlsxscan.Type]string{xlsxscan.Number: "number", xlsxscan.SharedString: "shared", xlsxscan.InlineString: "inline",
		xlsxscan.FormulaText: "str", xlsxscan.Bool: "bool", xlsxscan.Error: "error", xlsxscan.ISODate: "isodate"}[c.Type]
	if c.Date {
		s += " date"
	}
	if c.Formula {
		s += " formula"
	}
	if c.NoCache {
		s += " nocache"
	}
	return s
}

// TestSameAsExcelizeOnExcelizeFeatures compares on a workbook excelize writes with its own API:
// rich text, formulas, merged cells, hidden rows, styles with date formats, many sheets.
func TestSameAsExcelizeOnExcelizeFeatures(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "一")
	f.SetCellValue("一", "A1", "标题")
	f.MergeCell("一", "A1", "D1")
	f.SetSheetRow("一", "A3", &[]any{"编号", "日期", 3.25, true, nil, "末尾 "})
	f.SetCellRichText("一", "B5", []excelize.RichTextRun{{Text: "粗"}, {Text: "体", Font: &excelize.Font{Bold: true}}})
	f.SetCellFormula("一", "C5", "SUM(C3:C4)")
	f.SetCellValue("一", "D5", "x\ny\tz & <tag>")
	f.SetRowVisible("一", 5, false)
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellValue("一", "A7", 45356)
	f.SetCellStyle("一", "A7", "A7", style)
	f.SetCellValue("一", "AB700", "far")
	f.NewSheet("二")
	for r := 1; r <= 300; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r*3)
		f.SetSheetRow("二", cell, &[]any{r, "行" + fmtInt(r), float64(r) / 7})
	}
	f.SetSheetVisible("二", false)
	p := filepath.Join(t.TempDir(), "features.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	if compareWorkbook(t, p) == 0 {
		t.Fatal("no rows")
	}
}

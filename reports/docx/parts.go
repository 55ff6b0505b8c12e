package docx

import "strings"

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"`

const contentTypes = xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="png" ContentType="image/png"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const rootRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const appXML = xmlHead + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>mingdeng</Application></Properties>`

// Fonts: the East Asian face is the 公文 one; Latin text and digits use Times New Roman. The
// font table gives each Chinese face its English name and family so Word, WPS and LibreOffice
// substitute a like face where it is missing.
const (
	fangsong = "仿宋"
	heiti    = "黑体"
	kaiti    = "楷体"
	songti   = "宋体"
)

func rFonts(eastAsia string) string {
	return `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="` + eastAsia + `" w:cs="Times New Roman"/>`
}

const fontTableXML = xmlHead + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="楷体"><w:altName w:val="KaiTi"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`

func style(id, name, based, ppr, rpr string, extra string) string {
	s := `<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + id + `"><w:name w:val="` + name + `"/>`
	if based != "" {
		s += `<w:basedOn w:val="` + based + `"/>`
	}
	return s + extra + `<w:qFormat/><w:pPr>` + ppr + `</w:pPr><w:rPr>` + rpr + `</w:rPr></w:style>`
}

// sizes in half points: 三号 16 pt, 二号 22 pt, 小四 12 pt, 五号 10.5 pt.
func stylesXML(lang string) string {
	line := `<w:spacing w:line="560" w:lineRule="exact" w:before="0" w:after="0"/>` // 28 pt, the 公文 line
	indent := `<w:ind w:firstLineChars="200" w:firstLine="640"/>`
	var b strings.Builder
	b.WriteString(xmlHead + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr>` + rFonts(fangsong) + `<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="` + lang + `" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr>` + line + `<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>`)
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>`)
	b.WriteString(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>`)
	b.WriteString(style("Body", "正文文本", "Normal", indent, "", ""))
	b.WriteString(style("Title", "Title", "Normal", `<w:keepNext/><w:spacing w:before="240" w:after="240" w:line="640" w:lineRule="exact"/><w:jc w:val="center"/><w:outlineLvl w:val="9"/>`,
		rFonts(songti)+`<w:b/><w:bCs/><w:sz w:val="44"/><w:szCs w:val="44"/>`, ""))
	b.WriteString(style("Subtitle", "Subtitle", "Normal", `<w:jc w:val="center"/><w:spacing w:after="240" w:line="440" w:lineRule="exact"/>`, rFonts(kaiti)+`<w:sz w:val="28"/><w:szCs w:val="28"/>`, ""))
	b.WriteString(style("Meta", "报告信息", "Normal", `<w:jc w:val="center"/><w:spacing w:line="400" w:lineRule="exact"/>`, `<w:sz w:val="24"/><w:szCs w:val="24"/>`, ""))
	fonts := []string{heiti, kaiti, fangsong, fangsong}
	for i := 0; i < 4; i++ {
		n := string(rune('1' + i))
		rpr := rFonts(fonts[i])
		if i == 2 {
			rpr += "<w:b/><w:bCs/>"
		}
		ppr := `<w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val="` + string(rune('0'+i)) + `"/><w:numId w:val="1"/></w:numPr>` + indent + `<w:outlineLvl w:val="` + string(rune('0'+i)) + `"/>`
		if i == 0 {
			ppr = `<w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:spacing w:before="280" w:after="0" w:line="560" w:lineRule="exact"/>` + indent + `<w:outlineLvl w:val="0"/>`
		}
		b.WriteString(style("Heading"+n, "heading "+n, "Normal", ppr, rpr, `<w:next w:val="Body"/>`))
	}
	b.WriteString(style("Note", "注释", "Normal", `<w:spacing w:before="60" w:after="60" w:line="400" w:lineRule="exact"/><w:ind w:left="284" w:right="284"/><w:shd w:val="clear" w:color="auto" w:fill="F2F4F6"/>`,
		rFonts(kaiti)+`<w:sz w:val="24"/><w:szCs w:val="24"/>`, ""))
	b.WriteString(style("Bullet", "列表", "Normal", `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr><w:ind w:left="840" w:hanging="420"/>`, "", ""))
	b.WriteString(style("FigTitle", "图表标题", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="60" w:line="400" w:lineRule="exact"/><w:jc w:val="center"/>`,
		rFonts(heiti)+`<w:sz w:val="24"/><w:szCs w:val="24"/>`, ""))
	b.WriteString(style("Picture", "图片", "Normal", `<w:keepNext/><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>`, "", ""))
	b.WriteString(style("Caption", "图表说明", "Normal", `<w:spacing w:before="40" w:after="160" w:line="340" w:lineRule="exact"/>`,
		rFonts(kaiti)+`<w:sz w:val="21"/><w:szCs w:val="21"/><w:color w:val="404850"/>`, ""))
	table := `<w:spacing w:line="280" w:lineRule="exact"/><w:jc w:val="left"/>`
	tr := rFonts(songti) + `<w:sz w:val="21"/><w:szCs w:val="21"/>`
	b.WriteString(style("TableText", "表格文字", "Normal", table, tr, ""))
	b.WriteString(style("TableNum", "表格数字", "Normal", `<w:spacing w:line="280" w:lineRule="exact"/><w:jc w:val="right"/>`, tr, ""))
	b.WriteString(style("TableHead", "表头", "Normal", `<w:keepNext/><w:spacing w:line="280" w:lineRule="exact"/><w:jc w:val="center"/>`, rFonts(heiti)+`<w:sz w:val="21"/><w:szCs w:val="21"/>`, ""))
	b.WriteString(style("AfterTable", "表后", "Normal", `<w:spacing w:line="200" w:lineRule="exact"/>`, `<w:sz w:val="12"/>`, ""))
	b.WriteString(style("Footer", "footer", "Normal", `<w:jc w:val="center"/><w:spacing w:line="240" w:lineRule="auto"/>`, rFonts(songti)+`<w:sz w:val="28"/><w:szCs w:val="28"/>`, ""))
	b.WriteString(`<w:style w:type="character" w:customStyle="1" w:styleId="Link"><w:name w:val="来源链接"/><w:rPr><w:color w:val="B8262B"/></w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="table" w:customStyle="1" w:styleId="Grid"><w:name w:val="网格表"/><w:tblPr><w:tblBorders>` +
		`<w:top w:val="single" w:sz="4" w:space="0" w:color="8C959F"/><w:left w:val="single" w:sz="4" w:space="0" w:color="8C959F"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="8C959F"/><w:right w:val="single" w:sz="4" w:space="0" w:color="8C959F"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="8C959F"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="8C959F"/>` +
		`</w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	b.WriteString(`</w:styles>`)
	return b.String()
}

// numberingXML: list 1 is the heading numbering, one level per heading style, each level
// restarting under the one above: 一、（一）1.（1）in Chinese, 1. 1.1 1.1.1 (a) in English;
// list 2 is a plain bullet.
func numberingXML(lang string) string {
	type lvl struct{ fmt, text string }
	lv := [4]lvl{{"chineseCounting", "%1、"}, {"chineseCounting", "（%2）"}, {"decimal", "%3."}, {"decimal", "（%4）"}}
	suff := "nothing"
	if !strings.HasPrefix(lang, "zh") {
		lv = [4]lvl{{"decimal", "%1."}, {"decimal", "%1.%2"}, {"decimal", "%1.%2.%3"}, {"lowerLetter", "(%4)"}}
		suff = "space"
	}
	var b strings.Builder
	b.WriteString(xmlHead + `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>`)
	for i, l := range lv {
		n := string(rune('0' + i))
		b.WriteString(`<w:lvl w:ilvl="` + n + `"><w:start w:val="1"/><w:numFmt w:val="` + l.fmt + `"/><w:pStyle w:val="Heading` + string(rune('1'+i)) +
			`"/><w:suff w:val="` + suff + `"/><w:lvlText w:val="` + l.text + `"/><w:lvlJc w:val="left"/></w:lvl>`)
	}
	b.WriteString(`</w:abstractNum><w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>` +
		`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="840" w:hanging="420"/></w:pPr></w:lvl>` +
		`</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>`)
	return b.String()
}

func settingsXML(lang string) string {
	return xmlHead + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>` +
		`<w:themeFontLang w:val="` + lang + `" w:eastAsia="zh-CN"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`
}

// footerXML: the page number as “— 1 —”, centred (公文 puts it at the outer edge; centred
// reads the same on both sides of a printed sheet).
const footerXML = xmlHead + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
	`<w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`

package reports

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// Reports as code: a Markdown file with named SQL blocks, chart and table directives, headings
// and text (docs/report-spec.md). ParseSpec reads it without touching a database; the caller
// runs the queries (cmd/mingdeng) and BuildSpecReport turns the spec and their results into a
// Report written like the built-in ones.

// Spec is a parsed report spec.
type Spec struct {
	Title    string // the first "# " heading
	Queries  []SpecQuery
	Sections []SpecSection
}

// SpecQuery is a ```sql name=NAME block.
type SpecQuery struct {
	Name   string
	SQL    string
	Params []SpecParam
	Line   int // the line of the opening fence
}

// SpecParam is a parameter a query takes ($name in its SQL), with an optional default.
type SpecParam struct {
	Name       string
	Default    string
	HasDefault bool
}

// SpecSection is a "## " heading and what follows it; text before the first heading goes into a
// section with an empty Title (the builder names it).
type SpecSection struct {
	ID    string
	Title string
	Plain bool // {-}: not numbered
	Line  int
	Items []SpecItem
}

// SpecItem is one block of a section: text, a list, a chart or a table.
type SpecItem struct {
	Kind    string   // heading, text, bullets, chart, table
	Text    string   // text, a heading's title
	Level   int      // a heading's outline level: 2 (###), 3 (####), 4 (#####)
	Plain   bool     // a heading without a number
	Bullets []string // bullets
	Chart   ChartSpec
	Data    string // the query a chart or table shows
	Title   string // a table's caption
	ID      string // a table's stable ID
	Limit   int    // a table's row limit in HTML and Markdown
	Line    int
}

// maxSpecBytes bounds a spec: it is a hand-written file, not data.
const maxSpecBytes = 1 << 20

var (
	nameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)
	idRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)
)

// ParseSpec reads a report spec. Every error is a *SpecError with the line it is on.
func ParseSpec(src []byte) (*Spec, error) {
	if len(src) > maxSpecBytes {
		return nil, specErrorf("报告定义文件过大（超过 1 MiB）", "the spec is larger than 1 MiB")
	}
	if !utf8.Valid(src) {
		line := 1 + strings.Count(string(src[:firstInvalid(src)]), "\n")
		return nil, &SpecError{Line: line, Zh: "不是有效的 UTF-8 文本", En: "not valid UTF-8 text"}
	}
	text := strings.TrimPrefix(string(src), "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	p := &specParser{spec: &Spec{}, names: map[string]int{}, ids: map[string]int{}}
	for i := 0; i < len(lines); i++ {
		ln := i + 1
		line := strings.TrimRight(lines[i], " \t\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			end := -1
			for j := i + 1; j < len(lines); j++ {
				if strings.TrimSpace(lines[j]) == "```" {
					end = j
					break
				}
			}
			if end < 0 {
				return nil, &SpecError{Line: ln, Zh: "代码块没有结束的 ```", En: "code block has no closing ```"}
			}
			if err := p.fence(strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), lines[i+1:end], ln); err != nil {
				return nil, err
			}
			i = end
		case strings.HasPrefix(trimmed, ":::"):
			p.flush()
			if err := p.directive(strings.TrimSpace(strings.TrimPrefix(trimmed, ":::")), ln); err != nil {
				return nil, err
			}
		case strings.HasPrefix(trimmed, "#"):
			p.flush()
			if err := p.heading(trimmed, ln); err != nil {
				return nil, err
			}
		case trimmed == "":
			p.flush()
		case strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* "):
			if p.para != nil {
				p.flush()
			}
			p.bullets = append(p.bullets, strings.TrimSpace(trimmed[2:]))
			p.bulletLine = ln
		default:
			if len(p.bullets) > 0 && (strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "\t")) {
				// A continuation of the last item.
				p.bullets[len(p.bullets)-1] += " " + trimmed
				continue
			}
			if len(p.bullets) > 0 {
				p.flush()
			}
			if p.para == nil {
				p.paraLine = ln
			}
			p.para = append(p.para, trimmed)
		}
	}
	p.flush()
	// Every directive names a query defined somewhere in the file.
	for _, s := range p.spec.Sections {
		for _, it := range s.Items {
			if it.Kind != "chart" && it.Kind != "table" && it.Kind != "figures" {
				continue
			}
			if _, ok := p.names[it.Data]; !ok {
				return nil, &SpecError{Line: it.Line, Zh: fmt.Sprintf("没有名为 %q 的 SQL 块（已定义：%s）", it.Data, p.queryNames()),
					En: fmt.Sprintf("no sql block named %q (defined: %s)", it.Data, p.queryNames())}
			}
		}
	}
	if len(p.spec.Queries) == 0 {
		return nil, &SpecError{Line: 1, Zh: "没有 ```sql name=名称 代码块", En: "no ```sql name=NAME block"}
	}
	return p.spec, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

type specParser struct {
	spec       *Spec
	names      map[string]int // query name → line
	ids        map[string]int // chart/table ID → line
	para       []string
	paraLine   int
	bullets    []string
	bulletLine int
	depth      int // the outline level of the last heading (1: a section)
}

func (p *specParser) queryNames() string {
	var out []string
	for _, q := range p.spec.Queries {
		out = append(out, q.Name)
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ", ")
}

// section returns the current section, opening the untitled first one when needed.
func (p *specParser) section(line int) *SpecSection {
	if len(p.spec.Sections) == 0 {
		// The text before the first ## is a preface: unnumbered, like a 前言.
		p.spec.Sections = append(p.spec.Sections, SpecSection{ID: "intro", Line: line, Plain: true})
	}
	return &p.spec.Sections[len(p.spec.Sections)-1]
}

func (p *specParser) flush() {
	if len(p.para) > 0 {
		s := p.section(p.paraLine)
		s.Items = append(s.Items, SpecItem{Kind: "text", Text: strings.Join(p.para, " "), Line: p.paraLine})
		p.para = nil
	}
	if len(p.bullets) > 0 {
		s := p.section(p.bulletLine)
		s.Items = append(s.Items, SpecItem{Kind: "bullets", Bullets: p.bullets, Line: p.bulletLine})
		p.bullets = nil
	}
}

func (p *specParser) heading(h string, ln int) error {
	level := 0
	for level < len(h) && h[level] == '#' {
		level++
	}
	title := strings.TrimSpace(h[level:])
	if level < len(h) && h[level] != ' ' && h[level] != '\t' {
		return &SpecError{Line: ln, Zh: "标题的 # 后须有空格", En: "a heading needs a space after its #"}
	}
	if level > MaxHeadingLevel+1 {
		return &SpecError{Line: ln, Zh: "标题最多四级：## 章节（一、）、### （一）、#### 1.、##### （1）", En: "at most four heading levels: ## section, ###, ####, #####"}
	}
	// Attributes in braces at the end: {#id} names the anchor, {-} leaves the heading unnumbered.
	id, plain := "", false
	if i := strings.LastIndex(title, "{"); i >= 0 && strings.HasSuffix(title, "}") {
		for _, a := range strings.Fields(title[i+1 : len(title)-1]) {
			switch {
			case a == "-" || a == ".unnumbered":
				plain = true
			case strings.HasPrefix(a, "#"):
				id = a[1:]
				if !idRe.MatchString(id) {
					return &SpecError{Line: ln, Zh: fmt.Sprintf("标题 ID %q 无效：只能用字母、数字、- 和 _", id), En: fmt.Sprintf("heading ID %q: use letters, digits, - and _", id)}
				}
			default:
				return &SpecError{Line: ln, Zh: fmt.Sprintf("标题属性 %q 无效：可用 {#ID} 和 {-}（不编号）", a), En: fmt.Sprintf("heading attribute %q: expected {#ID} or {-} (unnumbered)", a)}
			}
		}
		title = strings.TrimSpace(title[:i])
	}
	if title == "" {
		return &SpecError{Line: ln, Zh: "标题为空", En: "empty heading"}
	}
	// A title the author numbered by hand (一、 （一） 1. （1）) keeps its own number.
	plain = plain || hasOwnNumber(title)
	switch level {
	case 1:
		if p.spec.Title != "" {
			return &SpecError{Line: ln, Zh: "只能有一个一级标题（# 报告标题）；章节请用 ##", En: "only one level-1 heading (# report title); use ## for sections"}
		}
		p.spec.Title = title
	case 2:
		if id == "" {
			id = fmt.Sprintf("section-%d", len(p.spec.Sections)+1)
		}
		for _, s := range p.spec.Sections {
			if s.ID == id {
				return &SpecError{Line: ln, Zh: fmt.Sprintf("章节 ID %q 与第 %d 行重复", id, s.Line), En: fmt.Sprintf("section ID %q repeats line %d", id, s.Line)}
			}
		}
		p.spec.Sections = append(p.spec.Sections, SpecSection{ID: id, Title: title, Line: ln, Plain: plain})
		p.depth = 1
	default:
		// ### is level 2 of the outline, #### level 3, ##### level 4; none may skip a level.
		outline := level - 1
		if outline > p.depth+1 {
			return &SpecError{Line: ln, Zh: fmt.Sprintf("标题跳级：%s 前须先有 %s", strings.Repeat("#", level), strings.Repeat("#", level-1)),
				En: fmt.Sprintf("heading skips a level: %s needs a %s before it", strings.Repeat("#", level), strings.Repeat("#", level-1))}
		}
		p.depth = outline
		if id != "" {
			if err := p.claimID(id, ln); err != nil {
				return err
			}
		}
		s := p.section(ln)
		s.Items = append(s.Items, SpecItem{Kind: "heading", Level: outline, Text: title, ID: id, Plain: plain, Line: ln})
	}
	return nil
}

// fence handles a fenced block: ```sql name=... is a query; any other fence is verbatim text.
func (p *specParser) fence(info string, body []string, ln int) error {
	lang, rest, _ := strings.Cut(info, " ")
	if !strings.EqualFold(lang, "sql") {
		p.flush()
		if txt := strings.TrimSpace(strings.Join(body, "\n")); txt != "" {
			s := p.section(ln)
			s.Items = append(s.Items, SpecItem{Kind: "text", Text: txt, Line: ln})
		}
		return nil
	}
	attrs, err := parseAttrs(rest, ln)
	if err != nil {
		return err
	}
	q := SpecQuery{Line: ln}
	for _, a := range attrs {
		switch a.key {
		case "name":
			q.Name = a.val
		case "params":
			for _, item := range strings.FieldsFunc(a.val, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
				name, def, has := strings.Cut(item, "=")
				name = strings.TrimPrefix(name, "$")
				if !nameRe.MatchString(name) {
					return &SpecError{Line: ln, Zh: fmt.Sprintf("参数名 %q 无效：只能用字母、数字和 _", name), En: fmt.Sprintf("parameter name %q: use letters, digits and _", name)}
				}
				for _, prev := range q.Params {
					if prev.Name == name {
						return &SpecError{Line: ln, Zh: fmt.Sprintf("参数 %s 重复", name), En: fmt.Sprintf("parameter %s given twice", name)}
					}
				}
				q.Params = append(q.Params, SpecParam{Name: name, Default: def, HasDefault: has})
			}
		default:
			return &SpecError{Line: ln, Zh: fmt.Sprintf("sql 块不认识属性 %q（可用 name、params）", a.key), En: fmt.Sprintf("unknown sql block attribute %q (expected name, params)", a.key)}
		}
	}
	if q.Name == "" {
		return &SpecError{Line: ln, Zh: "sql 块需要 name=名称", En: "a sql block needs name=NAME"}
	}
	if !nameRe.MatchString(q.Name) {
		return &SpecError{Line: ln, Zh: fmt.Sprintf("名称 %q 无效：以字母开头，只能用字母、数字和 _", q.Name), En: fmt.Sprintf("name %q: start with a letter, use letters, digits and _", q.Name)}
	}
	if prev, ok := p.names[q.Name]; ok {
		return &SpecError{Line: ln, Zh: fmt.Sprintf("名称 %s 已在第 %d 行使用", q.Name, prev), En: fmt.Sprintf("name %s already used on line %d", q.Name, prev)}
	}
	q.SQL = strings.TrimSpace(strings.Join(body, "\n"))
	if q.SQL == "" {
		return &SpecError{Line: ln, Zh: fmt.Sprintf("sql 块 %s 是空的", q.Name), En: fmt.Sprintf("sql block %s is empty", q.Name)}
	}
	p.names[q.Name] = ln
	p.spec.Queries = append(p.spec.Queries, q)
	return nil
}

func (p *specParser) claimID(id string, ln int) error {
	if !idRe.MatchString(id) {
		return &SpecError{Line: ln, Zh: fmt.Sprintf("ID %q 无效：只能用字母、数字、- 和 _（最长 63 个字符）", id), En: fmt.Sprintf("ID %q: use letters, digits, - and _ (at most 63)", id)}
	}
	if prev, ok := p.ids[id]; ok {
		return &SpecError{Line: ln, Zh: fmt.Sprintf("ID %s 已在第 %d 行使用：请用 id=… 另起一个", id, prev), En: fmt.Sprintf("ID %s already used on line %d: give this one its own id=…", id, prev)}
	}
	p.ids[id] = ln
	return nil
}

// directive reads "chart TYPE key=value ..." or "table key=value ...".
func (p *specParser) directive(d string, ln int) error {
	kind, rest, _ := strings.Cut(d, " ")
	attrs, err := parseAttrs(rest, ln)
	if err != nil {
		return err
	}
	it := SpecItem{Kind: kind, Line: ln}
	height := 0
	allowed := map[string]bool{"data": true, "id": true, "title": true}
	switch kind {
	case "chart":
		for _, k := range []string{"x", "y", "series", "caption", "height"} {
			allowed[k] = true
		}
	case "table":
		allowed["limit"] = true
	case "figures":
		for _, k := range []string{"label", "value", "unit"} {
			allowed[k] = true
		}
		delete(allowed, "title")
	default:
		return &SpecError{Line: ln, Zh: fmt.Sprintf("不认识的指令 %q（可用 ::: chart、::: table、::: figures）", kind), En: fmt.Sprintf("unknown directive %q (expected ::: chart, ::: table or ::: figures)", kind)}
	}
	for i, a := range attrs {
		if kind == "chart" && i == 0 && a.bare {
			it.Chart.Type = a.val
			continue
		}
		if a.bare || !allowed[a.key] {
			return &SpecError{Line: ln, Zh: fmt.Sprintf("::: %s 不认识 %q", kind, a.raw), En: fmt.Sprintf("::: %s: unknown %q", kind, a.raw)}
		}
		switch a.key {
		case "data":
			it.Data = a.val
		case "id":
			it.ID = a.val
		case "title":
			it.Title = a.val
		case "x":
			it.Chart.X = a.val
		case "y":
			it.Chart.Y = a.val
		case "series":
			it.Chart.Series = a.val
		case "caption":
			it.Chart.Caption = a.val
		case "label": // figures: the columns of each headline number
			it.Chart.X = a.val
		case "value":
			it.Chart.Y = a.val
		case "unit":
			it.Chart.Series = a.val
		case "height", "limit":
			n, err := strconv.Atoi(a.val)
			if err != nil || n < 1 || n > 100000 {
				return &SpecError{Line: ln, Zh: fmt.Sprintf("%s=%s 须为正整数", a.key, a.val), En: fmt.Sprintf("%s=%s: expected a positive whole number", a.key, a.val)}
			}
			if a.key == "limit" {
				it.Limit = n
			} else {
				height = min(n, 4000)
			}
		}
	}
	if it.Data == "" {
		return &SpecError{Line: ln, Zh: fmt.Sprintf("::: %s 需要 data=SQL块名称", kind), En: fmt.Sprintf("::: %s needs data=NAME (a sql block)", kind)}
	}
	if kind == "chart" {
		typ := it.Chart.Type
		if typ == "" {
			return &SpecError{Line: ln, Zh: "::: chart 后须写图表类型：" + strings.Join(ChartTypes, "、"), En: "::: chart needs a type: " + strings.Join(ChartTypes, ", ")}
		}
		known := false
		for _, k := range ChartTypes {
			known = known || k == typ
		}
		if !known {
			return &SpecError{Line: ln, Zh: fmt.Sprintf("图表类型 %q 无效：可用 %s", typ, strings.Join(ChartTypes, ", ")), En: fmt.Sprintf("chart type %q: expected one of %s", typ, strings.Join(ChartTypes, ", "))}
		}
		if it.Chart.X == "" || it.Chart.Y == "" {
			return &SpecError{Line: ln, Zh: "::: chart 需要 x=列 和 y=列", En: "::: chart needs x=COLUMN and y=COLUMN"}
		}
		it.Chart.Title = it.Title
		it.Chart.ID = it.ID
		if it.Chart.ID == "" {
			it.Chart.ID = it.Data + "-" + typ
		}
		if err := p.claimID(it.Chart.ID, ln); err != nil {
			return err
		}
		it.Limit = height // a chart's height in pixels
	} else if kind == "figures" {
		if it.Chart.X == "" || it.Chart.Y == "" {
			return &SpecError{Line: ln, Zh: "::: figures 需要 label=列 和 value=列", En: "::: figures needs label=COLUMN and value=COLUMN"}
		}
	} else {
		if it.ID == "" {
			it.ID = it.Data + "-table"
		}
		if err := p.claimID(it.ID, ln); err != nil {
			return err
		}
	}
	s := p.section(ln)
	s.Items = append(s.Items, it)
	return nil
}

type attr struct {
	key, val, raw string
	bare          bool // a word without =
}

// parseAttrs reads key=value pairs separated by blanks; a value may be "double quoted" with
// \" and \\ inside.
func parseAttrs(s string, ln int) ([]attr, error) {
	var out []attr
	seen := map[string]bool{}
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return out, nil
		}
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' && s[i] != '\t' && s[i] != '"' {
			i++
		}
		key := s[start:i]
		if i >= len(s) || s[i] != '=' {
			if key == "" {
				return nil, &SpecError{Line: ln, Zh: fmt.Sprintf("第 %d 个字符处应为 名称=值", start+1), En: fmt.Sprintf("expected key=value at character %d", start+1)}
			}
			out = append(out, attr{key: key, val: key, raw: key, bare: true})
			continue
		}
		if key == "" {
			return nil, &SpecError{Line: ln, Zh: fmt.Sprintf("第 %d 个字符处的 = 前没有名称", i+1), En: fmt.Sprintf("= without a name at character %d", i+1)}
		}
		i++ // '='
		var val strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					val.WriteByte(s[i+1])
					i += 2
					continue
				}
				if c == '"' {
					closed = true
					i++
					break
				}
				val.WriteByte(c)
				i++
			}
			if !closed {
				return nil, &SpecError{Line: ln, Zh: fmt.Sprintf("%s= 的引号没有结束", key), En: fmt.Sprintf("the quote after %s= is not closed", key)}
			}
			if i < len(s) && s[i] != ' ' && s[i] != '\t' {
				return nil, &SpecError{Line: ln, Zh: fmt.Sprintf("%s=\"…\" 后须有空格", key), En: fmt.Sprintf("a blank must follow %s=\"…\"", key)}
			}
		} else {
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				val.WriteByte(s[i])
				i++
			}
		}
		if seen[key] {
			return nil, &SpecError{Line: ln, Zh: fmt.Sprintf("%s 重复给出", key), En: fmt.Sprintf("%s given twice", key)}
		}
		seen[key] = true
		out = append(out, attr{key: key, val: val.String(), raw: s[start:i]})
	}
}

// SpecResult is one query's result with the Source that reproduces it.
type SpecResult struct {
	Table *queries.Table
	Src   Source
}

// BuildSpecReport makes the report a spec describes from its queries' results (by query name).
// kind is the report's name (the file stem). Column errors carry the directive's line.
func BuildSpecReport(spec *Spec, kind string, results map[string]SpecResult, meta []KV, lang Lang) (*Report, error) {
	r := &Report{Kind: kind, Lang: lang, Title: spec.Title, Meta: meta}
	if r.Title == "" {
		r.Title = kind
	}
	var src sourcer
	for _, q := range spec.Queries {
		res := results[q.Name]
		s := res.Src
		if s.Query == "" {
			s.Query = q.Name
		}
		src.add(&s)
		res.Src = s
		results[q.Name] = res
	}
	for _, ss := range spec.Sections {
		sec := Section{ID: ss.ID, Title: ss.Title, Plain: ss.Plain}
		if sec.Title == "" {
			sec.Title = t(lang, "概述", "Overview")
		}
		for _, it := range ss.Items {
			switch it.Kind {
			case "heading":
				sec.Blocks = append(sec.Blocks, Heading{Level: it.Level, ID: it.ID, Title: it.Text, Plain: it.Plain})
			case "text":
				sec.Blocks = append(sec.Blocks, Paragraph{Spans: []Span{txt(it.Text)}})
			case "bullets":
				var items [][]Span
				for _, b := range it.Bullets {
					items = append(items, []Span{txt(b)})
				}
				sec.Blocks = append(sec.Blocks, Bullets{Items: items})
			case "chart":
				res, ok := results[it.Data]
				if !ok || res.Table == nil {
					return nil, &SpecError{Line: it.Line, Zh: fmt.Sprintf("没有 %s 的查询结果", it.Data), En: fmt.Sprintf("no result for %s", it.Data)}
				}
				cs := it.Chart
				cs.Ref = res.Src.ID
				c, err := BuildChart(res.Table, cs, lang)
				if err != nil {
					if se, ok := err.(*SpecError); ok {
						se.Line = it.Line
						se.Zh = it.Data + "：" + se.Zh
						se.En = it.Data + ": " + se.En
					}
					return nil, err
				}
				if it.Limit > 0 {
					c.Height = it.Limit
				}
				if len(res.Table.Rows) == 0 {
					sec.Blocks = append(sec.Blocks, missing(lang, c.Title))
					continue
				}
				sec.Blocks = append(sec.Blocks, c)
			case "figures":
				res, ok := results[it.Data]
				if !ok || res.Table == nil {
					return nil, &SpecError{Line: it.Line, Zh: fmt.Sprintf("没有 %s 的查询结果", it.Data), En: fmt.Sprintf("no result for %s", it.Data)}
				}
				fs, err := specFigures(res, it)
				if err != nil {
					return nil, err
				}
				sec.Blocks = append(sec.Blocks, fs)
			case "table":
				res, ok := results[it.Data]
				if !ok || res.Table == nil {
					return nil, &SpecError{Line: it.Line, Zh: fmt.Sprintf("没有 %s 的查询结果", it.Data), En: fmt.Sprintf("no result for %s", it.Data)}
				}
				caption := it.Title
				if caption == "" {
					caption = it.Data
				}
				sec.Blocks = append(sec.Blocks, &TableBlock{ID: it.ID, Caption: caption, Table: labelColumns(res.Table, lang), Ref: res.Src.ID, Limit: it.Limit})
			}
		}
		r.Sections = append(r.Sections, sec)
	}
	NumberHeadings(r)
	r.Sources = src.list
	return r, nil
}

// specFigures makes a row of headline numbers from a result: one figure per row, its label,
// value and (optional) unit from the columns the directive names, each linked to the query.
func specFigures(res SpecResult, it SpecItem) (Figures, error) {
	find := func(name string) int {
		if name == "" {
			return -1
		}
		for i, c := range res.Table.Columns {
			if c.Name == name {
				return i
			}
		}
		for i, c := range res.Table.Columns {
			if strings.EqualFold(c.Name, name) {
				return i
			}
		}
		return -2
	}
	li, vi, ui := find(it.Chart.X), find(it.Chart.Y), find(it.Chart.Series)
	for _, c := range []struct {
		i    int
		name string
	}{{li, it.Chart.X}, {vi, it.Chart.Y}, {ui, it.Chart.Series}} {
		if c.i == -2 {
			var cols []string
			for _, col := range res.Table.Columns {
				cols = append(cols, col.Name)
			}
			return Figures{}, &SpecError{Line: it.Line, Zh: fmt.Sprintf("%s：列 %q 不在查询结果中（结果的列：%s）", it.Data, c.name, strings.Join(cols, ", ")),
				En: fmt.Sprintf("%s: column %q is not in the result (its columns: %s)", it.Data, c.name, strings.Join(cols, ", "))}
		}
	}
	var fs Figures
	for _, row := range res.Table.Rows {
		f := Figure{Label: FormatValue(row[li]), Value: FormatValue(row[vi]), Ref: res.Src.ID}
		if x, ok := row[vi].(float64); ok {
			f.Value = zhtext.Decimal(x)
		}
		if ui >= 0 {
			f.Unit = FormatValue(row[ui])
		}
		fs.Items = append(fs.Items, f)
	}
	return fs, nil
}

package ingest

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/mingdeng/mingdeng/datasets"
)

// unitSuffix matches a unit or note in brackets at the end of a header: 巡视里程(km), 时长（分钟）.
var unitSuffix = regexp.MustCompile(`[(\[{（【［｛〔][^()\[\]{}（）【】［］｛｝〔〕]*[)\]}）】］｝〕]\s*$`)

// NormalizeHeader reduces a header to the form aliases are compared in: full-width folded to
// half-width, lower case, a unit in brackets at the end removed, and spaces, underscores,
// hyphens, asterisks (required markers) and colons dropped.
func NormalizeHeader(h string) string {
	h = width.Fold.String(strings.TrimSpace(h))
	h = strings.TrimPrefix(h, "\ufeff")
	for i := 0; i < 2 && endsInBracket(h); i++ {
		if s := unitSuffix.ReplaceAllString(h, ""); strings.TrimSpace(s) != "" {
			h = s
		}
	}
	h = strings.ToLower(h)
	if strings.IndexFunc(h, dropInHeader) < 0 {
		return h
	}
	var b strings.Builder
	for _, r := range h {
		if !dropInHeader(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dropInHeader tells the runes NormalizeHeader drops: spaces, underscores, hyphens, asterisks
// (required markers), colons and dots.
func dropInHeader(r rune) bool {
	switch {
	case unicode.IsSpace(r), r == '_', r == '-', r == '*', r == ':', r == '.', r == '·', r == '\u00a0', r == '\u3000':
		return true
	}
	return false
}

// endsInBracket tells whether h ends in a closing bracket (before ASCII spaces, as unitSuffix's
// \s): only then can unitSuffix match. Header finding normalises every cell of the first rows
// of a file, and most of them are values, not headers.
func endsInBracket(h string) bool {
	h = strings.TrimRight(h, " \t\n\f\r")
	return strings.HasSuffix(h, ")") || strings.HasSuffix(h, "]") || strings.HasSuffix(h, "}") || strings.HasSuffix(h, "）") ||
		strings.HasSuffix(h, "】") || strings.HasSuffix(h, "］") || strings.HasSuffix(h, "｝") || strings.HasSuffix(h, "〕")
}

// headerIndex maps normalised headers of one contract to its columns. exact marks the headers
// that name a column by its own name or label (preferred when two file columns map to one).
type headerIndex struct {
	contract datasets.Contract
	cols     map[string]string
	exact    map[string]bool
	pos      map[string]int // column name → its index in the contract
	required []int          // the required columns' indexes
}

func newHeaderIndex(c datasets.Contract) *headerIndex {
	idx := &headerIndex{contract: c, cols: map[string]string{}, exact: map[string]bool{}, pos: map[string]int{}}
	for ci, col := range c.Columns {
		idx.pos[col.Name] = ci
		if col.Required {
			idx.required = append(idx.required, ci)
		}
		for i, h := range append([]string{col.Name, col.Label.Zh, col.Label.En}, col.Aliases...) {
			k := NormalizeHeader(h)
			if k == "" {
				continue
			}
			if _, taken := idx.cols[k]; taken {
				continue // the first column (in contract order) keeps an alias two columns share
			}
			idx.cols[k] = col.Name
			if i < 3 {
				idx.exact[k] = true
			}
		}
	}
	return idx
}

// Mapping says which file column feeds which contract column.
type Mapping struct {
	Contract datasets.Contract
	Headers  []string       // the file's headers, in file order
	Source   map[string]int // contract column → index of the file column
	Unknown  []string       // headers matched to no column (or to a column already fed)
	// Units holds the columns whose header names a unit other than the contract's (停电时长
	// （小时）for minutes): the values are converted by the factor.
	Units map[string]Conversion
	// BadUnit names a column whose header gives a unit that cannot be converted to the
	// contract's (巡视里程（小时）); the file is refused.
	BadUnit *Conversion
}

// headerForm is one key a normalised header may be found under in an index, and the unit cut
// off the header to reach it.
type headerForm struct{ key, unit string }

// headerForms lists the keys a normalised header k is looked up under, in the order they are
// tried: as written, then without the words offices put around a column's name (所在/所属
// before it, 名称/代码/编码 after it), then without a unit written after it (停电时长小时). Only
// keys some contract knows are kept (anyHeader), so a cell that names no column, as the values
// under a header do, has none.
func headerForms(k string) []headerForm {
	if k == "" {
		return nil
	}
	var out []headerForm
	add := func(key, unit string) {
		if anyHeader[key] {
			out = append(out, headerForm{key, unit})
		}
	}
	add(k, "")
	for _, v := range headerVariants(k) {
		add(v, "")
	}
	if i := strings.LastIndex(k, "/"); i > 0 {
		if u := normUnit(k[i+1:]); len(units[u]) > 0 {
			add(k[:i], u)
		}
	}
	for _, u := range trailingUnits {
		if rest, found := strings.CutSuffix(k, u); found && rest != "" {
			add(rest, u)
			for _, v := range headerVariants(rest) {
				add(v, u)
			}
		}
	}
	return out
}

// lookup finds the column a header names from its forms (headerForms of its normalised form k):
// the first form the index knows. It returns the unit cut off to reach it, if any; exact when k
// itself names a column by its name or label.
func (idx *headerIndex) lookup(k string, forms []headerForm) (col string, exact bool, unit string, ok bool) {
	for _, f := range forms {
		if col, ok := idx.cols[f.key]; ok {
			return col, f.key == k && f.unit == "" && idx.exact[k], f.unit, true
		}
	}
	return "", false, "", false
}

var (
	headerPrefixes = []string{"所在", "所属", "归属"}
	headerSuffixes = []string{"名称", "代码", "编码", "编号"}
)

// headerVariants are the forms of a normalised header without an office's prefix or suffix.
func headerVariants(k string) []string {
	var out []string
	var stems []string
	stems = append(stems, k)
	for _, p := range headerPrefixes {
		if rest, ok := strings.CutPrefix(k, p); ok && rest != "" {
			out = append(out, rest)
			stems = append(stems, rest)
		}
	}
	for _, st := range stems {
		for _, x := range headerSuffixes {
			if rest, ok := strings.CutSuffix(st, x); ok && rest != "" {
				out = append(out, rest)
			}
		}
	}
	return out
}

// match maps headers onto the contract.
func (idx *headerIndex) match(headers []string) *Mapping {
	return idx.matchKeys(headers, newHeaderKeys(headers))
}

// headerKeys are a header row's cells normalised (NormalizeHeader) and the forms each is looked
// up under (headerForms): a header row is scored against every contract, and normalising its
// cells once for all of them (a regular expression and width folding per cell) took most of the
// time sniffing a file.
type headerKeys struct {
	keys  []string
	forms [][]headerForm
	any   bool // some cell has a form some contract knows
}

func newHeaderKeys(headers []string) *headerKeys {
	hk := &headerKeys{keys: make([]string, len(headers)), forms: make([][]headerForm, len(headers))}
	for i, h := range headers {
		hk.keys[i] = NormalizeHeader(h)
		hk.forms[i] = headerForms(hk.keys[i])
		hk.any = hk.any || len(hk.forms[i]) > 0
	}
	return hk
}

// matchKeys is match with the headers' keys given.
func (idx *headerIndex) matchKeys(headers []string, hk *headerKeys) *Mapping {
	m := &Mapping{Contract: idx.contract, Headers: headers, Source: map[string]int{}}
	exactAt := map[string]bool{}
	unitAt := map[string]string{}
	for i, h := range headers {
		k := hk.keys[i]
		if k == "" {
			continue
		}
		col, exact, unit, ok := idx.lookup(k, hk.forms[i])
		if !ok {
			m.Unknown = append(m.Unknown, h)
			continue
		}
		if unit == "" {
			unit = HeaderUnit(h)
		}
		if prev, taken := m.Source[col]; taken {
			// Two file columns for one contract column: a column named exactly wins over an alias.
			if exact && !exactAt[col] {
				m.Unknown = append(m.Unknown, headers[prev])
				m.Source[col] = i
				exactAt[col] = true
				unitAt[col] = unit
			} else {
				m.Unknown = append(m.Unknown, h)
			}
			continue
		}
		m.Source[col] = i
		exactAt[col] = exact
		unitAt[col] = unit
	}
	for col, unit := range unitAt {
		if unit == "" {
			continue
		}
		c, _ := idx.contract.Column(col)
		conv, known := convert(*c, unit)
		conv.Header = strings.TrimSpace(headers[m.Source[col]])
		switch {
		case !known:
		case conv.Factor == 0:
			if m.BadUnit == nil {
				cv := conv
				m.BadUnit = &cv
			}
		case conv.Factor != 1:
			if m.Units == nil {
				m.Units = map[string]Conversion{}
			}
			m.Units[col] = conv
		}
	}
	return m
}

// evidence counts the matched columns that tell this dataset apart: every column but the
// person's employee number and name, which half the datasets (and any payroll or contact
// list) carry.
func (m *Mapping) evidence() int {
	n := 0
	for name := range m.Source {
		col, _ := m.Contract.Column(name)
		if col.Personal == datasets.EmployeeNo || col.Personal == datasets.PersonName {
			continue
		}
		n++
	}
	return n
}

// missingRequired lists the required columns the mapping lacks.
func (m *Mapping) missingRequired() []string {
	var out []string
	for _, col := range m.Contract.Columns {
		if _, ok := m.Source[col.Name]; col.Required && !ok {
			out = append(out, col.Name)
		}
	}
	return out
}

var indexes = func() map[string]*headerIndex {
	out := map[string]*headerIndex{}
	for _, idx := range indexList {
		out[idx.contract.Name] = idx
	}
	return out
}()

// indexList is every contract's index, in datasets.All's order (which builds the contracts
// anew on every call).
var indexList = func() []*headerIndex {
	var out []*headerIndex
	for _, c := range datasets.All() {
		out = append(out, newHeaderIndex(c))
	}
	return out
}()

// anyHeader holds every key of every contract's index.
var anyHeader = func() map[string]bool {
	out := map[string]bool{}
	for _, idx := range indexes {
		for k := range idx.cols {
			out[k] = true
		}
	}
	return out
}()

// candidate is one contract's fit to a header row.
type candidate struct {
	mapping *Mapping
	matched int
	hint    bool
	score   int
	weak    bool // no column but identity columns (工号, 姓名) matched
}

// Recognize picks the dataset a header row belongs to. fileName gives hints (会议, 巡视…).
// dataset, when not empty, forces the contract. It returns ErrUnknownDataset when no contract
// has all its required columns and a column that tells it apart, or two fit equally well.
func Recognize(headers []string, fileName, dataset string) (*Mapping, error) {
	if dataset != "" {
		c, err := datasets.Lookup(dataset)
		if err != nil {
			return nil, err
		}
		return indexes[c.Name].match(headers), nil
	}
	cands := strong(rank(headers, fileName))
	if len(cands) == 0 {
		return nil, ErrUnknownDataset
	}
	if len(cands) > 1 && cands[0].score == cands[1].score {
		return cands[0].mapping, ErrUnknownDataset
	}
	return cands[0].mapping, nil
}

func strong(cands []candidate) []candidate {
	var out []candidate
	for _, c := range cands {
		if !c.weak {
			out = append(out, c)
		}
	}
	return out
}

// rank lists the contracts whose required columns are all present, best first; a candidate
// with no distinguishing column is marked weak.
func rank(headers []string, fileName string) []candidate {
	base := strings.ToLower(width.Fold.String(fileName))
	var cands []candidate
	hk := newHeaderKeys(headers)
	for _, idx := range indexList {
		c := idx.contract
		m := idx.matchKeys(headers, hk)
		if len(m.missingRequired()) > 0 || len(m.Source) == 0 {
			continue
		}
		cd := candidate{mapping: m, matched: len(m.Source), weak: m.evidence() == 0}
		for _, h := range c.FileHints {
			if strings.Contains(base, strings.ToLower(h)) {
				cd.hint = true
			}
		}
		// A matched column counts 10, an unknown header -3, a file-name hint 15.
		cd.score = 10*cd.matched - 3*len(m.Unknown)
		if cd.hint {
			cd.score += 15
		}
		cands = append(cands, cd)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	return cands
}

// headerScore says how much a row looks like a header row: the most columns of one contract it
// names (the forced one when dataset is set), plus 100 when they include every required column.
// It is the score of matchKeys' mapping (its Source and missingRequired) without building one:
// it runs on every cell of a file's first rows.
func headerScore(cells []string, dataset string) int {
	hk := newHeaderKeys(cells)
	if !hk.any {
		return 0
	}
	best := 0
	var seen []bool
	for name, idx := range indexes {
		if dataset != "" && name != dataset {
			continue
		}
		if n := len(idx.contract.Columns); cap(seen) < n {
			seen = make([]bool, n)
		} else {
			seen = seen[:n]
			clear(seen)
		}
		n := 0
		for i, forms := range hk.forms {
			if col, _, _, ok := idx.lookup(hk.keys[i], forms); ok && !seen[idx.pos[col]] {
				seen[idx.pos[col]] = true
				n++
			}
		}
		complete := true
		for _, ci := range idx.required {
			complete = complete && seen[ci]
		}
		if complete {
			n += 100 // a row with every required column beats any partial one
		}
		if n > best {
			best = n
		}
	}
	return best
}

// findHeaderRow returns the index among rows of the header row: the row that names the most
// columns, the first of equals. -1 when no row names at least two columns.
func findHeaderRow(rows [][]string, dataset string) int {
	best, at := 1, -1
	for i, r := range rows {
		if s := headerScore(r, dataset); s > best {
			best, at = s, i
		}
	}
	return at
}

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
	for i := 0; i < 2; i++ {
		if s := unitSuffix.ReplaceAllString(h, ""); strings.TrimSpace(s) != "" {
			h = s
		}
	}
	h = strings.ToLower(h)
	var b strings.Builder
	for _, r := range h {
		switch {
		case unicode.IsSpace(r), r == '_', r == '-', r == '*', r == ':', r == '.', r == '·', r == '\u00a0', r == '\u3000':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// headerIndex maps normalised headers of one contract to its columns. exact marks the headers
// that name a column by its own name or label (preferred when two file columns map to one).
type headerIndex struct {
	contract datasets.Contract
	cols     map[string]string
	exact    map[string]bool
}

func newHeaderIndex(c datasets.Contract) *headerIndex {
	idx := &headerIndex{contract: c, cols: map[string]string{}, exact: map[string]bool{}}
	for _, col := range c.Columns {
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
}

// match maps headers onto the contract; it returns the mapping and how many columns matched.
func (idx *headerIndex) match(headers []string) *Mapping {
	m := &Mapping{Contract: idx.contract, Headers: headers, Source: map[string]int{}}
	exactAt := map[string]bool{}
	for i, h := range headers {
		k := NormalizeHeader(h)
		col, ok := idx.cols[k]
		if k == "" {
			continue
		}
		if !ok {
			m.Unknown = append(m.Unknown, h)
			continue
		}
		if prev, taken := m.Source[col]; taken {
			// Two file columns for one contract column: a column named exactly wins over an alias.
			if idx.exact[k] && !exactAt[col] {
				m.Unknown = append(m.Unknown, headers[prev])
				m.Source[col] = i
				exactAt[col] = true
			} else {
				m.Unknown = append(m.Unknown, h)
			}
			continue
		}
		m.Source[col] = i
		exactAt[col] = idx.exact[k]
	}
	return m
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
	for _, c := range datasets.All() {
		out[c.Name] = newHeaderIndex(c)
	}
	return out
}()

// candidate is one contract's fit to a header row.
type candidate struct {
	mapping *Mapping
	matched int
	hint    bool
	score   int
}

// Recognize picks the dataset a header row belongs to. fileName gives hints (会议, 巡视…).
// dataset, when not empty, forces the contract. It returns ErrUnknownDataset when no contract
// has all its required columns, or two fit equally well.
func Recognize(headers []string, fileName, dataset string) (*Mapping, error) {
	if dataset != "" {
		c, err := datasets.Lookup(dataset)
		if err != nil {
			return nil, err
		}
		return indexes[c.Name].match(headers), nil
	}
	cands := rank(headers, fileName)
	if len(cands) == 0 {
		return nil, ErrUnknownDataset
	}
	if len(cands) > 1 && cands[0].score == cands[1].score {
		return cands[0].mapping, ErrUnknownDataset
	}
	return cands[0].mapping, nil
}

// rank lists the contracts whose required columns are all present, best first.
func rank(headers []string, fileName string) []candidate {
	base := strings.ToLower(width.Fold.String(fileName))
	var cands []candidate
	for _, c := range datasets.All() {
		m := indexes[c.Name].match(headers)
		if len(m.missingRequired()) > 0 || len(m.Source) == 0 {
			continue
		}
		cd := candidate{mapping: m, matched: len(m.Source)}
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
// names (the forced one when dataset is set).
func headerScore(cells []string, dataset string) int {
	best := 0
	for name, idx := range indexes {
		if dataset != "" && name != dataset {
			continue
		}
		m := idx.match(cells)
		n := len(m.Source)
		if len(m.missingRequired()) == 0 {
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

package xlsxscan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Excel's limits.
const (
	MaxRows    = 1048576
	MaxColumns = 16384
)

// Type is what a cell holds, from its t= attribute.
type Type uint8

const (
	Number       Type = iota // t="n" or absent (or anything unknown): the number as stored
	SharedString             // t="s": the shared string
	InlineString             // t="inlineStr": the <is> text
	FormulaText              // t="str": a formula's text result
	Bool                     // t="b": "1" or "0"
	Error                    // t="e": #N/A, #DIV/0!, ...
	ISODate                  // t="d": an ISO 8601 date as stored
)

// Cell is one non-empty cell of a row (or a formula cell, even with no cached value).
type Cell struct {
	Col     int // 0-based column
	Type    Type
	Style   int  // s=, the cellXfs index
	Date    bool // a Number whose style shows a date: the value is an Excel serial
	Formula bool // the cell has a formula; the value is its cached result
	NoCache bool // a formula without a cached value (the value is empty)
	V       []byte
	shared  string // the value of a SharedString (V is nil)
	off     int
}

// String returns the value as excelize's raw read gives it.
func (c *Cell) String() string {
	if c.Type == SharedString && c.V == nil {
		return c.shared
	}
	return string(c.V)
}

// Shared returns the value of a SharedString cell without copying, and whether it is one.
func (c *Cell) Shared() (string, bool) {
	return c.shared, c.Type == SharedString && c.V == nil
}

// Rows streams the rows of one worksheet.
type Rows struct {
	wb  *Workbook
	pr  io.Closer
	s   *scanner
	err error

	num    int  // number of the current row (1-based)
	hidden bool // current row has hidden="1"
	cells  []Cell
	arena  []byte
	si     siReader
	v, is  []byte

	// The next <row> read ahead, waiting while the gap before it is returned as empty rows.
	pending       bool
	pendNum       int
	pendHidden    bool
	pendSelfClose bool
	cur           int // excelize's curRow: the last row number read from r= (or counted)
	done          bool
}

// Rows opens a streaming reader of the named sheet.
func (wb *Workbook) Rows(sheet string) (*Rows, error) {
	for _, sh := range wb.Sheets {
		if sh.Name == sheet {
			return wb.rowsOf(sh)
		}
	}
	for _, sh := range wb.Sheets {
		if strings.EqualFold(sh.Name, sheet) {
			return wb.rowsOf(sh)
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrSheetNotExist, sheet)
}

func (wb *Workbook) rowsOf(sh Sheet) (*Rows, error) {
	if sh.part == "" {
		return nil, fmt.Errorf("%w: %q has no worksheet part", ErrSheetNotExist, sh.Name)
	}
	pr, err := wb.openPart(wb.lookup(sh.part))
	if err != nil {
		return nil, err
	}
	ra := newReadAhead(pr)
	return &Rows{wb: wb, pr: ra, s: newScanner(ra, wb.opts.MaxTokenSize)}, nil
}

// Close releases the sheet's reader.
func (r *Rows) Close() error {
	if r.pr != nil {
		err := r.pr.Close()
		r.pr = nil
		return err
	}
	return nil
}

// Err is the error that ended the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Num is the current row's number as Excel shows it (1-based).
func (r *Rows) Num() int { return r.num }

// Hidden tells whether the current row is hidden (hidden="1").
func (r *Rows) Hidden() bool { return r.hidden }

// Cells are the current row's non-empty cells in column order (as stored), valid until the next
// call of Next.
func (r *Rows) Cells() []Cell { return r.cells }

// Values returns the current row as excelize's Rows.Columns(RawCellValue) does: one string per
// column up to the last non-empty cell, empty strings for the gaps.
func (r *Rows) Values() []string {
	if len(r.cells) == 0 {
		return nil
	}
	out := make([]string, r.cells[len(r.cells)-1].Col+1)
	for i := range r.cells {
		out[r.cells[i].Col] = r.cells[i].String()
	}
	return out
}

// Next moves to the next row. Rows missing from the XML (gaps in r=) are returned as empty
// rows, so that Num counts every row; blank rows after the last stored row are not returned.
func (r *Rows) Next() bool {
	r.cells, r.arena, r.hidden = r.cells[:0], r.arena[:0], false
	if r.err != nil || r.done {
		return false
	}
	if !r.pending && !r.findRow() {
		return false
	}
	r.num++
	if r.num < r.pendNum {
		return true // a gap
	}
	r.pending = false
	r.hidden = r.pendHidden
	if !r.pendSelfClose {
		r.readCells()
		if r.err != nil {
			return false
		}
	}
	return true
}

// findRow reads up to the next <row> start tag (false at the end of sheetData).
func (r *Rows) findRow() bool {
	s := r.s
	for {
		switch s.next(false) {
		case tokStart:
			if string(s.name) != "row" {
				continue
			}
			n, hidden, err := rowAttrs(s.attrs)
			if err != nil {
				r.err = err
				return false
			}
			if n == 0 {
				n = r.cur + 1
			}
			if n > MaxRows {
				r.err = fmt.Errorf("row %d: %w", n, errMaxRows)
				return false
			}
			r.cur = n
			if n <= r.num {
				n = r.num + 1 // rows out of order are taken in the order stored (excelize appends them to the row before)
			}
			r.pending, r.pendNum, r.pendHidden, r.pendSelfClose = true, n, hidden, s.selfClose
			return true
		case tokEnd:
			if string(s.name) == "sheetData" {
				r.done = true
				return false
			}
		case tokEOF:
			r.done = true
			if s.err != nil {
				r.err = s.err
			}
			return false
		}
	}
}

var errMaxRows = errors.New("row number exceeds Excel's limit of 1048576")

func rowAttrs(attrs []byte) (n int, hidden bool, err error) {
	it := attrIter{attrs}
	for _, local, v, ok := it.next(); ok; _, local, v, ok = it.next() {
		switch string(local) {
		case "r":
			if n, err = atoi(v); err != nil || n < 0 {
				return 0, false, fmt.Errorf("invalid row number r=%q", truncate(v))
			}
		case "hidden":
			hidden, _ = strconv.ParseBool(string(v))
		}
	}
	return n, hidden, nil
}

func atoi(b []byte) (int, error) {
	if len(b) > 0 && len(b) <= 9 {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return strconv.Atoi(string(b))
			}
			n = n*10 + int(c-'0')
		}
		return n, nil
	}
	return strconv.Atoi(string(b))
}

// readCells reads the cells of the row whose start tag was read, up to its end tag. Cell
// placement follows excelize: a cell without r= follows the previous one, a cell whose column
// is not after the last stored cell goes right after it.
func (r *Rows) readCells() {
	s := r.s
	maxLen := r.wb.opts.MaxTokenSize
	col := 0 // excelize's cellCol, 1-based
	width := 0
	for {
		a, fast := s.cellTag()
		k := tokStart
		if !fast {
			k = s.next(false)
		}
		switch k {
		case tokStart:
			if !fast {
				if string(s.name) != "c" {
					continue // excelize looks at every <c> up to the next row, at any depth
				}
				var err error
				if a, err = parseCellAttrs(s.attrs, col+1); err != nil {
					r.err = err
					return
				}
			}
			col = a.col
			c := Cell{Style: a.style, Type: cellType(a.typ)}
			isInline := false
			r.v = r.v[:0]
			if !s.selfClose && !r.fastValue(c.Type == InlineString, maxLen) {
			cell:
				for {
					switch s.next(false) {
					case tokStart:
						switch string(s.name) {
						case "v":
							r.v = s.appendText(r.v[:0], maxLen)
						case "f":
							c.Formula = true
							s.skip()
						case "is":
							if c.Type == InlineString {
								r.is = append(r.is[:0], r.si.read(s, maxLen)...)
								isInline = true
							} else {
								s.skip()
							}
						default:
							s.skip()
						}
						if s.err != nil {
							r.err = s.err
							return
						}
					case tokEnd:
						break cell
					case tokEOF:
						r.err = s.err
						if r.err == nil {
							r.err = fmt.Errorf("%w: unexpected end of input inside a cell", errSyntax)
						}
						return
					}
				}
			}
			if isInline {
				r.v = append(r.v[:0], r.is...)
			}
			if c.Formula && len(r.v) == 0 {
				c.NoCache = true
			}
			if c.Type == SharedString && len(r.v) > 0 {
				idx, err := atoi(bytes.TrimSpace(r.v))
				if err != nil {
					idx = 0 // excelize reads an unreadable index as 0
				}
				if idx < 0 || idx >= len(r.wb.sst) {
					r.v = r.v[:0] // excelize gives "" for an index out of range
				} else {
					c.shared = r.wb.sst[idx]
					if c.shared == "" && !c.Formula {
						continue
					}
					c.Col = max(col-1, width)
					width = c.Col + 1
					c.off = -1
					r.cells = append(r.cells, c)
					continue
				}
			}
			if len(r.v) == 0 && !c.Formula {
				continue
			}
			if c.Type == Number {
				c.Date = r.wb.IsDateStyle(c.Style)
			}
			c.Col = max(col-1, width)
			width = c.Col + 1
			c.off = len(r.arena)
			r.arena = append(r.arena, r.v...)
			c.V = r.arena[c.off:len(r.arena):len(r.arena)]
			r.cells = append(r.cells, c)
		case tokEnd:
			if string(s.name) == "row" {
				r.fixSlices()
				return
			}
			if string(s.name) == "sheetData" {
				r.done = true
				r.fixSlices()
				return
			}
		case tokEOF:
			r.err = s.err
			if r.err == nil {
				r.err = fmt.Errorf("%w: unexpected end of input inside a row", errSyntax)
			}
			return
		}
	}
}

// cellAttrs is what a cell's start tag tells readCells.
type cellAttrs struct {
	col   int    // 1-based column
	style int    // s=, 0 when absent or not a number
	typ   []byte // t=, raw
}

// parseCellAttrs reads a cell's r=, s= and t= from the raw attribute text of its start tag, as
// excelize does: col is the column the cell takes when it has no r= (or an empty one), a
// repeated attribute's last value counts, entities in the values are decoded and a bad r= is
// an error. An s= that is not a number is ignored (excelize drops the cell's value).
func parseCellAttrs(attrs []byte, col int) (cellAttrs, error) {
	a := cellAttrs{col: col}
	it := attrIter{attrs}
	for _, local, v, ok := it.next(); ok; _, local, v, ok = it.next() {
		if len(local) != 1 {
			continue
		}
		if bytes.IndexByte(v, '&') >= 0 || bytes.IndexByte(v, '\r') >= 0 {
			d, err := decodeText(nil, v, false)
			if err != nil {
				return a, fmt.Errorf("cell attribute %s=%q: %w", local, truncate(v), err)
			}
			v = d
		}
		switch string(local) {
		case "r":
			if len(v) > 0 {
				cc, err := colOfRef(v)
				if err != nil {
					return a, err
				}
				a.col = cc
			}
		case "s":
			if n, err := atoi(v); err == nil {
				a.style = n
			}
		case "t":
			a.typ = v
		}
	}
	return a, nil
}

// fastCellTags lets a test compare readCells with and without cellTag.
var fastCellTags = true

// cellTag reads, at pos, a cell start tag of the shape writers use: <c r="B7" s="3" t="s">
// with s= and t= optional but in that order, one space before each attribute, double quotes,
// r= a valid reference of capital letters and digits, s= up to 9 digits, t= one of the types
// cellType knows, and > or /> right after the last value. It reads it with a few byte
// comparisons instead of next's tag scan and parseCellAttrs's attribute walk, leaving the
// scanner as next would, with the result parseCellAttrs would give. Any other shape (another
// order or attribute, a prefix, single quotes, other spacing, a reference to be refused, a tag
// not whole in the buffer or less than maxCellTag bytes before its end) returns false with
// nothing consumed, for the general path.
func (s *scanner) cellTag() (a cellAttrs, ok bool) {
	if s.end-s.pos < maxCellTag || !fastCellTags || s.err != nil {
		return a, false
	}
	// A fixed-size view: most indexing below needs no bounds check.
	b := (*[maxCellTag]byte)(s.buf[s.pos : s.pos+maxCellTag])
	if string(b[:6]) != `<c r="` {
		return a, false
	}
	i := 6
	for ; i < 9; i++ {
		c := b[i] - 'A'
		if c >= 26 {
			break
		}
		a.col = a.col*26 + int(c) + 1
	}
	if i == 6 || a.col > MaxColumns {
		return a, false
	}
	row, last := 0, i+7
	for ; i < last; i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		row = row*10 + int(c)
	}
	if row == 0 || row > MaxRows || b[i] != '"' {
		return a, false
	}
	i++
	if string(b[i:i+4]) == ` s="` {
		i += 4
		from := i
		for last := i + 9; i < last; i++ {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			a.style = a.style*10 + int(c)
		}
		if i == from || b[i] != '"' {
			return a, false
		}
		i++
	}
	if string(b[i:i+4]) == ` t="` {
		i += 4
		n := typeLen(b[i:])
		if n == 0 {
			return a, false
		}
		a.typ = b[i : i+n : i+n]
		i += n + 1
	}
	switch {
	case b[i] == '>':
		s.selfClose = false
	case b[i] == '/' && b[i+1] == '>':
		s.selfClose = true
	default:
		return a, false
	}
	s.kind, s.name, s.attrs = tokStart, b[1:2], b[2:i]
	if s.selfClose {
		i++
	}
	s.pos += i + 1
	return a, true
}

// maxCellTag is the length of the longest tag cellTag reads.
const maxCellTag = len(`<c r="XFD1048576" s="123456789" t="inlineStr"/>`)

// typeLen returns the length of the t= value at the start of b when it is one cellType knows,
// followed by its closing quote, else 0.
func typeLen(b []byte) int {
	switch {
	case len(b) >= 2 && b[1] == '"' && (b[0] == 's' || b[0] == 'n' || b[0] == 'b' || b[0] == 'e' || b[0] == 'd'):
		return 1
	case len(b) >= 10 && string(b[:10]) == `inlineStr"`:
		return 9
	case len(b) >= 4 && string(b[:4]) == `str"`:
		return 3
	}
	return 0
}

// fastValue reads the rest of a cell element whose start tag was just read when it has one of
// the shapes writers use: <v>TEXT</v></c>, for an inline string <is><t>TEXT</t></is></c> (<t> may
// have attributes), or </c>. The value goes to r.v, decoded as the token loop would. Any other
// shape (a formula, rich text, a comment or CDATA, spaces between tags, a value past the
// buffer's limit, text the loop would refuse) returns false with nothing consumed, and the
// token loop reads it, errors included.
func (r *Rows) fastValue(inline bool, maxLen int) bool {
	s := r.s
	if !s.avail(len("</c>")) {
		return false
	}
	b := s.buf[s.pos:s.end]
	open, end := 0, ""
	switch {
	case b[0] != '<':
		return false
	case b[1] == 'v' && b[2] == '>':
		open, end = 3, "</v></c>"
	case b[1] == '/' && b[2] == 'c' && b[3] == '>':
		s.pos += 4
		return true
	case inline && bytes.HasPrefix(b, []byte("<is>")):
		if open, end = s.tStart(4), "</t></is></c>"; open < 0 {
			return false
		}
	default:
		return false
	}
	raw, n, ok := s.plainText(open, maxLen, end)
	if !ok {
		return false
	}
	v, err := decodeText(r.v[:0], raw, false)
	if err != nil {
		return false
	}
	if inline && hasBstr(v) {
		r.si.out = appendBstr(r.si.out[:0], v)
		v = append(v[:0], r.si.out...)
	}
	r.v = v
	s.pos += n
	return true
}

// fixSlices points each cell's V into the final arena (appending may have moved it).
func (r *Rows) fixSlices() {
	for i := range r.cells {
		c := &r.cells[i]
		if c.off >= 0 {
			end := c.off + len(c.V)
			c.V = r.arena[c.off:end:end]
		}
	}
}

func cellType(t []byte) Type {
	switch string(t) {
	case "s":
		return SharedString
	case "inlineStr":
		return InlineString
	case "str":
		return FormulaText
	case "b":
		return Bool
	case "e":
		return Error
	case "d":
		return ISODate
	}
	return Number
}

// colOfRef returns the 1-based column of a cell reference such as B7 or $B$7, with excelize's
// rules (letters then a row number, '$' anywhere among the letters ignored).
func colOfRef(ref []byte) (int, error) {
	c, _, err := CellRef(ref)
	return c, err
}

// CellRef returns the 1-based column and row of a cell reference such as B7 or $B$7.
func CellRef(ref []byte) (int, int, error) {
	i := 0
	col := 0
	for i < len(ref) {
		c := ref[i]
		switch {
		case 'A' <= c && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case 'a' <= c && c <= 'z':
			col = col*26 + int(c-'a'+1)
		case c == '$':
		default:
			goto digits
		}
		if col > MaxColumns {
			return 0, 0, fmt.Errorf("invalid cell reference %q: column beyond %d", truncate(ref), MaxColumns)
		}
		i++
	}
digits:
	if col == 0 || i == len(ref) {
		return 0, 0, fmt.Errorf("invalid cell reference %q", truncate(ref))
	}
	row, err := atoi(ref[i:])
	if err != nil || row <= 0 {
		return 0, 0, fmt.Errorf("invalid cell reference %q", truncate(ref))
	}
	if row > MaxRows {
		return 0, 0, fmt.Errorf("cell %q: %w", truncate(ref), errMaxRows)
	}
	return col, row, nil
}

// Merge is a merged range of cells, 1-based and inclusive, as stored (ref="A1:E1").
type Merge struct {
	Ref        string
	Col1, Row1 int
	Col2, Row2 int
}

// MergeCells returns the merged ranges of a sheet. They follow the cell data in the XML, so this
// reads the whole sheet (without decoding its cells).
func (wb *Workbook) MergeCells(sheet string) ([]Merge, error) {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	s := rows.s
	var out []Merge
	for k := s.next(false); k != tokEOF; k = s.next(false) {
		if k != tokStart || string(s.name) != "mergeCell" {
			continue
		}
		it := attrIter{s.attrs}
		for _, local, v, ok := it.next(); ok; _, local, v, ok = it.next() {
			if string(local) != "ref" {
				continue
			}
			ref, err := attrString(v)
			if err != nil {
				return nil, err
			}
			a, b, _ := strings.Cut(ref, ":")
			if b == "" {
				b = a
			}
			m := Merge{Ref: ref}
			var err1, err2 error
			m.Col1, m.Row1, err1 = CellRef([]byte(a))
			m.Col2, m.Row2, err2 = CellRef([]byte(b))
			if err1 == nil && err2 == nil {
				out = append(out, m)
			}
		}
		if len(out) > MaxRows {
			return nil, fmt.Errorf("%w: too many merged ranges", ErrTooLarge)
		}
	}
	if s.err != nil {
		return nil, s.err
	}
	return out, nil
}

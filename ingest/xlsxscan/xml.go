package xlsxscan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

// scanner is a minimal pull tokenizer for the XML of OOXML parts. It yields start tags (local
// name and the raw attribute text), end tags and text; comments, processing instructions and
// DOCTYPE declarations are skipped; CDATA sections are text. Slices it returns point into its
// buffer and are valid until the next call. A token must fit in maxBuf bytes; text the caller
// does not want is skipped without being buffered.
type scanner struct {
	r      io.Reader
	buf    []byte
	pos    int
	end    int
	eof    bool
	err    error
	maxBuf int

	kind      tokKind
	name      []byte // local name (prefix removed) of a start or end tag
	attrs     []byte // raw attribute text of a start tag
	selfClose bool
	text      []byte // raw text, entities not yet decoded
	cdata     bool
}

const initialBuf = 64 << 10

func newScanner(r io.Reader, maxBuf int) *scanner {
	if maxBuf < 4096 {
		maxBuf = 4096
	}
	return &scanner{r: r, buf: make([]byte, min(initialBuf, maxBuf)), maxBuf: maxBuf}
}

// more reads more input, keeping buf[pos:end] (moved to the front). It returns false at the end
// of input or on an error (s.err).
func (s *scanner) more() bool {
	if s.eof || s.err != nil {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= s.maxBuf {
			s.err = fmt.Errorf("%w: an XML token is longer than %d bytes", ErrTooLarge, s.maxBuf)
			return false
		}
		nb := make([]byte, min(2*len(s.buf), s.maxBuf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			if err == io.EOF {
				s.eof = true
			} else {
				s.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// index returns the offset from pos of the first c at or after pos+from, reading more input as
// needed, or -1 at the end of input.
func (s *scanner) index(from int, c byte) int {
	for {
		if s.pos+from < s.end {
			if i := bytes.IndexByte(s.buf[s.pos+from:s.end], c); i >= 0 {
				return from + i
			}
			from = s.end - s.pos
		}
		if !s.more() {
			return -1
		}
	}
}

// indexShort is index for a byte expected within a few bytes (the end of a short tag, a short
// attribute value): a plain loop first, which beats bytes.IndexByte's call for a handful of bytes.
func (s *scanner) indexShort(from int, c byte) int {
	b := s.buf[s.pos:s.end]
	for i := from; i < len(b) && i < from+16; i++ {
		if b[i] == c {
			return i
		}
	}
	return s.index(from, c)
}

// indexSeq is index for a sequence of bytes.
func (s *scanner) indexSeq(from int, seq string) int {
	for {
		if s.pos+from < s.end {
			if i := bytes.Index(s.buf[s.pos+from:s.end], []byte(seq)); i >= 0 {
				return from + i
			}
			from = max(from, s.end-s.pos-len(seq)+1)
		}
		if !s.more() {
			return -1
		}
	}
}

// avail makes at least n bytes available after pos if the input has them.
func (s *scanner) avail(n int) bool {
	for s.end-s.pos < n {
		if !s.more() {
			return false
		}
	}
	return true
}

var errSyntax = errors.New("XML syntax error")

func (s *scanner) syntax(what string) {
	if s.err == nil {
		s.err = fmt.Errorf("%w: %s", errSyntax, what)
	}
}

// next moves to the next token. Text is returned only when wantText is set; otherwise it is
// skipped. It returns tokEOF at the end of input or on an error (check s.err).
func (s *scanner) next(wantText bool) tokKind {
	s.kind = tokEOF
	for {
		if s.err != nil {
			return tokEOF
		}
		if s.pos >= s.end && !s.more() {
			return tokEOF
		}
		if s.buf[s.pos] != '<' {
			if !wantText {
				for {
					if i := bytes.IndexByte(s.buf[s.pos:s.end], '<'); i >= 0 {
						s.pos += i
						break
					}
					s.pos = s.end
					if !s.more() {
						return tokEOF
					}
				}
				continue
			}
			i := s.index(0, '<')
			if i < 0 {
				if s.err != nil {
					return tokEOF
				}
				i = s.end - s.pos
			}
			s.text, s.cdata = s.buf[s.pos:s.pos+i], false
			s.pos += i
			s.kind = tokText
			return tokText
		}
		if !s.avail(2) {
			s.syntax("unexpected end of input after <")
			return tokEOF
		}
		switch s.buf[s.pos+1] {
		case '/':
			j := s.indexShort(2, '>')
			if j < 0 {
				s.syntax("unterminated end tag")
				return tokEOF
			}
			s.name = localName(trimSpace(s.buf[s.pos+2 : s.pos+j]))
			s.pos += j + 1
			s.kind = tokEnd
			return tokEnd
		case '?':
			j := s.indexSeq(2, "?>")
			if j < 0 {
				s.syntax("unterminated processing instruction")
				return tokEOF
			}
			s.pos += j + 2
			continue
		case '!':
			s.avail(9)
			rest := s.buf[s.pos:s.end]
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				j := s.indexSeq(4, "-->")
				if j < 0 {
					s.syntax("unterminated comment")
					return tokEOF
				}
				s.pos += j + 3
				continue
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				j := s.indexSeq(9, "]]>")
				if j < 0 {
					s.syntax("unterminated CDATA section")
					return tokEOF
				}
				text := s.buf[s.pos+9 : s.pos+j]
				s.pos += j + 3
				if !wantText {
					continue
				}
				s.text, s.cdata, s.kind = text, true, tokText
				return tokText
			default:
				if !s.skipDecl() {
					return tokEOF
				}
				continue
			}
		default:
			if !s.startTag() {
				return tokEOF
			}
			s.kind = tokStart
			return tokStart
		}
	}
}

// skipDecl skips a <!DOCTYPE ...> or other declaration, with an internal subset in brackets.
func (s *scanner) skipDecl() bool {
	depth, quote := 0, byte(0)
	for i := 2; ; i++ {
		if s.pos+i >= s.end && !s.more() {
			s.syntax("unterminated declaration")
			return false
		}
		c := s.buf[s.pos+i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			s.pos += i + 1
			return true
		}
	}
}

// startTag reads a start tag at pos: its name, its attributes (quoted values may hold '>') and
// whether it closes itself. A tag found whole in the buffer is read in one loop over it;
// startTagSlow reads more input as it goes.
func (s *scanner) startTag() bool {
	b := s.buf[s.pos:s.end]
	i := 1
	for i < len(b) && b[i] != '>' && b[i] != '/' && !isSpace(b[i]) {
		i++
	}
	nameEnd := i
	var quote byte
	for ; i < len(b); i++ {
		c := b[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			}
			continue
		}
		if c == '"' || c == '\'' {
			quote = c
			continue
		}
		if c == '>' {
			return s.endStartTag(nameEnd, i)
		}
	}
	return s.startTagSlow()
}

func (s *scanner) startTagSlow() bool {
	i := 1
	// name
	for {
		if s.pos+i >= s.end && !s.more() {
			s.syntax("unterminated start tag")
			return false
		}
		c := s.buf[s.pos+i]
		if c == '>' || c == '/' || isSpace(c) {
			break
		}
		i++
	}
	nameEnd := i
	quote := byte(0)
	for {
		if s.pos+i >= s.end && !s.more() {
			s.syntax("unterminated start tag")
			return false
		}
		c := s.buf[s.pos+i]
		if quote != 0 {
			// Jump to the closing quote.
			if j := s.indexShort(i, quote); j >= 0 {
				i = j + 1
				quote = 0
				continue
			}
			s.syntax("unterminated attribute value")
			return false
		}
		if c == '"' || c == '\'' {
			quote = c
			i++
			continue
		}
		if c == '>' {
			break
		}
		i++
	}
	return s.endStartTag(nameEnd, i)
}

// endStartTag takes the start tag at pos whose name ends at nameEnd and whose '>' is at i.
func (s *scanner) endStartTag(nameEnd, i int) bool {
	b := s.buf[s.pos : s.pos+i]
	s.selfClose = i > 1 && b[i-1] == '/'
	attrEnd := i
	if s.selfClose {
		attrEnd--
	}
	if nameEnd == 1 || nameEnd > attrEnd {
		s.syntax("start tag without a name")
		return false
	}
	s.name = localName(b[1:nameEnd])
	s.attrs = b[nameEnd:attrEnd]
	s.pos += i + 1
	return true
}

// tStart returns the offset from pos just past a <t> start tag at offset off: <t>, or <t ATTRS>
// with attributes that hold no quote mark left open, no '<' or "'" and do not close the
// element. It returns -1 for anything else (or a tag not whole in the buffer), which the token
// loop then reads.
func (s *scanner) tStart(off int) int {
	b := s.buf[s.pos+off : s.end]
	switch {
	case len(b) < 3 || b[0] != '<' || b[1] != 't':
		return -1
	case b[2] == '>':
		return off + 3
	case b[2] != ' ':
		return -1
	}
	gt := bytes.IndexByte(b[3:], '>')
	if gt < 0 {
		return -1
	}
	attrs := b[2 : 3+gt]
	if bytes.IndexByte(attrs, '\'') >= 0 || bytes.IndexByte(attrs, '<') >= 0 || bytes.Count(attrs, []byte{'"'})%2 != 0 || attrs[len(attrs)-1] == '/' {
		return -1
	}
	return off + 3 + gt + 1
}

// plainText returns the raw text from offset open (from pos) to the next '<' when the bytes
// there are one of ends, with the offset just past that end; ok is false otherwise (or when
// the text is longer than maxLen), with nothing consumed.
func (s *scanner) plainText(open, maxLen int, ends ...string) (raw []byte, n int, ok bool) {
	j := s.index(open, '<')
	if j < 0 || j-open > maxLen {
		return nil, 0, false
	}
	for _, end := range ends {
		if s.avail(j+len(end)) && bytes.HasPrefix(s.buf[s.pos+j:s.end], []byte(end)) {
			return s.buf[s.pos+open : s.pos+j], j + len(end), true
		}
	}
	return nil, 0, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func localName(b []byte) []byte {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == ':' {
			return b[i+1:]
		}
	}
	return b
}

// attrIter walks the raw attribute text of a start tag.
type attrIter struct {
	b []byte
}

// next returns the next attribute's local name and raw (undecoded) value. The full name is
// returned too, so that callers can tell a prefixed attribute (r:id) from an unprefixed one.
func (a *attrIter) next() (full, local, val []byte, ok bool) {
	b := a.b
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i == len(b) {
		return nil, nil, nil, false
	}
	start, colon := i, -1
	for i < len(b) && b[i] != '=' && !isSpace(b[i]) {
		if b[i] == ':' {
			colon = i
		}
		i++
	}
	full = b[start:i]
	local = full
	if colon >= 0 {
		local = b[colon+1 : i]
	}
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i == len(b) || b[i] != '=' {
		a.b = nil
		return nil, nil, nil, false
	}
	i++
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i == len(b) || (b[i] != '"' && b[i] != '\'') {
		a.b = nil
		return nil, nil, nil, false
	}
	q := b[i]
	i++
	j := i
	for j < len(b) && j < i+16 && b[j] != q {
		j++
	}
	if j == len(b) || b[j] != q {
		k := bytes.IndexByte(b[j:], q)
		if k < 0 {
			a.b = nil
			return nil, nil, nil, false
		}
		j += k
	}
	a.b = b[j+1:]
	return full, local, b[i:j], true
}

// skip consumes tokens up to and including the end tag that closes the element whose start tag
// was just read (nothing to do if it closed itself).
func (s *scanner) skip() {
	if s.kind == tokStart && s.selfClose {
		return
	}
	depth := 1
	for depth > 0 {
		switch s.next(false) {
		case tokStart:
			if !s.selfClose {
				depth++
			}
		case tokEnd:
			depth--
		case tokEOF:
			if s.err == nil {
				s.syntax("unexpected end of input inside an element")
			}
			return
		}
	}
}

// appendText appends the decoded text of the element whose start tag was just read (its direct
// text; nested elements are skipped, as encoding/xml does for a chardata field) to dst, and
// consumes its end tag. maxLen bounds the result.
func (s *scanner) appendText(dst []byte, maxLen int) []byte {
	if s.kind == tokStart && s.selfClose {
		return dst
	}
	start := len(dst)
	for {
		switch s.next(true) {
		case tokText:
			var err error
			if dst, err = decodeText(dst, s.text, s.cdata); err != nil {
				if s.err == nil {
					s.err = err
				}
				return dst
			}
			if len(dst)-start > maxLen {
				s.err = fmt.Errorf("%w: a cell value is longer than %d bytes", ErrTooLarge, maxLen)
				return dst
			}
		case tokStart:
			s.skip()
		case tokEnd:
			return dst
		case tokEOF:
			if s.err == nil {
				s.syntax("unexpected end of input inside an element")
			}
			return dst
		}
	}
}

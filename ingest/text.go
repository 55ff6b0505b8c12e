package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is a text encoding of a source file.
type Encoding string

const (
	EncodingAuto    Encoding = ""
	EncodingUTF8    Encoding = "utf8"
	EncodingGB18030 Encoding = "gb18030"
	EncodingUTF16   Encoding = "utf16"
)

// ParseEncoding accepts utf8, gb18030 (gbk, gb2312: GB18030 covers them) and utf16; "" or auto
// means detect.
func ParseEncoding(s string) (Encoding, error) {
	switch s {
	case "", "auto":
		return EncodingAuto, nil
	case "utf8", "utf-8", "UTF-8", "UTF8":
		return EncodingUTF8, nil
	case "gb18030", "GB18030", "gbk", "GBK", "gb2312", "GB2312", "cp936":
		return EncodingGB18030, nil
	case "utf16", "utf-16", "UTF-16":
		return EncodingUTF16, nil
	}
	return "", fmt.Errorf("unknown encoding %q (expected utf8, gb18030 or utf16)", s)
}

// DetectEncoding guesses the encoding of a sample from the start of a file: a byte-order mark,
// else UTF-8 when the sample is valid UTF-8 (an incomplete character at its end is allowed),
// else GB18030.
func DetectEncoding(sample []byte) Encoding {
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		return EncodingUTF8
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}), bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return EncodingUTF16
	}
	// Ignore an incomplete character at the end of the sample.
	end := len(sample)
	for i := len(sample) - 1; i >= 0 && i >= len(sample)-3; i-- {
		if utf8.RuneStart(sample[i]) {
			if !utf8.FullRune(sample[i:]) {
				end = i
			}
			break
		}
	}
	if utf8.Valid(sample[:end]) {
		return EncodingUTF8
	}
	return EncodingGB18030
}

func decoderFor(e Encoding) encoding.Encoding {
	switch e {
	case EncodingGB18030:
		return simplifiedchinese.GB18030
	case EncodingUTF16:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	}
	return nil
}

// lineEvent says that from record k on, record k is on physical line k + base.
type lineEvent struct{ k, base int64 }

// lineScanner follows records through a text file: which physical line each record starts on
// (quoted fields may hold newlines), and how many blank lines lie between records. quote 0 means
// records are plain lines (NDJSON).
type lineScanner struct {
	quote      byte
	headerLine int64 // records start after this physical line (0: from the first line)
	line       int64 // current physical line, 1-based
	inQuote    bool
	recordOpen bool
	lineBytes  bool // the current line has had a byte other than \r
	k          int64
	lastBase   int64
	events     []lineEvent
	blank      int64
	pending    int64 // blank lines not yet known to lie before a record
	multiline  bool  // some quoted field holds a newline
	// special says that some byte sequence md_clean would change lies in the text: a full-width
	// form (U+FF01–U+FF5E), an ideographic or no-break space, a tab, or a carriage return that
	// does not end a line. Without one, cleaning a cell is only trimming spaces.
	special bool
	tail    []byte // the last bytes of the previous chunk, for sequences across chunks
	// inner counts the line breaks inside quoted fields so far: a spreadsheet shows such a
	// record as one row, so the row a user sees is the physical line less these.
	inner int64
	// sawQuote says that some quote character appeared: without one, records are lines and
	// DuckDB must read exactly as many as the scan counted.
	sawQuote bool
	// spaced says that some space may begin or end a cell: a space next to a delimiter (any of
	// those sniffing tries), a quote, a line end, or the start or end of the text. Without one,
	// trimming a cell changes nothing. spaceEnd says the last chunk ended in a space; prev is
	// its last byte.
	spaced, spaceEnd bool
	prev             byte
	// off is the byte offset of the next chunk; start that of the open record. longest and
	// longestRow are the longest record in bytes and the row it starts on.
	off, start, longest, longestRow int64
	// json, when set, follows the objects of an NDJSON file through the same chunks.
	json *jsonShape
}

// finish closes the last record at the end of the file.
func (s *lineScanner) finish() {
	if s.json != nil {
		s.json.finish()
	}
	if s.recordOpen {
		s.endRecord(s.off)
	}
	if s.spaceEnd {
		s.spaced = true // the text ends in a space
	}
}

func (s *lineScanner) endRecord(at int64) {
	if n := at - s.start; n > s.longest {
		s.longest, s.longestRow = n, s.k+s.lastBase-1
	}
}

// specialLeads are the first bytes of the sequences lineScanner.special looks for; specialLead
// marks them.
var specialLeads = []byte{'\t', '\r', 0xC2, 0xE3, 0xEF}

var specialLead = func() (t [256]bool) {
	for _, b := range specialLeads {
		t[b] = true
	}
	return t
}()

// specialAt says whether a special sequence starts at p[i]; a sequence cut off by the end of p
// reports incomplete.
func specialAt(p []byte, i int) (found, incomplete bool) {
	need := 2
	switch p[i] {
	case '\t':
		need = 0
	case '\r', 0xC2:
		need = 1
	}
	if i+need >= len(p) {
		return false, true
	}
	switch p[i] {
	case '\t':
		return true, false
	case '\r':
		return p[i+1] != '\n', false
	case 0xC2:
		return p[i+1] == 0xA0, false
	case 0xE3:
		return p[i+1] == 0x80 && p[i+2] == 0x80, false
	default: // 0xEF: U+FF01–U+FF3F are EF BC 81–BF, U+FF40–U+FF5E are EF BD 80–9E
		return (p[i+1] == 0xBC && p[i+2] >= 0x81 && p[i+2] <= 0xBF) || (p[i+1] == 0xBD && p[i+2] >= 0x80 && p[i+2] <= 0x9E), false
	}
}

func (s *lineScanner) checkSpecial(p []byte) {
	if s.special || len(p) == 0 {
		return
	}
	if len(s.tail) > 0 {
		w := append(s.tail, p[:min(2, len(p))]...)
		for i := 0; i < len(s.tail); i++ {
			if specialLead[w[i]] {
				if f, _ := specialAt(w, i); f {
					s.special = true
					return
				}
			}
		}
		s.tail = s.tail[:0]
	}
	// All but the last two bytes, where no sequence can be cut off: each lead byte is found by
	// IndexByte's vector search (most text holds none of them but the carriage returns of CRLF
	// lines), a fraction of the time of a test per byte.
	bulk := max(len(p)-2, 0)
	for _, b := range specialLeads {
		for from := 0; from < bulk; {
			j := bytes.IndexByte(p[from:bulk], b)
			if j < 0 {
				break
			}
			if f, _ := specialAt(p, from+j); f {
				s.special = true
				return
			}
			from += j + 1
		}
	}
	cut := -1 // the first sequence the end of p cuts off: kept for the next chunk
	for i := bulk; i < len(p); i++ {
		if !specialLead[p[i]] {
			continue
		}
		f, inc := specialAt(p, i)
		if f {
			s.special = true
			return
		}
		if inc && cut < 0 {
			cut = i
		}
	}
	if cut >= 0 {
		s.tail = append(s.tail[:0], p[cut:]...)
	}
}

func newLineScanner(quote byte, headerLine int64) *lineScanner {
	return &lineScanner{quote: quote, headerLine: headerLine, line: 1, lastBase: -1, prev: '\n'}
}

// cellEdge says whether b may stand beside the first or last character of a cell.
func (s *lineScanner) cellEdge(b byte) bool {
	switch b {
	case ',', '\t', ';', '|', '"', '\n', '\r':
		return true
	}
	return s.quote != 0 && b == s.quote
}

func (s *lineScanner) checkSpaced(p []byte) {
	if s.spaced || len(p) == 0 {
		return
	}
	defer func() { s.prev = p[len(p)-1] }()
	if s.spaceEnd {
		if s.cellEdge(p[0]) {
			s.spaced = true
			return
		}
		s.spaceEnd = false
	}
	for from := 0; ; {
		j := bytes.IndexByte(p[from:], ' ')
		if j < 0 {
			return
		}
		i := from + j
		before := s.prev
		if i > 0 {
			before = p[i-1]
		}
		if s.cellEdge(before) || (i+1 < len(p) && s.cellEdge(p[i+1])) {
			s.spaced = true
			return
		}
		s.spaceEnd = i+1 == len(p)
		from = i + 1
	}
}

func (s *lineScanner) feed(p []byte) {
	defer func() { s.off += int64(len(p)) }()
	s.checkSpecial(p)
	s.checkSpaced(p)
	if s.json != nil {
		s.json.feed(p)
	}
	for i := 0; i < len(p); i++ {
		b := p[i]
		if b == '\n' {
			if s.inQuote {
				s.multiline = true
				s.inner++
			} else {
				if s.line > s.headerLine && !s.recordOpen && !s.lineBytes {
					s.pending++
				}
				if s.recordOpen {
					s.endRecord(s.off + int64(i))
				}
				s.recordOpen = false
			}
			s.line++
			s.lineBytes = false
			continue
		}
		if b == '\r' {
			continue
		}
		if !s.recordOpen && !s.inQuote && s.line > s.headerLine {
			s.blank += s.pending
			s.pending = 0
			if base := s.line - s.inner - s.k; base != s.lastBase {
				s.events = append(s.events, lineEvent{s.k, base})
				s.lastBase = base
			}
			s.k++
			s.recordOpen = true
			s.start = s.off + int64(i)
		}
		s.lineBytes = true
		if s.quote != 0 && b == s.quote {
			s.inQuote = !s.inQuote
			s.sawQuote = true
		} else if !s.inQuote && s.quote != 0 {
			// Skip quickly to the next byte that matters.
			j := indexFirst(p[i+1:], '\n', s.quote, '\r')
			if j < 0 {
				i = len(p) - 1
			} else {
				i += j
			}
		} else if s.inQuote {
			j := indexFirst(p[i+1:], '\n', s.quote, s.quote)
			if j < 0 {
				i = len(p) - 1
			} else {
				i += j
			}
		} else if s.quote == 0 {
			j := bytes.IndexByte(p[i+1:], '\n')
			if j < 0 {
				i = len(p) - 1
			} else {
				i += j
			}
		}
	}
}

// indexFirst is the index in p of the first of the bytes a, b and c, or -1: bytes.IndexAny with
// the vector search of IndexByte. a is the common one (the line end): b and c are looked for
// only before it, so a file of short lines is searched once per byte, not three times.
func indexFirst(p []byte, a, b, c byte) int {
	j := bytes.IndexByte(p, a)
	seg := p
	if j >= 0 {
		seg = p[:j]
	}
	if k := bytes.IndexByte(seg, b); k >= 0 {
		j, seg = k, seg[:k]
	}
	if k := bytes.IndexByte(seg, c); k >= 0 {
		j = k
	}
	return j
}

// utf8Checker validates a stream of UTF-8 and remembers the line of the first invalid byte.
type utf8Checker struct {
	carry   []byte
	line    int64
	badLine int64
	// truncated says the only fault is a character cut off at the very end: the file is
	// incomplete (a copy or a save interrupted), not in another encoding.
	truncated bool
}

func (c *utf8Checker) feed(p []byte) {
	if c.badLine != 0 {
		return
	}
	buf := p
	if len(c.carry) > 0 {
		buf = append(c.carry, p...)
		c.carry = nil
	}
	// Keep an incomplete character at the end for the next chunk.
	end := len(buf)
	for i := 1; i <= 3 && i <= len(buf); i++ {
		b := buf[len(buf)-i]
		if utf8.RuneStart(b) {
			if !utf8.FullRune(buf[len(buf)-i:]) {
				end = len(buf) - i
			}
			break
		}
	}
	chunk := buf[:end]
	if !utf8.Valid(chunk) {
		line := c.line + 1
		for len(chunk) > 0 {
			r, size := utf8.DecodeRune(chunk)
			if r == utf8.RuneError && size <= 1 {
				c.badLine = line
				return
			}
			if r == '\n' {
				line++
			}
			chunk = chunk[size:]
		}
	}
	c.line += int64(bytes.Count(chunk, []byte{'\n'}))
	c.carry = append([]byte(nil), buf[end:]...)
}

func (c *utf8Checker) finish() {
	if c.badLine == 0 && len(c.carry) > 0 {
		c.badLine = c.line + 1
		c.truncated = true
	}
}

// textPass is the result of reading a text file once: its hash, whether it is valid UTF-8, and
// where its records lie.
type textPass struct {
	sha256  string
	size    int64
	badUTF8 int64 // line of the first invalid UTF-8 byte, 0 when valid
	cut     bool  // the file ends in the middle of a UTF-8 character
	scan    *lineScanner
}

// passFile reads path once: SHA-256 of the bytes, UTF-8 validity, and the record scan (when
// scan is set: valid for UTF-8 and for GB18030, whose multi-byte characters never contain a
// quote, a delimiter or a newline byte).
func passFile(path string, scan *lineScanner, progress func(int64)) (*textPass, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	chk := &utf8Checker{}
	buf := make([]byte, 1<<20)
	var n int64
	// The hash of a chunk runs on another core while this one checks and scans it: the file
	// is read before DuckDB starts on it, so the pass is time nothing else overlaps.
	hashed := make(chan struct{})
	for {
		m, err := f.Read(buf)
		if m > 0 {
			p := buf[:m]
			go func() {
				h.Write(p)
				hashed <- struct{}{}
			}()
			chk.feed(p)
			if scan != nil {
				scan.feed(p)
			}
			<-hashed
			n += int64(m)
			if progress != nil {
				progress(n)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	chk.finish()
	if scan != nil {
		scan.finish()
	}
	return &textPass{sha256: hex.EncodeToString(h.Sum(nil)), size: n, badUTF8: chk.badLine, cut: chk.truncated, scan: scan}, nil
}

// errBadBytes reports bytes the decoder could not read, and on which line.
type errBadBytes struct{ line int64 }

func (e errBadBytes) Error() string { return fmt.Sprintf("invalid bytes on line %d", e.line) }

// transcode writes path decoded from enc into a new UTF-8 file in dir; a byte sequence that is
// not valid in enc fails with errBadBytes naming its line. scan, when set, follows the records
// of the UTF-8 output.
func transcode(path string, enc Encoding, dir string, scan *lineScanner) (string, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, "mingdeng-utf8-*.csv")
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		if !ok {
			out.Close()
			os.Remove(out.Name())
		}
	}()
	r := transform.NewReader(bufio.NewReaderSize(in, 1<<20), decoderFor(enc).NewDecoder())
	w := bufio.NewWriterSize(out, 1<<20)
	buf := make([]byte, 1<<20)
	var line int64 = 1
	first := true
	for {
		n, err := r.Read(buf)
		if n > 0 {
			p := buf[:n]
			if first {
				p = bytes.TrimPrefix(p, []byte("\ufeff"))
				first = false
			}
			if i := bytes.IndexRune(p, utf8.RuneError); i >= 0 {
				return "", errBadBytes{line + int64(bytes.Count(p[:i], []byte{'\n'}))}
			}
			line += int64(bytes.Count(p, []byte{'\n'}))
			if scan != nil {
				scan.feed(p)
			}
			if _, werr := w.Write(p); werr != nil {
				return "", werr
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
	}
	if scan != nil {
		scan.finish()
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	ok = true
	return out.Name(), nil
}

// readSample reads up to n bytes from the start of path.
func readSample(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:m], nil
}

// decodeSample turns a sample into UTF-8 text, cut at its last complete line when it is not
// the whole file.
func decodeSample(sample []byte, enc Encoding, whole bool) string {
	if !whole {
		if i := bytes.LastIndexByte(sample, '\n'); i >= 0 {
			sample = sample[:i+1]
		}
	}
	if d := decoderFor(enc); d != nil {
		out, _, err := transform.Bytes(d.NewDecoder(), sample)
		if err == nil {
			sample = out
		}
	}
	return string(bytes.TrimPrefix(sample, []byte("\ufeff")))
}

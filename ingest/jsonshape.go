package ingest

import (
	"bytes"
	"slices"
)

// jsonShape follows the lines of an NDJSON file in the byte pass and tells whether every line
// is a flat object: one JSON object whose values are strings, numbers, booleans or null, with
// no key twice. Such a file is read in one pass by read_json, each object as a map of text,
// and typed straight from that reader; any other file (a nested value, a line that is not one
// object, a key with an escape, a blank-looking line of spaces, invalid JSON) takes the
// general path, which reads every object's JSON text and says what is wrong with it.
//
// It is not a JSON parser for anything else: it only vouches for the simple case, and says
// "not flat" whenever it is unsure.
type jsonShape struct {
	keys  []string       // every key, in order of first appearance
	index map[string]int // key → position in keys
	stamp []int64        // per key, the last object it was seen in (repeated keys)
	// order is the key at each position of the previous object: objects mostly repeat one
	// order, and comparing with the expected key is cheaper than hashing it (the map lookup
	// was two thirds of the scan).
	order []int
	// folds says, per key, that some value of it holds what md_clean folds: a full-width form,
	// an ideographic or no-break space (the byte scan's special sequences), or an escape (\t,
	// \n, \r, \u…) that may decode to one. Every other column is cleaned by a trim alone.
	folds   []bool
	first   int    // how many keys the first object has
	objs    int64  // objects seen
	carry   []byte // the start of a line cut off by the end of a chunk
	notFlat bool   // some line is not a flat object
	line    int64  // lines completed, for the first line of the file (a BOM)
}

// maxJSONLine is the longest line the shape scan follows; a longer one makes the file take the
// general path (whose reader has its own limit).
const maxJSONLine = 16 << 20

func newJSONShape() *jsonShape { return &jsonShape{index: map[string]int{}} }

// feed takes the next chunk of the file.
func (s *jsonShape) feed(p []byte) {
	if s.notFlat {
		return
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if len(s.carry)+len(p) > maxJSONLine {
				s.notFlat = true
				s.carry = nil
				return
			}
			s.carry = append(s.carry, p...)
			return
		}
		ln := p[:i]
		if len(s.carry) > 0 {
			ln = append(s.carry, ln...)
			s.carry = s.carry[:0]
		}
		s.takeLine(ln)
		if s.notFlat {
			return
		}
		p = p[i+1:]
	}
}

// finish takes the last line when the file does not end with a line break.
func (s *jsonShape) finish() {
	if !s.notFlat && len(s.carry) > 0 {
		s.takeLine(s.carry)
		s.carry = nil
	}
}

// flatKeys are the keys of a flat file in the order the general path gives them: the first
// object's as written, then those only later objects have, sorted. ok is false when the file
// is not flat or holds no key.
func (s *jsonShape) flatKeys() (keys []string, ok bool) {
	if s.notFlat || len(s.keys) == 0 {
		return nil, false
	}
	keys = slices.Clone(s.keys)
	slices.Sort(keys[s.first:])
	return keys, true
}

// plainKeys says, for each of keys, whether no value of it needs folding (see folds).
func (s *jsonShape) plainKeys(keys []string) []bool {
	out := make([]bool, len(keys))
	for i, k := range keys {
		at, ok := s.index[k]
		out[i] = ok && !s.folds[at]
	}
	return out
}

func isJSONSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' }

func (s *jsonShape) takeLine(ln []byte) {
	if s.line == 0 {
		// A byte-order mark, which the reader does not see (the loader reads a copy without it).
		ln = bytes.TrimPrefix(ln, []byte("\ufeff"))
	}
	s.line++
	for len(ln) > 0 && ln[len(ln)-1] == '\r' {
		ln = ln[:len(ln)-1]
	}
	if len(ln) == 0 {
		return // a blank line, which both readers skip and the line scan counts
	}
	if !s.object(ln) {
		s.notFlat = true
	}
}

// object reads one line that must be exactly one flat object.
func (s *jsonShape) object(ln []byte) bool {
	i := skipSpace(ln, 0)
	if i >= len(ln) || ln[i] != '{' {
		return false
	}
	s.objs++
	pos := 0
	i = skipSpace(ln, i+1)
	if i < len(ln) && ln[i] == '}' {
		return s.end(ln, i+1)
	}
	for {
		if i >= len(ln) || ln[i] != '"' {
			return false
		}
		j := i + 1
		for j < len(ln) && ln[j] != '"' && ln[j] != '\\' && ln[j] >= 0x20 {
			j++
		}
		if j >= len(ln) || ln[j] != '"' {
			return false // an escape or a control byte in a key, or no closing quote
		}
		at, ok := s.key(ln[i+1:j], pos)
		if !ok {
			return false
		}
		pos++
		i = skipSpace(ln, j+1)
		if i >= len(ln) || ln[i] != ':' {
			return false
		}
		i = skipSpace(ln, i+1)
		if i = s.value(ln, i, at); i < 0 {
			return false
		}
		i = skipSpace(ln, i)
		if i >= len(ln) {
			return false
		}
		switch ln[i] {
		case ',':
			i = skipSpace(ln, i+1)
		case '}':
			return s.end(ln, i+1)
		default:
			return false
		}
	}
}

// end checks that nothing but spaces follows the object.
func (s *jsonShape) end(ln []byte, i int) bool {
	if s.objs == 1 {
		s.first = len(s.keys)
	}
	return skipSpace(ln, i) == len(ln)
}

func skipSpace(ln []byte, i int) int {
	for i < len(ln) && isJSONSpace(ln[i]) {
		i++
	}
	return i
}

// key records a key of the current object and returns its position; a key seen twice in one
// object is not flat.
func (s *jsonShape) key(k []byte, pos int) (int, bool) {
	at, ok := -1, false
	if pos < len(s.order) && string(k) == s.keys[s.order[pos]] {
		at, ok = s.order[pos], true
	} else {
		at, ok = s.index[string(k)]
	}
	if !ok {
		at = len(s.keys)
		s.keys = append(s.keys, string(k))
		s.index[string(k)] = at
		s.stamp = append(s.stamp, 0)
		s.folds = append(s.folds, false)
	}
	if s.stamp[at] == s.objs {
		return at, false
	}
	s.stamp[at] = s.objs
	if pos < len(s.order) {
		s.order[pos] = at
	} else {
		s.order = append(s.order, at)
	}
	return at, true
}

// value reads a scalar value of key at at ln[i:] and returns the index after it, or -1.
func (s *jsonShape) value(ln []byte, i, at int) int {
	if i >= len(ln) {
		return -1
	}
	switch c := ln[i]; {
	case c == '"':
		for j := i + 1; j < len(ln); j++ {
			for j < len(ln) && !stringStop[ln[j]] {
				j++
			}
			if j >= len(ln) {
				break
			}
			switch b := ln[j]; {
			case b == '"':
				return j + 1
			case b == '\\':
				if j+1 >= len(ln) {
					return -1
				}
				switch ln[j+1] {
				case '"', '\\', '/', 'b', 'f':
				case 't', 'n', 'r':
					s.folds[at] = true
				case 'u':
					if j+5 >= len(ln) || !isHex4(ln[j+2:j+6]) {
						return -1
					}
					s.folds[at] = true
					j += 4
				default:
					return -1
				}
				j++
			case b < 0x20:
				return -1
			case !s.folds[at]:
				if found, _ := specialAt(ln, j); found {
					s.folds[at] = true
				}
			}
		}
		return -1
	case c == 't':
		return literal(ln, i, "true")
	case c == 'f':
		return literal(ln, i, "false")
	case c == 'n':
		return literal(ln, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return number(ln, i)
	}
	return -1 // a nested array or object, or not JSON
}

// stringStop marks the bytes of a JSON string that the scan must look at: its end, an escape,
// a control byte (invalid), and the first bytes of the sequences md_clean folds.
var stringStop = func() (t [256]bool) {
	for b := 0; b < 0x20; b++ {
		t[b] = true
	}
	for _, b := range []byte{'"', '\\', 0xC2, 0xE3, 0xEF} {
		t[b] = true
	}
	return t
}()

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func literal(ln []byte, i int, w string) int {
	if bytes.HasPrefix(ln[i:], []byte(w)) {
		return i + len(w)
	}
	return -1
}

// number reads a JSON number (RFC 8259's grammar) at ln[i:].
func number(ln []byte, i int) int {
	digits := func(i int) (int, bool) {
		j := i
		for j < len(ln) && ln[j] >= '0' && ln[j] <= '9' {
			j++
		}
		return j, j > i
	}
	if ln[i] == '-' {
		i++
	}
	if i < len(ln) && ln[i] == '0' {
		i++
	} else {
		var ok bool
		if i, ok = digits(i); !ok {
			return -1
		}
	}
	if i < len(ln) && ln[i] == '.' {
		var ok bool
		if i, ok = digits(i + 1); !ok {
			return -1
		}
	}
	if i < len(ln) && (ln[i] == 'e' || ln[i] == 'E') {
		i++
		if i < len(ln) && (ln[i] == '+' || ln[i] == '-') {
			i++
		}
		var ok bool
		if i, ok = digits(i); !ok {
			return -1
		}
	}
	return i
}

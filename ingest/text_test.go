package ingest

import (
	"bytes"
	"testing"
)

func TestIndexFirst(t *testing.T) {
	for _, tc := range []struct {
		p       string
		a, b, c byte
		want    int
	}{
		{"abc\n", '\n', '"', '\r', 3},
		{"a\"c\n", '\n', '"', '\r', 1},
		{"ab\r\n", '\n', '"', '\r', 2},
		{"ab\n\"", '\n', '"', '\r', 2}, // the quote after the line end does not count
		{"a\r\"\n", '\n', '"', '\r', 1},
		{"abc", '\n', '"', '\r', -1},
		{"abc\"", '\n', '"', '\r', 3}, // no line end: the others are looked for in all of p
		{"", '\n', '"', '\r', -1},
		{"x\"y", '\n', '"', '"', 1},
	} {
		if got := indexFirst([]byte(tc.p), tc.a, tc.b, tc.c); got != tc.want {
			t.Errorf("indexFirst(%q) = %d, want %d", tc.p, got, tc.want)
		}
		if ref := bytes.IndexAny([]byte(tc.p), string([]byte{tc.a, tc.b, tc.c})); ref != tc.want {
			t.Errorf("bytes.IndexAny(%q) = %d, want %d (the case is wrong)", tc.p, ref, tc.want)
		}
	}
}

// specialRef is the definition lineScanner.special follows, written as a plain loop over the
// whole text: a tab, a carriage return not before a line feed, a no-break space, an ideographic
// space, or a full-width form U+FF01–U+FF5E.
func specialRef(p []byte) bool {
	for i := range p {
		switch {
		case p[i] == '\t':
			return true
		case p[i] == '\r' && i+1 < len(p) && p[i+1] != '\n':
			return true
		case p[i] == 0xC2 && i+1 < len(p) && p[i+1] == 0xA0:
			return true
		case p[i] == 0xE3 && i+2 < len(p) && p[i+1] == 0x80 && p[i+2] == 0x80:
			return true
		case p[i] == 0xEF && i+2 < len(p) && ((p[i+1] == 0xBC && p[i+2] >= 0x81 && p[i+2] <= 0xBF) || (p[i+1] == 0xBD && p[i+2] >= 0x80 && p[i+2] <= 0x9E)):
			return true
		}
	}
	return false
}

// spacedRef is the definition lineScanner.spaced follows: a space at the start or end of the
// text, or next to a delimiter, a quote or a line end.
func spacedRef(p []byte) bool {
	edge := func(b byte) bool { return bytes.IndexByte([]byte(",\t;|\"\n\r"), b) >= 0 }
	for i, b := range p {
		if b == ' ' && (i == 0 || i == len(p)-1 || edge(p[i-1]) || edge(p[i+1])) {
			return true
		}
	}
	return false
}

// FuzzLineScanner feeds text in chunks of every size the fuzzer picks (a read may return any
// amount) and checks the scan against the same text in one chunk, and its special flag against
// the plain definition.
func FuzzLineScanner(f *testing.F) {
	for _, s := range []string{
		"编号,名称\nA1,城东\nA2,\"城\n西\"\n", "a,b\r\n1,2\r\n", "a,b\n1,\t2\n", "a\n１,2\n", "a\n\u3000x\n",
		"a\n\u00a0\n", "h\n\n\nx,\"y\"\"z\"\n", "h\nx\ry\n", "a,b\n\"open\n", "h\n全角ｘ\n", "h\nab\xef\xbd", "a,b\n x,y\n", "a,b\nx ,y\n", "a,b\nx y,z\n", "a,b\nx,\" y\"\n", "a,b\nx,y ", "h\n巡视 记录,1\n",
	} {
		f.Add([]byte(s), uint8(3))
		f.Add([]byte(s), uint8(7))
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		n := 3 + int(size)%61 // a sequence can span two chunks, not three: chunks of 3 bytes and up
		one := newLineScanner('"', 1)
		one.feed(data)
		one.finish()
		many := newLineScanner('"', 1)
		for p := data; len(p) > 0; {
			k := min(n, len(p))
			many.feed(p[:k])
			p = p[k:]
		}
		many.finish()
		if many.spaced != spacedRef(data) || one.spaced != spacedRef(data) {
			t.Errorf("spaced: chunked %v, one chunk %v, definition %v (%q)", many.spaced, one.spaced, spacedRef(data), data)
		}
		if many.special != specialRef(data) || one.special != specialRef(data) {
			t.Errorf("special: chunked %v, one chunk %v, definition %v (%q)", many.special, one.special, specialRef(data), data)
		}
		if many.k != one.k || many.blank != one.blank || many.multiline != one.multiline || many.sawQuote != one.sawQuote ||
			many.inQuote != one.inQuote || many.longest != one.longest || len(many.events) != len(one.events) {
			t.Fatalf("chunks of %d: records %d blank %d multiline %v quote %v/%v longest %d events %d; one chunk: %d %d %v %v/%v %d %d (%q)",
				n, many.k, many.blank, many.multiline, many.sawQuote, many.inQuote, many.longest, len(many.events),
				one.k, one.blank, one.multiline, one.sawQuote, one.inQuote, one.longest, len(one.events), data)
		}
		for i := range one.events {
			if many.events[i] != one.events[i] {
				t.Fatalf("event %d: %+v chunked, %+v in one chunk (%q)", i, many.events[i], one.events[i], data)
			}
		}
	})
}

package xlsxscan

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// decodeText appends raw XML character data to dst the way encoding/xml reads it: entities
// (&amp; &lt; &gt; &apos; &quot;) and character references (&#N; &#xH;) replaced, "\r\n" and a
// lone "\r" read as "\n", and characters outside XML's range refused. CDATA is taken literally
// (line ends still normalised).
func decodeText(dst, raw []byte, cdata bool) ([]byte, error) {
	cr, amp, err := checkChars(raw)
	if err != nil {
		return dst, err
	}
	if !cr && (cdata || !amp) {
		return append(dst, raw...), nil
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case c == '&' && !cdata:
			j := bytes.IndexByte(raw[i+1:], ';')
			if j < 0 {
				return dst, fmt.Errorf("%w: unterminated entity", errSyntax)
			}
			name := raw[i+1 : i+1+j]
			var ok bool
			if dst, ok = appendEntity(dst, name); !ok {
				return dst, fmt.Errorf("%w: invalid entity &%s;", errSyntax, truncate(name))
			}
			i += j + 1
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
}

func truncate(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "…"
	}
	return string(b)
}

func appendEntity(dst, name []byte) ([]byte, bool) {
	switch string(name) {
	case "amp":
		return append(dst, '&'), true
	case "lt":
		return append(dst, '<'), true
	case "gt":
		return append(dst, '>'), true
	case "apos":
		return append(dst, '\''), true
	case "quot":
		return append(dst, '"'), true
	}
	if len(name) < 2 || name[0] != '#' {
		return dst, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return dst, false
	}
	r := 0
	for _, d := range digits {
		var v int
		switch {
		case '0' <= d && d <= '9':
			v = int(d - '0')
		case base == 16 && 'a' <= d && d <= 'f':
			v = int(d-'a') + 10
		case base == 16 && 'A' <= d && d <= 'F':
			v = int(d-'A') + 10
		default:
			return dst, false
		}
		r = r*base + v
		if r > utf8.MaxRune {
			return dst, false
		}
	}
	if !inCharRange(rune(r)) {
		return dst, false
	}
	return utf8.AppendRune(dst, rune(r)), true
}

// inCharRange is XML 1.0's Char production.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// checkChars refuses invalid UTF-8 and characters XML does not allow, as encoding/xml does,
// and tells whether b holds a '\r' or a '&' (what decodeText has to rewrite): one pass over the
// text instead of three.
func checkChars(b []byte) (cr, amp bool, err error) {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 0x20:
				amp = amp || c == '&'
			case c == '\r':
				cr = true
			case c != '\t' && c != '\n':
				return cr, amp, fmt.Errorf("%w: illegal character code U+%04X", errSyntax, c)
			}
			i++
			continue
		}
		// A three-byte sequence led by E1 to EC or EE is always a character XML allows
		// (U+1000 to U+CFFF, U+E000 to U+EFFF: CJK text, nearly every non-ASCII byte of a
		// Chinese sheet), so it needs no decoding; E0, ED, EF and the others take the general path.
		if (c-0xE1 < 0x0C || c == 0xEE) && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return cr, amp, fmt.Errorf("%w: invalid UTF-8", errSyntax)
		}
		if !inCharRange(r) {
			return cr, amp, fmt.Errorf("%w: illegal character code U+%04X", errSyntax, r)
		}
		i += size
	}
	return cr, amp, nil
}

// hasBstr tells whether b holds "_x", the start of an OOXML escape (a loop: values are short,
// and most hold no underscore at all).
func hasBstr(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '_' && b[i+1] == 'x' {
			return true
		}
	}
	return false
}

// appendBstr appends s with the _xHHHH_ escapes of OOXML strings decoded, as excelize's
// bstrUnmarshal does: _x005F_ is a literal underscore, an escape of a surrogate is dropped.
func appendBstr(dst, s []byte) []byte {
	for {
		i := bytes.Index(s, []byte("_x"))
		if i < 0 {
			return append(dst, s...)
		}
		if i+7 <= len(s) && s[i+6] == '_' && isHex4(s[i+2:i+6]) {
			dst = append(dst, s[:i]...)
			v := hex4(s[i+2 : i+6])
			if v < 0xD800 || v > 0xDFFF {
				dst = utf8.AppendRune(dst, rune(v))
			}
			s = s[i+7:]
			continue
		}
		dst = append(dst, s[:i+1]...)
		s = s[i+1:]
	}
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func hex4(b []byte) int {
	v := 0
	for _, c := range b {
		switch {
		case c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a':
			v = v<<4 | int(c-'a'+10)
		default:
			v = v<<4 | int(c-'A'+10)
		}
	}
	return v
}

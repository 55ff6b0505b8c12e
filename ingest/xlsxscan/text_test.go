package xlsxscan

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// checkCharsByRune is XML's rule read rune by rune: valid UTF-8 whose every character is in
// XML 1.0's Char production.
func checkCharsByRune(b []byte) bool {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || !inCharRange(r) {
			return false
		}
		i += size
	}
	return true
}

// TestCheckCharsSameAsRuneByRune compares checkChars with the rune-by-rune rule on every lead
// byte followed by continuation bytes at the edges of their ranges (overlong forms, surrogates,
// U+FFFE and U+FFFF, truncated sequences), alone and between ASCII, and on random bytes; and its
// '\r' and '&' flags with a search for them.
func TestCheckCharsSameAsRuneByRune(t *testing.T) {
	edges := []byte{0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, '&', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBE, 0xBF, 0xC0, 0xFF}
	var cases [][]byte
	for lead := 0; lead < 256; lead++ {
		cases = append(cases, []byte{byte(lead)})
		for _, c1 := range edges {
			cases = append(cases, []byte{byte(lead), c1})
			for _, c2 := range edges {
				cases = append(cases, []byte{byte(lead), c1, c2})
				for _, c3 := range []byte{0x80, 0xBF, 'a'} {
					cases = append(cases, []byte{byte(lead), c1, c2, c3})
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		b := make([]byte, rng.IntN(12))
		for j := range b {
			b[j] = byte(rng.IntN(256))
		}
		cases = append(cases, b)
	}
	for _, c := range cases {
		for _, b := range [][]byte{c, append(append([]byte("a"), c...), 'z'), append([]byte("测"), c...)} {
			cr, amp, err := checkChars(b)
			if want := checkCharsByRune(b); (err == nil) != want {
				t.Fatalf("checkChars(% x): error %v, want valid %v", b, err, want)
			}
			if err != nil {
				continue
			}
			if cr != (bytes.IndexByte(b, '\r') >= 0) || amp != (bytes.IndexByte(b, '&') >= 0) {
				t.Fatalf("checkChars(% x): cr %v amp %v", b, cr, amp)
			}
		}
	}
}

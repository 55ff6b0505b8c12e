package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// shapeOf feeds text to a jsonShape in chunks of size step (chunks cut lines and characters).
func shapeOf(text []byte, step int) *jsonShape {
	s := newJSONShape()
	for len(text) > 0 {
		n := min(step, len(text))
		s.feed(text[:n])
		text = text[n:]
	}
	s.finish()
	return s
}

func TestJSONShapeVouchesOnlyForFlatObjects(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		keys       string // "" when not flat
		plain      string // per key, 1 when no value needs folding
	}{
		{"strings", "{\"a\":\"x\",\"b\":\"y\"}\n{\"b\":\"z\",\"a\":\"w\"}\n", "a b", "11"},
		{"scalars", `{"a":1.5e-3,"b":-0,"c":true,"d":false,"e":null,"f":""}`, "a b c d e f", "111111"},
		{"spaces, CRLF, blank lines", " { \"a\" : \"x\" , \"b\":2 } \r\n\r\n\n{\"a\":\"y\"}", "a b", "11"},
		{"later keys sorted after the first object's", "{\"z\":1,\"y\":2}\n{\"x\":1,\"c\":2,\"y\":3}\n{\"b\":1}\n", "z y b c x", "11111"},
		{"empty object", "{}\n{\"a\":1}\n", "a", "1"},
		{"byte-order mark", "\ufeff{\"a\":1}\n", "a", "1"},
		{"full-width and special spaces", `{"a":"Ｔ０１","b":"x　y","c":"x` + "\u00a0" + `","d":"中文标点","e":"（）"}`, "a b c d e", "00010"},
		{"escapes", `{"a":"\t","b":"\n","c":"\u0041","d":"\"\\\/\b\f","e":"\r"}`, "a b c d e", "00010"},
		{"nested object", `{"a":{"b":1}}`, "", ""},
		{"nested array", "{\"a\":1}\n{\"a\":[1]}\n", "", ""},
		{"repeated key", `{"a":1,"a":2}`, "", ""},
		{"escape in a key", `{"\u0061":1}`, "", ""},
		{"two objects on a line", `{"a":1}{"a":2}`, "", ""},
		{"object over two lines", "{\"a\":1,\n\"b\":2}\n", "", ""},
		{"a line of spaces", "{\"a\":1}\n   \n{\"a\":2}\n", "", ""},
		{"array line", "[1,2]\n", "", ""},
		{"scalar line", "\"a\"\n", "", ""},
		{"trailing comma", `{"a":1,}`, "", ""},
		{"bad number", `{"a":01}`, "", ""},
		{"bad number 2", `{"a":1.}`, "", ""},
		{"NaN", `{"a":NaN}`, "", ""},
		{"bad literal", `{"a":tru}`, "", ""},
		{"control byte in a string", "{\"a\":\"x\ty\"}", "", ""},
		{"bad escape", `{"a":"\x"}`, "", ""},
		{"short unicode escape", `{"a":"\u12"}`, "", ""},
		{"unterminated string", `{"a":"x}`, "", ""},
		{"no keys at all", "{}\n\n", "", ""},
	} {
		for _, step := range []int{1, 3, 7, 1 << 20} {
			s := shapeOf([]byte(tc.text), step)
			keys, ok := s.flatKeys()
			got := strings.Join(keys, " ")
			if !ok {
				got = ""
			}
			if got != tc.keys {
				t.Errorf("%s (chunks of %d): keys %q, want %q", tc.name, step, got, tc.keys)
				continue
			}
			if ok {
				var plain strings.Builder
				for _, p := range s.plainKeys(keys) {
					plain.WriteString(map[bool]string{true: "1", false: "0"}[p])
				}
				if plain.String() != tc.plain {
					t.Errorf("%s (chunks of %d): plain %s, want %s", tc.name, step, plain.String(), tc.plain)
				}
			}
		}
	}
}

// FuzzJSONShape checks jsonShape against encoding/json: whatever it calls flat, every line of,
// is a JSON object of scalar values without a repeated key, its keys are the union of the
// lines' keys, and a key it calls plain has no value holding a character md_clean folds.
func FuzzJSONShape(f *testing.F) {
	for _, s := range []string{"{\"a\":\"x\"}\n{\"b\":1}\n", `{"a":"\u3000","b":[1]}`, "{\"a\":\"Ｔ\"}\r\n\r\n{\"a\":null}", `{"a":1,"a":2}`, "\ufeff{\"k\":true}"} {
		f.Add([]byte(s), 5)
	}
	f.Fuzz(func(t *testing.T, text []byte, step int) {
		if step <= 0 || step > len(text)+1 {
			step = len(text) + 1
		}
		if !utf8.Valid(text) {
			return // refused by the byte pass before the shape is asked
		}
		s := shapeOf(text, step)
		keys, ok := s.flatKeys()
		if !ok {
			return
		}
		plain := s.plainKeys(keys)
		seen := map[string]bool{}
		for n, ln := range bytes.Split(text, []byte("\n")) {
			if n == 0 {
				ln = bytes.TrimPrefix(ln, []byte("\ufeff"))
			}
			if len(bytes.Trim(ln, "\r")) == 0 {
				continue
			}
			dec := json.NewDecoder(bytes.NewReader(ln))
			dec.UseNumber()
			if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
				t.Fatalf("line %d %q called flat, but it is not an object", n+1, ln)
			}
			inLine := map[string]bool{}
			for dec.More() {
				tok, err := dec.Token()
				k, isKey := tok.(string)
				if err != nil || !isKey || inLine[k] {
					t.Fatalf("line %d %q called flat: key %v, %v", n+1, ln, tok, err)
				}
				inLine[k], seen[k] = true, true
				v, err := dec.Token()
				if err != nil {
					t.Fatalf("line %d %q called flat: %v", n+1, ln, err)
				}
				if _, nested := v.(json.Delim); nested {
					t.Fatalf("line %d %q called flat with a nested value", n+1, ln)
				}
				if str, isStr := v.(string); isStr && strings.ContainsAny(str, "\t\r\n\u3000\u00a0") || strings.ContainsFunc(fmt.Sprint(v), func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E }) {
					if i := slices.Index(keys, k); i < 0 || plain[i] {
						t.Fatalf("line %d %q: key %q called plain, but %q needs folding", n+1, ln, k, str)
					}
				}
			}
			if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
				t.Fatalf("line %d %q called flat: end %v, %v", n+1, ln, tok, err)
			}
			if _, err := dec.Token(); err == nil {
				t.Fatalf("line %d %q called flat, but more follows the object", n+1, ln)
			}
		}
		if len(seen) != len(keys) {
			t.Fatalf("keys %q, but the lines have %v", keys, seen)
		}
		for _, k := range keys {
			if !seen[k] {
				t.Fatalf("key %q is in no line", k)
			}
		}
	})
}

// BenchmarkJSONShape measures the shape scan on patrol-like lines (MB/s in the output): the
// part of the NDJSON byte pass beyond the hash, the UTF-8 check and the line scan.
func BenchmarkJSONShape(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < 8<<20; i++ {
		fmt.Fprintf(&buf, `{"发现缺陷数":"%d","巡视人数":"3","巡视日期":"2021-01-03","巡视类型":"正常巡视","巡视编号":"XS2021-%07d","巡视里程":"20.8","是否完成":"是","班组":"BZ00001","电压等级":"220千伏","线路名称":"紫金三线","计划内":"是"}`+"\n", i%3, i)
	}
	text := buf.Bytes()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, ok := shapeOf(text, 1<<20).flatKeys(); !ok {
			b.Fatal("not flat")
		}
	}
}

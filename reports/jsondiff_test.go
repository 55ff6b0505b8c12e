package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"testing"
)

// jsonDiff compares two JSON documents as values: object key order and number spelling
// (1e+06, 1000000) do not matter, a missing key and a null one do. It returns "" when they are
// the same value, else the path of the first difference with both sides. The golden test uses it
// to tell a change of layout (same option, keys in another order) from a change of the chart.
func jsonDiff(a, b []byte) (string, error) {
	va, err := decodeNumbers(a)
	if err != nil {
		return "", fmt.Errorf("first document: %w", err)
	}
	vb, err := decodeNumbers(b)
	if err != nil {
		return "", fmt.Errorf("second document: %w", err)
	}
	return valueDiff("$", va, vb), nil
}

func decodeNumbers(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func valueDiff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %s, then %s", path, brief(a), brief(b))
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			va, ina := x[k]
			vb, inb := y[k]
			switch {
			case !ina:
				return fmt.Sprintf("%s.%s: absent, then %s", path, k, brief(vb))
			case !inb:
				return fmt.Sprintf("%s.%s: %s, then absent", path, k, brief(va))
			}
			if d := valueDiff(path+"."+k, va, vb); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: %s, then %s", path, brief(a), brief(b))
		}
		for i := range x {
			if d := valueDiff(path+"["+strconv.Itoa(i)+"]", x[i], y[i]); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		y, ok := b.(json.Number)
		if ok {
			fa, ea := x.Float64()
			fb, eb := y.Float64()
			if ea == nil && eb == nil && fa == fb {
				return ""
			}
		}
		return fmt.Sprintf("%s: %s, then %s", path, brief(a), brief(b))
	}
	if a == b { // string, bool, nil
		return ""
	}
	return fmt.Sprintf("%s: %s, then %s", path, brief(a), brief(b))
}

// brief writes a value for a message: scalars whole, arrays and objects by size.
func brief(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return fmt.Sprintf("an object of %d keys", len(x))
	case []any:
		return fmt.Sprintf("an array of %d", len(x))
	case string:
		return strconv.Quote(x)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

func TestJSONDiff(t *testing.T) {
	for _, c := range []struct {
		a, b, want string
	}{
		{`{"a":1,"b":[1,2]}`, `{"b":[1,2],"a":1}`, ""},
		{`{"a":1000000}`, `{"a":1e+06}`, ""},
		{`{"a":0.7}`, `{"a":0.699999988079071}`, `$.a: 0.7, then 0.699999988079071`},
		{`{"a":48}`, `{"a":"48"}`, `$.a: 48, then "48"`},
		{`{"a":{"b":null}}`, `{"a":{}}`, `$.a.b: null, then absent`},
		{`{"a":{}}`, `{"a":{"b":false}}`, `$.a.b: absent, then false`},
		{`{"s":[{"x":[1,2]},{"x":[1,3]}]}`, `{"s":[{"x":[1,2]},{"x":[1,2]}]}`, `$.s[1].x[1]: 3, then 2`},
		{`[1,2]`, `[1,2,3]`, `$: an array of 2, then an array of 3`},
		{`{"a":"x"}`, `{"a":["x"]}`, `$.a: "x", then an array of 1`},
	} {
		got, err := jsonDiff([]byte(c.a), []byte(c.b))
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("jsonDiff(%s, %s) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
	if _, err := jsonDiff([]byte(`{"a":`), []byte(`{}`)); err == nil {
		t.Error("broken JSON: no error")
	}
}

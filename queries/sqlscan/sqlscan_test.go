package sqlscan_test

import (
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries/sqlscan"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string
		complete bool
	}{
		{"one", "select 1", []string{"select 1"}, false},
		{"one terminated", "select 1;", []string{"select 1"}, true},
		{"two", "select 1; select 2;", []string{"select 1", "select 2"}, true},
		{"semicolon in string", "select 'a;b'; select 2", []string{"select 'a;b'", "select 2"}, false},
		{"escaped quote", "select 'it''s; fine';", []string{"select 'it''s; fine'"}, true},
		{"quoted identifier", `select 1 as "x;y";`, []string{`select 1 as "x;y"`}, true},
		{"line comment", "select 1 -- not; here\n;", []string{"select 1 -- not; here"}, true},
		{"block comment", "select /* ; */ 1;", []string{"select /* ; */ 1"}, true},
		{"dollar quote", "select $$a;b$$; select $tag$ ; $tag$;", []string{"select $$a;b$$", "select $tag$ ; $tag$"}, true},
		{"positional parameter is not a dollar quote", "select $1; select 2;", []string{"select $1", "select 2"}, true},
		{"unterminated string", "select 'abc; select 2", []string{"select 'abc; select 2"}, false},
		{"unterminated block comment", "select 1 /* ;", []string{"select 1 /* ;"}, false},
		{"empty statements dropped", " ; ;\n select 1;;", []string{"select 1"}, true},
		{"only comments", "-- hello\n/* x */", nil, true},
		{"chinese", "select '党小组；会议' as 名称;", []string{"select '党小组；会议' as 名称"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, complete := sqlscan.Split(tt.in)
			var texts []string
			for _, s := range got {
				texts = append(texts, s.Text)
			}
			if strings.Join(texts, "|") != strings.Join(tt.want, "|") || complete != tt.complete {
				t.Errorf("Split(%q) = %q, complete=%v; want %q, %v", tt.in, texts, complete, tt.want, tt.complete)
			}
		})
	}
}

func TestSplitReportsLines(t *testing.T) {
	got, _ := sqlscan.Split("select 1;\n\n  select\n 2;")
	if len(got) != 2 || got[0].Line != 1 || got[1].Line != 3 {
		t.Fatalf("lines: %+v", got)
	}
}

// FuzzSplit checks that splitting never panics, never loses text outside the separators, and
// that every statement is a substring of the input.
func FuzzSplit(f *testing.F) {
	for _, seed := range []string{"select 1;", "select 'a;b'", "$$;$$", "/* ; */", "-- ;\n;", `"a""b";`, "$a$ $a$;", "'", "$1$"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		stmts, _ := sqlscan.Split(in)
		for _, s := range stmts {
			if s.Text == "" || !strings.Contains(in, s.Text) {
				t.Fatalf("statement %q is empty or not from the input %q", s.Text, in)
			}
			if s.Line < 1 || s.Line > strings.Count(in, "\n")+1 {
				t.Fatalf("line %d out of range for %q", s.Line, in)
			}
		}
	})
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		ok   bool
	}{
		{"one", "a AS (SELECT 1)", []string{"a AS (SELECT 1)"}, true},
		{"two", "a AS (SELECT 1, 2),\nb AS (SELECT x FROM a)", []string{"a AS (SELECT 1, 2)", "b AS (SELECT x FROM a)"}, true},
		{"comma in string", "a AS (SELECT ','), b", []string{"a AS (SELECT ',')", "b"}, true},
		{"comma in comment", "a -- x, y\n, b /* , */", []string{"a -- x, y", "b /* , */"}, true},
		{"paren in string", "a AS (SELECT ')'), b", []string{"a AS (SELECT ')')", "b"}, true},
		{"quoted identifier", `"a,b", c`, []string{`"a,b"`, "c"}, true},
		{"parameter", "a AS (SELECT $period, $unit), b", []string{"a AS (SELECT $period, $unit)", "b"}, true},
		{"unbalanced", "a AS (SELECT 1", nil, false},
		{"closed too often", "a), b", nil, false},
		{"unterminated string", "a AS (SELECT ')", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := sqlscan.SplitList(tt.in)
			if ok != tt.ok || (ok && strings.Join(got, "|") != strings.Join(tt.want, "|")) {
				t.Errorf("SplitList(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

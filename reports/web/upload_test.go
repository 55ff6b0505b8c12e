package web

import (
	"path/filepath"
	"strings"
	"testing"
)

// The client names the uploaded file: only a plain base name may reach the upload folder.
func TestSafeNameKeepsOnlyABaseName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2024年党小组会议记录.csv", "2024年党小组会议记录.csv"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\办公室\Desktop\会议.xlsx`, "会议.xlsx"},
		{"..", ""},
		{".hidden.csv", "hidden.csv"},
		{"a\x00b?.csv", "a_b_.csv"},
		{"/", ""},
		{"", ""},
	} {
		if got := safeName(c.in); got != c.want {
			t.Errorf("safeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"a.csv", "../x", `..\..\y.xlsx`, "\x00", "名.json"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := safeName(name)
		if got == "" {
			return
		}
		if strings.ContainsAny(got, "/\\\x00") || strings.HasPrefix(got, ".") || filepath.Base(got) != got {
			t.Fatalf("safeName(%q) = %q: not a plain base name", name, got)
		}
	})
}

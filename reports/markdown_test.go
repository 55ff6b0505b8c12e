package reports

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMarkdownEscapesOnlyMarkup: text a reader reads in the Markdown file shows as written
// ("p < 0.001", "A&B"), while data that would be markup is backslash-escaped.
func TestMarkdownEscapesOnlyMarkup(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"校正后 p < 0.001", "校正后 p < 0.001"},
		{"p > 0.05", "p > 0.05"},
		{"A&B 班组", "A&B 班组"},
		{"&amp; 与 &#60;", `\&amp; 与 &\#60;`}, // "\#" already breaks the reference
		{evilName, `\<img src=x onerror=alert(1)>`},
		{"</p><!-- x --><?php <http://x>", `\</p>\<!-- x -->\<?php \<http://x>`},
		{"a_b*c[d]|e#f`g", "a\\_b\\*c\\[d\\]\\|e\\#f\\`g"},
		{"两行\n文字", "两行 文字"},
	} {
		if got := md(c.in); got != c.want {
			t.Errorf("md(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := mdLine("> 引用"); got != `\> 引用` {
		t.Errorf("mdLine: %q", got)
	}
}

// TestMarkdownReadsAsWritten renders the fixture reports' Markdown: no HTML entity appears in
// the text a reader sees, and (when pandoc is on the machine) a CommonMark renderer turns
// the hostile name into text, not an element, and shows "p < 0.001".
func TestMarkdownReadsAsWritten(t *testing.T) {
	pandoc, _ := exec.LookPath("pandoc")
	if pandoc == "" && os.Getenv("CI") != "" {
		t.Fatal("pandoc not found: make test installs it (test-deps)")
	}
	for name, r := range fixtureReports() {
		var m bytes.Buffer
		if err := WriteMarkdown(&m, r); err != nil {
			t.Fatal(err)
		}
		text := m.String()
		for _, ent := range []string{"&lt;", "&gt;", "&amp;"} {
			if strings.Contains(text, ent) {
				i := strings.Index(text, ent)
				t.Errorf("%s.md shows the HTML entity %s: …%s…", name, ent, text[max(0, i-60):min(len(text), i+20)])
			}
		}
		if strings.HasPrefix(name, "evaluation") && !strings.Contains(text, "p < 0.001") {
			t.Errorf("%s.md: no \"p < 0.001\"", name)
		}
		if pandoc == "" {
			continue
		}
		cmd := exec.Command(pandoc, "-f", "commonmark", "-t", "html")
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pandoc: %v", err)
		}
		if bytes.Contains(out, []byte("<img")) {
			t.Errorf("%s.md renders the hostile name as an element", name)
		}
		if strings.Contains(text, `\<img`) && !bytes.Contains(out, []byte("&lt;img src=x onerror=alert(1)&gt;")) {
			t.Errorf("%s.md: the hostile name is not rendered as text", name)
		}
		if strings.HasPrefix(name, "evaluation") && !bytes.Contains(out, []byte("p &lt; 0.001")) {
			t.Errorf("%s.md: rendered HTML lacks the text p < 0.001", name)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// On screen, analyze names methods and metrics in the user's language and shows the main
// estimate (fixed effects) first; files keep the stable codes other tools read.
func TestAnalyzeTableIsReadableAndFilesStayStable(t *testing.T) {
	db := ingestedTiny(t)
	r := mingdeng(t, "analyze", "--db", db, "--outcome", "violations_per_100_staff")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	lines := strings.Split(r.stdout, "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "方法") || !strings.HasPrefix(lines[2], "双向固定效应面板回归") || !strings.Contains(r.stdout, "百人违章数") {
		t.Fatalf("screen table:\n%s", r.stdout)
	}
	r = mingdeng(t, "analyze", "--db", db, "--outcome", "violations_per_100_staff", "--lang", "en")
	if r.code != 0 || !strings.Contains(r.stdout, "two-way fixed-effect panel regression") || !strings.Contains(r.stdout, "violations per 100 staff") {
		t.Fatalf("English screen table:\n%s", r.stdout)
	}
	out := filepath.Join(t.TempDir(), "a.csv")
	if r = mingdeng(t, "analyze", "--db", db, "--outcome", "violations_per_100_staff", "--format", "csv", "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(strings.TrimPrefix(string(b), "\uFEFF"), "method,activity,outcome,lag") || !strings.Contains(string(b), "panel_fe") {
		t.Fatalf("csv file lost its stable codes: %.200s", b)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without --year the evaluation shows the latest assessed year (2024 in the tiny set), not
// the calendar's previous year, which usually has no assessments yet.
func TestEvaluationDefaultsToTheLatestAssessedYear(t *testing.T) {
	db := ingestedTiny(t)
	out := t.TempDir()
	if r := mingdeng(t, "report", "evaluation", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	md, err := os.ReadFile(filepath.Join(out, "evaluation.md"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(md), "各半年考评等次分布")
	if i < 0 {
		t.Fatal("no grade distribution section")
	}
	section := string(md[i:min(len(md), i+800)])
	for _, half := range []string{"| 2024H1 |", "| 2024H2 |"} {
		if !strings.Contains(section, half) {
			t.Errorf("grade distribution lacks %s:\n%s", half, section)
		}
	}
}

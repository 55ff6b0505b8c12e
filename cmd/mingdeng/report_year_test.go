package main

import (
	"os"
	"path/filepath"
	"strconv"
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
	for _, half := range []string{"| 2024年上半年 |", "| 2024年下半年 |"} {
		if !strings.Contains(section, half) {
			t.Errorf("grade distribution lacks %s:\n%s", half, section)
		}
	}
}

// The annual write-up covers one year (the latest assessed) by default: its period is that
// year and no group is expected to meet more than 12 times in it.
func TestAnnualDefaultsToOneYear(t *testing.T) {
	db := ingestedTiny(t)
	out := t.TempDir()
	if r := mingdeng(t, "report", "annual", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	md, err := os.ReadFile(filepath.Join(out, "annual.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	if !strings.Contains(text, "2024-01-01 — 2024-12-31") {
		t.Errorf("annual period is not 2024:\n%.400s", text)
	}
	i := strings.Index(text, "| 党小组 | 单位 | 未达到要求的月数 | 应开会月数 |")
	if i < 0 {
		t.Fatal("no table of groups that missed monthly meetings (the tiny set has some)")
	}
	for _, line := range strings.Split(text[i:], "\n")[2:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 4 || cells[1] == "" {
			t.Errorf("row without a unit: %q", line)
			continue
		}
		if n, err := strconv.Atoi(cells[3]); err != nil || n > 12 {
			t.Errorf("a group was expected to meet %s months in one year: %q", cells[3], line)
		}
	}
}

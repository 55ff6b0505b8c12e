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

// What a user reads in analyze's warnings on the small sample set: regressors by their label
// and lag in the user's language (not leader_trained@1), and the saturated fixed-effects fits
// (few groups and periods for the activities) as not estimated, with no interval or p-value.
func TestAnalyzeScreenNamesRegressorsAndSaysNoTest(t *testing.T) {
	db := ingestedTiny(t)
	for _, c := range []struct {
		lang, label, saturated string
	}{
		{"zh", "解释变量“党小组长参加培训（滞后 1 期）”是“党小组会次数”", "没有剩余自由度"},
		{"en", `"group leader trained (lag 1)" is a linear combination of "group meetings held"`, "no residual degrees of freedom"},
	} {
		r := mingdeng(t, "analyze", "--db", db, "--outcome", "violations_per_100_staff", "--lang", c.lang)
		if r.code != 0 {
			t.Fatalf("%+v", r)
		}
		if !strings.Contains(r.stdout, c.label) {
			t.Errorf("%s: the screen does not name the regressor by its label %q:\n%s", c.lang, c.label, r.stdout)
		}
		if strings.Contains(r.stdout, `@0"`) || strings.Contains(r.stdout, `@1"`) {
			t.Errorf("%s: the screen names a regressor by its key:\n%s", c.lang, r.stdout)
		}
		n := 0
		for _, l := range strings.Split(r.stdout, "\n") {
			if !strings.Contains(l, c.saturated) {
				continue
			}
			n++
			if strings.Contains(l, "[") || strings.Contains(l, "< 0.001") {
				t.Errorf("%s: a saturated fit shows an interval or a p-value: %s", c.lang, l)
			}
		}
		if n == 0 {
			t.Errorf("%s: no fit says %q:\n%s", c.lang, c.saturated, r.stdout)
		}
	}
}

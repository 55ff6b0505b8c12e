package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/reports"
)

// companyCLI makes the generated company data with the CLI itself (gen, init, ingest), as a
// new user would, and returns the warehouse path. Slow (tens of seconds): skipped with -short.
func companyCLI(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("company scale: skipped with -short")
	}
	dir := t.TempDir()
	src, db := filepath.Join(dir, "src"), filepath.Join(dir, "w.duckdb")
	for _, args := range [][]string{
		{"gen", "--scale", "company", "--seed", "7", "--out", src},
		{"init", "--db", db},
		{"ingest", "--db", db, src},
	} {
		if r := mingdeng(t, args...); r.code != 0 {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	return db
}

// sourceCommand is a command line in a report's 数据来源 list: `mingdeng …`.
var sourceCommand = regexp.MustCompile("— `(mingdeng [^`]+)`")

// shellWords splits a command line as a POSIX shell would for the quoting shellWord writes
// (plain words and single-quoted strings, '\” for a quote inside one).
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in, started := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case in && c == '\'':
			in = false
		case in:
			cur.WriteByte(c)
		case c == '\'':
			in, started = true, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			started = true
		case c == ' ':
			if started {
				words = append(words, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if in {
		return nil, fmt.Errorf("unterminated quote in %s", s)
	}
	if started {
		words = append(words, cur.String())
	}
	return words, nil
}

// On the generated company data, under a configuration with 优秀 at 85: every command a
// report lists under 数据来源 runs as printed (with the user's --db) and exits 0 with JSON; the
// assess command reproduces the report's grade counts; and --unit/--group by name, unknown or
// ambiguous behave as the user is told.
func TestReportSourcesRunAsPrinted(t *testing.T) {
	db := companyCLI(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(cfg, []byte("assessment:\n  grades:\n    excellent: 85\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	reportsRun := []struct {
		args []string
		file string
	}{
		{[]string{"report", "evaluation"}, "evaluation.md"},
		{[]string{"report", "annual"}, "annual.md"},
		{[]string{"report", "evaluation", "--unit", "城东供电所", "--from", "2023-01-01", "--to", "2024-12-31"}, "evaluation.md"},
		{[]string{"report", "group", "--group", "营业党小组", "--unit", "城东供电所"}, ""},
	}
	seen := map[string]bool{}
	compared := false
	for _, rr := range reportsRun {
		args := append(append([]string{}, rr.args...), "--db", db, "--out", out, "--config", cfg)
		r := mingdeng(t, args...)
		if r.code != 0 {
			t.Fatalf("%v: %+v", rr.args, r)
		}
		file := rr.file
		if file == "" {
			m := regexp.MustCompile(`group-[A-Z0-9]+\.md`).FindString(r.stdout)
			if m == "" {
				t.Fatalf("no group file in %s", r.stdout)
			}
			file = m
		}
		md, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		cmds := sourceCommand.FindAllStringSubmatch(string(md), -1)
		if len(cmds) < 3 {
			t.Fatalf("%v: only %d source commands", rr.args, len(cmds))
		}
		for _, m := range cmds {
			line := m[1]
			if sub := strings.Fields(line)[1]; sub != "check" && !strings.Contains(line, "--config") {
				t.Errorf("%s: the command leaves out the --config the report used", line)
			}
			if seen[line] {
				continue
			}
			seen[line] = true
			words, err := shellWords(line)
			if err != nil {
				t.Fatal(err)
			}
			res := mingdeng(t, append(words[1:], "--db", db)...)
			if res.code != 0 {
				t.Errorf("%s: exit %d: %s", line, res.code, res.stderr)
				continue
			}
			if !json.Valid([]byte(res.stdout)) {
				t.Errorf("%s: not JSON: %.200s", line, res.stdout)
			}
			// The grade table is of the assessment year; 同比 figures list the year before too.
			if grades := gradeSection(string(md)); words[1] == "assess" && file == "evaluation.md" && len(rr.args) == 2 && strings.Contains(grades, "| "+yearOf(words)+"年上半年 |") {
				checkGradeCounts(t, grades, res.stdout)
				compared = true
			}
		}
	}

	if !compared {
		t.Error("the evaluation lists no assess command to compare its grade counts with")
	}

	for _, tt := range []struct {
		args []string
		lang string
		want string
	}{
		{[]string{"report", "evaluation", "--unit", "DW9999"}, "zh", "没有这个单位"},
		{[]string{"report", "evaluation", "--unit", "城东所"}, "zh", "最接近的是：DW0007 城东供电所"},
		{[]string{"report", "evaluation", "--unit", "城东所"}, "en", "The closest: DW0007 城东供电所"},
		{[]string{"report", "group", "--group", "营业党小组"}, "zh", "对应 15 个党小组"},
		{[]string{"report", "group", "--group", "营业党小组"}, "en", "matches 15 party groups"},
	} {
		r := mingdeng(t, append(tt.args, "--db", db, "--out", out, "--lang", tt.lang)...)
		if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v --lang %s: exit %d, %q (want exit 1 with %q)", tt.args, tt.lang, r.code, r.stderr, tt.want)
		}
	}
}

// checkGradeCounts compares the evaluation's grade table with the assess command's JSON.
func checkGradeCounts(t *testing.T, md, assessJSON string) {
	t.Helper()
	var rows []map[string]any
	if err := json.Unmarshal([]byte(assessJSON), &rows); err != nil {
		var wrapped struct {
			Rows []map[string]any `json:"rows"`
		}
		if err2 := json.Unmarshal([]byte(assessJSON), &wrapped); err2 != nil {
			t.Fatalf("assess JSON: %v", err)
		}
		rows = wrapped.Rows
	}
	counts := map[string]map[string]int{}
	for _, r := range rows {
		h, _ := r["half"].(string)
		g, _ := r["grade"].(string)
		if counts[h] == nil {
			counts[h] = map[string]int{}
		}
		counts[h][g]++
	}
	if len(counts) == 0 {
		t.Fatalf("assess printed no rows: %.200s", assessJSON)
	}
	for h, c := range counts {
		// The report writes the half as a reader does (2024年上半年); assess's JSON keeps 2024H1.
		line := fmt.Sprintf("| %s | %d | %d | %d | %d |", reports.PeriodInWords(h, datasets.Zh), c["excellent"], c["qualified"], c["basic"], c["unqualified"])
		if !strings.Contains(md, line) {
			t.Errorf("the evaluation's grade table lacks assess's %s", line)
		}
	}
}

// The command reports used to print for the assessment totals runs: query takes --year.
func TestQueryAssessmentTotalsTakesTheYear(t *testing.T) {
	db := ingestedTiny(t)
	r := mingdeng(t, "query", "assessment_totals", "--year", "2024", "--db", db, "--format", "csv")
	if r.code != 0 || !strings.Contains(r.stdout, "2024H1") || !strings.Contains(r.stdout, "2024H2") {
		t.Fatalf("%+v", r)
	}
}

// yearOf is the value of --year in a command's words.
func yearOf(words []string) string {
	for i, w := range words {
		if w == "--year" && i+1 < len(words) {
			return words[i+1]
		}
	}
	return ""
}

// gradeSection is the evaluation's grade distribution: its heading to the next heading.
func gradeSection(md string) string {
	i := strings.Index(md, "各半年考评等次分布")
	if i < 0 {
		return ""
	}
	rest := md[i:]
	if j := strings.Index(rest, "\n#"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

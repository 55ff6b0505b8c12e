package build_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/build"
)

// companyDB is the generated company scale (seed 7), ingested once for the package: every
// test reads it through the production path (generator → ingest → build).
var companyDB string

func TestMain(m *testing.M) {
	code := func() int {
		dir, err := os.MkdirTemp("", "mingdeng-build-test")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		if companyDB, err = ingestGenerated(dir, synth.Options{Scale: synth.ScaleCompany, Seed: 7}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// ingestGenerated generates opt into dir/src and ingests it into dir/w.duckdb.
func ingestGenerated(dir string, opt synth.Options) (string, error) {
	ctx := context.Background()
	opt.Out = filepath.Join(dir, "src")
	if _, err := synth.Generate(ctx, opt, nil); err != nil {
		return "", fmt.Errorf("generate: %w", err)
	}
	db := filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(ctx, db, warehouse.Options{Create: true})
	if err != nil {
		return "", err
	}
	defer w.Close()
	// As mingdeng ingest does: the declared hypotheses go on record before the data.
	if err := queries.RecordHypotheses(ctx, w.DB(), queries.DefaultConfig().Hypotheses); err != nil {
		return "", err
	}
	sum, err := ingest.Ingest(ctx, w, []string{opt.Out}, ingest.Options{Key: []byte("a-test-key-of-enough-length")})
	if err == nil {
		err = sum.Err()
	}
	return db, err
}

// open opens the company warehouse read-only, as report and serve do.
func open(t *testing.T) *warehouse.Warehouse {
	t.Helper()
	w, err := warehouse.Open(context.Background(), companyDB, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// markdown renders a report as the user reads it in the .md file.
func markdown(t *testing.T, r *reports.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := reports.WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A unit given by name or by code makes the same report, titled with the unit's name.
func TestUnitByNameOrCode(t *testing.T) {
	w := open(t)
	ctx := context.Background()
	var pages []string
	for _, unit := range []string{"城东供电所", "DW0007"} {
		res, err := build.Build(ctx, w, build.Request{Kind: build.Evaluation, Unit: unit})
		if err != nil {
			t.Fatalf("%s: %v", unit, err)
		}
		if res.Unit.Code != "DW0007" || res.Unit.Name != "城东供电所" {
			t.Errorf("%s resolved to %+v", unit, res.Unit)
		}
		if res.Report.Title != "城东供电所 党建成效评估报告" {
			t.Errorf("%s: title %q", unit, res.Report.Title)
		}
		md := markdown(t, res.Report)
		// The generated time differs between runs; the rest must not.
		pages = append(pages, md[strings.Index(md, "\n## "):])
	}
	if pages[0] != pages[1] {
		t.Error("the report by name differs from the report by code")
	}
}

// A unit or group that names nothing, or more than one thing, is an error that lists the
// candidates or the closest names, in the user's language; nothing is built.
func TestScopeErrors(t *testing.T) {
	w := open(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name        string
		req         build.Request
		ambiguous   bool
		first       string // the first candidate's code
		zh, en      string // in the message
		matchesLeft int    // at least this many candidates
	}{
		{"unknown unit code", build.Request{Kind: build.Evaluation, Unit: "DW9999"}, false, "", "没有这个单位", "no such unit", 1},
		{"misspelt unit name", build.Request{Kind: build.Annual, Unit: "城东所"}, false, "DW0007", "最接近的是：DW0007 城东供电所", "The closest: DW0007 城东供电所", 1},
		{"shared group name", build.Request{Kind: build.Group, Group: "营业党小组"}, true, "", "对应 15 个党小组", "matches 15 party groups", 15},
		{"unknown group in a unit", build.Request{Kind: build.Group, Group: "没有的党小组", Unit: "城东供电所"}, false, "", "没有这个党小组", "no such party group", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build.Build(ctx, w, tt.req)
			var se *build.ScopeError
			if !errors.As(err, &se) {
				t.Fatalf("want a *ScopeError, got %v", err)
			}
			if se.Ambiguous != tt.ambiguous || len(se.Matches) < tt.matchesLeft {
				t.Errorf("ambiguous %v, %d matches: %+v", se.Ambiguous, len(se.Matches), se.Matches)
			}
			if tt.first != "" && se.Matches[0].Code != tt.first {
				t.Errorf("closest first: %+v", se.Matches[0])
			}
			if zh := se.Message(datasets.Zh); !strings.Contains(zh, tt.zh) {
				t.Errorf("zh: %s", zh)
			}
			if en := se.Message(datasets.En); !strings.Contains(en, tt.en) {
				t.Errorf("en: %s", en)
			}
		})
	}
}

// A group name shared across units is resolved within --unit, and the drill-down is titled
// with the group's name.
func TestGroupByNameWithinUnit(t *testing.T) {
	w := open(t)
	res, err := build.Build(context.Background(), w, build.Request{Kind: build.Group, Group: "营业党小组", Unit: "城东供电所"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Group.Where != "城东供电所" || res.Name != "group-"+res.Group.Code {
		t.Errorf("group %+v, name %s", res.Group, res.Name)
	}
	if !strings.Contains(res.Report.Title, "营业党小组") {
		t.Errorf("title %q", res.Report.Title)
	}
	// The header names the branch, never its code.
	branch := ""
	for _, kv := range res.Report.Meta {
		if kv.Key == "党支部" {
			branch = kv.Value
		}
	}
	if branch == "" || regexp.MustCompile(`^ZB\d+$`).MatchString(branch) || branch != res.Group.Branch {
		t.Errorf("党支部 %q (resolved %q)", branch, res.Group.Branch)
	}
}

// Mistakes in the request itself are *RequestError (the CLI's usage errors).
func TestRequestErrors(t *testing.T) {
	w := open(t)
	for _, req := range []build.Request{
		{Kind: "weekly"},
		{Kind: build.Group},
		{Kind: build.Evaluation, Period: "fortnight"},
		{Kind: build.Spec},
	} {
		_, err := build.Build(context.Background(), w, req)
		var re *build.RequestError
		if !errors.As(err, &re) {
			t.Errorf("%+v: want a *RequestError, got %v", req, err)
		}
	}
}

// With 优秀 at 85 in the configuration, the evaluation's grade counts, the annual write-up's
// groups needing help and the group drill-down's grades are those of queries.Assess (what
// mingdeng assess prints) under the same rules, and the captions state the thresholds in force.
func TestReportsGradeAsTheAssessmentRules(t *testing.T) {
	w := open(t)
	ctx := context.Background()
	cfg := queries.DefaultConfig()
	cfg.Assessment.Grades.Excellent = 85
	ev, err := build.Build(ctx, w, build.Request{Kind: build.Evaluation, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	md := markdown(t, ev.Report)
	year := 0
	grades := md[strings.Index(md, "各半年考评等次分布"):]
	fmt.Sscanf(grades[strings.Index(grades, "| 20"):], "| %d", &year)
	a, err := queries.Assess(ctx, w.DB(), year, "", cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int{}
	help, twice := 0, 0
	for _, r := range a.Rows {
		if want[r.Half] == nil {
			want[r.Half] = map[string]int{}
		}
		want[r.Half][r.Grade]++
		if r.HelpNeeded {
			help++
		}
		if r.TwoInARow {
			twice++
		}
	}
	if want[fmt.Sprintf("%dH1", year)][queries.GradeExcellent] == 0 {
		t.Fatalf("no group is excellent at 85 in %d: the test shows nothing", year)
	}
	// The grade table under the chart: | 2024年上半年 | 优秀 | 合格 | 基本合格 | 不合格 |.
	section := md[strings.Index(md, "各半年考评等次分布"):]
	if !strings.Contains(section[:400], "优秀 ≥ 85 分；合格 80–85 分") {
		t.Errorf("the caption does not state the thresholds in force:\n%.400s", section)
	}
	for half, counts := range want {
		line := fmt.Sprintf("| %s | %d | %d | %d | %d |", reports.PeriodInWords(half, datasets.Zh), counts[queries.GradeExcellent], counts[queries.GradeQualified], counts[queries.GradeBasic], counts[queries.GradeUnqualified])
		if !strings.Contains(section, line) {
			t.Errorf("evaluation lacks %s (assess's counts):\n%.600s", line, section)
		}
	}

	an, err := build.Build(ctx, w, build.Request{Kind: build.Annual, Year: year, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	amd := markdown(t, an.Report)
	if s := fmt.Sprintf(" 个党小组共 [%d](#src-S", help); !strings.Contains(amd, s) {
		t.Errorf("annual does not count %d group-halves needing help", help)
	}
	if s := fmt.Sprintf("其中 [%d](#src-S", twice); !strings.Contains(amd, s) {
		t.Errorf("annual does not count %d two in a row", twice)
	}
	if !regexp.MustCompile(`优秀 \[85\]\(#src-S\d+\) 分及以上`).MatchString(amd) {
		t.Error("annual does not state the threshold in force")
	}
	if !strings.Contains(amd, "评为年度先进党小组") {
		t.Error("annual does not name the year's advanced groups")
	}

	// One group's history: grade labels as assess gives them.
	r := a.Rows[0]
	gr, err := build.Build(ctx, w, build.Request{Kind: build.Group, Group: r.GroupID, Year: year, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	gmd := markdown(t, gr.Report)
	if line := fmt.Sprintf("| %s | %s | %s |", reports.PeriodInWords(r.Half, datasets.Zh), reports.FormatNum(r.Total), queries.GradeLabel(r.Grade, datasets.Zh)); !strings.Contains(gmd, line) {
		t.Errorf("group %s lacks %s", r.GroupID, line)
	}
}

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
)

// ingestedTinyWithout is ingestedTiny with the named source files left out of the import,
// as an office that forgot one year's file would have it.
func ingestedTinyWithout(t *testing.T, leaveOut ...string) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if _, err := synth.Generate(ctx, synth.Options{Scale: synth.ScaleTiny, Seed: 7, Format: synth.FormatCSV, Out: src}, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range leaveOut {
		if err := os.Remove(filepath.Join(src, f)); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(ctx, db, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := ingest.Ingest(ctx, w, []string{src}, ingest.Options{Key: []byte("a-test-key-of-enough-length")}); err != nil {
		t.Fatal(err)
	}
	return db
}

// mdSection returns the Markdown section headed "## title" (up to the next "## ").
func mdSection(md, title string) string {
	i := strings.Index(md, "\n## "+title+"\n")
	if i < 0 {
		return ""
	}
	rest := md[i+len(title)+5:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// mingdeng check shows every dataset by year and month, marks the months without records, and
// lists them; JSON is the data_coverage query's rows under their machine names.
func TestCheckShowsCoverageByMonth(t *testing.T) {
	db := ingestedTiny(t) // 2023–2024
	r := mingdeng(t, "check", "--db", db, "--from", "2022-01-01", "--to", "2024-12-31")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, want := range []string{"数据完整性：全部单位，2022年1月至2024年12月", "组织生活记录（党小组层面）", "巡视记录", "1月", "12月",
		"无记录的月份", "  组织生活记录（党小组层面）：2022年1月～2022年12月", "  巡视记录：2022年1月～2022年12月"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check lacks %q:\n%s", want, r.stdout)
		}
	}
	var meetings []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "组织生活记录（党小组层面）") {
			meetings = append(meetings, line)
		}
	}
	if len(meetings) != 1 || strings.Count(meetings[0], " 无") != 12 || !strings.Contains(meetings[0], "2022") {
		t.Errorf("the 2022 row of group meetings is not 12 months of 无: %q", meetings)
	}
	for _, y := range []string{"2023", "2024"} {
		if strings.Contains(r.stdout, "组织生活记录（党小组层面）："+y) {
			t.Errorf("%s has group meetings but is listed as missing:\n%s", y, r.stdout)
		}
	}

	en := mingdeng(t, "check", "--db", db, "--lang", "en", "--from", "2022-01-01")
	if en.code != 0 || !strings.Contains(en.stdout, "Meetings (group level)") || !strings.Contains(en.stdout, "none") || strings.Contains(en.stdout, "无") {
		t.Errorf("English check:\n%+v", en)
	}

	js := mingdeng(t, "check", "--db", db, "--format", "json", "--from", "2022-01-01", "--to", "2022-12-31")
	var rows []map[string]any
	if js.code != 0 {
		t.Fatalf("%+v", js)
	}
	if err := json.Unmarshal([]byte(js.stdout), &rows); err != nil {
		t.Fatalf("%v\n%s", err, js.stdout)
	}
	if len(rows) == 0 || rows[0]["dataset"] != "meetings" || rows[0]["part"] != "group" || rows[0]["missing"] != true {
		t.Errorf("JSON rows: %v", rows[:min(2, len(rows))])
	}
}

// A requested year with no records at all is an error in the user's language, exit 1; a year
// whose group meeting file was not imported gives a report that says so first and makes no
// finding about meetings from it.
func TestReportNoDataAndMissingMeetingFile(t *testing.T) {
	db := ingestedTinyWithout(t, "2023年党小组会议记录.csv")
	out := t.TempDir()
	// status lists tables and batches; the missing months it leaves to check, and says so.
	for _, tc := range []struct{ lang, want string }{
		{"zh", "有月份无记录（2023年1月至2024年12月共 12 个数据集·月），如 组织生活记录（党小组层面）：2023年1月～2023年12月。\n用 mingdeng check 查看"},
		{"en", "some months have no records (Jan 2023 to Dec 2024, 12 dataset-months), e.g. Meetings (group level): Jan 2023–Dec 2023."},
	} {
		r := mingdeng(t, "status", "--db", db, "--lang", tc.lang)
		if r.code != 0 || !strings.Contains(r.stdout, tc.want) || tc.lang == "en" && !strings.Contains(r.stdout, "Run mingdeng check") {
			t.Errorf("%s: status does not point to check: %+v", tc.lang, r)
		}
	}
	for _, tc := range []struct{ lang, want string }{{"zh", "在 2022-01-01 — 2022-12-31 没有任何"}, {"en", "no meeting, assessment"}} {
		r := mingdeng(t, "report", "annual", "--year", "2022", "--db", db, "--out", out, "--lang", tc.lang)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s: report of a year without records: %+v", tc.lang, r)
		}
	}
	r := mingdeng(t, "report", "evaluation", "--unit", "DW0001", "--from", "2021-01-01", "--to", "2021-12-31", "--db", db, "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "（DW0001）在 2021-01-01 — 2021-12-31 没有任何") {
		t.Errorf("report of a unit and period without records: %+v", r)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a refused report wrote files: %v", entries)
	}

	if r := mingdeng(t, "report", "annual", "--year", "2023", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	b, err := os.ReadFile(filepath.Join(out, "annual.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	first := strings.Index(md, "\n## ")
	if first < 0 || !strings.HasPrefix(md[first:], "\n## 数据完整性\n") {
		t.Errorf("the report does not open with 数据完整性:\n%.600s", md)
	}
	if note := mdSection(md, "数据完整性"); !strings.Contains(note, "组织生活记录（党小组层面）：本期间无记录") {
		t.Errorf("the note does not name the missing meetings:\n%s", note)
	}
	for _, finding := range []string{"未坚持按月开会", "| 未开会月数 |", "未按月开会", "会议质量不高", "开展组织生活", "召开党小组会 [0]"} {
		if strings.Contains(md, finding) {
			t.Errorf("a finding made from missing records: %q", finding)
		}
	}
	if !strings.Contains(md, "本期没有党小组会议记录（见“数据完整性”）") {
		t.Errorf("the write-up does not say the meetings have no records:\n%s", mdSection(md, "二、存在的主要问题"))
	}

	// The year with its file keeps its findings and a note that nothing is missing.
	if r := mingdeng(t, "report", "annual", "--year", "2024", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	b, _ = os.ReadFile(filepath.Join(out, "annual.md"))
	if note := mdSection(string(b), "数据完整性"); !strings.Contains(note, "都有记录") {
		t.Errorf("2024 note:\n%s", note)
	}
	if !strings.Contains(string(b), "| 未达到要求的月数 |") || !strings.Contains(string(b), "部分党小组未做到每月至少召开一次党小组会") {
		t.Error("2024 lost its table of groups that missed months (the tiny set has some)")
	}
}

// The CLI tables of query and assess read in the user's language (labels, 是/否, Chinese
// headers); CSV and JSON keep the stable machine names other tools read.
func TestQueryAndAssessTablesAreLabelled(t *testing.T) {
	db := ingestedTiny(t)
	r := mingdeng(t, "query", "cadence_compliance", "--db", db, "--period", "year")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, want := range []string{"党小组代码", "党小组会", "支委会", "按月", "达标率"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("query table lacks %q:\n%.600s", want, r.stdout)
		}
	}
	for _, code := range []string{"group_meeting", "committee_meeting", "kind_zh", "slots_required", "month "} {
		if strings.Contains(r.stdout, code) {
			t.Errorf("query table shows %q:\n%.600s", code, r.stdout)
		}
	}
	a := mingdeng(t, "assess", "--db", db, "--year", "2024")
	if a.code != 0 || !strings.Contains(a.stdout, "需帮扶") || !strings.Contains(a.stdout, " 否 ") ||
		strings.Contains(a.stdout, "true") || strings.Contains(a.stdout, "false") || strings.Contains(a.stdout, "help_needed") {
		t.Errorf("assess table:\n%.600s", a.stdout)
	}
	en := mingdeng(t, "assess", "--db", db, "--year", "2024", "--lang", "en")
	if en.code != 0 || !strings.Contains(en.stdout, "help needed") || !strings.Contains(en.stdout, " No ") || strings.Contains(en.stdout, "false") {
		t.Errorf("English assess table:\n%.600s", en.stdout)
	}
	csv := mingdeng(t, "assess", "--db", db, "--year", "2024", "--format", "csv")
	if csv.code != 0 || !strings.HasPrefix(csv.stdout, "unit_id,") || !strings.Contains(csv.stdout, "false") {
		t.Errorf("assess CSV lost its machine names:\n%.300s", csv.stdout)
	}
	js := mingdeng(t, "query", "cadence_compliance", "--db", db, "--period", "year", "--format", "json")
	if js.code != 0 || !strings.Contains(js.stdout, `"kind": "group_meeting"`) && !strings.Contains(js.stdout, `"kind":"group_meeting"`) {
		t.Errorf("query JSON lost its machine names:\n%.300s", js.stdout)
	}
}

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// smallWarehouse makes a warehouse file with one unit, one group, one team and a few records.
func smallWarehouse(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "q.duckdb")
	w, err := warehouse.Open(context.Background(), db, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`INSERT INTO units VALUES ('U1', '线路工区', 'work_area', NULL, 1, 1)`,
		`INSERT INTO branches VALUES ('B1', '线路党支部', 'U1', 5, 1, 1)`,
		`INSERT INTO party_groups VALUES ('G1', '运行党小组', 'B1', DATE '2023-01-01', NULL, NULL, NULL, 1, 1)`,
		`INSERT INTO teams VALUES ('T1', '运行一班', 'U1', 'line', 10, 1, 1)`,
		`INSERT INTO group_teams VALUES ('G1', 'T1', DATE '2023-01-01', NULL, 1, 1)`,
		`INSERT INTO meetings (meeting_id, group_id, branch_id, kind, held_on, critique_items, _batch_id, _source_row) VALUES
			('M1', 'G1', 'B1', 'group_meeting', DATE '2024-01-10', 2, 1, 1),
			('M2', 'G1', 'B1', 'group_meeting', DATE '2024-08-10', 1, 1, 2)`,
		`INSERT INTO safety_events (event_id, team_id, occurred_on, kind, responsible, _batch_id, _source_row) VALUES
			('E1', 'T1', DATE '2024-03-01', 'violation', true, 1, 1)`,
		`INSERT INTO assessments VALUES ('G1', '2024H1', 'I1', 'ideology', 59.9, 100, 1, 1), ('G1', '2024H2', 'I1', 'ideology', 95, 100, 1, 2)`,
	} {
		if _, err := w.DB().Exec(s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestQueryList(t *testing.T) {
	r := mingdeng(t, "query", "--list")
	if r.code != 0 || !strings.Contains(r.stdout, "group_activity") || !strings.Contains(r.stdout, "党小组活动指标") {
		t.Fatalf("%+v", r)
	}
	r = mingdeng(t, "query", "--list", "--lang", "en", "--format", "csv")
	if r.code != 0 || !strings.Contains(r.stdout, "Party-group activity metrics") {
		t.Fatalf("%+v", r)
	}
}

func TestQueryRunsAMetricView(t *testing.T) {
	db := smallWarehouse(t)
	r := mingdeng(t, "query", "group_activity", "--db", db, "--period", "half", "--from", "2024-01-01", "--to", "2024-12-31", "--unit", "U1", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "meetings_held") || !strings.Contains(lines[1], "2024H1") {
		t.Errorf("output:\n%s", r.stdout)
	}
	out := filepath.Join(t.TempDir(), "o.xlsx")
	if r := mingdeng(t, "query", "group_outcomes", "--db", db, "--format", "xlsx", "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Errorf("xlsx not written: %v", err)
	}
}

func TestQueryUsageErrors(t *testing.T) {
	db := smallWarehouse(t)
	for _, args := range [][]string{
		{"query", "nope", "--db", db},
		{"query", "group_activity", "--db", db, "--period", "week"},
		{"query", "group_activity", "--db", db, "--from", "2024-13-01"},
		{"query", "group_activity", "--db", db, "--from", "2024-06-01", "--to", "2024-01-01"},
		{"query", "group_activity", "--db", db, "--format", "pdf"},
		{"query", "--db", db},
		{"analyze", "--db", db, "--activity", "nope"},
		{"analyze", "--db", db, "--lag", "x"},
		{"assess", "--db", db},
	} {
		if r := mingdeng(t, args...); r.code != 2 {
			t.Errorf("%v: code %d, stderr %s", args, r.code, r.stderr)
		}
	}
}

func TestAssessCommand(t *testing.T) {
	db := smallWarehouse(t)
	r := mingdeng(t, "assess", "--db", db, "--year", "2024", "--format", "csv")
	if r.code != 0 || !strings.Contains(r.stdout, "不合格") || !strings.Contains(r.stdout, "优秀") {
		t.Fatalf("%+v", r)
	}
	cfg := filepath.Join(t.TempDir(), "mingdeng.yaml")
	os.WriteFile(cfg, []byte("assessment:\n  grades:\n    basic: 50\n"), 0o644)
	r = mingdeng(t, "assess", "--db", db, "--year", "2024", "--format", "csv", "--config", cfg, "--lang", "en")
	if r.code != 0 || !strings.Contains(r.stdout, "Basically qualified") {
		t.Fatalf("%+v", r)
	}
	if r := mingdeng(t, "assess", "--db", db, "--year", "2024", "--config", filepath.Join(t.TempDir(), "missing.yaml")); r.code != 1 {
		t.Errorf("missing --config file: %+v", r)
	}
}

func TestAnalyzeJSONForm(t *testing.T) {
	db := smallWarehouse(t)
	r := mingdeng(t, "analyze", "--db", db, "--activity", "critique_per_meeting", "--outcome", "violations_per_100_staff", "--lag", "0,1", "--format", "json")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var got struct {
		Period  string            `json:"period"`
		From    string            `json:"from"`
		To      string            `json:"to"`
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if got.Period != "half" || got.From != "2024-01-01" || got.To != "2024-12-31" || len(got.Results) == 0 {
		t.Errorf("%+v", got)
	}
	var first map[string]any
	json.Unmarshal(got.Results[0], &first)
	for _, k := range []string{"method", "activity", "outcome", "lag", "n", "estimate", "ci_low", "ci_high", "p", "p_adj", "warnings"} {
		if _, ok := first[k]; !ok {
			t.Errorf("result has no %q: %s", k, got.Results[0])
		}
	}
	if r := mingdeng(t, "analyze", "--db", db, "--concentration", "--format", "json"); r.code != 0 {
		t.Errorf("concentration: %+v", r)
	}
}

// The readers' formats show a share metric as a percentage, as the reports do; CSV keeps 0–1.
func TestQueryTableShowsSharesInPercent(t *testing.T) {
	db := smallWarehouse(t)
	args := []string{"query", "group_compliance", "--db", db, "--period", "year", "--from", "2024-01-01", "--to", "2024-12-31"}
	r := mingdeng(t, args...)
	if r.code != 0 || !strings.Contains(r.stdout, "达标率") || !strings.Contains(r.stdout, "100.0%") {
		t.Errorf("table:\n%s", r.stdout)
	}
	r = mingdeng(t, append(args, "--format", "markdown")...)
	if r.code != 0 || !strings.Contains(r.stdout, "| 100.0% |") {
		t.Errorf("markdown:\n%s", r.stdout)
	}
	r = mingdeng(t, append(args, "--format", "csv")...)
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); r.code != 0 || len(lines) != 2 || !strings.Contains(lines[1], ",1,") || strings.Contains(r.stdout, "%") {
		t.Errorf("csv keeps shares 0–1:\n%s", r.stdout)
	}
}

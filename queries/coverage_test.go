package queries_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
	"github.com/mingdeng/mingdeng/queries"
)

// data_coverage on the hand-built fixture: per dataset and month, the rows, the units with
// records and whether the slot of the dataset's frequency has none (counted by hand from the
// INSERTs in fixture_test.go).
func TestDataCoverageByHand(t *testing.T) {
	db := fixture(t)
	tb := runQ(t, db, "data_coverage", queries.Params{From: y2024a, To: y2024z, Unit: "U1"})
	rows := rowsBy(t, tb, "dataset", "part", "month")
	if got, want := len(rows), 12*12; got != want {
		t.Fatalf("%d rows, want 12 datasets × 12 months", got)
	}
	for _, tc := range []struct {
		key     string
		rows    int
		missing bool
	}{
		{"meetings/group/2024-01", 1, false}, // M1
		{"meetings/group/2024-02", 2, false}, // M2, M3
		{"meetings/group/2024-03", 1, false}, // M5, a demo day
		{"meetings/group/2024-04", 0, true},
		{"meetings/group/2024-08", 1, false},
		{"meetings/group/2024-12", 0, true},
		{"meetings/branch/2024-03", 1, false}, // M6
		{"meetings/branch/2024-04", 0, true},
		{"patrols/<nil>/2024-02", 0, true},
		{"patrols/<nil>/2024-09", 1, false},
		{"defects/<nil>/2024-07", 0, false},           // yearly: 2024 has D1..D4
		{"safety_events/<nil>/2024-12", 0, false},     // yearly
		{"assessments/<nil>/2024-06", 0, true},        // none in 2024H1
		{"model_posts/<nil>/2024-02", 1, false},       // SP2 (SP1 was awarded in 2023)
		{"model_posts/<nil>/2024-03", 0, false},       // a ledger: no expected frequency
		{"survey_responses/<nil>/2024-06", 10, false}, // 5 respondents × 2 items
		{"survey_responses/<nil>/2024-07", 9, false},
		{"member_reviews/<nil>/2024-12", 0, true},
	} {
		check(t, rows, tc.key, "rows", tc.rows)
		check(t, rows, tc.key, "missing", tc.missing)
	}
	check(t, rows, "meetings/group/2024-02", "slot", "2024-02")
	check(t, rows, "assessments/<nil>/2024-03", "slot", "2024H1")
	check(t, rows, "defects/<nil>/2024-03", "slot_rows", 4)

	// U2 has groups but no records of any kind: every row is empty.
	u2 := runQ(t, db, "data_coverage", queries.Params{From: y2024a, To: y2024z, Unit: "U2"})
	ri := colIndexOf(u2.Columns, "rows")
	for _, r := range u2.Rows {
		if r[ri] != int64(0) {
			t.Fatalf("U2 has records: %v", r)
		}
	}
	// Company scope: units with records are counted.
	all := rowsBy(t, runQ(t, db, "data_coverage", queries.Params{From: y2024a, To: y2024z}), "dataset", "part", "month")
	check(t, all, "meetings/group/2024-02", "units", 1)
}

// A month (or cadence slot) for which the group's unit has no meeting records at the level is
// 无记录: compliance is NULL there, never 0, whatever the scope; with records for the month,
// a group that did not meet is counted as such.
func TestNoRecordsIsNotAFinding(t *testing.T) {
	db := fixture(t)
	// A branch-level life meeting in December gives the branch level records for December.
	if _, err := db.Exec(`INSERT INTO meetings (meeting_id, group_id, branch_id, kind, held_on, _batch_id, _source_row)
		VALUES ('M8', NULL, 'B1', 'life_meeting', DATE '2024-12-20', 1, 8)`); err != nil {
		t.Fatal(err)
	}
	twoYears := queries.Params{Period: "year", From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), To: y2024z}
	for _, unit := range []string{"", "U1", "U2"} {
		p := twoYears
		p.Unit = unit
		rows := rowsBy(t, runQ(t, db, "group_compliance", p), "group_id", "period")
		if unit != "U2" {
			// G1 existed all of 2023, but no meeting of U1 is on record that year.
			check(t, rows, "G1/2023", "slots_required", nil)
			check(t, rows, "G1/2023", "compliance", nil)
			check(t, rows, "G1/2024", "slots_required", 5) // Jan, Feb, Mar, May, Aug
			check(t, rows, "G1/2024", "slots_met", 4)
		}
		if unit != "U1" {
			// G3 (U2) never has records: U1's records do not make its months required.
			check(t, rows, "G3/2024", "slots_required", nil)
			check(t, rows, "G3/2024", "compliance", nil)
		}
	}
	p := halfParams()
	rows := rowsBy(t, runQ(t, db, "cadence_compliance", p), "group_id", "period", "kind")
	check(t, rows, "G1/2024H2/life_meeting", "slots_required", 1) // the year ends in H2
	check(t, rows, "G1/2024H2/life_meeting", "slots_met", 1)
	if _, ok := rows["G1/2024H1/life_meeting"]; ok {
		t.Error("a yearly slot was counted in H1")
	}
	check(t, rows, "G1/2024H2/committee_meeting", "slots_required", 1) // December has branch records
	check(t, rows, "G1/2024H2/committee_meeting", "slots_met", 0)
	check(t, rows, "G1/2024H2/group_meeting", "slots_required", 1) // Aug; Dec's M8 is branch level
}

// The two ways a year goes missing on generated data: a year before any file (2019), and one
// year's group meeting file left out of the import. Neither gives a single group a month
// required; data_coverage marks exactly those months missing; the other years are unchanged.
func TestMissingYearGivesNoComplianceFindings(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	m, err := synth.Generate(ctx, synth.Options{Scale: synth.ScaleTiny, Seed: 3, Out: src}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Years) < 2 {
		t.Fatalf("tiny scale has years %v", m.Years)
	}
	gone, kept := m.Years[0], m.Years[len(m.Years)-1]
	if err := os.Remove(filepath.Join(src, fmt.Sprintf("%d年党小组会议记录.csv", gone))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(ctx, path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := warehouse.EnsureKey(path); err != nil {
		t.Fatal(err)
	}
	key, err := warehouse.LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Ingest(ctx, w, []string{src}, ingest.Options{Key: key}); err != nil {
		t.Fatal(err)
	}
	db := w.DB()
	year := func(y int) queries.Params {
		return queries.Params{Period: "year", From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)}
	}
	for _, y := range []int{m.Years[0] - 1, gone} {
		tb := runQ(t, db, "group_compliance", year(y))
		if len(tb.Rows) == 0 {
			t.Fatalf("%d: no group rows", y)
		}
		ri := colIndexOf(tb.Columns, "slots_required")
		for _, r := range tb.Rows {
			if r[ri] != nil {
				t.Errorf("%d: a group has months required without records: %v", y, r)
			}
		}
		cc := runQ(t, db, "cadence_compliance", year(y))
		for _, r := range cc.Rows {
			if kind := r[colIndexOf(cc.Columns, "kind")]; kind == "group_meeting" || kind == "demo_day" {
				t.Errorf("%d: %v slots required without group-level records: %v", y, kind, r)
			}
		}
		cov := rowsBy(t, runQ(t, db, "data_coverage", year(y)), "dataset", "part", "month")
		for mo := 1; mo <= 12; mo++ {
			check(t, cov, fmt.Sprintf("meetings/group/%d-%02d", y, mo), "missing", true)
		}
	}
	// The year left out still has its branch records (another file) and the other years their
	// group records.
	cov := rowsBy(t, runQ(t, db, "data_coverage", year(gone)), "dataset", "part", "month")
	check(t, cov, fmt.Sprintf("meetings/branch/%d-03", gone), "missing", false)
	tb := runQ(t, db, "group_compliance", year(kept))
	ri := colIndexOf(tb.Columns, "slots_required")
	for _, r := range tb.Rows {
		if r[ri] == nil {
			t.Errorf("%d: a group lost its required months: %v", kept, r)
		}
	}
}

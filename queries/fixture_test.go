package queries_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/queries"
)

// fixture is a hand-built warehouse whose metrics are worked out by hand in the tests (see the
// comments next to each expected value).
//
//	unit U1, branch B1; groups G1 (formed 2023-01-01, leader P1) and G2 (formed 2024-04-01, leader P2)
//	teams T1 (10 staff), T2 (20 staff)
//	mapping: G1–T1 from 2023-01-01; G1–T2 2024-01-01..2024-03-31; G2–T2 from 2024-04-01
func fixture(t *testing.T) *sql.DB {
	t.Helper()
	w := warehousetest.New(t)
	db := w.DB()
	stmts := []string{
		`INSERT INTO units VALUES ('U1', '线路工区', 'work_area', NULL, 1, 1), ('U2', '变电工区', 'work_area', NULL, 1, 2)`,
		`INSERT INTO branches VALUES ('B1', '线路党支部', 'U1', 5, 1, 1), ('B2', '变电党支部', 'U2', 5, 1, 2)`,
		`INSERT INTO party_groups VALUES
			('G1', '运行党小组', 'B1', DATE '2023-01-01', NULL, 'P1', NULL, 1, 1),
			('G2', '检修党小组', 'B1', DATE '2024-04-01', NULL, 'P2', NULL, 1, 2),
			('G3', '变电党小组', 'B2', DATE '2020-01-01', NULL, NULL, NULL, 1, 3)`,
		`INSERT INTO teams VALUES ('T1', '运行一班', 'U1', 'line', 10, 1, 1), ('T2', '检修一班', 'U1', 'maintenance', 20, 1, 2), ('T3', '变电一班', 'U2', 'substation', 8, 1, 3)`,
		`INSERT INTO group_teams VALUES
			('G1', 'T1', DATE '2023-01-01', NULL, 1, 1),
			('G1', 'T2', DATE '2024-01-01', DATE '2024-03-31', 1, 2),
			('G2', 'T2', DATE '2024-04-01', NULL, 1, 3),
			('G3', 'T3', DATE '2020-01-01', NULL, 1, 4)`,
		`INSERT INTO meetings (meeting_id, group_id, branch_id, kind, held_on, expected, attended, critique_items, problems_raised, problems_resolved, production_linked, study_only, _batch_id, _source_row) VALUES
			('M1', 'G1', 'B1', 'group_meeting', DATE '2024-01-10', 10, 8, 2, 3, 1, true, false, 1, 1),
			('M2', 'G1', 'B1', 'group_meeting', DATE '2024-02-15', 10, 10, 0, 1, 1, false, true, 1, 2),
			('M3', 'G1', 'B1', 'group_meeting', DATE '2024-02-20', 10, 9, 1, 0, 0, true, false, 1, 3),
			('M4', 'G1', 'B1', 'group_meeting', DATE '2024-05-05', NULL, 7, NULL, 2, 2, NULL, false, 1, 4),
			('M5', 'G1', 'B1', 'demo_day', DATE '2024-03-03', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, 5),
			('M6', NULL, 'B1', 'committee_meeting', DATE '2024-03-08', 5, 5, NULL, NULL, NULL, NULL, NULL, 1, 6),
			('M7', 'G1', 'B1', 'group_meeting', DATE '2024-08-01', 10, 5, 4, 2, 1, true, false, 1, 7)`,
		`INSERT INTO trainings VALUES ('P1', DATE '2024-06-01', 'leader_training', '党小组长培训班', 8, 1, 1)`,
		`INSERT INTO model_posts VALUES
			('SP1', 'zero_violation', 'T1', 'G1', 'P1', DATE '2023-07-01', DATE '2024-07-01', 1, 1),
			('SP2', 'pledge', 'T2', 'G2', 'P2', DATE '2024-02-01', NULL, 1, 2)`,
		`INSERT INTO patrols (patrol_id, team_id, patrolled_on, kind, km, planned, completed, defects_found, _batch_id, _source_row) VALUES
			('X1', 'T1', DATE '2024-01-05', 'routine', 10, true, true, 2, 1, 1),
			('X2', 'T2', DATE '2024-03-15', 'routine', 20, true, false, 1, 1, 2),
			('X3', 'T2', DATE '2024-04-15', 'special', 30, false, NULL, NULL, 1, 3),
			('X4', 'T1', DATE '2024-09-01', 'routine', 5, true, true, 0, 1, 4)`,
		`INSERT INTO defects (defect_id, team_id, severity, found_on, eliminated_on, _batch_id, _source_row) VALUES
			('D1', 'T1', 'critical', DATE '2024-01-10', DATE '2024-01-11', 1, 1),
			('D2', 'T1', 'serious', DATE '2024-02-01', DATE '2024-02-09', 1, 2),
			('D3', 'T2', 'general', DATE '2024-03-01', NULL, 1, 3),
			('D4', 'T2', 'general', DATE '2024-05-01', DATE '2024-05-31', 1, 4)`,
		`INSERT INTO safety_events (event_id, team_id, occurred_on, kind, responsible, _batch_id, _source_row) VALUES
			('E1', 'T1', DATE '2024-01-20', 'violation', true, 1, 1),
			('E2', 'T2', DATE '2024-02-10', 'violation', true, 1, 2),
			('E3', 'T2', DATE '2024-05-10', 'violation', true, 1, 3),
			('E4', 'T1', DATE '2024-03-01', 'accident', true, 1, 4),
			('E5', 'T1', DATE '2024-03-05', 'obstacle', false, 1, 5),
			('E6', 'T1', DATE '2024-04-01', 'near_miss', NULL, 1, 6),
			('E7', 'T1', DATE '2024-10-10', 'obstacle', true, 1, 7)`,
		`INSERT INTO survey_items VALUES
			('S1', 'Q1', NULL, 'work', 'employee', 5, false, 1, 1),
			('S1', 'Q2', NULL, 'work', 'employee', 5, true, 1, 2),
			('S2', 'C1', NULL, 'service', 'customer', 10, false, 1, 3)`,
	}
	// Employee survey on T1 (G1) in H1: Q1 = 5,4,3,5,4; Q2 (reversed) = 1,2,3,1,2.
	q1 := []int{5, 4, 3, 5, 4}
	q2 := []int{1, 2, 3, 1, 2}
	var resp []string
	for i := range q1 {
		resp = append(resp,
			fmt.Sprintf("('S1', 'R%d', 'Q1', %d, 'U1', 'T1', DATE '2024-06-15', 1, %d)", i, q1[i], 2*i),
			fmt.Sprintf("('S1', 'R%d', 'Q2', %d, 'U1', 'T1', DATE '2024-06-15', 1, %d)", i, q2[i], 2*i+1))
	}
	// Customer survey in H2: 3 respondents on T2 (G2: suppressed), 6 on T1 (G1: complementary).
	for i, s := range []int{10, 8, 6} {
		resp = append(resp, fmt.Sprintf("('S2', 'C%d', 'C1', %d, 'U1', 'T2', DATE '2024-07-10', 1, %d)", i, s, 100+i))
	}
	for i := 0; i < 6; i++ {
		resp = append(resp, fmt.Sprintf("('S2', 'K%d', 'C1', 10, 'U1', 'T1', DATE '2024-07-10', 1, %d)", i, 200+i))
	}
	stmts = append(stmts, "INSERT INTO survey_responses VALUES "+strings.Join(resp, ",\n"))
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("fixture: %v\n%s", err, s)
		}
	}
	return db
}

var (
	y2024a = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	y2024z = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
)

// rowsBy indexes a table by the values of key columns joined with "/".
func rowsBy(t *testing.T, tb *queries.Table, keys ...string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, r := range tb.Rows {
		m := map[string]any{}
		for i, c := range tb.Columns {
			m[c.Name] = r[i]
		}
		var k []string
		for _, key := range keys {
			k = append(k, fmt.Sprint(m[key]))
		}
		out[strings.Join(k, "/")] = m
	}
	return out
}

func check(t *testing.T, rows map[string]map[string]any, key, col string, want any) {
	t.Helper()
	r, ok := rows[key]
	if !ok {
		t.Errorf("no row %s", key)
		return
	}
	got, ok := r[col]
	if !ok {
		t.Errorf("%s: no column %s", key, col)
		return
	}
	switch w := want.(type) {
	case nil:
		if got != nil {
			t.Errorf("%s %s = %v, want NULL", key, col, got)
		}
	case float64:
		g, ok := asFloat(got)
		if !ok || math.Abs(g-w) > 1e-9 {
			t.Errorf("%s %s = %v, want %v", key, col, got, w)
		}
	case int:
		g, ok := asFloat(got)
		if !ok || g != float64(w) {
			t.Errorf("%s %s = %v, want %v", key, col, got, w)
		}
	default:
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("%s %s = %v, want %v", key, col, got, w)
		}
	}
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func runQ(t *testing.T, db *sql.DB, name string, p queries.Params) *queries.Table {
	t.Helper()
	tb, err := queries.Run(context.Background(), db, name, p)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func halfParams() queries.Params {
	return queries.Params{Period: "half", From: y2024a, To: y2024z, Unit: "U1"}
}

func TestGroupActivityByHand(t *testing.T) {
	db := fixture(t)
	rows := rowsBy(t, runQ(t, db, "group_activity", halfParams()), "group_id", "period")
	if len(rows) != 4 {
		t.Errorf("want 4 group-halves (G3 is in U2), got %d: %v", len(rows), rows)
	}
	// G1 2024H1: M1..M4; U1 has group-level records in Jan, Feb, Mar (M5) and May only (Apr and
	// Jun have none: 无记录, not required); G1 met in Jan, Feb, May: 3 of 4.
	check(t, rows, "G1/2024H1", "meetings_held", 4)
	check(t, rows, "G1/2024H1", "monthly_compliance", 0.75)
	check(t, rows, "G1/2024H1", "attendance_rate", 27.0/30) // M4 has no expected
	check(t, rows, "G1/2024H1", "critique_per_meeting", 1.0)
	check(t, rows, "G1/2024H1", "problems_raised_per_meeting", 1.5)
	check(t, rows, "G1/2024H1", "problems_resolved_per_meeting", 1.0)
	check(t, rows, "G1/2024H1", "resolution_rate", 4.0/6)
	check(t, rows, "G1/2024H1", "production_linked_share", 2.0/3)
	check(t, rows, "G1/2024H1", "study_only_share", 0.25)
	check(t, rows, "G1/2024H1", "model_posts_held", 1)     // SP1 on T1 on 30 June
	check(t, rows, "G1/2024H1", "model_post_awarded", 0.5) // T1's 10 of 20 person-periods
	check(t, rows, "G1/2024H1", "demo_days_held", 1)
	check(t, rows, "G1/2024H1", "leader_trained", 1)
	check(t, rows, "G1/2024H2", "meetings_held", 1)
	check(t, rows, "G1/2024H2", "monthly_compliance", 1.0) // Aug is the only H2 month with records
	check(t, rows, "G1/2024H2", "attendance_rate", 0.5)
	check(t, rows, "G1/2024H2", "model_posts_held", 0) // SP1 revoked on 1 July
	check(t, rows, "G1/2024H2", "model_post_awarded", 0.0)
	check(t, rows, "G1/2024H2", "leader_trained", 1)
	// G2 formed 1 April: of Apr, May, Jun only May has U1 records; not met. SP2 is a pledge (held, not a model-post kind).
	check(t, rows, "G2/2024H1", "meetings_held", 0)
	check(t, rows, "G2/2024H1", "monthly_compliance", 0.0)
	check(t, rows, "G2/2024H1", "attendance_rate", nil)
	check(t, rows, "G2/2024H1", "critique_per_meeting", nil)
	check(t, rows, "G2/2024H1", "model_posts_held", 1)
	check(t, rows, "G2/2024H1", "model_post_awarded", 0.0)
	check(t, rows, "G2/2024H1", "leader_trained", 0)
}

func TestGroupOutcomesByHand(t *testing.T) {
	db := fixture(t)
	rows := rowsBy(t, runQ(t, db, "group_outcomes", halfParams()), "group_id", "period")
	// Staff: G1 H1 = 10 (T1) + 20 × 91/182 (T2 Jan–Mar) = 20; G1 H2 = 10; G2 H1 = 20 × 91/182 = 10; G2 H2 = 20.
	check(t, rows, "G1/2024H1", "staff", 20.0)
	check(t, rows, "G1/2024H2", "staff", 10.0)
	check(t, rows, "G2/2024H1", "staff", 10.0)
	check(t, rows, "G2/2024H2", "staff", 20.0)
	check(t, rows, "G1/2024H1", "patrol_km_per_head", 30.0/20)
	check(t, rows, "G1/2024H1", "planned_completion", 0.5)
	check(t, rows, "G1/2024H1", "defects_per_100km", 10.0)
	check(t, rows, "G1/2024H1", "timely_elimination_share", 1.0/3) // D1 in 1 day; D2 8 > 7; D3 open
	check(t, rows, "G1/2024H1", "violations_per_100_staff", 10.0)  // E1, E2 over 20 staff
	check(t, rows, "G1/2024H1", "near_misses", 1)
	check(t, rows, "G1/2024H1", "responsible_incidents", 1) // E4 (E5 not responsible)
	check(t, rows, "G1/2024H1", "longest_safe_run", 121)    // 2 Mar .. 30 Jun
	check(t, rows, "G1/2024H2", "longest_safe_run", 101)    // 1 Jul .. 9 Oct
	check(t, rows, "G1/2024H2", "violations_per_100_staff", 0.0)
	check(t, rows, "G1/2024H2", "patrol_km_per_head", 0.5)
	check(t, rows, "G1/2024H2", "planned_completion", 1.0)
	check(t, rows, "G1/2024H2", "defects_per_100km", 0.0)
	check(t, rows, "G2/2024H1", "patrol_km_per_head", 3.0)
	check(t, rows, "G2/2024H1", "planned_completion", nil)
	check(t, rows, "G2/2024H1", "defects_per_100km", nil) // X3 has no defect count
	check(t, rows, "G2/2024H1", "timely_elimination_share", 1.0)
	check(t, rows, "G2/2024H1", "violations_per_100_staff", 10.0)
	check(t, rows, "G2/2024H1", "longest_safe_run", 91) // 1 Apr .. 30 Jun, the days it existed
	check(t, rows, "G2/2024H2", "longest_safe_run", 184)
}

// TestOutcomesFollowAMappingChangeInsideAMonth moves a team from one group to another on the
// 15th of a month and starts the range on the 6th of another: the outcomes sum the records per
// team and month before meeting the mapping, except where the mapping or the range changes
// inside the month, and each record must still count for the group it was mapped to that day.
func TestOutcomesFollowAMappingChangeInsideAMonth(t *testing.T) {
	w := warehousetest.New(t)
	db := w.DB()
	for _, s := range []string{
		`INSERT INTO units VALUES ('U1', '线路工区', 'work_area', NULL, 1, 1)`,
		`INSERT INTO branches VALUES ('B1', '线路党支部', 'U1', 5, 1, 1)`,
		`INSERT INTO party_groups VALUES
			('G1', '运行党小组', 'B1', DATE '2023-01-01', NULL, NULL, NULL, 1, 1),
			('G2', '检修党小组', 'B1', DATE '2023-01-01', NULL, NULL, NULL, 1, 2)`,
		`INSERT INTO teams VALUES ('T1', '运行一班', 'U1', 'line', 10, 1, 1)`,
		`INSERT INTO group_teams VALUES
			('G1', 'T1', DATE '2024-01-01', DATE '2024-02-14', 1, 1),
			('G2', 'T1', DATE '2024-02-15', NULL, 1, 2)`,
		`INSERT INTO patrols (patrol_id, team_id, patrolled_on, kind, km, planned, completed, defects_found, _batch_id, _source_row) VALUES
			('X1', 'T1', DATE '2024-01-05', 'routine', 5, true, true, 1, 1, 1),
			('X2', 'T1', DATE '2024-01-20', 'routine', 4, true, false, 2, 1, 2),
			('X3', 'T1', DATE '2024-02-10', 'routine', 10, true, true, 1, 1, 3),
			('X4', 'T1', DATE '2024-02-14', 'routine', 2, false, NULL, NULL, 1, 4),
			('X5', 'T1', DATE '2024-02-15', 'routine', 30, true, false, 3, 1, 5),
			('X6', 'T1', DATE '2024-03-01', 'routine', 7, true, true, 0, 1, 6)`,
		`INSERT INTO defects (defect_id, team_id, severity, found_on, eliminated_on, _batch_id, _source_row) VALUES
			('D1', 'T1', 'critical', DATE '2024-02-14', DATE '2024-02-15', 1, 1),
			('D2', 'T1', 'general', DATE '2024-02-15', NULL, 1, 2),
			('D3', 'T1', 'general', DATE '2024-01-02', DATE '2024-01-03', 1, 3)`,
		`INSERT INTO safety_events (event_id, team_id, occurred_on, kind, responsible, _batch_id, _source_row) VALUES
			('E1', 'T1', DATE '2024-02-14', 'violation', true, 1, 1),
			('E2', 'T1', DATE '2024-02-20', 'accident', true, 1, 2)`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	p := queries.Params{Period: "month", From: time.Date(2024, 1, 6, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)}
	rows := rowsBy(t, runQ(t, db, "group_outcomes", p), "group_id", "period")
	// January from the 6th: X1 and D3 are outside the range; the mapping is G1's for all 26 days.
	check(t, rows, "G1/2024-01", "staff", 10.0)
	check(t, rows, "G1/2024-01", "patrol_km_per_head", 0.4)
	check(t, rows, "G1/2024-01", "planned_completion", 0.0)
	check(t, rows, "G1/2024-01", "defects_per_100km", 50.0)
	check(t, rows, "G1/2024-01", "timely_elimination_share", nil)
	check(t, rows, "G2/2024-01", "staff", nil)
	// February: G1 until the 14th (X3, X4, D1, E1), G2 from the 15th (X5, D2, E2).
	check(t, rows, "G1/2024-02", "staff", 10.0*14/29)
	check(t, rows, "G1/2024-02", "patrol_km_per_head", 12/(10.0*14/29))
	check(t, rows, "G1/2024-02", "planned_completion", 1.0)
	check(t, rows, "G1/2024-02", "defects_per_100km", 10.0) // X4 has no defect count
	check(t, rows, "G1/2024-02", "timely_elimination_share", 1.0)
	check(t, rows, "G1/2024-02", "violations_per_100_staff", 100/(10.0*14/29))
	check(t, rows, "G1/2024-02", "longest_safe_run", 29)
	check(t, rows, "G2/2024-02", "staff", 10.0*15/29)
	check(t, rows, "G2/2024-02", "patrol_km_per_head", 30/(10.0*15/29))
	check(t, rows, "G2/2024-02", "planned_completion", 0.0)
	check(t, rows, "G2/2024-02", "defects_per_100km", 10.0)
	check(t, rows, "G2/2024-02", "timely_elimination_share", 0.0)
	check(t, rows, "G2/2024-02", "violations_per_100_staff", 0.0)
	check(t, rows, "G2/2024-02", "responsible_incidents", 1)
	check(t, rows, "G2/2024-02", "longest_safe_run", 19) // 1–19 Feb
	check(t, rows, "G2/2024-03", "patrol_km_per_head", 0.7)
	check(t, rows, "G2/2024-03", "longest_safe_run", 31)
	check(t, rows, "G1/2024-03", "staff", nil)
	// The same records by quarter: each group's share of the quarter (6 Jan–31 Mar, 86 days).
	p.Period = "quarter"
	rows = rowsBy(t, runQ(t, db, "group_outcomes", p), "group_id", "period")
	check(t, rows, "G1/2024Q1", "staff", 10.0*40/86)
	check(t, rows, "G1/2024Q1", "patrol_km_per_head", 16/(10.0*40/86))
	check(t, rows, "G2/2024Q1", "staff", 10.0*46/86)
	check(t, rows, "G2/2024Q1", "patrol_km_per_head", 37/(10.0*46/86))
	check(t, rows, "G2/2024Q1", "planned_completion", 0.5)
}

func TestGroupSurveysReverseCodingAndSuppression(t *testing.T) {
	db := fixture(t)
	rows := rowsBy(t, runQ(t, db, "group_surveys", halfParams()), "group_id", "period", "audience", "dimension")
	// Employee: Q1 5,4,3,5,4 and reversed Q2 1,2,3,1,2 → 5,4,3,5,4: (s−1)/4·100 averages 80.
	check(t, rows, "G1/2024H1/employee/<nil>", "score", 80.0)
	check(t, rows, "G1/2024H1/employee/<nil>", "respondents", 5)
	check(t, rows, "G1/2024H1/employee/work", "score", 80.0)
	// Customer H2: G2 has 3 respondents (suppressed); G1's 6 would give G2 away by subtraction
	// from the unit total, so it is suppressed too.
	check(t, rows, "G2/2024H2/customer/<nil>", "score", nil)
	check(t, rows, "G2/2024H2/customer/<nil>", "respondents", nil)
	check(t, rows, "G2/2024H2/customer/<nil>", "suppressed", "fewer_than_5")
	check(t, rows, "G1/2024H2/customer/<nil>", "score", nil)
	check(t, rows, "G1/2024H2/customer/<nil>", "suppressed", "complementary")
	check(t, rows, "G1/2024H1/employee/<nil>", "suppressed", nil)
}

func TestCadenceComplianceByHand(t *testing.T) {
	db := fixture(t)
	rows := rowsBy(t, runQ(t, db, "cadence_compliance", halfParams()), "group_id", "period", "kind")
	// Slots count only when U1 has records at the kind's level: group level Jan, Feb, Mar, May,
	// Aug; branch level (M6) March.
	check(t, rows, "G1/2024H1/group_meeting", "slots_required", 4)
	check(t, rows, "G1/2024H1/group_meeting", "slots_met", 3)
	check(t, rows, "G1/2024H1/group_meeting", "compliance", 0.75)
	check(t, rows, "G1/2024H1/committee_meeting", "slots_required", 1)
	check(t, rows, "G1/2024H1/committee_meeting", "slots_met", 1) // the branch's M6 counts for G1
	check(t, rows, "G1/2024H1/demo_day", "slots_required", 2)
	check(t, rows, "G1/2024H1/demo_day", "slots_met", 1)
	check(t, rows, "G1/2024H1/group_meeting", "kind_zh", "党小组会")
	if _, ok := rows["G1/2024H2/life_meeting"]; ok {
		t.Error("a kind with no records at all was required") // TestNoRecordsIsNotAFinding adds one
	}
	check(t, rows, "G2/2024H1/group_meeting", "slots_required", 1) // formed 1 April; May only
	if _, ok := rows["G2/2024H1/committee_meeting"]; ok {
		t.Error("committee meetings required in Apr–Jun, which have no branch-level records")
	}
	check(t, rows, "G2/2024H1/demo_day", "slots_required", 1)
}

func TestPanelLagsActivityWithinGroup(t *testing.T) {
	db := fixture(t)
	p := halfParams()
	p.Lags = []int{0, 1}
	rows := rowsBy(t, runQ(t, db, "panel", p), "group_id", "period", "lag")
	check(t, rows, "G1/2024H2/0", "meetings_held", 1)
	check(t, rows, "G1/2024H2/1", "meetings_held", 4) // G1's H1 activity
	check(t, rows, "G1/2024H2/1", "violations_per_100_staff", 0.0)
	check(t, rows, "G1/2024H1/1", "meetings_held", nil) // 2023H2 is outside the range
	// G2 was formed on 2024-04-01: its 2024H1 covers part of the half, so it is not a row of the
	// panel and not the lagged activity of its 2024H2 either.
	check(t, rows, "G2/2024H2/1", "meetings_held", nil)
	if _, ok := rows["G2/2024H1/0"]; ok {
		t.Error("G2's partial 2024H1 is in the panel")
	}
	check(t, rows, "G1/2024H1/0", "employee_satisfaction", 80.0)
	check(t, rows, "G2/2024H2/0", "customer_satisfaction", nil) // 3 respondents
	check(t, rows, "G1/2024H2/0", "customer_satisfaction", nil) // complementary to G2's 3 respondents, as in group_surveys
	if len(rows) != 6 {
		t.Errorf("want G1 × 2 halves × 2 lags and G2 × 2024H2 × 2 lags, got %d rows", len(rows))
	}
}

func TestPeriodGrains(t *testing.T) {
	db := fixture(t)
	for _, tc := range []struct {
		period, key string
		meetings    int
	}{
		{"month", "G1/2024-02", 2},
		{"quarter", "G1/2024Q1", 3},
		{"half", "G1/2024H1", 4},
		{"year", "G1/2024", 5},
	} {
		p := halfParams()
		p.Period = tc.period
		rows := rowsBy(t, runQ(t, db, "group_activity", p), "group_id", "period")
		check(t, rows, tc.key, "meetings_held", tc.meetings)
	}
	if _, err := queries.Run(context.Background(), db, "group_activity", queries.Params{Period: "week"}); err == nil {
		t.Error("period week accepted")
	}
}

func TestDefaultRangeIsTheYearsWithRecords(t *testing.T) {
	db := fixture(t)
	rows := rowsBy(t, runQ(t, db, "group_activity", queries.Params{Period: "year", Unit: "U1"}), "group_id", "period")
	// Records span 2024 only: G1 (formed 2023) appears for 2024 only.
	if len(rows) != 2 {
		t.Errorf("rows = %v", rows)
	}
	check(t, rows, "G1/2024", "meetings_held", 5)
}

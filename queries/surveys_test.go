package queries_test

import (
	"fmt"
	"strings"
	"testing"
)

// The survey cells against a second method: count(DISTINCT respondent) and the points of every
// answer per cell, straight from the answers. The answers are the hard cases of the respondent
// counts: respondents who skip dimensions, a questionnaire of 70 dimensions (past the 64 a
// respondent's set of answered dimensions holds, so its last ones are counted one by one), one
// respondent answering on two days and one for two teams of the same group within the half.
func TestSurveyCellsAgainstDistinctRespondents(t *testing.T) {
	db := fixture(t)
	var items, resp []string
	for d := range 70 {
		items = append(items, fmt.Sprintf("('S9', 'W%02d', NULL, 'dim%02d', 'employee', %d, %v, 1, %d)", d, d, 3+d%7, d%4 == 0, 300+d))
	}
	row := 1000
	for k := range 12 {
		for d := range 70 {
			if (d+k)%3 == 0 {
				continue // respondent k skips a third of the dimensions, a different third each
			}
			team, day := "T1", "2024-05-20"
			if k == 0 && d >= 35 {
				day = "2024-05-27" // the second half of the questionnaire a week later
			}
			if k == 1 && d%2 == 1 {
				team, day = "T2", "2024-02-14" // T2 is G1's team until the end of March
			}
			row++
			resp = append(resp, fmt.Sprintf("('S9', 'E%d', 'W%02d', %d, 'U1', '%s', DATE '%s', 1, %d)", k, d, 1+(k*7+d*3)%(3+d%7), team, day, row))
		}
	}
	for _, s := range []string{
		"INSERT INTO survey_items VALUES " + strings.Join(items, ",\n"),
		"INSERT INTO survey_responses VALUES " + strings.Join(resp, ",\n"),
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	const reference = `
		WITH a AS (
			SELECT gt.group_id,
			       CAST(year(r.responded_on) AS VARCHAR) || CASE WHEN month(r.responded_on) <= 6 THEN 'H1' ELSE 'H2' END AS period,
			       i.audience, i.dimension, r.survey_id, r.response_id,
			       (CASE WHEN coalesce(i.reverse, false) THEN i.scale_max + 1 - r.score ELSE r.score END - 1) * (2520 // (i.scale_max - 1)) AS points
			FROM survey_responses AS r
			JOIN survey_items AS i ON i.survey_id = r.survey_id AND i.item_code = r.item_code
			JOIN group_teams AS gt ON gt.team_id = r.team_id
			    AND r.responded_on >= gt.valid_from AND (gt.valid_to IS NULL OR r.responded_on <= gt.valid_to)
			WHERE year(r.responded_on) = 2024
		)
		SELECT group_id, period, audience, coalesce(dimension, '<nil>'),
		       count(DISTINCT (survey_id, response_id)), 100 * sum(points) / (2520 * count(points))
		FROM a
		GROUP BY GROUPING SETS ((group_id, period, audience, dimension), (group_id, period, audience))`
	rows, err := db.Query(reference)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]any{}
	for rows.Next() {
		var g, p, a, d string
		var n int64
		var score float64
		if err := rows.Scan(&g, &p, &a, &d, &n, &score); err != nil {
			t.Fatal(err)
		}
		want[g+"/"+p+"/"+a+"/"+d] = [2]any{n, score}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, runQ(t, db, "group_surveys", halfParams()), "group_id", "period", "audience", "dimension")
	shown := 0
	for key, w := range want {
		r, ok := got[key]
		if !ok {
			t.Errorf("group_surveys has no cell %s", key)
			continue
		}
		if r["suppressed"] != nil {
			continue
		}
		shown++
		if fmt.Sprint(r["respondents"]) != fmt.Sprint(w[0]) || fmt.Sprint(r["score"]) != fmt.Sprint(w[1]) {
			t.Errorf("%s: %v respondents, score %v; the answers give %v and %v", key, r["respondents"], r["score"], w[0], w[1])
		}
	}
	if len(got) != len(want) {
		t.Errorf("group_surveys has %d cells, the answers %d", len(got), len(want))
	}
	// Every S9 dimension cell of G1 in 2024H1 has 8 of the 12 respondents, so it is shown.
	check(t, got, "G1/2024H1/employee/dim69", "respondents", 8)
	check(t, got, "G1/2024H1/employee/dim00", "respondents", 8)
	if shown < 71 {
		t.Errorf("only %d cells shown: the comparison would not cover the 70 dimensions", shown)
	}
}

package queries_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/queries"
)

// TestAwardSpreadsByHand: 40 members of one unit; in 2023 four of them get one award each, in
// 2024 one member gets four. Worked by hand: 2023 tallies 36/4/0/0 and is no more concentrated
// than chance (four awards among 40 usually land on four people); 2024 tallies 39/0/0/1, which
// random allocation almost never gives (p = 1/(draws+1)); over both years the member with four
// has four and the others one: 35/4/0/1.
func TestAwardSpreadsByHand(t *testing.T) {
	w := warehousetest.New(t)
	db := w.DB()
	var people, awards []string
	for i := 1; i <= 40; i++ {
		people = append(people, fmt.Sprintf("('P%02d', 'member', true, 'G1', 'T1', 1, %d)", i, i))
	}
	for i := 1; i <= 4; i++ {
		awards = append(awards, fmt.Sprintf("('A23-%d', 'P%02d', '优秀共产党员', DATE '2023-06-0%d', 1, %d)", i, i, i, i))
		awards = append(awards, fmt.Sprintf("('A24-%d', 'P40', '优秀共产党员', DATE '2024-06-0%d', 1, %d)", i, i, 10+i))
	}
	for _, s := range []string{
		`INSERT INTO units VALUES ('U1', '线路工区', 'work_area', NULL, 1, 1)`,
		`INSERT INTO branches VALUES ('B1', '线路党支部', 'U1', 5, 1, 1)`,
		`INSERT INTO party_groups VALUES ('G1', '运行党小组', 'B1', DATE '2020-01-01', NULL, NULL, NULL, 1, 1)`,
		`INSERT INTO teams VALUES ('T1', '运行一班', 'U1', 'line', 40, 1, 1)`,
		`INSERT INTO people (person_id, role, is_member, group_id, team_id, _batch_id, _source_row) VALUES ` + strings.Join(people, ", "),
		`INSERT INTO awards (award_id, person_id, title, awarded_on, _batch_id, _source_row) VALUES ` + strings.Join(awards, ", "),
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	rs, err := queries.AwardSpreads(context.Background(), db, queries.Params{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]queries.AwardSpread{}
	for _, s := range rs {
		got[fmt.Sprintf("%s/%d", s.Kind, s.Year)] = s
	}
	for _, tt := range []struct {
		key          string
		tally        [4]int
		total        int
		concentrated bool
	}{
		{"awards/2023", [4]int{36, 4, 0, 0}, 4, false},
		{"awards/2024", [4]int{39, 0, 0, 1}, 4, true},
		{"awards/0", [4]int{35, 4, 0, 1}, 8, true},
		{"model_posts/2024", [4]int{40, 0, 0, 0}, 0, false},
	} {
		s, ok := got[tt.key]
		if !ok {
			t.Errorf("%s missing (have %v)", tt.key, rs)
			continue
		}
		if s.Tally != tt.tally || s.Total != tt.total || s.Members != 40 {
			t.Errorf("%s: tally %v total %d members %d, want %v %d 40", tt.key, s.Tally, s.Total, s.Members, tt.tally, tt.total)
		}
		if s.HasAny != (tt.total > 0) || s.HasAny && s.Chance.Concentrated() != tt.concentrated {
			t.Errorf("%s: chance %+v, want concentrated %v", tt.key, s.Chance, tt.concentrated)
		}
	}
	// 2024: one of 40 holds everything, Gini (n−1)/n = 0.975; the chance of four random awards
	// all landing on one member is 40·(1/40)^4, so nearly every draw is less concentrated.
	if s := got["awards/2024"]; s.Chance.Observed != 0.975 || s.Chance.P != 1/float64(s.Chance.Draws+1) {
		t.Errorf("2024: %+v", s.Chance)
	}
}

package queries_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// TestMetricViewsAreTheQueriesAtMonthGrain: each metric view, created as serve creates it,
// holds exactly the rows of its named query at month grain under the same configuration, and
// a configuration other than the defaults reaches the view.
func TestMetricViewsAreTheQueriesAtMonthGrain(t *testing.T) {
	ctx := context.Background()
	db := fixture(t)
	lenient := queries.DefaultConfig()
	lenient.DefectLimits.Serious = 10 // D2 (serious, eliminated after 8 days) becomes timely
	for _, tc := range []struct {
		name string
		cfg  *queries.Config
	}{{"defaults", nil}, {"lenient defect limits", &lenient}} {
		t.Run(tc.name, func(t *testing.T) {
			stmts, err := queries.MetricViewStatements(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			for _, s := range stmts {
				if _, err := conn.ExecContext(ctx, s); err != nil {
					t.Fatalf("%v\n%.300s", err, s)
				}
			}
			for _, v := range queries.MetricViews {
				rows, err := conn.QueryContext(ctx, "SELECT * FROM "+v.Name)
				if err != nil {
					t.Fatal(err)
				}
				got, err := queries.Collect(rows, 0)
				if err != nil {
					t.Fatal(err)
				}
				want, err := queries.RunQuery(ctx, db, mustQuery(t, v.Query), queries.Params{Period: "month", Config: tc.cfg}, 0)
				if err != nil {
					t.Fatal(err)
				}
				if len(want.Rows) == 0 {
					t.Fatalf("%s: the query has no rows on the fixture", v.Query)
				}
				if g, w := fmt.Sprint(got.Columns, got.Rows), fmt.Sprint(want.Columns, want.Rows); g != w {
					t.Errorf("%s differs from %s --period month:\n%.600s\nwant\n%.600s", v.Name, v.Query, g, w)
				}
			}
			// By hand: G1 met twice in February 2024 (M2, M3); D2 (serious, eliminated after 8
			// days) is late under the default 7 days and timely under 10: February's share is 0 or 1.
			var held int
			var timely float64
			if err := conn.QueryRowContext(ctx, `SELECT a.meetings_held, o.timely_elimination_share
				FROM metric_group_activity a JOIN metric_group_outcomes o USING (group_id, period)
				WHERE group_id = 'G1' AND period = '2024-02'`).Scan(&held, &timely); err != nil {
				t.Fatal(err)
			}
			wantTimely := 0.0
			if tc.cfg != nil {
				wantTimely = 1
			}
			if held != 2 || timely != wantTimely {
				t.Errorf("G1 2024-02: meetings_held %d, timely_elimination_share %v; want 2, %v", held, timely, wantTimely)
			}
		})
	}
}

func mustQuery(t *testing.T, name string) queries.Query {
	t.Helper()
	reg, err := queries.Default()
	if err != nil {
		t.Fatal(err)
	}
	q, err := reg.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

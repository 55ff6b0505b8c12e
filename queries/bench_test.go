package queries_test

import (
	"context"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// BenchmarkAnalyze compares a default analyze run (half-years, lags 0 and 1) with running only
// its SQL (the panel, team_events and date_range queries, rows collected) on the company scale.
// Goal: analyze ≤ 1.3 × its bare SQL. Run with
//
//	go test ./queries -run '^$' -bench Analyze -benchtime 5x -count 5
func BenchmarkAnalyze(b *testing.B) {
	w, _ := companyWarehouse(b)
	ctx := context.Background()
	reg, err := queries.Default()
	if err != nil {
		b.Fatal(err)
	}
	p := queries.Params{Period: "half", Lags: []int{0, 1}}
	b.Run("sql", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, name := range []string{"panel", "team_events", "date_range"} {
				if _, err := reg.Run(ctx, w.DB(), name, p, 0); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("analyze", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := queries.Analyze(ctx, w.DB(), queries.AnalyzeOptions{Period: "half", Lags: []int{0, 1}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package queries_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
)

// reproScale picks the generated scale of TestAnalyzeReproducible (MINGDENG_REPRO_SCALE), so the
// test can be pointed at a larger warehouse by hand.
func reproScale() synth.Scale {
	if s := os.Getenv("MINGDENG_REPRO_SCALE"); s != "" {
		return synth.Scale(s)
	}
	return synth.ScaleTiny
}

// Analyze gives the same answer every run on the same warehouse, with DuckDB running its
// aggregates on several threads: users must be able to reproduce every figure they publish.
// Parallel float sums differ in the last bit from run to run, and mathematically equal averages
// (70 against 69.99999999999999) then break rank ties one way or the other.
func TestAnalyzeReproducible(t *testing.T) {
	ctx := context.Background()
	db, _ := ingestGenerated(t, synth.Options{Scale: reproScale(), Seed: 3})

	const runs = 6
	var first []byte
	for i := range runs {
		// A fresh connection each run: DuckDB hands the row groups to its threads anew.
		w, err := warehouse.Open(ctx, db, warehouse.Options{ReadOnly: true, Settings: map[string]string{"threads": "4"}})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		for _, period := range []string{"half", "quarter"} {
			res, err := queries.Analyze(ctx, w.DB(), queries.AnalyzeOptions{Period: period, Lags: []int{0, 1}})
			if err != nil {
				w.Close()
				t.Fatalf("analyze %s: %v", period, err)
			}
			b, err := json.Marshal(res)
			if err != nil {
				w.Close()
				t.Fatal(err)
			}
			out.Write(b)
			for _, q := range []string{"panel", "group_surveys", "unit_surveys", "outcome_trends", "assessment_totals"} {
				tb, err := queries.Run(ctx, w.DB(), q, queries.Params{Period: period, Lags: []int{0, 1}})
				if err != nil {
					w.Close()
					t.Fatalf("%s: %v", q, err)
				}
				fmt.Fprintf(&out, "%s %v\n", q, tb.Rows)
			}
		}
		w.Close()
		if i == 0 {
			first = out.Bytes()
			continue
		}
		if !bytes.Equal(first, out.Bytes()) {
			a, b := first, out.Bytes()
			at := 0
			for at < len(a) && at < len(b) && a[at] == b[at] {
				at++
			}
			lo := max(0, at-200)
			t.Fatalf("run %d differs from run 1 at byte %d:\n run 1: …%s…\n run %d: …%s…", i+1, at,
				a[lo:min(len(a), at+200)], i+1, b[lo:min(len(b), at+200)])
		}
	}
}

package queries_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/queries"
)

// ComplianceByGroup holds group_compliance's values, group by group in its order, each group's
// periods and compliance in period order, including the periods with no compliance (NULL):
// the report's grid read from it is the grid read from group_compliance.
func TestComplianceByGroupFoldsGroupCompliance(t *testing.T) {
	ctx := context.Background()
	w := openGenerated(t, synth.Options{Scale: synth.ScaleTiny, Seed: 5})
	for _, period := range []string{"month", "half"} {
		// To a year past the records: months whose unit has no meeting records (NULL).
		p := queries.Params{Period: period, To: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)}
		long, err := queries.Run(ctx, w.DB(), "group_compliance", p)
		if err != nil {
			t.Fatal(err)
		}
		folded, err := queries.ComplianceByGroup(ctx, w.DB(), p)
		if err != nil {
			t.Fatal(err)
		}
		lc, err := long.Cols("unit_id", "unit_name", "branch_id", "group_id", "group_name", "period", "compliance")
		if err != nil {
			t.Fatal(err)
		}
		fc, err := folded.Cols("unit_id", "unit_name", "branch_id", "group_id", "group_name", "periods", "compliance")
		if err != nil {
			t.Fatal(err)
		}
		// The long rows as the folded ones should read.
		var want []string
		nulls := 0
		for i, row := range long.Rows {
			if row[lc[6]] == nil {
				nulls++
			}
			if i == 0 || row[lc[3]] != long.Rows[i-1][lc[3]] {
				want = append(want, fmt.Sprint(row[lc[0]], row[lc[1]], row[lc[2]], row[lc[3]], row[lc[4]]))
			}
			want[len(want)-1] += fmt.Sprintf(" %v=%v", row[lc[5]], row[lc[6]])
		}
		var got []string
		for _, row := range folded.Rows {
			s := fmt.Sprint(row[fc[0]], row[fc[1]], row[fc[2]], row[fc[3]], row[fc[4]])
			ps, _ := row[fc[5]].([]any)
			cs, _ := row[fc[6]].([]any)
			if len(ps) != len(cs) {
				t.Fatalf("%s: %d periods and %d values in %s", period, len(ps), len(cs), s)
			}
			for k := range ps {
				s += fmt.Sprintf(" %v=%v", ps[k], cs[k])
			}
			got = append(got, s)
		}
		if len(want) == 0 || nulls == 0 {
			t.Fatalf("%s: %d groups, %d periods without compliance: the comparison covers too little", period, len(want), nulls)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: folded\n%.400v\nwant\n%.400v", period, got, want)
		}
	}
}

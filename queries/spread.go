package queries

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// How awards and model posts spread over members, and whether they are more concentrated than
// chance: the award_spread histogram (members with 0, 1, 2, … per year and over all years)
// with stats.GiniVsChance on it.

// unitChanceDraws is the random allocations per unit and year in Concentration: a province
// has thousands of such cells, and 199 draws resolve p to 0.005, enough for a 5% verdict.
const unitChanceDraws = 199

// spreadWork bounds the random allocations of one AwardSpread row (draws × members).
const spreadWork = 20_000_000

// chanceOf compares counts with random allocation, seeded from the scope so the same data
// give the same result on every run; ok is false when nobody holds anything.
func chanceOf(counts []float64, draws int, scope string) (stats.Chance, bool, error) {
	h := fnv.New64a()
	h.Write([]byte(scope))
	c, err := stats.GiniVsChance(counts, draws, h.Sum64())
	if errors.Is(err, stats.ErrZeroTotal) {
		return c, false, nil
	}
	return c, err == nil, err
}

// AwardSpread is one kind (awards, model_posts) in one year (0: all years of the period) over
// the members in scope.
type AwardSpread struct {
	Kind    string
	Year    int
	Members int
	Total   int    // awards (or posts) handed out
	Tally   [4]int // members with 0, 1, 2, 3 or more
	Chance  stats.Chance
	HasAny  bool // Total > 0: Chance is filled
}

// AwardSpreads runs award_spread and sets each row against random allocation of the same
// number of awards to the same members.
func AwardSpreads(ctx context.Context, db Querier, p Params) ([]AwardSpread, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	tb, err := r.Run(ctx, db, "award_spread", p, 0)
	if err != nil {
		return nil, fmt.Errorf("award spread: %w", err)
	}
	ki, err1 := spreadCol(tb, "kind")
	yi, err2 := spreadCol(tb, "year")
	ti, err3 := spreadCol(tb, "times")
	mi, err4 := spreadCol(tb, "members")
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return nil, fmt.Errorf("award spread: %w", err)
	}
	var out []AwardSpread
	var counts [][]float64
	for _, row := range tb.Rows {
		kind, _ := row[ki].(string)
		year := 0
		if y, ok := row[yi].(int64); ok {
			year = int(y)
		}
		if len(out) == 0 || out[len(out)-1].Kind != kind || out[len(out)-1].Year != year {
			out = append(out, AwardSpread{Kind: kind, Year: year})
			counts = append(counts, nil)
		}
		s := &out[len(out)-1]
		times, members := int(Number(row[ti])), int(Number(row[mi]))
		s.Members += members
		s.Total += times * members
		s.Tally[min(times, 3)] += members
		for range members {
			counts[len(counts)-1] = append(counts[len(counts)-1], float64(times))
		}
	}
	// Each row's draws are seeded by its own scope, so the rows run on every core and give the
	// same result in any order (at province scale about 1.5 CPU-s of random allocations).
	err = runParallel(ctx, len(out), func(_, i int) error {
		s := &out[i]
		draws := min(999, max(99, spreadWork/max(1, s.Members+s.Total)))
		ch, ok, err := chanceOf(counts[i], draws, fmt.Sprintf("%s/%d", s.Kind, s.Year))
		if err != nil {
			return fmt.Errorf("award spread %s %d: %w", s.Kind, s.Year, err)
		}
		s.Chance, s.HasAny = ch, ok
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// spreadCol finds a column of award_spread by name.
func spreadCol(tb *Table, name string) (int, error) {
	for i, c := range tb.Columns {
		if c.Name == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("no column %q in award_spread", name)
}

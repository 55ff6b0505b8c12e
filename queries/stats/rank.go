package stats

import (
	"cmp"
	"math"
	"slices"
)

// Ranks returns the ranks of x, 1-based, giving tied values the average of the ranks they span
// (mid-ranks, R's ties.method = "average"). NaN values get the rank NaN and are left out of the
// ranking of the others.
func Ranks(x []float64) []float64 {
	r, _ := midranks(x)
	return r
}

// midranks returns the mid-ranks of x and the tie term Σ(t³ − t) over groups of t tied values.
func midranks(x []float64) ([]float64, float64) {
	out := make([]float64, len(x))
	type vi struct {
		v float64
		i int
	}
	idx := make([]vi, 0, len(x))
	for i, v := range x {
		if math.IsNaN(v) {
			out[i] = math.NaN()
			continue
		}
		idx = append(idx, vi{v, i})
	}
	// pdqsort on (value, index) pairs, the index as tie-break: the order sort.SliceStable gave,
	// without its O(n log² n) merging and indirect loads (at province scale, 130 k values per
	// call, the stable sort was 6 s of analyze's 30 s of CPU).
	slices.SortFunc(idx, func(a, b vi) int {
		if c := cmp.Compare(a.v, b.v); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	ties := 0.0
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && idx[j].v == idx[i].v {
			j++
		}
		// positions i..j-1 (0-based) hold ranks i+1..j; their mean is (i+1+j)/2.
		r := float64(i+1+j) / 2
		for k := i; k < j; k++ {
			out[idx[k].i] = r
		}
		if t := float64(j - i); t > 1 {
			ties += t*t*t - t
		}
		i = j
	}
	return out, ties
}

package stats

import (
	"math"
	"sort"
)

// BH returns Benjamini–Hochberg adjusted p-values (false discovery rate, 错误发现率): with the m
// finite p-values sorted ascending, p_adj(i) = min over j ≥ i of min(1, m·p(j)/j), which makes the
// adjusted values monotone in p and capped at 1 (R's p.adjust(method = "BH")). NaN and other
// non-finite p-values are left out of m and stay NaN.
func BH(p []float64) []float64 {
	out := make([]float64, len(p))
	idx := make([]int, 0, len(p))
	for i, v := range p {
		out[i] = math.NaN()
		if finite(v) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	m := float64(len(idx))
	run := 1.0
	for k := len(idx) - 1; k >= 0; k-- {
		v := math.Min(1, m/float64(k+1)*p[idx[k]]) // (m/i)·p as R does: never below p
		run = math.Min(run, v)
		out[idx[k]] = run
	}
	return out
}

// AdjustBH fills PAdj of the results in place with Benjamini–Hochberg adjusted p-values over
// one family: the results for which include returns true (all when include is nil) and whose P
// is finite. Excluded results get PAdj = NaN.
func AdjustBH(rs []Result, include func(Result) bool) {
	AdjustBHFamilies(rs, func(r Result) string {
		if include == nil || include(r) {
			return "all"
		}
		return ""
	})
}

// AdjustBHFamilies fills PAdj in place, adjusting each family separately: family names the
// family of a result, "" leaving it out (PAdj = NaN). Choose families deliberately: a family is a
// set of tests read together. Leave out diagnostics such as MethodPreTrend and all but one of the
// tests that ask the same question (Welch's t or Hedges' g, not both). Pooling tests of different
// designs in one family lets the many true discoveries of one design (cross-sectional
// correlations, which group quality confounds) loosen the threshold for the others.
func AdjustBHFamilies(rs []Result, family func(Result) string) {
	members := map[string][]int{}
	var order []string
	for i, r := range rs {
		rs[i].PAdj = math.NaN()
		f := family(r)
		if f == "" {
			continue
		}
		if _, ok := members[f]; !ok {
			order = append(order, f)
		}
		members[f] = append(members[f], i)
	}
	for _, f := range order {
		idx := members[f]
		p := make([]float64, len(idx))
		for k, i := range idx {
			p[k] = rs[i].P
		}
		for k, v := range BH(p) {
			rs[idx[k]].PAdj = v
		}
	}
}

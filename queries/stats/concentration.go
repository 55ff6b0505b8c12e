package stats

import (
	"fmt"
	"math"
	"sort"
)

// Gini returns the Gini coefficient of non-negative counts (one per member, members with zero
// included): G = Σ_i Σ_j |x_i − x_j| / (2n²·mean), computed from the sorted values as
// G = Σ_i (2i − n − 1)·x_(i) / (n·Σx). 0 means everyone has the same; the maximum, one member
// holding everything, is (n−1)/n, so small groups cannot reach 1. Ties need no rule: the value
// does not depend on the order of equal counts. An empty slice, a negative or non-finite count
// is an ErrInput error; all zeros is ErrZeroTotal.
func Gini(counts []float64) (float64, error) {
	x, err := sortedCounts(counts)
	if err != nil {
		return math.NaN(), fmt.Errorf("gini: %w", err)
	}
	n := float64(len(x))
	var num, total float64
	for i, v := range x {
		num += (2*float64(i+1) - n - 1) * v
		total += v
	}
	return num / (n * total), nil
}

// TopShare returns the share of the total held by the top frac of members: k = ⌈frac·n⌉ members
// (at least 1) with the largest counts, sum of their counts ÷ total. Ties at the cut do not
// matter, since the sum of the k largest values is the same whichever tied member is counted.
// With n < 1/frac the top group is one member, more than frac of the members.
func TopShare(counts []float64, frac float64) (float64, error) {
	if !(frac > 0 && frac <= 1) {
		return math.NaN(), fmt.Errorf("%w: top share: fraction %v outside (0, 1]", ErrInput, frac)
	}
	x, err := sortedCounts(counts)
	if err != nil {
		return math.NaN(), fmt.Errorf("top share: %w", err)
	}
	n := len(x)
	k := topK(n, frac)
	var top, total float64
	for i, v := range x {
		total += v
		if i >= n-k {
			top += v
		}
	}
	return top / total, nil
}

func topK(n int, frac float64) int {
	k := int(math.Ceil(frac*float64(n) - 1e-9))
	return max(1, min(n, k))
}

func sortedCounts(counts []float64) ([]float64, error) {
	if len(counts) == 0 {
		return nil, fmt.Errorf("%w: no members", ErrInput)
	}
	x := make([]float64, len(counts))
	total := 0.0
	for i, v := range counts {
		if !finite(v) || v < 0 {
			return nil, fmt.Errorf("%w: count %v at position %d (counts must be finite and ≥ 0)", ErrInput, v, i)
		}
		x[i] = v
		total += v
	}
	if total == 0 {
		return nil, ErrZeroTotal
	}
	sort.Float64s(x)
	return x, nil
}

// Concentration measures how concentrated awards or model posts are across members (the
// "Matthew effect", 马太效应) and returns two Results: MethodGini and MethodTopShare (top 10%).
// counts holds one count per member in the scope (e.g. one unit and year), members with none
// included. N is the number of members, Statistic the total count. The CI and P are null: the
// members of a unit are the whole population, not a sample, so there is no sampling uncertainty
// to report. All-zero counts give NaN estimates with WarnZeroVariance; fewer than 10 members
// give WarnSmallN (the top 10% is then one person).
func Concentration(counts []float64, m Meta) ([]Result, error) {
	g := newResult(MethodGini, m)
	t := newResult(MethodTopShare, m)
	out := []Result{g, t}
	total := 0.0
	for i, v := range counts {
		if !finite(v) || v < 0 {
			return nil, fmt.Errorf("%w: concentration: count %v at position %d (counts must be finite and ≥ 0)", ErrInput, v, i)
		}
		total += v
	}
	for i := range out {
		out[i].N = len(counts)
		out[i].Statistic = total
		out[i].Warnings = []Warning{}
	}
	if len(counts) == 0 {
		for i := range out {
			out[i].warn(warnTooFew(0, 1))
		}
		return out, nil
	}
	if total == 0 {
		for i := range out {
			out[i].warn(warnZeroVariance("the count (nobody in scope has any)", "计数（范围内无人获得）"))
		}
		return out, nil
	}
	if len(counts) < 10 {
		w := warning(WarnSmallN,
			fmt.Sprintf("only %d members: the top 10%% is %d person(s), and the Gini coefficient cannot exceed %.2f", len(counts), topK(len(counts), 0.1), float64(len(counts)-1)/float64(len(counts))),
			fmt.Sprintf("仅 %d 名成员：前 10%% 即 %d 人，基尼系数最大只能到 %.2f", len(counts), topK(len(counts), 0.1), float64(len(counts)-1)/float64(len(counts))))
		for i := range out {
			out[i].warn(w)
		}
	}
	var err error
	if out[0].Estimate, err = Gini(counts); err != nil {
		return nil, err
	}
	if out[1].Estimate, err = TopShare(counts, 0.1); err != nil {
		return nil, err
	}
	return out, nil
}

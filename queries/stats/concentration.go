package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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

// MethodGiniChance compares a Gini coefficient with what chance gives (see GiniVsChance).
const MethodGiniChance = "gini_vs_chance"

// Chance is an observed concentration set against random allocation: the same number of
// awards handed to the same members uniformly at random, each award independently (so one
// member may get several). Rare awards look concentrated even by chance: 100 awards among
// 1,000 members leave at least 900 with none, and the Gini is then near 0.9 whoever gets them.
type Chance struct {
	Members  int     // n
	Total    int     // awards handed out
	Observed float64 // the Gini of the actual counts
	Expected float64 // the mean Gini over the random allocations
	Upper95  float64 // the 95th percentile of the Gini over the random allocations
	P        float64 // share of random allocations at least as concentrated as observed ((k+1)/(draws+1))
	Draws    int
}

// Excess is how far the observed Gini lies above chance (negative: more even than chance).
func (c Chance) Excess() float64 { return c.Observed - c.Expected }

// Concentrated reports whether the observed concentration exceeds chance at the 5% level.
func (c Chance) Concentrated() bool { return c.P < 0.05 }

// GiniVsChance draws random allocations of the counts' total over len(counts) members and
// returns where the observed Gini falls among them. counts must be whole numbers ≥ 0 (awards);
// draws ≥ 99. The seed makes the result reproducible: the same counts give the same numbers.
// All-zero counts are ErrZeroTotal.
func GiniVsChance(counts []float64, draws int, seed uint64) (Chance, error) {
	c := Chance{Members: len(counts), Draws: draws, Observed: math.NaN(), Expected: math.NaN(), Upper95: math.NaN(), P: math.NaN()}
	if draws < 99 {
		return c, fmt.Errorf("%w: gini vs chance: %d draws (at least 99)", ErrInput, draws)
	}
	total := 0
	for i, v := range counts {
		if !finite(v) || v < 0 || v != math.Trunc(v) || v > 1e9 {
			return c, fmt.Errorf("%w: gini vs chance: count %v at position %d (whole numbers ≥ 0)", ErrInput, v, i)
		}
		total += int(v)
	}
	c.Total = total
	if len(counts) == 0 {
		return c, fmt.Errorf("%w: gini vs chance: no members", ErrInput)
	}
	if total == 0 {
		return c, ErrZeroTotal
	}
	obs, err := Gini(counts)
	if err != nil {
		return c, err
	}
	c.Observed = obs
	n := len(counts)
	rng := rand.New(rand.NewPCG(seed, uint64(n)<<32|uint64(total)))
	alloc := make([]int, n)
	var hist []int
	sims := make([]float64, draws)
	atLeast := 0
	for d := range sims {
		clear(alloc)
		top := 0
		for range total {
			k := rng.IntN(n)
			alloc[k]++
			top = max(top, alloc[k])
		}
		hist = slices.Grow(hist[:0], top+1)[:top+1]
		clear(hist)
		for _, a := range alloc {
			hist[a]++
		}
		g := giniFromHist(hist, n, total)
		sims[d] = g
		// A tolerance so an allocation equal to the observed one (ties) counts as "as concentrated".
		if g >= obs-1e-12 {
			atLeast++
		}
	}
	sort.Float64s(sims)
	sum := 0.0
	for _, g := range sims {
		sum += g
	}
	c.Expected = sum / float64(draws)
	c.Upper95 = sims[int(math.Ceil(0.95*float64(draws)))-1]
	c.P = float64(atLeast+1) / float64(draws+1)
	return c, nil
}

// giniFromHist is Gini from a histogram (hist[v] members hold v): the members holding v take
// sorted positions i0+1 … i0+m, whose weights (2i − n − 1) sum to m·(2·i0 + m − n).
func giniFromHist(hist []int, n, total int) float64 {
	num := 0.0
	i0 := 0
	for v, m := range hist {
		if m == 0 {
			continue
		}
		num += float64(v) * float64(m) * float64(2*i0+m-n)
		i0 += m
	}
	return num / (float64(n) * float64(total))
}

// ChanceResult is c as a Result: Estimate the excess over chance (observed − expected Gini),
// Statistic the expected Gini, EffectSize the observed Gini, P the permutation p-value; N the
// members, and no interval (the members are the whole population).
func (c Chance) Result(m Meta) Result {
	r := newResult(MethodGiniChance, m)
	r.N = c.Members
	r.Estimate = c.Excess()
	r.Statistic = c.Expected
	r.EffectSize = c.Observed
	r.P = c.P
	return r
}

package stats

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

// Column is one variable prepared for many tests: its values and the order of its finite values
// (by value, then position). Analyze tests every activity against every outcome, each time on the
// rows where both are finite; with the order sorted once, each test ranks its subset in linear
// time instead of sorting it again (at province scale the sorts were a fifth of analyze's CPU).
type Column struct {
	values []float64
	order  []int32
}

// NewColumn prepares v (kept, not copied: do not change it while the Column is in use).
func NewColumn(v []float64) *Column {
	type vi struct {
		v float64
		i int32
	}
	idx := make([]vi, 0, len(v))
	for i, x := range v {
		if finite(x) {
			idx = append(idx, vi{x, int32(i)})
		}
	}
	slices.SortFunc(idx, func(a, b vi) int {
		if c := cmp.Compare(a.v, b.v); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int32, len(idx))
	for k, p := range idx {
		order[k] = p.i
	}
	return &Column{values: v, order: order}
}

// ranksOf writes into out[pos[i]] the mid-rank of values[i] among the values whose pos is not
// negative (the subset under test) and returns the tie term Σ(t³ − t): exactly what midranks
// gives for the subset, since tied values share one rank whatever their order.
func (c *Column) ranksOf(pos []int32, out []float64) float64 {
	ties := 0.0
	rank := 0
	ord, v := c.order, c.values
	for j := 0; j < len(ord); {
		x := v[ord[j]]
		end, cnt := j, 0
		for end < len(ord) && v[ord[end]] == x {
			if pos[ord[end]] >= 0 {
				cnt++
			}
			end++
		}
		if cnt > 0 {
			r := float64(rank+1+rank+cnt) / 2
			for k := j; k < end; k++ {
				if p := pos[ord[k]]; p >= 0 {
					out[p] = r
				}
			}
			if t := float64(cnt); cnt > 1 {
				ties += t*t*t - t
			}
			rank += cnt
		}
		j = end
	}
	return ties
}

// GroupIndex codes the party group of each observation once, so the group warnings of many tests
// count into slices instead of building maps of names each time.
type GroupIndex struct {
	codes  []int32  // per observation
	names  []string // per code
	byName []int32  // codes in ascending order of name
}

// NewGroupIndex codes labels (one per observation).
func NewGroupIndex(labels []string) *GroupIndex {
	g := &GroupIndex{codes: make([]int32, len(labels))}
	seen := map[string]int32{}
	for i, l := range labels {
		c, ok := seen[l]
		if !ok {
			c = int32(len(g.names))
			seen[l] = c
			g.names = append(g.names, l)
		}
		g.codes[i] = c
	}
	g.byName = make([]int32, len(g.names))
	for i := range g.byName {
		g.byName[i] = int32(i)
	}
	sort.Slice(g.byName, func(a, b int) bool { return g.names[g.byName[a]] < g.names[g.byName[b]] })
	return g
}

// groupCounter holds the per-group tallies of dominance, reused across tests.
type groupCounter struct {
	g     *GroupIndex
	count []int
	wsum  []float64
}

func newGroupCounter(g *GroupIndex) *groupCounter {
	return &groupCounter{g: g, count: make([]int, len(g.names)), wsum: make([]float64, len(g.names))}
}

// dominance is the package's dominance check for the observations with the group codes sub (w
// aligned with sub, or nil): the same counts, sums in the same order, and the same choice of
// group (the first by name among the largest), so the warnings are identical.
func (c *groupCounter) dominance(sub []int32, w []float64) (int, []Warning) {
	if len(sub) == 0 {
		return 0, nil
	}
	clear(c.count)
	clear(c.wsum)
	total := 0.0
	present := 0
	for i, g := range sub {
		if c.count[g] == 0 {
			present++
		}
		c.count[g]++
		if w != nil {
			c.wsum[g] += w[i]
			total += w[i]
		}
	}
	var out []Warning
	if present < MinGroups {
		out = append(out, warnFewGroups(present))
	}
	top, best := "", -1
	for _, g := range c.g.byName {
		if n := c.count[g]; n > 0 && n > best {
			top, best = c.g.names[g], n
		}
	}
	if share := float64(best) / float64(len(sub)); share > DominantShare {
		out = append(out, warnDominantObs(top, share))
		return present, out
	}
	if w != nil && total > 0 {
		top, share := "", 0.0
		for _, g := range c.g.byName {
			if c.count[g] == 0 {
				continue
			}
			if s := c.wsum[g] / total; s > share {
				top, share = c.g.names[g], s
			}
		}
		if share > DominantShare {
			out = append(out, warnDominantLeverage(top, share))
		}
	}
	return present, out
}

// Correlator runs Pearson and Spearman on pairs of Columns of one panel, reusing its buffers: it
// is not safe for concurrent use (make one per goroutine; they may share the GroupIndex).
type Correlator struct {
	groups  *groupCounter // nil: no group warnings
	pos     []int32
	xs, ys  []float64
	rx, ry  []float64
	lev     []float64
	subCode []int32
}

// NewCorrelator returns a Correlator whose results carry the group warnings of groups (nil for
// none), as Meta.Groups does for Pearson and Spearman.
func NewCorrelator(groups *GroupIndex) *Correlator {
	c := &Correlator{}
	if groups != nil {
		c.groups = newGroupCounter(groups)
	}
	return c
}

// Pair returns Pearson(x, y) and Spearman(x, y), as the functions of those names give them with
// Meta.Groups set to the Correlator's groups (m.Groups is ignored).
func (c *Correlator) Pair(x, y *Column, m Meta) (pearson, spearman Result, err error) {
	n := len(x.values)
	if len(y.values) != n {
		return Result{}, Result{}, fmt.Errorf("%w: correlation: x has %d values, y has %d", ErrInput, n, len(y.values))
	}
	if c.groups != nil && len(c.groups.g.codes) != n {
		return Result{}, Result{}, fmt.Errorf("%w: correlation: %d group labels for %d observations", ErrInput, len(c.groups.g.codes), n)
	}
	m.Groups = nil
	if cap(c.pos) < n {
		c.pos = make([]int32, n)
		c.xs, c.ys = make([]float64, 0, n), make([]float64, 0, n)
		c.rx, c.ry, c.lev = make([]float64, n), make([]float64, n), make([]float64, n)
		c.subCode = make([]int32, 0, n)
	}
	pos := c.pos[:n]
	xs, ys, sub := c.xs[:0], c.ys[:0], c.subCode[:0]
	xv, yv := x.values, y.values
	for i := 0; i < n; i++ {
		if !finite(xv[i]) || !finite(yv[i]) {
			pos[i] = -1
			continue
		}
		pos[i] = int32(len(xs))
		xs = append(xs, xv[i])
		ys = append(ys, yv[i])
		if c.groups != nil {
			sub = append(sub, c.groups.g.codes[i])
		}
	}
	k := len(xs)
	if c.groups == nil {
		sub = nil
	}
	pearson = c.finish(MethodPearson, xs, ys, 0, 0, sub, m, n)
	if k < 3 {
		spearman = c.finish(MethodSpearman, xs, ys, 0, 0, sub, m, n)
		return pearson, spearman, nil
	}
	rx, ry := c.rx[:k], c.ry[:k]
	tx := x.ranksOf(pos, rx)
	ty := y.ranksOf(pos, ry)
	spearman = c.finish(MethodSpearman, rx, ry, tx, ty, sub, m, n)
	return pearson, spearman, nil
}

// finish computes a correlation from the complete pairs (ranks and tie terms already taken for
// Spearman); sub holds their group codes (nil: no group warnings), total the observations given.
func (c *Correlator) finish(method string, xs, ys []float64, tx, ty float64, sub []int32, m Meta, total int) Result {
	r := newResult(method, m)
	r.N = len(xs)
	r.Dropped = total - len(xs)
	if r.N < 3 {
		r.warn(warnTooFew(r.N, 3))
		return r
	}
	checkN(&r)
	if method == MethodSpearman {
		n := float64(r.N)
		if full := n*n*n - n; tx > full/2 || ty > full/2 {
			r.warn(warnMostTied())
		}
	}
	lev := c.lev[:len(xs)]
	sxx, syy, sxy := moments(xs, ys, lev)
	if sub != nil {
		var ws []Warning
		r.Groups, ws = c.groups.dominance(sub, lev)
		r.warn(ws...)
	}
	finishCorrelation(&r, method, sxx, syy, sxy)
	return r
}

package stats

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Regressor is one explanatory variable of a panel regression, one value per row. Name is its
// key (the Result's Activity); ZH and EN are what a reader calls it ("党小组长参加培训（滞后 1
// 期）", "group leader trained (lag 1)"), used by the warnings that name it, Name when empty.
type Regressor struct {
	Name   string
	ZH, EN string
	Values []float64
}

// labelEN and labelZH name the regressor in a warning's sentence, quoted as each language quotes.
func (r Regressor) labelEN() string { return `"` + cmp.Or(r.EN, r.Name) + `"` }
func (r Regressor) labelZH() string { return "“" + cmp.Or(r.ZH, r.Name) + "”" }

// Panel is long-form panel data: row i is party group Group[i] in period Period[i] with outcome
// Y[i] and regressor values X[j].Values[i]. Periods are labels (order does not matter for the
// fixed-effects regression). The panel may be unbalanced; rows with a non-finite value in Y or
// any regressor are dropped.
type Panel struct {
	Group  []string
	Period []string
	Y      []float64
	X      []Regressor
	// Cluster, when set, gives each row's cluster for the standard errors (nil: the group).
	// Groups must nest in clusters (every row of a group in one cluster): the group effects are
	// then not counted in the small-sample factor, as when clustering by group.
	Cluster []string
}

// Demeaning settings for the alternating projections (method of alternating projections, as in
// reghdfe and fixest): stop when a full sweep moves no value by more than demeanTol times the
// variable's standard deviation.
const (
	demeanTol     = 1e-10
	demeanMaxIter = 5000
)

// FixedEffects regresses the outcome on the regressors with party-group and period fixed
// effects (two-way within estimator, 双向固定效应), and returns one Result per regressor in the
// order of p.X, with Activity set to the regressor's name and Outcome and Lag from m.
//
// Estimation: rows with missing values are dropped, then singleton groups and periods (one
// row: they carry no within variation) are dropped repeatedly until none is left; y and every
// x are demeaned by group and by period alternately until convergence (exact for unbalanced
// panels); β is OLS on the demeaned data. Standard errors are clustered by group (CR1):
// V = c·(X̃'X̃)⁻¹ (Σ_g X̃_g'û_g û_g'X̃_g) (X̃'X̃)⁻¹ with c = G/(G−1)·(N−1)/(N−K), where K counts the
// regressors plus the T−1 period effects; the group effects are nested in the clusters and are
// not counted (as in Stata's xtreg, fe vce(cluster) and reghdfe). The CI and P use Student's t
// with G*−1 df, G* ≤ G the effective number of clusters of the coefficient (Carter, Schnepel and
// Steigerwald 2017; G when all groups weigh alike). Statistic is t, SE the clustered standard
// error, DF = G*−1, Groups = G, and
// EffectSize the within-standardised coefficient β·sd(x̃)/sd(ỹ).
//
// A regressor that does not vary within groups and periods is absorbed by the fixed effects:
// its Result is NaN with WarnAbsorbed, and the others are estimated without it. A fit with no
// residual degrees of freedom, or whose residuals are zero up to rounding, has no test: every
// Result is NaN with WarnSaturated.
func FixedEffects(p Panel, m Meta) ([]Result, error) {
	return FixedEffectsShared(p, m, nil)
}

// FECache holds the demeaned regressors of fixed-effects fits on one panel that differ only in
// the outcome (the same Group, Period and Panel.X slices): fits that keep the same rows demean
// the regressors once. It is safe for concurrent use; a nil *FECache shares nothing.
type FECache struct {
	mu sync.Mutex
	m  map[string]*feRegressors
}

// NewFECache returns an empty cache.
func NewFECache() *FECache { return &FECache{m: map[string]*feRegressors{}} }

// feRegressors are the regressors of one fit after demeaning, with what the fit derives from
// them alone.
type feRegressors struct {
	once      sync.Once
	xs        [][]float64 // demeaned
	converged bool        // every regressor's demeaning converged
	perX      [][]Warning // zero variance, absorbed
	cols      []int       // regressors with within variation
	xtx       []float64   // X̃'X̃ over cols, row-major upper triangle as computed
}

// FixedEffectsShared is FixedEffects with the regressors' demeaning shared through c (see
// FECache); the results are the same as FixedEffects gives.
func FixedEffectsShared(p Panel, m Meta, c *FECache) ([]Result, error) {
	n := len(p.Y)
	if len(p.Group) != n || len(p.Period) != n {
		return nil, fmt.Errorf("%w: fixed effects: %d groups, %d periods, %d outcomes", ErrInput, len(p.Group), len(p.Period), n)
	}
	if len(p.X) == 0 {
		return nil, fmt.Errorf("%w: fixed effects: no regressors", ErrInput)
	}
	xs := make([][]float64, len(p.X))
	for j, x := range p.X {
		if len(x.Values) != n {
			return nil, fmt.Errorf("%w: fixed effects: regressor %q has %d values for %d rows", ErrInput, x.Name, len(x.Values), n)
		}
		xs[j] = x.Values
	}
	if p.Cluster != nil && len(p.Cluster) != n {
		return nil, fmt.Errorf("%w: fixed effects: %d cluster labels for %d rows", ErrInput, len(p.Cluster), n)
	}
	f := fitFE(p.Group, p.Period, p.Cluster, p.Y, xs, p.X, c)
	out := make([]Result, len(xs))
	for j := range xs {
		mj := m
		mj.Activity = p.X[j].Name
		out[j] = f.result(MethodFixedEffects, mj, j)
	}
	return out, nil
}

// feFit is a fitted two-way fixed-effects regression.
type feFit struct {
	n, g, t, dropped int
	clusters         int       // clusters of the standard errors (g when clustering by group)
	beta, se, esize  []float64 // per regressor (NaN when not estimated)
	// effClusters is, per regressor, the effective number of clusters G* of Carter, Schnepel and
	// Steigerwald (2017) with no within-cluster correlation: (Σ_c a_c)² / Σ_c a_c², where a_c is
	// cluster c's share Σ_{i∈c} (x̃_i'(X̃'X̃)⁻¹e_j)² of the coefficient's variance. It equals G when
	// every cluster weighs the same and falls towards the number of clusters where the regressor
	// varies (the treated ones of a DiD) when few carry it.
	effClusters []float64
	perX        [][]Warning
	common      []Warning
	ok          bool // false: nothing estimated (see common)
}

// untestable records why the fit has no test (w, WarnSaturated), in place of the small-sample
// caveat, which speaks of an interval and a p-value the fit does not have.
func (f *feFit) untestable(w Warning) {
	f.common = slices.DeleteFunc(f.common, func(x Warning) bool { return x.Code == WarnSmallN })
	f.common = append(f.common, w)
}

func (f *feFit) result(method string, m Meta, j int) Result {
	r := newResult(method, m)
	r.N, r.Groups, r.Dropped = f.n, f.clusters, f.dropped
	r.warn(f.common...)
	r.warn(f.perX[j]...)
	if !f.ok || math.IsNaN(f.beta[j]) {
		return r
	}
	// Student's t with G* − 1 df: G − 1 when every cluster weighs the same in this coefficient,
	// fewer when a few clusters carry its variation (see effClusters).
	r.EffectSize = f.esize[j]
	r.setT(f.beta[j], f.se[j], math.Max(1, f.effClusters[j]-1))
	return r
}

// setT sets the estimate, its standard error, and the t statistic, two-sided p and 95% CI of a
// Student's t reference with df degrees of freedom.
func (r *Result) setT(beta, se, df float64) {
	r.Estimate, r.SE, r.DF = beta, se, df
	if se > 0 {
		t := beta / se
		dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
		r.Statistic = t
		r.P = 2 * dist.Survival(math.Abs(t))
		q := dist.Quantile(1 - (1-Level)/2)
		r.CILow, r.CIHigh = beta-q*se, beta+q*se
	}
}

// encode maps labels to dense codes 0..k-1 in order of first appearance.
func encode(labels []string) ([]int, int) {
	codes := make([]int, len(labels))
	seen := map[string]int{}
	for i, l := range labels {
		c, ok := seen[l]
		if !ok {
			c = len(seen)
			seen[l] = c
		}
		codes[i] = c
	}
	return codes, len(seen)
}

// keepRows returns the indices of complete rows with no singleton group or period left.
func keepRows(group, period []string, y []float64, xs [][]float64) []int {
	keep := make([]int, 0, len(y))
rows:
	for i := range y {
		if !finite(y[i]) {
			continue
		}
		for _, x := range xs {
			if !finite(x[i]) {
				continue rows
			}
		}
		keep = append(keep, i)
	}
	gcode, G := encode(group)
	tcode, T := encode(period)
	gc, tc := make([]int, G), make([]int, T)
	for {
		clear(gc)
		clear(tc)
		for _, i := range keep {
			gc[gcode[i]]++
			tc[tcode[i]]++
		}
		next := keep[:0:0]
		for _, i := range keep {
			if gc[gcode[i]] > 1 && tc[tcode[i]] > 1 {
				next = append(next, i)
			}
		}
		if len(next) == len(keep) {
			return keep
		}
		keep = next
	}
}

// demean removes group and period means from v in place by alternating projections and reports
// whether it converged. cnt* are the row counts per code.
func demean(v []float64, g, t []int, cntG, cntT []float64) bool {
	scale := sdev(v)
	if scale == 0 {
		for i := range v {
			v[i] = 0
		}
		return true
	}
	sg := make([]float64, len(cntG))
	st := make([]float64, len(cntT))
	for it := 0; it < demeanMaxIter; it++ {
		for k := range sg {
			sg[k] = 0
		}
		for i, x := range v {
			sg[g[i]] += x
		}
		for k := range sg {
			sg[k] /= cntG[k] // the same quotient as dividing per row, once per group
		}
		for i := range v {
			v[i] -= sg[g[i]]
		}
		for k := range st {
			st[k] = 0
		}
		for i, x := range v {
			st[t[i]] += x
		}
		moved := 0.0
		for k := range st {
			st[k] /= cntT[k]
			moved = math.Max(moved, math.Abs(st[k]))
		}
		for i := range v {
			v[i] -= st[t[i]]
		}
		if moved <= demeanTol*scale {
			return true
		}
	}
	return false
}

func sdev(v []float64) float64 {
	if len(v) < 2 {
		return 0
	}
	m := mean(v)
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(v)-1))
}

func sumsq(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return s
}

// fitFE fits y on xs with group and period fixed effects and group-clustered CR1 errors; regs
// name the regressors in warnings (their Values are not read).
func fitFE(group, period, cluster []string, yAll []float64, xsAll [][]float64, regs []Regressor, cache *FECache) *feFit {
	p := len(xsAll)
	nan := math.NaN()
	f := &feFit{
		beta: fill(p, nan), se: fill(p, nan), esize: fill(p, nan),
		perX: make([][]Warning, p),
	}
	keep := keepRows(group, period, yAll, xsAll)
	f.n = len(keep)
	f.dropped = len(yAll) - f.n
	gl := make([]string, f.n)
	tl := make([]string, f.n)
	cl := gl
	if cluster != nil {
		cl = make([]string, f.n)
	}
	y := make([]float64, f.n)
	for k, i := range keep {
		gl[k], tl[k], y[k] = group[i], period[i], yAll[i]
		if cluster != nil {
			cl[k] = cluster[i]
		}
	}
	gc, G := encode(gl)
	tc, T := encode(tl)
	cc, C := encode(cl)
	f.g, f.t, f.clusters = G, T, C
	if f.n < 3 || G < 2 || T < 2 {
		f.common = append(f.common, warning(WarnTooFew,
			fmt.Sprintf("only %d usable rows in %d groups and %d periods after dropping missing values and singletons; a two-way fixed-effects regression needs at least 2 groups and 2 periods", f.n, G, T),
			fmt.Sprintf("剔除缺失值和单次观测后仅剩 %d 行（%d 个小组、%d 个期间）；双向固定效应回归至少需要 2 个小组和 2 个期间", f.n, G, T)))
		return f
	}
	if f.n < MinN {
		f.common = append(f.common, warnSmallN(f.n))
	}
	cntG := make([]float64, G)
	cntT := make([]float64, T)
	for i := range gc {
		cntG[gc[i]]++
		cntT[tc[i]]++
	}
	origY, ssY := sdev(y), sumsq(y)
	converged := demean(y, gc, tc, cntG, cntT)
	if origY == 0 || sumsq(y) <= 1e-18*float64(f.n)*origY*origY {
		f.common = append(f.common, warnZeroVariance("the outcome (within groups and periods)", "结果指标（在小组和期间内部）"))
		return f
	}
	rx := cache.regressors(keep, xsAll, regs, gc, tc, cntG, cntT)
	xs, cols := rx.xs, rx.cols
	converged = rx.converged && converged
	for j := range xs {
		f.perX[j] = append(f.perX[j], rx.perX[j]...)
	}
	if !converged {
		f.common = append(f.common, warning(WarnNotConverged,
			"the fixed-effect demeaning did not converge: groups and periods are poorly connected; the estimate may be inaccurate",
			"固定效应去均值未收敛：小组与期间之间联系稀疏，估计可能不准确"))
	}
	K := len(cols)
	if K == 0 {
		return f
	}
	// The group and period effects take G + T − (connected components of the group–period
	// graph) parameters, G + T − 1 in a connected panel. With nothing left over the residuals are
	// zero whatever the outcome, and standard errors made from them read as certainty.
	if rdf := f.n - feRank(gc, tc, G, T) - K; rdf <= 0 {
		f.untestable(warnNoResidualDF(f.n, G, T, K))
		return f
	}
	dofK := K + T - 1 // f.n > dofK: the check above is stricter
	// Normal equations.
	xtx := mat.NewSymDense(K, nil)
	xty := mat.NewVecDense(K, nil)
	for a, ja := range cols {
		for b := a; b < K; b++ {
			xtx.SetSym(a, b, rx.xtx[a*K+b])
		}
		xty.SetVec(a, dot(xs[ja], y))
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(xtx); !ok || chol.Cond() > 1e12 {
		f.common = append(f.common, warning(WarnCollinear,
			"the activities in this regression move together so closely (within groups) that their separate effects cannot be told apart; estimate them one at a time",
			"回归中的各活动指标（在小组内部）几乎同步变化，无法区分各自的作用；请逐个分别估计"))
		return f
	}
	var beta mat.VecDense
	if err := chol.SolveVecTo(&beta, xty); err != nil {
		f.common = append(f.common, warning(WarnCollinear, "the regression could not be solved: "+err.Error(), "回归方程无法求解："+err.Error()))
		return f
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		f.common = append(f.common, warning(WarnCollinear, "the regression could not be solved: "+err.Error(), "回归方程无法求解："+err.Error()))
		return f
	}
	// Residuals, cluster scores and leverage.
	scores := make([][]float64, C)
	for k := range scores {
		scores[k] = make([]float64, K)
	}
	lev := make([]float64, f.n)
	row := make([]float64, K)
	invRaw := make([]float64, K*K)
	for a := 0; a < K; a++ {
		for c := 0; c < K; c++ {
			invRaw[a*K+c] = inv.At(a, c)
		}
	}
	share := make([][]float64, C) // per cluster and coefficient: Σ (x̃_i'(X̃'X̃)⁻¹e_a)²
	for k := range share {
		share[k] = make([]float64, K)
	}
	rss := 0.0
	for i := 0; i < f.n; i++ {
		u := y[i]
		for a, ja := range cols {
			row[a] = xs[ja][i]
			u -= beta.AtVec(a) * row[a]
		}
		rss += u * u
		h := 0.0
		for a := range row {
			scores[cc[i]][a] += row[a] * u
			w := dot(invRaw[a*K:(a+1)*K], row)
			h += row[a] * w
			share[cc[i]][a] += w * w
		}
		lev[i] = h
	}
	// Residuals that are zero up to rounding (relative to the outcome's own size, the scale of
	// its rounding error) leave no noise to test against: an exact fit, reported as not estimated.
	if rss <= exactFitTol*ssY {
		f.untestable(warnExactFit())
		return f
	}
	f.effClusters = fill(p, nan)
	for a, ja := range cols {
		sum, sq := 0.0, 0.0
		for k := range share {
			sum += share[k][a]
			sq += share[k][a] * share[k][a]
		}
		f.effClusters[ja] = sum * sum / sq
	}
	meat := mat.NewSymDense(K, nil)
	for _, s := range scores {
		sv := mat.NewVecDense(K, s)
		meat.SymRankOne(meat, 1, sv)
	}
	var tmp, v mat.Dense
	tmp.Mul(&inv, meat)
	v.Mul(&tmp, &inv)
	if C < 2 {
		f.common = append(f.common, warnFewGroups(C))
		return f
	}
	c := float64(C) / float64(C-1) * float64(f.n-1) / float64(f.n-dofK)
	sdY := math.Sqrt(sumsq(y) / float64(f.n-1))
	for a, ja := range cols {
		f.beta[ja] = beta.AtVec(a)
		f.se[ja] = math.Sqrt(c * v.At(a, a))
		f.esize[ja] = f.beta[ja] * math.Sqrt(sumsq(xs[ja])/float64(f.n-1)) / sdY
	}
	_, ws := dominance(gl, lev)
	f.common = append(f.common, ws...)
	f.ok = true
	return f
}

// exactFitTol is the residual sum of squares, relative to the outcome's Σy², below which a fit
// counts as exact: residuals within about 1e-10 of the outcome's size, the precision of the
// demeaning (demeanTol), are rounding, not noise.
const exactFitTol = 1e-20

// feRank is the number of parameters the group and period effects take on rows with group codes
// gc (0..G−1) and period codes tc (0..T−1): G + T less the connected components of the graph
// joining each group to its periods.
func feRank(gc, tc []int, G, T int) int {
	parent := make([]int, G+T)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	comps := G + T
	for i := range gc {
		if a, b := find(gc[i]), find(G+tc[i]); a != b {
			parent[a] = b
			comps--
		}
	}
	return G + T - comps
}

// regressors demeans the kept rows of xsAll (or takes them from the cache, keyed by the kept
// rows) and classifies each regressor as fitFE always did: zero variance, absorbed, or kept.
func (c *FECache) regressors(keep []int, xsAll [][]float64, regs []Regressor, gc, tc []int, cntG, cntT []float64) *feRegressors {
	var rx *feRegressors
	if c == nil {
		rx = &feRegressors{}
	} else {
		key := make([]byte, 0, 4*len(keep))
		for _, i := range keep {
			key = binary.LittleEndian.AppendUint32(key, uint32(i))
		}
		c.mu.Lock()
		rx = c.m[string(key)]
		if rx == nil {
			rx = &feRegressors{}
			c.m[string(key)] = rx
		}
		c.mu.Unlock()
	}
	rx.once.Do(func() {
		n := len(keep)
		rx.xs = make([][]float64, len(xsAll))
		rx.perX = make([][]Warning, len(xsAll))
		rx.converged = true
		for j := range xsAll {
			x := make([]float64, n)
			for k, i := range keep {
				x[k] = xsAll[j][i]
			}
			rx.xs[j] = x
			orig := sdev(x)
			rx.converged = demean(x, gc, tc, cntG, cntT) && rx.converged
			switch {
			case orig == 0:
				rx.perX[j] = append(rx.perX[j], warnZeroVariance("the regressor "+regs[j].labelEN(), "解释变量"+regs[j].labelZH()))
			case sumsq(x) <= 1e-18*float64(n)*orig*orig:
				rx.perX[j] = append(rx.perX[j], warning(WarnAbsorbed,
					regs[j].labelEN()+" does not change within groups over time (beyond what all groups share in a period): the fixed effects absorb it, so its effect cannot be estimated this way",
					regs[j].labelZH()+"在小组内部随时间没有变化（除各小组同期共有的变化外），被固定效应吸收，无法用此方法估计其作用"))
			default:
				rx.cols = append(rx.cols, j)
			}
		}
		rx.dropAliased(regs)
	})
	return rx
}

// aliasTol is the tolerance below which a regressor counts as a linear combination of the
// earlier ones: the norm of what is left of it after projecting on them, relative to its own
// norm. It is the tolerance of R's lm.fit (qr(tol = 1e-7)), which plm uses on the demeaned data,
// so a regressor R reports as NA "because of singularities" is the one dropped here.
const aliasTol = 1e-7

// dropAliased keeps, in order, each regressor of rx.cols that is not (within groups and
// periods) a linear combination of the regressors kept before it, as R's pivoting QR does, and
// fills rx.xtx over the kept ones. A dropped regressor gets WarnCollinear naming the regressors
// it duplicates; the others are estimated without it (before, one duplicated regressor, such as
// a yearly activity whose lag-0 and lag-1 copies are equal on the rows of a yearly outcome,
// turned the whole regression null).
func (rx *feRegressors) dropAliased(regs []Regressor) {
	cand := rx.cols
	// Gram matrix of the candidates and an incremental Cholesky factor of the kept ones: the
	// squared residual of candidate j on the kept is d = x'x − z'z with L z = X_kept'x.
	gram := make([][]float64, len(cand))
	for a, ja := range cand {
		gram[a] = make([]float64, len(cand))
		for b := 0; b <= a; b++ {
			v := dot(rx.xs[ja], rx.xs[cand[b]])
			gram[a][b], gram[b][a] = v, v
		}
	}
	var kept []int    // positions in cand
	var L [][]float64 // rows of the lower-triangular factor, over kept
	for a, ja := range cand {
		z := make([]float64, len(kept))
		for i, ki := range kept {
			v := gram[a][ki]
			for k := 0; k < i; k++ {
				v -= L[i][k] * z[k]
			}
			z[i] = v / L[i][i]
		}
		d := gram[a][a] - dot(z, z)
		if d <= aliasTol*aliasTol*gram[a][a] {
			var en, zh []string
			for _, ki := range kept {
				if gram[a][ki] != 0 {
					en = append(en, regs[cand[ki]].labelEN())
					zh = append(zh, regs[cand[ki]].labelZH())
				}
			}
			rx.perX[ja] = append(rx.perX[ja], warning(WarnCollinear,
				fmt.Sprintf("within groups and periods %s is a linear combination of %s (for example an equal copy at another lag): it is left out and the others are estimated without it", regs[ja].labelEN(), strings.Join(en, ", ")),
				fmt.Sprintf("在小组和期间内部，解释变量%s是%s的线性组合（例如另一滞后期的相同副本）：已剔除，其余变量照常估计", regs[ja].labelZH(), strings.Join(zh, "、"))))
			continue
		}
		row := append(z, math.Sqrt(d))
		L = append(L, row)
		kept = append(kept, a)
	}
	rx.cols = make([]int, len(kept))
	for i, a := range kept {
		rx.cols[i] = cand[a]
	}
	K := len(kept)
	rx.xtx = make([]float64, K*K)
	for a := range kept {
		for b := a; b < K; b++ {
			rx.xtx[a*K+b] = gram[kept[a]][kept[b]]
		}
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func fill(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// LagWithin returns x lagged by k periods within each group: out[i] is the value of x for the
// same group at period Period[i]−k, or NaN when that row does not exist. Periods are consecutive
// integers (for halves, e.g. 2·year + half−1). A repeated (group, period) pair is an error.
func LagWithin(group []string, period []int, x []float64, k int) ([]float64, error) {
	if len(group) != len(period) || len(group) != len(x) {
		return nil, fmt.Errorf("%w: lag: %d groups, %d periods, %d values", ErrInput, len(group), len(period), len(x))
	}
	type key struct {
		g string
		t int
	}
	at := make(map[key]int, len(x))
	for i := range x {
		kk := key{group[i], period[i]}
		if _, dup := at[kk]; dup {
			return nil, fmt.Errorf("%w: lag: group %q has two rows for period %d", ErrInput, group[i], period[i])
		}
		at[kk] = i
	}
	out := make([]float64, len(x))
	for i := range x {
		if j, ok := at[key{group[i], period[i] - k}]; ok {
			out[i] = x[j]
		} else {
			out[i] = math.NaN()
		}
	}
	return out, nil
}

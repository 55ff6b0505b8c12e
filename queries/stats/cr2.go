package stats

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// cr2Fit is the inference on the coefficient of one regressor x in y = α_unit + γ_period + β·x + ε
// with the bias-reduced linearisation variance CR2 (Bell and McCaffrey 2002) clustered by
// cluster, and the Satterthwaite degrees of freedom of the same authors (as extended by
// Pustejovsky and Tipton 2018), both under the working model of independent errors of equal
// variance. It is what R computes with
//
//	m <- lm(y ~ x + factor(unit) + factor(period))
//	clubSandwich::coef_test(m, vcov = "CR2", cluster = cl, test = "Satterthwaite")["x", ]
//
// CR1 divides every cluster's residuals by the same factor, so when a few clusters carry the
// regressor (the treated ones of a difference in differences) their residuals, shrunk by the fit
// towards zero because those clusters pull the estimate towards themselves, make the variance too
// small; CR2 undoes that shrinkage cluster by cluster, and the degrees of freedom fall towards
// the number of clusters that carry the regressor.
type cr2Fit struct {
	beta, se, df float64
	ok           bool // false: x is collinear with the period effects, or too few rows
}

// cr2Eigen is the threshold below which an eigenvalue of a cluster's block of I − H counts as
// zero (its generalised inverse square root is 0 there), as in clubSandwich (10^-12). Those
// blocks are singular by construction: unit effects nest in clusters, so a residual is always
// orthogonal to its unit's indicator.
const cr2Eigen = 1e-12

// fitCR2 fits the two-way model above on the rows fitFE keeps (complete, no singleton unit or
// period; dropping them changes neither the fit nor the other rows' hat values) and returns the
// CR2 inference on β. Unit effects must nest in clusters (nil cluster: the units). The unit
// effects are partialled out exactly by unit means; the period effects are explicit columns, so
// the hat matrix of the full dummy regression is H = H_unit + Z(Z'Z)⁻¹Z' with Z the unit-demeaned
// [x, period dummies] — exact on an unbalanced panel, with no iteration.
func fitCR2(unit, period, cluster []string, yAll, xAll []float64) cr2Fit {
	keep := keepRows(unit, period, yAll, [][]float64{xAll})
	n := len(keep)
	ul, tl, cl := make([]string, n), make([]string, n), make([]string, n)
	y, x := make([]float64, n), make([]float64, n)
	for k, i := range keep {
		ul[k], tl[k], y[k], x[k] = unit[i], period[i], yAll[i], xAll[i]
		cl[k] = unit[i]
		if cluster != nil {
			cl[k] = cluster[i]
		}
	}
	uc, U := encode(ul)
	tc, T := encode(tl)
	cc, C := encode(cl)
	K := T // x and T−1 period dummies (the first period is the reference)
	if n <= U+K || C < 2 || T < 2 {
		return cr2Fit{}
	}
	// Unit means of y, x and the period dummies: Z = M_U [x, d_2 … d_T], yd = M_U y.
	cntU := make([]float64, U)
	for _, u := range uc {
		cntU[u]++
	}
	meanY, meanX := make([]float64, U), make([]float64, U)
	shareT := make([]float64, U*T) // share of unit u's rows in period t
	for i := range y {
		meanY[uc[i]] += y[i] / cntU[uc[i]]
		meanX[uc[i]] += x[i] / cntU[uc[i]]
		shareT[uc[i]*T+tc[i]] += 1 / cntU[uc[i]]
	}
	z := mat.NewDense(n, K, nil)
	yd := make([]float64, n)
	for i := range y {
		u := uc[i]
		yd[i] = y[i] - meanY[u]
		z.Set(i, 0, x[i]-meanX[u])
		for t := 1; t < T; t++ {
			d := 0.0
			if tc[i] == t {
				d = 1
			}
			z.Set(i, t, d-shareT[u*T+t])
		}
	}
	var ztz mat.SymDense
	ztz.SymOuterK(1, z.T())
	var chol mat.Cholesky
	if ok := chol.Factorize(&ztz); !ok || chol.Cond() > 1e12 {
		return cr2Fit{}
	}
	var q mat.SymDense // (Z'Z)⁻¹
	if err := chol.InverseTo(&q); err != nil {
		return cr2Fit{}
	}
	ydv := mat.NewVecDense(n, yd)
	var zty, b mat.VecDense
	zty.MulVec(z.T(), ydv)
	b.MulVec(&q, &zty)
	// Residuals and w = Z(Z'Z)⁻¹e₁, the row of (X'X)⁻¹X' that gives β.
	var fitted mat.VecDense
	fitted.MulVec(z, &b)
	res := make([]float64, n)
	for i := range res {
		res[i] = yd[i] - fitted.AtVec(i)
	}
	q0 := mat.NewVecDense(K, nil)
	for a := 0; a < K; a++ {
		q0.SetVec(a, q.At(a, 0))
	}
	var wv mat.VecDense
	wv.MulVec(z, q0)

	rows := make([][]int, C)
	for i, c := range cc {
		rows[c] = append(rows[c], i)
	}
	// Per cluster: g = A_c w_c with A_c = (I − H_cc)^(−1/2) (generalised), its score g'u_c, and
	// what the degrees of freedom need: diag_c = g'g − g'H_unit,cc g and s_c = Z_c'g.
	variance := 0.0
	diag := make([]float64, C)
	s := mat.NewDense(C, K, nil)
	for c, rs := range rows {
		m := len(rs)
		hu := mat.NewSymDense(m, nil) // H_unit on the cluster's rows
		bcc := mat.NewSymDense(m, nil)
		zr := mat.NewDense(m, K, nil)
		for a, i := range rs {
			zr.SetRow(a, z.RawRowView(i))
		}
		var zqz mat.Dense
		var zq mat.Dense
		zq.Mul(zr, &q)
		zqz.Mul(&zq, zr.T())
		for a, i := range rs {
			for bb := a; bb < m; bb++ {
				j := rs[bb]
				h := zqz.At(a, bb)
				if uc[i] == uc[j] {
					hu.SetSym(a, bb, 1/cntU[uc[i]])
					h += 1 / cntU[uc[i]]
				}
				v := -h
				if a == bb {
					v += 1
				}
				bcc.SetSym(a, bb, v)
			}
		}
		var eig mat.EigenSym
		if ok := eig.Factorize(bcc, true); !ok {
			return cr2Fit{}
		}
		vals := eig.Values(nil)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		wc := mat.NewVecDense(m, nil)
		for a, i := range rs {
			wc.SetVec(a, wv.AtVec(i))
		}
		// g = V diag(λ^(−1/2)) V' w
		var vtw mat.VecDense
		vtw.MulVec(vecs.T(), wc)
		for a, l := range vals {
			if l > cr2Eigen {
				vtw.SetVec(a, vtw.AtVec(a)/math.Sqrt(l))
			} else {
				vtw.SetVec(a, 0)
			}
		}
		var g mat.VecDense
		g.MulVec(&vecs, &vtw)
		score := 0.0
		for a, i := range rs {
			score += g.AtVec(a) * res[i]
		}
		variance += score * score
		var hg mat.VecDense
		hg.MulVec(hu, &g)
		diag[c] = mat.Dot(&g, &g) - mat.Dot(&g, &hg)
		var sc mat.VecDense
		sc.MulVec(zr.T(), &g)
		s.SetRow(c, sc.RawVector().Data)
	}
	// Satterthwaite: with P_cd = δ_cd·diag_c − s_c'Q s_d, Q = (Z'Z)⁻¹, df = (tr P)² / Σ_cd P_cd²,
	// where Σ_cd (s_c'Q s_d)² = tr(Q S'S Q S'S): no C × C matrix is formed (clusters run into the
	// thousands on a province).
	tr, ss := 0.0, 0.0
	for c := 0; c < C; c++ {
		sc := s.RawRowView(c)
		own := mat.Inner(mat.NewVecDense(K, sc), &q, mat.NewVecDense(K, sc))
		tr += diag[c] - own
		ss += diag[c]*diag[c] - 2*diag[c]*own
	}
	var sts, qm, qmqm mat.Dense
	sts.Mul(s.T(), s)
	qm.Mul(&q, &sts)
	qmqm.Mul(&qm, &qm)
	ss += mat.Trace(&qmqm)
	if !(variance > 0) || !(ss > 0) {
		return cr2Fit{}
	}
	return cr2Fit{beta: b.AtVec(0), se: math.Sqrt(variance), df: tr * tr / ss, ok: true}
}

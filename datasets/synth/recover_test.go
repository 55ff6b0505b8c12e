package synth

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestPlantedEffectsAreRecovered computes the metrics of docs/metrics.md from the generated
// files alone (names resolved within their unit or branch, outcomes reaching groups through
// group_teams by date, person-period denominators), fits group and period fixed-effects OLS
// with standard errors clustered by group, and checks that each planted coefficient lies in
// its 95% confidence interval and that meeting count alone shows no effect.
func TestPlantedEffectsAreRecovered(t *testing.T) {
	if testing.Short() {
		t.Skip("company scale")
	}
	eff := DefaultEffects()
	m, dir := generate(t, Options{Scale: ScaleCompany, Seed: 20240701, Effects: &eff})
	p := loadPanel(t, dir, m)

	// violations_per_100_staff on lagged activity and the model-post share
	var vy []float64
	var vx [][]float64
	var vg, vh []int
	for k, o := range p.out {
		prev, ok := p.act[gh{k.g, k.h - 1}]
		if !ok || o.staff <= 0 {
			continue
		}
		vy = append(vy, 100*o.violations/o.staff)
		vx = append(vx, []float64{prev.critique / prev.n, prev.resolved / prev.n, prev.n, o.postStaff / o.staff})
		vg, vh = append(vg, k.g), append(vh, k.h)
	}
	fitV := feOLS(t, vy, vx, vg, vh)
	// defects_per_100km on lagged production_linked_share
	var dy []float64
	var dx [][]float64
	var dg, dh []int
	for k, o := range p.out {
		prev, ok := p.act[gh{k.g, k.h - 1}]
		if !ok || o.km <= 0 {
			continue
		}
		dy = append(dy, 100*o.defects/o.km)
		dx = append(dx, []float64{prev.prod / prev.n})
		dg, dh = append(dg, k.g), append(dh, k.h)
	}
	fitD := feOLS(t, dy, dx, dg, dh)
	// customer_satisfaction on the same year's problems_resolved_per_meeting
	var sy []float64
	var sx [][]float64
	var sg, sh []int
	for k, s := range p.cust {
		a, ok := p.actYear[k]
		if !ok || s.n < 5 {
			continue
		}
		sy = append(sy, s.sum/s.n)
		sx = append(sx, []float64{a.resolved / a.n})
		sg, sh = append(sg, k.g), append(sh, k.h)
	}
	fitS := feOLS(t, sy, sx, sg, sh)

	checks := []struct {
		name string
		fit  fit
		i    int
		want float64
	}{
		{"critique_violations", fitV, 0, eff.CritiqueViolations},
		{"resolved_violations", fitV, 1, eff.ResolvedViolations},
		{"meeting_count_null", fitV, 2, 0},
		{"model_post_violations", fitV, 3, eff.ModelPostViolations},
		{"quality_defects_found", fitD, 0, eff.QualityDefectsFound},
		{"resolved_customer", fitS, 0, eff.ResolvedCustomer},
	}
	names := map[string]bool{}
	for _, e := range m.Effects {
		names[e.Name] = true
	}
	for _, c := range checks {
		if !names[c.name] {
			t.Errorf("manifest lacks effect %s", c.name)
		}
		b, se := c.fit.beta[c.i], c.fit.se[c.i]
		lo, hi := b-c.fit.tcrit*se, b+c.fit.tcrit*se
		t.Logf("%-22s N=%d G=%d planted %6.2f estimate %6.2f  95%% CI [%6.2f, %6.2f]", c.name, c.fit.n, c.fit.groups, c.want, b, lo, hi)
		if c.want < lo || c.want > hi {
			t.Errorf("%s: planted %.2f outside the 95%% CI [%.2f, %.2f]", c.name, c.want, lo, hi)
		}
		if c.want != 0 && lo <= 0 && hi >= 0 {
			t.Errorf("%s: the effect is not detected (CI contains 0)", c.name)
		}
	}
}

type gh struct{ g, h int }

type activity struct{ n, critique, resolved, prod float64 }

type outcome struct{ violations, staff, postStaff, defects, km float64 }

type satisfaction struct{ sum, n float64 }

type panel struct {
	act     map[gh]*activity
	actYear map[gh]*activity // h holds the year
	out     map[gh]*outcome
	cust    map[gh]*satisfaction
}

type mapping struct {
	group    int
	from, to int // days, to inclusive (math.MaxInt32 while in force)
}

func parseDay(t testing.TB, s string) int {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return int(d.Unix() / 86400)
}

func num(t testing.TB, s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return x
}

// halfIndex numbers halves from 2000H1 = 0, so lag is h-1.
func halfIndex(day int) int {
	d := time.Unix(int64(day)*86400, 0).UTC()
	h := (d.Year() - 2000) * 2
	if d.Month() >= time.July {
		h++
	}
	return h
}

func halfBounds(h int) (int, int) {
	y := 2000 + h/2
	if h%2 == 0 {
		return dayOf(y, 1, 1), dayOf(y, 6, 30)
	}
	return dayOf(y, 7, 1), dayOf(y, 12, 31)
}

func loadPanel(t *testing.T, dir string, m *Manifest) *panel {
	p := &panel{act: map[gh]*activity{}, actYear: map[gh]*activity{}, out: map[gh]*outcome{}, cust: map[gh]*satisfaction{}}
	groupIdx := map[string]int{}
	groups := tables(t, dir, m, "party_groups")
	groupByName := map[string]int{} // branch/name
	for r := range groups.rows {
		groupIdx[groups.get(r, "group_id")] = r
		groupByName[groups.get(r, "branch_id")+"/"+groups.get(r, "name")] = r
	}
	teams := tables(t, dir, m, "teams")
	teamIdx := map[string]int{}
	teamByName := map[string]int{}
	headcount := map[int]float64{}
	for r := range teams.rows {
		teamIdx[teams.get(r, "team_id")] = r
		teamByName[teams.get(r, "unit_id")+"/"+teams.get(r, "name")] = r
		headcount[r] = num(t, teams.get(r, "headcount"))
	}
	maps := map[int][]mapping{}
	gt := tables(t, dir, m, "group_teams")
	for r := range gt.rows {
		mp := mapping{group: groupIdx[gt.get(r, "group_id")], from: parseDay(t, gt.get(r, "valid_from")), to: math.MaxInt32}
		if s := gt.get(r, "valid_to"); s != "" {
			mp.to = parseDay(t, s)
		}
		team := teamIdx[gt.get(r, "team_id")]
		maps[team] = append(maps[team], mp)
	}
	groupOf := func(team, day int) int {
		for _, mp := range maps[team] {
			if mp.from <= day && day <= mp.to {
				return mp.group
			}
		}
		return -1
	}
	outAt := func(g, h int) *outcome {
		o := p.out[gh{g, h}]
		if o == nil {
			o = &outcome{}
			p.out[gh{g, h}] = o
		}
		return o
	}
	// model posts of the six kinds in force over each half
	sixKinds := map[string]bool{"silent_dedication": true, "service_star": true, "safety_guard": true, "zero_violation": true, "hardship_pioneer": true, "silver_line": true}
	type span struct{ from, to int }
	posts := map[int][]span{}
	mp := tables(t, dir, m, "model_posts")
	for r := range mp.rows {
		if !sixKinds[mp.get(r, "kind")] {
			continue
		}
		s := span{parseDay(t, mp.get(r, "awarded_on")), math.MaxInt32}
		if v := mp.get(r, "revoked_on"); v != "" {
			s.to = parseDay(t, v) - 1
		}
		team := teamIdx[mp.get(r, "team_id")]
		posts[team] = append(posts[team], s)
	}
	// person-period staff per group and half, and the staff of teams holding a post
	for team, ms := range maps {
		for _, mpg := range ms {
			for _, y := range m.Years {
				for hh := 0; hh < 2; hh++ {
					h := (y-2000)*2 + hh
					a, b := halfBounds(h)
					from, to := max(a, mpg.from), min(b, mpg.to)
					if from > to {
						continue
					}
					share := float64(to-from+1) / float64(b-a+1)
					o := outAt(mpg.group, h)
					o.staff += headcount[team] * share
					for _, s := range posts[team] {
						if s.from <= a && s.to >= b {
							o.postStaff += headcount[team] * share
						}
					}
				}
			}
		}
	}
	branchOfName := func(r int, tb *table) string { return tb.get(r, "branch_id") }
	meetings := tables(t, dir, m, "meetings")
	for r := range meetings.rows {
		if meetings.get(r, "kind") != "group_meeting" {
			continue
		}
		g, ok := groupByName[branchOfName(r, meetings)+"/"+meetings.get(r, "group_id")]
		if !ok {
			t.Fatalf("group %q of branch %s not found", meetings.get(r, "group_id"), branchOfName(r, meetings))
		}
		day := parseDay(t, meetings.get(r, "held_on"))
		for _, k := range []gh{{g, halfIndex(day)}} {
			a := p.act[k]
			if a == nil {
				a = &activity{}
				p.act[k] = a
			}
			a.n++
			a.critique += num(t, meetings.get(r, "critique_items"))
			a.resolved += num(t, meetings.get(r, "problems_resolved"))
			if meetings.get(r, "production_linked") == "true" {
				a.prod++
			}
		}
		k := gh{g, time.Unix(int64(day)*86400, 0).UTC().Year()}
		a := p.actYear[k]
		if a == nil {
			a = &activity{}
			p.actYear[k] = a
		}
		a.n++
		a.resolved += num(t, meetings.get(r, "problems_resolved"))
	}
	ev := tables(t, dir, m, "safety_events")
	for r := range ev.rows {
		if ev.get(r, "kind") != "violation" {
			continue
		}
		day := parseDay(t, ev.get(r, "occurred_on"))
		if g := groupOf(teamIdx[ev.get(r, "team_id")], day); g >= 0 {
			outAt(g, halfIndex(day)).violations++
		}
	}
	pt := tables(t, dir, m, "patrols")
	for r := range pt.rows {
		day := parseDay(t, pt.get(r, "patrolled_on"))
		if g := groupOf(teamIdx[pt.get(r, "team_id")], day); g >= 0 {
			o := outAt(g, halfIndex(day))
			o.km += num(t, pt.get(r, "km"))
			o.defects += num(t, pt.get(r, "defects_found"))
		}
	}
	items := tables(t, dir, m, "survey_items")
	type itemInfo struct {
		max     float64
		reverse bool
		cust    bool
	}
	info := map[string]itemInfo{}
	for r := range items.rows {
		info[items.get(r, "survey_id")+"/"+items.get(r, "item_code")] = itemInfo{num(t, items.get(r, "scale_max")), items.get(r, "reverse") == "true", items.get(r, "audience") == "customer"}
	}
	sr := tables(t, dir, m, "survey_responses")
	for r := range sr.rows {
		it := info[sr.get(r, "survey_id")+"/"+sr.get(r, "item_code")]
		if !it.cust {
			continue
		}
		team, ok := teamByName[sr.get(r, "unit_id")+"/"+sr.get(r, "team_id")]
		if !ok {
			t.Fatalf("team %q of unit %s not found", sr.get(r, "team_id"), sr.get(r, "unit_id"))
		}
		day := parseDay(t, sr.get(r, "responded_on"))
		g := groupOf(team, day)
		s := num(t, sr.get(r, "score"))
		if it.reverse {
			s = it.max + 1 - s
		}
		k := gh{g, time.Unix(int64(day)*86400, 0).UTC().Year()}
		c := p.cust[k]
		if c == nil {
			c = &satisfaction{}
			p.cust[k] = c
		}
		c.sum += (s - 1) / (it.max - 1) * 100
		c.n++
	}
	if strings.TrimSpace(dir) == "" {
		t.Fatal("no folder")
	}
	return p
}

type fit struct {
	beta, se     []float64
	tcrit        float64
	n, groups, k int
}

// feOLS fits y on x with group and period fixed effects (period dummies after demeaning by
// group, the Frisch–Waugh–Lovell form of the two-way model) and CR1 standard errors
// clustered by group. Only the coefficients of x are returned.
func feOLS(t *testing.T, y []float64, x [][]float64, g, h []int) fit {
	t.Helper()
	periods := map[int]bool{}
	for _, v := range h {
		periods[v] = true
	}
	var ps []int
	for v := range periods {
		ps = append(ps, v)
	}
	sort.Ints(ps)
	kx := len(x[0])
	k := kx + len(ps) - 1
	n := len(y)
	X := mat.NewDense(n, k, nil)
	for i := range y {
		for j := 0; j < kx; j++ {
			X.Set(i, j, x[i][j])
		}
		for j, pv := range ps[1:] {
			if h[i] == pv {
				X.Set(i, kx+j, 1)
			}
		}
	}
	Y := mat.NewVecDense(n, append([]float64(nil), y...))
	// demean by group
	members := map[int][]int{}
	for i, gv := range g {
		members[gv] = append(members[gv], i)
	}
	var keys []int
	for gv := range members {
		keys = append(keys, gv)
	}
	sort.Ints(keys)
	for _, gv := range keys {
		rows := members[gv]
		for j := 0; j < k; j++ {
			s := 0.0
			for _, i := range rows {
				s += X.At(i, j)
			}
			for _, i := range rows {
				X.Set(i, j, X.At(i, j)-s/float64(len(rows)))
			}
		}
		s := 0.0
		for _, i := range rows {
			s += Y.AtVec(i)
		}
		for _, i := range rows {
			Y.SetVec(i, Y.AtVec(i)-s/float64(len(rows)))
		}
	}
	var xtx mat.Dense
	xtx.Mul(X.T(), X)
	var bread mat.Dense
	if err := bread.Inverse(&xtx); err != nil {
		t.Fatalf("singular design: %v", err)
	}
	var xty mat.VecDense
	xty.MulVec(X.T(), Y)
	var beta mat.VecDense
	beta.MulVec(&bread, &xty)
	var fitted mat.VecDense
	fitted.MulVec(X, &beta)
	meat := mat.NewDense(k, k, nil)
	for _, gv := range keys {
		s := make([]float64, k)
		for _, i := range members[gv] {
			u := Y.AtVec(i) - fitted.AtVec(i)
			for j := 0; j < k; j++ {
				s[j] += X.At(i, j) * u
			}
		}
		sv := mat.NewVecDense(k, s)
		var o mat.Dense
		o.Outer(1, sv, sv)
		meat.Add(meat, &o)
	}
	G := float64(len(keys))
	c := G / (G - 1) * float64(n-1) / float64(n-k)
	var v mat.Dense
	v.Mul(&bread, meat)
	v.Mul(&v, &bread)
	f := fit{n: n, groups: len(keys), k: k, tcrit: distuv.StudentsT{Mu: 0, Sigma: 1, Nu: G - 1}.Quantile(0.975)}
	for j := 0; j < kx; j++ {
		f.beta = append(f.beta, beta.AtVec(j))
		f.se = append(f.se, math.Sqrt(c*v.At(j, j)))
	}
	return f
}

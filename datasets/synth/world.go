package synth

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// lastYear is fixed so that output never depends on the clock.
const lastYear = 2024

type scaleSpec struct {
	companies, unitsPerCompany, branchesPerUnit, groupsPerBranch, years int
	restructureP                                                        float64 // per unit and half boundary
	customerResponses                                                   int     // per team and year
	employeeShare                                                       float64 // of staff answering the yearly survey
}

func specFor(s Scale) scaleSpec {
	switch s {
	case ScaleCompany:
		return scaleSpec{1, 20, 3, 5, 5, 0.08, 12, 0.4}
	case ScaleProvince:
		return scaleSpec{20, 20, 3, 5, 10, 0.05, 12, 0.4}
	}
	return scaleSpec{1, 1, 1, 6, 2, 0, 12, 0.6}
}

type teamTemplate struct {
	base     string // name with %s for the ordinal, e.g. 线路运行%s班
	kind     string // teams.kind code
	word     string // short word used to name the party group
	patrols  float64
	kmLo     float64 // patrol distance range
	kmHi     float64
	voltages []string
}

var (
	tLineRun   = teamTemplate{"线路运行%s班", "line", "运行", 300, 6, 30, []string{"500kV", "220kV", "110kV"}}
	tLineFix   = teamTemplate{"线路检修%s班", "line", "检修", 120, 4, 20, []string{"220kV", "110kV"}}
	tLive      = teamTemplate{"带电作业%s班", "line", "带电", 80, 2, 12, []string{"220kV", "110kV", "35kV"}}
	tCable     = teamTemplate{"电缆运检%s班", "line", "电缆", 200, 2, 10, []string{"110kV", "35kV", "10kV"}}
	tSubRun    = teamTemplate{"变电运维%s班", "operation", "运维", 200, 5, 20, []string{"220kV", "110kV", "35kV"}}
	tSubFix    = teamTemplate{"变电检修%s班", "maintenance", "检修", 60, 3, 15, []string{"220kV", "110kV"}}
	tRelay     = teamTemplate{"继电保护%s班", "maintenance", "继保", 40, 3, 15, []string{"220kV", "110kV"}}
	tDistRun   = teamTemplate{"配电运维%s班", "line", "配电", 300, 3, 15, []string{"10kV", "0.4kV"}}
	tRepair    = teamTemplate{"配电抢修%s班", "maintenance", "抢修", 60, 2, 10, []string{"10kV", "0.4kV"}}
	tBusiness  = teamTemplate{"营业%s班", "marketing", "营业", 0, 0, 0, nil}
	tService   = teamTemplate{"客户服务%s班", "marketing", "客服", 0, 0, 0, nil}
	tMeter     = teamTemplate{"计量%s班", "marketing", "计量", 0, 0, 0, nil}
	tDispatch  = teamTemplate{"调度%s班", "dispatch", "调度", 0, 0, 0, nil}
	tAutomatic = teamTemplate{"自动化%s班", "dispatch", "自动化", 0, 0, 0, nil}
)

type unitTemplate struct {
	name  string // %s: a place name for supply stations
	kind  string
	teams []teamTemplate
}

var (
	uLine     = unitTemplate{"线路工区", "work_area", []teamTemplate{tLineRun, tLineRun, tLineFix, tLive, tCable}}
	uSubRun   = unitTemplate{"变电运维工区", "work_area", []teamTemplate{tSubRun}}
	uSubFix   = unitTemplate{"变电检修工区", "work_area", []teamTemplate{tSubFix, tRelay}}
	uDist     = unitTemplate{"配电运检工区", "work_area", []teamTemplate{tDistRun, tRepair}}
	uStation  = unitTemplate{"%s供电所", "station", []teamTemplate{tDistRun, tBusiness, tService}}
	uMarket   = unitTemplate{"营销部", "department", []teamTemplate{tMeter, tService, tBusiness}}
	uDispatch = unitTemplate{"电力调度控制中心", "department", []teamTemplate{tDispatch, tAutomatic}}
)

var places = []string{"城东", "城西", "城南", "城北", "江宁", "浦口", "六合", "溧水", "高淳", "龙潭", "汤山", "淳化", "禄口", "横溪", "桥林", "永宁", "八卦洲", "雄州", "东坝", "和凤"}
var cities = []string{"南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁", "昆山", "江阴", "宜兴", "常熟", "张家港", "溧阳", "丹阳"}
var lineWords = []string{"龙潭", "东湖", "青山", "梅园", "石城", "凤凰", "紫金", "玄武", "秦淮", "白鹭", "金陵", "栖霞", "雨花", "燕子", "将军", "方山", "牛首", "仙林", "麒麟", "马群"}

var cnDigits = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// cnNum writes 1 … 99 in Chinese numerals, as team and group names use them.
func cnNum(n int) string {
	switch {
	case n < 10:
		return cnDigits[n]
	case n < 20:
		return "十" + cnDigits[n%10]
	default:
		return cnDigits[n/10] + "十" + cnDigits[n%10]
	}
}

type unit struct {
	id, name, kind, company string
	branches                []int
	teams                   []int
}

type branch struct {
	id, name  string
	unit      int
	committee []int // people; [0] is the secretary
	members   []int // party members of the branch's teams
}

type group struct {
	id, name         string
	branch, unit     int
	first, last      int // halves in force (last inclusive); last == H-1 while it exists at the end
	formedDay        int
	leader, liaison  int
	q                float64 // persistent quality
	alphaV, alphaD   float64 // violations and defects baselines
	alphaS           float64 // customer satisfaction baseline
	attendP          float64
	teams            [][]int // per half (index h-first)
	drift, countProp []float64
	critDrift        []float64
	resDrift         []float64
	prodDrift        []float64
}

type line struct {
	name, voltage string
	kmLo, kmHi    float64
}

type team struct {
	id, name  string
	unit      int
	branch    int
	tpl       *teamTemplate
	headcount int
	staff     []int // people
	members   []int // party members among staff
	lines     []line
	groupAt   []int // group per half
	post      []bool
}

type person struct {
	empNo, name, idNo, phone string
	role                     string
	member                   bool
	team                     int
	birthYear                int
	joined                   int // day, members only
	talent                   float64
}

type post struct {
	id, kind             string
	team, group, person  int
	awarded, revoked     int // days; revoked 0 when still in force
	awardedHalf, revHalf int // halves; revHalf = -1 when in force to the end
	model                bool
}

// world is the whole organisation and its latent state: built once, sequentially, from one
// stream; the files are then written from it in parallel.
type world struct {
	opt       Options
	spec      scaleSpec
	eff       Effects
	firstYear int
	H         int // halves
	halfStart []int
	halfEnd   []int // inclusive
	dates     *dateTable

	units    []unit
	branches []branch
	groups   []group
	teams    []team
	people   []person
	posts    []post

	meetings [][]meeting // per year index
	agg      []groupHalf // group*H + h
	aggYear  []groupYear // group*years + y

	tauV, tauD []float64 // half effects
	tauS       []float64 // year effects (customer)
	clipped    int       // violation rates clipped at the floor (should stay near 0)
}

func (w *world) years() int { return w.H / 2 }

func (w *world) halfOf(day int) int {
	i := sort.Search(w.H, func(i int) bool { return w.halfEnd[i] >= day })
	return i
}

// groupAt returns the group a team belongs to on day, or -1.
func (w *world) teamGroupAt(t, day int) int {
	h := w.halfOf(day)
	if h < 0 || h >= w.H {
		return -1
	}
	return w.teams[t].groupAt[h]
}

func buildWorld(opt Options) *world {
	spec := specFor(opt.Scale)
	w := &world{opt: opt, spec: spec, eff: *opt.Effects, firstYear: lastYear - spec.years + 1, H: 2 * spec.years}
	for h := 0; h < w.H; h++ {
		y := w.firstYear + h/2
		if h%2 == 0 {
			w.halfStart = append(w.halfStart, dayOf(y, 1, 1))
			w.halfEnd = append(w.halfEnd, dayOf(y, 6, 30))
		} else {
			w.halfStart = append(w.halfStart, dayOf(y, 7, 1))
			w.halfEnd = append(w.halfEnd, dayOf(y, 12, 31))
		}
	}
	w.dates = newDateTable(w.firstYear-1, lastYear+1)
	r := stream(opt.Seed, "world")
	w.buildOrganisation(r)
	w.buildRestructures(r)
	w.buildLatent(r)
	w.buildPosts(r)
	return w
}

func (w *world) buildOrganisation(r *rand.Rand) {
	s := w.spec
	var unitTpls []unitTemplate
	if opt := w.opt; opt.Scale == ScaleTiny {
		unitTpls = []unitTemplate{uLine}
	} else {
		unitTpls = []unitTemplate{uLine, uSubRun, uSubFix, uDist, uMarket, uDispatch}
		for len(unitTpls) < s.unitsPerCompany {
			unitTpls = append(unitTpls, uStation)
		}
	}
	G := s.branchesPerUnit * s.groupsPerBranch
	T := G + G/3
	for c := 0; c < s.companies; c++ {
		company := cities[c%len(cities)] + "供电公司"
		placeIdx := 0
		for ui := 0; ui < s.unitsPerCompany; ui++ {
			tpl := unitTpls[ui%len(unitTpls)]
			name := tpl.name
			if tpl.kind == "station" {
				name = places[placeIdx%len(places)] + "供电所"
				placeIdx++
			}
			u := len(w.units)
			w.units = append(w.units, unit{id: padID("DW", u+1, 4), name: name, kind: tpl.kind, company: company})
			for b := 0; b < s.branchesPerUnit; b++ {
				bn := name + "党支部"
				if s.branchesPerUnit > 1 {
					bn = name + "第" + cnNum(b+1) + "党支部"
				}
				w.units[u].branches = append(w.units[u].branches, len(w.branches))
				w.branches = append(w.branches, branch{id: padID("ZB", len(w.branches)+1, 4), name: bn, unit: u})
			}
			ordinals := map[string]int{}
			for ti := 0; ti < T; ti++ {
				tt := tpl.teams[ti%len(tpl.teams)]
				ordinals[tt.base]++
				name := sprintfOrdinal(tt.base, ordinals[tt.base])
				t := len(w.teams)
				tp := tt
				w.units[u].teams = append(w.units[u].teams, t)
				w.teams = append(w.teams, team{id: padID("BZ", t+1, 5), name: name, unit: u, tpl: &tp, headcount: 8 + r.IntN(23)})
			}
		}
	}
	// People: every team's staff; party members are a share of them.
	for t := range w.teams {
		tm := &w.teams[t]
		nm := int(math.Round(float64(tm.headcount) * (0.2 + 0.2*r.Float64())))
		nm = int(clamp(float64(nm), 3, 7))
		for i := 0; i < tm.headcount; i++ {
			p := len(w.people)
			by := 1964 + r.IntN(38)
			pp := person{empNo: padID("", 10000001+p, 8), name: personName(r, p%97 == 5), birthYear: by, team: t, role: "staff", talent: r.NormFloat64()}
			pp.idNo = idNumber(r, by)
			pp.phone = phone(r)
			if i < nm {
				pp.member = true
				jy := min(by+22+r.IntN(14), w.firstYear-1)
				pp.joined = dayOf(jy, time.Month(1+r.IntN(12)), 1+r.IntN(28))
				tm.members = append(tm.members, p)
			}
			if i == nm { // the team leader is often not a member in a real roster
				pp.role = "team_leader"
			}
			tm.staff = append(tm.staff, p)
			w.people = append(w.people, pp)
		}
		// lines
		if tm.tpl.patrols > 0 {
			nl := 4 + r.IntN(9)
			for i := 0; i < nl; i++ {
				v := tm.tpl.voltages[r.IntN(len(tm.tpl.voltages))]
				nm := lineWords[r.IntN(len(lineWords))] + cnDigits[1+r.IntN(4)] + "线"
				lo := tm.tpl.kmLo + r.Float64()*(tm.tpl.kmHi-tm.tpl.kmLo)/2
				tm.lines = append(tm.lines, line{name: nm, voltage: v, kmLo: lo, kmHi: lo + (tm.tpl.kmHi-tm.tpl.kmLo)/2})
			}
		}
	}
	// Branches: members and committee.
	for u := range w.units {
		us := &w.units[u]
		B := len(us.branches)
		for i, t := range us.teams {
			b := us.branches[min(i*B/len(us.teams), B-1)]
			w.teams[t].branch = b
			w.branches[b].members = append(w.branches[b].members, w.teams[t].members...)
		}
		for _, b := range us.branches {
			br := &w.branches[b]
			size := min(3+r.IntN(3), len(br.members))
			perm := r.Perm(len(br.members))
			for i := 0; i < size; i++ {
				p := br.members[perm[i]]
				br.committee = append(br.committee, p)
				if i == 0 {
					w.people[p].role = "secretary"
				} else {
					w.people[p].role = "committee"
				}
			}
		}
	}
	// Initial groups: the first third of a unit's groups hold two teams, the rest one.
	for u := range w.units {
		us := &w.units[u]
		words := map[string]int{}
		ti := 0
		for gi := 0; gi < G; gi++ {
			var ts []int
			ts = append(ts, us.teams[ti])
			ti++
			if gi < G/3 && ti < len(us.teams) && w.teams[us.teams[ti]].branch == w.teams[ts[0]].branch {
				ts = append(ts, us.teams[ti])
				ti++
			}
			formed := dayOf(w.firstYear-1-r.IntN(8), time.Month(1+r.IntN(12)), 1)
			w.newGroup(r, u, w.teams[ts[0]].branch, ts, 0, formed, words, math.NaN())
		}
		for ; ti < len(us.teams); ti++ { // teams left over join the last group of their branch
			t := us.teams[ti]
			for g := len(w.groups) - 1; g >= 0; g-- {
				if w.groups[g].branch == w.teams[t].branch {
					w.groups[g].teams[0] = append(w.groups[g].teams[0], t)
					break
				}
			}
		}
	}
	for t := range w.teams {
		w.teams[t].groupAt = make([]int, w.H)
		w.teams[t].post = make([]bool, w.H)
	}
	for g := range w.groups {
		for _, t := range w.groups[g].teams[0] {
			w.teams[t].groupAt[0] = g
		}
	}
}

func sprintfOrdinal(base string, n int) string {
	for i := 0; i+1 < len(base); i++ {
		if base[i] == '%' && base[i+1] == 's' {
			return base[:i] + cnNum(n) + base[i+2:]
		}
	}
	return base
}

// newGroup creates a group over teams from half h0; names are unique within the unit and
// repeat across units, as in real companies.
func (w *world) newGroup(r *rand.Rand, u, b int, ts []int, h0, formed int, words map[string]int, parentQ float64) int {
	g := len(w.groups)
	word := w.teams[ts[0]].tpl.word
	words[word]++
	name := word + "党小组"
	if n := words[word]; n > 1 {
		name = word + "第" + cnNum(n) + "党小组"
	}
	q := r.NormFloat64()
	if !math.IsNaN(parentQ) {
		q = 0.7*parentQ + 0.5*r.NormFloat64()
	}
	gr := group{id: padID("XZ", g+1, 5), name: name, branch: b, unit: u, first: h0, last: w.H - 1, formedDay: formed, q: q}
	gr.alphaV = clamp(15-1.5*q+1.5*r.NormFloat64(), 10, 22)
	gr.alphaD = clamp(3+0.3*q+0.5*r.NormFloat64(), 1.5, 5)
	gr.alphaS = clamp(72+4*q+4*r.NormFloat64(), 55, 88)
	gr.attendP = clamp(0.9+0.03*q+0.03*r.NormFloat64(), 0.6, 0.99)
	gr.teams = [][]int{append([]int(nil), ts...)}
	var cands []int
	for _, t := range ts {
		cands = append(cands, w.teams[t].members...)
	}
	gr.leader = cands[r.IntN(len(cands))]
	if w.people[gr.leader].role == "staff" || w.people[gr.leader].role == "team_leader" {
		w.people[gr.leader].role = "group_leader"
	}
	com := w.branches[b].committee
	gr.liaison = com[r.IntN(len(com))]
	w.groups = append(w.groups, gr)
	return g
}

// buildRestructures merges two one-team groups of a branch into a new group, or splits a
// two-team group into two new ones, at half boundaries: the group–team mapping changes.
func (w *world) buildRestructures(r *rand.Rand) {
	words := make([]map[string]int, len(w.units))
	for u := range words {
		words[u] = map[string]int{}
	}
	for g := range w.groups {
		words[w.groups[g].unit][w.teams[w.groups[g].teams[0][0]].tpl.word]++
	}
	alive := func(g, h int) bool { return w.groups[g].first <= h && h <= w.groups[g].last }
	teamsAt := func(g, h int) []int { return w.groups[g].teams[h-w.groups[g].first] }
	events := 0
	for h := 1; h < w.H; h++ {
		// carry every live group's teams into this half
		for g := range w.groups {
			if alive(g, h) && h > w.groups[g].first {
				gr := &w.groups[g]
				gr.teams = append(gr.teams, append([]int(nil), gr.teams[h-1-gr.first]...))
			}
		}
		for u := range w.units {
			force := w.opt.Scale == ScaleTiny && h == w.H/2 && events == 0
			if !force && r.Float64() >= w.spec.restructureP {
				continue
			}
			var singles, doubles []int
			for g := range w.groups {
				gr := &w.groups[g]
				if gr.unit != u || !alive(g, h) || h-gr.first < 2 {
					continue
				}
				switch len(teamsAt(g, h)) {
				case 1:
					singles = append(singles, g)
				case 2:
					doubles = append(doubles, g)
				}
			}
			if r.IntN(2) == 0 || force {
				// merge two singles of one branch
				done := false
				for i := 0; i < len(singles) && !done; i++ {
					for j := i + 1; j < len(singles) && !done; j++ {
						a, b := singles[i], singles[j]
						if w.groups[a].branch != w.groups[b].branch {
							continue
						}
						ts := []int{teamsAt(a, h)[0], teamsAt(b, h)[0]}
						w.dissolve(a, h)
						w.dissolve(b, h)
						w.newGroup(r, u, w.groups[a].branch, ts, h, w.halfStart[h], words[u], (w.groups[a].q+w.groups[b].q)/2)
						done = true
						events++
					}
				}
			} else if len(doubles) > 0 {
				a := doubles[r.IntN(len(doubles))]
				ts := teamsAt(a, h)
				w.dissolve(a, h)
				for _, t := range ts {
					w.newGroup(r, u, w.groups[a].branch, []int{t}, h, w.halfStart[h], words[u], w.groups[a].q)
				}
				events++
			}
		}
	}
	for g := range w.groups {
		gr := &w.groups[g]
		for h := gr.first; h <= gr.last; h++ {
			for _, t := range gr.teams[h-gr.first] {
				w.teams[t].groupAt[h] = g
			}
		}
	}
}

// dissolve ends group g before half h.
func (w *world) dissolve(g, h int) {
	gr := &w.groups[g]
	gr.last = h - 1
	gr.teams = gr.teams[:h-gr.first]
}

func (w *world) buildLatent(r *rand.Rand) {
	for g := range w.groups {
		gr := &w.groups[g]
		n := gr.last - gr.first + 1
		gr.drift = make([]float64, n)
		gr.countProp = make([]float64, n)
		gr.critDrift = make([]float64, n)
		gr.resDrift = make([]float64, n)
		gr.prodDrift = make([]float64, n)
		d := 0.0
		for i := 0; i < n; i++ {
			d = 0.5*d + 0.8*r.NormFloat64()
			gr.drift[i] = d
			gr.countProp[i] = 0.7*d + 0.7*r.NormFloat64()
			gr.critDrift[i] = 0.6*d + 0.8*r.NormFloat64()
			gr.resDrift[i] = 0.6*d + 0.8*r.NormFloat64()
			gr.prodDrift[i] = 0.6*d + 0.8*r.NormFloat64()
		}
	}
	w.tauV = make([]float64, w.H)
	w.tauD = make([]float64, w.H)
	for h := 0; h < w.H; h++ {
		summer := float64(h % 2)
		w.tauV[h] = 0.8*summer - 0.05*float64(h/2) + 0.4*r.NormFloat64()
		w.tauD[h] = 0.2*summer + 0.2*r.NormFloat64()
	}
	w.tauS = make([]float64, w.years())
	for y := range w.tauS {
		w.tauS[y] = 0.5*float64(y) + 1.5*r.NormFloat64()
	}
}

var modelKindsByTeam = map[string][]string{
	"line":        {"silver_line", "zero_violation", "hardship_pioneer"},
	"operation":   {"safety_guard", "zero_violation"},
	"maintenance": {"hardship_pioneer", "safety_guard", "zero_violation"},
	"marketing":   {"service_star", "silent_dedication"},
	"dispatch":    {"silent_dedication", "safety_guard"},
}

var otherPostKinds = []string{"responsibility_area", "pledge", "member_project"}

// buildPosts awards model posts at half starts. Teams of groups with a lower violation baseline
// are likelier to get one: posts go to teams that were already better.
func (w *world) buildPosts(r *rand.Rand) {
	mean, sd := 0.0, 0.0
	for _, g := range w.groups {
		mean += g.alphaV
	}
	mean /= float64(len(w.groups))
	for _, g := range w.groups {
		sd += (g.alphaV - mean) * (g.alphaV - mean)
	}
	sd = math.Sqrt(sd/float64(len(w.groups))) + 1e-9
	for t := range w.teams {
		tm := &w.teams[t]
		holding := -1
		for h := 0; h < w.H; h++ {
			g := tm.groupAt[h]
			if holding >= 0 {
				if r.Float64() < 0.04 { // revoked at this half's start
					w.posts[holding].revoked = w.halfStart[h]
					w.posts[holding].revHalf = h
					holding = -1
				}
			}
			if holding < 0 {
				z := (w.groups[g].alphaV - mean) / sd
				p := 0.05 * math.Exp(-0.9*z)
				awarded := w.halfStart[h]
				if h == 0 {
					p = 0.15 * math.Exp(-0.9*z)
					awarded = dayOf(w.firstYear-1-r.IntN(3), time.Month(1+6*r.IntN(2)), 1)
				}
				if r.Float64() < p {
					kinds := modelKindsByTeam[tm.tpl.kind]
					holder := tm.members[r.IntN(len(tm.members))]
					holding = len(w.posts)
					w.posts = append(w.posts, post{kind: kinds[r.IntN(len(kinds))], team: t, group: g, person: holder,
						awarded: awarded, awardedHalf: h, revHalf: -1, model: true})
				}
			}
			tm.post[h] = holding >= 0
		}
		// pledges, responsibility areas and member projects: no planted effect
		for h := 0; h < w.H; h++ {
			if r.Float64() < 0.03 {
				day := w.halfStart[h] + r.IntN(w.halfEnd[h]-w.halfStart[h]+1)
				w.posts = append(w.posts, post{kind: otherPostKinds[r.IntN(len(otherPostKinds))], team: t, group: tm.groupAt[h],
					person: tm.members[r.IntN(len(tm.members))], awarded: day, awardedHalf: h, revHalf: -1})
			}
		}
	}
	// IDs in award order so that the ledger reads chronologically.
	idx := make([]int, len(w.posts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return w.posts[idx[a]].awarded < w.posts[idx[b]].awarded })
	sorted := make([]post, len(w.posts))
	for i, j := range idx {
		sorted[i] = w.posts[j]
		sorted[i].id = padID("SFG", i+1, 6)
	}
	w.posts = sorted
}

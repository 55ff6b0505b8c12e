package synth

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
)

const (
	yes = "是"
	no  = "否"
)

func yesNo(b bool) string {
	if b {
		return yes
	}
	return no
}

// file builds the column list of a file: every contract column in order, headed by its
// Chinese (or English) label; byName columns are headed by the contract's "…名称" alias.
func (w *world) file(dataset, base string, year int, byName ...string) *fileJob {
	c, err := datasets.Lookup(dataset)
	if err != nil {
		panic(err) // a programming error: every dataset named here is in the catalogue
	}
	refs := map[string]bool{}
	for _, r := range c.Refs {
		for _, col := range r.Columns {
			refs[col] = true
		}
	}
	keys := map[string]bool{}
	for _, k := range c.Key {
		keys[k] = true
	}
	named := map[string]bool{}
	for _, n := range byName {
		named[n] = true
	}
	j := &fileJob{dataset: dataset, base: base, year: year, byName: len(byName) > 0}
	for i := range c.Columns {
		col := &c.Columns[i]
		h := col.Label.Zh
		if w.opt.Headers == HeadersEn {
			h = col.Label.En
		} else if named[col.Name] {
			h = nameAlias[col.Name]
		}
		j.cols = append(j.cols, outCol{col: col, header: h, isRef: refs[col.Name], isKey: keys[col.Name]})
	}
	return j
}

// nameAlias heads a reference column that holds names; each is an alias in the contract.
var nameAlias = map[string]string{"group_id": "党小组名称", "team_id": "班组名称", "unit_id": "单位名称", "branch_id": "党支部名称"}

// without drops columns a file does not carry (branch-level meetings have no group).
func (j *fileJob) without(names ...string) *fileJob {
	var keep []outCol
	for _, c := range j.cols {
		drop := false
		for _, n := range names {
			drop = drop || c.col.Name == n
		}
		if !drop {
			keep = append(keep, c)
		}
	}
	j.cols = keep
	return j
}

// labels maps the codes of an enum column to their Chinese labels (what users' files hold).
func labels(dataset, column string) map[string]string {
	c, _ := datasets.Lookup(dataset)
	col, _ := c.Column(column)
	m := map[string]string{}
	for _, v := range col.Values {
		m[v.Code] = v.Label.Zh
	}
	return m
}

func (w *world) day(d int) string { return w.dates.str(d) }

func (w *world) jobs() []*job {
	var js []*job
	one := func(f *fileJob, p func(e *emitter) error) {
		js = append(js, &job{files: []*fileJob{f}, produce: func(es []*emitter) error { return p(es[0]) }})
	}
	one(w.file("units", "单位名册", 0), w.writeUnits)
	one(w.file("branches", "党支部名册", 0), w.writeBranches)
	one(w.file("party_groups", "党小组名册", 0), w.writeGroups)
	one(w.file("teams", "班组名册", 0), w.writeTeams)
	one(w.file("group_teams", "党小组与班组对应关系", 0), w.writeGroupTeams)
	one(w.file("people", "人员花名册", 0), w.writePeople)
	one(w.file("model_posts", "党员示范岗台账", 0), w.writePosts)
	one(w.file("survey_items", "满意度问卷题目", 0), w.writeSurveyItems)
	for y := 0; y < w.years(); y++ {
		year := w.firstYear + y
		ys := itoa(year) + "年"
		js = append(js, &job{files: []*fileJob{
			w.file("meetings", ys+"党小组会议记录", year, "group_id"),
			w.file("meetings", ys+"支部组织生活记录", year).without("group_id"),
		}, produce: func(es []*emitter) error { return w.writeMeetings(es, y) }})
		one(w.file("attendance", ys+"参会签到记录", year), func(e *emitter) error { return w.writeAttendance(e, y) })
		one(w.file("trainings", ys+"培训记录", year), func(e *emitter) error { return w.writeTrainings(e, y) })
		one(w.file("assessments", ys+"党小组考评", year), func(e *emitter) error { return w.writeAssessments(e, y) })
		one(w.file("member_reviews", ys+"民主评议党员", year), func(e *emitter) error { return w.writeReviews(e, y) })
		one(w.file("awards", ys+"表彰奖励", year), func(e *emitter) error { return w.writeAwards(e, y) })
		js = append(js, &job{files: []*fileJob{w.file("patrols", ys+"巡视记录", year), w.file("defects", ys+"缺陷记录", year)},
			produce: func(es []*emitter) error { return w.writePatrols(es, y) }})
		one(w.file("safety_events", ys+"安全事件", year), func(e *emitter) error { return w.writeSafety(e, y) })
		js = append(js, &job{files: []*fileJob{
			w.file("survey_responses", ys+"客户满意度答卷", year, "team_id"),
			w.file("survey_responses", ys+"职工满意度答卷", year),
		}, produce: func(es []*emitter) error { return w.writeResponses(es, y) }})
	}
	return js
}

func (w *world) writeUnits(e *emitter) error {
	kinds := labels("units", "kind")
	for _, u := range w.units {
		if err := e.row([]string{u.id, u.name, kinds[u.kind], u.company}); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeBranches(e *emitter) error {
	for _, b := range w.branches {
		if err := e.row([]string{b.id, b.name, w.units[b.unit].id, itoa(len(b.committee))}); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) dissolvedDay(g int) string {
	if gr := &w.groups[g]; gr.last < w.H-1 {
		return w.day(w.halfEnd[gr.last])
	}
	return ""
}

func (w *world) groupFrom(g int) int {
	if gr := &w.groups[g]; gr.first > 0 {
		return w.halfStart[gr.first]
	}
	return w.groups[g].formedDay
}

func (w *world) writeGroups(e *emitter) error {
	for g, gr := range w.groups {
		row := []string{gr.id, gr.name, w.branches[gr.branch].id, w.day(w.groupFrom(g)), w.dissolvedDay(g),
			w.people[gr.leader].empNo, w.people[gr.liaison].empNo}
		if err := e.row(row); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeTeams(e *emitter) error {
	kinds := labels("teams", "kind")
	for _, t := range w.teams {
		if err := e.row([]string{t.id, t.name, w.units[t.unit].id, kinds[t.tpl.kind], itoa(t.headcount)}); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeGroupTeams(e *emitter) error {
	for g, gr := range w.groups {
		for _, t := range gr.teams[0] {
			if err := e.row([]string{gr.id, w.teams[t].id, w.day(w.groupFrom(g)), w.dissolvedDay(g)}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *world) writePeople(e *emitter) error {
	roles := labels("people", "role")
	for _, p := range w.people {
		g, joined := "", ""
		if p.member {
			g = w.groups[w.teams[p.team].groupAt[w.H-1]].id
			joined = w.day(p.joined)
		}
		row := []string{p.empNo, p.name, p.idNo, p.phone, roles[p.role], yesNo(p.member), g, w.teams[p.team].id, itoa(p.birthYear), joined}
		if err := e.row(row); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writePosts(e *emitter) error {
	kinds := labels("model_posts", "kind")
	for _, p := range w.posts {
		rev := ""
		if p.revoked != 0 {
			rev = w.day(p.revoked)
		}
		row := []string{p.id, kinds[p.kind], w.teams[p.team].id, w.groups[p.group].id, w.people[p.person].empNo, w.day(p.awarded), rev}
		if err := e.row(row); err != nil {
			return err
		}
	}
	return nil
}

type surveyItem struct {
	code, text, dim string
	max             int
	reverse         bool
}

var customerItems = []surveyItem{
	{"C1", "您对供电可靠性的满意程度", "供电质量", 10, false},
	{"C2", "故障报修后抢修人员到达是否及时", "服务效率", 5, false},
	{"C3", "停电信息通知是否及时准确", "信息公开", 5, false},
	{"C4", "办电过程中是否遇到推诿扯皮", "服务作风", 5, true},
	{"C5", "您对供电服务的总体评价", "总体评价", 10, false},
}

var employeeItems = []surveyItem{
	{"E1", "班组安全氛围良好", "安全文化", 5, false},
	{"E2", "党小组活动对工作有实际帮助", "党建成效", 5, false},
	{"E3", "党小组会议流于形式", "党建成效", 5, true},
	{"E4", "提出的问题能得到及时解决", "工作环境", 5, false},
	{"E5", "工作压力过大", "工作环境", 5, true},
	{"E6", "对本单位的总体满意度", "总体评价", 5, false},
}

func (w *world) writeSurveyItems(e *emitter) error {
	aud := labels("survey_items", "audience")
	for y := 0; y < w.years(); y++ {
		year := itoa(w.firstYear + y)
		for _, s := range []struct {
			id, audience string
			items        []surveyItem
		}{{"KH" + year, "customer", customerItems}, {"ZG" + year, "employee", employeeItems}} {
			for _, it := range s.items {
				if err := e.row([]string{s.id, it.code, it.text, it.dim, aud[s.audience], itoa(it.max), yesNo(it.reverse)}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func meetingID(year, i int) string { return padID("HY"+itoa(year)+"-", i+1, 7) }

func (w *world) writeMeetings(es []*emitter, y int) error {
	kinds := labels("meetings", "kind")
	year := w.firstYear + y
	cells := make([]string, 14)
	opt := func(v int16) string {
		if v < 0 {
			return ""
		}
		return itoa(int(v))
	}
	flag := func(v int8) string {
		if v < 0 {
			return ""
		}
		return yesNo(v == 1)
	}
	for i := range w.meetings[y] {
		m := &w.meetings[y][i]
		cells = cells[:0]
		cells = append(cells, meetingID(year, i))
		if m.group >= 0 {
			cells = append(cells, w.groups[m.group].name)
		}
		cells = append(cells, w.branches[m.branch].id, kinds[meetingKindCodes[m.kind]], w.day(int(m.day)), topicText(m.topic),
			itoa(int(m.duration)), itoa(int(m.expected)), itoa(int(m.attended)), opt(m.critique), opt(m.raised), opt(m.resolved),
			flag(m.prodLinked), flag(m.studyOnly))
		e := es[1]
		if m.group >= 0 {
			e = es[0]
		}
		if err := e.row(cells); err != nil {
			return err
		}
	}
	return nil
}

// expectedAt lists the people expected at a meeting, as the meeting's expected count says.
func (w *world) expectedAt(m *meeting, buf []int) []int {
	buf = buf[:0]
	switch {
	case m.group >= 0:
		gr := &w.groups[m.group]
		h := w.halfOf(int(m.day))
		for _, t := range gr.teams[h-gr.first] {
			buf = append(buf, w.teams[t].members...)
		}
	case m.kind == kCommittee || m.kind == kHeartTalk:
		buf = append(buf, w.branches[m.branch].committee...)
	default:
		buf = append(buf, w.branches[m.branch].members...)
	}
	return buf
}

func (w *world) writeAttendance(e *emitter, y int) error {
	st := labels("attendance", "status")
	present, absent, leave := st["present"], st["absent"], st["leave"]
	r := stream(w.opt.Seed, "attendance/"+itoa(w.firstYear+y))
	year := w.firstYear + y
	var people []int
	cells := make([]string, 3)
	for i := range w.meetings[y] {
		m := &w.meetings[y][i]
		people = w.expectedAt(m, people)
		// the first `attended` after a partial shuffle were present
		for k := 0; k < int(m.attended) && k < len(people); k++ {
			j := k + r.IntN(len(people)-k)
			people[k], people[j] = people[j], people[k]
		}
		id := meetingID(year, i)
		for k, p := range people {
			s := present
			if k >= int(m.attended) {
				s = absent
				if r.IntN(5) < 2 {
					s = leave
				}
			}
			cells[0], cells[1], cells[2] = id, w.people[p].empNo, s
			if err := e.row(cells); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *world) writeTrainings(e *emitter, y int) error {
	kinds := labels("trainings", "kind")
	r := stream(w.opt.Seed, "trainings/"+itoa(w.firstYear+y))
	year := w.firstYear + y
	type tr struct {
		p, day       int
		kind, course string
		hours        float64
	}
	var rows []tr
	seen := map[int]bool{}
	for g := range w.groups {
		gr := &w.groups[g]
		if gr.first > 2*y+1 || gr.last < 2*y || seen[gr.leader] {
			continue
		}
		seen[gr.leader] = true
		if r.Float64() < logistic(1.6+0.5*gr.q) {
			rows = append(rows, tr{gr.leader, randomDayInMonth(r, year, time.Month(3+r.IntN(9))), "leader_training", "党小组长履职能力培训班", float64(8 * (1 + r.IntN(3)))})
		}
	}
	for p := range w.people {
		if w.people[p].member && r.IntN(10) < 3 {
			rows = append(rows, tr{p, randomDayInMonth(r, year, time.Month(1+r.IntN(12))), "member_training", "党员集中轮训", float64(4 * (1 + r.IntN(4)))})
		} else if r.IntN(50) == 0 {
			rows = append(rows, tr{p, randomDayInMonth(r, year, time.Month(1+r.IntN(12))), "other", "安全规程培训", 4})
		}
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].day < rows[b].day })
	for _, t := range rows {
		if err := e.row([]string{w.people[t.p].empNo, w.day(t.day), kinds[t.kind], t.course, fmtTenths(t.hours)}); err != nil {
			return err
		}
	}
	return nil
}

type assessItem struct {
	code, dim string
	max       float64
}

// assessmentItems: 12 items in 5 dimensions, 100 points in all (a unit's 考评办法 by default).
var assessmentItems = []assessItem{
	{"SX01", "ideology", 10}, {"SX02", "ideology", 8},
	{"ZZ01", "organisation", 10}, {"ZZ02", "organisation", 8}, {"ZZ03", "organisation", 7},
	{"ZF01", "conduct", 8}, {"ZF02", "conduct", 7},
	{"ZD01", "institution", 8}, {"ZD02", "institution", 7},
	{"ZX01", "central_task", 12}, {"ZX02", "central_task", 10}, {"ZX03", "central_task", 5},
}

func (w *world) writeAssessments(e *emitter, y int) error {
	dims := labels("assessments", "dimension")
	r := stream(w.opt.Seed, "assessments/"+itoa(w.firstYear+y))
	for hh := 0; hh < 2; hh++ {
		h := 2*y + hh
		half := itoa(w.firstYear+y) + "H" + itoa(hh+1)
		for g := range w.groups {
			gr := &w.groups[g]
			if h < gr.first || h > gr.last {
				continue
			}
			base := 0.87 + 0.05*gr.q + 0.04*gr.drift[h-gr.first]
			for _, it := range assessmentItems {
				s := math.Round(it.max*clamp(base+0.06*r.NormFloat64(), 0.3, 1)*2) / 2
				if err := e.row([]string{gr.id, half, it.code, dims[it.dim], fmtTenths(s), fmtTenths(it.max)}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (w *world) writeReviews(e *emitter, y int) error {
	grades := labels("member_reviews", "grade")
	r := stream(w.opt.Seed, "reviews/"+itoa(w.firstYear+y))
	year := itoa(w.firstYear + y)
	for p := range w.people {
		if !w.people[p].member || w.people[p].joined > w.halfEnd[2*y+1] {
			continue
		}
		self := clamp(math.Round(93+2*r.NormFloat64()), 70, 100)
		br := clamp(math.Round(self-math.Abs(3+3*r.NormFloat64())+2*w.people[p].talent), 40, 100)
		g := "qualified"
		switch {
		case br >= 93:
			g = "excellent"
		case br < 60:
			g = "unqualified"
		case br < 75:
			g = "basic"
		}
		if err := e.row([]string{w.people[p].empNo, year, itoa(int(self)), itoa(int(br)), grades[g]}); err != nil {
			return err
		}
	}
	return nil
}

var awardTitles = []struct{ title, level string }{
	{"优秀共产党员", "company"}, {"先进工作者", "unit"}, {"安全生产先进个人", "company"}, {"青年岗位能手", "unit"},
	{"劳动模范", "province"}, {"优秀班组长", "unit"}, {"技术能手", "company"}, {"五一劳动奖章", "national"},
}

// writeAwards concentrates honours on the same few people (the Matthew effect): the chance
// grows with talent and with honours already held.
func (w *world) writeAwards(e *emitter, y int) error {
	levels := labels("awards", "level")
	year := w.firstYear + y
	type aw struct{ p, day, t int }
	var rows []aw
	for p := range w.people {
		// deterministic per person and year, independent of earlier years' files
		r := rand.New(rand.NewPCG(w.opt.Seed^0x5eed, uint64(p)))
		prev := 0
		for yy := 0; yy <= y; yy++ {
			pr := 0.02 * math.Exp(0.9*w.people[p].talent+0.8*float64(prev))
			got := r.Float64() < pr
			t := r.IntN(len(awardTitles))
			if got && awardTitles[t].level == "national" && r.IntN(10) > 0 {
				t = 0
			}
			d := dayOf(w.firstYear+yy, time.Month(1+r.IntN(12)), 1+r.IntN(28))
			if got {
				prev++
				if yy == y {
					rows = append(rows, aw{p, d, t})
				}
			}
		}
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].day < rows[b].day })
	for i, a := range rows {
		t := awardTitles[a.t]
		if err := e.row([]string{padID("JL"+itoa(year)+"-", i+1, 5), w.people[a.p].empNo, t.title, levels[t.level], w.day(a.day)}); err != nil {
			return err
		}
	}
	return nil
}

var defectAddByMonth = [12]float64{0.3, 0, 0, 0, 0, 0, 0.4, 0.4, 0, 0, 0, 0.3}

type patrolRow struct {
	day       int
	kind      uint8
	line      int
	km        float64
	planned   bool
	completed bool
}

func (w *world) writePatrols(es []*emitter, y int) error {
	pk := labels("patrols", "kind")
	kindLabels := []string{pk["routine"], pk["special"], pk["night"], pk["after_storm"]}
	kindAdd := []float64{0, 0.3, 0, 1.0}
	volt := labels("patrols", "voltage")
	sev := labels("defects", "severity")
	sevCodes := []string{"general", "serious", "critical"}
	limits := []int{30, 7, 1}
	r := stream(w.opt.Seed, "patrols/"+itoa(w.firstYear+y))
	year := w.firstYear + y
	end := w.halfEnd[w.H-1]
	seq, dseq := 0, 0
	pc := make([]string, 11)
	dc := make([]string, 7)
	var rows []patrolRow
	for t := range w.teams {
		tm := &w.teams[t]
		if tm.tpl.patrols == 0 {
			continue
		}
		for hh := 0; hh < 2; hh++ {
			h := 2*y + hh
			g := tm.groupAt[h]
			rate := w.defectRate(t, h)
			timely := logistic(1.8 + 0.4*w.groups[g].q)
			n := poisson(r, tm.tpl.patrols/2)
			rows = rows[:0]
			weights := monthSeason[6*hh : 6*hh+6]
			for i := 0; i < n; i++ {
				mo := time.Month(6*hh + 1 + pick(r, weights))
				peak := monthSeason[mo-1] > 1.2
				p := patrolRow{day: randomDayInMonth(r, year, mo), line: r.IntN(len(tm.lines))}
				x := r.Float64()
				switch {
				case peak && x < 0.25 || x < 0.1:
					p.kind = 1
				case x < 0.3:
					p.kind = 2
				case x < 0.36 || peak && mo >= 6 && mo <= 8 && x < 0.45:
					p.kind = 3
				}
				ln := tm.lines[p.line]
				p.km = math.Round((ln.kmLo+r.Float64()*(ln.kmHi-ln.kmLo))*10) / 10
				p.planned = p.kind != 3 && (p.kind != 1 || r.IntN(10) < 7)
				p.completed = r.IntN(20) > 0
				rows = append(rows, p)
			}
			sort.SliceStable(rows, func(a, b int) bool { return rows[a].day < rows[b].day })
			for _, p := range rows {
				seq++
				id := padID("XS"+itoa(year)+"-", seq, 7)
				ln := tm.lines[p.line]
				lam := p.km * (rate + defectAddByMonth[civil(p.day).Month()-1] + kindAdd[p.kind]) / 100
				nd := poisson(r, lam)
				comp := ""
				if p.planned {
					comp = yesNo(p.completed)
				}
				pc = append(pc[:0], id, tm.id, ln.name, volt[ln.voltage], w.day(p.day), kindLabels[p.kind], fmtTenths(p.km),
					yesNo(p.planned), comp, itoa(nd), itoa(2+r.IntN(4)))
				if err := es[0].row(pc); err != nil {
					return err
				}
				for k := 0; k < nd; k++ {
					dseq++
					s := pick(r, []float64{0.8, 0.17, 0.03})
					lim := limits[s]
					delay := r.IntN(lim + 1)
					if r.Float64() > timely {
						delay = lim + 1 + r.IntN(2*lim+5)
					}
					el := ""
					if p.day+delay <= end {
						el = w.day(p.day + delay)
					}
					dc = append(dc[:0], padID("QX"+itoa(year)+"-", dseq, 7), tm.id, ln.name, sev[sevCodes[s]], w.day(p.day), el, id)
					if err := es[1].row(dc); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

var violationTexts = []string{"未按规定佩戴安全帽", "登高作业未系安全带", "未执行工作票制度", "未验电即装设接地线", "作业现场未设置围栏", "酒后进入作业现场", "未经许可擅自扩大工作范围"}
var nearMissTexts = []string{"误入带电间隔被及时制止", "工具滑落未伤人", "车辆避让行人险些侧翻"}
var obstacleTexts = []string{"线路跳闸重合成功", "外力破坏导致线路停运", "树障放电跳闸", "设备绝缘击穿"}
var accidentTexts = []string{"作业人员摔伤", "线路倒杆停电", "触电轻伤"}

type event struct {
	day, person int
	kind        uint8
	resp        int8
	outage      int
	text        string
}

func (w *world) writeSafety(e *emitter, y int) error {
	ek := labels("safety_events", "kind")
	kinds := []string{ek["violation"], ek["near_miss"], ek["obstacle"], ek["accident"]}
	r := stream(w.opt.Seed, "safety/"+itoa(w.firstYear+y))
	year := w.firstYear + y
	seq := 0
	var evs []event
	for t := range w.teams {
		tm := &w.teams[t]
		for hh := 0; hh < 2; hh++ {
			h := 2*y + hh
			evs = evs[:0]
			weights := monthSeason[6*hh : 6*hh+6]
			when := func() int { return randomDayInMonth(r, year, time.Month(6*hh+1+pick(r, weights))) }
			who := func() int {
				n := len(tm.staff)
				return tm.staff[min(r.IntN(n), r.IntN(n))] // repeat offenders
			}
			rate := math.Max(w.violationRate(t, h), violationFloor)
			for i, n := 0, poisson(r, float64(tm.headcount)*rate/100); i < n; i++ {
				evs = append(evs, event{day: when(), person: who(), kind: 0, resp: 1, outage: -1, text: violationTexts[r.IntN(len(violationTexts))]})
			}
			for i, n := 0, poisson(r, float64(tm.headcount)*3/100); i < n; i++ {
				evs = append(evs, event{day: when(), person: who(), kind: 1, resp: 0, outage: -1, text: nearMissTexts[r.IntN(len(nearMissTexts))]})
			}
			if tm.tpl.patrols > 0 {
				for i, n := 0, poisson(r, 0.25); i < n; i++ {
					evs = append(evs, event{day: when(), person: -1, kind: 2, resp: int8(boolInt(r.IntN(10) < 3)), outage: 20 + r.IntN(580), text: obstacleTexts[r.IntN(len(obstacleTexts))]})
				}
			}
			for i, n := 0, poisson(r, 0.01); i < n; i++ {
				evs = append(evs, event{day: when(), person: who(), kind: 3, resp: int8(boolInt(r.IntN(10) < 6)), outage: 60 + r.IntN(2940), text: accidentTexts[r.IntN(len(accidentTexts))]})
			}
			sort.SliceStable(evs, func(a, b int) bool { return evs[a].day < evs[b].day })
			for _, ev := range evs {
				seq++
				person, outage := "", ""
				if ev.person >= 0 {
					person = w.people[ev.person].empNo
				}
				if ev.outage >= 0 {
					outage = itoa(ev.outage)
				}
				row := []string{padID("AQ"+itoa(year)+"-", seq, 6), tm.id, person, w.day(ev.day), kinds[ev.kind], yesNo(ev.resp == 1), outage, ev.text}
				if err := e.row(row); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// violationFloor keeps a team's expected rate positive; generate counts how often it binds.
const violationFloor = 0.5

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// likert draws an answer with expectation exactly 1 + (max-1)·p, so that the rescaled mean of
// docs/metrics.md is p·100 in expectation (randomised rounding, no clipping for p in [0,1]).
func likert(r *rand.Rand, p float64, max int) int {
	mu := 1 + float64(max-1)*p
	s := math.Floor(mu)
	if r.Float64() < mu-s {
		s++
	}
	return int(s)
}

func (w *world) writeResponses(es []*emitter, y int) error {
	r := stream(w.opt.Seed, "responses/"+itoa(w.firstYear+y))
	year := w.firstYear + y
	start, end := w.halfStart[2*y], w.halfEnd[2*y+1]
	cid, eid := "KH"+itoa(year), "ZG"+itoa(year)
	cells := make([]string, 7)
	for t := range w.teams {
		tm := &w.teams[t]
		unitID := w.units[tm.unit].id
		for i := 0; i < w.spec.customerResponses; i++ {
			d := start + r.IntN(end-start+1)
			g := w.teamGroupAt(t, d)
			p := clamp((w.customerLevel(g, y)+8*r.NormFloat64())/100, 0, 1)
			resp := padID(cid+"-"+tm.id+"-", i+1, 3)
			for _, it := range customerItems {
				s := likert(r, p, it.max)
				if it.reverse {
					s = it.max + 1 - s
				}
				cells = append(cells[:0], cid, resp, it.code, itoa(s), unitID, tm.name, w.day(d))
				if err := es[0].row(cells); err != nil {
					return err
				}
			}
		}
		for i, n := 0, int(math.Round(float64(tm.headcount)*w.spec.employeeShare)); i < n; i++ {
			d := dayOf(year, time.November, 1) + r.IntN(30)
			g := w.teamGroupAt(t, d)
			p := clamp(0.72+0.03*w.groups[g].q+0.1*r.NormFloat64(), 0, 1)
			resp := padID(eid+"-"+tm.id+"-", i+1, 3)
			for _, it := range employeeItems {
				s := likert(r, p, it.max)
				if it.reverse {
					s = it.max + 1 - s
				}
				cells = append(cells[:0], eid, resp, it.code, itoa(s), unitID, tm.id, w.day(d))
				if err := es[1].row(cells); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

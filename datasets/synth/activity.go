package synth

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// Meeting kinds, in the order of the contract's values.
const (
	kGroupMeeting uint8 = iota
	kCommittee
	kThemeDay
	kGeneral
	kLecture
	kLife
	kReview
	kHeartTalk
	kDemoDay
)

var meetingKindCodes = []string{"group_meeting", "committee_meeting", "theme_day", "general_meeting", "party_lecture",
	"life_meeting", "member_review", "heart_talk", "demo_day"}

type meeting struct {
	day                        int32
	group                      int32 // -1: branch level
	branch                     int32
	kind                       uint8
	topic                      uint8
	duration                   int16
	expected, attended         int16
	critique, raised, resolved int16 // -1: not recorded
	prodLinked, studyOnly      int8  // -1: not recorded
	attendSeed                 uint32
}

// groupHalf holds the realised activity metrics of a group in a half, computed from exactly the
// meeting rows written, so the planted model is consistent with docs/metrics.md.
type groupHalf struct {
	n                          int
	critique, raised, resolved int
	prodLinked, studyOnly      int
}

type groupYear struct {
	n, resolved int
}

func (a groupHalf) critiquePer() float64 { return float64(a.critique) / float64(a.n) }
func (a groupHalf) resolvedPer() float64 { return float64(a.resolved) / float64(a.n) }
func (a groupHalf) prodShare() float64   { return float64(a.prodLinked) / float64(a.n) }

var studyTopics = []string{"学习贯彻党的二十大精神", "学习党章党规", "传达上级会议精神", "学习习近平新时代中国特色社会主义思想", "学习《中国共产党纪律处分条例》"}
var productionTopics = []string{"迎峰度夏保供电动员", "迎峰度冬安全措施讨论", "线路防外破专项分析", "反违章专题讨论", "缺陷消除进度分析", "安全生产月活动部署",
	"带电作业安全措施讨论", "优质服务问题整改", "党员责任区工作推进"}
var generalTopics = []string{"党员思想动态交流", "开展批评与自我批评", "发展党员工作讨论", "党费收缴情况通报", "志愿服务活动安排"}
var demoTopics = []string{"特殊巡线示范日", "党员服务进社区", "安全隐患排查示范日", "设备消缺攻坚示范日"}
var branchTopics = []string{"支部工作计划部署", "三会一课落实情况", "党风廉政建设", "主题教育", "民主评议工作安排", "专题党课"}

// topic indexes: study 0-9, production 10-29, general 30-39, demo 40-49, branch 50-59
func topicText(i uint8) string {
	switch {
	case i < 10:
		return studyTopics[int(i)%len(studyTopics)]
	case i < 30:
		return productionTopics[int(i-10)%len(productionTopics)]
	case i < 40:
		return generalTopics[int(i-30)%len(generalTopics)]
	case i < 50:
		return demoTopics[int(i-40)%len(demoTopics)]
	}
	return branchTopics[int(i-50)%len(branchTopics)]
}

// monthSeason weights months for patrol effort and risk: summer peak (迎峰度夏, Jul–Aug) and
// winter peak (Dec–Jan).
var monthSeason = [12]float64{1.25, 1.0, 0.9, 0.9, 0.95, 1.1, 1.4, 1.4, 1.05, 0.9, 0.95, 1.25}

func (w *world) groupMembersAt(g, h int) int {
	gr := &w.groups[g]
	n := 0
	for _, t := range gr.teams[h-gr.first] {
		n += len(w.teams[t].members)
	}
	return n
}

func randomDayInMonth(r *rand.Rand, y int, m time.Month) int {
	first := dayOf(y, m, 1)
	last := dayOf(y, m+1, 1) - 1
	return first + r.IntN(last-first+1)
}

// buildMeetings writes every meeting into memory, year by year, and sums the group metrics.
func (w *world) buildMeetings() {
	Y := w.years()
	w.meetings = make([][]meeting, Y)
	w.agg = make([]groupHalf, len(w.groups)*w.H)
	w.aggYear = make([]groupYear, len(w.groups)*Y)
	for y := 0; y < Y; y++ {
		r := stream(w.opt.Seed, "meetings/"+itoa(w.firstYear+y))
		var ms []meeting
		for g := range w.groups {
			gr := &w.groups[g]
			for hh := 0; hh < 2; hh++ {
				h := 2*y + hh
				if h < gr.first || h > gr.last {
					continue
				}
				i := h - gr.first
				expected := w.groupMembersAt(g, h)
				held := logistic(2.2 + 0.5*gr.q + 0.4*gr.countProp[i])
				extra := 0.25 * math.Exp(0.6*gr.countProp[i])
				year := w.firstYear + y
				for mo := 0; mo < 6; mo++ {
					month := time.Month(6*hh + mo + 1)
					n := poisson(r, extra)
					if r.Float64() < held {
						n++
					}
					for k := 0; k < n; k++ {
						m := meeting{day: int32(randomDayInMonth(r, year, month)), group: int32(g), branch: int32(gr.branch), kind: kGroupMeeting}
						w.fillGroupMeeting(r, &m, gr, i, expected)
						a := &w.agg[g*w.H+h]
						a.n++
						a.critique += int(m.critique)
						a.raised += int(m.raised)
						a.resolved += int(m.resolved)
						a.prodLinked += int(m.prodLinked)
						a.studyOnly += int(m.studyOnly)
						ya := &w.aggYear[g*Y+y]
						ya.n++
						ya.resolved += int(m.resolved)
						ms = append(ms, m)
					}
				}
				// demonstration days: quarterly, on a Saturday
				for q := 0; q < 2; q++ {
					if r.Float64() < 0.85 {
						month := time.Month(6*hh + 3*q + 1 + r.IntN(3))
						d := randomDayInMonth(r, year, month)
						d -= (int(civil(d).Weekday()) - int(time.Saturday) + 7) % 7
						if d < dayOf(year, month, 1) { // stay in the month, so in the half
							d += 7
						}
						att := binomial(r, expected, gr.attendP)
						ms = append(ms, meeting{day: int32(d), group: int32(g), branch: int32(gr.branch), kind: kDemoDay, topic: uint8(40 + r.IntN(len(demoTopics))),
							duration: int16(120 + 30*r.IntN(7)), expected: int16(expected), attended: int16(att), critique: -1, raised: -1, resolved: -1,
							prodLinked: -1, studyOnly: -1, attendSeed: r.Uint32()})
					}
				}
			}
		}
		for b := range w.branches {
			br := &w.branches[b]
			year := w.firstYear + y
			add := func(kind uint8, month time.Month, expected int) {
				att := binomial(r, expected, 0.92)
				ms = append(ms, meeting{day: int32(randomDayInMonth(r, year, month)), group: -1, branch: int32(b), kind: kind,
					topic: uint8(50 + r.IntN(len(branchTopics))), duration: int16(60 + 15*r.IntN(5)), expected: int16(expected), attended: int16(att),
					critique: -1, raised: -1, resolved: -1, prodLinked: -1, studyOnly: -1, attendSeed: r.Uint32()})
			}
			for mo := time.January; mo <= time.December; mo++ {
				add(kCommittee, mo, len(br.committee))
				add(kThemeDay, mo, len(br.members))
				if mo%3 == 0 {
					add(kGeneral, mo, len(br.members))
					add(kLecture, mo, len(br.members))
				}
			}
			add(kLife, time.January, len(br.members))
			add(kReview, time.January, len(br.members))
			add(kHeartTalk, time.Month(3+r.IntN(9)), len(br.committee))
		}
		sort.SliceStable(ms, func(a, b int) bool {
			if ms[a].day != ms[b].day {
				return ms[a].day < ms[b].day
			}
			if ms[a].branch != ms[b].branch {
				return ms[a].branch < ms[b].branch
			}
			return ms[a].group < ms[b].group
		})
		w.meetings[y] = ms
	}
}

func (w *world) fillGroupMeeting(r *rand.Rand, m *meeting, gr *group, i, expected int) {
	m.expected = int16(expected)
	m.attended = int16(binomial(r, expected, gr.attendP))
	m.attendSeed = r.Uint32()
	if r.Float64() < logistic(-1.6-0.5*gr.q-0.5*gr.drift[i]) {
		m.studyOnly, m.prodLinked = 1, 0
		m.topic = uint8(r.IntN(len(studyTopics)))
		m.duration = int16(30 + 5*r.IntN(7))
		return
	}
	m.critique = int16(min(poisson(r, math.Exp(0.3+0.25*gr.q+0.35*gr.critDrift[i])), 15))
	m.raised = int16(min(poisson(r, math.Exp(0.6+0.15*gr.q+0.3*gr.resDrift[i])), 15))
	m.resolved = int16(binomial(r, int(m.raised), logistic(0.3+0.5*gr.q+0.7*gr.resDrift[i])))
	if r.Float64() < logistic(0.3+0.5*gr.q+0.8*gr.prodDrift[i]) {
		m.prodLinked = 1
		m.topic = uint8(10 + r.IntN(len(productionTopics)))
	} else {
		m.topic = uint8(30 + r.IntN(len(generalTopics)))
	}
	m.duration = int16(45 + 5*r.IntN(16))
}

// Centre points of the activity metrics: the planted model is linear in the deviation from
// them, so rates stay positive; the centres only move the intercept.
const (
	centreCritique = 1.5
	centreResolved = 1.2
	centreMeetings = 7.0
	centreProd     = 0.55
)

// lagged returns the activity of g in half h-1, or ok=false when g did not exist then.
func (w *world) lagged(g, h int) (a groupHalf, ok bool) {
	if h == 0 || h-1 < w.groups[g].first {
		return a, false
	}
	a = w.agg[g*w.H+h-1]
	return a, a.n > 0
}

// violationRate is the expected violations per 100 staff of team t in half h.
func (w *world) violationRate(t, h int) float64 {
	g := w.teams[t].groupAt[h]
	gr := &w.groups[g]
	rate := gr.alphaV + w.tauV[h]
	if a, ok := w.lagged(g, h); ok {
		rate += w.eff.CritiqueViolations*(a.critiquePer()-centreCritique) +
			w.eff.ResolvedViolations*(a.resolvedPer()-centreResolved) +
			w.eff.MeetingCountNull*(float64(a.n)-centreMeetings)
	}
	if w.teams[t].post[h] {
		rate += w.eff.ModelPostViolations
	}
	return rate
}

// defectRate is the expected defects per 100 km of team t in half h, before the month's season.
func (w *world) defectRate(t, h int) float64 {
	g := w.teams[t].groupAt[h]
	rate := w.groups[g].alphaD + w.tauD[h]
	if a, ok := w.lagged(g, h); ok {
		rate += w.eff.QualityDefectsFound * (a.prodShare() - centreProd)
	}
	return rate
}

// customerLevel is the expected customer satisfaction (0–100) of group g in year index y.
func (w *world) customerLevel(g, y int) float64 {
	gr := &w.groups[g]
	lvl := gr.alphaS + w.tauS[y]
	if a := w.aggYear[g*w.years()+y]; a.n > 0 {
		lvl += w.eff.ResolvedCustomer * (float64(a.resolved)/float64(a.n) - centreResolved)
	}
	return lvl
}

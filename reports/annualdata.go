package reports

import (
	"math"
	"sort"
	"time"

	"github.com/mingdeng/mingdeng/queries"
)

// The annual write-up's figures for one year, so the same figure of last year can stand beside
// it (同比), and the measures on record (annual_practices).

// YearFigures are the write-up's headline numbers for one year. NaN (or Has… false) means the
// year has no records for it.
type YearFigures struct {
	Year         string
	Groups       int     // groups with at least one slot of the group-meeting rule they had to meet in
	Units        int     // units of those groups
	Meetings     float64 // group meetings held
	Compliance   float64 // share of group-slots that met the group-meeting rule
	MissedGroups int
	MissedSlots  int
	Critique     float64 // mean over groups of critique items per meeting
	StudyOnly    float64 // mean over groups of the study-only share
	Linked       float64 // mean over groups of the production-linked share
	Resolution   float64 // mean over groups of the resolution rate
	FormalGroups int
	Flagged      int // group-halves at 基本合格 or below
	Twice        int // groups rated so in two halves running
	TwiceHalves  int // the assessments that were the second (or later) in a row
	Violations   float64
	Defects      float64
	Timely       float64
	HasActivity  bool // group_activity had rows
	HasGrid      bool // group_compliance had rows
	HasGrades    bool
	HasOutcomes  bool
	Src          YearSources
}

// YearSources are the queries behind a year's figures.
type YearSources struct {
	Grid, Activity, Grades, Outcomes, Practices Source
}

// Practice is one row of annual_practices.
type Practice struct {
	Kind, Detail    string
	N, Groups       int
	Teams, OfGroups int
	First, Last     time.Time
}

// Practices are the measures on record in a year.
type Practices struct {
	Rows []Practice
	Src  Source
}

// Get is the row of a practice (detail "" for those without one); ok false when absent.
func (p *Practices) Get(kind string) (Practice, bool) {
	if p == nil {
		return Practice{}, false
	}
	for _, r := range p.Rows {
		if r.Kind == kind && r.Detail == "" {
			return r, true
		}
	}
	return Practice{}, false
}

// Each returns the rows of a practice with details (model posts by kind), most first.
func (p *Practices) Each(kind string) []Practice {
	if p == nil {
		return nil
	}
	var out []Practice
	for _, r := range p.Rows {
		if r.Kind == kind && r.N > 0 {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].N > out[j].N })
	return out
}

// PracticesFromTable reads annual_practices.
func PracticesFromTable(tb *queries.Table, src Source) *Practices {
	if tb == nil {
		return nil
	}
	ci := func(n string) int { return colIndex(tb, n) }
	ki, di, ni, gi, ti, oi, fi, li := ci("practice"), ci("detail"), ci("n"), ci("groups"), ci("teams"), ci("of_groups"), ci("first_on"), ci("last_on")
	if ki < 0 || ni < 0 {
		return nil
	}
	num := func(row []any, i int) int {
		if i < 0 {
			return 0
		}
		v := queries.Number(row[i])
		if math.IsNaN(v) {
			return 0
		}
		return int(v)
	}
	day := func(row []any, i int) time.Time {
		if i < 0 {
			return time.Time{}
		}
		d, _ := row[i].(time.Time)
		return d
	}
	p := &Practices{Src: src}
	for _, row := range tb.Rows {
		r := Practice{Kind: FormatValue(row[ki]), N: num(row, ni), Groups: num(row, gi), Teams: num(row, ti), OfGroups: num(row, oi), First: day(row, fi), Last: day(row, li)}
		if di >= 0 {
			r.Detail = FormatValue(row[di])
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// figuresOf sums up a year's write-up data.
func figuresOf(d *AnnualData, outcomes *queries.Table, srcOut Source) YearFigures {
	f := YearFigures{Year: d.Year, Compliance: math.NaN(), Meetings: math.NaN(), Critique: math.NaN(), StudyOnly: math.NaN(),
		Linked: math.NaN(), Resolution: math.NaN(), Violations: math.NaN(), Defects: math.NaN(), Timely: math.NaN()}
	f.Src = YearSources{Grid: d.MissedSrc, Activity: d.FormalSrc, Grades: d.FlaggedSrc, Outcomes: srcOut}
	// Only months with records count: a grid of NaN (no month any group's unit has meeting
	// records for) says nothing about meeting every month.
	if d.grid != nil && len(d.grid.Rows) > 0 && !allNaN(d.grid.Values...) {
		f.HasGrid = true
		f.Groups = d.GroupsTotal
		var all []float64
		units := map[string]bool{}
		for i, row := range d.grid.Values {
			all = append(all, row...)
			if i < len(d.grid.Units) {
				units[d.grid.Units[i]] = true
			}
		}
		f.Units = len(units)
		f.Compliance = mean(all)
		f.MissedGroups = len(d.Missed)
		for _, m := range d.Missed {
			f.MissedSlots += m.SlotsMissed
		}
	}
	if len(d.Formal) > 0 && !formalUnrecorded(d.Formal) {
		f.HasActivity = true
		var crit, study, linked, res []float64
		for _, x := range d.Formal {
			crit, study, linked, res = append(crit, x.Critique), append(study, x.StudyOnly), append(linked, x.ProductionLinked), append(res, x.ResolutionRate)
			if x.Formal {
				f.FormalGroups++
			}
		}
		f.Critique, f.StudyOnly, f.Linked, f.Resolution = mean(crit), mean(study), mean(linked), mean(res)
		for _, h := range d.Practices {
			if h.Key == "group_meetings" {
				f.Meetings = h.Value
			}
		}
	}
	if d.FlaggedSrc.Query != "" {
		f.HasGrades = true
		f.Flagged = len(d.Flagged)
		// Groups, not group-halves: a group low three halves running is one group to help.
		twice := map[string]bool{}
		for _, x := range d.Flagged {
			if !x.Consecutive {
				continue
			}
			f.TwiceHalves++
			if !twice[x.Group+"\x00"+x.Unit] {
				twice[x.Group+"\x00"+x.Unit] = true
				f.Twice++
			}
		}
	}
	if outcomes != nil && len(outcomes.Rows) > 0 {
		if ts := meanByPeriod(outcomes, []string{"violations_per_100_staff", "defects_per_100km", "timely_elimination_share"}); ts != nil {
			f.HasOutcomes = true
			for _, s := range ts.Series {
				v := mean(s.Values)
				switch s.Name {
				case "violations_per_100_staff":
					f.Violations = v
				case "defects_per_100km":
					f.Defects = v
				case "timely_elimination_share":
					f.Timely = v
				}
			}
			// A year without a patrol, defect or safety record still has its groups and staff:
			// group_outcomes then gives each group 0 violations (no event counted) and no patrol
			// figure. That is a year without records, not one without violations: with no patrol
			// figure to tell them apart, 0 violations alone does not count as a record.
			if math.IsNaN(f.Defects) && math.IsNaN(f.Timely) && (f.Violations == 0 || math.IsNaN(f.Violations)) {
				f.HasOutcomes = false
			}
		}
	}
	return f
}

// completeAnnual adds the document's parts to d: the year's figures, the measures on record,
// the award spread, and last year's figures from in.Prior.
func completeAnnual(d *AnnualData, in AnnualTables) error {
	d.Grades = in.Grades
	d.This = figuresOf(d, in.OutcomesYear, in.Sources["OutcomesYear"])
	d.Measures = PracticesFromTable(in.Practices, in.Sources["Practices"])
	d.This.Src.Practices = in.Sources["Practices"]
	d.Spread, d.SpreadSrc = in.Spread, in.Sources["Spread"]
	if p := in.Prior; p != nil {
		f, err := FiguresOfYear(*p)
		if err != nil {
			return err
		}
		if f != nil {
			d.Prior = f
			d.PriorMeasures = PracticesFromTable(p.Practices, p.Sources["Practices"])
		}
	}
	return nil
}

// FiguresOfYear is one year's headline figures from the write-up's tables (the evaluation's
// 主要结论 sets the latest year against the one before); nil when the year has no records.
func FiguresOfYear(in AnnualTables) (*YearFigures, error) {
	d, err := AnnualFromTables(in)
	if err != nil {
		return nil, err
	}
	f := d.This
	if m := f.Meetings; math.IsNaN(m) || m == 0 {
		f.HasGrid, f.HasActivity = false, false
	}
	if !f.HasGrid && !f.HasActivity && !f.HasGrades && !f.HasOutcomes {
		return nil, nil
	}
	return &f, nil
}

// allNaN reports whether no row holds a value.
func allNaN(rows ...[]float64) bool {
	for _, r := range rows {
		for _, v := range r {
			if !math.IsNaN(v) {
				return false
			}
		}
	}
	return true
}

// formalUnrecorded reports whether no group has a meeting-quality figure: no group meeting is
// on record, so nothing can be said about meeting quality.
func formalUnrecorded(fs []FormalSign) bool {
	for _, f := range fs {
		for _, v := range []float64{f.Critique, f.StudyOnly, f.ProductionLinked, f.ResolutionRate} {
			if !math.IsNaN(v) {
				return false
			}
		}
	}
	return true
}

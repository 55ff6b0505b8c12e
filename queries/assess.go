package queries

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/mingdeng/mingdeng/datasets"
)

// Grade codes of the half-yearly group assessment; the same codes (and labels) as
// member_reviews.grade: 优秀, 合格, 基本合格, 不合格.
const (
	GradeExcellent   = "excellent"
	GradeQualified   = "qualified"
	GradeBasic       = "basic"
	GradeUnqualified = "unqualified"
)

// Grades are the grade codes, best first.
var Grades = []string{GradeExcellent, GradeQualified, GradeBasic, GradeUnqualified}

// Grade returns the grade of a total out of 100: 优秀 >= Excellent; 合格 from Qualified to
// below Excellent; 基本合格 from Basic to below Qualified; 不合格 below Basic.
func (g GradeThresholds) Grade(total float64) string {
	switch {
	case total >= g.Excellent:
		return GradeExcellent
	case total >= g.Qualified:
		return GradeQualified
	case total >= g.Basic:
		return GradeBasic
	}
	return GradeUnqualified
}

// NeedsHelp reports whether a grade is 基本合格 or below: the group must get help and a deadline.
func NeedsHelp(grade string) bool { return grade == GradeBasic || grade == GradeUnqualified }

// GradeLabel is the contract label of a grade code (member_reviews.grade).
func GradeLabel(grade string, lang datasets.Lang) string {
	col, ok := gradeColumn()
	if !ok {
		return grade
	}
	return col.ValueLabel(grade, lang)
}

// gradeColumn is member_reviews.grade, looked up once: Assessment.Table labels every row, and
// building the contracts for each of a province's 150,000 rows took 1.5 s.
var gradeColumn = sync.OnceValues(func() (*datasets.Column, bool) {
	c, err := datasets.Lookup("member_reviews")
	if err != nil {
		return nil, false
	}
	return c.Column("grade")
})

// AssessmentRow is one group's assessment in one half of the year.
type AssessmentRow struct {
	UnitID, UnitName, BranchID, GroupID, GroupName string
	Half                                           string  // 2024H1
	Total                                          float64 // out of 100 (rescaled when max scores do not sum to 100)
	Items, Dimensions                              int
	Complete                                       bool   // all configured items and dimensions scored
	Grade                                          string // Grade* code
	HelpNeeded                                     bool   // 基本合格 or below
	TwoInARow                                      bool   // this and the previous assessment both 基本合格 or below: consider replacing the leader
	YearAverage                                    float64
	Eligible                                       bool // for the year's advanced group: both halves assessed and complete, neither needing help
	Advanced                                       bool // the year's 先进党小组 in its scope (ties: every tied group)
}

// Assessment is the result of the half-yearly assessment rules for one year.
type Assessment struct {
	Year int
	Rows []AssessmentRow
}

// Assess applies the assessment rules of cfg to the item scores of year (and the previous
// year's second half, for the two-in-a-row flag): totals from assessment_totals, grades,
// help-needed and two-in-a-row flags, and the year's advanced group per scope (unit by default):
// the eligible group with the highest average of its two halves.
func Assess(ctx context.Context, db Querier, year int, unit string, cfg Config) (*Assessment, error) {
	if year < 2000 || year > 2100 {
		return nil, paramErrorf("考评年度 %d 无效，应为 2000 到 2100 之间的年份", "assessment year %d: expected a year from 2000 to 2100", year)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r, err := Default()
	if err != nil {
		return nil, err
	}
	t, err := r.Run(ctx, db, "assessment_totals", Params{Year: year, Unit: unit, Config: &cfg}, 0)
	if err != nil {
		return nil, fmt.Errorf("assess %d: %w", year, err)
	}
	type rec struct {
		row  AssessmentRow
		year int
		h    int
	}
	// Every column is looked up by name before any row is read: a renamed column in
	// assessment_totals is an error, not a silently zero total.
	names := []string{"unit_id", "unit_name", "branch_id", "group_id", "group_name", "half", "total", "items", "dimensions", "year"}
	idx, err := t.Cols(names...)
	if err != nil {
		return nil, fmt.Errorf("assess %d: assessment_totals: %w", year, err)
	}
	// Positions in names, so a cell is read by a compile-checked constant, never by a string
	// that could be misspelt.
	const (
		cUnit = iota
		cUnitName
		cBranch
		cGroup
		cGroupName
		cHalf
		cTotal
		cItems
		cDimensions
		cYear
	)
	str := func(r []any, k int) string {
		v, _ := r[idx[k]].(string)
		return v
	}
	num := func(r []any, k int) float64 {
		f, ok := asFloat(r[idx[k]])
		if !ok {
			return math.NaN()
		}
		return f
	}
	prevGrade := map[string]string{} // group → grade of previous year H2
	byGroup := map[string][]*AssessmentRow{}
	var out []AssessmentRow
	for _, r := range t.Rows {
		a := AssessmentRow{
			UnitID: str(r, cUnit), UnitName: str(r, cUnitName), BranchID: str(r, cBranch), GroupID: str(r, cGroup),
			GroupName: str(r, cGroupName), Half: str(r, cHalf), Total: num(r, cTotal),
			Items: int(num(r, cItems)), Dimensions: int(num(r, cDimensions)), YearAverage: math.NaN(),
		}
		a.Grade = cfg.Assessment.Grades.Grade(a.Total)
		a.HelpNeeded = NeedsHelp(a.Grade)
		a.Complete = (cfg.Assessment.Items == 0 || a.Items >= cfg.Assessment.Items) &&
			(len(cfg.Assessment.Dimensions) == 0 || a.Dimensions >= len(cfg.Assessment.Dimensions))
		if int(num(r, cYear)) != year {
			prevGrade[a.GroupID] = a.Grade
			continue
		}
		out = append(out, a)
	}
	for i := range out {
		byGroup[out[i].GroupID] = append(byGroup[out[i].GroupID], &out[i])
	}
	for g, rows := range byGroup {
		prev, hasPrev := prevGrade[g]
		for _, a := range rows {
			if a.Half == fmt.Sprintf("%dH2", year) {
				// previous assessment is this year's H1 when present
				prev, hasPrev = "", false
				for _, b := range rows {
					if b.Half == fmt.Sprintf("%dH1", year) {
						prev, hasPrev = b.Grade, true
					}
				}
			}
			a.TwoInARow = a.HelpNeeded && hasPrev && NeedsHelp(prev)
		}
		if len(rows) == 2 {
			avg := (rows[0].Total + rows[1].Total) / 2
			eligible := rows[0].Complete && rows[1].Complete && !rows[0].HelpNeeded && !rows[1].HelpNeeded
			for _, a := range rows {
				a.YearAverage = avg
				a.Eligible = eligible
			}
		}
	}
	// The advanced group per scope: the highest year average among eligible groups.
	best := map[string]float64{}
	scope := func(a AssessmentRow) string {
		switch cfg.Assessment.AdvancedScope {
		case "branch":
			return a.BranchID
		case "company":
			return ""
		}
		return a.UnitID
	}
	for _, a := range out {
		if a.Eligible {
			if b, ok := best[scope(a)]; !ok || a.YearAverage > b {
				best[scope(a)] = a.YearAverage
			}
		}
	}
	for i := range out {
		if out[i].Eligible && out[i].YearAverage == best[scope(out[i])] {
			out[i].Advanced = true
		}
	}
	return &Assessment{Year: year, Rows: out}, nil
}

// Table returns the assessment as a Table with the grade labelled in lang.
func (a *Assessment) Table(lang datasets.Lang) *Table {
	t := &Table{Columns: []Column{
		{Name: "unit_id", Type: Text}, {Name: "unit_name", Type: Text}, {Name: "branch_id", Type: Text}, {Name: "group_id", Type: Text}, {Name: "group_name", Type: Text}, {Name: "half", Type: Text},
		{Name: "total", Type: Float}, {Name: "items", Type: Integer}, {Name: "dimensions", Type: Integer}, {Name: "complete", Type: Bool},
		{Name: "grade", Type: Text}, {Name: "grade_label", Type: Text}, {Name: "help_needed", Type: Bool}, {Name: "two_in_a_row", Type: Bool},
		{Name: "year_average", Type: Float}, {Name: "eligible", Type: Bool}, {Name: "advanced", Type: Bool},
	}}
	for _, r := range a.Rows {
		var avg any
		if !math.IsNaN(r.YearAverage) {
			avg = r.YearAverage
		}
		var total any
		if !math.IsNaN(r.Total) {
			total = r.Total
		}
		t.Rows = append(t.Rows, []any{r.UnitID, r.UnitName, r.BranchID, r.GroupID, r.GroupName, r.Half,
			total, int64(r.Items), int64(r.Dimensions), r.Complete,
			r.Grade, GradeLabel(r.Grade, lang), r.HelpNeeded, r.TwoInARow, avg, r.Eligible, r.Advanced})
	}
	return t
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case int:
		return float64(x), true
	}
	return 0, false
}

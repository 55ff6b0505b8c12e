package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/mingdeng/mingdeng/queries"
)

// EvaluationTables are the query results the evaluation report is made from, as package
// queries returns them (column names as in queries/sql/*.sql). Each comes with the Source that
// names the query and its parameters. Nil tables leave their parts out.
type EvaluationTables struct {
	Scope           Scope
	ActivityMonthly *queries.Table          // queries.ComplianceByGroup (or group_compliance), period the group-meeting cadence's
	ActivityHalf    *queries.Table          // group_activity, period half
	OutcomesMonthly *queries.Table          // group_outcomes, period month
	Assessments     *queries.Table          // queries.Assessment.Table: grades and flags as the rules decided
	Grades          queries.GradeThresholds // the grade thresholds in force, for the captions
	Sources         map[string]Source       // by the field names above
}

// colIndex finds a column by name; -1 when absent.
func colIndex(tb *queries.Table, name string) int {
	for i, c := range tb.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// groupLabel is the group's name, or its code when the name is empty.
func groupLabel(tb *queries.Table, row []any) string {
	if i := colIndex(tb, "group_name"); i >= 0 && row[i] != nil && FormatValue(row[i]) != "" {
		return FormatValue(row[i])
	}
	if i := colIndex(tb, "group_id"); i >= 0 {
		return FormatValue(row[i])
	}
	return ""
}

// periodsOf lists the distinct values of the period column in order of first appearance,
// sorted (period labels sort in time order).
func periodsOf(tb *queries.Table) []string {
	pi, li := colIndex(tb, "period"), colIndex(tb, "periods")
	seen := map[string]bool{}
	var out []string
	add := func(v any) {
		if p := FormatValue(v); !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, row := range tb.Rows {
		if li < 0 {
			add(row[pi])
			continue
		}
		ps, _ := row[li].([]any)
		for _, p := range ps {
			add(p)
		}
	}
	sort.Strings(out)
	return out
}

// meanByPeriod averages each metric over the groups of each period.
func meanByPeriod(tb *queries.Table, metrics []string) *TimeSeries {
	if tb == nil || colIndex(tb, "period") < 0 {
		return nil
	}
	periods := periodsOf(tb)
	at := map[string]int{}
	for i, p := range periods {
		at[p] = i
	}
	ts := &TimeSeries{Periods: periods}
	pi := colIndex(tb, "period")
	for _, m := range metrics {
		mi := colIndex(tb, m)
		if mi < 0 {
			continue
		}
		sum, n := make([]float64, len(periods)), make([]float64, len(periods))
		for _, row := range tb.Rows {
			v := queries.Number(row[mi])
			if math.IsNaN(v) {
				continue
			}
			k := at[FormatValue(row[pi])]
			sum[k] += v
			n[k]++
		}
		vals := make([]float64, len(periods))
		for i := range vals {
			vals[i] = math.NaN()
			if n[i] > 0 {
				vals[i] = sum[i] / n[i]
			}
		}
		ts.Series = append(ts.Series, NamedSeries{Name: m, Values: vals})
	}
	if len(ts.Series) == 0 || len(periods) == 0 {
		return nil
	}
	return ts
}

// complianceGrid is groups × slots of the group-meeting cadence (group_compliance's
// compliance: 1 met, 0 not, NaN no records), the least compliant group first.
func complianceGrid(tb *queries.Table) *HeatGrid {
	if tb == nil || colIndex(tb, "compliance") < 0 {
		return nil
	}
	// A row per group and period (group_activity), or per group with its periods and values
	// as lists (queries.ComplianceByGroup).
	li := colIndex(tb, "periods")
	periods := periodsOf(tb)
	at := make(map[string]int, len(periods))
	for i, p := range periods {
		at[p] = i
	}
	pi, ci, gi := colIndex(tb, "period"), colIndex(tb, "compliance"), colIndex(tb, "group_id")
	ui := colIndex(tb, "unit_id")
	var units map[string]string
	if ui >= 0 {
		// Units are told apart by code: many share a name (every county has its 城东供电所).
		units = unitNames(tb)
	}
	rows := map[string][]float64{}
	unitOf := map[string]string{}
	var order []string
	// A group's rows are usually together: its label is worked out once per run of rows.
	var lastID any
	var g string
	for _, row := range tb.Rows {
		if gi < 0 || row[gi] != lastID || lastID == nil {
			g = groupLabel(tb, row)
			if gi >= 0 {
				lastID = row[gi]
			}
		}
		vals, ok := rows[g]
		if !ok {
			vals = make([]float64, len(periods))
			for i := range vals {
				vals[i] = math.NaN()
			}
			rows[g] = vals
			order = append(order, g)
			if ui >= 0 {
				unitOf[g] = units[FormatValue(row[ui])]
			}
		}
		if li < 0 {
			vals[at[FormatValue(row[pi])]] = queries.Number(row[ci])
			continue
		}
		ps, _ := row[li].([]any)
		cs, _ := row[ci].([]any)
		for k, p := range ps {
			if k < len(cs) {
				vals[at[FormatValue(p)]] = queries.Number(cs[k])
			}
		}
	}
	means := make(map[string]float64, len(order))
	for _, name := range order {
		means[name] = mean(rows[name])
	}
	sort.SliceStable(order, func(i, j int) bool { return lessNaNLast(means[order[i]], means[order[j]]) })
	g2 := &HeatGrid{Rows: order, Cols: periods}
	for _, name := range order {
		g2.Values = append(g2.Values, rows[name])
		if ui >= 0 {
			g2.Units = append(g2.Units, unitOf[name])
		}
	}
	if len(order) == 0 {
		return nil
	}
	return g2
}

// lessNaNLast orders ascending with NaN last. A group or unit with no month it had to meet in
// has a NaN mean; compared with <, NaN is neither less nor greater, which breaks the ordering of
// every other row, not only its own place.
func lessNaNLast(a, b float64) bool {
	return !math.IsNaN(a) && (math.IsNaN(b) || a < b)
}

// gradeDistribution counts grades per half and lists the groups needing help and the year's
// advanced groups, all as the assessment rules (queries.Assess, through its Table) decided
// them: nothing here re-derives a grade from a score. rules are the thresholds in force,
// stated in the captions.
func gradeDistribution(tb *queries.Table, rules queries.GradeThresholds) (*GradeDistribution, error) {
	if tb == nil {
		return nil, nil
	}
	idx, err := tb.Cols("half", "total", "grade", "help_needed", "two_in_a_row", "advanced", "year_average")
	if err != nil {
		return nil, fmt.Errorf("assessment: %w", err)
	}
	hi, ti, gi, ni, wi, ai, yi := idx[0], idx[1], idx[2], idx[3], idx[4], idx[5], idx[6]
	halfSet := map[string]bool{}
	for _, row := range tb.Rows {
		halfSet[FormatValue(row[hi])] = true
	}
	var halves []string
	for h := range halfSet {
		halves = append(halves, h)
	}
	sort.Strings(halves)
	at := map[string]int{}
	for i, h := range halves {
		at[h] = i
	}
	gd := &GradeDistribution{Periods: halves, Grades: queries.Grades, Rules: rules}
	rank := map[string]int{}
	for i, g := range queries.Grades {
		rank[g] = i
	}
	gd.Counts = make([][]int64, len(queries.Grades))
	for i := range gd.Counts {
		gd.Counts[i] = make([]int64, len(halves))
	}
	advanced := map[string]bool{}
	for _, row := range tb.Rows {
		g, ok := row[gi].(string)
		k, known := rank[g]
		if !ok || !known || row[ti] == nil {
			continue
		}
		h := FormatValue(row[hi])
		gd.Counts[k][at[h]]++
		unit := ""
		if tb.Has("unit_id") {
			unit = unitLabel(tb, row)
		}
		if row[ni] == true {
			gd.Flagged = append(gd.Flagged, FlaggedGroup{Group: groupLabel(tb, row), Unit: unit, Period: h,
				Score: queries.Number(row[ti]), Grade: g, Consecutive: row[wi] == true})
		}
		if name := groupLabel(tb, row); row[ai] == true && !advanced[name] {
			advanced[name] = true
			gd.Advanced = append(gd.Advanced, AdvancedGroup{Group: name, Unit: unit, Average: queries.Number(row[yi])})
		}
	}
	sort.SliceStable(gd.Advanced, func(i, j int) bool { return gd.Advanced[i].Average > gd.Advanced[j].Average })
	if len(halves) == 0 {
		return nil, nil
	}
	return gd, nil
}

// EvaluationFromTables turns query results into the evaluation data. The statistical parts
// (scatter plots, correlations, fixed effects, comparisons) are added by the caller from
// queries' analysis results.
func EvaluationFromTables(in EvaluationTables) (*EvaluationData, error) {
	uniqueGroupNames(in.ActivityMonthly, in.ActivityHalf, in.OutcomesMonthly, in.Assessments)
	d := &EvaluationData{Scope: in.Scope, MeetingRule: meetingRuleOf(in.ActivityMonthly)}
	if g := complianceGrid(in.ActivityMonthly); g != nil && d.MeetingRule.Set() {
		g.Src = in.Sources["ActivityMonthly"]
		d.Compliance = g
	}
	if q := meanByPeriod(in.ActivityHalf, []string{"critique_per_meeting", "problems_resolved_per_meeting", "resolution_rate", "production_linked_share", "study_only_share", "attendance_rate"}); q != nil {
		q.Src = in.Sources["ActivityHalf"]
		d.Quality = q
	}
	if tr := meanByPeriod(in.OutcomesMonthly, []string{"patrol_km_per_head", "defects_per_100km", "violations_per_100_staff", "near_misses"}); tr != nil {
		tr.Src = in.Sources["OutcomesMonthly"]
		d.Trends = tr
	}
	gd, err := gradeDistribution(in.Assessments, in.Grades)
	if err != nil {
		return nil, err
	}
	if gd != nil {
		gd.Src = in.Sources["Assessments"]
		d.Grades = gd
	}
	// Headlines from the same tables.
	if tb := in.ActivityHalf; tb != nil && len(tb.Rows) > 0 {
		groups := map[string]bool{}
		units := map[string]bool{}
		var meetings float64
		mi, ui := colIndex(tb, "meetings_held"), colIndex(tb, "unit_id")
		for _, row := range tb.Rows {
			groups[groupLabel(tb, row)] = true
			if ui >= 0 {
				units[FormatValue(row[ui])] = true
			}
			if mi >= 0 && !math.IsNaN(queries.Number(row[mi])) {
				meetings += queries.Number(row[mi])
			}
		}
		s := in.Sources["ActivityHalf"]
		// Units and groups that had records at any time in the period, not at its end.
		d.Headlines = append(d.Headlines, Headline{Key: "units", Value: float64(len(units)), Period: "span", Src: s},
			Headline{Key: "groups", Value: float64(len(groups)), Period: "span", Src: s}, Headline{Key: "group_meetings", Value: meetings, Period: "total", Src: s})
	}
	if g := d.Compliance; g != nil {
		var all []float64
		for _, r := range g.Values {
			all = append(all, r...)
		}
		d.Headlines = append(d.Headlines, Headline{Key: "meeting_compliance", Value: mean(all), Share: true, Period: "span", Src: g.Src})
	}
	if gd := d.Grades; gd != nil && len(gd.Periods) > 0 {
		last := len(gd.Periods) - 1
		var total int64
		for _, c := range gd.Counts {
			total += c[last]
		}
		if total > 0 {
			d.Headlines = append(d.Headlines, Headline{Key: "excellent_share", Value: float64(gd.Counts[0][last]) / float64(total), Share: true, Note: gd.Periods[last], Period: "half", Src: gd.Src})
		}
		flagged := 0
		for _, f := range gd.Flagged {
			if f.Period == gd.Periods[last] {
				flagged++
			}
		}
		d.Headlines = append(d.Headlines, Headline{Key: "flagged_groups", Value: float64(flagged), Note: gd.Periods[last], Period: "half", Src: gd.Src})
	}
	if tr := d.Trends; tr != nil {
		for _, s := range tr.Series {
			if s.Name == "violations_per_100_staff" {
				// A mean of the monthly values: labelled 月均, since a group page's half-year figure
				// under the same name is about six times larger.
				// The note names the months averaged (2020-01–2024-12): beside 2024 figures in the
				// conclusions, a mean over five years must say it is one.
				var span string
				if n := len(tr.Periods); n > 0 {
					span = tr.Periods[0] + "–" + tr.Periods[n-1]
				}
				d.Headlines = append(d.Headlines, Headline{Key: s.Name, Value: mean(s.Values), Period: "month_mean", Note: span, Src: tr.Src})
			}
		}
	}
	return d, nil
}

// AnnualTables are the query results the annual write-up is made from.
type AnnualTables struct {
	Scope           Scope
	Year            string
	ActivityMonthly *queries.Table          // queries.ComplianceByGroup (or group_compliance), period the group-meeting cadence's, the year
	ActivityYear    *queries.Table          // group_activity, period year
	Assessments     *queries.Table          // queries.Assessment.Table
	Grades          queries.GradeThresholds // the grade thresholds in force (mingdeng.yaml)
	Sources         map[string]Source
	// For the write-up as a document (annualdata.go): the year's outcomes and measures, how
	// awards spread, and the same tables for the year before (同比).
	OutcomesYear *queries.Table        // group_outcomes, period year (Sources["OutcomesYear"])
	Practices    *queries.Table        // annual_practices (Sources["Practices"])
	Spread       []queries.AwardSpread // queries.AwardSpreads (Sources["Spread"])
	Prior        *AnnualTables         // the year before, when it has records
}

// AnnualFromTables turns query results into the annual write-up's data; the effect estimates
// and the intervention comparison are added by the caller from queries' analysis results.
func AnnualFromTables(in AnnualTables) (*AnnualData, error) {
	uniqueGroupNames(in.ActivityMonthly, in.ActivityYear, in.Assessments)
	d := &AnnualData{Scope: in.Scope, Year: in.Year, MeetingRule: meetingRuleOf(in.ActivityMonthly)}
	if g := complianceGrid(in.ActivityMonthly); g != nil && d.MeetingRule.Set() {
		d.MissedSrc = in.Sources["ActivityMonthly"]
		d.GroupsTotal = len(g.Rows)
		d.grid = g
		unitOf := map[string]string{}
		if ui := colIndex(in.ActivityMonthly, "unit_id"); ui >= 0 {
			for _, row := range in.ActivityMonthly.Rows {
				unitOf[groupLabel(in.ActivityMonthly, row)] = unitLabel(in.ActivityMonthly, row)
			}
		}
		for i, name := range g.Rows {
			missed, months := 0, 0
			for _, v := range g.Values[i] {
				if math.IsNaN(v) {
					continue
				}
				months++
				if v < 1 {
					missed++
				}
			}
			if missed > 0 {
				d.Missed = append(d.Missed, GroupMiss{Group: name, Unit: unitOf[name], SlotsMissed: missed, Slots: months})
			}
		}
	}
	if tb := in.ActivityYear; tb != nil && len(tb.Rows) > 0 {
		d.FormalSrc = in.Sources["ActivityYear"]
		ci, si, li, ri := colIndex(tb, "critique_per_meeting"), colIndex(tb, "study_only_share"), colIndex(tb, "production_linked_share"), colIndex(tb, "resolution_rate")
		mi, di, pi := colIndex(tb, "meetings_held"), colIndex(tb, "demo_days_held"), colIndex(tb, "model_posts_held")
		get := func(row []any, i int) float64 {
			if i < 0 {
				return math.NaN()
			}
			return queries.Number(row[i])
		}
		var meetings, demo, posts float64
		for _, row := range tb.Rows {
			f := FormalSign{Group: groupLabel(tb, row), Critique: get(row, ci), StudyOnly: get(row, si), ProductionLinked: get(row, li), ResolutionRate: get(row, ri)}
			if ui := colIndex(tb, "unit_id"); ui >= 0 {
				f.Unit = unitLabel(tb, row)
			}
			// Looks formal: study-only meetings the majority, or no critique and under half the
			// problems resolved.
			f.Formal = f.StudyOnly > 0.5 || (f.Critique < 0.2 && f.ResolutionRate < 0.5)
			d.Formal = append(d.Formal, f)
			for _, p := range []struct {
				v   *float64
				idx int
			}{{&meetings, mi}, {&demo, di}, {&posts, pi}} {
				if x := get(row, p.idx); !math.IsNaN(x) {
					*p.v += x
				}
			}
		}
		// A count of zero over every group is a count of no records: shown as 无记录, not as
		// "0 meetings held", which the records cannot tell apart from a file not loaded.
		for _, v := range []*float64{&meetings, &demo, &posts} {
			if *v == 0 {
				*v = math.NaN()
			}
		}
		s := in.Sources["ActivityYear"]
		d.Practices = []Headline{{Key: "group_meetings", Value: meetings, Src: s}, {Key: "demo_days_held", Value: demo, Src: s}, {Key: "model_posts", Value: posts, Src: s}}
	}
	gd, err := gradeDistribution(in.Assessments, in.Grades)
	if err != nil {
		return nil, err
	}
	if gd != nil {
		d.FlaggedSrc = in.Sources["Assessments"]
		d.Flagged, d.Advanced = gd.Flagged, gd.Advanced
	}
	if err := completeAnnual(d, in); err != nil {
		return nil, err
	}
	return d, nil
}

// GroupTables are the query results the group drill-down is made from (every unit's rows:
// the group is picked here, and the company means come from the other rows).
type GroupTables struct {
	Scope           Scope
	Code            string
	ActivityMonthly *queries.Table // group_compliance, period the group-meeting cadence's
	ActivityHalf    *queries.Table
	OutcomesHalf    *queries.Table
	Assessments     *queries.Table // queries.Assessment.Table (every unit's groups)
	Lang            Lang           // for the history table's headers
	Sources         map[string]Source
}

// only keeps the rows of one group.
func only(tb *queries.Table, code string) *queries.Table {
	if tb == nil {
		return nil
	}
	gi := colIndex(tb, "group_id")
	out := &queries.Table{Columns: tb.Columns}
	for _, row := range tb.Rows {
		if gi >= 0 && FormatValue(row[gi]) == code {
			out.Rows = append(out.Rows, row)
		}
	}
	return out
}

// GroupFromTables picks one group out of the query results. It reports ok=false when the
// group has no rows at all.
func GroupFromTables(in GroupTables) (*GroupData, bool, error) {
	uniqueGroupNames(in.ActivityMonthly, in.ActivityHalf, in.OutcomesHalf, in.Assessments)
	d := &GroupData{Scope: in.Scope, Code: in.Code}
	found := false
	if tb := only(in.ActivityMonthly, in.Code); tb != nil && len(tb.Rows) > 0 {
		found = true
		d.Name = groupLabel(tb, tb.Rows[0])
		if ui := colIndex(tb, "unit_id"); ui >= 0 {
			d.Unit = unitLabel(tb, tb.Rows[0])
		}
		if bi := colIndex(tb, "branch_name"); bi >= 0 && tb.Rows[0][bi] != nil {
			d.Branch = FormatValue(tb.Rows[0][bi])
		} else if bi := colIndex(tb, "branch_id"); bi >= 0 {
			d.Branch = FormatValue(tb.Rows[0][bi])
		}
		d.MeetingRule = meetingRuleOf(tb)
		if ts := meanByPeriod(tb, []string{"meetings_held"}); ts != nil && d.MeetingRule.Set() {
			ts.Src = in.Sources["ActivityMonthly"]
			d.Monthly = ts
			ri, mi := colIndex(tb, "slots_required"), colIndex(tb, "slots_met")
			for _, row := range tb.Rows {
				if ri >= 0 && mi >= 0 && row[ri] != nil {
					d.SlotsRequired += int(queries.Number(row[ri]))
					d.SlotsMet += int(queries.Number(row[mi]))
				}
			}
		}
	}
	if tb := only(in.ActivityHalf, in.Code); tb != nil && len(tb.Rows) > 0 {
		found = true
		if ts := meanByPeriod(tb, []string{"critique_per_meeting", "problems_resolved_per_meeting", "production_linked_share", "study_only_share"}); ts != nil {
			ts.Src = in.Sources["ActivityHalf"]
			d.Activity = ts
		}
	}
	outcomes := []string{"patrol_km_per_head", "defects_per_100km", "violations_per_100_staff", "timely_elimination_share"}
	if tb := only(in.OutcomesHalf, in.Code); tb != nil && len(tb.Rows) > 0 {
		found = true
		if ts := meanByPeriod(tb, outcomes); ts != nil {
			ts.Src = in.Sources["OutcomesHalf"]
			d.Outcomes = ts
			all := meanByPeriod(in.OutcomesHalf, outcomes)
			v := &Comparisons{Src: ts.Src}
			for i, s := range ts.Series {
				v.Items = append(v.Items, Comparison{Metric: s.Name, Model: mean(s.Values), Rest: mean(all.Series[i].Values)})
			}
			d.Versus = v
		}
	}
	if tb := only(in.Assessments, in.Code); tb != nil && len(tb.Rows) > 0 {
		// The history as the assessment rules graded it (queries.Assessment.Table).
		idx, err := tb.Cols("half", "total", "grade", "help_needed", "two_in_a_row")
		if err != nil {
			return nil, false, fmt.Errorf("assessment: %w", err)
		}
		lang := in.Lang
		hist := &queries.Table{Columns: []queries.Column{col(t(lang, "半年", "half"), queries.Text), col(t(lang, "总分", "total"), queries.Float),
			col(t(lang, "等次", "grade"), queries.Text), col(t(lang, "需帮扶", "help needed"), queries.Bool), col(t(lang, "连续两次", "twice in a row"), queries.Bool)}}
		// A flag the rules could not decide (no score that half) is no record, not a "no".
		yes := func(v any) any {
			if b, ok := v.(bool); ok {
				return b
			}
			return nil
		}
		for _, row := range tb.Rows {
			var grade any // no score, no grade: 无记录
			if row[idx[2]] != nil {
				grade = GradeLabel(FormatValue(row[idx[2]]), lang)
			}
			hist.Rows = append(hist.Rows, []any{FormatValue(row[idx[0]]), row[idx[1]], grade, yes(row[idx[3]]), yes(row[idx[4]])})
		}
		d.History = &TableData{Table: hist, Src: in.Sources["Assessments"]}
	}
	return d, found, nil
}

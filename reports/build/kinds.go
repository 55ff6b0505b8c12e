package build

import (
	"fmt"
	"strconv"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/reports"
)

// The three built-in reports: which queries each runs, in which order, and how their results
// reach package reports.

// analysis runs queries' analyze over from–to (the same as mingdeng analyze --format json).
func (b *builder) analysis(from, to time.Time) ([]stats.Result, reports.Source, error) {
	o := queries.AnalyzeOptions{Period: b.req.Period, From: from, To: to, Unit: b.unit.Code, Config: &b.cfg}
	res, err := queries.Analyze(b.ctx, b.db, o)
	if err != nil {
		return nil, reports.Source{}, fmt.Errorf("analyze: %w", err)
	}
	b.hypotheses = res.Hypotheses
	p := b.base
	p.From, p.To, p.Period = from, to, b.req.Period
	return res.Results, b.source("analyze", "analyze", p), nil
}

// meetingPeriod is the period the group-meeting figures are shown by: the slot of the
// configuration's group-meeting cadence (a quarterly rule is checked and drawn by quarter),
// by month when it sets none (group_compliance then checks nothing and says so).
func (b *builder) meetingPeriod() string {
	if c, ok := b.cfg.GroupMeetingCadence(); ok {
		return c.Every
	}
	return "month"
}

// compliance runs group_compliance at p's parameters and the group-meeting cadence's period,
// folded to a row per group (queries.ComplianceByGroup), and remembers under key the
// group_compliance command that prints its values.
func (b *builder) compliance(key string, p queries.Params, sources map[string]reports.Source) (*queries.Table, error) {
	p.Period = b.meetingPeriod()
	tb, err := queries.ComplianceByGroup(b.ctx, b.db, p)
	if err == nil {
		_, err = tb.Cols("unit_id", "group_id", "group_name", "every", "min_per_slot", "periods", "compliance")
	}
	if err != nil {
		return nil, fmt.Errorf("group_compliance: %w", err)
	}
	sources[key] = b.source("group_compliance", "query group_compliance", p)
	return tb, nil
}

// awards runs member_counts once for the table and queries.Concentration's measures (mingdeng
// analyze --concentration).
func (b *builder) awards() (*reports.Concentration, error) {
	counts, err := b.run("Awards", "member_counts", b.base)
	if err != nil {
		return nil, err
	}
	rs, err := queries.ConcentrationOf(counts)
	if err != nil {
		return nil, err
	}
	return reports.AwardsFromTables(counts, rs, b.source("concentration", "analyze --concentration", b.base)), nil
}

// assessments applies the assessment rules of the configuration in force to year's scores (the same as mingdeng assess): grades, help needed, two in a row and the year's
// advanced groups come from there and nowhere else. unit "" is every unit. Nil when no year
// has assessments.
func (b *builder) assessments(year int, unit string, sources map[string]reports.Source) (*queries.Table, error) {
	if year == 0 {
		return nil, nil
	}
	a, err := queries.Assess(b.ctx, b.db, year, unit, b.cfg)
	if err != nil {
		return nil, err
	}
	sources["Assessments"] = b.source("assess", "assess", queries.Params{Year: year, Unit: unit})
	return a.Table(b.lang()), nil
}

func (b *builder) lang() datasets.Lang { return b.req.Lang }

func (b *builder) evaluation() (*reports.Report, error) {
	// The analysis first: its panel is the largest Go heap of the run, and it is gone before
	// the group-month tables below arrive.
	rs, asrc, err := b.analysis(b.base.From, b.base.To)
	if err != nil {
		return nil, err
	}
	in := reports.EvaluationTables{Scope: b.scope, Grades: b.cfg.Assessment.Grades, Sources: b.sources}
	// Month by month the report needs only the compliance of each group and the outcome means
	// over groups: queries that compute just those (and average in SQL) instead of every metric
	// of every group-month, which at province scale is 720,000 rows × 20.
	if in.ActivityMonthly, err = b.compliance("ActivityMonthly", b.with("month"), b.sources); err != nil {
		return nil, err
	}
	if in.ActivityHalf, err = b.run("ActivityHalf", "group_activity", b.with(b.req.Period)); err != nil {
		return nil, err
	}
	if in.OutcomesMonthly, err = b.run("OutcomesMonthly", "outcome_trends", b.with("month")); err != nil {
		return nil, err
	}
	if in.Assessments, err = b.assessments(b.year, b.unit.Code, b.sources); err != nil {
		return nil, err
	}
	outHalf, err := b.run("OutcomesHalf", "group_outcomes", b.with(b.req.Period))
	if err != nil {
		return nil, err
	}
	span := queries.StartTrace()
	d, err := reports.EvaluationFromTables(in)
	if err != nil {
		return nil, err
	}
	in.ActivityMonthly, in.OutcomesMonthly = nil, nil // d keeps the grid and the means
	reports.ApplyAnalysis(d, rs, asrc, in.ActivityHalf, outHalf)
	span.End("evaluation: EvaluationFromTables, ApplyAnalysis")
	d.Hypotheses = b.hypotheses
	// The radar needs each unit's scores: unit_surveys averages the shown cells of
	// group_surveys in SQL (a province has a million group cells).
	surveys, err := b.run("Survey", "unit_surveys", b.with(b.req.Period))
	if err != nil {
		return nil, err
	}
	d.Survey = reports.SurveyFromTable(surveys, b.lang(), b.sources["Survey"])
	span = queries.StartTrace()
	if d.Awards, err = b.awards(); err != nil {
		return nil, err
	}
	span.End("evaluation: awards")
	if d.Awards != nil {
		d.Awards.Units = reports.UnitNames(in.ActivityHalf, surveys)
	}
	span = queries.StartTrace()
	if d.Spread, err = queries.AwardSpreads(b.ctx, b.db, b.base); err != nil {
		return nil, err
	}
	span.End("evaluation: award spreads")
	d.SpreadSrc = b.source("award_spread", "query award_spread", b.base)
	// 主要结论: the assessment year in full against the year before.
	if b.year != 0 {
		yp := b.base
		yp.From, yp.To = time.Date(b.year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(b.year, 12, 31, 0, 0, 0, 0, time.UTC)
		for i, p := range []*queries.Params{&yp, {}} {
			if i == 1 {
				prev := yp
				prev.From, prev.To = yp.From.AddDate(-1, 0, 0), yp.To.AddDate(-1, 0, 0)
				*p = prev
			}
			in, err := b.annualTables(p.From.Year(), *p, map[string]reports.Source{})
			if err != nil {
				return nil, err
			}
			f, err := reports.FiguresOfYear(in)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				d.Year = f
			} else {
				d.PriorYear = f
			}
		}
	}
	span = queries.StartTrace()
	defer span.End("evaluation: ranking, BuildEvaluation")
	if rk := reports.RankedAssessments(in.Assessments, b.lang(), b.sources["Assessments"]); rk != nil {
		d.Ranked = append(d.Ranked, *rk)
	}
	if rk := reports.RankedConcentration(d.Awards, b.lang()); rk != nil {
		d.Ranked = append(d.Ranked, *rk)
	}
	return reports.BuildEvaluation(d, b.lang()), nil
}

func (b *builder) annual() (*reports.Report, error) {
	from := b.base.From
	inYear := b.year != 0 && b.req.From.IsZero() && b.req.To.IsZero()
	if inYear {
		// The write-up covers its year unless --from/--to say otherwise.
		b.base.From = time.Date(b.year, 1, 1, 0, 0, 0, 0, time.UTC)
		b.base.To = time.Date(b.year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	in, err := b.annualTables(b.year, b.base, b.sources)
	if err != nil {
		return nil, err
	}
	if inYear {
		// 同比: the same queries on the year before, with sources of their own.
		prev := b.base
		prev.From, prev.To = b.base.From.AddDate(-1, 0, 0), b.base.To.AddDate(-1, 0, 0)
		prior, err := b.annualTables(b.year-1, prev, map[string]reports.Source{})
		if err != nil {
			return nil, err
		}
		in.Prior = &prior
	}
	// How awards spread: each year up to the write-up's, and all years together.
	sp := b.base
	sp.From = from
	if in.Spread, err = queries.AwardSpreads(b.ctx, b.db, sp); err != nil {
		return nil, err
	}
	b.sources["Spread"] = b.source("award_spread", "query award_spread", sp)
	d, err := reports.AnnualFromTables(in)
	if err != nil {
		return nil, err
	}
	// Effects need the panel's history: the write-up's year and the years before it.
	rs, asrc, err := b.analysis(from, b.base.To)
	if err != nil {
		return nil, err
	}
	reports.ApplyAnnualAnalysis(d, rs, asrc)
	d.Hypotheses = b.hypotheses
	if d.Awards, err = b.awards(); err != nil {
		return nil, err
	}
	if d.Awards != nil {
		d.Awards.Units = reports.UnitNames(in.ActivityYear)
	}
	return reports.BuildAnnual(d, b.lang()), nil
}

// annualTables runs the write-up's queries for one year (p's From–To), remembering each
// query's source in sources.
func (b *builder) annualTables(year int, p queries.Params, sources map[string]reports.Source) (reports.AnnualTables, error) {
	in := reports.AnnualTables{Scope: b.scope, Grades: b.cfg.Assessment.Grades, Sources: sources}
	in.Scope.From, in.Scope.To = p.From, p.To
	if year != 0 {
		in.Year = strconv.Itoa(year)
	}
	run := func(key, name string, q queries.Params) (*queries.Table, error) {
		tb, err := queries.Run(b.ctx, b.db, name, q)
		if err == nil {
			err = reports.CheckColumns(name, tb)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		sources[key] = b.source(name, "query "+name, q)
		return tb, nil
	}
	with := func(period string) queries.Params { q := p; q.Period = period; return q }
	var err error
	if in.ActivityMonthly, err = b.compliance("ActivityMonthly", with("month"), sources); err != nil {
		return in, err
	}
	if in.ActivityYear, err = run("ActivityYear", "group_activity", with("year")); err != nil {
		return in, err
	}
	if in.OutcomesYear, err = run("OutcomesYear", "group_outcomes", with("year")); err != nil {
		return in, err
	}
	if !p.From.IsZero() && !p.To.IsZero() {
		if in.Practices, err = run("Practices", "annual_practices", p); err != nil {
			return in, err
		}
	}
	if in.Assessments, err = b.assessments(year, p.Unit, sources); err != nil {
		return in, err
	}
	return in, nil
}

func (b *builder) group() (*reports.Report, error) {
	// Every unit's rows: the group is picked out of them, and the company means come from the
	// other rows. --unit only narrowed the name lookup.
	base := b.base
	base.Unit = ""
	with := func(period string) queries.Params { p := base; p.Period = period; return p }
	in := reports.GroupTables{Scope: b.scope, Code: b.grp.Code, Lang: b.lang(), Sources: b.sources}
	var err error
	if in.ActivityMonthly, err = b.run("ActivityMonthly", "group_compliance", with(b.meetingPeriod())); err != nil {
		return nil, err
	}
	if in.ActivityHalf, err = b.run("ActivityHalf", "group_activity", with(b.req.Period)); err != nil {
		return nil, err
	}
	if in.OutcomesHalf, err = b.run("OutcomesHalf", "group_outcomes", with(b.req.Period)); err != nil {
		return nil, err
	}
	if in.Assessments, err = b.assessments(b.year, "", b.sources); err != nil {
		return nil, err
	}
	d, ok, err := reports.GroupFromTables(in)
	if err != nil {
		return nil, err
	}
	d.Branch = b.grp.Branch // the name, where the tables carry the branch's code
	if !ok {
		return nil, datasets.Errorf("党小组 %s（%s）在所选期间没有记录", "party group %s (%s) has no records in the period", b.grp.Name, b.grp.Code)
	}
	return reports.BuildGroup(d, b.lang()), nil
}

package build

import (
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports"
)

// coverage loads the completeness of the report's period and scope (queries.Coverage, from
// data_coverage) and the command that shows it. The period is the report's own: the annual's
// year, or the whole years with records (as the report's queries take them) when the request
// gives no --from/--to. A group's drill-down is judged on its unit's records.
func (b *builder) coverage() (*queries.Coverage, reports.Source, error) {
	p := queries.Params{From: b.req.From, To: b.req.To, Unit: b.unit.Code}
	if b.req.Kind == Annual && b.year != 0 && p.From.IsZero() && p.To.IsZero() {
		p.From = time.Date(b.year, 1, 1, 0, 0, 0, 0, time.UTC)
		p.To = time.Date(b.year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	if b.req.Kind == Group && b.grp.Code != "" {
		unit, err := queries.GroupUnit(b.ctx, b.db, b.grp.Code)
		if err != nil {
			return nil, reports.Source{}, err
		}
		p.Unit = unit
	}
	if p.From.IsZero() || p.To.IsZero() {
		rng, err := queries.Run(b.ctx, b.db, "date_range", queries.Params{Period: b.req.Period, From: p.From, To: p.To})
		if err != nil {
			return nil, reports.Source{}, err
		}
		if len(rng.Rows) == 1 {
			if d, ok := rng.Rows[0][0].(time.Time); ok && p.From.IsZero() {
				p.From = d
			}
			if d, ok := rng.Rows[0][1].(time.Time); ok && p.To.IsZero() {
				p.To = d
			}
		}
	}
	c, err := queries.LoadCoverage(b.ctx, b.db, p)
	if err != nil {
		return nil, reports.Source{}, err
	}
	src := b.source("data_coverage", "check", p)
	return c, src, nil
}

// noData is the error for a scope and period without a single record.
func (b *builder) noData(c *queries.Coverage) error {
	var scope datasets.Text
	switch {
	case b.req.Kind == Group && b.grp.Code != "":
		scope = datasets.T("党小组 "+b.grp.Name+"（"+b.grp.Code+"）所在单位", "The unit of party group "+b.grp.Name+" ("+b.grp.Code+")")
	case b.unit.Code != "":
		scope = datasets.T("单位 "+b.unit.Name+"（"+b.unit.Code+"）", "Unit "+b.unit.Name+" ("+b.unit.Code+")")
	}
	return c.NoDataError(scope)
}

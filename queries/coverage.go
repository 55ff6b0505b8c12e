package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
)

// Coverage is the answer to "is the data complete?" for a period and scope: per dataset and
// month, how many records there are (the data_coverage query, which is its only source). The
// reports' 数据完整性 note, mingdeng check and serve read it; none of them decides on its own
// what counts as missing.
type Coverage struct {
	From, To time.Time // the months covered (From is a first, To a last day of a month)
	Unit     string    // the unit code, or "" for every unit
	Datasets []DatasetCoverage
}

// DatasetCoverage is one dataset (meetings split by level) over the months.
type DatasetCoverage struct {
	Dataset string // contract name
	Part    string // "group" or "branch" for meetings, else ""
	Grain   string // month, half, year, none: the frequency records are expected at
	Months  []MonthCoverage
}

// MonthCoverage is one dataset-month.
type MonthCoverage struct {
	Month   string // YYYY-MM
	Slot    string // the grain's slot holding the month (2024-03, 2024H1, 2024), "" for none
	Rows    int64
	Units   int64 // units with records in the month
	Missing bool  // the slot has no records (for grain none: none on or before the last day)
}

// ErrNoData is wrapped by the error for a period and scope with no records in any dataset.
var ErrNoData = errors.New("no records for the period and scope")

// LoadCoverage runs data_coverage with p's From, To and Unit.
func LoadCoverage(ctx context.Context, db Querier, p Params) (*Coverage, error) {
	tb, err := Run(ctx, db, "data_coverage", Params{From: p.From, To: p.To, Unit: p.Unit})
	if err != nil {
		return nil, err
	}
	c, err := CoverageFromTable(tb)
	if err != nil {
		return nil, err
	}
	c.Unit = p.Unit
	return c, nil
}

// CoverageFromTable reads a data_coverage result (rows ordered by dataset, then month).
func CoverageFromTable(tb *Table) (*Coverage, error) {
	idx := map[string]int{}
	for i, c := range tb.Columns {
		idx[c.Name] = i
	}
	for _, name := range []string{"dataset", "part", "grain", "month", "slot", "rows", "units", "missing"} {
		if _, ok := idx[name]; !ok {
			return nil, fmt.Errorf("data_coverage: no column %q", name)
		}
	}
	str := func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	}
	c := &Coverage{}
	for _, r := range tb.Rows {
		ds, part := str(r[idx["dataset"]]), str(r[idx["part"]])
		n := len(c.Datasets)
		if n == 0 || c.Datasets[n-1].Dataset != ds || c.Datasets[n-1].Part != part {
			c.Datasets = append(c.Datasets, DatasetCoverage{Dataset: ds, Part: part, Grain: str(r[idx["grain"]])})
			n++
		}
		missing, _ := r[idx["missing"]].(bool)
		c.Datasets[n-1].Months = append(c.Datasets[n-1].Months, MonthCoverage{
			Month: str(r[idx["month"]]), Slot: str(r[idx["slot"]]),
			Rows: int64(Number(r[idx["rows"]])), Units: int64(Number(r[idx["units"]])), Missing: missing,
		})
	}
	if len(c.Datasets) > 0 && len(c.Datasets[0].Months) > 0 {
		ms := c.Datasets[0].Months
		c.From, _ = time.Parse("2006-01", ms[0].Month)
		last, _ := time.Parse("2006-01", ms[len(ms)-1].Month)
		c.To = last.AddDate(0, 1, -1)
	}
	return c, nil
}

// Total is the number of records of the dataset over the months.
func (d DatasetCoverage) Total() int64 {
	var n int64
	for _, m := range d.Months {
		n += m.Rows
	}
	return n
}

// Empty reports whether no dataset has a record in the period and scope. The model-post
// ledger (grain none) does not count: posts awarded in a year say nothing about whether that
// year's records were loaded.
func (c *Coverage) Empty() bool {
	for _, d := range c.Datasets {
		if d.Grain != "none" && d.Total() > 0 {
			return false
		}
	}
	return true
}

// MissingRuns are the dataset's missing months as runs of consecutive months ("2021-01",
// "2021-03～2021-12"); for a half- or yearly dataset the runs are whole halves or years.
func (d DatasetCoverage) MissingRuns() []string {
	var out []string
	for i := 0; i < len(d.Months); {
		if !d.Months[i].Missing {
			i++
			continue
		}
		j := i
		for j+1 < len(d.Months) && d.Months[j+1].Missing {
			j++
		}
		if i == j {
			out = append(out, d.Months[i].Month)
		} else {
			out = append(out, d.Months[i].Month+"～"+d.Months[j].Month)
		}
		i = j + 1
	}
	return out
}

// MissingMonths counts the dataset's missing months.
func (d DatasetCoverage) MissingMonths() int {
	n := 0
	for _, m := range d.Months {
		if m.Missing {
			n++
		}
	}
	return n
}

// Label names the dataset (and the level, for meetings) for a reader.
func (d DatasetCoverage) Label(lang datasets.Lang) string {
	name := d.Dataset
	if c, err := datasets.Lookup(d.Dataset); err == nil {
		name = c.Label.In(lang)
	}
	switch d.Part {
	case "group":
		name += datasets.T("（党小组层面）", " (group level)").In(lang)
	case "branch":
		name += datasets.T("（支部层面）", " (branch level)").In(lang)
	}
	return name
}

// GrainLabel names the frequency records are expected at.
func GrainLabel(grain string, lang datasets.Lang) string {
	switch grain {
	case "month":
		return datasets.T("按月", "monthly").In(lang)
	case "half":
		return datasets.T("按半年", "half-yearly").In(lang)
	case "year":
		return datasets.T("按年", "yearly").In(lang)
	case "none":
		return datasets.T("不定期", "no fixed frequency").In(lang)
	}
	return grain
}

// NoDataError is the error for a period and scope without a single record, naming both;
// scope is the unit's name (or "" for every unit).
func (c *Coverage) NoDataError(scope datasets.Text) error {
	period := "—"
	if !c.From.IsZero() {
		period = c.From.Format(time.DateOnly) + " — " + c.To.Format(time.DateOnly)
	}
	if scope.Zh == "" {
		scope = datasets.T("全部单位", "All units")
	}
	e := &datasets.Error{Err: ErrNoData, Text: datasets.T(
		fmt.Sprintf("%s在 %s 没有任何组织生活、考评、培训、表彰、生产或问卷记录，无法生成报告：请确认已导入该期间的数据（mingdeng check 可逐月查看各数据集的记录）", scope.Zh, period),
		fmt.Sprintf("%s: no meeting, assessment, training, award, production or survey records at all in %s, so no report can be written: check that the data for the period was imported (mingdeng check shows each dataset month by month)", scope.En, period))}
	return e
}

const groupUnitSQL = `SELECT b.unit_id FROM party_groups AS g JOIN branches AS b ON b.branch_id = g.branch_id WHERE g.group_id = $group`

// GroupUnit is the code of the unit a party group belongs to (through its branch), or "" when
// the group is not on record.
func GroupUnit(ctx context.Context, db Querier, group string) (string, error) {
	rows, err := db.QueryContext(ctx, groupUnitSQL, sql.Named("group", group))
	if err != nil {
		return "", fmt.Errorf("unit of party group %s: %w", group, err)
	}
	defer rows.Close()
	var unit string
	if rows.Next() {
		if err := rows.Scan(&unit); err != nil {
			return "", err
		}
	}
	return unit, rows.Err()
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/table"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/build"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// outputFlags are the --format and --out flags shared by query, assess and analyze.
type outputFlags struct {
	format string
	out    string
}

func (o *outputFlags) add(a *app, cmd *cobra.Command, formats string) {
	cmd.Flags().StringVar(&o.format, "format", "table", a.t("输出格式：", "output format: ")+a.t(strings.ReplaceAll(formats, ", ", "、"), formats))
	cmd.Flags().StringVar(&o.out, "out", "", a.t("写入文件（默认标准输出）", "write to this file (default: standard output)"))
}

// writer opens the output: the file named by --out, or stdout. XLSX needs a file or a pipe.
func (o *outputFlags) writer(a *app) (io.Writer, func() error, error) {
	if o.out == "" {
		return a.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(o.out)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", a.t("无法创建输出文件", "cannot create the output file"), err)
	}
	return f, f.Close, nil
}

// writeTable writes t as --format says, to --out or the screen. The format follows --out's
// extension when --format is not given.
func (o *outputFlags) writeTable(a *app, t *queries.Table, sheet string) error {
	f, err := outputFormat(o.format, o.out, o.format != "table")
	if err != nil || f == parquetFormat {
		return usageError{datasets.Errorf("--format %q 应为 table、csv、json、markdown 或 xlsx", "--format %q: expected table, csv, json, markdown or xlsx", o.format)}
	}
	if f == tabular.Text || f == tabular.Markdown || f == tabular.XLSX {
		// Readers' formats show labels (是/否, 党小组会, 总分); CSV and JSON keep the stable
		// machine names other tools read.
		t = queries.LabelTable(periodsInFull(shareUnits(t), a.lang), a.lang, queries.LabelOptions{})
	}
	return a.writeTable(t, f, o.out, sheet)
}

// periodColumns are the result columns that hold period labels (2024H1, 2024Q3, 2024-07, 2024).
var periodColumns = map[string]bool{"period": true, "half": true, "month": true, "slot": true}

// periodsInFull writes the period columns' labels as a reader does (2024年上半年, 2024年3月;
// 2024 H1, Mar 2024), as the reports do; t is unchanged.
func periodsInFull(t *queries.Table, lang datasets.Lang) *queries.Table {
	var cols []int
	for i, c := range t.Columns {
		if periodColumns[c.Name] && c.Type == queries.Text {
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		return t
	}
	cp := *t
	cp.Rows = make([][]any, len(t.Rows))
	for r, row := range t.Rows {
		row = append([]any(nil), row...)
		for _, i := range cols {
			if s, ok := row[i].(string); ok {
				row[i] = reports.PeriodInFull(s, reports.Lang(lang))
			}
		}
		cp.Rows[r] = row
	}
	return &cp
}

// shareUnits marks the columns of share metrics (monthly_compliance, timely_elimination …) as
// shares, so the readers' formats show 94.4% where the reports do, not 0.944.
func shareUnits(t *queries.Table) *queries.Table {
	if t == nil {
		return nil
	}
	cp := *t
	cp.Columns = append([]queries.Column(nil), t.Columns...)
	for i, c := range cp.Columns {
		if c.Type == queries.Float && c.Unit == "" && queries.UnitOf(c.Name).Kind == queries.UnitShare {
			cp.Columns[i].Unit = table.Share
		}
	}
	return &cp
}

// scopeFlags are --period, --from, --to and --unit.
type scopeFlags struct {
	period, from, to, unit string
}

func (s *scopeFlags) add(a *app, cmd *cobra.Command) {
	cmd.Flags().StringVar(&s.period, "period", "half", a.t("期间粒度：month、quarter、half、year", "period grain: month, quarter, half, year"))
	cmd.Flags().StringVar(&s.from, "from", "", a.t("起始日期 YYYY-MM-DD（默认：有记录的第一年年初）", "first day YYYY-MM-DD (default: start of the first year with records)"))
	cmd.Flags().StringVar(&s.to, "to", "", a.t("截止日期 YYYY-MM-DD（默认：有记录的最后一年年末）", "last day YYYY-MM-DD (default: end of the last year with records)"))
	addUnitFlag(a, cmd, &s.unit)
}

// addUnitFlag is --unit as every command that takes it states it: a code or a name.
func addUnitFlag(a *app, cmd *cobra.Command, v *string) {
	cmd.Flags().StringVar(v, "unit", "", a.t("只看这个单位（单位名称或代码）", "only this unit (its name or code)"))
}

// resolveUnit is the unit that --unit names by code or name, as report takes it; "" is every
// unit (a zero Match). An unknown name is a *build.ScopeError naming the closest units, a name
// several units share one listing them with their codes.
func resolveUnit(ctx context.Context, db queries.Querier, text string) (queries.Match, error) {
	if strings.TrimSpace(text) == "" {
		return queries.Match{}, nil
	}
	return build.Resolve(ctx, db, "unit", text, "")
}

// scopeInWords says what a scope asked for, for a line such as 无记录（…）: the dates given
// (or the years with records), the unit, and the assessment year when the query takes one.
func (a *app) scopeInWords(p queries.Params, unit queries.Match, year bool) string {
	var parts []string
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	switch {
	case year && p.Year != 0:
		parts = append(parts, fmt.Sprintf(a.t("%d 年度", "year %d"), p.Year))
	case !p.From.IsZero() && !p.To.IsZero():
		parts = append(parts, fmt.Sprintf(a.t("%s 至 %s", "%s to %s"), day(p.From), day(p.To)))
	case !p.From.IsZero():
		parts = append(parts, fmt.Sprintf(a.t("%s 起", "from %s"), day(p.From)))
	case !p.To.IsZero():
		parts = append(parts, fmt.Sprintf(a.t("截至 %s", "up to %s"), day(p.To)))
	default:
		parts = append(parts, a.t("有记录的全部年份", "every year with records"))
	}
	if unit.Code != "" {
		parts = append(parts, fmt.Sprintf(a.t("单位 %s（%s）", "unit %s (%s)"), unit.Name, unit.Code))
	} else {
		parts = append(parts, a.t("全部单位", "all units"))
	}
	return strings.Join(parts, a.t("，", ", "))
}

// writeTableOrNone is writeTable, except that a table without rows reads 无记录 and the scope
// asked for in the readers' formats on the screen, rather than a header over nothing; CSV,
// JSON and files keep the empty table other tools read.
func (o *outputFlags) writeTableOrNone(a *app, t *queries.Table, sheet, scope string) error {
	f, err := outputFormat(o.format, o.out, o.format != "table")
	if err == nil && len(t.Rows) == 0 && o.out == "" && (f == tabular.Text || f == tabular.Markdown) {
		_, err := fmt.Fprintf(a.stdout, a.t("无记录（%s）。\n", "no records (%s).\n"), scope)
		return err
	}
	return o.writeTable(a, t, sheet)
}

func (s *scopeFlags) params(a *app) (queries.Params, error) {
	p := queries.Params{Period: s.period, Unit: s.unit}
	var err error
	if p.From, err = parseDay(a, "--from", s.from); err != nil {
		return p, err
	}
	if p.To, err = parseDay(a, "--to", s.to); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, usageError{err}
	}
	return p, nil
}

func parseDay(a *app, flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return t, usageError{fmt.Errorf("%s %q: %s", flag, v, a.t("日期格式应为 YYYY-MM-DD", "expected a date YYYY-MM-DD"))}
	}
	return t, nil
}

// loadConfig reads --config, or ./mingdeng.yaml when present, over the defaults.
func loadConfig(a *app, path string) (queries.Config, error) {
	explicit := path != ""
	if !explicit {
		path = "mingdeng.yaml"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return queries.DefaultConfig(), nil
		}
		return queries.Config{}, fmt.Errorf("%s %s: %w", a.t("无法读取配置文件", "cannot read the configuration file"), path, err)
	}
	c, err := queries.ParseConfig(b)
	var ce *queries.ConfigError
	if errors.As(err, &ce) {
		ce.File = path
		return c, err
	}
	if err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func newQueryCmd(a *app) *cobra.Command {
	var (
		scope      scopeFlags
		out        outputFlags
		list       bool
		configPath string
		year       int
	)
	cmd := &cobra.Command{
		Use:   a.t("query 查询名称", "query NAME"),
		Short: a.t("运行一个命名查询（指标视图），--list 列出全部", "run a named query (metric view); --list shows them all"),
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := queries.Default()
			if err != nil {
				return err
			}
			if list {
				return listQueries(a, reg, &out)
			}
			if len(args) != 1 {
				return usageError{errors.New(a.t("请给出查询名称，或用 --list 查看全部查询", "give a query name, or --list to see them"))}
			}
			q, err := reg.Get(args[0])
			if err != nil {
				return usageError{err}
			}
			p, err := scope.params(a)
			if err != nil {
				return err
			}
			cfg, err := loadConfig(a, configPath)
			if err != nil {
				return err
			}
			p.Config = &cfg
			p.Year = year
			if _, err := tabular.ParseFormat(out.format); err != nil {
				return usageError{err}
			}
			w, err := a.openWarehouse(cmd.Context(), warehouse.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer w.Close()
			unit, err := resolveUnit(cmd.Context(), w.DB(), p.Unit)
			if err != nil {
				return err
			}
			p.Unit = unit.Code
			t, err := queries.RunQuery(cmd.Context(), w.DB(), q, p, 0)
			if err != nil {
				return err
			}
			return out.writeTableOrNone(a, t, q.Name, a.t("查询 ", "query ")+q.Name+a.t("，", ", ")+a.scopeInWords(p, unit, slices.Contains(q.Params, "year")))
		},
	}
	scope.add(a, cmd)
	out.add(a, cmd, "table, csv, json, markdown, xlsx")
	cmd.Flags().IntVar(&year, "year", 0, a.t("考评年度（assessment_totals 用）", "assessment year (for assessment_totals)"))
	cmd.Flags().BoolVar(&list, "list", false, a.t("列出全部命名查询及说明", "list the named queries with their descriptions"))
	cmd.Flags().StringVar(&configPath, "config", "", a.t("配置文件（默认 ./mingdeng.yaml，不存在时用默认规则）", "configuration file (default ./mingdeng.yaml; the defaults when absent)"))
	return cmd
}

func listQueries(a *app, reg *queries.Registry, out *outputFlags) error {
	t := &queries.Table{Columns: []queries.Column{
		{Name: a.t("名称", "name"), Type: queries.Text},
		{Name: a.t("参数", "params"), Type: queries.Text},
		{Name: a.t("说明", "description"), Type: queries.Text},
	}}
	for _, q := range reg.List() {
		t.Rows = append(t.Rows, []any{q.Name, strings.Join(q.Params, ", "), q.Description(string(a.lang))})
	}
	return out.writeTable(a, t, "queries")
}

// parseList splits a comma-separated flag value.
func parseList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseLags(a *app, s string) ([]int, error) {
	var out []int
	for _, p := range parseList(s) {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, usageError{fmt.Errorf("--lag %q: %s", p, a.t("滞后期应为非负整数", "lags are non-negative integers"))}
		}
		out = append(out, n)
	}
	return out, nil
}

// usageIfParam turns a bad parameter (unknown metric, bad period) into a usage error.
func usageIfParam(err error) error {
	if errors.Is(err, queries.ErrParam) {
		return usageError{err}
	}
	return err
}

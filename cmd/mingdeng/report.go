package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/reports"
)

// reportFlags are the options every report takes.
type reportFlags struct {
	out, unit, from, to, period, group string
	year                               int
	spec                               string   // a report spec (docs/report-spec.md)
	params                             []string // the spec's parameters, name=value
}

func newReportCmd(a *app) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report evaluation|annual|group --out DIR | report --spec FILE.md --out DIR",
		Short: a.t("生成报告：评估报告、年度调研课题报告、党小组档案（HTML、Markdown、XLSX）", "write a report: evaluation, annual write-up or group drill-down (HTML, Markdown, XLSX)"),
		Long: a.t("在 --out 目录写出一个可离线打开的 HTML 文件、同名 Markdown 文件和包含全部数据表的 XLSX 文件。\n报告默认为中文，--lang en 为英文。",
			"Writes one self-contained HTML file that opens offline, the same report as Markdown, and its tables as XLSX into --out.\nReports are in Chinese unless --lang en."),
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.spec != "" {
				if len(args) > 0 {
					return usageError{datasets.Errorf("--spec 与报告名称 %s 只能二选一", "give either a report name (%s) or --spec, not both", args[0])}
				}
				return a.runReport(cmd.Context(), "", f)
			}
			if len(args) != 1 {
				return usageError{datasets.Errorf("请给出报告名称（evaluation、annual、group）或 --spec 文件", "give a report name (evaluation, annual, group) or --spec FILE")}
			}
			if len(f.params) > 0 {
				return usageError{datasets.Errorf("--param 只用于 --spec 报告", "--param is for --spec reports only")}
			}
			return a.runReport(cmd.Context(), args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "mingdeng-reports", a.t("输出目录", "output folder"))
	fl.StringVar(&f.unit, "unit", "", a.t("只看一个单位（单位代码）", "one unit only (unit code)"))
	fl.StringVar(&f.from, "from", "", a.t("起始日期 YYYY-MM-DD（默认：有记录的第一年年初）", "first day YYYY-MM-DD (default: start of the first year with records)"))
	fl.StringVar(&f.to, "to", "", a.t("截止日期 YYYY-MM-DD（默认：有记录的最后一年年末）", "last day YYYY-MM-DD (default: end of the last year with records)"))
	fl.StringVar(&f.period, "period", "half", a.t("分析周期：month、quarter、half、year", "analysis period: month, quarter, half, year"))
	fl.StringVar(&f.group, "group", "", a.t("党小组代码（report group 必填）", "party group code (required by report group)"))
	fl.StringVar(&f.spec, "spec", "", a.t("用 Markdown 报告定义文件生成报告（见 docs/report-spec.md）", "render a report from a Markdown spec (see docs/report-spec.md)"))
	fl.StringArrayVar(&f.params, "param", nil, a.t("报告定义的参数 名称=值（可重复）", "a parameter of the spec, name=value (repeatable)"))
	fl.IntVar(&f.year, "year", 0, a.t("考评年度（默认：--to 所在年份或最近一年）", "assessment year (default: the year of --to, or the latest)"))
	return cmd
}

func reportDay(s, flag string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--%s %q: expected YYYY-MM-DD", flag, s)}
	}
	return d, nil
}

// buildReport runs the queries a report needs on w and builds it; name is the file name stem.
func (a *app) buildReport(ctx context.Context, w *warehouse.Warehouse, kind string, f reportFlags) (*reports.Report, string, error) {
	switch kind {
	case "evaluation", "annual", "group":
	default:
		return nil, "", usageError{fmt.Errorf("report %q: expected evaluation, annual or group", kind)}
	}
	if kind == "group" && f.group == "" {
		return nil, "", usageError{fmt.Errorf("report group needs --group CODE")}
	}
	if f.year != 0 && (f.year < minReportYear || f.year > maxReportYear) {
		return nil, "", usageError{datasets.Errorf("--year %d 超出范围：应为 %d 到 %d 之间的年份", "--year %d is out of range: expected a year from %d to %d",
			f.year, minReportYear, maxReportYear)}
	}
	from, err := reportDay(f.from, "from")
	if err != nil {
		return nil, "", err
	}
	to, err := reportDay(f.to, "to")
	if err != nil {
		return nil, "", err
	}
	db := w.DB()
	base := queries.Params{From: from, To: to, Unit: f.unit}
	cfg := queries.DefaultConfig()
	scope := reports.Scope{Unit: f.unit, From: from, To: to, Period: f.period, Generated: time.Now(), Warehouse: filepath.Base(w.Path())}
	if f.unit != "" {
		scope.Company = f.unit
	}
	// run executes one named query and remembers how to re-run it.
	sources := map[string]reports.Source{}
	run := func(key, name string, p queries.Params) (*queries.Table, error) {
		tb, err := queries.Run(ctx, db, name, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		sources[key] = reports.Source{Query: name, Params: describeParams(p), Command: "mingdeng query " + name + " " + describeParams(p) + " --format json"}
		return tb, nil
	}
	with := func(period string) queries.Params { p := base; p.Period = period; return p }
	year := f.year
	if year == 0 && !to.IsZero() {
		year = to.Year()
	}
	if year == 0 {
		// The latest year with assessments, not the calendar: records usually lag by months,
		// and a write-up covers a completed year.
		years, err := queries.Run(ctx, db, "assessment_years", queries.Params{Unit: f.unit})
		if err != nil {
			return nil, "", err
		}
		if len(years.Rows) > 0 {
			year = int(years.Rows[0][0].(int64))
		}
	}
	assessments := func() (*queries.Table, error) {
		p := base
		p.Year = year
		return run("Assessments", "assessment_totals", p)
	}

	// analysis runs queries' analyze (the same as mingdeng analyze --format json).
	analysis := func(from, to time.Time) ([]stats.Result, reports.Source, error) {
		o := queries.AnalyzeOptions{Period: f.period, From: from, To: to, Unit: f.unit}
		res, err := queries.Analyze(ctx, db, o)
		if err != nil {
			return nil, reports.Source{}, fmt.Errorf("analyze: %w", err)
		}
		p := base
		p.From, p.To = from, to
		p.Period = f.period
		return res.Results, reports.Source{Query: "analyze", Params: describeParams(p), Command: "mingdeng analyze " + describeParams(p) + " --format json"}, nil
	}

	// awards runs member_counts and queries.Concentration (mingdeng analyze --concentration).
	awards := func() (*reports.Concentration, error) {
		counts, err := run("Awards", "member_counts", base)
		if err != nil {
			return nil, err
		}
		p := base
		p.Config = &cfg
		rs, err := queries.Concentration(ctx, db, p)
		if err != nil {
			return nil, err
		}
		src := reports.Source{Query: "concentration", Params: describeParams(base),
			Command: strings.TrimSpace("mingdeng analyze --concentration "+describeParams(base)) + " --format json"}
		return reports.AwardsFromTables(counts, rs, src), nil
	}

	var rep *reports.Report
	switch kind {
	case "evaluation":
		// Analyze first: its panel is the largest Go heap of the run, and it is gone before
		// the group-month tables below arrive.
		rs, asrc, err := analysis(base.From, base.To)
		if err != nil {
			return nil, "", err
		}
		in := reports.EvaluationTables{Scope: scope, Grades: cfg.Assessment.Grades, Sources: sources}
		// Month by month the report needs only the compliance of each group and the outcome
		// means over groups: queries that compute just those (and average in SQL) instead of
		// every metric of every group-month, which at province scale is 720,000 rows × 20.
		if in.ActivityMonthly, err = run("ActivityMonthly", "group_compliance", with("month")); err != nil {
			return nil, "", err
		}
		if in.ActivityHalf, err = run("ActivityHalf", "group_activity", with(f.period)); err != nil {
			return nil, "", err
		}
		if in.OutcomesMonthly, err = run("OutcomesMonthly", "outcome_trends", with("month")); err != nil {
			return nil, "", err
		}
		if in.Assessments, err = assessments(); err != nil {
			return nil, "", err
		}
		outHalf, err := run("OutcomesHalf", "group_outcomes", with(f.period))
		if err != nil {
			return nil, "", err
		}
		d := reports.EvaluationFromTables(in)
		in.ActivityMonthly, in.OutcomesMonthly = nil, nil // d keeps the grid and the means
		reports.ApplyAnalysis(d, rs, asrc, in.ActivityHalf, outHalf)
		// The radar needs each unit's scores: unit_surveys averages the shown cells of
		// group_surveys in SQL (a province has a million group cells).
		surveys, err := run("Survey", "unit_surveys", with(f.period))
		if err != nil {
			return nil, "", err
		}
		d.Survey = reports.SurveyFromTable(surveys, a.lang, sources["Survey"])
		if d.Awards, err = awards(); err != nil {
			return nil, "", err
		}
		if d.Awards != nil {
			d.Awards.Units = reports.UnitNames(in.ActivityHalf, surveys)
		}
		if rk := reports.RankedAssessments(in.Assessments, a.lang, sources["Assessments"]); rk != nil {
			d.Ranked = append(d.Ranked, *rk)
		}
		if rk := reports.RankedConcentration(d.Awards, a.lang); rk != nil {
			d.Ranked = append(d.Ranked, *rk)
		}
		rep = reports.BuildEvaluation(d, a.lang)
	case "annual":
		in := reports.AnnualTables{Scope: scope, Grades: cfg.Assessment.Grades, Sources: sources}
		if year != 0 {
			in.Year = strconv.Itoa(year)
			// The write-up covers its year unless --from/--to say otherwise.
			if from.IsZero() && to.IsZero() {
				base.From = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
				base.To = time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
				in.Scope.From, in.Scope.To = base.From, base.To
			}
		}
		if in.ActivityMonthly, err = run("ActivityMonthly", "group_compliance", with("month")); err != nil {
			return nil, "", err
		}
		if in.ActivityYear, err = run("ActivityYear", "group_activity", with("year")); err != nil {
			return nil, "", err
		}
		if in.Assessments, err = assessments(); err != nil {
			return nil, "", err
		}
		d := reports.AnnualFromTables(in)
		// Effects need the panel's history: the write-up's year and the years before it.
		rs, asrc, err := analysis(from, base.To)
		if err != nil {
			return nil, "", err
		}
		reports.ApplyAnnualAnalysis(d, rs, asrc)
		if d.Awards, err = awards(); err != nil {
			return nil, "", err
		}
		if d.Awards != nil {
			d.Awards.Units = reports.UnitNames(in.ActivityYear)
		}
		rep = reports.BuildAnnual(d, a.lang)
	case "group":
		in := reports.GroupTables{Scope: scope, Code: f.group, Sources: sources}
		if in.ActivityMonthly, err = run("ActivityMonthly", "group_activity", with("month")); err != nil {
			return nil, "", err
		}
		if in.ActivityHalf, err = run("ActivityHalf", "group_activity", with(f.period)); err != nil {
			return nil, "", err
		}
		if in.OutcomesHalf, err = run("OutcomesHalf", "group_outcomes", with(f.period)); err != nil {
			return nil, "", err
		}
		if in.Assessments, err = assessments(); err != nil {
			return nil, "", err
		}
		d, ok := reports.GroupFromTables(in)
		if !ok {
			return nil, "", fmt.Errorf("%s", a.t("没有党小组 "+f.group+" 的记录", "no records for party group "+f.group))
		}
		rep = reports.BuildGroup(d, a.lang)
	}
	name := kind
	if kind == "group" {
		name = "group-" + f.group
	}
	if a.lang == "en" {
		name += "-en"
	}
	return rep, name, nil
}

// The years a report may be asked for: wider than any organisation's records, narrow enough
// that a typo (99999, -1) is refused rather than run on as an empty year.
const minReportYear, maxReportYear = 1949, 2100

// reportMemoryLimit caps DuckDB's memory in report runs (mingdeng report and serve) unless
// MINGDENG_MEMORY_LIMIT says otherwise. DuckDB's default (80 % of RAM) let a province report
// reach 4.0 GiB peak RSS on a 24 GiB machine; with 2GB its largest aggregation (survey cells,
// 7 M groups) still fits and the run peaked at 2.9 GiB in about the same time
// (docs/BENCHMARKS.md, Reports).
const reportMemoryLimit = "2GB"

func (a *app) runReport(ctx context.Context, kind string, f reportFlags) error {
	start := time.Now()
	w, err := a.openWarehouse(ctx, warehouse.Options{ReadOnly: true, MemoryLimit: reportMemoryLimit})
	if err != nil {
		return err
	}
	defer w.Close()
	var rep *reports.Report
	var name string
	if f.spec != "" {
		rep, name, err = a.buildSpecReport(ctx, w, f.spec, f.params)
	} else {
		rep, name, err = a.buildReport(ctx, w, kind, f)
	}
	if err != nil {
		return err
	}
	files, err := reports.WriteFiles(f.out, name, rep)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(files.HTML)
	fmt.Fprintf(a.stdout, a.t("报告已写出（%.1f 秒）：\n  %s\n  %s\n  %s\n用浏览器打开 HTML 文件即可，无需联网。\n", "report written (%.1f s):\n  %s\n  %s\n  %s\nOpen the HTML file in a browser; no network needed.\n"),
		time.Since(start).Seconds(), abs, files.Markdown, files.XLSX)
	return nil
}

// describeParams writes query parameters as the flags of mingdeng query.
func describeParams(p queries.Params) string {
	var parts []string
	if p.Period != "" {
		parts = append(parts, "--period "+p.Period)
	}
	if !p.From.IsZero() {
		parts = append(parts, "--from "+p.From.Format(time.DateOnly))
	}
	if !p.To.IsZero() {
		parts = append(parts, "--to "+p.To.Format(time.DateOnly))
	}
	if p.Unit != "" {
		parts = append(parts, "--unit "+p.Unit)
	}
	if p.Year != 0 {
		parts = append(parts, "--year "+strconv.Itoa(p.Year))
	}
	return strings.Join(parts, " ")
}

// buildSpecReport parses a report spec, runs each of its sql blocks (one statement each, with
// the parameters it declares) and builds the report; name is the spec's file stem.
func (a *app) buildSpecReport(ctx context.Context, w *warehouse.Warehouse, path string, params []string) (*reports.Report, string, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	file := filepath.Base(path)
	spec, err := reports.ParseSpec(text)
	if err != nil {
		var se *reports.SpecError
		if errors.As(err, &se) {
			se.File = file
		}
		return nil, "", usageError{err}
	}
	given := map[string]string{}
	for _, p := range params {
		k, v, ok := strings.Cut(p, "=")
		k = strings.TrimPrefix(strings.TrimSpace(k), "$")
		if !ok || k == "" {
			return nil, "", usageError{datasets.Errorf("--param %q 格式应为 名称=值", "--param %q: expected name=value", p)}
		}
		if _, dup := given[k]; dup {
			return nil, "", usageError{datasets.Errorf("--param %s 重复给出", "--param %s given twice", k)}
		}
		given[k] = v
	}
	used := map[string]bool{}
	for _, q := range spec.Queries {
		for _, p := range q.Params {
			used[p.Name] = true
		}
	}
	for k := range given {
		if !used[k] {
			return nil, "", usageError{datasets.Errorf("--param %s 没有被 %s 中的任何 sql 块使用（在 params= 中声明）", "--param %s is not used by any sql block of %s (declare it in params=)", k, file)}
		}
	}
	results := map[string]reports.SpecResult{}
	for _, q := range spec.Queries {
		stmt, err := singleStatement(q.SQL)
		if err != nil {
			zh := err.Error()
			var l localized
			if errors.As(err, &l) {
				zh = l.Message(datasets.Zh)
			}
			return nil, "", usageError{&reports.SpecError{File: file, Line: q.Line, Zh: q.Name + "：" + zh, En: q.Name + ": " + err.Error()}}
		}
		var pairs, cmdArgs []string
		for _, p := range q.Params {
			v, ok := given[p.Name]
			if !ok && !p.HasDefault {
				return nil, "", usageError{&reports.SpecError{File: file, Line: q.Line,
					Zh: fmt.Sprintf("sql 块 %s 需要参数 %s：请用 --param %s=… 给出，或在 params= 中写默认值", q.Name, p.Name, p.Name),
					En: fmt.Sprintf("sql block %s needs parameter %s: give --param %s=… or a default in params=", q.Name, p.Name, p.Name)}}
			}
			if !ok {
				v = p.Default
			}
			pairs = append(pairs, p.Name+"="+v)
			cmdArgs = append(cmdArgs, "--param "+shellWord(p.Name+"="+v))
		}
		bound, err := parseParams(pairs)
		if err != nil {
			return nil, "", usageError{err}
		}
		rows, err := w.DB().QueryContext(ctx, stmt, bound...)
		if err != nil {
			return nil, "", fmt.Errorf(a.t("%s 第 %d 行 sql 块 %s：%w", "%s line %d, sql block %s: %w"), file, q.Line, q.Name, err)
		}
		tb, err := queries.Collect(rows, 0)
		if err != nil {
			return nil, "", fmt.Errorf(a.t("%s 第 %d 行 sql 块 %s：%w", "%s line %d, sql block %s: %w"), file, q.Line, q.Name, err)
		}
		results[q.Name] = reports.SpecResult{Table: tb, Src: reports.Source{Query: q.Name, Params: strings.Join(pairs, " "),
			Command: strings.TrimSpace("mingdeng sql " + shellWord(stmt) + " " + strings.Join(cmdArgs, " "))}}
	}
	meta := []reports.KV{{Key: a.t("报告定义", "Spec"), Value: file}}
	if len(given) > 0 {
		meta = append(meta, reports.KV{Key: a.t("参数", "Parameters"), Value: strings.Join(params, " ")})
	}
	meta = append(meta, reports.KV{Key: a.t("生成时间", "Generated"), Value: time.Now().Format("2006-01-02 15:04")},
		reports.KV{Key: a.t("数据仓库", "Warehouse"), Value: filepath.Base(w.Path())})
	name := strings.TrimSuffix(file, filepath.Ext(file))
	rep, err := reports.BuildSpecReport(spec, name, results, meta, a.lang)
	if err != nil {
		var se *reports.SpecError
		if errors.As(err, &se) {
			se.File = file
			return nil, "", usageError{err}
		}
		return nil, "", err
	}
	if a.lang == "en" {
		name += "-en"
	}
	return rep, name, nil
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '=' || r == '.' || r == '/' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/build"
)

// reportFlags are the options every report takes.
type reportFlags struct {
	out, unit, from, to, period, group string
	config                             string // --config; "": ./mingdeng.yaml when present
	year                               int
	spec                               string   // a report spec (docs/report-spec.md)
	params                             []string // the spec's parameters, name=value
	docs                               documentFlags
	each                               string // "unit": one report per unit, with an index page
}

func newReportCmd(a *app) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   a.t("report evaluation|annual|group --out 目录 | report --spec 文件.md --out 目录", "report evaluation|annual|group --out DIR | report --spec FILE.md --out DIR"),
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
			if f.each != "" {
				if f.each != "unit" {
					return usageError{datasets.Errorf("--each 只接受 unit", "--each takes unit only")}
				}
				return a.runEachUnit(cmd.Context(), args[0], f)
			}
			return a.runReport(cmd.Context(), args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "mingdeng-reports", a.t("输出目录", "output folder"))
	fl.StringVar(&f.unit, "unit", "", a.t("只看一个单位（单位名称或代码）", "one unit only (its name or code)"))
	fl.StringVar(&f.from, "from", "", a.t("起始日期 YYYY-MM-DD（默认：有记录的第一年年初）", "first day YYYY-MM-DD (default: start of the first year with records)"))
	fl.StringVar(&f.to, "to", "", a.t("截止日期 YYYY-MM-DD（默认：有记录的最后一年年末）", "last day YYYY-MM-DD (default: end of the last year with records)"))
	fl.StringVar(&f.period, "period", "half", a.t("分析周期：month、quarter、half、year", "analysis period: month, quarter, half, year"))
	fl.StringVar(&f.group, "group", "", a.t("党小组名称或代码（report group 必填；同名时用 --unit 或代码区分）", "party group name or code (required by report group; --unit or the code tells same-named groups apart)"))
	fl.StringVar(&f.spec, "spec", "", a.t("用 Markdown 报告定义文件生成报告（见 docs/report-spec.md）", "render a report from a Markdown spec (see docs/report-spec.md)"))
	fl.StringArrayVar(&f.params, "param", nil, a.t("报告定义的参数 名称=值（可重复）", "a parameter of the spec, name=value (repeatable)"))
	fl.StringVar(&f.each, "each", "", a.t("unit：每个单位一份报告（写入 --out/units/），另写目录页", "unit: one report per unit (into --out/units/), with an index page"))
	fl.BoolVar(&f.docs.docx, "docx", false, a.t("同时写出 Word 文档（DOCX，图表为图片，不需要浏览器）", "also write a Word document (DOCX, charts as pictures; needs no browser)"))
	fl.BoolVar(&f.docs.pdf, "pdf", false, a.t("同时写出 PDF（需要本机的 Chromium 或 Edge）", "also write a PDF (needs Chromium or Edge on this machine)"))
	fl.StringVar(&f.config, "config", "", a.t("配置文件（默认 ./mingdeng.yaml，不存在时用默认规则）", "configuration file (default ./mingdeng.yaml; the defaults when absent)"))
	fl.IntVar(&f.year, "year", 0, a.t("考评年度（默认：--to 所在年份或最近一年）", "assessment year (default: the year of --to, or the latest)"))
	return cmd
}

func reportDay(s, flag string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageError{datasets.Errorf("--%s %q：日期格式应为 YYYY-MM-DD", "--%s %q: expected YYYY-MM-DD", flag, s)}
	}
	return d, nil
}

// request turns the flags into a build request with the configuration in force (--config, or
// ./mingdeng.yaml when present, as assess and analyze read it).
func (a *app) request(kind build.Kind, f reportFlags) (build.Request, error) {
	req := build.Request{Kind: kind, Period: f.period, Year: f.year, Unit: f.unit, Group: f.group, Lang: a.lang, ConfigFile: f.config}
	var err error
	if req.From, err = reportDay(f.from, "from"); err != nil {
		return req, err
	}
	if req.To, err = reportDay(f.to, "to"); err != nil {
		return req, err
	}
	if f.year != 0 && (f.year < minReportYear || f.year > maxReportYear) {
		return req, usageError{datasets.Errorf("--year %d 超出范围：应为 %d 到 %d 之间的年份", "--year %d is out of range: expected a year from %d to %d",
			f.year, minReportYear, maxReportYear)}
	}
	cfg, err := loadConfig(a, f.config)
	if err != nil {
		return req, err
	}
	req.Config = &cfg
	return req, nil
}

// buildErr maps the build layer's request errors onto usage errors (exit 2); everything else,
// a unit or group that cannot be found included, is a failure (exit 1).
func buildErr(err error) error {
	var re *build.RequestError
	if errors.As(err, &re) {
		return usageError{err}
	}
	return err
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
	req, err := a.request(build.Kind(kind), f)
	if err != nil {
		return err
	}
	if f.spec != "" {
		text, err := os.ReadFile(f.spec)
		if err != nil {
			return err
		}
		req.Kind = build.Spec
		req.Spec = &build.SpecRequest{File: f.spec, Text: text, Params: f.params}
	}
	w, err := a.openWarehouse(ctx, warehouse.Options{ReadOnly: true, MemoryLimit: reportMemoryLimit})
	if err != nil {
		return err
	}
	defer w.Close()
	res, err := build.Build(ctx, w, req)
	if err != nil {
		return buildErr(err)
	}
	files, err := reports.WriteFiles(f.out, res.Name, res.Report)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(files.HTML)
	fmt.Fprintf(a.stdout, a.t("报告已写出（%.1f 秒）：\n  %s\n  %s\n  %s\n", "report written (%.1f s):\n  %s\n  %s\n  %s\n"),
		time.Since(start).Seconds(), abs, files.Markdown, files.XLSX)
	// The DOCX and PDF are listed with the other files, before the hint that closes the list.
	err = a.writeDocuments(ctx, res.Report, &files, f.docs)
	fmt.Fprintln(a.stdout, a.t("用浏览器打开 HTML 文件即可，无需联网。", "Open the HTML file in a browser; no network needed."))
	return err
}

package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
	"github.com/mingdeng/mingdeng/reports"
)

func newAnalyzeCmd(a *app) *cobra.Command {
	var (
		scope         scopeFlags
		out           outputFlags
		activity      string
		outcome       string
		lag           string
		configPath    string
		concentration bool
	)
	cmd := &cobra.Command{
		Use:   "analyze",
		Short: a.t("检验党小组活动与生产成效的关系：相关、固定效应面板回归、示范党小组对比、双重差分，多重比较校正", "test whether activity goes with outcomes: correlation, fixed-effects panel regression, model groups vs the rest, difference in differences, multiple-comparison control"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := scope.params(a)
			if err != nil {
				return err
			}
			lags, err := parseLags(a, lag)
			if err != nil {
				return err
			}
			if out.format != "table" && out.format != "json" && out.format != "csv" && out.format != "markdown" && out.format != "xlsx" {
				return usageError{fmt.Errorf("--format %q: %s", out.format, a.t("应为 table 或 json", "expected table or json"))}
			}
			cfg, err := loadConfig(a, configPath)
			if err != nil {
				return err
			}
			if !concentration {
				if err := recordNewHypotheses(cmd.Context(), a, cfg); err != nil {
					return err
				}
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
			if concentration {
				p.Config = &cfg
				rs, err := queries.Concentration(cmd.Context(), w.DB(), p)
				if err != nil {
					return err
				}
				if out.format == "json" {
					return writeJSON(a, &out, struct {
						Results []stats.Result `json:"results"`
					}{rs})
				}
				return out.writeTable(a, resultsTable(a, &out, rs), "concentration")
			}
			res, err := queries.Analyze(cmd.Context(), w.DB(), queries.AnalyzeOptions{
				Period: p.Period, From: p.From, To: p.To, Unit: p.Unit,
				Activities: parseList(activity), Outcomes: parseList(outcome), Lags: lags, Config: &cfg,
			})
			if err != nil {
				return usageIfParam(err)
			}
			if out.format == "json" {
				return writeJSON(a, &out, res)
			}
			return out.writeTable(a, resultsTable(a, &out, res.Results), "analysis")
		},
	}
	scope.add(a, cmd)
	out.add(a, cmd, a.t("table、json（csv、markdown、xlsx 也可用）", "table, json (csv, markdown, xlsx also work)"))
	cmd.Flags().StringVar(&activity, "activity", "", a.t("活动指标，逗号分隔（默认：常用的全部活动指标）", "activity metrics, comma-separated (default: the usual set)"))
	cmd.Flags().StringVar(&outcome, "outcome", "", a.t("成效指标，逗号分隔（默认：全部）", "outcome metrics, comma-separated (default: all)"))
	cmd.Flags().StringVar(&lag, "lag", "0,1", a.t("滞后期数，逗号分隔", "lags in periods, comma-separated"))
	cmd.Flags().StringVar(&configPath, "config", "", a.t("配置文件（默认 ./mingdeng.yaml，不存在时用默认规则）", "configuration file (default ./mingdeng.yaml; the defaults when absent)"))
	cmd.Flags().BoolVar(&concentration, "concentration", false, a.t("改为计算表彰与示范岗在党员间的集中度（基尼系数、前 10% 占比），按单位和年度", "instead, measure how concentrated awards and model posts are across members (Gini, top-10% share) per unit and year"))
	return cmd
}

func writeJSON(a *app, out *outputFlags, v any) error {
	w, done, err := out.writer(a)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		done()
		return err
	}
	return done()
}

// resultsTable is the readable table on screen, and the stable codes in files that other tools
// read: CSV and XLSX keep every float64 exactly, Markdown shows six significant digits.
func resultsTable(a *app, out *outputFlags, rs []stats.Result) *queries.Table {
	if out.format == "table" && out.out == "" {
		return reports.ReadableResults(rs, a.lang)
	}
	return queries.ResultsTable(rs)
}

// recordDeclaredHypotheses puts the hypotheses of the configuration (configPath, or
// ./mingdeng.yaml) on record in w (opened for writing) with the time first seen. A configuration
// that does not parse is left to the commands that use it, so ingest still loads data.
func recordDeclaredHypotheses(ctx context.Context, a *app, w *warehouse.Warehouse, configPath string) error {
	cfg, err := loadConfig(a, configPath)
	if err != nil {
		return nil
	}
	// Every ingest passes here, nearly always with a list on record: reading that costs a
	// fifth of the insert, whose conflict check loads the key's index.
	if known, err := queries.HypothesesRecorded(ctx, w.DB(), cfg.Hypotheses); err == nil && known {
		return nil
	}
	return queries.RecordHypotheses(ctx, w.DB(), cfg.Hypotheses)
}

// recordNewHypotheses records cfg's hypotheses when the warehouse does not have them yet, opening
// it for writing only then (analyze otherwise reads only). When another process holds the
// warehouse the list stays unrecorded and the run reports it as changed after the last ingest,
// which is what a reader must assume of a list with no record.
func recordNewHypotheses(ctx context.Context, a *app, cfg queries.Config) error {
	ro, roErr := a.openWarehouse(ctx, warehouse.Options{ReadOnly: true})
	if roErr == nil {
		known, err := queries.HypothesesRecorded(ctx, ro.DB(), cfg.Hypotheses)
		if cerr := ro.Close(); err == nil {
			err = cerr
		}
		if err != nil || known {
			return err
		}
	}
	// Not recorded, or the file needs the upgrade that adds the record (opening it for writing
	// upgrades it).
	w, err := a.openWarehouse(ctx, warehouse.Options{})
	if err != nil {
		return roErr // nil when only locked: the run reports the list as unrecorded
	}
	defer w.Close()
	return queries.RecordHypotheses(ctx, w.DB(), cfg.Hypotheses)
}

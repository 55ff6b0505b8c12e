package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// check is its own command rather than part of status: status describes the warehouse (tables,
// batches, rejects) and takes no period, while completeness is asked of a period and a unit
// (the same --from/--to/--unit as report) and runs to one line per dataset and year.
func newCheckCmd(a *app) *cobra.Command {
	var scope scopeFlags
	var format string
	cmd := &cobra.Command{
		Use:   "check",
		Short: a.t("数据完整性：各数据集逐月的记录数，标出无记录的月份", "data completeness: each dataset's records month by month, months without records marked"),
		Long: a.t("按各数据集记录自身的日期，列出每个数据集每年每月的记录数。按其应有频次（按月、按半年、按年）没有记录的月份标为“无记录”；\n这些月份在报告中不计为未开会等问题，报告开头的“数据完整性”一节列出同样的月份。--format json 输出 data_coverage 查询的原始结果。",
			"Lists each dataset's records per year and month, by the records' own dates. Months whose slot of the dataset's expected frequency (monthly, half-yearly, yearly) has no records are marked \"none\";\nreports never count them as meetings missed, and their data completeness section lists the same months. --format json writes the data_coverage query's rows."),
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := scope.params(a)
			if err != nil {
				return err
			}
			if format != "table" && format != "json" {
				return usageError{datasets.Errorf("--format %q 应为 table 或 json", "--format %q: expected table or json", format)}
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
			tb, err := queries.Run(cmd.Context(), w.DB(), "data_coverage", p)
			if err != nil {
				return err
			}
			if format == "json" {
				return tabular.Write(a.stdout, tb, tabular.JSON, tabular.Options{})
			}
			c, err := queries.CoverageFromTable(tb)
			if err != nil {
				return err
			}
			return a.printCoverage(c, unit)
		},
	}
	scope.add(a, cmd)
	_ = cmd.Flags().MarkHidden("period") // coverage is always by month
	cmd.Flags().StringVar(&format, "format", "table", a.t("输出格式：table 或 json", "output format: table or json"))
	return cmd
}

// shortGrain names the expected frequency in a few characters (the table's second column).
func shortGrain(lang datasets.Lang, grain string) string {
	a := &app{lang: lang}
	switch grain {
	case "month":
		return a.t("月", "month")
	case "half":
		return a.t("半年", "half")
	case "year":
		return a.t("年", "year")
	}
	return queries.GrainLabel(grain, a.lang)
}

// coverageLegend explains the marks of coverageTable.
var coverageLegend = datasets.T("“无”：无记录（按该数据集应有的频次，这个月所在的月、半年或年没有一条记录）；“·”：该月没有记录，但该半年或该年有，不算缺失。",
	"\"none\": no records (the month, half or year of the dataset's expected frequency has not one record); \"·\": no records that month, but the half or year has some, so nothing is missing.")

// coverageTable is the coverage as `mingdeng check` prints it and serve's page shows it: one
// row per dataset and year with the twelve months' record counts ("无" where the slot has no
// records, "·" where the month has none but its half or year has), and each dataset's missing
// runs ("会议：2021-01～2021-03").
func coverageTable(c *queries.Coverage, lang datasets.Lang) (*queries.Table, []string) {
	tr := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	none := tr("无", "none") // 无记录: short, so twelve months fit a console
	cols := []queries.Column{
		{Name: tr("数据集", "dataset"), Type: queries.Text},
		{Name: tr("频次", "every"), Type: queries.Text},
		{Name: tr("年份", "year"), Type: queries.Text},
	}
	for m := 1; m <= 12; m++ {
		name := strconv.Itoa(m) + tr("月", "")
		if lang == datasets.En {
			name = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[m-1]
		}
		// Integer so the counts align right; the cells are text (counts, 无记录, ·).
		cols = append(cols, queries.Column{Name: name, Type: queries.Integer})
	}
	cols = append(cols, queries.Column{Name: tr("合计", "total"), Type: queries.Integer})
	tb := &queries.Table{Columns: cols}
	var gaps []string
	for _, d := range c.Datasets {
		label, grain := d.Label(lang), shortGrain(lang, d.Grain)
		var row []any
		var total int64
		year := ""
		flush := func() {
			if row != nil {
				for len(row) < 3+12 {
					row = append(row, "")
				}
				tb.Rows = append(tb.Rows, append(row, strconv.FormatInt(total, 10)))
			}
		}
		for _, m := range d.Months {
			y, mo := m.Month[:4], m.Month[5:]
			if y != year {
				flush()
				year, total = y, 0
				row = []any{label, grain, y}
				label, grain = "", "" // the dataset is named on its first row only
				n, _ := strconv.Atoi(mo)
				for i := 1; i < n; i++ {
					row = append(row, "")
				}
			}
			switch {
			case m.Missing:
				row = append(row, none)
			case m.Rows == 0:
				row = append(row, "·")
			default:
				row = append(row, strconv.FormatInt(m.Rows, 10))
			}
			total += m.Rows
		}
		flush()
		if runs := d.MissingRuns(); len(runs) > 0 {
			gaps = append(gaps, d.Label(lang)+tr("：", ": ")+strings.Join(runsInFull(runs, lang), tr("、", ", ")))
		}
	}
	return tb, gaps
}

// monthInFull is t's month as a reader writes it: 2024年3月, Mar 2024.
func monthInFull(t time.Time, lang datasets.Lang) string {
	return reports.PeriodInFull(t.Format("2006-01"), lang)
}

// runsInFull is MissingRuns' runs of months ("2024-01～2024-06") in a reader's words.
func runsInFull(runs []string, lang datasets.Lang) []string {
	out := make([]string, len(runs))
	for i, r := range runs {
		first, last, ok := strings.Cut(r, "～")
		out[i] = reports.PeriodInFull(first, lang)
		if ok {
			out[i] += datasets.T("～", "–").In(lang) + reports.PeriodInFull(last, lang)
		}
	}
	return out
}

// printCoverage writes one row per dataset and year with the twelve months' record counts.
func (a *app) printCoverage(c *queries.Coverage, unit queries.Match) error {
	scope := a.t("全部单位", "all units")
	if unit.Code != "" {
		scope = a.t("单位 ", "unit ") + unit.Name + "（" + unit.Code + "）"
		if a.lang == datasets.En {
			scope = "unit " + unit.Name + " (" + unit.Code + ")"
		}
	}
	if len(c.Datasets) == 0 || c.From.IsZero() {
		fmt.Fprintln(a.stdout, a.t("数据仓库中没有带日期的记录。", "the warehouse has no dated records."))
		return nil
	}
	fmt.Fprintf(a.stdout, a.t("数据完整性：%s，%s至%s（按各数据集记录自身的日期统计记录数）\n\n", "data completeness: %s, %s to %s (records counted by each dataset's own date)\n\n"),
		scope, monthInFull(c.From, a.lang), monthInFull(c.To, a.lang))
	tb, gaps := coverageTable(c, a.lang)
	if err := tabular.Write(a.stdout, tb, tabular.Text, tabular.Options{}); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	if len(gaps) == 0 {
		fmt.Fprintln(a.stdout, a.t("每个数据集在其应有频次的每个时段都有记录。", "every dataset has records in every slot of its expected frequency."))
	} else {
		fmt.Fprintln(a.stdout, a.t("无记录的月份（报告中不计为问题，只在“数据完整性”中列出）：", "months without records (reports list them under data completeness and never count them as findings):"))
		for _, g := range gaps {
			fmt.Fprintln(a.stdout, "  "+g)
		}
	}
	fmt.Fprintln(a.stdout, coverageLegend.In(a.lang))
	return nil
}

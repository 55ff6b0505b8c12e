package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

func newStatusCmd(a *app) *cobra.Command {
	var format string
	var last int
	cmd := &cobra.Command{
		Use:   "status",
		Short: a.t("显示各数据表行数、最近导入批次和被拒绝的行数", "show row counts, the latest batches and the rejects count"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if last < 0 {
				return usageError{datasets.Errorf("--last 须为 0 或正整数（现为 %d）", "--last must be 0 or more (got %d)", last)}
			}
			// Read-only: status changes nothing, and works on a read-only file or disk (a
			// warehouse on a CD, a share or a copy the user may not write).
			w, err := a.openWarehouse(cmd.Context(), warehouse.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer w.Close()
			s, err := w.Summary(cmd.Context(), last)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(s)
			}
			if format != "table" {
				return usageError{datasets.Errorf("--format %q 应为 table 或 json", "--format %q: expected table or json", format)}
			}
			if err := a.printStatus(s); err != nil {
				return err
			}
			return a.printCoverageHint(cmd.Context(), w.DB())
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", a.t("输出格式：table 或 json", "output format: table or json"))
	cmd.Flags().IntVar(&last, "last", 10, a.t("显示最近多少个导入批次", "how many recent batches to show"))
	return cmd
}

func (a *app) printStatus(s *warehouse.Summary) error {
	fmt.Fprintf(a.stdout, a.t("数据仓库：%s（%.1f MiB，结构版本 %d）\n\n", "warehouse: %s (%.1f MiB, schema version %d)\n\n"),
		s.Path, float64(s.SizeBytes)/(1<<20), s.SchemaVersion)
	tables := &queries.Table{Columns: []queries.Column{
		{Name: a.t("数据集", "dataset"), Type: queries.Text},
		{Name: a.t("表名", "table"), Type: queries.Text},
		{Name: a.t("行数", "rows"), Type: queries.Integer},
	}}
	for _, tc := range s.Tables {
		c, err := datasets.Lookup(tc.Dataset)
		if err != nil {
			return err
		}
		var rows any = tc.Rows
		if tc.Rows == 0 {
			rows = a.t("无记录", "no records") // a 0 reads as a count of something that was loaded
		}
		tables.Rows = append(tables.Rows, []any{c.Label.In(a.lang), tc.Dataset, rows})
	}
	if err := tabular.Write(a.stdout, tables, tabular.Text, tabular.Options{}); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	if len(s.Batches) == 0 {
		fmt.Fprintln(a.stdout, a.t("尚无导入批次。", "no batches yet."))
	} else {
		fmt.Fprintln(a.stdout, a.t("最近导入批次：", "latest batches:"))
		batches := &queries.Table{Columns: []queries.Column{
			{Name: a.t("批次", "batch"), Type: queries.Integer},
			{Name: a.t("数据集", "dataset"), Type: queries.Text},
			{Name: a.t("文件", "file"), Type: queries.Text},
			{Name: a.t("状态", "status"), Type: queries.Text},
			{Name: a.t("读取", "read"), Type: queries.Integer},
			{Name: a.t("新增", "loaded"), Type: queries.Integer},
			{Name: a.t("更新", "updated"), Type: queries.Integer},
			{Name: a.t("未变", "unchanged"), Type: queries.Integer},
			{Name: a.t("拒绝", "rejected"), Type: queries.Integer},
			{Name: a.t("重复", "duplicates"), Type: queries.Integer},
			{Name: a.t("空行", "blank"), Type: queries.Integer},
			{Name: a.t("汇总行", "summary rows"), Type: queries.Integer},
			{Name: a.t("时间", "started"), Type: queries.Text},
		}}
		for _, b := range s.Batches {
			dataset := a.t("未识别", "not recognised") // a file refused before its dataset was known
			if c, err := datasets.Lookup(b.Dataset); err == nil {
				dataset = c.Label.In(a.lang)
			}
			// Every count of the batch, as ingest prints them, so that the row adds up to what
			// was read (rows_read = loaded + updated + unchanged + rejected + duplicates + blank + summary rows).
			batches.Rows = append(batches.Rows, []any{b.ID, dataset, b.Path, batchStatus(b.Status, a.lang), b.RowsRead, b.Loaded, b.Updated, b.Unchanged, b.Rejected, b.Duplicates, b.Blank, b.Skipped,
				b.StartedAt.Local().Format(time.DateTime)})
		}
		if err := tabular.Write(a.stdout, batches, tabular.Text, tabular.Options{}); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stdout, a.t("\n被拒绝的行：%d（用 mingdeng rejects 查看）\n", "\nrejected rows: %d (see mingdeng rejects)\n"), s.Rejects)
	return nil
}

// printCoverageHint points to mingdeng check when some dataset has months without records
// over the years the warehouse holds: status lists tables and batches, but a forgotten month's
// file shows only in the coverage, and reports call those months 无记录.
func (a *app) printCoverageHint(ctx context.Context, db *sql.DB) error {
	c, err := queries.LoadCoverage(ctx, db, queries.Params{}) // the whole years the warehouse holds
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	if c.Empty() {
		return nil // no records at all: the tables above already say so
	}
	var gaps []string
	months := 0
	for _, d := range c.Datasets {
		if n := d.MissingMonths(); n > 0 {
			months += n
			if len(gaps) < 3 {
				runs := runsInFull(d.MissingRuns(), a.lang)
				more := ""
				if len(runs) > 2 {
					runs, more = runs[:2], a.t(" 等", " …")
				}
				gaps = append(gaps, d.Label(a.lang)+a.t("：", ": ")+strings.Join(runs, a.t("、", ", "))+more)
			}
		}
	}
	if len(gaps) == 0 {
		return nil
	}
	fmt.Fprintf(a.stdout, a.t("\n有月份无记录（%s至%s共 %d 个数据集·月），如 %s。\n用 mingdeng check 查看各数据集逐月的记录；报告中这些月份记为无记录，不计为未开会等问题。\n",
		"\nsome months have no records (%s to %s, %d dataset-months), e.g. %s.\nRun mingdeng check to see each dataset month by month; reports mark those months as without records, never as meetings missed.\n"),
		monthInFull(c.From, a.lang), monthInFull(c.To, a.lang), months, strings.Join(gaps, a.t("；", "; ")))
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/build"
)

type chartFlags struct {
	sql, file, out string
	params         []string
	spec           reports.ChartSpec
}

func newChartCmd(a *app) *cobra.Command {
	var f chartFlags
	cmd := &cobra.Command{
		Use:   a.t(`chart --sql "查询语句" --type bar|line|scatter|heatmap|pie --x 列 --y 列 --out chart.html`, `chart --sql "QUERY" --type bar|line|scatter|heatmap|pie --x COL --y COL --out chart.html`),
		Short: a.t("把一条 SQL 查询的结果画成图表，写出一个可离线打开的 HTML 页面", "draw one SQL query's result as a chart in a self-contained HTML page"),
		Long: a.t("bar、line：x 为类别轴，y 为数值，--series 按该列分成多条；scatter：x、y 均为数值；\nheatmap：x 为列、--series 为行、y 为格中数值；pie：x 为扇区名称，y 为大小。",
			"bar, line: x is the category axis, y the value, --series splits by that column; scatter: x and y are numbers;\nheatmap: x gives the columns, --series the rows, y the cell values; pie: x names the slices, y sizes them."),
		Example: `  mingdeng chart --sql "select kind, count(*) as n from meetings group by kind order by n desc" --type bar --x kind --y n --out meetings.html
  mingdeng chart --file q.sql --param year=2024 --type line --x month --y n --series unit --title "各单位每月会议数"`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runChart(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.sql, "sql", "", a.t("SQL 语句（只能一条）", "the SQL statement (one only)"))
	fl.StringVar(&f.file, "file", "", a.t("从文件读取 SQL 语句", "read the statement from a file"))
	fl.StringArrayVar(&f.params, "param", nil, a.t("语句参数 名称=值，在语句中写作 $名称（可重复）", "a parameter name=value, written $name in the statement (repeatable)"))
	fl.StringVar(&f.spec.Type, "type", "bar", a.t("图表类型：bar、line、scatter、heatmap、pie", "chart type: bar, line, scatter, heatmap, pie"))
	fl.StringVar(&f.spec.X, "x", "", a.t("横轴（类别）列", "x (category) column"))
	fl.StringVar(&f.spec.Y, "y", "", a.t("数值列", "value column"))
	fl.StringVar(&f.spec.Series, "series", "", a.t("分组列：每个值一条系列（热力图的行）", "series column: one series per value (a heatmap's rows)"))
	fl.StringVar(&f.spec.Title, "title", "", a.t("图表标题", "chart title"))
	fl.StringVar(&f.out, "out", "chart.html", a.t("输出的 HTML 文件", "the HTML file to write"))
	return cmd
}

func (a *app) runChart(ctx context.Context, f chartFlags) error {
	var args []string
	if f.sql != "" {
		args = []string{f.sql}
	}
	text, err := queryText(args, f.file)
	if err != nil {
		return err
	}
	if text == "" {
		return usageError{datasets.Errorf("需要 --sql 或 --file 给出查询语句", "give the query with --sql or --file")}
	}
	stmt, err := build.SingleStatement(text)
	if err != nil {
		return usageError{err}
	}
	bound, err := build.BindParams(f.params)
	if err != nil {
		return usageError{err}
	}
	w, err := a.openWarehouse(ctx, warehouse.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer w.Close()
	rows, err := w.DB().QueryContext(ctx, stmt, bound...)
	if err != nil {
		return fmt.Errorf("sql: %w", err)
	}
	tb, err := queries.Collect(rows, 0)
	if err != nil {
		return fmt.Errorf("sql: %w", err)
	}
	f.spec.ID = "chart"
	rep, err := reports.BuildChartReport(tb, f.spec, reports.ChartPage{SQL: stmt, Params: strings.Join(f.params, " ")}, a.lang)
	var se *reports.SpecError
	if errors.As(err, &se) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	if err := writeHTMLFile(f.out, rep); err != nil {
		return err
	}
	abs, _ := filepath.Abs(f.out)
	fmt.Fprintf(a.stdout, a.t("图表已写出（%d 行数据）：%s\n", "chart written (%d rows): %s\n"), len(tb.Rows), abs)
	return nil
}

// writeHTMLFile writes the report's page to path through a temporary file, so a failure
// leaves no half-written page.
func writeHTMLFile(path string, rep *reports.Report) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := reports.WriteHTML(tmp, rep); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

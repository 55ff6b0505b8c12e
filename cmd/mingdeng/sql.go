package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/duckdb/duckdb-go/v2"
	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/build"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// parquetFormat is offered by `sql` only: it streams Arrow batches from DuckDB into the file.
const parquetFormat tabular.Format = "parquet"

func newSQLCmd(a *app) *cobra.Command {
	var format, file, out, configPath string
	var params []string
	cmd := &cobra.Command{
		Use:   a.t(`sql ["查询语句"]`, `sql ["QUERY"]`),
		Short: a.t("执行一条 SQL 语句；不带语句时进入交互式命令行", "run one SQL statement; with none, start an interactive shell"),
		Example: `  mingdeng sql "select kind, count(*) from meetings group by kind"
  mingdeng sql "select unit_name, period, sum(meetings_held) from metric_group_activity group by 1, 2 order by 1, 2"
  mingdeng sql --file q.sql --param year=2024 --format xlsx --out result.xlsx
  mingdeng sql`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := outputFormat(format, out, cmd.Flags().Changed("format"))
			if err != nil {
				return usageError{err}
			}
			bound, err := build.BindParams(params)
			if err != nil {
				return usageError{err}
			}
			text, err := queryText(args, file)
			if err != nil {
				return err
			}
			// The metric views, as serve's workbench has them (the same statements under the
			// same rules), so a query saved there runs here too. They are temporary views on
			// each connection: the file never holds them.
			rules, err := loadConfig(a, configPath)
			if err != nil {
				return err
			}
			views, err := queries.MetricViewStatements(&rules)
			if err != nil {
				return err
			}
			w, err := a.openWarehouse(cmd.Context(), warehouse.Options{ConnInit: views})
			if errors.Is(err, warehouse.ErrInUse) {
				// serve holds the file read-only: reading beside it still works.
				if ro, rerr := a.openWarehouse(cmd.Context(), warehouse.Options{ReadOnly: true, ConnInit: views}); rerr == nil {
					fmt.Fprintln(a.stderr, a.t("数据仓库正被另一个进程（如 mingdeng serve）使用：已以只读方式打开，语句只能查询、不能修改数据。",
						"the warehouse is in use by another process (such as mingdeng serve): opened read-only, so statements can read but not change it."))
					w, err = ro, nil
				}
			}
			if err != nil {
				return err
			}
			defer w.Close()
			if text == "" {
				return a.runShell(cmd.Context(), w, f)
			}
			stmt, err := build.SingleStatement(text)
			if err != nil {
				return usageError{err}
			}
			if err := checkStoredView(stmt); err != nil {
				return usageError{err}
			}
			if f == parquetFormat {
				if out == "" {
					return usageError{datasets.Errorf("--format parquet 需要用 --out 指定文件", "--format parquet needs --out FILE")}
				}
				return writeParquet(cmd.Context(), w, stmt, bound, out)
			}
			rows, err := w.DB().QueryContext(cmd.Context(), stmt, bound...)
			if err != nil {
				return sqlError(err)
			}
			t, err := queries.Collect(rows, 0)
			if err != nil {
				return sqlError(err)
			}
			return a.writeTable(t, f, out, "result")
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", a.t("输出格式：table、csv、json、markdown、xlsx、parquet（默认按 --out 的扩展名）",
		"output format: table, csv, json, markdown, xlsx, parquet (default: from --out's extension)"))
	cmd.Flags().StringVar(&file, "file", "", a.t("从文件读取 SQL 语句", "read the statement from a file"))
	cmd.Flags().StringArrayVar(&params, "param", nil, a.t("语句参数 名称=值，在语句中写作 $名称（可重复）", "a parameter name=value, written $name in the statement (repeatable)"))
	cmd.Flags().StringVar(&out, "out", "", a.t("结果写入文件（默认输出到屏幕）", "write the result to a file instead of the screen"))
	cmd.Flags().StringVar(&configPath, "config", "", a.t("配置文件，指标视图按其规则计算（默认 ./mingdeng.yaml，不存在时用默认规则）",
		"configuration file the metric views follow (default ./mingdeng.yaml; the defaults when absent)"))
	return cmd
}

// outputFormat picks the format from --format, or from --out's extension when --format is not
// given.
func outputFormat(format, out string, explicit bool) (tabular.Format, error) {
	if !explicit && out != "" {
		switch strings.ToLower(filepath.Ext(out)) {
		case ".csv":
			return tabular.CSV, nil
		case ".json":
			return tabular.JSON, nil
		case ".md":
			return tabular.Markdown, nil
		case ".xlsx":
			return tabular.XLSX, nil
		case ".parquet":
			return parquetFormat, nil
		}
	}
	if strings.EqualFold(strings.TrimSpace(format), string(parquetFormat)) {
		return parquetFormat, nil
	}
	return tabular.ParseFormat(format)
}

func queryText(args []string, file string) (string, error) {
	switch {
	case len(args) == 1 && file != "":
		return "", usageError{datasets.Errorf("语句只能二选一：作为参数给出，或用 --file 指定文件", "give the statement either as an argument or with --file, not both")}
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read %s: %w", file, err)
		}
		if strings.TrimSpace(string(b)) == "" {
			return "", usageError{datasets.Errorf("%s 中没有 SQL 语句", "%s holds no statement", file)}
		}
		return string(b), nil
	case len(args) == 1:
		if strings.TrimSpace(args[0]) == "" {
			return "", usageError{datasets.Errorf("SQL 语句为空", "the statement is empty")}
		}
		return args[0], nil
	}
	return "", nil
}

// writeTable writes to out (CSV with a BOM so Excel reads the Chinese correctly) or stdout;
// sheet names the XLSX sheet.
func (a *app) writeTable(t *queries.Table, f tabular.Format, out, sheet string) error {
	if out == "" {
		if f == tabular.XLSX {
			return usageError{datasets.Errorf("--format xlsx 需要用 --out 指定文件", "--format xlsx needs --out FILE")}
		}
		return tabular.Write(a.stdout, t, f, tabular.Options{Null: "NULL"})
	}
	file, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := tabular.Write(file, t, f, tabular.Options{BOM: true, SheetName: sheet}); err != nil {
		file.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := file.Close(); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, a.t("已写入 %s（%d 行）\n", "wrote %s (%d rows)\n"), out, len(t.Rows))
	return nil
}

// writeParquet streams the result's Arrow batches straight into a Parquet file.
func writeParquet(ctx context.Context, w *warehouse.Warehouse, stmt string, args []any, out string) error {
	conn, err := w.DB().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return warehouse.Arrow(ctx, conn, func(ar *duckdb.Arrow) error {
		rdr, err := ar.QueryContext(ctx, stmt, args...)
		if err != nil {
			return sqlError(err)
		}
		defer rdr.Release()
		file, err := os.Create(out)
		if err != nil {
			return err
		}
		props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd))
		pw, err := pqarrow.NewFileWriter(rdr.Schema(), file, props, pqarrow.DefaultWriterProps())
		if err != nil {
			file.Close()
			return err
		}
		for rdr.Next() {
			if err := pw.WriteBuffered(rdr.RecordBatch()); err != nil {
				pw.Close()
				return fmt.Errorf("write %s: %w", out, err)
			}
		}
		if err := rdr.Err(); err != nil {
			pw.Close()
			return sqlError(err)
		}
		return pw.Close()
	})
}

// createViewRe matches a statement that stores a view in the file (CREATE [OR REPLACE] VIEW,
// not TEMP), after any leading comments.
var createViewRe = regexp.MustCompile(`(?is)^(\s*(--[^\n]*(\n|$)|/\*.*?\*/))*\s*create\s+(or\s+replace\s+)?view\b`)

// metricViewRe matches a metric view's name as a word.
var metricViewRe = regexp.MustCompile(`(?i)\b(` + strings.Join(queries.MetricViewNames(), "|") + `)\b`)

// checkStoredView refuses a view stored in the file that reads a metric view. The metric views
// are temporary, defined by mingdeng on each of its connections: a stored view over them would
// fail in every other program that opens the file (and in serve, whose guard allows exactly the
// metric views and the tables). A temporary view over them, or a table made from them, is fine.
func checkStoredView(stmt string) error {
	if !createViewRe.MatchString(stmt) {
		return nil
	}
	if m := metricViewRe.FindString(stmt); m != "" {
		return datasets.Errorf("%s 是 mingdeng 每次连接时定义的临时指标视图，数据仓库文件中保存的视图不能引用它；请改用 CREATE TEMP VIEW，或用 CREATE TABLE … AS 保存结果",
			"%s is a temporary metric view that mingdeng defines on each connection, so a view stored in the warehouse file cannot read it; use CREATE TEMP VIEW, or keep the result with CREATE TABLE … AS", m)
	}
	return nil
}

// sqlError says in the user's language that the statement failed; DuckDB's own words follow
// as they are (they name the table, column or position at fault).
func sqlError(err error) error {
	return &datasets.Error{Err: err, Text: datasets.T("SQL 语句执行出错（以下为 DuckDB 的原文）："+err.Error(), "sql: "+err.Error())}
}

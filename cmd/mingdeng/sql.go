package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

func newSQLCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   `sql "QUERY"`,
		Short: a.t("在数据仓库上执行一条 SQL 语句并输出结果", "run one SQL statement on the warehouse and print the result"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := tabular.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			w, err := a.openWarehouse(cmd.Context(), warehouse.Options{})
			if err != nil {
				return err
			}
			defer w.Close()
			rows, err := w.DB().QueryContext(cmd.Context(), args[0])
			if err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			t, err := queries.Collect(rows, 0)
			if err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			return tabular.Write(a.stdout, t, f, tabular.Options{Null: "NULL"})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", a.t("输出格式：table、csv、json、markdown、xlsx", "output format: table, csv, json, markdown, xlsx"))
	return cmd
}

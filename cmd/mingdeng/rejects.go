package main

import (
	"encoding/json"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

func newRejectsCmd(a *app) *cobra.Command {
	var batch int64
	var format, out string
	var limit int
	cmd := &cobra.Command{
		Use:   "rejects",
		Short: a.t("列出导入时被拒绝的行及原因", "list the rows ingest refused, and why"),
		Long: a.t("列出被拒绝的行：文件、行号、列、原值和原因。--format xlsx --out F 导出为工作簿：保留原始列并加上原因，改正后可直接重新导入。",
			"List refused rows: file, row, column, value and reason. --format xlsx --out F writes a workbook with the original\ncolumns plus the reason, which can be fixed and loaded again."),
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := tabular.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			if f == tabular.XLSX && out == "" {
				return usageError{datasets.Errorf("--format xlsx 需要用 --out 指定文件", "--format xlsx needs --out FILE")}
			}
			w, err := a.openWarehouse(cmd.Context(), warehouse.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer w.Close()
			var dst io.Writer = a.stdout
			if out != "" {
				file, err := os.Create(out)
				if err != nil {
					return err
				}
				defer file.Close()
				dst = file
			}
			if f == tabular.XLSX {
				return ingest.ExportRejects(cmd.Context(), w.DB(), batch, dst, a.lang)
			}
			rs, err := ingest.ListRejects(cmd.Context(), w.DB(), batch, limit)
			if err != nil {
				return err
			}
			if f == tabular.JSON {
				enc := json.NewEncoder(dst)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"rejects": rs})
			}
			return tabular.Write(dst, ingest.RejectsTable(rs, a.lang), f, tabular.Options{})
		},
	}
	cmd.Flags().Int64Var(&batch, "batch", 0, a.t("只看这个导入批次（默认全部）", "only this batch (default: all)"))
	cmd.Flags().StringVar(&format, "format", "table", a.t("输出格式：table、csv、json、markdown 或 xlsx", "output format: table, csv, json, markdown or xlsx"))
	cmd.Flags().StringVar(&out, "out", "", a.t("写入文件（xlsx 必须指定）", "write to this file (needed for xlsx)"))
	cmd.Flags().IntVar(&limit, "limit", 0, a.t("最多列出多少行（0 表示不限）", "list at most this many rows (0: all)"))
	return cmd
}

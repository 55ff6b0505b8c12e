package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

func newDatasetsCmd(a *app) *cobra.Command {
	var markdown bool
	cmd := &cobra.Command{
		Use:   "datasets",
		Short: a.t("列出数据集（数据契约）", "list the datasets (contracts)"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if markdown {
				return datasets.WriteMarkdown(a.stdout, datasets.All(), a.lang)
			}
			t := &queries.Table{Columns: []queries.Column{
				{Name: a.t("数据集", "dataset"), Type: queries.Text},
				{Name: a.t("表名", "table"), Type: queries.Text},
				{Name: a.t("类别", "group"), Type: queries.Text},
				{Name: a.t("列数", "columns"), Type: queries.Integer},
				{Name: a.t("自然键", "key"), Type: queries.Text},
			}}
			for _, c := range datasets.All() {
				t.Rows = append(t.Rows, []any{c.Label.In(a.lang), c.Name, c.Group.Label().In(a.lang), int64(len(c.Columns)), strings.Join(c.Key, ", ")})
			}
			if err := tabular.Write(a.stdout, t, tabular.Text, tabular.Options{}); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, a.t("\n查看某个数据集的列与可识别表头：mingdeng datasets show 表名", "\nfor a dataset's columns and recognised headers: mingdeng datasets show TABLE"))
			return nil
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, a.t("输出 Markdown 格式的完整数据集参考", "print the full dataset reference as Markdown"))
	cmd.AddCommand(&cobra.Command{
		Use:   a.t("show 表名或名称", "show TABLE"),
		Short: a.t("显示数据集的列、类型、规则和可识别的表头", "show a dataset's columns, types, rules and recognised headers"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, ok := lookupDataset(args[0])
			if !ok {
				return usageError{unknownDataset(args[0])}
			}
			return a.showContract(c)
		},
	})
	return cmd
}

// lookupDataset finds a contract by its table name or by its label in either language, as the
// datasets and status tables name it.
func lookupDataset(name string) (datasets.Contract, bool) {
	name = strings.TrimSpace(name)
	for _, c := range datasets.All() {
		if c.Name == name || c.Label.Zh == name || strings.EqualFold(c.Label.En, name) {
			return c, true
		}
	}
	return datasets.Contract{}, false
}

func (a *app) showContract(c datasets.Contract) error {
	fmt.Fprintf(a.stdout, a.t("%s（表名 %s）\n%s\n\n", "%s (table %s)\n%s\n\n"), c.Label.In(a.lang), c.Name, c.Description.In(a.lang))
	fmt.Fprintf(a.stdout, "%s: %s\n", a.t("自然键", "natural key"), strings.Join(c.Key, ", "))
	for _, r := range c.Refs {
		byName := ""
		if r.NameColumn != "" {
			byName = a.t("（也可填名称）", " (or by name)")
		}
		fmt.Fprintf(a.stdout, "%s: %s → %s.%s%s\n", a.t("引用", "reference"), strings.Join(r.Columns, ", "), r.Dataset, strings.Join(r.To, ", "), byName)
	}
	for _, ch := range c.Checks {
		fmt.Fprintf(a.stdout, "%s: %s\n", a.t("检查", "check"), ch.Message.In(a.lang))
	}
	// One block per column: the rules and header lists are too long for a table row.
	for _, col := range c.Columns {
		req := ""
		if col.Required {
			req = a.t("，必填", ", required")
		}
		fmt.Fprintf(a.stdout, "\n%s  %s（%s%s）\n", col.Name, col.Label.In(a.lang), col.Type, req)
		fmt.Fprintf(a.stdout, "  %s：%s\n", a.t("可识别的表头", "headers"), strings.Join(col.Headers(), "、"))
		for _, rule := range col.Rules(a.lang) {
			fmt.Fprintf(a.stdout, "  - %s\n", rule)
		}
	}
	return nil
}

package main

import (
	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
)

func newAssessCmd(a *app) *cobra.Command {
	var (
		year       int
		unit       string
		configPath string
		out        outputFlags
	)
	cmd := &cobra.Command{
		Use:   a.t("assess --year 年份", "assess --year YEAR"),
		Short: a.t("党小组半年度考评：总分、等次、需帮扶、连续两次基本合格及以下、年度先进党小组", "half-yearly group assessment: totals, grades, help needed, two in a row, the year's advanced group"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if year == 0 {
				return usageError{errMissingYear(a)}
			}
			cfg, err := loadConfig(a, configPath)
			if err != nil {
				return err
			}
			w, err := a.openWarehouse(cmd.Context(), warehouse.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer w.Close()
			u, err := resolveUnit(cmd.Context(), w.DB(), unit)
			if err != nil {
				return err
			}
			res, err := queries.Assess(cmd.Context(), w.DB(), year, u.Code, cfg)
			if err != nil {
				return usageIfParam(err)
			}
			return out.writeTableOrNone(a, res.Table(a.lang), "assessment", a.t("考评，", "assessment, ")+a.scopeInWords(queries.Params{Year: year}, u, true))
		},
	}
	cmd.Flags().IntVar(&year, "year", 0, a.t("考评年度（必填）", "assessment year (required)"))
	addUnitFlag(a, cmd, &unit)
	cmd.Flags().StringVar(&configPath, "config", "", a.t("配置文件（默认 ./mingdeng.yaml，不存在时用默认规则）", "configuration file (default ./mingdeng.yaml; the defaults when absent)"))
	out.add(a, cmd, "table, csv, json, markdown, xlsx")
	return cmd
}

type missingYear struct{ msg string }

func (e missingYear) Error() string { return e.msg }

func errMissingYear(a *app) error {
	return missingYear{a.t("请用 --year 指定考评年度", "give the assessment year with --year")}
}

package main

import (
	"context"
	"fmt"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/web"
)

// Coverage is the page's answer to "is the data complete?": the table of `mingdeng check`
// over every unit and the whole years holding records (web.CoverageLister).
func (b *webBackend) Coverage(ctx context.Context, lang datasets.Lang) (*web.CoverageView, error) {
	c, err := queries.LoadCoverage(ctx, b.w.DB(), queries.Params{})
	if err != nil {
		return nil, err
	}
	tr := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	if len(c.Datasets) == 0 || c.From.IsZero() {
		return &web.CoverageView{Title: tr("数据仓库中没有带日期的记录。", "the warehouse has no dated records.")}, nil
	}
	tb, gaps := coverageTable(c, lang)
	v := &web.CoverageView{
		Title: fmt.Sprintf(tr("数据完整性：全部单位，%s 至 %s（按各数据集记录自身的日期统计记录数）", "data completeness: all units, %s to %s (records counted by each dataset's own date)"),
			c.From.Format("2006-01"), c.To.Format("2006-01")),
		Table: tb, Gaps: gaps, Legend: coverageLegend.In(lang), Missing: tr("无", "none"),
	}
	if len(gaps) == 0 {
		v.Summary = tr("每个数据集在其应有频次的每个时段都有记录。", "every dataset has records in every slot of its expected frequency.")
	} else {
		v.Summary = tr("无记录的月份（报告中不计为问题，只在“数据完整性”中列出）：", "months without records (reports list them under data completeness and never count them as findings):")
	}
	return v, nil
}

package reports

import (
	"fmt"
	"strings"

	"github.com/mingdeng/mingdeng/queries"
)

// AddCompleteness puts the 数据完整性 section at the top of r: for the report's period and
// scope, the datasets and months with no records (queries.Coverage, from data_coverage), and
// what that means for the figures below. src is the command that shows the same coverage.
// Every report opens with it, whatever its kind, so a reader knows what the figures rest on
// before reading one.
func AddCompleteness(r *Report, c *queries.Coverage, src Source) {
	if r == nil || c == nil {
		return
	}
	lang := r.Lang
	ref := addSource(r, src)
	// A preface to the report's numbered outline.
	sec := Section{ID: "completeness", Title: t(lang, "数据完整性", "Data completeness"), Plain: true}
	period := fmt.Sprintf(t(lang, "%s 至 %s", "%s to %s"), c.From.Format("2006-01"), c.To.Format("2006-01"))
	var items [][]Span
	for _, d := range c.Datasets {
		runs := d.MissingRuns()
		if len(runs) == 0 {
			continue
		}
		text := fmt.Sprintf(t(lang, "%s：%s 无记录（%d 个月）", "%s: no records in %s (%d months)"),
			d.Label(lang), strings.Join(runs, t(lang, "、", ", ")), d.MissingMonths())
		if d.Total() == 0 {
			text = fmt.Sprintf(t(lang, "%s：本期间无记录", "%s: no records in the period"), d.Label(lang))
		}
		items = append(items, []Span{{Text: text, Ref: ref}})
	}
	if len(items) == 0 {
		sec.Blocks = append(sec.Blocks, Paragraph{Spans: []Span{
			txt(fmt.Sprintf(t(lang, "本报告期间（%s）各数据集按其应有的频次（按月、按半年或按年）都有记录", "In the report's period (%s) every dataset has records at its expected frequency (monthly, half-yearly or yearly)"), period)),
			{Text: t(lang, "（可用数据来源中的命令逐月核对）", " (the command under data sources shows it month by month)"), Ref: ref}, txt(t(lang, "。", "."))}})
	} else {
		sec.Blocks = append(sec.Blocks,
			Paragraph{Note: true, Spans: []Span{txt(fmt.Sprintf(t(lang,
				"本报告期间（%s）以下数据集有月份无记录。无记录不等于没有发生：这些月份（按季度、半年或年核对的会议，是整期都没有记录的季度、半年或年）不计入达标率等指标，也不据此认定未开会等问题；有关结论只针对有记录的期间。",
				"In the report's period (%s) the datasets below have months without records. No records is not the same as nothing happened: those months (for meetings checked by quarter, half or year, the quarters, halves or years without any records) are left out of compliance and the other figures, and no finding (such as a meeting missed) is made from them; the conclusions cover the periods with records only."), period))}},
			Bullets{Items: items})
	}
	r.Sections = append([]Section{sec}, r.Sections...)
}

// addSource adds src to the report's sources (once) and returns its ID.
func addSource(r *Report, src Source) string {
	if src.Query == "" {
		return ""
	}
	for _, s := range r.Sources {
		if s.Query == src.Query && s.Params == src.Params {
			return s.ID
		}
	}
	taken := map[string]bool{}
	for _, s := range r.Sources {
		taken[s.ID] = true
	}
	for n := len(r.Sources) + 1; src.ID == "" || taken[src.ID]; n++ {
		src.ID = fmt.Sprintf("S%d", n)
	}
	r.Sources = append(r.Sources, src)
	return src.ID
}

// LabelTables puts every table of r (each chart's data and each table block) through
// queries.LabelTable in the report's language, codes left out where a name stands beside them:
// the one labelling step before the renderers, so HTML, Markdown, XLSX, DOCX and PDF show
// 党小组会, 是/否 and 总分, never group_meeting, true or total.
func LabelTables(r *Report) {
	if r == nil {
		return
	}
	for i := range r.Sections {
		for _, b := range r.Sections[i].Blocks {
			switch x := b.(type) {
			case *Chart:
				x.Data = queries.LabelTable(x.Data, r.Lang, queries.LabelOptions{DropCodes: true})
			case *TableBlock:
				x.Table = queries.LabelTable(x.Table, r.Lang, queries.LabelOptions{DropCodes: true})
			}
		}
	}
}

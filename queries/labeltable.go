package queries

import (
	"strings"
	"sync"

	"github.com/mingdeng/mingdeng/datasets"
)

// LabelOptions tune LabelTable.
type LabelOptions struct {
	// DropCodes leaves out a code column (unit_id, group_id, branch_id, team_id) when the
	// table has the name beside it (unit_name, group_name, …): what reports show. The CLI keeps
	// the codes, which its --unit and --group flags take.
	DropCodes bool
}

// LabelTable returns t for a reader in lang: column names from the metric catalogue, the
// dataset contracts and the result columns of the named queries (total → 总分, half → 半年),
// enum codes by their contract labels (group_meeting → 党小组会), true/false as 是/否, methods
// and metrics named in a method or metric column by their plain names. A column with _zh and
// _en siblings (kind, kind_zh, kind_en) becomes one column in lang. Unknown names and values
// are kept as they are. t itself is not changed.
//
// It is the one labelling step before a table reaches a renderer (reports' pages, Markdown and
// XLSX; the CLI tables of query, assess and analyze); JSON output skips it and keeps the
// stable machine names.
func LabelTable(t *Table, lang datasets.Lang, opt LabelOptions) *Table {
	if t == nil {
		return nil
	}
	names := map[string]bool{}
	for _, c := range t.Columns {
		names[c.Name] = true
	}
	suffix := "_zh"
	if lang == datasets.En {
		suffix = "_en"
	}
	var keep []int
	var cols []Column
	for i, c := range t.Columns {
		n := c.Name
		switch {
		case names[n+"_zh"] && names[n+"_en"]: // the code; its label column stands in for it
			continue
		case strings.HasSuffix(n, "_zh") || strings.HasSuffix(n, "_en"):
			base := n[:len(n)-3]
			if !names[base+"_zh"] || !names[base+"_en"] {
				break
			}
			if !strings.HasSuffix(n, suffix) {
				continue
			}
			n = base
		case n == "grade" && names["grade_label"]:
			continue
		case n == "grade_label":
			n = "grade"
		}
		if opt.DropCodes {
			if base, ok := strings.CutSuffix(n, "_id"); ok && names[base+"_name"] {
				continue
			}
		}
		keep = append(keep, i)
		cols = append(cols, Column{Name: ColumnLabel(n, lang), Type: c.Type, Unit: c.Unit}) // a share stays a share: shown as 83.0%
	}
	out := &Table{Columns: cols, Rows: make([][]any, len(t.Rows))}
	valueOf := make([]func(any) any, len(keep))
	for j, i := range keep {
		valueOf[j] = valueLabeller(t.Columns[i], lang)
	}
	for r, row := range t.Rows {
		nr := make([]any, len(keep))
		for j, i := range keep {
			nr[j] = valueOf[j](row[i])
		}
		out.Rows[r] = nr
	}
	return out
}

// valueLabeller is how the values of column c are shown in lang.
func valueLabeller(c Column, lang datasets.Lang) func(any) any {
	yes, no := datasets.T("是", "Yes").In(lang), datasets.T("否", "No").In(lang)
	var codes map[string]datasets.Text
	switch c.Name {
	case "method":
		return func(v any) any {
			if s, ok := v.(string); ok {
				return MethodLabel(s, lang)
			}
			return v
		}
	case "activity", "outcome", "metric":
		return func(v any) any {
			if s, ok := v.(string); ok {
				return MetricLabel(s, lang)
			}
			return v
		}
	case "dataset":
		return func(v any) any {
			if s, ok := v.(string); ok {
				if ct, err := datasets.Lookup(s); err == nil {
					return ct.Label.In(lang)
				}
			}
			return v
		}
	default:
		codes = valueLabels()[c.Name]
	}
	return func(v any) any {
		switch x := v.(type) {
		case bool:
			if x {
				return yes
			}
			return no
		case string:
			if l, ok := codes[x]; ok {
				return l.In(lang)
			}
		}
		return v
	}
}

// ColumnLabel is the reader-facing name of a result column: a metric, a dataset column, or
// one of the named queries' own result columns; unknown names are shown as they are.
func ColumnLabel(name string, lang datasets.Lang) string {
	if l, ok := metricLabels[name]; ok {
		return l.In(lang)
	}
	if l, ok := resultColumns[name]; ok {
		return l.In(lang)
	}
	if l, ok := contractColumns()[name]; ok {
		return l.In(lang)
	}
	return name
}

// resultColumns name the columns the named queries, assess and analyze compute (the dataset
// columns are named by their contracts).
var resultColumns = map[string]datasets.Text{
	"unit_id": datasets.T("单位代码", "unit code"), "unit_name": datasets.T("单位", "unit"),
	"branch_id": datasets.T("支部代码", "branch code"), "branch_name": datasets.T("党支部", "branch"),
	"group_id": datasets.T("党小组代码", "group code"), "group_name": datasets.T("党小组", "party group"),
	"team_id": datasets.T("班组代码", "team code"), "team_name": datasets.T("班组", "team"),
	"person_id": datasets.T("人员（化名）", "person (pseudonym)"),
	"period":    datasets.T("期间", "period"), "period_start": datasets.T("期间起", "period start"), "period_end": datasets.T("期间止", "period end"),
	"pidx": datasets.T("期间序号", "period index"), "half": datasets.T("半年", "half"), "year": datasets.T("年度", "year"),
	"h": datasets.T("上/下半年", "half of year"), "from": datasets.T("起", "from"), "to": datasets.T("止", "to"),
	"total": datasets.T("总分", "total score"), "raw_total": datasets.T("原始得分合计", "raw total"), "max_total": datasets.T("满分合计", "maximum total"),
	"items": datasets.T("评分项数", "items scored"), "dimensions": datasets.T("考评维度数", "dimensions scored"),
	"complete": datasets.T("评分项齐全", "all items scored"), "grade": datasets.T("等次", "grade"),
	"help_needed": datasets.T("需帮扶", "help needed"), "two_in_a_row": datasets.T("连续两次基本合格及以下", "twice in a row"),
	"year_average": datasets.T("年度平均分", "year average"), "eligible": datasets.T("可参评先进党小组", "eligible"),
	"advanced": datasets.T("先进党小组", "advanced group"),
	"kind":     datasets.T("类型", "kind"), "every": datasets.T("频次", "every"), "min_per_slot": datasets.T("每期至少次数", "at least per slot"),
	"slots_required": datasets.T("应开期数", "slots required"), "slots_met": datasets.T("达标期数", "slots met"),
	"compliance": datasets.T("达标率", "compliance"), "held": datasets.T("实开次数", "held"),
	"months_required": datasets.T("应开会月数", "months required"), "months_met": datasets.T("开会月数", "months met"),
	"staff": datasets.T("人数（人·期）", "staff (person-periods)"), "groups": datasets.T("党小组数", "groups"),
	"audience": datasets.T("调查对象", "audience"), "dimension": datasets.T("维度", "dimension"), "is_total": datasets.T("是否总体", "overall"),
	"score": datasets.T("得分", "score"), "respondents": datasets.T("答卷人数", "respondents"),
	"suppressed": datasets.T("不显示原因", "suppressed"), "cells": datasets.T("格子数", "cells"), "suppressed_cells": datasets.T("不显示的格子数", "suppressed cells"),
	"awards": datasets.T("表彰次数", "awards"), "model_posts": datasets.T("示范岗数", "model posts"),
	"lag": datasets.T("滞后期数", "lag"), "model_group": datasets.T("示范党小组", "model group"),
	"event_pidx": datasets.T("事件期间序号", "event period index"), "group_formed_pidx": datasets.T("组建期间序号", "period formed"),
	"dataset": datasets.T("数据集", "dataset"), "part": datasets.T("层面", "level"), "grain": datasets.T("应有频次", "expected frequency"),
	"month": datasets.T("月份", "month"), "slot": datasets.T("时段", "slot"), "rows": datasets.T("记录数", "records"),
	"units": datasets.T("有记录的单位数", "units with records"), "slot_rows": datasets.T("时段记录数", "records in the slot"),
	"missing": datasets.T("无记录", "no records"),
	"method":  datasets.T("方法", "method"), "activity": datasets.T("活动指标", "activity"), "outcome": datasets.T("成效指标", "outcome"),
	"scope": datasets.T("范围", "scope"), "estimate": datasets.T("估计值", "estimate"),
	"ci_low": datasets.T("95% 置信区间下限", "95% CI low"), "ci_high": datasets.T("95% 置信区间上限", "95% CI high"),
	"p_adj": datasets.T("校正后 p", "adjusted p"), "warnings": datasets.T("提示", "warnings"), "metric": datasets.T("指标", "metric"),
}

// resultValues label the codes of computed columns that no contract holds (grades come from
// the member_reviews contract, as GradeLabel reads them).
var resultValues = map[string]map[string]datasets.Text{
	"every": {"month": datasets.T("按月", "monthly"), "quarter": datasets.T("按季", "quarterly"), "half": datasets.T("按半年", "half-yearly"), "year": datasets.T("按年", "yearly")},
	"grain": {"month": datasets.T("按月", "monthly"), "half": datasets.T("按半年", "half-yearly"), "year": datasets.T("按年", "yearly"), "none": datasets.T("不定期", "no fixed frequency")},
	"part":  {"group": datasets.T("党小组层面", "group level"), "branch": datasets.T("支部层面", "branch level")},
	"suppressed": {"fewer_than_5": datasets.T("答卷人少于 5 人", "fewer than 5 respondents"),
		"complementary": datasets.T("防止相减推算", "complementary suppression")},
}

var (
	labelsOnce      sync.Once
	contractCols    map[string]datasets.Text
	contractEnums   map[string]map[string]datasets.Text
	valueLabelsByCo map[string]map[string]datasets.Text
)

// loadContractLabels reads the column and enum labels of every contract once. A column name
// used by several contracts (kind) takes its codes from all of them; the codes do not clash.
func loadContractLabels() {
	contractCols = map[string]datasets.Text{}
	contractEnums = map[string]map[string]datasets.Text{}
	for _, ct := range datasets.All() {
		for _, c := range ct.Columns {
			if _, ok := contractCols[c.Name]; !ok {
				contractCols[c.Name] = c.Label
			}
			for _, v := range c.Values {
				if contractEnums[c.Name] == nil {
					contractEnums[c.Name] = map[string]datasets.Text{}
				}
				if _, ok := contractEnums[c.Name][v.Code]; !ok {
					contractEnums[c.Name][v.Code] = v.Label
				}
			}
		}
	}
	valueLabelsByCo = map[string]map[string]datasets.Text{}
	for col, m := range contractEnums {
		valueLabelsByCo[col] = m
	}
	for col, m := range resultValues {
		merged := map[string]datasets.Text{}
		for k, v := range valueLabelsByCo[col] {
			merged[k] = v
		}
		for k, v := range m {
			merged[k] = v
		}
		valueLabelsByCo[col] = merged
	}
}

func contractColumns() map[string]datasets.Text {
	labelsOnce.Do(loadContractLabels)
	return contractCols
}

func valueLabels() map[string]map[string]datasets.Text {
	labelsOnce.Do(loadContractLabels)
	return valueLabelsByCo
}

package reports

import (
	"math"
	"sort"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// methodOrder puts the main estimate first: change within a group over time, then the
// before/after comparison, the model-group comparison, and the cross-sectional correlations
// last, since they are the most confounded.
var methodOrder = map[string]int{
	stats.MethodFixedEffects: 0, stats.MethodDiD: 1, stats.MethodPreTrend: 2,
	stats.MethodWelch: 3, stats.MethodMannWhitney: 4, stats.MethodHedgesG: 5,
	stats.MethodPearson: 6, stats.MethodSpearman: 7, stats.MethodGini: 8, stats.MethodTopShare: 9,
}

// ReadableResults is the results as a person reads them on screen: methods and metrics by
// name in lang, the main estimate first, numbers as the reports write them, the interval in
// one cell and the warnings in words. Files and JSON keep the stable codes
// (queries.ResultsTable).
func ReadableResults(rs []stats.Result, lang Lang) *queries.Table {
	l := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	t := &queries.Table{Columns: []queries.Column{
		{Name: l("方法", "method"), Type: queries.Text}, {Name: l("活动指标", "activity"), Type: queries.Text}, {Name: l("成效指标", "outcome"), Type: queries.Text},
		{Name: l("滞后", "lag"), Type: queries.Integer}, {Name: l("范围", "scope"), Type: queries.Text}, {Name: "n", Type: queries.Integer}, {Name: l("估计值", "estimate"), Type: queries.Text},
		{Name: l("95% 置信区间", "95% CI"), Type: queries.Text}, {Name: "p", Type: queries.Text}, {Name: l("校正后 p", "adjusted p"), Type: queries.Text}, {Name: l("提示", "warnings"), Type: queries.Text},
	}}
	sorted := append([]stats.Result(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool { return methodOrder[sorted[i].Method] < methodOrder[sorted[j].Method] })
	for _, r := range sorted {
		var warn []string
		for _, w := range r.Warnings {
			warn = append(warn, datasets.T(w.ZH, w.EN).In(lang))
		}
		ci := ""
		if !math.IsNaN(r.CILow) && !math.IsNaN(r.CIHigh) {
			ci = "[" + FormatNum(r.CILow) + ", " + FormatNum(r.CIHigh) + "]"
		}
		t.Rows = append(t.Rows, []any{queries.MethodLabel(r.Method, lang), queries.MetricLabel(r.Activity, lang), queries.MetricLabel(r.Outcome, lang),
			int64(r.Lag), r.Scope, int64(r.N), FormatNum(r.Estimate), ci, pCell(r.P), pCell(r.PAdj), strings.Join(warn, l("；", "; "))})
	}
	return t
}

// pCell is a p-value in a table cell: "0.031" or "< 0.001", empty when there is none.
func pCell(p float64) string {
	if math.IsNaN(p) {
		return ""
	}
	return strings.TrimPrefix(FormatP(p), "= ")
}

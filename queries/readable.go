package queries

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
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
// name in lang, the main estimate first, four significant digits, the interval in one cell
// and the warnings in words. Files and JSON keep the stable codes (ResultsTable).
func ReadableResults(rs []stats.Result, lang datasets.Lang) *Table {
	l := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	t := &Table{Columns: []Column{
		{l("方法", "method"), Text}, {l("活动指标", "activity"), Text}, {l("成效指标", "outcome"), Text},
		{l("滞后", "lag"), Integer}, {l("范围", "scope"), Text}, {"n", Integer}, {l("估计值", "estimate"), Text},
		{l("95% 置信区间", "95% CI"), Text}, {"p", Text}, {l("校正后 p", "adjusted p"), Text}, {l("提示", "warnings"), Text},
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
			ci = "[" + sig(r.CILow) + ", " + sig(r.CIHigh) + "]"
		}
		t.Rows = append(t.Rows, []any{MethodLabel(r.Method, lang), MetricLabel(r.Activity, lang), MetricLabel(r.Outcome, lang),
			int64(r.Lag), r.Scope, int64(r.N), sig(r.Estimate), ci, pValue(r.P), pValue(r.PAdj), strings.Join(warn, l("；", "; "))})
	}
	return t
}

// sig formats x with four significant digits, without an exponent for everyday magnitudes.
func sig(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return ""
	case x != 0 && (math.Abs(x) < 1e-4 || math.Abs(x) >= 1e7):
		return strconv.FormatFloat(x, 'e', 3, 64)
	}
	s := strconv.FormatFloat(x, 'g', 4, 64)
	if strings.ContainsRune(s, 'e') {
		s = strconv.FormatFloat(x, 'f', -1, 64)
	}
	return s
}

// pValue shows p as a reader expects: three decimals, or "< 0.001".
func pValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return ""
	case p < 0.001:
		return "< 0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

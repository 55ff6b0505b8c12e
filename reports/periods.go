package reports

import (
	"strings"
)

// Period labels as a reader writes them. The queries label periods 2024-07, 2024Q3, 2024H1 and
// 2024 (they sort in time order and are the machine names of `query --format json`); a
// Chinese reader writes 2024年上半年 and 2024年第三季度, an English one 2024 H1. The report data
// keep the machine labels, and the builders turn them into words where a reader sees them:
// chart axes, tooltips, table cells and sentences. Months stay 2024-07, compact enough for a
// heatmap of sixty columns.

// PeriodInWords is p as a reader writes it in lang; other labels come back unchanged.
func PeriodInWords(p string, lang Lang) string {
	if len(p) != 6 || !isYear(p[:4]) {
		return p
	}
	y, k, n := p[:4], p[4], p[5]
	switch {
	case k == 'H' && (n == '1' || n == '2'):
		if lang == "en" {
			return y + " H" + string(n)
		}
		return y + "年" + map[byte]string{'1': "上半年", '2': "下半年"}[n]
	case k == 'Q' && n >= '1' && n <= '4':
		if lang == "en" {
			return y + " Q" + string(n)
		}
		return y + "年第" + ChineseNumeral(int(n-'0')) + "季度"
	}
	return p
}

func isYear(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// periodsInWords is PeriodInWords of each label.
func periodsInWords(ps []string, lang Lang) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = PeriodInWords(p, lang)
	}
	return out
}

// seriesInWords is ts with its period labels in words, for a chart or table; ts is unchanged.
func seriesInWords(ts *TimeSeries, lang Lang) *TimeSeries {
	if ts == nil {
		return nil
	}
	cp := *ts
	cp.Periods = periodsInWords(ts.Periods, lang)
	return &cp
}

// gradesInWords is g with its half-year labels in words.
func gradesInWords(g *GradeDistribution, lang Lang) *GradeDistribution {
	cp := *g
	cp.Periods = periodsInWords(g.Periods, lang)
	return &cp
}

// scatterInWords is sc with each point's period ("group · 2024H1") in words.
func scatterInWords(sc *Scatter, lang Lang) *Scatter {
	cp := *sc
	cp.Points = make([]Point, len(sc.Points))
	for i, pt := range sc.Points {
		if j := strings.LastIndex(pt.Label, " · "); j >= 0 {
			pt.Label = pt.Label[:j+len(" · ")] + PeriodInWords(pt.Label[j+len(" · "):], lang)
		}
		cp.Points[i] = pt
	}
	return &cp
}

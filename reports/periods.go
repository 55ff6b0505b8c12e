package reports

import (
	"strconv"
	"strings"
	"time"
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

// PeriodInFull is PeriodInWords with months and years in words too (2024-03 as 2024年3月 or
// Mar 2024, 2024 as 2024年), for a label a reader meets one at a time: a CLI table's period
// column, a sentence; a heatmap's sixty columns keep PeriodInWords' compact months.
func PeriodInFull(p string, lang Lang) string {
	switch {
	case len(p) == 4 && isYear(p):
		if lang == "en" {
			return p
		}
		return p + "年"
	case len(p) == 7 && isYear(p[:4]) && p[4] == '-' && isTwoDigits(p[5:]):
		m := int(p[5]-'0')*10 + int(p[6]-'0')
		if m < 1 || m > 12 {
			return p
		}
		if lang == "en" {
			return time.Month(m).String()[:3] + " " + p[:4]
		}
		return p[:4] + "年" + strconv.Itoa(m) + "月"
	}
	return PeriodInWords(p, lang)
}

// isYear says whether s is a year as period labels write it: four digits.
func isYear(s string) bool { return len(s) == 4 && allDigits(s) }

// isTwoDigits says whether s is two digits, as a month is written in 2024-03 (its range is the
// caller's to check).
func isTwoDigits(s string) bool { return len(s) == 2 && allDigits(s) }

func allDigits(s string) bool {
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

// A grain is the analysis period (month, quarter, half, year) in the words a sentence needs:
// "one group in one half-year", "a lag of 1 half-year", "this half-year's activity against
// the next half-year's results". Sentences about the analysis take it from the report's scope,
// so a report made with --period month never speaks of halves.
type grain struct {
	One   string // 一个半年 / one half-year
	Count string // the counter after a number: 个半年 / half-year
	This  string // 本半年 / this half-year
	Next  string // 下一个半年 / the next half-year
}

func grainOf(period string, lang Lang) grain {
	g := map[string][2]grain{
		"month":   {{"一个月", "个月", "本月", "下一个月"}, {"one month", "month", "this month", "the next month"}},
		"quarter": {{"一个季度", "个季度", "本季度", "下一季度"}, {"one quarter", "quarter", "this quarter", "the next quarter"}},
		"half":    {{"一个半年", "个半年", "本半年", "下一个半年"}, {"one half-year", "half-year", "this half-year", "the next half-year"}},
		"year":    {{"一年", "年", "本年", "下一年"}, {"one year", "year", "this year", "the next year"}},
	}
	x, ok := g[period]
	if !ok {
		x = g["half"]
	}
	if lang == "en" {
		return x[1]
	}
	return x[0]
}

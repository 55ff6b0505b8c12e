// Package zhtext formats numbers for a Chinese reader (百分比, 个百分点, 万, 亿, sensible
// decimals, 同比 phrases) and checks generated text for the faults machine-written Chinese
// falls into: repeated sentences and broken punctuation ("。。", "，。", "（）").
//
// It is for the sentences reports generate from data; it does not translate, and it knows
// nothing about metrics (their units come from queries' metric catalogue).
package zhtext

import (
	"math"
	"strconv"
	"strings"
)

// Dash stands for a number that does not exist (NaN, ±Inf).
const Dash = "–"

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// Decimal writes x with the decimals its size deserves: none from 100 up, one from 10, two
// below 10, and two significant digits below 0.1 (0.034); trailing zeros are dropped.
func Decimal(x float64) string {
	if bad(x) {
		return Dash
	}
	a := math.Abs(x)
	var s string
	switch {
	case a >= 100:
		s = strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 10:
		s = strconv.FormatFloat(x, 'f', 1, 64)
	case a >= 0.1 || a == 0:
		s = strconv.FormatFloat(x, 'f', 2, 64)
	default:
		s = strconv.FormatFloat(x, 'g', 2, 64)
		if strings.ContainsAny(s, "e") {
			s = strconv.FormatFloat(x, 'f', 4, 64)
		}
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Count writes a count: whole numbers as they are below 10,000, then in 万 (1.23 万) and 亿;
// a count that is not whole (a mean) gets Decimal's decimals.
func Count(x float64) string {
	if bad(x) {
		return Dash
	}
	a := math.Abs(x)
	switch {
	case a >= 1e8:
		return Decimal(x/1e8) + " 亿"
	case a >= 1e4:
		return trimZeros(strconv.FormatFloat(x/1e4, 'f', 2, 64)) + " 万"
	case x == math.Trunc(x):
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return Decimal(x)
}

// CountEn writes a count for an English reader: thousands separated by commas.
func CountEn(x float64) string {
	if bad(x) {
		return Dash
	}
	if x != math.Trunc(x) {
		return Decimal(x)
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', 0, 64)
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Percent writes a share 0–1 as a percentage: one decimal (12.3%), none at 0% and 100%
// exactly, two below 1% so a small share does not read as 0.0%.
func Percent(share float64) string {
	if bad(share) {
		return Dash
	}
	p := 100 * share
	switch {
	case p == 0 || p == 100:
		return strconv.FormatFloat(p, 'f', 0, 64) + "%"
	case math.Abs(p) < 1:
		return strconv.FormatFloat(p, 'f', 2, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// Points writes a difference of two shares in percentage points, unsigned, with one decimal:
// "2.1 个百分点".
func Points(diff float64) string {
	if bad(diff) {
		return Dash
	}
	return trimZeros(strconv.FormatFloat(math.Abs(100*diff), 'f', 1, 64)) + " 个百分点"
}

// decimalsOf is how many decimals Decimal shows for x (at most 2 for the sizes of 同比).
func decimalsOf(x float64) int {
	switch a := math.Abs(x); {
	case a >= 100:
		return 0
	case a >= 10:
		return 1
	}
	return 2
}

// DecimalLike writes x with the decimals Decimal gives ref, so a difference reads at the
// precision of the figures it is the difference of.
func DecimalLike(x, ref float64) string {
	if bad(x) {
		return Dash
	}
	s := trimZeros(strconv.FormatFloat(x, 'f', decimalsOf(ref), 64))
	if s == "-0" {
		s = "0"
	}
	return s
}

// Kind says how a figure compares across years.
type Kind int

const (
	KindCount Kind = iota // compared by the difference and the relative change: 增加 5 个（增长 12.5%）
	KindShare             // compared in percentage points: 上升 2.1 个百分点
	KindLevel             // a mean, rate or score: compared by the difference: 提高 0.35
)

// YoY is the 同比 phrase for this year's value against last year's: "同比增加 5 个（上年 40 个）",
// "同比上升 2.1 个百分点（上年 35.0%）", "与上年持平". unit follows counts and levels ("个", "次",
// "分"; "" for none). It is "" when last year has no value, so a caller can leave it out.
func YoY(cur, prev float64, kind Kind, unit string) string {
	if bad(cur) || bad(prev) {
		return ""
	}
	d := cur - prev
	var last string
	switch kind {
	case KindShare:
		last = Percent(prev)
	case KindCount:
		last = Count(prev) + unit
	default:
		last = Decimal(prev) + unit
	}
	ref := math.Max(math.Abs(cur), math.Abs(prev))
	same := false
	switch kind {
	case KindShare:
		same = Points(d) == "0 个百分点"
	case KindCount:
		same = DecimalLike(d, ref) == "0"
	default:
		same = DecimalLike(d, ref) == "0"
	}
	if same {
		return "与上年持平（上年 " + last + "）"
	}
	up := d > 0
	switch kind {
	case KindShare:
		return "同比" + pick(up, "上升 ", "下降 ") + Points(d) + "（上年 " + last + "）"
	case KindCount:
		s := "同比" + pick(up, "增加 ", "减少 ") + Count(math.Abs(d)) + unit
		if prev > 0 {
			s += "（上年 " + last + "，" + pick(up, "增长 ", "下降 ") + Percent(math.Abs(d)/prev) + "）"
		} else {
			s += "（上年 " + last + "）"
		}
		return s
	}
	return "同比" + pick(up, "提高 ", "降低 ") + DecimalLike(math.Abs(d), ref) + unit + "（上年 " + last + "）"
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

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
	return Unsigned(trimZeros(s))
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
		return Unsigned(strconv.FormatFloat(x, 'f', 0, 64))
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

// CellPercent writes a share 0–1 as a table cell does: always one decimal (0.944 as 94.4%, as
// the XLSX's number format shows it), so a column's figures line up; 0.0%, not -0.0%, for a
// share that rounds to zero.
func CellPercent(share float64) string {
	if bad(share) {
		return Dash
	}
	return Unsigned(strconv.FormatFloat(100*share, 'f', 1, 64) + "%")
}

// Unsigned drops the minus sign of a printed figure that reads as zero ("-0", "-0.00",
// "-0.0%"): a negative value too small for the figure's decimals is not a negative figure, and
// "-0.00%" would tell a reader there is a decrease the figure cannot show.
func Unsigned(s string) string {
	if rest, ok := strings.CutPrefix(s, "-"); ok && rest != "" && strings.Trim(strings.TrimSuffix(rest, "%"), "0.") == "" {
		return rest
	}
	return s
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Percent writes a share 0–1 as a percentage: one decimal (12.3%), none at 0% and ±100%
// exactly, two below 1% so a small share does not read as 0.0%. A share that rounds to zero
// at those decimals prints without a sign (0.00%, not -0.00%).
func Percent(share float64) string {
	if bad(share) {
		return Dash
	}
	p := 100 * share
	dec := 1
	switch {
	case p == 0 || math.Abs(p) == 100:
		dec = 0
	case math.Abs(p) < 1:
		dec = 2
	}
	return Unsigned(strconv.FormatFloat(p, 'f', dec, 64) + "%")
}

// shown is the value Decimal prints for x, read back: the figure a reader sees and works with.
func shown(x float64) float64 {
	v, _ := readBack(Decimal(x))
	return v
}

// readBack parses a printed figure (Decimal's or Percent's without "%") and counts its decimals.
func readBack(s string) (float64, int) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN(), 0
	}
	dec := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		dec = len(s) - i - 1
	}
	return v, dec
}

// printedDiff is a − b for two printed figures, written with the decimals of the more precise
// one (trailing zeros dropped, never "-0"): exactly what a reader gets subtracting them, since
// such a difference has no more decimals than its figures.
func printedDiff(a, b string) string {
	va, da := readBack(a)
	vb, db := readBack(b)
	if bad(va) || bad(vb) {
		return Dash
	}
	return Unsigned(trimZeros(strconv.FormatFloat(va-vb, 'f', max(da, db), 64)))
}

// DecimalDiff is a − b as a reader works it from Decimal(a) and Decimal(b): 29.96 and 28.54
// print as 30 and 28.5, so their difference reads 1.5, not the 1.4 of the raw values. It is
// Dash when either figure does not exist, as Decimal is.
func DecimalDiff(a, b float64) string {
	if bad(a) || bad(b) {
		return Dash
	}
	return printedDiff(Decimal(a), Decimal(b))
}

// shownCount is the whole count Count prints for n (1.23 万 reads 12300), read back.
func shownCount(n float64) float64 {
	s, scale := Count(n), 1.0
	if v, ok := strings.CutSuffix(s, " 亿"); ok {
		s, scale = v, 1e8
	} else if v, ok := strings.CutSuffix(s, " 万"); ok {
		s, scale = v, 1e4
	}
	v, _ := readBack(s)
	return math.Round(v * scale)
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
	// The change is worked from the figures as printed (this year's by the caller, with the
	// same formatter), so that a reader subtracting them gets the printed change.
	switch kind {
	case KindShare:
		last := Percent(prev)
		d := printedDiff(strings.TrimSuffix(Percent(cur), "%"), strings.TrimSuffix(last, "%"))
		return change(d, "上升 ", "下降 ", " 个百分点", last)
	case KindCount:
		last := Count(prev) + unit
		c, p := shownCount(cur), shownCount(prev)
		d := Count(math.Abs(c - p))
		if cur != math.Trunc(cur) || prev != math.Trunc(prev) {
			// A mean of counts, which Count writes as Decimal does.
			c, p = shown(cur), shown(prev)
			d = strings.TrimPrefix(DecimalDiff(cur, prev), "-")
		}
		if c == p {
			return change("0", "", "", "", last)
		}
		if p > 0 {
			last += "，" + pick(c > p, "增长 ", "下降 ") + Percent(math.Abs(c-p)/p)
		}
		return "同比" + pick(c > p, "增加 ", "减少 ") + d + unit + "（上年 " + last + "）"
	}
	return change(DecimalDiff(cur, prev), "提高 ", "降低 ", unit, Decimal(prev)+unit)
}

// change is the 同比 phrase of a printed signed difference d.
func change(d, up, down, unit, last string) string {
	if d == "0" {
		return "与上年持平（上年 " + last + "）"
	}
	mag, fell := strings.CutPrefix(d, "-")
	return "同比" + pick(fell, down, up) + mag + unit + "（上年 " + last + "）"
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

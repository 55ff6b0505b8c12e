package zhtext

import (
	"math"
	"reflect"
	"testing"
)

func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		name string
		got  string
		want string
	}{
		{"decimal big", Decimal(1234.56), "1235"},
		{"decimal tens", Decimal(14.901), "14.9"},
		{"decimal units", Decimal(2.484), "2.48"},
		{"decimal trailing zero", Decimal(2.5), "2.5"},
		{"decimal small", Decimal(0.0342), "0.034"},
		{"decimal tiny", Decimal(0.00004), "0"},
		{"decimal negative", Decimal(-0.25), "-0.25"},
		{"decimal nan", Decimal(math.NaN()), Dash},
		{"count small", Count(9999), "9999"},
		{"count wan", Count(12345), "1.23 万"},
		{"count wan whole", Count(30000), "3 万"},
		{"count yi", Count(2.5e8), "2.5 亿"},
		{"count mean", Count(3.456), "3.46"},
		{"count en", CountEn(1234567), "1,234,567"},
		{"percent", Percent(0.1234), "12.3%"},
		{"percent zero", Percent(0), "0%"},
		{"percent all", Percent(1), "100%"},
		{"percent small", Percent(0.004), "0.40%"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestYoY(t *testing.T) {
	for _, tt := range []struct {
		cur, prev float64
		kind      Kind
		unit      string
		want      string
	}{
		{45, 40, KindCount, " 个", "同比增加 5 个（上年 40 个，增长 12.5%）"},
		{30, 40, KindCount, " 次", "同比减少 10 次（上年 40 次，下降 25.0%）"},
		{3, 0, KindCount, " 个", "同比增加 3 个（上年 0 个）"},
		{0.371, 0.35, KindShare, "", "同比上升 2.1 个百分点（上年 35.0%）"},
		{0.35, 0.3502, KindShare, "", "与上年持平（上年 35.0%）"},
		{2.2, 2.484, KindLevel, "", "同比降低 0.28（上年 2.48）"},
		{1.197, 1.2, KindLevel, " 条", "与上年持平（上年 1.2 条）"},
		{28.55, 29.96, KindLevel, " 起", "同比降低 1.4 起（上年 30 起）"},
		// 29.96 and 28.54 print as 30 and 28.5: the change is theirs, 1.5, not the raw 1.42.
		{29.96, 28.54, KindLevel, " 起", "同比提高 1.5 起（上年 28.5 起）"},
		// 2.406 and 2.404 print as 2.41 and 2.4: not 持平, as the raw 0.002 would say.
		{2.406, 2.404, KindLevel, "", "同比提高 0.01（上年 2.4）"},
		{2.404, 2.406, KindLevel, "", "同比降低 0.01（上年 2.41）"},
		// 35.55% and 34.45% print as 35.5%/35.6% and 34.5%/34.4%: points of the printed shares.
		{0.3556, 0.3444, KindShare, "", "同比上升 1.2 个百分点（上年 34.4%）"},
		{0.004, 0.123, KindShare, "", "同比下降 11.9 个百分点（上年 12.3%）"},
		// Counts in 万 as printed: 1.23 万 against 1.1 万 is 1300 more (11.8%).
		{12345, 11000, KindCount, " 人", "同比增加 1300 人（上年 1.1 万 人，增长 11.8%）"},
		{2.5, 2.496, KindCount, " 次", "与上年持平（上年 2.5 次）"},
		{20.5, 9.87, KindCount, " 次", "同比增加 10.63 次（上年 9.87 次，增长 107.7%）"},
		{0.195, 0.1837, KindShare, "", "同比上升 1.1 个百分点（上年 18.4%）"},
		{88.5, 86, KindLevel, " 分", "同比提高 2.5 分（上年 86 分）"},
		{1, math.NaN(), KindCount, "", ""},
	} {
		if got := YoY(tt.cur, tt.prev, tt.kind, tt.unit); got != tt.want {
			t.Errorf("YoY(%v, %v): %q, want %q", tt.cur, tt.prev, got, tt.want)
		}
	}
}

func TestDecimalDiff(t *testing.T) {
	for _, tt := range []struct {
		a, b float64
		want string
	}{
		{29.96, 28.54, "1.5"},    // 30 − 28.5
		{28.54, 29.96, "-1.5"},   // the sign is a − b's
		{2.2, 2.484, "-0.28"},    // 2.2 − 2.48, at the finer figure's decimals
		{105.4, 99.6, "5.4"},     // 105 − 99.6
		{0.523, 0.5012, "0.02"},  // 0.52 − 0.5
		{0.0342, 0.031, "0.003"}, // 0.034 − 0.031
		{88.5, 86, "2.5"},
		{30.04, 29.96, "0"},      // both print as 30
		{-0.00001, 0.00001, "0"}, // both print as 0: no "-0"
		{math.Copysign(0, -1), 0, "0"},
		{1.197, 1.2, "0"}, // 1.2 − 1.2, not "-0"
		{-2.5, 1.25, "-3.75"},
		{math.NaN(), 1, Dash},
		{1, math.NaN(), Dash},
		{math.Inf(1), 1, Dash},
	} {
		if got := DecimalDiff(tt.a, tt.b); got != tt.want {
			t.Errorf("DecimalDiff(%v, %v) = %q, want %q (Decimal prints %s and %s)", tt.a, tt.b, got, tt.want, Decimal(tt.a), Decimal(tt.b))
		}
	}
}

func TestCheck(t *testing.T) {
	text := "共有 12 个党小组未按月开会。。其中 3 个连续两次，。全年党小组会共 3,392 次。\n" +
		"共有 12 个党小组未按月开会。短句。短句。说明（）。"
	got := Check(text)
	want := []Problem{
		{"punctuation", "党小组未按月开会。。"},
		{"punctuation", " 3 个连续两次，。"},
		{"punctuation", "短句。短句。说明（）"},
		{"repeated", "共有 12 个党小组未按月开会。"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check:\n%q\nwant\n%q", got, want)
	}
	if p := Check("各党小组均坚持按月开会。考评优秀占比 12.3%（上年 10.0%）。"); len(p) != 0 {
		t.Errorf("clean text: %q", p)
	}
}

// A figure that rounds to zero at its formatter's decimals carries no sign: "-0.00%" would
// read as a decrease the figure cannot show. A negative figure that shows a digit keeps it.
func TestNoNegativeZero(t *testing.T) {
	negZero := math.Copysign(0, -1)
	for _, tt := range []struct {
		name string
		got  string
		want string
	}{
		{"percent -0.00004", Percent(-0.00004), "0.00%"},
		{"percent -0.0000499", Percent(-0.0000499), "0.00%"},
		{"percent -0.00006", Percent(-0.00006), "-0.01%"},
		{"percent -0.0004", Percent(-0.0004), "-0.04%"},
		{"percent -0.005", Percent(-0.005), "-0.50%"},
		{"percent -0.012", Percent(-0.012), "-1.2%"},
		{"percent 0.00004", Percent(0.00004), "0.00%"},
		{"percent -0", Percent(negZero), "0%"},
		{"percent 0", Percent(0), "0%"},
		{"percent 1", Percent(1), "100%"},
		{"percent -1", Percent(-1), "-100%"},
		{"cell percent -0.0004", CellPercent(-0.0004), "0.0%"},
		{"cell percent -0", CellPercent(negZero), "0.0%"},
		{"cell percent -0.012", CellPercent(-0.012), "-1.2%"},
		{"cell percent 0.944", CellPercent(0.944), "94.4%"},
		{"cell percent NaN", CellPercent(math.NaN()), Dash},
		{"decimal -0.00004", Decimal(-0.00004), "0"},
		{"decimal -0", Decimal(negZero), "0"},
		{"decimal -0.005", Decimal(-0.005), "-0.005"},
		{"decimal -0.012", Decimal(-0.012), "-0.012"},
		{"decimal -99.96", Decimal(-99.96), "-100"},
		{"count -0", Count(negZero), "0"},
		{"count -3", Count(-3), "-3"},
		{"count -0.00004", Count(-0.00004), "0"},
		{"count en -0", CountEn(negZero), "0"},
		{"count en -1234", CountEn(-1234), "-1,234"},
		{"diff -0.00004 0", DecimalDiff(-0.00004, 0), "0"},
		{"diff -0 0", DecimalDiff(negZero, 0), "0"},
		{"diff 0 0.012", DecimalDiff(0, 0.012), "-0.012"},
		{"yoy share -0", YoY(negZero, 0, KindShare, ""), "与上年持平（上年 0%）"},
		{"yoy share -0.00004", YoY(-0.00004, 0.00004, KindShare, ""), "与上年持平（上年 0.00%）"},
		{"yoy level -0.00004", YoY(-0.00004, 0, KindLevel, ""), "与上年持平（上年 0）"},
		{"yoy count -0", YoY(negZero, 0, KindCount, " 个"), "与上年持平（上年 0 个）"},
		{"unsigned -0.0%", Unsigned("-0.0%"), "0.0%"},
		{"unsigned -10", Unsigned("-10"), "-10"},
		{"unsigned -0.05", Unsigned("-0.05"), "-0.05"},
		{"unsigned -", Unsigned("-"), "-"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

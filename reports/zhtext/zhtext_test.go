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
		{"points", Points(-0.021), "2.1 个百分点"},
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
		{0.195, 0.1837, KindShare, "", "同比上升 1.1 个百分点（上年 18.4%）"},
		{88.5, 86, KindLevel, " 分", "同比提高 2.5 分（上年 86 分）"},
		{1, math.NaN(), KindCount, "", ""},
	} {
		if got := YoY(tt.cur, tt.prev, tt.kind, tt.unit); got != tt.want {
			t.Errorf("YoY(%v, %v): %q, want %q", tt.cur, tt.prev, got, tt.want)
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

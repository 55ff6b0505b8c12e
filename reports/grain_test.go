package reports

import (
	"strings"
	"testing"
)

// The sentences about the analysis name the grain the analysis used (--period), never a fixed
// 半年 or a vague 一个期间: the scatter plots' titles and the way to read them, the note on
// what the fixed effects compare, and the annual write-up's 测算方法.
func TestAnalysisSentencesNameTheGrain(t *testing.T) {
	cases := []struct {
		period       string
		lang         Lang
		eval, annual []string // in the evaluation's and the annual write-up's Markdown
		never        []string
	}{
		{"half", "zh", []string{"（滞后 1 个半年）", "每个点是一个党小组在一个半年的值", "并用本半年的活动对应下一个半年的成效"},
			[]string{"并用本半年的活动对应下一个半年的成效"}, []string{"一个期间", "下半年的成效"}},
		{"month", "zh", []string{"（滞后 1 个月）", "每个点是一个党小组在一个月的值", "并用本月的活动对应下一个月的成效"},
			[]string{"并用本月的活动对应下一个月的成效"}, []string{"一个期间", "半年的活动", "个半年", "一个半年"}},
		{"year", "zh", []string{"（滞后 1 年）", "每个点是一个党小组在一年的值", "并用本年的活动对应下一年的成效"},
			[]string{"并用本年的活动对应下一年的成效"}, []string{"一个期间", "半年的活动", "个半年"}},
		{"quarter", "en", []string{"(1 quarter lag)", "Each point is one group in one quarter;", "relate this quarter's activity to the next quarter's results"},
			[]string{"with this quarter's activity against the next quarter's results"}, []string{"one period", "half's", "half-year lag", "one half-year"}},
	}
	for _, c := range cases {
		t.Run(c.period+"-"+string(c.lang), func(t *testing.T) {
			ev := fixtureEvaluation()
			ev.Scope.Period = c.period
			an := fixtureAnnual()
			an.Scope.Period = c.period
			md := map[string]string{"evaluation": plainMD(renderMD(t, BuildEvaluation(ev, c.lang))), "annual": plainMD(renderMD(t, BuildAnnual(an, c.lang)))}
			for kind, wants := range map[string][]string{"evaluation": c.eval, "annual": c.annual} {
				for _, w := range wants {
					if !strings.Contains(md[kind], w) {
						t.Errorf("%s lacks %q", kind, w)
					}
				}
				for _, n := range c.never {
					if i := strings.Index(md[kind], n); i >= 0 {
						t.Errorf("%s says %q: …%s…", kind, n, md[kind][max(0, i-120):min(len(md[kind]), i+120)])
					}
				}
			}
		})
	}
}

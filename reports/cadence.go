package reports

import (
	"fmt"

	"github.com/mingdeng/mingdeng/queries"
)

// meetingRule is the group-meeting rule of mingdeng.yaml as the write-ups state it. The
// month-by-month figures (group_compliance) always ask whether a group met at least once in a
// month; when the configuration's rule is another (every quarter, twice a month, none at all)
// the text must not present those figures as the rule, so Monthly says whether they are it.
type meetingRule struct {
	Monthly bool   // the rule is at least one group meeting a month (the default)
	Words   string // the configured rule, e.g. 每季度至少召开 2 次党小组会; "" when none is set
}

// groupMeetingRule reads the group_meeting cadence from cads (nil: the defaults).
func groupMeetingRule(cads []queries.Cadence, lang Lang) meetingRule {
	if cads == nil {
		cads = queries.DefaultConfig().Cadences
	}
	for _, c := range cads {
		if c.Kind != "group_meeting" {
			continue
		}
		every := map[string][2]string{"month": {"每月", "a month"}, "quarter": {"每季度", "a quarter"}, "half": {"每半年", "every half year"}, "year": {"每年", "a year"}}[c.Every]
		var words string
		if lang == "en" {
			words = fmt.Sprintf("at least %d group meeting%s %s", c.Min, map[bool]string{true: "", false: "s"}[c.Min == 1], every[1])
		} else {
			n := fmt.Sprintf(" %d 次", c.Min)
			if c.Min == 1 {
				n = "一次"
			}
			words = every[0] + "至少召开" + n + "党小组会"
		}
		return meetingRule{Monthly: c.Every == "month" && c.Min == 1, Words: words}
	}
	return meetingRule{}
}

// configured is the sentence that says the rule in force differs from the month-by-month check,
// and where the check against it is; "" when the rule is the monthly one.
func (r meetingRule) configured(lang Lang) string {
	switch {
	case r.Monthly:
		return ""
	case r.Words == "":
		return t(lang, "mingdeng.yaml 未规定党小组会的频次，逐月统计只反映每月是否召开，不据此认定未达标。",
			" mingdeng.yaml sets no rule for group meetings, so the month-by-month count only shows whether a group met in a month and finds no breach from it.")
	}
	return fmt.Sprintf(t(lang, "mingdeng.yaml 规定%s，逐月统计只反映每月是否召开，不等于按这一规定的核对（按规定频次的核对结果用 mingdeng query cadence_compliance 查看）。",
		" mingdeng.yaml sets the rule as %s; the month-by-month count only shows whether a group met in a month and is not a check against that rule (mingdeng query cadence_compliance gives that check)."), r.Words)
}

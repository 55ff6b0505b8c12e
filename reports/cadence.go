package reports

import (
	"fmt"

	"github.com/mingdeng/mingdeng/queries"
)

// meetingRule is the group-meeting cadence that group_compliance checked, as its every and
// min_per_slot columns give it. The rule is read from mingdeng.yaml in queries; the reports
// draw its slots and state it in words, and never choose or re-derive it.
type meetingRule struct {
	Every string // month, quarter, half or year; "" when mingdeng.yaml sets no group-meeting cadence
	Min   int    // group meetings required in each slot
}

// meetingRuleOf reads the rule from a group_compliance table (or its folded form); the zero
// rule when the table has none.
func meetingRuleOf(tb *queries.Table) meetingRule {
	if tb == nil {
		return meetingRule{}
	}
	ei, mi := colIndex(tb, "every"), colIndex(tb, "min_per_slot")
	if ei < 0 || mi < 0 {
		return meetingRule{}
	}
	for _, row := range tb.Rows {
		if row[ei] != nil {
			return meetingRule{Every: FormatValue(row[ei]), Min: int(queries.Number(row[mi]))}
		}
	}
	return meetingRule{}
}

// Set says whether a rule was checked.
func (r meetingRule) Set() bool { return r.Every != "" }

var slotWords = map[string][3]string{ // the slot's noun in zh, "每…" in zh, the noun in en
	"month": {"月", "每月", "month"}, "quarter": {"季度", "每季度", "quarter"},
	"half": {"半年", "每半年", "half-year"}, "year": {"年", "每年", "year"},
}

// slot is the rule's slot as a noun: 月, 季度, 半年, 年 / month, quarter, half-year, year.
func (r meetingRule) slot(lang Lang) string {
	w := slotWords[r.Every]
	return t(lang, w[0], w[2])
}

// per is 每月, 每季度 … / "a month", "a quarter" ….
func (r meetingRule) per(lang Lang) string {
	w := slotWords[r.Every]
	return t(lang, w[1], "a "+w[2])
}

// count is the required number of meetings in words: 一次 / 2 次; one / 2.
func (r meetingRule) count(lang Lang) string {
	if r.Min == 1 {
		return t(lang, "一次", "one")
	}
	return fmt.Sprintf(t(lang, " %d 次", "%d"), r.Min)
}

// words is the rule as a sentence part: 每季度至少召开 2 次党小组会 / at least 2 group meetings a quarter.
func (r meetingRule) words(lang Lang) string {
	if lang == "en" {
		s := "s"
		if r.Min == 1 {
			s = ""
		}
		return fmt.Sprintf("at least %s group meeting%s %s", r.count(lang), s, r.per(lang))
	}
	return r.per(lang) + "至少召开" + r.count(lang) + "党小组会"
}

// noMeetingRule is the sentence for a configuration without a group-meeting cadence.
func noMeetingRule(lang Lang) string {
	return t(lang, "mingdeng.yaml 未规定党小组会的频次，本报告不核对党小组会是否按规定召开。",
		"mingdeng.yaml sets no cadence for group meetings, so this report does not check whether groups met as required.")
}

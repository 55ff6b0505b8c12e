package reports

import (
	"fmt"

	"github.com/mingdeng/mingdeng/queries"
)

// readColumns are the columns the report builders read from each named query's result. The
// builders look columns up by name and leave a part out when its data is absent; a result
// that lacks one of these columns is therefore a mistake (a renamed or misspelt column), and
// CheckColumns turns it into an error instead of a section that silently disappears. Columns
// read only when present (unit_name, audience_zh, …) are not listed.
var readColumns = map[string][]string{
	"group_compliance": {"unit_id", "group_id", "group_name", "period", "every", "min_per_slot", "slots_required", "slots_met", "compliance", "meetings_held"},
	"group_activity": {"unit_id", "branch_id", "group_id", "group_name", "period", "meetings_held", "monthly_compliance",
		"critique_per_meeting", "problems_resolved_per_meeting", "resolution_rate", "production_linked_share",
		"study_only_share", "attendance_rate", "demo_days_held", "model_posts_held"},
	"group_outcomes": {"unit_id", "group_id", "group_name", "period", "patrol_km_per_head", "defects_per_100km",
		"violations_per_100_staff", "timely_elimination_share"},
	"outcome_trends":   {"period", "patrol_km_per_head", "defects_per_100km", "violations_per_100_staff", "near_misses"},
	"unit_surveys":     {"unit_id", "dimension", "score", "respondents"},
	"member_counts":    {"unit_id", "awards"},
	"annual_practices": {"practice", "n"},
}

// CheckColumns returns an error naming the columns the report builders read from query's
// result that tb lacks; nil for a query they do not read by name, or a nil table.
func CheckColumns(query string, tb *queries.Table) error {
	names, ok := readColumns[query]
	if !ok || tb == nil {
		return nil
	}
	if _, err := tb.Cols(names...); err != nil {
		return fmt.Errorf("%s: %w", query, err)
	}
	return nil
}

package queries

import "github.com/mingdeng/mingdeng/datasets"

// The unit of each metric of docs/metrics.md and the change a reader thinks in, so an effect is
// stated per a change that means something: a share per 10 percentage points, a count per one,
// a score per point — never "per unit" of a share that runs 0–1.

// UnitKind is how a metric is measured.
type UnitKind int

const (
	UnitCount  UnitKind = iota // a count or a mean count (meetings, items per meeting, events)
	UnitShare                  // a share 0–1, shown as a percentage
	UnitRate                   // a count per a base (per 100 staff, per 100 km, km per head)
	UnitScore                  // points on a 0–100 scale
	UnitDays                   // days
	UnitBinary                 // 0/1: a state compared with its absence
)

// MetricUnit is a metric's unit and its meaningful step.
type MetricUnit struct {
	Kind UnitKind
	// Unit follows a number of the metric: "次", "起/百人", "分"; for shares the number is a
	// percentage and a difference is in 个百分点.
	Unit datasets.Text
	// Step is the change an effect is stated per: 0.1 (10 percentage points) for shares, 1
	// otherwise.
	Step float64
	// Per names that change, to be followed by the metric's name: "每提高 10 个百分点" reads
	// "结合中心工作的会议占比每提高 10 个百分点".
	Per datasets.Text
}

var (
	perShare  = datasets.T("每提高 10 个百分点", "each 10 percentage points more of")
	perPoint  = datasets.T("每提高 1 分", "each point more of")
	perBinary = datasets.T("（与否相比）", "(against not)")
)

func count(zh, en string) MetricUnit {
	return MetricUnit{Kind: UnitCount, Unit: datasets.T(zh, en), Step: 1, Per: datasets.T("每多 1 "+zh, "each one more "+en+" of")}
}

func share() MetricUnit { return MetricUnit{Kind: UnitShare, Step: 0.1, Per: perShare} }

func rate(zh, en string) MetricUnit {
	return MetricUnit{Kind: UnitRate, Unit: datasets.T(zh, en), Step: 1, Per: datasets.T("每高 1 "+zh, "each one more ("+en+") of")}
}

var metricUnits = map[string]MetricUnit{
	"meetings_held":                 count("次", "meeting"),
	"monthly_compliance":            share(),
	"compliance":                    share(), // cadence_compliance, group_compliance: slots met ÷ slots required
	"attendance_rate":               share(),
	"critique_per_meeting":          count("条", "item"),
	"problems_raised_per_meeting":   count("个", "problem"),
	"problems_resolved_per_meeting": count("个", "problem"),
	"resolution_rate":               share(),
	"production_linked_share":       share(),
	"study_only_share":              share(),
	"model_posts_held":              count("个", "post"),
	"group_formed":                  {Kind: UnitBinary, Step: 1, Per: perBinary},
	"model_post_awarded":            share(),
	"demo_days_held":                count("次", "day"),
	"leader_trained":                {Kind: UnitBinary, Step: 1, Per: perBinary},
	"patrol_km_per_head":            rate("公里/人", "km per head"),
	"planned_completion":            share(),
	"defects_per_100km":             rate("个/百公里", "per 100 km"),
	"timely_elimination_share":      share(),
	"violations_per_100_staff":      rate("起/百人", "per 100 staff"),
	"near_misses":                   count("起", "event"),
	"responsible_incidents":         count("起", "event"),
	"longest_safe_run":              {Kind: UnitDays, Unit: datasets.T("天", "days"), Step: 1, Per: datasets.T("每多 1 天", "each day more of")},
	"employee_satisfaction":         {Kind: UnitScore, Unit: datasets.T("分", "points"), Step: 1, Per: perPoint},
	"customer_satisfaction":         {Kind: UnitScore, Unit: datasets.T("分", "points"), Step: 1, Per: perPoint},
	"assessment_score":              {Kind: UnitScore, Unit: datasets.T("分", "points"), Step: 1, Per: perPoint},
	ModelGroup:                      {Kind: UnitBinary, Step: 1, Per: perBinary},
}

// UnitOf is the metric's unit; an unknown metric is a count of one.
func UnitOf(metric string) MetricUnit {
	if u, ok := metricUnits[metric]; ok {
		return u
	}
	return MetricUnit{Kind: UnitCount, Step: 1, Per: datasets.T("每多 1 个单位", "each unit more of")}
}

// Scale is the factor that turns a difference in this metric into the units a reader sees:
// 100 for shares (percentage points), 1 otherwise.
func (u MetricUnit) Scale() float64 {
	if u.Kind == UnitShare {
		return 100
	}
	return 1
}

// DiffUnit is the unit of a difference in this metric: 个百分点 for shares, else Unit.
func (u MetricUnit) DiffUnit(lang datasets.Lang) string {
	if u.Kind == UnitShare {
		return datasets.T("个百分点", "percentage points").In(lang)
	}
	return u.Unit.In(lang)
}

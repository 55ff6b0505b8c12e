package queries

import (
	"fmt"

	"github.com/mingdeng/mingdeng/datasets"
)

// Reader-facing names of the metrics (docs/metrics.md) and statistical methods, shared by the
// CLI tables and the reports so a metric reads the same everywhere.

// metricLabels are the reader-facing names of the metrics of docs/metrics.md.
var metricLabels = map[string]datasets.Text{
	"meetings_held":                 datasets.T("党小组会次数", "group meetings held"),
	"monthly_compliance":            datasets.T("按月开会达标率", "monthly meeting compliance"),
	"attendance_rate":               datasets.T("到会率", "attendance rate"),
	"critique_per_meeting":          datasets.T("每次会议批评意见数", "critique items per meeting"),
	"problems_raised_per_meeting":   datasets.T("每次会议提出问题数", "problems raised per meeting"),
	"problems_resolved_per_meeting": datasets.T("每次会议解决问题数", "problems resolved per meeting"),
	"resolution_rate":               datasets.T("问题解决率", "problem resolution rate"),
	"production_linked_share":       datasets.T("结合中心工作的会议占比", "share of meetings linked to production"),
	"study_only_share":              datasets.T("仅学习无议题的会议占比", "share of study-only meetings"),
	"model_posts_held":              datasets.T("示范岗数", "model posts held"),
	"group_formed":                  datasets.T("新组建党小组", "new party group formed"),
	"model_group":                   datasets.T("评为示范党小组", "named a model group"),
	"model_post_awarded":            datasets.T("设立示范岗", "model post awarded"),
	"demo_days_held":                datasets.T("示范日次数", "demonstration days held"),
	"leader_trained":                datasets.T("党小组长参加培训", "group leader trained"),
	"patrol_km_per_head":            datasets.T("人均巡视公里数", "patrol km per head"),
	"planned_completion":            datasets.T("计划巡视完成率", "planned patrols completed"),
	"defects_per_100km":             datasets.T("百公里发现缺陷数", "defects found per 100 km"),
	"timely_elimination_share":      datasets.T("缺陷及时消除率", "defects eliminated in time"),
	"violations_per_100_staff":      datasets.T("百人违章数", "violations per 100 staff"),
	"near_misses":                   datasets.T("未遂事件数", "near misses"),
	"responsible_incidents":         datasets.T("责任性障碍和事故数", "responsible obstacles and accidents"),
	"longest_safe_run":              datasets.T("最长连续安全天数", "longest safe run (days)"),
	"employee_satisfaction":         datasets.T("职工满意度", "employee satisfaction"),
	"customer_satisfaction":         datasets.T("客户满意度", "customer satisfaction"),
	"assessment_score":              datasets.T("考评得分", "assessment score"),
}

// MetricLabel is the reader-facing name of a metric; unknown names are shown as they are.
func MetricLabel(name string, lang datasets.Lang) string {
	if l, ok := metricLabels[name]; ok {
		return l.In(lang)
	}
	return name
}

// RegressorLabel is what a reader calls activity metric a lagged l periods behind the outcome,
// in Chinese and English: "党小组长参加培训（滞后 1 期）", "group leader trained (lag 1)"; the
// metric's label alone at lag 0.
func RegressorLabel(a string, l int) (zh, en string) {
	zh, en = MetricLabel(a, datasets.Zh), MetricLabel(a, datasets.En)
	if l > 0 {
		zh += fmt.Sprintf("（滞后 %d 期）", l)
		en += fmt.Sprintf(" (lag %d)", l)
	}
	return zh, en
}

// methodLabels name the statistical methods of queries/stats in plain words.
var methodLabels = map[string]datasets.Text{
	"pearson":        datasets.T("皮尔逊相关", "Pearson correlation"),
	"spearman":       datasets.T("斯皮尔曼等级相关", "Spearman rank correlation"),
	"panel_fe":       datasets.T("双向固定效应面板回归", "two-way fixed-effect panel regression"),
	"welch_t":        datasets.T("韦尔奇 t 检验", "Welch's t-test"),
	"mann_whitney_u": datasets.T("曼-惠特尼 U 检验", "Mann–Whitney U test"),
	"hedges_g":       datasets.T("Hedges g 效应量", "Hedges' g"),
	"did_twfe":       datasets.T("双重差分（对照组比较）", "difference in differences (against a control group)"),
	"did_pretrend":   datasets.T("双重差分前趋势检验", "pre-trend check"),
	"gini":           datasets.T("基尼系数", "Gini coefficient"),
	"top10_share":    datasets.T("前 10% 人员所占份额", "share held by the top 10%"),
	"gini_vs_chance": datasets.T("基尼系数高出随机分配的部分", "Gini above random allocation"),
}

// MethodLabel is the plain name of a statistical method.
func MethodLabel(name string, lang datasets.Lang) string {
	if l, ok := methodLabels[name]; ok {
		return l.In(lang)
	}
	return name
}

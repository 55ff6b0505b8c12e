package queries

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

// A MetricView is a named metric query (docs/metrics.md) offered as a view, so an analyst can
// read group × month measures with a plain SELECT in serve's workbench or `mingdeng sql`
// instead of calling the query with parameters. The view is the query at month grain over the whole years holding
// records, every unit, under the configuration in force: what `mingdeng query NAME --period
// month` prints.
type MetricView struct {
	Name        string // the view's name
	Query       string // the named query behind it
	Label       datasets.Text
	Description datasets.Text
}

// MetricViews are the views serve and `mingdeng sql` define (temporary, on each connection; see
// MetricViewStatements). Each reads only aggregates per party group: no person is shown, and
// survey cells under 5 respondents stay suppressed as in the query.
var MetricViews = []MetricView{
	{Name: "metric_group_activity", Query: "group_activity",
		Label: datasets.T("党小组活动指标（按党小组和月份）", "Party-group activity by group and month"),
		Description: datasets.T("每个党小组每月的党小组会次数、按月开会达标率、到会率、批评意见、提出和解决问题、结合中心工作和仅学习的会议占比、示范岗、示范日、组长培训（period 为月份，如 2024-03）。",
			"Each party group's month: meetings held, monthly compliance, attendance, critique, problems raised and resolved, production-linked and study-only shares, model posts, demonstration days, leader training (period is the month, e.g. 2024-03).")},
	{Name: "metric_group_outcomes", Query: "group_outcomes",
		Label: datasets.T("党小组生产成效（按党小组和月份）", "Production outcomes by group and month"),
		Description: datasets.T("经当日有效的党小组—班组对应关系归集到党小组的每月成效：人均巡视公里数、计划巡视完成率、百公里缺陷数、缺陷及时消除率、百人违章数、未遂、责任性障碍和事故、最长连续安全天数；staff 为人·期分母。",
			"Each group's month of outcomes through the group–team mapping in force on each date: patrol km per head, planned completion, defects per 100 km, timely elimination, violations per 100 staff, near misses, responsible incidents, longest safe run; staff is the person-period denominator.")},
	{Name: "metric_cadence_compliance", Query: "cadence_compliance",
		Label: datasets.T("组织生活按期开展（按党小组、月份和会议类型）", "Cadence compliance by group, month and kind"),
		Description: datasets.T("每个党小组每月、每种组织生活的应开期数、达标期数、达标率和召开次数；按季、按年的频次出现在该季、该年的最后一个月；无记录的时段不计入应开期数。",
			"Per group, month and kind of organisational life: slots required, slots met, compliance and meetings held; quarterly and yearly cadences appear in the last month of their quarter or year; slots without records are not required.")},
	{Name: "metric_group_surveys", Query: "group_surveys",
		Label: datasets.T("满意度（按党小组、半年、对象和维度）", "Satisfaction by group, half, audience and dimension"),
		Description: datasets.T("职工和客户满意度 0–100 分，只按整个半年计算（period 为半年，如 2024H1）；答卷少于 5 份的单元格不显示分数（suppressed 说明原因）。",
			"Employee and customer satisfaction, 0–100 points, over whole halves only (period is the half, e.g. 2024H1); cells with fewer than 5 respondents show no score (suppressed says why).")},
}

// MetricViewNames are the names of MetricViews, for the web guard's allow-list.
func MetricViewNames() []string {
	names := make([]string, len(MetricViews))
	for i, v := range MetricViews {
		names[i] = v.Name
	}
	return names
}

// MetricViewStatements are the CREATE TEMP VIEW statements of MetricViews under cfg (nil: the
// defaults). A view cannot hold bound parameters, so each query's parameters are written into
// its text as literals; the values are the fixed month grain, empty dates and unit, and the
// validated configuration's numbers and codes, never text from a request.
func MetricViewStatements(cfg *Config) ([]string, error) {
	reg, err := Default()
	if err != nil {
		return nil, err
	}
	p := Params{Period: "month", Config: cfg}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out []string
	for _, v := range MetricViews {
		q, err := reg.Get(v.Query)
		if err != nil {
			return nil, err
		}
		args, err := p.args(q)
		if err != nil {
			return nil, err
		}
		body, err := inlineParams(q.SQL, args)
		if err != nil {
			return nil, fmt.Errorf("view %s: %w", v.Name, err)
		}
		out = append(out, "CREATE OR REPLACE TEMP VIEW "+v.Name+" AS\n"+body)
	}
	return out, nil
}

// inlineParams replaces each $name of text by its value as a SQL literal.
func inlineParams(text string, args []any) (string, error) {
	lit := map[string]string{}
	for _, a := range args {
		na := a.(sql.NamedArg)
		switch v := na.Value.(type) {
		case nil:
			lit[na.Name] = "NULL"
		case string:
			lit[na.Name] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case int:
			lit[na.Name] = strconv.Itoa(v)
		case float64:
			lit[na.Name] = strconv.FormatFloat(v, 'g', -1, 64)
		default:
			return "", fmt.Errorf("parameter $%s: no literal for %T", na.Name, v)
		}
	}
	var missing []string
	out := paramRe.ReplaceAllStringFunc(text, func(m string) string {
		if l, ok := lit[m[1:]]; ok {
			return l
		}
		missing = append(missing, m)
		return m
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("no value for %s", strings.Join(missing, ", "))
	}
	return out, nil
}

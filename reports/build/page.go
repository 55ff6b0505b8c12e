package build

import (
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/web"
)

// WebReports are the reports serve lists on its index page.
var WebReports = []web.ReportInfo{
	{Name: string(Evaluation), Title: datasets.T("党建成效评估报告", "Evaluation of party-building effectiveness"),
		Description: datasets.T("党小组活动与安全生产成效的关系：合规、会议质量、考评、统计检验。", "How party-group activity relates to safety and production: compliance, meeting quality, assessments, statistical tests.")},
	{Name: string(Annual), Title: datasets.T("年度调研课题报告", "Annual research-topic write-up"),
		Description: datasets.T("存在的主要问题、主要做法、初步成效、下一步建议，均由数据生成。", "Main problems, practices, early results and next steps, filled from the data.")},
}

// FromValues is the request a report page's query string makes: unit and group (a name or
// a code, as the CLI's --unit and --group), period, year, from and to (YYYY-MM-DD). A bad
// value is a *RequestError naming the parameter.
func FromValues(kind string, v url.Values) (Request, error) {
	req := Request{Kind: Kind(kind), Unit: strings.TrimSpace(v.Get("unit")), Group: strings.TrimSpace(v.Get("group")), Period: v.Get("period")}
	var err error
	if req.From, err = day(v.Get("from"), "from"); err != nil {
		return req, err
	}
	if req.To, err = day(v.Get("to"), "to"); err != nil {
		return req, err
	}
	if s := v.Get("year"); s != "" {
		if req.Year, err = strconv.Atoi(s); err != nil || req.Year < 2000 || req.Year > 2100 {
			return req, requestErrorf("year %q：应为 2000 至 2100 之间的年份", "year %q: expected a year from 2000 to 2100", s)
		}
	}
	return req, nil
}

func day(s, name string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return d, requestErrorf("%s %q：日期格式应为 YYYY-MM-DD", "%s %q: expected a date YYYY-MM-DD", name, s)
	}
	return d, nil
}

// Page builds the report kind with the query string's request under the rules cfg and renders
// it as one self-contained HTML page: what serve's report pages show.
func Page(ctx context.Context, w *warehouse.Warehouse, kind string, v url.Values, lang datasets.Lang, cfg *queries.Config) ([]byte, error) {
	req, err := FromValues(kind, v)
	if err != nil {
		return nil, err
	}
	req.Lang, req.Config = lang, cfg
	res, err := Build(ctx, w, req)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := reports.WriteHTML(&buf, res.Report); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

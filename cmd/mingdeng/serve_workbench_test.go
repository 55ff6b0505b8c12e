package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// call sends a JSON body (nil: none) with method to base+path and decodes a JSON reply.
func call(t *testing.T, method, base, path string, body any, mutate func(*http.Request)) apiResult {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if mutate != nil {
		mutate(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := apiResult{status: resp.StatusCode, raw: raw, header: resp.Header}
	json.Unmarshal(raw, &r.body)
	return r
}

func getPage(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

// The workbench's schema browser names every readable table's columns from the contracts and
// lists the metric views, in Chinese and in English; the person-level tables are named as
// closed. The metric views answer web queries; the person-level tables still do not.
func TestServeWorkbenchSchemaAndMetricViews(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 10*time.Second)
	zh := getPage(t, base+"/")
	for _, want := range []string{
		"表和列", "<code>metric_group_activity</code> 党小组活动指标（按党小组和月份）", "指标视图",
		"<code>meetings_held</code></td><td>党小组会次数", // a metric view's column by its metric name
		"<code>meetings</code> 组织生活记录", "<code>held_on</code></td><td>会议日期",
		"group_meeting 党小组会", // enum codes with labels, for WHERE
		"people（人员）", "以下个人层面的表不能在网页查询",
		`data-sql="SELECT * FROM metric_group_outcomes LIMIT 100"`,
	} {
		if !strings.Contains(zh, want) {
			t.Errorf("the Chinese page lacks %q", want)
		}
	}
	en := getPage(t, base+"/?lang=en")
	for _, want := range []string{"Tables and columns", "Party-group activity by group and month", "<code>held_on</code></td><td>Held on", "people (People)"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
	for _, v := range []string{"metric_group_activity", "metric_group_outcomes", "metric_cadence_compliance", "metric_group_surveys"} {
		r := post(t, base, "/api/query", "select * from "+v+" limit 5", nil)
		if r.status != 200 {
			t.Errorf("%s: %d %s", v, r.status, r.raw)
		}
	}
	r := post(t, base, "/api/query", "select a.*, p.name from metric_group_activity a join people p on true", nil)
	if r.status != http.StatusUnprocessableEntity || r.body["reason"] != "forbidden_table" {
		t.Errorf("people beside a view: %d %s", r.status, r.raw)
	}
}

// Saved queries: saved from the page into the folder beside the warehouse, listed, replaced
// only when asked, deleted; names that are not one plain file name are refused and nothing is
// written outside the folder; another site cannot save or delete.
func TestServeSavedQueries(t *testing.T) {
	base, _, db := servedWarehouseDB(t, "127.0.0.1:0", 10*time.Second)
	dir := db + ".queries"
	const name = "各单位班组数（2024）"
	const q = "select unit_id, count(*) as n from teams group by 1"
	r := call(t, "POST", base, "/api/saved", map[string]any{"name": name, "sql": q}, nil)
	if r.status != 200 {
		t.Fatalf("save: %d %s", r.status, r.raw)
	}
	if b, err := os.ReadFile(filepath.Join(dir, name+".sql")); err != nil || string(b) != q {
		t.Fatalf("the saved file: %q %v", b, err)
	}
	list := func() []any {
		r := call(t, "GET", base, "/api/saved", nil, nil)
		if r.status != 200 {
			t.Fatalf("list: %d %s", r.status, r.raw)
		}
		return r.body["queries"].([]any)
	}
	if l := list(); len(l) != 1 || l[0].(map[string]any)["name"] != name || l[0].(map[string]any)["sql"] != q {
		t.Fatalf("list: %v", l)
	}
	r = call(t, "POST", base, "/api/saved", map[string]any{"name": name, "sql": "select 2"}, nil)
	if msg, _ := r.body["error"].(string); r.status != http.StatusConflict || !strings.Contains(msg, name) {
		t.Errorf("save over an existing one: %d %s", r.status, r.raw)
	}
	r = call(t, "POST", base, "/api/saved", map[string]any{"name": name, "sql": "select 2", "replace": true}, nil)
	if l := list(); r.status != 200 || l[0].(map[string]any)["sql"] != "select 2" {
		t.Errorf("replace: %d %v", r.status, l)
	}
	for _, bad := range []string{"../escape", "a/b", `a\b`, "..", ".hidden", "CON", "nul.txt", "名称?", "trailing.", strings.Repeat("长", 61), ""} {
		r := call(t, "POST", base, "/api/saved", map[string]any{"name": bad, "sql": "select 1"}, nil)
		if r.status != http.StatusUnprocessableEntity || r.body["reason"] != "bad_name" {
			t.Errorf("name %q: %d %s", bad, r.status, r.raw)
		}
		r = call(t, "DELETE", base, "/api/saved?name="+url.QueryEscape(bad), nil, nil)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("delete %q: %d %s", bad, r.status, r.raw)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.sql")); err == nil {
		t.Error("a name with ../ wrote beside the folder")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want the one query", len(entries))
	}
	evil := func(req *http.Request) { req.Header.Set("Origin", "http://evil.example") }
	if r := call(t, "POST", base, "/api/saved", map[string]any{"name": "x", "sql": "select 1"}, evil); r.status != http.StatusForbidden {
		t.Errorf("cross-origin save: %d", r.status)
	}
	if r := call(t, "DELETE", base, "/api/saved?name="+url.QueryEscape(name), nil, evil); r.status != http.StatusForbidden {
		t.Errorf("cross-origin delete: %d", r.status)
	}
	if r := call(t, "DELETE", base, "/api/saved?name="+url.QueryEscape(name), nil, nil); r.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.status, r.raw)
	}
	if l := list(); len(l) != 0 {
		t.Errorf("after delete: %v", l)
	}
	if r := call(t, "DELETE", base, "/api/saved?name="+url.QueryEscape(name), nil, nil); r.status != http.StatusNotFound {
		t.Errorf("delete again: %d %s", r.status, r.raw)
	}
}

// The workbench draws a result's chart in the page from the option the report's chart
// builders make: /api/chart?format=option returns it, and /assets serves the pinned ECharts.
func TestServeChartOption(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 10*time.Second)
	r := call(t, "POST", base, "/api/chart?format=option", map[string]string{"sql": "select name, length(name) as n from units order by unit_id", "type": "line", "x": "name", "y": "n"}, nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	opt, _ := r.body["option"].(map[string]any)
	series, _ := opt["series"].([]any)
	if len(series) != 1 || series[0].(map[string]any)["type"] != "line" || r.body["points"] != float64(2) || r.body["caption"] == "" {
		t.Fatalf("option: %s", r.raw)
	}
	if bytes.Contains(r.raw, []byte("<img src=x")) {
		t.Error("a name from the data went into the option unescaped")
	}
	js := getPage(t, base+"/assets/echarts.min.js")
	if len(js) < 100000 || !strings.Contains(js, "echarts") {
		t.Errorf("ECharts asset: %d bytes", len(js))
	}
}

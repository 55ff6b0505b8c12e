package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/sqlguard"
	"github.com/mingdeng/mingdeng/queries/table"
	"github.com/mingdeng/mingdeng/reports/build"
	"github.com/mingdeng/mingdeng/reports/web"
)

// tinyDB is the generator's tiny scale, ingested once for the package.
var tinyDB string

func TestMain(m *testing.M) {
	code := func() int {
		dir, err := os.MkdirTemp("", "mingdeng-web-test")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		ctx := context.Background()
		src := filepath.Join(dir, "src")
		if _, err := synth.Generate(ctx, synth.Options{Scale: synth.ScaleTiny, Seed: 7, Out: src}, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		tinyDB = filepath.Join(dir, "w.duckdb")
		w, err := warehouse.Open(ctx, tinyDB, warehouse.Options{Create: true})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		sum, err := ingest.Ingest(ctx, w, []string{src}, ingest.Options{Key: []byte("a-test-key-of-enough-length")})
		if err == nil {
			err = sum.Err()
		}
		w.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// backend is what serve wires: reports through the build layer, workbench statements through
// queries/sqlguard on the same read-only warehouse.
type backend struct{ w *warehouse.Warehouse }

func (b backend) Query(ctx context.Context, q string, maxRows int) (*table.Table, bool, error) {
	stmt, err := sqlguard.Check(ctx, b.w.DB(), q, sqlguard.DefaultPolicy())
	if err != nil {
		return nil, false, err
	}
	rows, err := b.w.DB().QueryContext(ctx, stmt)
	if err != nil {
		return nil, false, err
	}
	t, err := table.Collect(rows, maxRows)
	if errors.Is(err, table.ErrTooManyRows) {
		return t, true, nil
	}
	return t, false, err
}

func (b backend) Reports() []web.ReportInfo { return build.WebReports }

func (b backend) RenderReport(ctx context.Context, name string, v url.Values, lang datasets.Lang) ([]byte, error) {
	cfg := queries.DefaultConfig()
	return build.Page(ctx, b.w, name, v, lang, &cfg)
}

// serve starts the handler on a real loopback listener.
func serve(t *testing.T, cfg web.Config) *httptest.Server {
	t.Helper()
	w, err := warehouse.Open(context.Background(), tinyDB, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if cfg.QueryTimeout == 0 {
		cfg.QueryTimeout = 20 * time.Second
	}
	srv := httptest.NewServer(web.NewHandler(backend{w}, cfg))
	t.Cleanup(srv.Close)
	return srv
}

type reply struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func get(t *testing.T, u string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return do(t, req)
}

func postJSON(t *testing.T, u, body string, header map[string]string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

// The index lists the reports in the asked language; report pages render the build layer's
// report with the query string's scope (a unit by name titles the page with it), and a unit
// that is unknown is refused with the closest names instead of an empty report.
func TestReportPages(t *testing.T) {
	srv := serve(t, web.Config{Lang: datasets.Zh})
	for _, tt := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"党建成效评估报告", "年度调研课题报告", `action="/reports/evaluation`, "单位名称或代码"}},
		{"/?lang=en", 200, []string{"Evaluation of party-building effectiveness", `action="/reports/annual`, "unit name or code"}},
		{"/reports/evaluation?unit=" + url.QueryEscape("线路工区"), 200, []string{"<title>线路工区 党建成效评估报告", "echarts"}},
		{"/reports/evaluation?unit=DW0001&lang=en", 200, []string{"线路工区", `<html lang="en"`}},
		{"/reports/annual?year=2024", 200, []string{"2024"}},
		{"/reports/evaluation?unit=" + url.QueryEscape("线路所"), 422, []string{"--unit \"线路所\"：没有这个单位", "DW0001 线路工区"}},
		{"/reports/evaluation?unit=DW9999&lang=en", 422, []string{"no such unit", "The closest: DW0001"}},
		{"/reports/evaluation?from=yesterday", 422, []string{"from \"yesterday\"：日期格式应为 YYYY-MM-DD"}},
		{"/reports/nosuch", 404, []string{"没有这个报告"}},
	} {
		r := get(t, srv.URL+tt.path)
		if r.status != tt.status {
			t.Errorf("%s: status %d, want %d: %.300s", tt.path, r.status, tt.status, r.body)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s lacks %q: %.300s", tt.path, w, r.body)
			}
		}
	}
}

// The door: a foreign Host header (DNS rebinding) is refused, a server bound beyond loopback
// wants its token (once as ?token=, then the cookie), and a cross-site POST is refused.
func TestGuards(t *testing.T) {
	srv := serve(t, web.Config{Token: "s3cret", RequireToken: true})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/healthz?token=s3cret", nil)
	req.Host = "evil.example:80"
	if r := do(t, req); r.status != http.StatusMisdirectedRequest {
		t.Errorf("foreign host: %d", r.status)
	}
	if r := get(t, srv.URL+"/healthz"); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "需要访问令牌") {
		t.Errorf("no token: %d %s", r.status, r.body)
	}
	r := get(t, srv.URL+"/healthz?token=s3cret")
	if r.status != 200 || !strings.Contains(r.header.Get("Set-Cookie"), "mingdeng_token=s3cret") {
		t.Errorf("token in the address: %d %v", r.status, r.header)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/healthz", nil)
	req.AddCookie(&http.Cookie{Name: "mingdeng_token", Value: "s3cret"})
	if r := do(t, req); r.status != 200 {
		t.Errorf("token cookie: %d", r.status)
	}
	if r := postJSON(t, srv.URL+"/api/query?token=s3cret", `{"sql":"select 1"}`, map[string]string{"Origin": "http://evil.example"}); r.status != http.StatusForbidden {
		t.Errorf("cross-origin POST: %d", r.status)
	}
	if r := postJSON(t, srv.URL+"/api/query?token=s3cret", `{"sql":"select 1"}`, map[string]string{"Sec-Fetch-Site": "cross-site"}); r.status != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", r.status)
	}
}

// The workbench: a SELECT returns named, typed columns and rows, capped at MaxRows with
// truncated set; a refused statement says why in the user's language; exports are CSV with a
// BOM (Excel reads the Chinese) or XLSX.
func TestWorkbench(t *testing.T) {
	srv := serve(t, web.Config{MaxRows: 3})
	r := postJSON(t, srv.URL+"/api/query", `{"sql":"select unit_id, name as 名称 from units order by 1"}`, nil)
	var got struct {
		Columns   []table.Column    `json:"columns"`
		Rows      []json.RawMessage `json:"rows"`
		Truncated bool              `json:"truncated"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if len(got.Columns) != 2 || got.Columns[1].Name != "名称" || got.Columns[1].Type != table.Text || string(got.Rows[0]) != `["DW0001","线路工区"]` {
		t.Errorf("result %+v", got)
	}
	r = postJSON(t, srv.URL+"/api/query", `{"sql":"select * from range(10)"}`, nil)
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || len(got.Rows) != 3 || !got.Truncated {
		t.Errorf("row cap: %d rows, truncated %v: %s", len(got.Rows), got.Truncated, r.body)
	}
	for _, tt := range []struct{ sql, lang, want string }{
		{"drop table units", "zh", "SELECT"},
		{"select * from people", "en", "people"},
		{"select * from read_csv('/etc/passwd')", "zh", "read_csv"},
	} {
		body, _ := json.Marshal(map[string]string{"sql": tt.sql})
		r := postJSON(t, srv.URL+"/api/query?lang="+tt.lang, string(body), nil)
		var e map[string]string
		json.Unmarshal([]byte(r.body), &e)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(e["error"], tt.want) || e["reason"] == "" {
			t.Errorf("%s: %d %s", tt.sql, r.status, r.body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/query", strings.NewReader("sql=select 1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := do(t, req); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("a form post: %d", r.status)
	}
	r = postJSON(t, srv.URL+"/api/export?format=csv", `{"sql":"select name as 名称 from units"}`, nil)
	if r.status != 200 || !strings.HasPrefix(r.body, "\uFEFF名称") || !strings.Contains(r.body, "线路工区") || !strings.Contains(r.header.Get("Content-Disposition"), ".csv") {
		t.Errorf("csv export: %d %q", r.status, r.body)
	}
	r = postJSON(t, srv.URL+"/api/export?format=xlsx", `{"sql":"select 1 as x"}`, nil)
	if r.status != 200 || !strings.HasPrefix(r.body, "PK") {
		t.Errorf("xlsx export: %d", r.status)
	}
	if r := postJSON(t, srv.URL+"/api/export?format=pdf", `{"sql":"select 1"}`, nil); r.status != http.StatusBadRequest {
		t.Errorf("pdf export: %d", r.status)
	}
}

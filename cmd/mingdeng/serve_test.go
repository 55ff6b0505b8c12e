package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// servedWarehouse creates a warehouse with a few rows (one unit name is an HTML/formula
// payload) and serves it on addr; it returns the base URL and the printed start-up text.
func servedWarehouse(t *testing.T, addr string, timeout time.Duration) (string, string) {
	t.Helper()
	base, text, _ := servedWarehouseDB(t, addr, timeout)
	return base, text
}

// servedWarehouseDB is servedWarehouse that also returns the warehouse's path.
func servedWarehouseDB(t *testing.T, addr string, timeout time.Duration) (string, string, string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := warehouse.Open(context.Background(), db, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO units (unit_id, name, _batch_id, _source_row) VALUES ('U1', '线路工区', 1, 2), ('U2', '=HYPERLINK("http://x")<img src=x onerror=alert(1)>', 1, 3)`,
		`INSERT INTO people (person_id, name, _batch_id, _source_row) VALUES ('P1', 'pseudonym', 1, 2)`,
	} {
		if _, err := w.DB().Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	var out bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &out, dbPath: db, lang: datasets.Zh}
	srv, link, err := a.startServer(context.Background(), addr, nil, timeout, 100)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	u, _ := url.Parse(link)
	return "http://" + u.Host, out.String() + link, db
}

type apiResult struct {
	status int
	body   map[string]any
	raw    []byte
	header http.Header
}

func post(t *testing.T, base, path, sql string, mutate func(*http.Request)) apiResult {
	t.Helper()
	return call(t, "POST", base, path, map[string]string{"sql": sql}, mutate)
}

func TestServeAnswersQueries(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 10*time.Second)
	r := post(t, base, "/api/query", "select unit_id, name from units order by unit_id", nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	rows := r.body["rows"].([]any)
	if len(rows) != 2 || rows[0].([]any)[1] != "线路工区" {
		t.Fatalf("rows %v", rows)
	}
	// The row cap (100 here) truncates and says so.
	r = post(t, base, "/api/query", "select * from range(1000)", nil)
	if r.status != 200 || len(r.body["rows"].([]any)) != 100 || r.body["truncated"] != true {
		t.Fatalf("row cap: %d %v", r.status, r.body["truncated"])
	}
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "数据工作台") || !strings.Contains(string(page), "党建成效评估报告") {
		t.Fatalf("index: %d", resp.StatusCode)
	}
}

func TestServeRefusesEachDangerousStatement(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 10*time.Second)
	for _, tt := range []struct{ sql, reason string }{
		{"select 1; select 2", "stacked"},
		{"select * from units; drop table units", "stacked"},
		{"copy units to '/tmp/mingdeng-leak.csv'", "not_select"},
		{"export database '/tmp/mingdeng-leak'", "not_select"},
		{"attach '/tmp/other.duckdb' as o", "not_select"},
		{"install httpfs", "not_select"},
		{"load httpfs", "not_select"},
		{"set enable_external_access = true", "not_select"},
		{"pragma database_list", "not_select"},
		{"insert into units (unit_id, name, _batch_id, _source_row) values ('x', 'y', 1, 1)", "not_select"},
		{"delete from units", "not_select"},
		{"select * from read_csv('/etc/passwd')", "forbidden_function"},
		{"select * from read_text('/etc/passwd')", "forbidden_function"},
		{"select * from read_blob('/etc/passwd')", "forbidden_function"},
		{"select * from glob('/*')", "forbidden_function"},
		{"select * from '/etc/passwd'", "path_like"},
		{"select * from people", "forbidden_table"},
		{"select * from _rejects", "forbidden_table"},
	} {
		r := post(t, base, "/api/query", tt.sql, nil)
		if r.status != http.StatusUnprocessableEntity || r.body["reason"] != tt.reason {
			t.Errorf("%q: %d %s, want 422 %s", tt.sql, r.status, r.raw, tt.reason)
		}
		if msg, _ := r.body["error"].(string); !strings.HasPrefix(msg, "查询被拒绝") {
			t.Errorf("%q: message %q", tt.sql, msg)
		}
	}
	r := post(t, base, "/api/query", "select count(*) as n from units", nil)
	if r.status != 200 || r.body["rows"].([]any)[0].([]any)[0] != float64(2) {
		t.Fatalf("the warehouse changed: %s", r.raw)
	}
}

func TestServeStopsALongQueryAndStaysResponsive(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", time.Second)
	done := make(chan apiResult)
	start := time.Now()
	go func() {
		done <- post(t, base, "/api/query", "select sum(a.range * b.range) from range(2000000000) a, range(1000) b", nil)
	}()
	time.Sleep(200 * time.Millisecond)
	hs := time.Now()
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("server not responsive while a query runs: %v", err)
	}
	resp.Body.Close()
	if d := time.Since(hs); d > 2*time.Second {
		t.Errorf("healthz took %v while a query ran", d)
	}
	r := <-done
	if r.status != http.StatusRequestTimeout || r.body["reason"] != "timeout" {
		t.Fatalf("long query: %d %s", r.status, r.raw)
	}
	if elapsed := time.Since(start); elapsed > 15*time.Second {
		t.Errorf("the time limit of 1s took %v to stop the query", elapsed)
	}
	// The connection the cancelled query used is usable again.
	for i := 0; i < 5; i++ {
		if r := post(t, base, "/api/query", "select 1 as one", nil); r.status != 200 {
			t.Fatalf("after a timeout: %d %s", r.status, r.raw)
		}
	}
}

func TestServeChecksHostAndOrigin(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 10*time.Second)
	// DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
	r := post(t, base, "/api/query", "select 1", func(req *http.Request) { req.Host = "evil.example" })
	if r.status != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host: %d", r.status)
	}
	r = post(t, base, "/api/query", "select 1", func(req *http.Request) { req.Header.Set("Origin", "http://evil.example") })
	if r.status != http.StatusForbidden {
		t.Errorf("cross-origin POST: %d", r.status)
	}
	r = post(t, base, "/api/query", "select 1", func(req *http.Request) { req.Header.Set("Sec-Fetch-Site", "cross-site") })
	if r.status != http.StatusForbidden {
		t.Errorf("Sec-Fetch-Site cross-site: %d", r.status)
	}
	r = post(t, base, "/api/query", "select 1", func(req *http.Request) { req.Header.Set("Content-Type", "text/plain") })
	if r.status != http.StatusUnsupportedMediaType {
		t.Errorf("form-style POST: %d", r.status)
	}
	r = post(t, base, "/api/query", "select 1", func(req *http.Request) { req.Header.Set("Origin", base) })
	if r.status != 200 {
		t.Errorf("same-origin POST: %d %s", r.status, r.raw)
	}
}

func TestServeBeyondLoopbackNeedsTheToken(t *testing.T) {
	base, printed := servedWarehouse(t, "0.0.0.0:0", 10*time.Second)
	port := base[strings.LastIndex(base, ":"):]
	local := "http://127.0.0.1" + port
	i := strings.Index(printed, "?token=")
	if i < 0 {
		t.Fatalf("no token printed: %q", printed)
	}
	token := strings.TrimSpace(printed[i+len("?token="):])
	if r := post(t, local, "/api/query", "select 1", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("no token: %d", r.status)
	}
	if r := post(t, local, "/api/query", "select 1", func(req *http.Request) { req.Header.Set("Authorization", "Bearer wrong") }); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", r.status)
	}
	if r := post(t, local, "/api/query", "select 1", func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+token) }); r.status != 200 {
		t.Fatalf("bearer token: %d %s", r.status, r.raw)
	}
	// ?token= sets a cookie that later requests carry.
	resp, err := http.Get(local + "/?token=" + token)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("?token=: %v %v", err, resp.StatusCode)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "mingdeng_token" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly {
		t.Fatalf("no HttpOnly cookie: %v", resp.Cookies())
	}
	if r := post(t, local, "/api/query", "select 1", func(req *http.Request) { req.AddCookie(cookie) }); r.status != 200 {
		t.Fatalf("cookie: %d", r.status)
	}
}

func TestServeExportsNeutraliseFormulas(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 10*time.Second)
	r := post(t, base, "/api/export?format=csv", "select name from units order by unit_id", nil)
	if r.status != 200 || !strings.Contains(string(r.raw), `"'=HYPERLINK(""http://x"")<img src=x onerror=alert(1)>"`) {
		t.Fatalf("csv export: %d %q", r.status, r.raw)
	}
	if !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("no attachment header")
	}
	r = post(t, base, "/api/export?format=xlsx", "select name from units order by unit_id", nil)
	f, err := excelize.OpenReader(bytes.NewReader(r.raw))
	if err != nil {
		t.Fatalf("xlsx export: %d %v", r.status, err)
	}
	rows, _ := f.GetRows("result")
	if len(rows) != 3 || !strings.HasPrefix(rows[2][0], "'=") {
		t.Fatalf("xlsx rows %q", rows)
	}
	if r := post(t, base, "/api/export?format=csv", "select * from people", nil); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("export bypassed the guard: %d", r.status)
	}
}

func TestServeTwentyConcurrentClients(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 20*time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, 20*5)
	for c := 0; c < 20; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				q := fmt.Sprintf("select sum(range) as s from range(%d)", 100000+c)
				r := post(t, base, "/api/query", q, nil)
				want := float64((100000 + c) * (100000 + c - 1) / 2)
				if r.status != 200 || r.body["rows"].([]any)[0].([]any)[0] != want {
					errs <- fmt.Errorf("client %d: %d %s", c, r.status, r.raw)
					return
				}
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestServeRendersReportsFromIngestedData(t *testing.T) {
	ctx := context.Background()
	db := ingestedTiny(t)
	var out bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &out, dbPath: db, lang: datasets.Zh}
	srv, link, err := a.startServer(ctx, "127.0.0.1:0", nil, 30*time.Second, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(ctx)
	base := strings.TrimSuffix(link, "/")
	for _, tt := range []struct{ path, want string }{
		{"/reports/evaluation", "党建成效评估"},
		{"/reports/annual?lang=en", "Annual"},
		{"/reports/evaluation?unit=DW0001&from=2024-01-01&to=2024-12-31", "<html"},
	} {
		resp, err := http.Get(base + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(page), tt.want) || !strings.Contains(string(page), "echarts") {
			t.Errorf("%s: %d, %d bytes, lacks %q: %.300s", tt.path, resp.StatusCode, len(page), tt.want, page)
		}
	}
	// One report per unit: the index links each unit's report, and the link opens it.
	resp, err := http.Get(base + "/reports/annual/units")
	if err != nil {
		t.Fatal(err)
	}
	index, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	unitLink := regexp.MustCompile(`href="(/reports/annual\?[^"]*unit=DW0001[^"]*)"`).FindSubmatch(index)
	if resp.StatusCode != 200 || unitLink == nil {
		t.Fatalf("unit index: %d, no link to DW0001's report: %.400s", resp.StatusCode, index)
	}
	if resp, err = http.Get(base + html.UnescapeString(string(unitLink[1]))); err != nil || resp.StatusCode != 200 {
		t.Fatalf("unit report %s: %v", unitLink[1], err)
	}
	resp.Body.Close()
	resp, _ = http.Get(base + "/reports/nosuch")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown report: %d", resp.StatusCode)
	}
	resp.Body.Close()
	// An unknown unit is refused with the closest names, not rendered as an empty report.
	resp, _ = http.Get(base + "/reports/evaluation?unit=DW9999")
	if msg, _ := io.ReadAll(resp.Body); resp.StatusCode == 200 || !strings.Contains(string(msg), "DW0001") {
		t.Errorf("unknown unit: %d %s", resp.StatusCode, msg)
	}
	resp.Body.Close()
	resp, _ = http.Get(base + "/reports/evaluation?from=yesterday")
	if resp.StatusCode == 200 {
		t.Errorf("a bad date was accepted")
	}
	resp.Body.Close()
}

// The workbench reads column names from the JSON; they must be there, in lower case.
func TestServeQueryNamesItsColumns(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 10*time.Second)
	r := post(t, base, "/api/query", "select unit_id, name as 名称, 1.5 as x from units limit 1", nil)
	cols, _ := r.body["columns"].([]any)
	if r.status != 200 || len(cols) != 3 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if c := cols[1].(map[string]any); c["name"] != "名称" || c["type"] != "text" || cols[2].(map[string]any)["type"] != "float" {
		t.Fatalf("columns %v", cols)
	}
}

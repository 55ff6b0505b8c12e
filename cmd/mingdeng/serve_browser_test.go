package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/web"
)

func postChart(t *testing.T, base string, body map[string]string) apiResult {
	t.Helper()
	return postChartAt(t, base, "/api/chart", body)
}

// postChartAt posts body to path (/api/chart with its query string).
func postChartAt(t *testing.T, base, path string, body map[string]string) apiResult {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	r := apiResult{status: resp.StatusCode, raw: buf.Bytes(), header: resp.Header}
	json.Unmarshal(r.raw, &r.body)
	return r
}

func TestServeDrawsCharts(t *testing.T) {
	base, _ := servedWarehouse(t, "127.0.0.1:0", 10*time.Second)
	bar := map[string]string{"sql": "select name, length(name) as n from units order by unit_id", "type": "bar", "x": "name", "y": "n"}
	// Without format: the option the workbench draws, as JSON (not a page it never uses).
	r := postChart(t, base, bar)
	if opt, _ := r.body["option"].(map[string]any); r.status != 200 || opt == nil || opt["series"] == nil || r.body["title"] == nil ||
		!strings.Contains(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("no format: %d %s %.300s", r.status, r.header.Get("Content-Type"), r.raw)
	}
	// An unknown format is refused in the page's language, naming the formats accepted.
	for lang, want := range map[string]string{"zh": `不支持的格式 format="png"：可用 option（图表配置 JSON，默认）或 html（单图页面）`,
		"en": `unknown format="png": use option (the chart's option as JSON, the default) or html (a one-chart page)`} {
		r = postChartAt(t, base, "/api/chart?format=png&lang="+lang, bar)
		if r.status != http.StatusBadRequest || r.body["reason"] != "format" || r.body["error"] != want {
			t.Errorf("format=png, %s: %d %s", lang, r.status, r.raw)
		}
	}
	// format=html: the one-chart page.
	r = postChartAt(t, base, "/api/chart?format=html", bar)
	if r.status != 200 || !strings.Contains(string(r.raw), `id="chart"`) || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %.300s", r.status, r.raw)
	}
	// The hostile unit name is data: escaped in the page and in the option JSON.
	if bytes.Contains(r.raw, []byte("<img src=x")) {
		t.Error("a name from the data went into the chart page unescaped")
	}
	r = postChart(t, base, map[string]string{"sql": "select name, length(name) as n from units", "type": "bar", "x": "name", "y": "m"})
	if msg, _ := r.body["error"].(string); r.status != http.StatusUnprocessableEntity || !strings.Contains(msg, `y 列 "m" 不在查询结果中（结果的列：name, n）`) {
		t.Fatalf("missing column: %d %s", r.status, r.raw)
	}
	// Guarded like /api/query.
	r = postChart(t, base, map[string]string{"sql": "select person_id, 1 as n from people", "type": "bar", "x": "person_id", "y": "n"})
	if r.status != http.StatusUnprocessableEntity || r.body["reason"] != "forbidden_table" {
		t.Fatalf("people: %d %s", r.status, r.raw)
	}
	r = postChart(t, base, map[string]string{"sql": "select 1 as a; select 2 as b", "type": "bar", "x": "a", "y": "a"})
	if r.status != http.StatusUnprocessableEntity || r.body["reason"] != "stacked" {
		t.Fatalf("stacked: %d %s", r.status, r.raw)
	}
	r = post(t, base, "/api/chart", "select 1 as a", func(req *http.Request) { req.Header.Set("Origin", "http://evil.example") })
	if r.status != http.StatusForbidden {
		t.Fatalf("cross-origin chart: %d", r.status)
	}
}

// driveScript is added to the served workbench page (whose CSP allows its inline script): it
// types a query into the editor, presses Run, waits for the result table, then picks the chart
// columns, presses the chart button and waits for the page to draw the ECharts chart. It writes what it saw, base64-encoded, into an attribute of <html>.
const driveScript = `window.addEventListener("load", function () {
  var out = {steps: []};
  function done() {
    document.documentElement.setAttribute("data-md-test", btoa(unescape(encodeURIComponent(JSON.stringify(out)))));
  }
  function waitFor(test, then, what) {
    var tries = 0;
    (function poll() {
      var v;
      try { v = test(); } catch (e) { v = null; }
      if (v) { return then(v); }
      if (++tries > 300) { out.steps.push("timeout: " + what + " status=" + document.getElementById("status").textContent); return done(); }
      setTimeout(poll, 50);
    })();
  }
  var sql = document.getElementById("sql");
  sql.focus();
  sql.value = "";
  var q = "select u.name as 单位, count(*) as 班组数 from teams t join units u using (unit_id) group by 1 order by 2 desc, 1";
  for (var i = 0; i < q.length; i++) {
    sql.value += q[i];
    sql.dispatchEvent(new InputEvent("input", {data: q[i], inputType: "insertText"}));
  }
  out.steps.push("typed");
  document.getElementById("run").click();
  waitFor(function () { return document.getElementById("result-table"); }, function (table) {
    out.header = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent; });
    out.rows = Array.prototype.map.call(table.tBodies[0].rows, function (r) {
      return Array.prototype.map.call(r.cells, function (c) { return c.textContent; });
    });
    out.status = document.getElementById("status").textContent;
    out.steps.push("table");
    document.getElementById("chart-type").value = "bar";
    out.x = document.getElementById("chart-x").value;
    out.y = document.getElementById("chart-y").value;
    document.getElementById("chart").click();
    waitFor(function () {
      return document.querySelector("#chart-box[data-md-state]");
    }, function (el) {
      out.chartState = el.getAttribute("data-md-state");
      out.chartPoints = el.getAttribute("data-md-points");
      out.chartDrawn = el.querySelectorAll("svg path, svg text").length;
      out.steps.push("chart");
      done();
    }, "chart");
  }, "table");
});`

// TestWorkbenchInChromium serves the workbench on a warehouse loaded from the tiny synthetic
// data set and drives it in Debian's headless chromium: a typed query shows its result table,
// and the chart button draws it in the page from the report's chart builders' option.
func TestWorkbenchInChromium(t *testing.T) {
	bin := chromiumBin(t)
	ctx := context.Background()
	db := ingestedTiny(t)
	// What the table must show: the same statement through mingdeng sql (before serve holds the file).
	want := mingdeng(t, "sql", "--db", db, "--format", "csv",
		"select u.name as 单位, count(*) as 班组数 from teams t join units u using (unit_id) group by 1 order by 2 desc, 1")
	if want.code != 0 {
		t.Fatalf("%+v", want)
	}

	views, err := queries.MetricViewStatements(nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, db, warehouse.Options{ReadOnly: true, Settings: webSettings, ConnInit: views})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	h := web.NewHandler(&webBackend{w: w, policy: servedPolicy()}, web.Config{Lang: datasets.Zh, QueryTimeout: 20 * time.Second, MaxRows: 1000})
	// Add the driving script to the workbench page only.
	inject := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/" {
			h.ServeHTTP(rw, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			rw.Header()[k] = v
		}
		body := strings.Replace(rec.Body.String(), "</body>", "<script>"+driveScript+"</script>\n</body>", 1)
		rw.Header().Del("Content-Length")
		rw.WriteHeader(rec.Code)
		rw.Write([]byte(body))
	})
	srv := httptest.NewServer(inject)
	defer srv.Close()

	runCtx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(runCtx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
		"--disable-component-update", "--disable-sync", "--user-data-dir="+t.TempDir(),
		// Only the test server is reachable: no name resolves, and everything but loopback goes
		// to a closed proxy port.
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--proxy-server=127.0.0.1:9",
		"--disable-extensions", "--disable-default-apps", "--mute-audio", "--window-size=1200,900",
		"--enable-logging=stderr", "--v=0", "--virtual-time-budget=30000", "--dump-dom", srv.URL+"/")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	if console := regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`).FindAllString(stderr.String(), -1); len(console) > 0 {
		t.Errorf("console output:\n%s", strings.Join(console, "\n"))
	}
	m := regexp.MustCompile(`data-md-test="([A-Za-z0-9+/=]+)"`).FindSubmatch(stdout.Bytes())
	if m == nil {
		t.Fatalf("the driving script left no result\n%.2000s", stdout.String())
	}
	raw, _ := base64.StdEncoding.DecodeString(string(m[1]))
	var got struct {
		Steps       []string   `json:"steps"`
		Header      []string   `json:"header"`
		Rows        [][]string `json:"rows"`
		Status      string     `json:"status"`
		X, Y        string
		ChartState  string `json:"chartState"`
		ChartPoints string `json:"chartPoints"`
		ChartDrawn  int    `json:"chartDrawn"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	t.Logf("steps %v, status %q, chart %s with %s points, %d drawn", got.Steps, got.Status, got.ChartState, got.ChartPoints, got.ChartDrawn)
	lines := []string{strings.Join(got.Header, ",")}
	for _, r := range got.Rows {
		lines = append(lines, strings.Join(r, ","))
	}
	if shown := strings.Join(lines, "\n"); shown != strings.TrimSpace(want.stdout) {
		t.Errorf("the result table shows\n%s\nwant\n%s", shown, want.stdout)
	}
	if got.X != "单位" || got.Y != "班组数" {
		t.Errorf("chart columns offered: x %q y %q", got.X, got.Y)
	}
	if got.ChartState != "ok" || got.ChartPoints == "0" || got.ChartDrawn == 0 {
		t.Errorf("the chart: state %q, %s points, %d drawn (steps %v)", got.ChartState, got.ChartPoints, got.ChartDrawn, got.Steps)
	}
}

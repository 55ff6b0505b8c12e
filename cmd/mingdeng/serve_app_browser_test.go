package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/reports/pdf"
)

// appScript drives the page as a clerk would: it puts a file in the file chooser and presses
// 导入, waits for the per-file table and the rejects link, fetches the rejects workbook, opens
// the coverage view, picks a unit by its name in the report form and downloads that report as
// Markdown. What it saw goes, base64-encoded, into an attribute of <html>.
const appScript = `window.addEventListener("load", function () {
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
      if (++tries > 600) { out.steps.push("timeout: " + what + " " + document.getElementById("upload-status").textContent); return done(); }
      setTimeout(poll, 50);
    })();
  }
  function cells(table) {
    return Array.prototype.map.call(table.rows, function (r) {
      return Array.prototype.map.call(r.cells, function (c) { return c.textContent; });
    });
  }
  var dt = new DataTransfer();
  dt.items.add(new File([FILE_TEXT], FILE_NAME, {type: "text/csv"}));
  document.getElementById("files").files = dt.files;
  document.getElementById("upload").click();
  waitFor(function () { return document.getElementById("upload-table"); }, function (table) {
    out.upload = cells(table);
    out.uploadStatus = document.getElementById("upload-status").textContent;
    var link = document.querySelector("#upload-rejects a");
    out.rejectsText = document.getElementById("upload-rejects").textContent;
    out.steps.push("uploaded");
    fetch(link.href).then(function (r) { return r.arrayBuffer().then(function (b) {
      out.rejectsStatus = r.status; out.rejectsBytes = b.byteLength; out.rejectsType = r.headers.get("Content-Type");
      document.getElementById("coverage-show").click();
      waitFor(function () { return document.getElementById("coverage-table"); }, function (ct) {
        out.coverageTitle = document.getElementById("coverage-title").textContent;
        out.coverageGaps = document.querySelectorAll("#coverage-table td.gap").length;
        out.coverageRows = ct.tBodies[0].rows.length;
        out.steps.push("coverage");
        var form = document.querySelector("#reports form");
        var sel = form.querySelector("select[name=unit]");
        var opt = Array.prototype.filter.call(sel.options, function (o) { return o.textContent === UNIT_NAME; })[0];
        sel.value = opt.value;
        var q = new URLSearchParams(new FormData(form));
        q.set("format", "md");
        var btn = form.querySelector("button[value=md]");
        fetch(btn.formAction + "?" + q.toString()).then(function (r) { return r.text().then(function (t) {
          out.reportStatus = r.status; out.reportHead = t.slice(0, 400);
          out.reportNamesUnit = t.indexOf(UNIT_NAME) >= 0;
          out.reportDisposition = r.headers.get("Content-Disposition");
          out.steps.push("report");
          done();
        }); });
      }, "coverage");
    }); });
  }, "upload table");
});`

func chromiumBin(t *testing.T) string {
	t.Helper()
	// The browser the PDF writer would use (MINGDENG_BROWSER, then Chromium, Chrome or Edge).
	if p, err := pdf.Browser(); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed: make test-deps installs it")
	}
	t.Skip("chromium is not installed: run make test-deps (make test does)")
	return ""
}

// TestOfficeAppInChromium runs serve on a warehouse missing a year of party-group meetings and
// drives its page in Debian's headless chromium: upload the year's file with one bad date, see
// it loaded and the reject offered, open the coverage view, make and download a report for a
// unit chosen by name. MINGDENG_SCREENSHOT=FILE.png also writes the page at 1366×768.
func TestOfficeAppInChromium(t *testing.T) {
	bin := chromiumBin(t)
	const name = "2024年党小组会议记录.csv"
	base, _, src := servedWithout(t, name)
	good, err := os.ReadFile(filepath.Join(src, name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(good), "\n"), "\n")
	fields := strings.Split(lines[1], ",")
	fields[4] = "2024-02-30"
	lines[1] = strings.Join(fields, ",")
	bad := strings.Join(lines, "\n") + "\n"
	// A unit's name as the picker shows it.
	r := post(t, base, "/api/query", "select u.name from units u where exists (select 1 from branches b join party_groups g using (branch_id) where b.unit_id = u.unit_id) order by unit_id limit 1", nil)
	unitName := r.body["rows"].([]any)[0].([]any)[0].(string)

	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	script := strings.NewReplacer("FILE_TEXT", js(bad), "FILE_NAME", js(name), "UNIT_NAME", js(unitName)).Replace(appScript)
	target, _ := url.Parse(base)
	proxy := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		// The real server answers everything; the workbench page gets the driving script.
		// (The page's origin is this proxy: the server sees its own, as a browser there would send.)
		r.URL.Scheme, r.URL.Host, r.Host, r.RequestURI = "http", target.Host, target.Host, ""
		if r.Header.Get("Origin") != "" {
			r.Header.Set("Origin", "http://"+target.Host)
		}
		inject := r.Method == http.MethodGet && r.URL.Path == "/"
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		for k, v := range resp.Header {
			rw.Header()[k] = v
		}
		out := body.Bytes()
		if inject {
			out = []byte(strings.Replace(body.String(), "</body>", "<script>"+script+"</script>\n</body>", 1))
		}
		rw.Header().Del("Content-Length")
		rw.WriteHeader(resp.StatusCode)
		rw.Write(out)
	})
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	chrome := func(extra ...string) (string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		defer cancel()
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
			"--disable-component-update", "--disable-sync", "--user-data-dir=" + t.TempDir(),
			"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--proxy-server=127.0.0.1:9",
			"--disable-extensions", "--disable-default-apps", "--mute-audio", "--window-size=1366,768",
			"--enable-logging=stderr", "--v=0", "--virtual-time-budget=60000"}, extra...)
		cmd := exec.CommandContext(ctx, bin, append(args, srv.URL+"/")...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium: %v\n%s", err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	stdout, stderr := chrome("--dump-dom")
	if console := regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`).FindAllString(stderr, -1); len(console) > 0 {
		t.Errorf("console output:\n%s", strings.Join(console, "\n"))
	}
	m := regexp.MustCompile(`data-md-test="([A-Za-z0-9+/=]+)"`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("the driving script left no result\n%.2000s", stdout)
	}
	raw, _ := base64.StdEncoding.DecodeString(m[1])
	var got struct {
		Steps                         []string
		Upload                        [][]string
		UploadStatus, RejectsText     string
		RejectsStatus, RejectsBytes   int
		RejectsType, CoverageTitle    string
		CoverageGaps, CoverageRows    int
		ReportStatus                  int
		ReportHead, ReportDisposition string
		ReportNamesUnit               bool
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", got)
	if len(got.Upload) != 2 || got.Upload[0][0] != "文件" || !strings.HasSuffix(got.Upload[1][0], name) || got.Upload[1][2] != "已导入" {
		t.Fatalf("the upload table shows %q (steps %v)", got.Upload, got.Steps)
	}
	if i := indexOf(got.Upload[0], "拒绝"); i < 0 || got.Upload[1][i] != "1" {
		t.Errorf("the upload table does not show the one reject: %q", got.Upload)
	}
	if !strings.Contains(got.RejectsText, "共有 1 行被拒绝") || got.RejectsStatus != 200 || got.RejectsBytes < 1000 || !strings.Contains(got.RejectsType, "spreadsheetml") {
		t.Errorf("rejects: %q, download %d, %d bytes, %s", got.RejectsText, got.RejectsStatus, got.RejectsBytes, got.RejectsType)
	}
	if !strings.HasPrefix(got.CoverageTitle, "数据完整性：全部单位") || got.CoverageRows == 0 {
		t.Errorf("coverage view: %q, %d rows", got.CoverageTitle, got.CoverageRows)
	}
	if got.ReportStatus != 200 || !got.ReportNamesUnit || !strings.Contains(got.ReportDisposition, ".md") {
		t.Errorf("the report for %s: %d %q %.200s", unitName, got.ReportStatus, got.ReportDisposition, got.ReportHead)
	}
	if shot := os.Getenv("MINGDENG_SCREENSHOT"); shot != "" {
		abs, _ := filepath.Abs(shot)
		chrome("--screenshot=" + abs)
		if b, err := os.ReadFile(abs); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("screenshot: %v", err)
		}
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

package reports

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/reports/pdf"
)

// checkScript is added to a copy of each page (its hash joins the page's CSP). After the load
// event it records, for every chart container, whether it holds an ECharts instance with data
// and drawn SVG; it shows the tooltip of the first points of every series and collects the
// tooltips' HTML; and it writes the result, base64-encoded, into an attribute of <html>.
const checkScript = `window.addEventListener("load", function () {
  var out = {charts: [], images: 0, resources: 0, tooltips: 0, tipText: "", tipImages: 0, errors: []};
  try {
    Array.prototype.forEach.call(document.querySelectorAll(".md-chart"), function (el) {
      var inst = echarts.getInstanceByDom(el);
      var rec = {id: el.id, state: el.getAttribute("data-md-state"), instance: !!inst, points: 0,
        drawn: el.querySelectorAll("svg path, svg text").length, width: el.clientWidth};
      if (inst) {
        var series = inst.getOption().series || [];
        series.forEach(function (s, si) {
          var n = (s.data || []).length;
          rec.points += n;
          for (var i = 0; i < Math.min(n, 80); i++) {
            inst.dispatchAction({type: "showTip", seriesIndex: si, dataIndex: i});
            var tip = el.querySelector(".md-tip");
            if (tip && tip.innerHTML) {
              out.tooltips++;
              out.tipText += tip.textContent + "\n";
              out.tipImages += tip.querySelectorAll("img,script,iframe").length;
            }
          }
        });
        inst.dispatchAction({type: "hideTip"});
      }
      out.charts.push(rec);
    });
  } catch (e) { out.errors.push(String(e && e.message || e)); }
  out.images = document.querySelectorAll("img").length;
  out.resources = performance.getEntriesByType("resource").length;
  document.documentElement.setAttribute("data-md-test", btoa(unescape(encodeURIComponent(JSON.stringify(out)))));
});`

type chartCheck struct {
	ID       string `json:"id"`
	State    string `json:"state"`
	Instance bool   `json:"instance"`
	Points   int    `json:"points"`
	Drawn    int    `json:"drawn"`
	Width    int    `json:"width"`
}

type pageCheck struct {
	Charts    []chartCheck `json:"charts"`
	Images    int          `json:"images"`
	Resources int          `json:"resources"`
	Tooltips  int          `json:"tooltips"`
	TipText   string       `json:"tipText"`
	TipImages int          `json:"tipImages"`
	Errors    []string     `json:"errors"`
}

// chromiumPath finds Debian's chromium. In CI a missing browser fails the test (make test-deps
// installs it); elsewhere the test is skipped with the command to run.
func chromiumPath(t *testing.T) string {
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

var (
	resultRe  = regexp.MustCompile(`data-md-test="([A-Za-z0-9+/=]+)"`)
	consoleRe = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)
)

// withCheck returns the page with checkScript added and allowed by the CSP.
func withCheck(t *testing.T, page []byte) []byte {
	t.Helper()
	hash := scriptHash([]byte(checkScript))
	if !bytes.Contains(page, []byte("script-src ")) {
		t.Fatal("no script-src in the page's CSP")
	}
	out := bytes.Replace(page, []byte("script-src "), []byte("script-src "+e(hash)+" "), 1)
	// The last </body>: the inlined ECharts source holds the string too.
	i := bytes.LastIndex(out, []byte("</body>"))
	return append(out[:i:i], append([]byte("<script>"+checkScript+"</script>\n"), out[i:]...)...)
}

// runChromium opens a file with networking off and returns the DOM after load and the console
// lines chromium logged.
func runChromium(t *testing.T, bin, file string) (dom []byte, console []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
		"--disable-component-update", "--disable-sync", "--user-data-dir="+profile,
		// Networking off: no name resolves and every connection goes to a closed local port.
		"--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--disable-extensions", "--disable-default-apps", "--mute-audio", "--window-size=1200,900",
		"--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--dump-dom", "file://"+file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes(), consoleRe.FindAllString(stderr.String(), -1)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestReportsRenderInChromium opens every fixture report in headless Chromium with networking
// off: every chart container must hold an ECharts instance with data, drawn; the console must
// stay silent; tooltips must show the hostile group name as text, never as markup.
func TestReportsRenderInChromium(t *testing.T) {
	requireAsset(t)
	bin := chromiumPath(t)
	dir := t.TempDir()
	reps := fixtureReports()
	names := make([]string, 0, len(reps))
	for n := range reps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			r := reps[name]
			var page bytes.Buffer
			if err := WriteHTML(&page, r); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, name+".html")
			if err := os.WriteFile(file, withCheck(t, page.Bytes()), 0o644); err != nil {
				t.Fatal(err)
			}
			dom, console := runChromium(t, bin, file)
			if len(console) > 0 {
				t.Errorf("console output:\n%s", strings.Join(console, "\n"))
			}
			m := resultRe.FindSubmatch(dom)
			if m == nil {
				t.Fatalf("the check script left no result (did a script fail?)\n%s", tail(string(dom), 1500))
			}
			raw, err := base64.StdEncoding.DecodeString(string(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			var got pageCheck
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Errors) > 0 {
				t.Errorf("check script errors: %v", got.Errors)
			}
			want := r.Charts()
			if len(got.Charts) != len(want) {
				t.Fatalf("%d chart containers rendered, want %d", len(got.Charts), len(want))
			}
			for i, c := range got.Charts {
				if c.ID != want[i].ID || !c.Instance || c.State != "ok" || c.Points == 0 || c.Drawn == 0 || c.Width == 0 {
					t.Errorf("chart %d: %+v, want %s rendered with data", i, c, want[i].ID)
				}
			}
			if got.Images != 0 || got.TipImages != 0 {
				t.Errorf("markup from the data became elements: %d images on the page, %d in tooltips", got.Images, got.TipImages)
			}
			if got.Resources != 0 {
				t.Errorf("the page loaded %d resources", got.Resources)
			}
			if got.Tooltips == 0 {
				t.Error("no tooltip was shown")
			}
			if strings.HasPrefix(name, "evaluation") && !strings.Contains(got.TipText, evilName) {
				t.Errorf("the hostile name never showed as text in a tooltip")
			}
		})
	}
}

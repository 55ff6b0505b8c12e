package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focusInfo is what the page says about the focused element.
type focusInfo struct {
	ID, Tag, Name, Section string
	Outline                float64 // px of a visible outline; 0 when none
}

const focusJS = `(function () {
  var e = document.activeElement;
  if (!e || e === document.body) return {Tag: "body"};
  var name = e.getAttribute("aria-label") || "";
  if (!name && e.labels && e.labels.length) name = e.labels[0].textContent;
  if (!name) name = e.textContent || e.title || e.value || "";
  var s = getComputedStyle(e);
  var sec = e.closest("section,header");
  return {ID: e.id, Tag: e.tagName.toLowerCase(), Name: name.trim().slice(0, 60), Section: sec ? (sec.id || sec.tagName.toLowerCase()) : "",
    Outline: s.outlineStyle === "none" ? 0 : parseFloat(s.outlineWidth) || 0};
})()`

// TestWorkbenchKeyboardInChromium drives serve's page in headless chromium (chromedp) with the
// keyboard alone, at 1366×768: Tab goes through the page in reading order with a visible focus
// ring on every stop and a name for every control; Ctrl+Enter in the editor runs a query on a
// metric view; Enter in the name field saves it; Enter on a saved query runs it; Enter on the
// chart button draws the result. It then checks the page fits 1366 pixels and, with
// MINGDENG_SCREENSHOT_DIR set, writes screenshots of the workbench in Chinese and English.
func TestWorkbenchKeyboardInChromium(t *testing.T) {
	bin := chromiumBin(t)
	db, _ := loadedWithout(t)
	// What the result must show: the named query behind the view, through the CLI (in this
	// process before serve opens the file: DuckDB refuses a second configuration of one file
	// within a process, while another process reads beside serve).
	want := monthlyMeetings(t, db)
	base, _ := serveDB(t, db)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"), chromedp.ProxyServer("127.0.0.1:9"),
		chromedp.Flag("disable-extensions", true), chromedp.WindowSize(1366, 768))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(bctx, 120*time.Second)
	defer cancel3()
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(expr string, out any) {
		t.Helper()
		run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			v, err := chromedp.Evaluate[any](expr)(ctx, tg)
			if err != nil {
				return err
			}
			b := fmt.Sprint(v)
			switch o := out.(type) {
			case *string:
				*o = b
			case *bool:
				*o = b == "true"
			case *focusInfo:
				m, _ := v.(map[string]any)
				o.ID, _ = m["ID"].(string)
				o.Tag, _ = m["Tag"].(string)
				o.Name, _ = m["Name"].(string)
				o.Section, _ = m["Section"].(string)
				o.Outline, _ = m["Outline"].(float64)
			}
			return nil
		}))
	}
	key := func(k string, mods ...chromedp.Modifier) chromedp.Action[chromedp.Void] {
		return chromedp.KeyEvent(k, chromedp.KeyModifiers(mods...))
	}
	typeText := func(s string) chromedp.Action[chromedp.Void] {
		// As an input method does for Chinese: the text arrives at the focused field.
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: s})
			return err
		})
	}
	wait := func(expr string) {
		t.Helper()
		run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))(ctx, tg)
			if err != nil {
				var status string
				v, _ := chromedp.Evaluate[string](`document.getElementById("status").textContent`)(ctx, tg)
				status = v
				return fmt.Errorf("waiting for %s (status %q): %w", expr, status, err)
			}
			return nil
		}))
	}
	// tabTo presses Tab (Shift+Tab when back) until the focus is on an element matching test,
	// checking each stop on the way.
	var stops []focusInfo
	tabTo := func(test func(focusInfo) bool, back bool) focusInfo {
		t.Helper()
		for i := 0; i < 300; i++ {
			if back {
				run(key(kb.Tab, chromedp.ModifierShift))
			} else {
				run(key(kb.Tab))
			}
			var f focusInfo
			eval(focusJS, &f)
			stops = append(stops, f)
			if f.Tag == "body" {
				continue
			}
			if f.Outline < 2 {
				t.Errorf("focus on %s#%s %q has no visible outline", f.Tag, f.ID, f.Name)
			}
			if f.Name == "" {
				t.Errorf("the control %s#%s in %s has no name", f.Tag, f.ID, f.Section)
			}
			if test(f) {
				return f
			}
		}
		t.Fatalf("Tab never reached the element; stops: %v", stops)
		return focusInfo{}
	}

	run(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(base+"/"))
	wait(`document.readyState === "complete" && document.getElementById("saved-none") !== null`)
	shot := func(file string) {
		dir := os.Getenv("MINGDENG_SCREENSHOT_DIR")
		if dir == "" {
			return
		}
		run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			b, err := chromedp.CaptureScreenshot()(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, file), b, 0o644)
		}))
	}
	shot("top-zh-1366x768.png")

	// The whole tab order, from the top to the editor, in the order the sections are read.
	tabTo(func(f focusInfo) bool { return f.ID == "sql" }, false)
	order := []string{"header", "load", "coverage", "reports", "workbench"}
	at := 0
	for _, f := range stops {
		i := indexOf(order, f.Section)
		if f.Tag == "body" || i < 0 {
			continue
		}
		if i < at {
			t.Errorf("the tab order goes back from %s to %s at %s#%s", order[at], f.Section, f.Tag, f.ID)
		}
		at = i
	}
	t.Logf("%d tab stops before the editor", len(stops))

	// Select all in the editor, type a query on a metric view, run it with Ctrl+Enter.
	const q = "SELECT period AS month, sum(meetings_held) AS meetings FROM metric_group_activity GROUP BY 1 ORDER BY 1"
	run(key("a", chromedp.ModifierCtrl), key(kb.Delete), chromedp.KeyEvent(q))
	var typed string
	eval(`document.getElementById("sql").value`, &typed)
	if typed != q {
		t.Fatalf("the editor holds %q after typing", typed)
	}
	run(key(kb.Enter, chromedp.ModifierCtrl))
	wait(`document.getElementById("result-table") !== null`)
	var shown string
	eval(`Array.prototype.map.call(document.querySelectorAll("#result-table tbody tr"), function (r) { return r.cells[0].textContent + "=" + r.cells[1].textContent; }).join(",")`, &shown)
	if shown != want {
		t.Fatalf("the result of the metric view shows\n%s\nwant (mingdeng query group_activity --period month)\n%s", shown, want)
	}

	// Save it under a Chinese name: Tab to the name field, type, Enter.
	const name = "每月党小组会次数"
	tabTo(func(f focusInfo) bool { return f.ID == "save-name" }, false)
	run(typeText(name), key(kb.Enter))
	wait(`Array.prototype.some.call(document.querySelectorAll("#saved-list .run-saved"), function (b) { return b.textContent === "` + name + `"; })`)
	if b, err := os.ReadFile(filepath.Join(db+".queries", name+".sql")); err != nil || string(b) != q {
		t.Fatalf("the saved file: %q, %v", b, err)
	}

	// Empty the editor and the result, then run the saved query from its button with Enter.
	eval(`(function () { document.getElementById("result").textContent = ""; return true; })()`, new(bool))
	tabTo(func(f focusInfo) bool { return f.ID == "sql" }, true)
	run(key("a", chromedp.ModifierCtrl), key(kb.Delete))
	if eval(`document.getElementById("sql").value`, &typed); typed != "" {
		t.Fatalf("the editor still holds %q", typed)
	}
	tabTo(func(f focusInfo) bool {
		return f.Tag == "button" && strings.Contains(f.Name, name) && !strings.Contains(f.Name, "删除")
	}, true)
	run(key(kb.Enter))
	wait(`document.getElementById("result-table") !== null`)
	eval(`Array.prototype.map.call(document.querySelectorAll("#result-table tbody tr"), function (r) { return r.cells[0].textContent + "=" + r.cells[1].textContent; }).join(",")`, &shown)
	eval(`document.getElementById("sql").value`, &typed)
	if shown != want || typed != q {
		t.Fatalf("the saved query ran %q and shows\n%s\nwant\n%s", typed, shown, want)
	}

	// Draw it: Tab to the chart button (x month, y meetings are offered), Enter.
	f := tabTo(func(f focusInfo) bool { return f.ID == "chart" }, false)
	run(key(kb.Enter))
	wait(`document.querySelector("#chart-box[data-md-state]") !== null`)
	var state, drawn string
	eval(`document.getElementById("chart-box").getAttribute("data-md-state")`, &state)
	eval(`String(document.querySelectorAll("#chart-box svg path").length)`, &drawn)
	if n, _ := strconv.Atoi(drawn); state != "ok" || n == 0 {
		t.Errorf("the chart after Enter on %q: state %q, %s paths", f.Name, state, drawn)
	}

	// Readable at 1366×768: nothing wider than the window, the editor beside the schema.
	var fits string
	eval(`(function () {
	  var s = document.getElementById("sql").getBoundingClientRect(), side = document.querySelector(".side").getBoundingClientRect();
	  return [document.documentElement.scrollWidth, Math.round(s.left), Math.round(s.right), Math.round(side.right)].join(",");
	})()`, &fits)
	var w, left, right, sideRight int
	fmt.Sscanf(strings.ReplaceAll(fits, ",", " "), "%d %d %d %d", &w, &left, &right, &sideRight)
	if w > 1366 || right > 1366 || left < sideRight {
		t.Errorf("layout at 1366: page width, editor left/right, schema right = %s", fits)
	}
	eval(`(function () { document.getElementById("workbench").scrollIntoView(); document.querySelector(".side").scrollTop = 0; document.querySelector("#schema details").open = true; return true; })()`, new(bool))
	shot("workbench-zh-1366x768.png")
	eval(`(function () { document.getElementById("chart-controls").scrollIntoView(); return true; })()`, new(bool))
	shot("workbench-chart-zh-1366x768.png")

	// Delete it from the page: Enter on its delete button, accept the question.
	run(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		// The page's confirmation question is answered yes, as the user would.
		_, err := chromedp.Evaluate[bool](`(window.confirm = function (m) { window.__asked = m; return true; }, true)`)(ctx, tg)
		return err
	}))
	tabTo(func(f focusInfo) bool {
		return f.Tag == "button" && strings.Contains(f.Name, "删除") && strings.Contains(f.Name, name)
	}, true)
	run(key(kb.Enter))
	wait(`document.querySelectorAll("#saved-list li").length === 0`)
	var asked string
	eval(`window.__asked`, &asked)
	if !strings.Contains(asked, name) {
		t.Errorf("the delete asked %q", asked)
	}
	if _, err := os.Stat(filepath.Join(db+".queries", name+".sql")); !os.IsNotExist(err) {
		t.Errorf("the file is still there: %v", err)
	}

	// English with the switch.
	run(chromedp.Navigate(base + "/?lang=en"))
	wait(`document.readyState === "complete"`)
	var label, saved string
	eval(`document.querySelector("label[for=sql]").textContent`, &label)
	eval(`document.getElementById("saved-h").textContent`, &saved)
	if label != "SQL statement (Ctrl+Enter runs it)" || saved != "Saved queries" {
		t.Errorf("English page: %q, %q", label, saved)
	}
	// The header's link skips to the workbench: Enter on it, and the next Tab is in there.
	tabTo(func(f focusInfo) bool { return f.Tag == "a" && f.Name == "SQL query" }, false)
	run(key(kb.Enter))
	if f := tabTo(func(focusInfo) bool { return true }, false); f.Section != "workbench" {
		t.Errorf("Tab after the header's SQL query link lands on %s#%s in %q", f.Tag, f.ID, f.Section)
	}
	// A refusal in English too, run from the keyboard.
	run(chromedp.Focus("#sql"), key("a", chromedp.ModifierCtrl), key(kb.Delete), chromedp.KeyEvent("select * from people"), key(kb.Enter, chromedp.ModifierCtrl))
	wait(`document.getElementById("status").className === "error"`)
	var refusal string
	eval(`document.getElementById("status").textContent`, &refusal)
	if !strings.HasPrefix(refusal, "query refused: people (People) holds person-level rows") {
		t.Errorf("the English page's refusal: %q", refusal)
	}
	eval(`(function () { document.getElementById("workbench").scrollIntoView(); return true; })()`, new(bool))
	shot("workbench-en-1366x768.png")
}

// monthlyMeetings is month=meetings for every month, summed over groups, from `mingdeng query
// group_activity --period month`.
func monthlyMeetings(t *testing.T, db string) string {
	t.Helper()
	r := mingdeng(t, "query", "group_activity", "--db", db, "--period", "month", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.stdout, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pi, mi := indexOf(recs[0], "period"), indexOf(recs[0], "meetings_held")
	if pi < 0 || mi < 0 {
		t.Fatalf("columns %v", recs[0])
	}
	sum := map[string]int{}
	var months []string
	for _, rec := range recs[1:] {
		if _, ok := sum[rec[pi]]; !ok {
			months = append(months, rec[pi])
		}
		n, _ := strconv.Atoi(rec[mi])
		sum[rec[pi]] += n
	}
	sort.Strings(months)
	var out []string
	for _, m := range months {
		out = append(out, fmt.Sprintf("%s=%d", m, sum[m]))
	}
	return strings.Join(out, ",")
}

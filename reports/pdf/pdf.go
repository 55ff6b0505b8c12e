// Package pdf prints a report's HTML page to an A4 PDF with a headless Chromium or Microsoft
// Edge found on this machine, driven over the DevTools protocol (chromedp), with networking
// off. The page's own print CSS does the layout (a section per page, headings kept with what
// follows, figures unbroken); this package sets the paper, the margins and the page numbers,
// and fits each chart to the printed width and to a page's height before printing.
//
// It does not download a browser and does not know reports: it prints an HTML file.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// BrowserEnv names the browser executable to print with, before the ones looked for.
const BrowserEnv = "MINGDENG_BROWSER"

// ErrNoBrowser is returned when no Chromium, Chrome or Edge is found.
var ErrNoBrowser = errors.New("no Chromium, Chrome or Edge found to print PDF")

// Browser finds a Chromium-family browser: MINGDENG_BROWSER, then the usual names on PATH,
// then the usual install folders of Windows and macOS.
func Browser() (string, error) {
	if p := os.Getenv(BrowserEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", BrowserEnv, p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge", "microsoft-edge"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	var paths []string
	switch runtime.GOOS {
	case "windows":
		for _, env := range []string{"ProgramFiles(x86)", "ProgramFiles", "LocalAppData"} {
			if d := os.Getenv(env); d != "" {
				paths = append(paths, filepath.Join(d, `Microsoft\Edge\Application\msedge.exe`), filepath.Join(d, `Google\Chrome\Application\chrome.exe`))
			}
		}
	case "darwin":
		paths = []string{"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge", "/Applications/Chromium.app/Contents/MacOS/Chromium"}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: install Chromium (Debian: apt-get install chromium) or Microsoft Edge, or set %s to its executable; the DOCX needs no browser",
		ErrNoBrowser, BrowserEnv)
}

// fitCharts resizes every ECharts instance to the printed text width and at most a page's
// height with room for the section heading and the chart title above it (an A4 page prints
// about 990 CSS pixels here), so no chart or colour bar is cut at a page break, and reports how
// many it fitted.
const fitCharts = `(function () {
  var n = 0;
  Array.prototype.forEach.call(document.querySelectorAll(".md-chart"), function (el) {
    var inst = window.echarts && echarts.getInstanceByDom(el);
    if (!inst) { return; }
    var h = Math.min(el.clientHeight, 780);
    el.style.height = h + "px";
    el.style.width = "680px";
    inst.resize({ width: 680, height: h });
    n++;
  });
  return n;
})()`

// Print writes the HTML file as an A4 PDF. The page must have drawn its charts within timeout.
func Print(ctx context.Context, htmlPath, pdfPath string, timeout time.Duration) error {
	bin, err := Browser()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(htmlPath)
	if err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "mingdeng-pdf-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", os.Geteuid() == 0),
		// Nothing leaves the machine: the page loads nothing, and names resolve nowhere.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.ProxyServer("127.0.0.1:9"),
		chromedp.Flag("disable-extensions", true),
	)
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	bctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	tctx, cancel3 := context.WithTimeout(bctx, timeout)
	defer cancel3()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if runtime.GOOS == "windows" {
		u.Path = "/" + u.Path
	}
	const mm = 1 / 25.4
	err = chromedp.Do(tctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
			return err
		}),
		chromedp.EmulateViewport(760, 1080),
		chromedp.Navigate(u.String()),
		chromedp.Steps(func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Poll[bool](`document.documentElement.hasAttribute("data-md-charts")`, chromedp.WithPollingTimeout(timeout))(ctx, t)
			return chromedp.Void{}, err
		}),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[int](fitCharts)(ctx, t)
			return err
		}),
	)
	var pdf []byte
	if err == nil {
		pdf, err = chromedp.Run(tctx, chromedp.PrintToPDF(
			chromedp.PDFPaper(chromedp.PaperA4),
			chromedp.PDFMargins(16*mm, 14*mm, 18*mm, 14*mm),
			chromedp.PDFPrintBackground(),
			chromedp.PDFHeaderTemplate(`<span></span>`),
			chromedp.PDFFooterTemplate(`<div style="font-size:9pt;width:100%;text-align:center;color:#444;">— <span class="pageNumber"></span> —</div>`),
			chromedp.PDFOutlineAndTagged(),
		))
	}
	if err != nil {
		return fmt.Errorf("print %s with %s: %w", filepath.Base(htmlPath), bin, err)
	}
	tmp := pdfPath + ".tmp"
	if err := os.WriteFile(tmp, pdf, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, pdfPath)
}

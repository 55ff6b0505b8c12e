//go:build releasetest

// Package releasetest checks the release builds (make release) on this Linux machine: the
// Windows zip under wine, the linux-arm64 executable under qemu-user, the linux-amd64 one
// natively. It runs only through make release-test, which builds them, installs wine and qemu
// and passes their paths in the environment; it is not part of go test ./... (build tag
// releasetest). It links no DuckDB: it runs the shipped binaries as a user would.
package releasetest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"debug/pe"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var (
	releaseDir = os.Getenv("MINGDENG_RELEASE_DIR") // bin/release
	wineLoader = os.Getenv("MINGDENG_WINE")        // /usr/lib/wine/wine64
	prngStub   = os.Getenv("MINGDENG_PRNG_STUB")   // the test-only bcryptprimitives.dll
	echartsJS  = os.Getenv("MINGDENG_ECHARTS")     // the pinned echarts.min.js
	cjkFont    = os.Getenv("MINGDENG_CJK_FONT")    // a Chinese font for wine, which has none
	// winePrefix is made once per run by TestMain: a fresh prefix, as on a clean machine.
	winePrefix string
)

const (
	zipName = "mingdeng-windows-amd64.zip"
	// The titles may name the company or unit before the kind of report.
	evalTitle   = "党建成效评估报告"
	annualTitle = "年度调研课题报告"
)

func TestMain(m *testing.M) {
	for name, v := range map[string]string{"MINGDENG_RELEASE_DIR": releaseDir, "MINGDENG_WINE": wineLoader, "MINGDENG_PRNG_STUB": prngStub, "MINGDENG_ECHARTS": echartsJS, "MINGDENG_CJK_FONT": cjkFont} {
		if v == "" {
			println(name + " is not set: run make release-test")
			os.Exit(2)
		}
	}
	dir, err := os.MkdirTemp("", "mingdeng-wine-")
	if err != nil {
		panic(err)
	}
	winePrefix = dir
	code := m.Run()
	exec.Command(filepath.Join(filepath.Dir(wineLoader), "wineserver"), "-k").Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// echartsMarker is a stretch from the middle of the pinned ECharts: a binary or page that
// contains it has the library inlined.
func echartsMarker(t *testing.T) []byte {
	t.Helper()
	js, err := os.ReadFile(echartsJS)
	if err != nil {
		t.Fatal(err)
	}
	return js[len(js)/2 : len(js)/2+256]
}

func TestArtifacts(t *testing.T) {
	marker := echartsMarker(t)
	t.Run("windows zip", func(t *testing.T) {
		dir := unzip(t, t.TempDir())
		var names []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				names = append(names, filepath.ToSlash(rel))
			}
			return err
		})
		sort.Strings(names)
		want := []string{"mingdeng/LICENSE-duckdb.txt", "mingdeng/duckdb.dll", "mingdeng/mingdeng.exe"}
		if strings.Join(names, " ") != strings.Join(want, " ") {
			t.Errorf("zip holds %v, want exactly %v (one folder; no test-only DLL)", names, want)
		}
		exe := filepath.Join(dir, "mingdeng", "mingdeng.exe")
		f, err := pe.Open(exe)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, ok := f.OptionalHeader.(*pe.OptionalHeader64); !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
			t.Errorf("mingdeng.exe is not PE32+ x86-64 (machine %#x)", f.Machine)
		}
		if f.NumberOfSymbols != 0 {
			t.Errorf("mingdeng.exe is not stripped: %d symbols", f.NumberOfSymbols)
		}
		// Every DLL it needs is Windows' own or the one beside it in the zip.
		libs, err := f.ImportedLibraries()
		if err != nil {
			t.Fatal(err)
		}
		for _, lib := range libs {
			switch strings.ToLower(lib) {
			case "kernel32.dll", "msvcrt.dll", "duckdb.dll":
			default:
				t.Errorf("mingdeng.exe imports %s, which is neither Windows' own nor in the zip", lib)
			}
		}
		containsMarker(t, exe, marker)
		logSize(t, filepath.Join(releaseDir, zipName))
		logSize(t, exe)
		logSize(t, filepath.Join(dir, "mingdeng", "duckdb.dll"))
	})
	for _, tc := range []struct {
		file    string
		machine elf.Machine
		static  bool // else it may need glibc only: libstdc++ and libgcc are linked in
	}{
		{"mingdeng-linux-amd64", elf.EM_X86_64, true},
		{"mingdeng-linux-arm64", elf.EM_AARCH64, false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(releaseDir, tc.file)
			f, err := elf.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != tc.machine || f.Class != elf.ELFCLASS64 {
				t.Errorf("%s is %v %v, want %v", tc.file, f.Class, f.Machine, tc.machine)
			}
			// Static: no program interpreter, so the target's glibc version does not matter.
			dynamic := false
			for _, p := range f.Progs {
				dynamic = dynamic || p.Type == elf.PT_INTERP
			}
			if dynamic && tc.static {
				t.Errorf("%s is dynamically linked", tc.file)
			}
			if dynamic {
				libs, err := f.ImportedLibraries()
				if err != nil {
					t.Fatal(err)
				}
				for _, lib := range libs {
					if !glibcPart.MatchString(lib) {
						t.Errorf("%s needs %s, which is not part of glibc", tc.file, lib)
					}
				}
				t.Logf("%s needs glibc %s or later", tc.file, newestGlibc(t, f))
			}
			if f.Section(".symtab") != nil {
				t.Errorf("%s is not stripped", tc.file)
			}
			containsMarker(t, path, marker)
			logSize(t, path)
		})
	}
}

// glibcPart matches the shared libraries every glibc system has.
var glibcPart = regexp.MustCompile(`^(libc|libm|libpthread|libdl|librt|ld-linux-[a-z0-9-]+)\.so\.[0-9]+$`)

// newestGlibc is the newest glibc symbol version f needs, the oldest glibc it runs on.
func newestGlibc(t *testing.T, f *elf.File) string {
	t.Helper()
	syms, err := f.ImportedSymbols()
	if err != nil {
		t.Fatal(err)
	}
	best := [2]int{}
	for _, s := range syms {
		var major, minor int
		if _, err := fmt.Sscanf(s.Version, "GLIBC_%d.%d", &major, &minor); err == nil && (major > best[0] || major == best[0] && minor > best[1]) {
			best = [2]int{major, minor}
		}
	}
	return fmt.Sprintf("%d.%d", best[0], best[1])
}

// TestWindowsDemoUnderWine unzips the release into a folder with a Chinese name and a space
// and runs mingdeng.exe demo --scale tiny there, then opens its reports.
func TestWindowsDemoUnderWine(t *testing.T) {
	folder := filepath.Join(t.TempDir(), "演示 文件夹")
	exe := filepath.Join(unzip(t, folder), "mingdeng", "mingdeng.exe")
	out, errOut, code := runWine(t, folder, exe, "demo", "--scale", "tiny")
	if code != 0 {
		t.Fatalf("demo exit %d:\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "完成") || !strings.Contains(out, `演示 文件夹\mingdeng-demo\evaluation.html`) {
		t.Errorf("demo's console text lacks 完成 and the report's Windows path:\n%s", out)
	}
	marker := echartsMarker(t)
	demo := filepath.Join(folder, "mingdeng-demo")
	for _, tc := range []struct{ file, title string }{
		{"evaluation.html", evalTitle},
		{"annual.html", annualTitle},
	} {
		page, err := os.ReadFile(filepath.Join(demo, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		checkOfflinePage(t, tc.file, page, tc.title, marker)
	}
	for _, f := range []string{"mingdeng.duckdb", "mingdeng.duckdb.key", "evaluation.xlsx", "annual.md"} {
		if _, err := os.Stat(filepath.Join(demo, f)); err != nil {
			t.Errorf("demo did not write %s: %v", f, err)
		}
	}
	// The warehouse made on Windows opens on Linux, with the same DuckDB.
	db := `mingdeng-demo\mingdeng.duckdb`
	winVersion, errOut, code := runWine(t, folder, exe, "sql", "--db", db, "SELECT version() AS v")
	if code != 0 {
		t.Fatalf("sql under wine: exit %d: %s", code, errOut)
	}
	linux := exec.Command(filepath.Join(releaseDir, "mingdeng-linux-amd64"), "sql", "--db", filepath.Join(demo, "mingdeng.duckdb"), "SELECT version() AS v")
	linuxVersion, err := linux.Output()
	if err != nil {
		t.Fatalf("linux-amd64 sql on the Windows warehouse: %v", err)
	}
	v := regexp.MustCompile(`v\d+\.\d+\.\d+`)
	if wv, lv := v.FindString(winVersion), v.FindString(string(linuxVersion)); wv == "" || wv != lv {
		t.Errorf("DuckDB on Windows %q, on Linux %q: want the same release", wv, lv)
	}
}

// TestWindowsDoubleClick runs mingdeng.exe with no arguments from another folder, as a
// shortcut does: the warehouse and key go beside the exe, the page answers on loopback, the
// console says how to stop, and a second process gets the in-use message in Chinese.
func TestWindowsDoubleClick(t *testing.T) {
	root := t.TempDir()
	app := filepath.Join(root, "明灯 程序")
	exe := filepath.Join(unzip(t, app), "mingdeng", "mingdeng.exe")
	elsewhere := filepath.Join(root, "elsewhere")
	os.Mkdir(elsewhere, 0o755)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := wineCommand(ctx, elsewhere, exe)
	cmd.Stdin = strings.NewReader("") // a failure waits for Enter: end it at once here
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := make(chan string)
	var console strings.Builder
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var link string
	for link == "" || !strings.Contains(console.String(), "要停止") {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("mingdeng.exe ended:\n%s\n%s", console.String(), errOut.String())
			}
			console.WriteString(line + "\n")
			if u, ok := strings.CutPrefix(line, "mingdeng 网页已启动："); ok {
				link = strings.TrimSpace(u)
			}
		case <-ctx.Done():
			t.Fatalf("no page after 3 minutes:\n%s\n%s", console.String(), errOut.String())
		}
	}
	t.Logf("console of the double-clicked mingdeng.exe:\n%s", console.String())
	if !strings.HasPrefix(link, "http://127.0.0.1:") {
		t.Errorf("page at %q, want loopback", link)
	}
	if !strings.Contains(console.String(), "要停止，请关闭此窗口或按 Ctrl+C。") {
		t.Errorf("console does not say how to stop:\n%s", console.String())
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(page, []byte("明灯")) {
		t.Errorf("GET %s: %d\n%.300s", link, resp.StatusCode, page)
	}
	dir := filepath.Dir(exe)
	for _, f := range []string{"mingdeng.duckdb", "mingdeng.duckdb.key"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not beside mingdeng.exe: %v", f, err)
		}
		if _, err := os.Stat(filepath.Join(elsewhere, f)); err == nil {
			t.Errorf("%s created in the working folder instead of beside mingdeng.exe", f)
		}
	}
	// While the page holds the warehouse, a writer is refused with the in-use message.
	_, msg, code := runWine(t, elsewhere, exe, "init", "--db", filepath.Join(dir, "mingdeng.duckdb"))
	if code != 1 || !strings.Contains(msg, "正被另一个进程使用") {
		t.Errorf("init while serving: exit %d, %q; want 1 and the in-use message", code, msg)
	}
}

// TestArm64UnderQemu runs the linux-arm64 executable under qemu-user through the pipeline:
// generate a tiny set, init, ingest, analyze, report.
func TestArm64UnderQemu(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "麒麟 测试")
	os.Mkdir(dir, 0o755)
	bin := filepath.Join(releaseDir, "mingdeng-linux-arm64")
	db := filepath.Join(dir, "mingdeng.duckdb")
	steps := [][]string{
		{"gen", "--scale", "tiny", "--out", filepath.Join(dir, "source")},
		{"init", "--db", db},
		{"ingest", "--db", db, filepath.Join(dir, "source")},
		{"analyze", "--db", db, "--format", "json", "--out", filepath.Join(dir, "analysis.json")},
		{"report", "evaluation", "--db", db, "--out", filepath.Join(dir, "reports")},
		{"sql", "--db", db, "SELECT count(*) AS n FROM meetings"},
	}
	var last string
	for _, args := range steps {
		cmd := exec.Command("qemu-aarch64-static", append([]string{bin}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "QEMU_LD_PREFIX=/usr/aarch64-linux-gnu")
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s\n%s", args[0], err, out.String(), errOut.String())
		}
		last = out.String()
	}
	if n := regexp.MustCompile(`\b[1-9]\d*\b`).FindString(last); n == "" {
		t.Errorf("no meetings in the arm64 warehouse:\n%s", last)
	}
	analysis, err := os.ReadFile(filepath.Join(dir, "analysis.json"))
	if err != nil || !bytes.Contains(analysis, []byte(`"estimate":`)) {
		t.Errorf("analyze wrote no estimates (%v):\n%.300s", err, analysis)
	}
	page, err := os.ReadFile(filepath.Join(dir, "reports", "evaluation.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkOfflinePage(t, "evaluation.html", page, evalTitle, echartsMarker(t))
}

// checkOfflinePage asserts what a user opening the page on an offline PC relies on: the title,
// ECharts inlined, and no script or style fetched from elsewhere.
func checkOfflinePage(t *testing.T, name string, page []byte, title string, marker []byte) {
	t.Helper()
	if !regexp.MustCompile(`<title>[^<]*` + regexp.QuoteMeta(title) + `[^<]*</title>`).Match(page) {
		t.Errorf("%s has no <title> with %s", name, title)
	}
	if !bytes.Contains(page, marker) {
		t.Errorf("%s does not inline ECharts", name)
	}
	if m := regexp.MustCompile(`(?i)<(script|link)[^>]+(src|href)="(https?:)?//`).Find(page); m != nil {
		t.Errorf("%s loads from the network: %s", name, m)
	}
}

// unzip extracts the Windows release into dir and returns dir.
func unzip(t *testing.T, dir string) string {
	t.Helper()
	r, err := zip.OpenReader(filepath.Join(releaseDir, zipName))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, f := range r.File {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if f.FileInfo().IsDir() {
			os.MkdirAll(path, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(path), 0o755)
		src, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
		src.Close()
		dst.Close()
	}
	return dir
}

// wineCommand runs a Windows program in the test's wine prefix, with the ProcessPrng stub
// (wine 8.0 lacks it; every Windows 10 has it) and without a browser to hand pages to.
func wineCommand(ctx context.Context, dir, exe string, args ...string) *exec.Cmd {
	prepareWine()
	cmd := exec.CommandContext(ctx, wineLoader, append([]string{exe}, args...)...)
	cmd.Dir = dir
	cmd.Env = wineEnv()
	return cmd
}

func wineEnv() []string {
	// Z: is wine's drive for the Unix root.
	font := `Z:` + strings.ReplaceAll(cjkFont, "/", `\`)
	return append(os.Environ(), "WINEPREFIX="+winePrefix, "WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=;winebrowser.exe=d", "MINGDENG_CHART_FONT="+font)
}

var wineReady bool

// prepareWine creates the prefix on first use and puts the stub into its system32.
func prepareWine() {
	if wineReady {
		return
	}
	boot := exec.Command(wineLoader, "wineboot", "--init")
	boot.Env = wineEnv()
	if out, err := boot.CombinedOutput(); err != nil {
		panic("wineboot: " + err.Error() + "\n" + string(out))
	}
	stub, err := os.ReadFile(prngStub)
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(winePrefix, "drive_c", "windows", "system32", "bcryptprimitives.dll"), stub, 0o644); err != nil {
		panic(err)
	}
	wineReady = true
}

// runWine runs exe to its end and returns its stdout, stderr and exit code.
func runWine(t *testing.T, dir, exe string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := wineCommand(ctx, dir, exe, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		t.Fatalf("wine %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

func containsMarker(t *testing.T, path string, marker []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, marker) {
		t.Errorf("%s does not embed the pinned ECharts", filepath.Base(path))
	}
}

func logSize(t *testing.T, path string) {
	fi, err := os.Stat(path)
	if err != nil {
		t.Error(err)
		return
	}
	t.Logf("size %s: %d bytes (%.1f MiB)", filepath.Base(path), fi.Size(), float64(fi.Size())/(1<<20))
}

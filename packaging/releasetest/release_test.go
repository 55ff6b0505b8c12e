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
	"strconv"
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
	// arm64Root is the old arm64 glibc the linux-arm64 build is linked against (bin/arm64-sysroot).
	arm64Root = os.Getenv("MINGDENG_ARM64_SYSROOT")
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
	for name, v := range map[string]string{"MINGDENG_RELEASE_DIR": releaseDir, "MINGDENG_WINE": wineLoader, "MINGDENG_PRNG_STUB": prngStub, "MINGDENG_ECHARTS": echartsJS, "MINGDENG_CJK_FONT": cjkFont, "MINGDENG_ARM64_SYSROOT": arm64Root} {
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
		static  bool // else it may need glibc and libgcc_s only: libstdc++ is linked in
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
				checkVersionNeeds(t, f)
			}
			if f.Section(".symtab") != nil {
				t.Errorf("%s is not stripped", tc.file)
			}
			containsMarker(t, path, marker)
			logSize(t, path)
		})
	}
}

// The oldest systems the dynamic linux-arm64 build is for: Kylin V10 and UOS 20 have glibc 2.28
// and GCC 7.3 or later (whose libgcc_s defines GCC_7.0.0).
var (
	glibcFloor  = version{2, 28}
	libgccFloor = version{7, 0, 0}
)

// systemLib matches the shared libraries every glibc system has: glibc's own, and GCC's
// libgcc_s, which glibc itself loads to unwind threads.
var systemLib = regexp.MustCompile(`^(libc|libm|libpthread|libdl|librt|ld-linux-[a-z0-9-]+)\.so\.[0-9]+$|^libgcc_s\.so\.1$`)

// checkVersionNeeds reads f's version needs (what readelf -V lists, and what the dynamic
// linker refuses to start without): only system libraries, no glibc version newer than
// glibcFloor and no libgcc_s version newer than libgccFloor.
func checkVersionNeeds(t *testing.T, f *elf.File) {
	t.Helper()
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	for _, lib := range libs {
		if !systemLib.MatchString(lib) {
			t.Errorf("needs %s, which is neither glibc's nor libgcc_s", lib)
		}
	}
	needs, err := f.DynamicVersionNeeds()
	if err != nil {
		t.Fatal(err)
	}
	var glibc, libgcc version
	glibcName, libgccName := "none", "none" // as written in the file
	var listing strings.Builder
	for _, need := range needs {
		fmt.Fprintf(&listing, "  %s:", need.Name)
		for _, dep := range need.Needs {
			fmt.Fprintf(&listing, " %s", dep.Dep)
			if v, ok := parseVersion(dep.Dep, "GLIBC_"); ok {
				if v.newerThan(glibc) {
					glibc, glibcName = v, dep.Dep
				}
			} else if v, ok := parseVersion(dep.Dep, "GCC_"); ok {
				if v.newerThan(libgcc) {
					libgcc, libgccName = v, dep.Dep
				}
			} else {
				// GLIBC_PRIVATE among them: it differs between any two glibc builds.
				t.Errorf("%s: needs %s, which is no released glibc or GCC version", need.Name, dep.Dep)
			}
		}
		listing.WriteString("\n")
	}
	t.Logf("version needs:\n%snewest: %s, %s", listing.String(), glibcName, libgccName)
	if glibc == (version{}) {
		t.Errorf("found no GLIBC version needs: the check read nothing")
	}
	if glibc.newerThan(glibcFloor) {
		t.Errorf("needs %s, newer than glibc %s (Kylin V10, UOS 20)", glibcName, glibcFloor)
	}
	if libgcc.newerThan(libgccFloor) {
		t.Errorf("needs %s from libgcc_s, newer than GCC %s's", libgccName, libgccFloor)
	}
}

// version is a dotted version number, as in GLIBC_2.28 or GCC_4.2.0.
type version [3]int

// parseVersion reads prefix followed by up to three dotted numbers.
func parseVersion(s, prefix string) (version, bool) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return version{}, false
	}
	var v version
	parts := strings.Split(rest, ".")
	if len(parts) > len(v) {
		return version{}, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return version{}, false
		}
		v[i] = n
	}
	return v, true
}

func (v version) newerThan(w version) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] > w[i]
		}
	}
	return false
}

func (v version) String() string {
	if v[2] == 0 {
		return fmt.Sprintf("%d.%d", v[0], v[1])
	}
	return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2])
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
// default browser is asked to open it, the console says how to stop, and a second process gets
// the in-use message in Chinese.
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
	// The default browser was asked to open exactly the page's address.
	var opened []byte
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Second) {
		if opened, _ = os.ReadFile(browserLog()); len(opened) > 0 {
			break
		}
	}
	if got := strings.TrimSpace(string(opened)); got != link {
		t.Errorf("the default browser was asked to open %q, want %q", got, link)
	} else {
		t.Logf("the default browser was asked to open %s", got)
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

// TestArm64UnderQemu runs the linux-arm64 executable under qemu-user through the pipeline,
// with the old glibc of its sysroot as the system's: generate a tiny set, init, ingest,
// analyze, report, a query, and a failing query (C++ exceptions unwound by that system's
// libgcc_s).
func TestArm64UnderQemu(t *testing.T) {
	libcPath := filepath.Join(arm64Root, "lib", "aarch64-linux-gnu", "libc.so.6")
	libc, err := elf.Open(libcPath)
	if err != nil {
		t.Fatal(err)
	}
	defs, err := libc.DynamicVersions()
	libc.Close()
	if err != nil {
		t.Fatal(err)
	}
	var newest version
	for _, d := range defs {
		if v, ok := parseVersion(d.Name, "GLIBC_"); ok && v.newerThan(newest) {
			newest = v
		}
	}
	// Older than 2.34, when libpthread and libdl moved into libc: the layout of 2.28.
	if newest == (version{}) || !(version{2, 34}).newerThan(newest) {
		t.Fatalf("the sysroot's libc.so.6 defines GLIBC_%s: want a glibc older than 2.34, as on Kylin V10 and UOS 20", newest)
	}
	file, _ := filepath.EvalSymlinks(libcPath) // Debian's libc-2.31.so
	t.Logf("running on the sysroot's %s (newest version defined: GLIBC_%s)", filepath.Base(file), newest)

	dir := filepath.Join(t.TempDir(), "麒麟 测试")
	os.Mkdir(dir, 0o755)
	bin := filepath.Join(releaseDir, "mingdeng-linux-arm64")
	db := filepath.Join(dir, "mingdeng.duckdb")
	run := func(args ...string) (string, string, error) {
		cmd := exec.Command("qemu-aarch64-static", append([]string{bin}, args...)...)
		cmd.Dir = dir
		// qemu resolves the program interpreter and its libraries in this folder.
		cmd.Env = append(os.Environ(), "QEMU_LD_PREFIX="+arm64Root)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		return out.String(), errOut.String(), err
	}
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
		out, errOut, err := run(args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s\n%s", args[0], err, out, errOut)
		}
		last = out
	}
	if n := regexp.MustCompile(`\b[1-9]\d*\b`).FindString(last); n == "" {
		t.Errorf("no meetings in the arm64 warehouse:\n%s", last)
	}
	// DuckDB reports a missing table by a C++ exception, caught inside DuckDB: the program
	// must say so and exit 1, not abort.
	_, errOut, err := run("sql", "--db", db, "SELECT * FROM no_such_table")
	if code := exitCode(err); code != 1 || !strings.Contains(errOut, "no_such_table") {
		t.Errorf("sql on a missing table: exit %d, %q; want 1 and DuckDB's message", code, errOut)
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

// exitCode is a finished command's exit code: 0 without error, -1 when it did not run or was
// killed.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := err.(*exec.ExitError); ok {
		return e.ExitCode()
	}
	return -1
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
// (wine 8.0 lacks it; every Windows 10 has it) and the browser recorder as the default browser.
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
		"WINEDLLOVERRIDES=mscoree,mshtml=", "MINGDENG_CHART_FONT="+font)
}

var wineReady bool

// browserLog is where the recorder that stands in for the default browser writes each address
// it is asked to open, one a line.
func browserLog() string { return filepath.Join(winePrefix, "browser-opened.txt") }

// prepareWine creates the prefix on first use, puts the stub into its system32 and makes the
// recorder the browser. Wine hands a ShellExecute of an http address, as Windows does, to the
// http protocol's handler in the registry (its winebrowser.exe), which starts the Unix programs
// listed under HKCU\Software\Wine\WineBrowser\Browsers: here only the recorder, so no real
// browser opens and the test sees which address would have.
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
	recorder := filepath.Join(winePrefix, "record-browser.sh")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" >>'" + browserLog() + "'\n"
	if err := os.WriteFile(recorder, []byte(script), 0o755); err != nil {
		panic(err)
	}
	reg := exec.Command(wineLoader, "reg", "add", `HKCU\Software\Wine\WineBrowser`, "/v", "Browsers", "/t", "REG_SZ", "/d", recorder, "/f")
	reg.Env = wineEnv()
	if out, err := reg.CombinedOutput(); err != nil {
		panic("reg add: " + err.Error() + "\n" + string(out))
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

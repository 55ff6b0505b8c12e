package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestBenchMedianAndRatios(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median odd = %v", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median even = %v", m)
	}
	b := &bencher{report: &benchReport{}}
	b.add(benchStep{Name: "ingest", Rows: 100, Seconds: 4})
	b.add(benchStep{Name: "bare", Rows: 100, Seconds: 2})
	b.add(benchStep{Name: "analyze", Seconds: 3})
	b.add(benchStep{Name: "sql", Seconds: 2})
	b.compare("ingest", "bare", false)
	b.compare("analyze", "sql", true)
	if r := b.step("ingest").Ratio; r != 0.5 {
		t.Errorf("throughput ratio = %v, want 0.5", r)
	}
	if r := b.step("analyze").Ratio; r != 1.5 {
		t.Errorf("time ratio = %v, want 1.5", r)
	}
}

// TestTraceBreakdown reads the ingest trace as the ingest writes it: steps summed over the files
// of a run, the median over runs, CPU seconds where the lines carry them (and none from lines
// of an older binary, which do not).
func TestTraceBreakdown(t *testing.T) {
	runs := []childResult{
		{stderr: []byte("ingest: type    100.0 ms    150.0 cpu-ms\ningest: merge   50.0 ms   40.0 cpu-ms\n  sql 1.0 ms 1.0 cpu-ms  SELECT 1\ningest: type 300.0 ms 250.0 cpu-ms\n")},
		{stderr: []byte("ingest: type 200.0 ms 100.0 cpu-ms\ningest: merge 70.0 ms 60.0 cpu-ms\n")},
		{stderr: []byte("ingest: type 900.0 ms 800.0 cpu-ms\ningest: merge 90.0 ms 80.0 cpu-ms\n")},
	}
	want := []benchPart{{Step: "type", Seconds: 0.4, CPUSeconds: 0.4}, {Step: "merge", Seconds: 0.07, CPUSeconds: 0.06}}
	got := traceBreakdown(runs)
	if len(got) != len(want) {
		t.Fatalf("steps %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	old := traceBreakdown([]childResult{{stderr: []byte("ingest: type    100.0 ms\n")}})
	if len(old) != 1 || old[0].Seconds != 0.1 || old[0].CPUSeconds != 0 {
		t.Errorf("an older binary's trace: %+v, want type 0.1 s and no CPU", old)
	}
}

func TestBenchMaxRSS(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("rusage Maxrss is read on Linux")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	kb := maxRSSKB(cmd.ProcessState.SysUsage())
	if kb < 1024 || kb > 4<<20 {
		t.Errorf("child peak RSS %d KiB: not plausible", kb)
	}
	if maxRSSKB(nil) != 0 || maxRSSKB(42) != 0 {
		t.Error("no rusage should read as 0")
	}
}

// The per-format subset holds the same rows in every format.
func TestBenchSubsetFormats(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "巡视记录.csv")
	text := "巡视编号,班组,线路名称,巡视里程\nXS-1,BZ01,龙潭线,\"1,5\"\nXS-2,BZ02,燕子一线,3\n"
	if err := os.WriteFile(src, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := writeSubsetFormats(src, filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	gb, err := os.ReadFile(files["gb18030"])
	if err != nil {
		t.Fatal(err)
	}
	back, err := simplifiedchinese.GB18030.NewDecoder().Bytes(gb)
	if err != nil || string(back) != text {
		t.Errorf("GB18030 copy decodes to %q (%v)", back, err)
	}
	f, err := os.Open(files["ndjson"])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var objs []map[string]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var o map[string]string
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o)
	}
	if len(objs) != 2 || objs[0]["巡视里程"] != "1,5" || objs[1]["线路名称"] != "燕子一线" {
		t.Errorf("NDJSON = %v", objs)
	}
	n, err := excelizeRows(files["xlsx"])
	if err != nil || n != 2 {
		t.Errorf("XLSX rows = %d (%v), want 2", n, err)
	}
	if m := machineInfo(); m.Cores < 1 || (runtime.GOOS == "linux" && !strings.Contains(m.Go, "go")) {
		t.Errorf("machine info %+v", m)
	}
}

// The whole benchmark at tiny scale, run as users of the tool run it: both binaries built, the
// benchmark's baselines as its own child processes (not this test binary's, which would run the
// tests again), every ratio the goals read filled, and the table naming them.
func TestBenchTinyEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mingdeng and runs every stage")
	}
	dir := t.TempDir()
	exe, bench := filepath.Join(dir, "mingdeng"), filepath.Join(dir, "mingdeng-bench")
	for _, b := range [][2]string{{exe, "../mingdeng"}, {bench, "."}} {
		if out, err := exec.Command("go", "build", "-o", b[0], b[1]).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b[1], err, out)
		}
	}
	js := filepath.Join(dir, "tiny.json")
	// The same binary as its own baseline: every end-to-end line gets its baseline's line and a
	// time ratio, and the pipeline a run-by-run ratio.
	cmd := exec.Command(bench, "--scale", "tiny", "--out", js, "--baseline", exe) // finds mingdeng beside itself
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var rep benchReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ingest csv (all files)", "ingest csv utf8 (subset)", "ingest xlsx (subset)", "analyze (half, lags 0,1)"} {
		s := findStep(rep.Steps, name)
		if s == nil || s.Ratio <= 0 || s.Baseline == "" {
			t.Errorf("step %q: %+v, want a ratio against its baseline", name, s)
		}
	}
	for _, name := range []string{"ingest csv (all files)", "analyze command", "report evaluation"} {
		s := findStep(rep.Steps, name+", baseline binary")
		if s == nil || s.Ratio <= 0 || s.Baseline != name || len(s.Runs) != 1 {
			t.Errorf("baseline of %q: %+v, want a time ratio against it", name, s)
		}
	}
	if rep.BaselineRatio <= 0 || !strings.Contains(stdout.String(), "against the baseline binary") {
		t.Errorf("pipeline ratio %v; table:\n%s", rep.BaselineRatio, stdout.String())
	}
	if findPandas(t.Context()) != "" {
		if s := findStep(rep.Steps, "pandas read_csv (subset)"); s == nil || s.Ratio <= 0 {
			t.Errorf("pandas peer: %+v", s)
		}
	}
	// The XLSX ingest's CPU time and its steps, the fixed ones of the process included.
	if s := findStep(rep.Steps, "ingest xlsx (subset)"); s == nil || s.CPUSeconds <= 0 {
		t.Errorf("xlsx step without CPU seconds: %+v", s)
	}
	var steps []string
	for _, p := range rep.BreakdownXLSX {
		steps = append(steps, p.Step)
	}
	for _, want := range []string{"open", "setup", "type", "merge", "close"} {
		if !slices.Contains(steps, want) {
			t.Errorf("XLSX breakdown %v lacks %q", steps, want)
		}
	}
	if !strings.Contains(stdout.String(), "ingest steps, the XLSX subset") {
		t.Errorf("no XLSX breakdown in the table:\n%s", stdout.String())
	}
	if len(rep.Goals) < 4 || !strings.Contains(stdout.String(), "bare read_csv CTAS") {
		t.Errorf("goals %+v; table:\n%s", rep.Goals, stdout.String())
	}
}

func findStep(steps []benchStep, name string) *benchStep {
	for i := range steps {
		if steps[i].Name == name {
			return &steps[i]
		}
	}
	return nil
}

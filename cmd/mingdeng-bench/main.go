// Command mingdeng-bench is the developers' benchmark of the mingdeng binary: it generates a
// sample set, times ingest per format, analyze and the evaluation report as child processes,
// and measures the baselines they are judged against in the same run, interleaved. It is a
// tool for us, not part of what users run: `make bench` builds it beside bin/mingdeng.
// docs/BENCHMARKS.md holds the current table and how to read it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
)

// The benchmark runs every measured stage as a child process of this binary, so that each
// stage's peak RSS is its own (rusage Maxrss of the child) and no stage warms the next one's
// caches inside one Go heap. Baselines run the same way, in the same run, on the same files.

// benchStep is one measured line of the table.
type benchStep struct {
	Name       string    `json:"name"`
	Input      string    `json:"input"`
	Rows       int64     `json:"rows,omitempty"`
	Seconds    float64   `json:"seconds"` // median of runs
	Runs       []float64 `json:"runs"`
	RowsPerSec float64   `json:"rows_per_sec,omitempty"`
	PeakRSSMiB float64   `json:"peak_rss_mib,omitempty"` // largest over runs
	Baseline   string    `json:"baseline,omitempty"`     // the step this one is compared with
	// Ratio is throughput ÷ the baseline's throughput for loads, time ÷ the baseline's time for
	// analyze (so ≥ 0.9 is the ingest goal and ≤ 1.3 the analyze goal).
	Ratio float64 `json:"ratio,omitempty"`
	Note  string  `json:"note,omitempty"`
	// CPUSeconds is the median of the runs' CPU time (user + system, all threads): on a shared
	// machine it varies less with others' load than the wall time.
	CPUSeconds float64 `json:"cpu_seconds,omitempty"`
}

type benchPart struct {
	Step       string  `json:"step"`
	Seconds    float64 `json:"seconds"`
	CPUSeconds float64 `json:"cpu_seconds,omitempty"` // the process's CPU time over the step
}

type benchGoal struct {
	Goal  string  `json:"goal"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Met   bool    `json:"met"`
}

type benchMachine struct {
	CPU    string  `json:"cpu"`
	Cores  int     `json:"cores"`
	MemGiB float64 `json:"mem_gib"`
	Go     string  `json:"go"`
	Load   string  `json:"load_avg_at_start"`
	// MemoryLimit is MINGDENG_MEMORY_LIMIT as the child processes inherit it (DuckDB's
	// memory_limit; empty: DuckDB's default, 80% of RAM).
	MemoryLimit string `json:"memory_limit,omitempty"`
}

type benchReport struct {
	Scale          string       `json:"scale"`
	Runs           int          `json:"runs"`
	Machine        benchMachine `json:"machine"`
	Subset         string       `json:"subset"`
	Steps          []benchStep  `json:"steps"`
	WarehouseBytes int64        `json:"warehouse_bytes"`
	PipelineSecs   float64      `json:"pipeline_seconds"` // ingest + analyze + evaluation report
	PipelineRSSMiB float64      `json:"pipeline_peak_rss_mib"`
	// BaselineRatio is the pipeline's time ÷ the baseline binary's, the median of the run-by-run
	// ratios of ingest + analyze + report (0 without --baseline).
	BaselineRatio float64     `json:"baseline_pipeline_ratio,omitempty"`
	Goals         []benchGoal `json:"goals"`
	// Breakdown is the median time of each ingest step (MINGDENG_INGEST_TRACE) over the runs of
	// the one-large-file CSV ingest, beside the bare CTAS of that file.
	Breakdown []benchPart `json:"ingest_breakdown,omitempty"`
	// BreakdownAll is the same over the runs of the whole set (summed over its files).
	BreakdownAll []benchPart `json:"ingest_breakdown_all_files,omitempty"`
	LargeFile    string      `json:"large_file,omitempty"`
	Started      time.Time   `json:"started"`
	// BreakdownXLSX is Breakdown over the runs of the XLSX subset's ingest.
	BreakdownXLSX []benchPart `json:"ingest_breakdown_xlsx,omitempty"`
}

type bencher struct {
	stderr io.Writer
	exe    string // the mingdeng binary measured
	// baseline is another mingdeng binary (say main's, or another DuckDB driver's) whose
	// end-to-end pipeline runs interleaved with exe's; "" when not asked for.
	baseline string
	// pipelineOnly skips the ingest baselines, the per-format subset and the analyze child:
	// only the end-to-end pipeline (and the baseline binary's) is measured.
	pipelineOnly bool
	// ingestRuns are the measured binary's runs of the whole set's ingest (its output included),
	// for whatever reads more than the time from them.
	ingestRuns []childResult
	self       string // this binary, for the baselines' child commands
	python     string // a python3 with pandas and openpyxl, "" when the machine has none
	dir        string
	runs       int
	key        string
	report     *benchReport
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := newRootCmd(os.Stdout, os.Stderr).ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "mingdeng-bench:", err)
		os.Exit(1)
	}
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	var scale, out, keep, mingdeng, baseline string
	var runs int
	var pipelineOnly bool
	cmd := &cobra.Command{
		Use:   "mingdeng-bench",
		Short: "benchmark of the mingdeng binary: generation, ingest per format, analyze and report times and peak memory, against same-run baselines",
		Long: `Every stage runs as a child process (peak RSS from the child's rusage): the mingdeng binary for
the stages users run, this binary's hidden "child" commands for the baselines. Baselines are
measured in the same run, interleaved with what they are compared with: DuckDB's bare
CREATE TABLE AS SELECT * FROM read_csv(...) on the same CSV, excelize's own streaming read of the
same XLSX, the SQL behind analyze, and, when python3 with pandas is on the machine, pandas'
read_csv and read_excel of the same files. With --baseline, another mingdeng binary (main's, or
one built with another DuckDB driver) runs ingest, analyze and the evaluation report on a
warehouse of its own, interleaved run by run, and the table gives the time ratios. The table
goes to stdout, progress to stderr.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if scale != "tiny" && scale != "company" && scale != "province" {
				return fmt.Errorf("--scale: tiny, company or province")
			}
			if runs < 1 {
				return fmt.Errorf("--runs must be at least 1")
			}
			self, err := os.Executable()
			if err != nil {
				return err
			}
			exe, err := findMingdeng(mingdeng, self)
			if err != nil {
				return err
			}
			dir := keep
			if dir == "" {
				if dir, err = os.MkdirTemp("", "mingdeng-bench-*"); err != nil {
					return err
				}
				defer os.RemoveAll(dir)
			} else if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			if baseline != "" {
				if baseline, err = findMingdeng(baseline, self); err != nil {
					return fmt.Errorf("--baseline: %w", err)
				}
			}
			b := &bencher{stderr: stderr, exe: exe, self: self, dir: dir, runs: runs, key: "mingdeng-bench-key-0123456789abcdef",
				baseline: baseline, pipelineOnly: pipelineOnly,
				python: findPandas(cmd.Context()),
				report: &benchReport{Scale: scale, Runs: runs, Machine: machineInfo(), Started: time.Now()}}
			if err := b.run(cmd.Context(), scale); err != nil {
				return err
			}
			b.printTable(stdout)
			if out != "" {
				data, err := json.MarshalIndent(b.report, "", "  ")
				if err != nil {
					return err
				}
				return os.WriteFile(out, append(data, '\n'), 0o644)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&scale, "scale", "company", "scale: tiny, company or province")
	cmd.Flags().StringVar(&out, "out", "", "also write the results as JSON to this file")
	cmd.Flags().StringVar(&keep, "keep", "", "keep the generated files and warehouses in this folder (default: a temporary folder, removed)")
	cmd.Flags().IntVar(&runs, "runs", 1, "repetitions of each measurement (the median is reported)")
	cmd.Flags().StringVar(&mingdeng, "mingdeng", "", "the mingdeng binary to measure (default: mingdeng beside this binary)")
	cmd.Flags().StringVar(&baseline, "baseline", "", "another mingdeng binary (e.g. main's) whose ingest, analyze and evaluation report run interleaved with the measured one's; the table gives time ratios")
	cmd.Flags().BoolVar(&pipelineOnly, "pipeline-only", false, "measure only ingest + analyze + evaluation report (and --baseline's), not the ingest baselines and per-format subset")
	cmd.AddCommand(newChildCmd(stdout))
	return cmd
}

// findMingdeng is the binary under test: the flag's, else the mingdeng beside this benchmark
// (make bench builds both into bin/).
func findMingdeng(flag, self string) (string, error) {
	p := flag
	if p == "" {
		p = filepath.Join(filepath.Dir(self), "mingdeng")
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("the mingdeng binary to measure: %w (build it with make build, or pass --mingdeng)", err)
	}
	return filepath.Abs(p)
}

func (b *bencher) progress(format string, args ...any) {
	fmt.Fprintf(b.stderr, "bench: "+format+"\n", args...)
}

// childResult is one child process run.
type childResult struct {
	seconds float64
	cpu     float64 // user + system seconds
	rssKB   int64
	stdout  []byte
	stderr  []byte
}

// child runs one measured process and reports its wall time and peak RSS. args[0] names the
// program: "child" is this binary's baseline commands, "python3" the pandas peers, "baseline"
// the --baseline mingdeng binary, anything else is an argument of the mingdeng binary under test.
func (b *bencher) child(ctx context.Context, args ...string) (childResult, error) {
	prog, argv := b.exe, args
	switch args[0] {
	case "child":
		prog = b.self
	case "python3":
		prog, argv = b.python, args[1:]
	case "baseline":
		prog, argv = b.baseline, args[1:]
	}
	cmd := exec.CommandContext(ctx, prog, argv...)
	cmd.Env = append(os.Environ(), "MINGDENG_KEY="+b.key, "MINGDENG_LANG=en")
	if args[0] != "child" && args[0] != "python3" && slices.Contains(args, "ingest") {
		// Each ingest step's time (MINGDENG_INGEST_TRACE), for the breakdown against the floor.
		cmd.Env = append(cmd.Env, "MINGDENG_INGEST_TRACE=1")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := childResult{seconds: time.Since(start).Seconds(), stdout: stdout.Bytes(), stderr: stderr.Bytes()}
	if cmd.ProcessState != nil {
		res.rssKB = maxRSSKB(cmd.ProcessState.SysUsage())
		res.cpu = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	if err != nil {
		return res, fmt.Errorf("%s %s: %v\n%s", filepath.Base(prog), strings.Join(argv, " "), err, tail(stderr.String(), 2000))
	}
	return res, nil
}

// pandasRead is the script of the pandas peers: read one file whole, as an analyst would
// with pandas, and print its row count.
const pandasRead = `import sys, pandas
f = pandas.read_excel if sys.argv[1] == "excel" else pandas.read_csv
print(len(f(sys.argv[2])))`

// findPandas is the first python that imports pandas and openpyxl, or "" when none does: the
// python3 on PATH, else Debian's own (python3-pandas, python3-openpyxl install there, and a
// pyenv or venv python3 on PATH would not see them).
func findPandas(ctx context.Context) string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.CommandContext(ctx, py, "-c", "import pandas, openpyxl").Run() == nil {
			return py
		}
	}
	return ""
}

// maxRSSKB reads Maxrss (KiB on Linux) from a process's rusage, 0 where the platform has none.
func maxRSSKB(u any) int64 {
	v := reflect.ValueOf(u)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return 0
	}
	f := v.FieldByName("Maxrss")
	if !f.IsValid() || !f.CanInt() {
		return 0
	}
	kb := f.Int()
	if runtime.GOOS == "darwin" {
		kb /= 1024 // bytes there
	}
	return kb
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// contestant is one measured command: prep runs untimed before each run.
type contestant struct {
	step benchStep
	prep func(run int) error
	args func(run int) []string
}

// measure runs prep (untimed) then the child runs times, and fills a step with the median.
func (b *bencher) measure(ctx context.Context, step benchStep, prep func(run int) error, args func(run int) []string) (benchStep, []childResult, error) {
	steps, results, err := b.interleave(ctx, contestant{step, prep, args})
	if err != nil {
		return step, nil, err
	}
	return steps[0], results[0], nil
}

// interleave measures several commands run after run (a1 b1 a2 b2 …), so that a figure and its
// baseline meet the same load on a shared machine; compare pairs their runs in that order.
func (b *bencher) interleave(ctx context.Context, cs ...contestant) ([]benchStep, [][]childResult, error) {
	steps := make([]benchStep, len(cs))
	results := make([][]childResult, len(cs))
	for j, c := range cs {
		steps[j] = c.step
	}
	cpu := make([][]float64, len(cs))
	for i := 0; i < b.runs; i++ {
		for j, c := range cs {
			if c.prep != nil {
				if err := c.prep(i); err != nil {
					return nil, nil, err
				}
			}
			r, err := b.child(ctx, c.args(i)...)
			if err != nil {
				return nil, nil, err
			}
			results[j] = append(results[j], r)
			cpu[j] = append(cpu[j], r.cpu)
			st := &steps[j]
			st.Runs = append(st.Runs, round3(r.seconds))
			if mib := float64(r.rssKB) / 1024; mib > st.PeakRSSMiB {
				st.PeakRSSMiB = round1(mib)
			}
		}
	}
	for j := range steps {
		st := &steps[j]
		st.Seconds = round3(median(st.Runs))
		st.CPUSeconds = round3(median(cpu[j]))
		if st.Rows > 0 && st.Seconds > 0 {
			st.RowsPerSec = float64(int64(float64(st.Rows) / st.Seconds))
		}
		b.progress("%-34s %8.2f s  (runs %v)  peak RSS %.0f MiB", st.Name, st.Seconds, st.Runs, st.PeakRSSMiB)
	}
	return steps, results, nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }
func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

// benchManifest is the part of the generator's manifest.json the benchmark reads.
type benchManifest struct {
	Files []struct {
		Path    string `json:"path"`
		Dataset string `json:"dataset"`
		Rows    int64  `json:"rows"`
	} `json:"files"`
}

func readBenchManifest(dir string) (*benchManifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m benchManifest
	return &m, json.Unmarshal(data, &m)
}

func (b *bencher) add(s benchStep) { b.report.Steps = append(b.report.Steps, s) }

func (b *bencher) step(name string) *benchStep {
	for i := range b.report.Steps {
		if b.report.Steps[i].Name == name {
			return &b.report.Steps[i]
		}
	}
	return nil
}

// compare sets the ratio of step name against base: throughput for loads, time otherwise. When
// both have the same number of runs (measured interleaved), the ratio is the median of the
// run-by-run ratios; otherwise the ratio of the medians.
func (b *bencher) compare(name, base string, byTime bool) {
	s, bs := b.step(name), b.step(base)
	if s == nil || bs == nil || s.Seconds == 0 || bs.Seconds == 0 {
		return
	}
	s.Baseline = base
	ratio := func(t, bt float64) float64 {
		if byTime {
			return t / bt
		}
		return bt / t * float64(s.Rows) / float64(max(bs.Rows, 1))
	}
	if len(s.Runs) == len(bs.Runs) {
		var rs []float64
		for i := range s.Runs {
			if s.Runs[i] > 0 && bs.Runs[i] > 0 {
				rs = append(rs, ratio(s.Runs[i], bs.Runs[i]))
			}
		}
		if len(rs) > 0 {
			s.Ratio = round3(median(rs))
			return
		}
	}
	s.Ratio = round3(ratio(s.Seconds, bs.Seconds))
}

func (b *bencher) run(ctx context.Context, scale string) error {
	csvDir := filepath.Join(b.dir, "csv")
	os.RemoveAll(csvDir)
	// 1. Generation (CSV, UTF-8): the input of everything else.
	gen, _, err := b.measure(ctx, benchStep{Name: "generate", Input: "csv utf8, " + scale},
		func(int) error { return os.RemoveAll(csvDir) },
		func(int) []string { return []string{"gen", "--scale", scale, "--out", csvDir} })
	if err != nil {
		return err
	}
	man, err := readBenchManifest(csvDir)
	if err != nil {
		return err
	}
	var allRows int64
	var csvFiles, orgFiles []string
	subsetPath, subsetRows := "", int64(0)
	for _, f := range man.Files {
		p := filepath.Join(csvDir, f.Path)
		allRows += f.Rows
		csvFiles = append(csvFiles, p)
		c, err := datasets.Lookup(f.Dataset)
		if err == nil && c.Group == datasets.Organisation {
			orgFiles = append(orgFiles, p)
		}
		if f.Dataset == "patrols" && f.Rows >= subsetRows {
			subsetPath, subsetRows = p, f.Rows
		}
	}
	gen.Rows = allRows
	gen.RowsPerSec = float64(int64(float64(allRows) / gen.Seconds))
	b.add(gen)

	// 2. The whole pipeline on the CSV set: ingest, then analyze and the evaluation report.
	db, err := b.pipeline(ctx, csvDir, csvFiles, allRows)
	if err != nil {
		return err
	}
	b.report.BreakdownAll = traceBreakdown(b.ingestRuns)
	if b.pipelineOnly {
		if scale == "province" {
			b.pipelineGoals()
		}
		return nil
	}

	an, res, err := b.measure(ctx, benchStep{Name: "analyze (half, lags 0,1)", Input: "the warehouse above"}, nil,
		func(int) []string { return []string{"child", "analyze", "--db", db} })
	if err != nil {
		return err
	}
	// The child times analyze and its bare SQL inside one process, alternating.
	var sqlRuns, anRuns []float64
	for _, r := range res {
		var t struct{ SQL, Analyze float64 }
		if err := json.Unmarshal(r.stdout, &t); err != nil {
			return fmt.Errorf("analyze child: %w", err)
		}
		sqlRuns, anRuns = append(sqlRuns, round3(t.SQL)), append(anRuns, round3(t.Analyze))
	}
	rss := an.PeakRSSMiB
	an.Runs, an.Seconds, an.Note = anRuns, round3(median(anRuns)), "queries.Analyze in-process; peak RSS of the process running both"
	b.add(an)
	b.add(benchStep{Name: "bare SQL behind analyze", Input: "panel, team_events, date_range queries", Runs: sqlRuns, Seconds: round3(median(sqlRuns)), PeakRSSMiB: rss})
	b.compare(an.Name, "bare SQL behind analyze", true)

	// 3. Per format on one file's rows (the largest patrol file: one year).
	if subsetPath == "" {
		return fmt.Errorf("no patrol file in the generated set")
	}
	b.report.Subset = fmt.Sprintf("patrols, one year (%s, %d rows), written by the benchmark in each format from the generated CSV; the organisation files are loaded first (untimed) so references resolve", filepath.Base(subsetPath), subsetRows)
	b.progress("per-format subset: %s", b.report.Subset)
	orgDB := filepath.Join(b.dir, "org.duckdb")
	if err := b.initDB(ctx, "", orgDB); err != nil {
		return err
	}
	if _, err := b.child(ctx, append([]string{"--db", orgDB, "ingest"}, orgFiles...)...); err != nil {
		return err
	}
	sub := filepath.Join(b.dir, "subset")
	os.RemoveAll(sub)
	files, err := writeSubsetFormats(subsetPath, sub)
	if err != nil {
		return err
	}
	runDB := filepath.Join(b.dir, "subset.duckdb")
	fresh := func(int) error {
		removeDB(runDB)
		return copyFile(orgDB, runDB)
	}
	var cs []contestant
	for _, f := range []struct{ name, path string }{
		{"csv utf8", subsetPath}, {"csv gb18030", files["gb18030"]}, {"ndjson", files["ndjson"]}, {"xlsx", files["xlsx"]},
	} {
		cs = append(cs, contestant{benchStep{Name: "ingest " + f.name + " (subset)", Input: filepath.Base(f.path), Rows: subsetRows}, fresh,
			func(int) []string { return []string{"--db", runDB, "ingest", "--format", "json", f.path} }})
	}
	cs = append(cs,
		contestant{benchStep{Name: "bare read_csv CTAS (subset)", Input: filepath.Base(subsetPath), Rows: subsetRows}, fresh,
			func(int) []string { return []string{"child", "bare-csv", "--db", runDB, subsetPath} }},
		contestant{benchStep{Name: "excelize streaming read (subset)", Input: filepath.Base(files["xlsx"]), Rows: subsetRows}, nil,
			func(int) []string { return []string{"child", "excelize", files["xlsx"]} }})
	if b.python != "" {
		cs = append(cs,
			contestant{benchStep{Name: "pandas read_csv (subset)", Input: filepath.Base(subsetPath), Rows: subsetRows}, nil,
				func(int) []string { return []string{"python3", "-c", pandasRead, "csv", subsetPath} }},
			contestant{benchStep{Name: "pandas read_excel (subset)", Input: filepath.Base(files["xlsx"]), Rows: subsetRows}, nil,
				func(int) []string { return []string{"python3", "-c", pandasRead, "excel", files["xlsx"]} }})
	} else {
		b.progress("python3 with pandas and openpyxl not found: the pandas peers are not measured")
	}
	steps, subRes, err := b.interleave(ctx, cs...)
	if err != nil {
		return err
	}
	for _, s := range steps {
		b.add(s)
	}
	b.report.BreakdownXLSX = traceBreakdown(subRes[3])
	if nd := b.step("ingest ndjson (subset)"); nd != nil {
		// The same runs, compared with the CSV ingest they were interleaved with.
		vs := *nd
		vs.Name, vs.Ratio, vs.Baseline = "ingest ndjson vs csv (subset)", 0, ""
		b.add(vs)
	}
	for _, f := range []string{"csv utf8", "csv gb18030", "ndjson"} {
		b.compare("ingest "+f+" (subset)", "bare read_csv CTAS (subset)", false)
	}
	b.compare("ingest xlsx (subset)", "excelize streaming read (subset)", false)
	b.compare("pandas read_csv (subset)", "ingest csv utf8 (subset)", false)
	b.compare("pandas read_excel (subset)", "ingest xlsx (subset)", false)
	b.compare("ingest ndjson vs csv (subset)", "ingest csv utf8 (subset)", false)

	// 4. One large CSV file: the patrol rows of every year, repeated with distinct IDs.
	target := int64(1_000_000)
	if scale == "tiny" {
		target = 20_000
	}
	var patrolFiles []string
	for _, f := range man.Files {
		if f.Dataset == "patrols" {
			patrolFiles = append(patrolFiles, filepath.Join(csvDir, f.Path))
		}
	}
	bigPath := filepath.Join(sub, "patrols-large.csv")
	bigRows, err := writeLargeCSV(patrolFiles, bigPath, target)
	if err != nil {
		return err
	}
	b.report.LargeFile = fmt.Sprintf("%s: %d patrol rows, the generated years repeated with distinct IDs", filepath.Base(bigPath), bigRows)
	big, bigRes, err := b.interleave(ctx,
		contestant{benchStep{Name: "ingest csv (one large file)", Input: filepath.Base(bigPath), Rows: bigRows}, fresh,
			func(int) []string { return []string{"--db", runDB, "ingest", "--format", "json", bigPath} }},
		contestant{benchStep{Name: "bare read_csv CTAS (one large file)", Input: filepath.Base(bigPath), Rows: bigRows}, fresh,
			func(int) []string { return []string{"child", "bare-csv", "--db", runDB, bigPath} }})
	if err != nil {
		return err
	}
	b.add(big[0])
	b.add(big[1])
	b.compare(big[0].Name, big[1].Name, false)
	b.report.Breakdown = traceBreakdown(bigRes[0])
	removeDB(runDB)

	// The goals; a ratio below 1 in the pandas lines means mingdeng (validated, stored) is faster
	// than pandas only reading the file.
	g := &b.report.Goals
	if s := b.step("ingest csv (all files)"); s != nil {
		*g = append(*g, benchGoal{"CSV ingest ≥ 0.9× bare read_csv (all files)", s.Ratio, "×", s.Ratio >= 0.9})
	}
	if s := b.step("ingest csv utf8 (subset)"); s != nil {
		*g = append(*g, benchGoal{"CSV ingest ≥ 0.9× bare read_csv (one year's patrol file)", s.Ratio, "×", s.Ratio >= 0.9})
	}
	if s := b.step("ingest csv (one large file)"); s != nil {
		*g = append(*g, benchGoal{fmt.Sprintf("CSV ingest ≥ 0.9× bare read_csv (%d-row file)", s.Rows), s.Ratio, "×", s.Ratio >= 0.9})
	}
	if s := b.step("ingest xlsx (subset)"); s != nil {
		*g = append(*g, benchGoal{"XLSX ingest ≥ 150k rows/s", s.RowsPerSec, "rows/s", s.RowsPerSec >= 150000})
	}
	if s := b.step("ingest ndjson vs csv (subset)"); s != nil {
		*g = append(*g, benchGoal{"NDJSON ingest ≥ 0.7× CSV ingest (one year's patrol file)", s.Ratio, "×", s.Ratio >= 0.7})
	}
	if s := b.step(an.Name); s != nil {
		*g = append(*g, benchGoal{"analyze ≤ 1.3× its bare SQL", s.Ratio, "×", s.Ratio <= 1.3})
	}
	if scale == "province" {
		b.pipelineGoals()
	}
	return nil
}

func (b *bencher) pipelineGoals() {
	b.report.Goals = append(b.report.Goals,
		benchGoal{"province ingest + analyze + evaluation report < 90 s", b.report.PipelineSecs, "s", b.report.PipelineSecs < 90},
		benchGoal{"province peak RSS < 3 GiB", b.report.PipelineRSSMiB, "MiB", b.report.PipelineRSSMiB < 3072})
}

// pipeline measures what a user runs end to end on the generated CSV set: ingest of every file
// into a new warehouse, mingdeng analyze, and the evaluation report. Interleaved with it, run by
// run: DuckDB's bare CTAS of the same files (unless --pipeline-only), and with --baseline the
// same three stages of the baseline binary on a warehouse of its own, whose lines carry the time
// ratios (measured ÷ baseline: below 1 is faster). It returns the measured binary's warehouse.
func (b *bencher) pipeline(ctx context.Context, csvDir string, csvFiles []string, allRows int64) (string, error) {
	db := filepath.Join(b.dir, "warehouse.duckdb")
	baseDB := filepath.Join(b.dir, "baseline.duckdb")
	bareDB := filepath.Join(b.dir, "bare.duckdb")
	const (
		ingName  = "ingest csv (all files)"
		bareName = "bare read_csv CTAS (all files)"
		anName   = "analyze command"
		repName  = "report evaluation"
		baseTag  = ", baseline binary"
	)
	ingest := func(prog, path string) []string {
		return append(prog2(prog), "--db", path, "ingest", "--format", "json", csvDir)
	}
	cs := []contestant{{benchStep{Name: ingName, Input: fmt.Sprintf("%d CSV files, utf8", len(csvFiles)), Rows: allRows},
		func(int) error { return b.initDB(ctx, "", db) }, func(int) []string { return ingest("", db) }}}
	if b.baseline != "" {
		cs = append(cs, contestant{benchStep{Name: ingName + baseTag, Input: filepath.Base(b.baseline), Rows: allRows},
			func(int) error { return b.initDB(ctx, "baseline", baseDB) }, func(int) []string { return ingest("baseline", baseDB) }})
	}
	if !b.pipelineOnly {
		cs = append(cs, contestant{benchStep{Name: bareName, Input: "same files, one CREATE TABLE AS per file", Rows: allRows},
			func(int) error { return removeDB(bareDB) },
			func(int) []string { return append([]string{"child", "bare-csv", "--db", bareDB}, csvFiles...) }})
	}
	ing, res, err := b.stage(ctx, cs...)
	if err != nil {
		return "", err
	}
	b.ingestRuns = res[0]
	removeDB(bareDB)
	b.compare(ingName, bareName, false)
	if fi, err := os.Stat(db); err == nil {
		b.report.WarehouseBytes = fi.Size()
	}
	repDir, baseRepDir := filepath.Join(b.dir, "report"), filepath.Join(b.dir, "report-baseline")
	stages := []struct {
		name, input string
		args        func(prog, path, out string) []string
	}{
		{anName, "mingdeng analyze --format json", func(prog, path, _ string) []string {
			return append(prog2(prog), "--db", path, "analyze", "--format", "json")
		}},
		{repName, "HTML + Markdown + XLSX", func(prog, path, out string) []string {
			return append(prog2(prog), "--db", path, "report", "evaluation", "--out", out)
		}},
	}
	steps := [][]benchStep{ing}
	for _, st := range stages {
		cs := []contestant{{benchStep{Name: st.name, Input: st.input}, nil, func(int) []string { return st.args("", db, repDir) }}}
		if b.baseline != "" {
			cs = append(cs, contestant{benchStep{Name: st.name + baseTag, Input: filepath.Base(b.baseline)}, nil,
				func(int) []string { return st.args("baseline", baseDB, baseRepDir) }})
		}
		s, _, err := b.stage(ctx, cs...)
		if err != nil {
			return "", err
		}
		steps = append(steps, s)
	}
	b.report.PipelineSecs = round3(steps[0][0].Seconds + steps[1][0].Seconds + steps[2][0].Seconds)
	b.report.PipelineRSSMiB = max(steps[0][0].PeakRSSMiB, steps[1][0].PeakRSSMiB, steps[2][0].PeakRSSMiB)
	if b.baseline != "" {
		// The ratio sits on the baseline's line (the measured line keeps its own: the ingest
		// goal reads the ingest line's ratio against the bare CTAS).
		for _, name := range []string{ingName, anName, repName} {
			m, bs := b.step(name), b.step(name+baseTag)
			var rs []float64
			for i := range m.Runs {
				if bs.Runs[i] > 0 {
					rs = append(rs, m.Runs[i]/bs.Runs[i])
				}
			}
			bs.Baseline, bs.Ratio = name, round3(median(rs))
			bs.Note = "ratio: the measured binary's time ÷ this line's, run by run (below 1: faster than the baseline)"
		}
		// The pipeline's ratio run by run: each run's three stages met the same load in both.
		var rs []float64
		for i := range steps[0][0].Runs {
			var t, bt float64
			for _, s := range steps {
				t, bt = t+s[0].Runs[i], bt+s[1].Runs[i]
			}
			if bt > 0 {
				rs = append(rs, t/bt)
			}
		}
		b.report.BaselineRatio = round3(median(rs))
		removeDB(baseDB)
	}
	return db, nil
}

// stage measures contestants interleaved and adds their steps to the table.
func (b *bencher) stage(ctx context.Context, cs ...contestant) ([]benchStep, [][]childResult, error) {
	steps, res, err := b.interleave(ctx, cs...)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range steps {
		b.add(s)
	}
	return steps, res, nil
}

// prog2 is the leading argument that picks the program for child: "" the binary under test.
func prog2(prog string) []string {
	if prog == "" {
		return nil
	}
	return []string{prog}
}

// initDB makes a new, empty warehouse at path (untimed) with prog ("" the binary under test,
// "baseline" the --baseline one).
func (b *bencher) initDB(ctx context.Context, prog, path string) error {
	if err := removeDB(path); err != nil {
		return err
	}
	_, err := b.child(ctx, append(prog2(prog), "--db", path, "init")...)
	return err
}

func removeDB(path string) error {
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeSubsetFormats writes the rows of one UTF-8 CSV file as GB18030 CSV, NDJSON (every value a
// string, as the header names it) and XLSX (one sheet, text cells) into dir.
func writeSubsetFormats(path, dir string) (map[string]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	out := map[string]string{
		"gb18030": filepath.Join(dir, base+"-gb18030.csv"),
		"ndjson":  filepath.Join(dir, base+".ndjson"),
		"xlsx":    filepath.Join(dir, base+".xlsx"),
	}
	// GB18030: the same bytes re-encoded.
	in, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	gb, err := os.Create(out["gb18030"])
	if err != nil {
		return nil, err
	}
	w := simplifiedchinese.GB18030.NewEncoder().Writer(gb)
	if _, err := io.Copy(w, bufio.NewReaderSize(in, 1<<20)); err != nil {
		gb.Close()
		return nil, err
	}
	if err := gb.Close(); err != nil {
		return nil, err
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	// NDJSON and XLSX from the parsed records.
	r := csv.NewReader(bufio.NewReaderSize(in, 1<<20))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	nd, err := os.Create(out["ndjson"])
	if err != nil {
		return nil, err
	}
	defer nd.Close()
	nw := bufio.NewWriterSize(nd, 1<<20)
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		return nil, err
	}
	obj := make(map[string]string, len(header))
	for n := 2; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		row = row[:0]
		clear(obj)
		for i, h := range header {
			v := ""
			if i < len(rec) {
				v = rec[i]
			}
			obj[h] = v
			row = append(row, v)
		}
		line, err := json.Marshal(obj)
		if err != nil {
			return nil, err
		}
		nw.Write(line)
		nw.WriteByte('\n')
		if err := sw.SetRow("A"+strconv.Itoa(n), row); err != nil {
			return nil, err
		}
	}
	if err := nw.Flush(); err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	return out, x.SaveAs(out["xlsx"])
}

func machineInfo() benchMachine {
	m := benchMachine{Cores: runtime.NumCPU(), Go: runtime.Version(), MemoryLimit: os.Getenv("MINGDENG_MEMORY_LIMIT")}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				m.MemGiB = round1(kb / (1 << 20))
			}
		}
	}
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.Load = strings.Join(strings.Fields(string(data))[:3], " ")
	}
	return m
}

func (b *bencher) printTable(w io.Writer) {
	r := b.report
	limit := r.Machine.MemoryLimit
	if limit == "" {
		limit = "DuckDB default"
	}
	fmt.Fprintf(w, "mingdeng-bench --scale %s (%d run(s) per line, medians; %s, %d cores, %.1f GiB, load %s; memory limit %s)\n\n", r.Scale, r.Runs, r.Machine.CPU, r.Machine.Cores, r.Machine.MemGiB, r.Machine.Load, limit)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "step\trows\tseconds\tCPU s\trows/s\tpeak RSS MiB\tratio\tbaseline\t")
	for _, s := range r.Steps {
		rows, rps, ratio := "", "", ""
		if s.Rows > 0 {
			rows = strconv.FormatInt(s.Rows, 10)
		}
		if s.RowsPerSec > 0 {
			rps = strconv.FormatInt(int64(s.RowsPerSec), 10)
		}
		if s.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f×", s.Ratio)
		}
		cpu := ""
		if s.CPUSeconds > 0 {
			cpu = fmt.Sprintf("%.2f", s.CPUSeconds)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%s\t%.0f\t%s\t%s\t\n", s.Name, rows, s.Seconds, cpu, rps, s.PeakRSSMiB, ratio, s.Baseline)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nwarehouse on disk: %.1f MiB; ingest + analyze + evaluation report: %.1f s, peak RSS %.0f MiB\n", float64(r.WarehouseBytes)/(1<<20), r.PipelineSecs, r.PipelineRSSMiB)
	if r.BaselineRatio > 0 {
		fmt.Fprintf(w, "against the baseline binary: ingest + analyze + report time ratio %.2f× (median of the run-by-run ratios; below 1 is faster)\n", r.BaselineRatio)
	}
	if r.Subset != "" {
		fmt.Fprintf(w, "per-format subset: %s\n", r.Subset)
	}
	if r.LargeFile != "" {
		fmt.Fprintf(w, "one large file: %s\n", r.LargeFile)
	}
	for _, bd := range []struct {
		parts      []benchPart
		what, bare string
	}{{r.BreakdownAll, "all files, summed over them", "bare read_csv CTAS (all files)"}, {r.Breakdown, "the one large file", "bare read_csv CTAS (one large file)"},
		{r.BreakdownXLSX, "the XLSX subset", "ingest xlsx (subset)"}} {
		bare := b.step(bd.bare)
		if len(bd.parts) == 0 || bare == nil || bare.Seconds == 0 {
			continue
		}
		fmt.Fprintf(w, "ingest steps, %s (medians of MINGDENG_INGEST_TRACE; %s: %.2f s):\n", bd.what, bd.bare, bare.Seconds)
		for _, p := range bd.parts {
			fmt.Fprintf(w, "  %-18s %7.2f s  %5.2f× %s  %7.2f CPU-s\n", p.Step, p.Seconds, p.Seconds/bare.Seconds, bd.bare, p.CPUSeconds)
		}
	}
	fmt.Fprintln(w, "ratios: loads are throughput ÷ the baseline's (goal ≥ 0.9 for CSV); analyze is time ÷ its bare SQL's (goal ≤ 1.3); against a baseline binary, time ÷ its time")
	for _, g := range r.Goals {
		mark := "not met"
		if g.Met {
			mark = "met"
		}
		fmt.Fprintf(w, "goal: %-55s %12.2f %-6s %s\n", g.Goal, g.Value, g.Unit, mark)
	}
}

// newBenchChildCmd holds the baselines the benchmark runs as child processes.
func newChildCmd(stdout io.Writer) *cobra.Command {
	child := &cobra.Command{Use: "child", Hidden: true, Short: "the baselines, run by the benchmark as child processes"}
	var db string
	bare := &cobra.Command{
		Use:  "bare-csv FILE...",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			ctx := cmd.Context()
			w, err := warehouse.Open(ctx, db, warehouse.Options{Create: true})
			if err != nil {
				return err
			}
			var rows int64
			for i, f := range files {
				if _, err := w.DB().ExecContext(ctx, "CREATE TABLE "+warehouse.QuoteIdent("bare_"+strconv.Itoa(i))+" AS SELECT * FROM read_csv(?)", f); err != nil {
					w.Close()
					return err
				}
				var n int64
				if err := w.DB().QueryRowContext(ctx, "SELECT count(*) FROM "+warehouse.QuoteIdent("bare_"+strconv.Itoa(i))).Scan(&n); err != nil {
					w.Close()
					return err
				}
				rows += n
			}
			if err := w.Close(); err != nil {
				return err
			}
			return json.NewEncoder(stdout).Encode(map[string]int64{"rows": rows})
		},
	}
	bare.Flags().StringVar(&db, "db", "", "warehouse file")
	xl := &cobra.Command{
		Use:  "excelize FILE",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := excelizeRows(args[0])
			if err != nil {
				return err
			}
			return json.NewEncoder(stdout).Encode(map[string]int64{"rows": n})
		},
	}
	var adb string
	an := &cobra.Command{
		Use:  "analyze",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			w, err := warehouse.Open(ctx, adb, warehouse.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer w.Close()
			sqlSecs, anSecs, err := analyzeVsSQL(ctx, w)
			if err != nil {
				return err
			}
			return json.NewEncoder(stdout).Encode(map[string]float64{"sql": sqlSecs, "analyze": anSecs})
		},
	}
	an.Flags().StringVar(&adb, "db", "", "warehouse file")
	child.AddCommand(bare, xl, an)
	return child
}

// excelizeRows is excelize's own streaming read of every sheet (raw cell values): the floor for
// XLSX ingest.
func excelizeRows(path string) (int64, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var n int64
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				rows.Close()
				return 0, err
			}
			n++
		}
		if err := rows.Close(); err != nil {
			return 0, err
		}
	}
	return n - 1, nil // less the header row
}

// analyzeVsSQL times the SQL behind analyze (the panel, team_events and date_range queries, rows
// collected) and then a default analyze (half-years, lags 0 and 1), in that order, in one process.
func analyzeVsSQL(ctx context.Context, w *warehouse.Warehouse) (sqlSecs, anSecs float64, err error) {
	reg, err := queries.Default()
	if err != nil {
		return 0, 0, err
	}
	p := queries.Params{Period: "half", Lags: []int{0, 1}}
	// One untimed pass first, so both timed runs find the same warm caches.
	for _, name := range []string{"panel", "team_events", "date_range"} {
		if _, err := reg.Run(ctx, w.DB(), name, p, 0); err != nil {
			return 0, 0, err
		}
	}
	t0 := time.Now()
	for _, name := range []string{"panel", "team_events", "date_range"} {
		if _, err := reg.Run(ctx, w.DB(), name, p, 0); err != nil {
			return 0, 0, err
		}
	}
	sqlSecs = time.Since(t0).Seconds()
	t0 = time.Now()
	if _, err := queries.Analyze(ctx, w.DB(), queries.AnalyzeOptions{Period: "half", Lags: []int{0, 1}}); err != nil {
		return 0, 0, err
	}
	return sqlSecs, time.Since(t0).Seconds(), nil
}

// writeLargeCSV writes the rows of the patrol files into one CSV of at least target rows (fewer
// when the files hold fewer and target is small): the files' rows in order, then again with
// "-2", "-3", … after each patrol ID, so that every key stays unique.
func writeLargeCSV(files []string, out string, target int64) (int64, error) {
	f, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	var rows int64
	wroteHeader := false
	for copyNo := 1; rows < target; copyNo++ {
		before := rows
		for _, p := range files {
			in, err := os.Open(p)
			if err != nil {
				f.Close()
				return 0, err
			}
			r := csv.NewReader(bufio.NewReaderSize(in, 1<<20))
			r.FieldsPerRecord = -1
			header, err := r.Read()
			if err == nil && !wroteHeader {
				err = w.Write(header)
				wroteHeader = true
			}
			for err == nil {
				var rec []string
				if rec, err = r.Read(); err != nil {
					break
				}
				if copyNo > 1 && len(rec) > 0 {
					rec[0] += "-" + strconv.Itoa(copyNo)
				}
				if err = w.Write(rec); err == nil {
					rows++
				}
			}
			in.Close()
			if err != io.EOF {
				f.Close()
				return 0, err
			}
		}
		if rows == before {
			break // no rows at all
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	return rows, f.Close()
}

// traceBreakdown is the median time of each step over the runs' MINGDENG_INGEST_TRACE lines
// ("ingest: STEP  12.3 ms"), summed over the files of a run, in the order first seen.
func traceBreakdown(runs []childResult) []benchPart {
	var order []string
	per, perCPU := map[string][]float64{}, map[string][]float64{}
	for _, r := range runs {
		sums, cpus := map[string]float64{}, map[string]float64{}
		for _, line := range strings.Split(string(r.stderr), "\n") {
			// "ingest: STEP 12.3 ms", and since the trace gives it, "4.5 cpu-ms" after that.
			f := strings.Fields(line)
			if len(f) < 4 || f[0] != "ingest:" || f[3] != "ms" {
				continue
			}
			ms, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				continue
			}
			if _, seen := per[f[1]]; !seen {
				per[f[1]] = nil
				order = append(order, f[1])
			}
			sums[f[1]] += ms / 1000
			if len(f) >= 6 && f[5] == "cpu-ms" {
				if c, err := strconv.ParseFloat(f[4], 64); err == nil {
					cpus[f[1]] += c / 1000
				}
			}
		}
		for _, k := range order {
			per[k] = append(per[k], sums[k])
			perCPU[k] = append(perCPU[k], cpus[k])
		}
	}
	var out []benchPart
	for _, k := range order {
		out = append(out, benchPart{Step: k, Seconds: round3(median(per[k])), CPUSeconds: round3(median(perCPU[k]))})
	}
	return out
}

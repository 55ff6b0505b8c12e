package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// runCLIEnv makes the test binary run one mingdeng command line and exit: a real process that
// the crash test can kill.
const runCLIEnv = "MINGDENG_TEST_RUN_CLI"

func init() {
	if args := os.Getenv(runCLIEnv); args != "" {
		var argv []string
		if err := json.Unmarshal([]byte(args), &argv); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		err := run(context.Background(), argv, os.Stdin, os.Stdout, os.Stderr)
		code := exitCode(err, argv, os.Stderr)
		if path := os.Getenv(peakRSSFileEnv); path != "" {
			writePeakRSS(path)
		}
		os.Exit(code)
	}
}

// peakRSSFileEnv names a file where the re-executed test binary writes its own peak RSS in KiB
// before it exits. The parent cannot take it from the child's rusage: Go starts children with
// vfork, and the kernel carries the parent's high-water RSS into the child's maxrss at exec, so
// a test process that had grown past the limit would see every child over it. VmHWM belongs to
// the child's own address space.
const peakRSSFileEnv = "MINGDENG_TEST_PEAK_RSS_FILE"

func writePeakRSS(path string) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			os.WriteFile(path, []byte(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))), 0o644)
			return
		}
	}
}

var cliOrg = map[string]string{
	"单位.csv":  "单位编码,单位名称,单位类型\nU01,线路工区,工区\n",
	"党支部.csv": "支部编码,支部名称,单位\nB01,线路工区党支部,U01\n",
	"班组.csv":  "班组编码,班组名称,单位,班组类型,班组人数\nT01,运行一班,U01,运行,22\nT02,检修一班,U01,检修,18\n",
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIngestJSONSummaryAndRejects(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	writeTree(t, dir, cliOrg)
	writeTree(t, dir, map[string]string{"巡视记录.csv": "巡视编号,班组,巡视日期,巡视类型,巡视里程\nP1,T01,2024-03-05,正常巡视,12\nP2,T01,2024-13-05,正常巡视,12\nP3,T09,2024-03-05,正常巡视,-1\n"})
	r := mingdeng(t, "ingest", "--db", db, "--format", "json", dir)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var sum struct {
		Files []struct {
			Path, Dataset, Status                                             string
			RowsRead, Loaded, Updated, Unchanged, Rejected, Duplicates, Blank int64 `json:"-"`
		} `json:"files"`
	}
	var raw struct {
		Files []map[string]any `json:"files"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	_ = sum
	if len(raw.Files) != 4 {
		t.Fatalf("%s", r.stdout)
	}
	last := raw.Files[3]
	for _, k := range []string{"path", "dataset", "status", "rows_read", "loaded", "updated", "unchanged", "rejected", "duplicates", "blank", "seconds"} {
		if _, ok := last[k]; !ok {
			t.Errorf("summary lacks %q: %v", k, last)
		}
	}
	if last["dataset"] != "patrols" || last["loaded"] != 1.0 || last["rejected"] != 2.0 {
		t.Errorf("%v", last)
	}
	r = mingdeng(t, "rejects", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "2024-13-05") || !strings.Contains(r.stdout, "不是有效日期") {
		t.Fatalf("rejects: %+v", r)
	}
	r = mingdeng(t, "rejects", "--db", db, "--lang", "en", "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"reason_code": "out_of_range"`) {
		t.Fatalf("rejects json: %+v", r)
	}
	// The XLSX export keeps the original columns plus the reason; fixed, it loads again.
	out := filepath.Join(t.TempDir(), "rejects.xlsx")
	if r = mingdeng(t, "rejects", "--db", db, "--format", "xlsx", "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	rows, _ := f.GetRows(sheet)
	if len(rows) != 3 || rows[0][0] != "巡视编号" || rows[1][2] != "2024-13-05" {
		t.Fatalf("export rows %q", rows)
	}
	f.SetCellValue(sheet, "C2", "2024-03-06")
	f.SetCellValue(sheet, "B3", "T02")
	f.SetCellValue(sheet, "E3", "3")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	r = mingdeng(t, "ingest", "--db", db, "--format", "json", out)
	if r.code != 0 || !strings.Contains(r.stdout, `"loaded": 2`) {
		t.Fatalf("reload: %+v", r)
	}
	// Same folder again: nothing to do.
	r = mingdeng(t, "ingest", "--db", db, dir)
	if r.code != 0 || strings.Count(r.stdout, "已跳过") != 4 {
		t.Fatalf("second ingest: %+v", r)
	}
}

func TestIngestFailuresAreOneLocalizedLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	writeTree(t, dir, map[string]string{"units.csv": "单位名称,单位类型\n线路工区,工区\n"})
	r := mingdeng(t, "ingest", "--db", db, dir)
	if r.code != 1 || !strings.Contains(r.stderr, "缺少必填列：单位编码") {
		t.Fatalf("%+v", r)
	}
	r = mingdeng(t, "ingest", "--db", db, "--lang", "en", "--dataset", "units", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "required columns are missing: Unit code (unit_id)") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("%+v", r)
	}
	r = mingdeng(t, "ingest", "--db", db, "--dataset", "nosuch", dir)
	if r.code != 2 {
		t.Fatalf("%+v", r)
	}
	writeTree(t, dir, map[string]string{"units.csv": "单位编码,单位名称\nU1,A\nU2,\n"})
	r = mingdeng(t, "ingest", "--db", db, "--strict", dir)
	if r.code != 1 || !strings.Contains(r.stderr, "--strict") {
		t.Fatalf("strict: %+v", r)
	}
	r = mingdeng(t, "sql", "--db", db, "--format", "csv", "select count(*) from units")
	if strings.TrimSpace(r.stdout) != "count_star()\n0" {
		t.Fatalf("strict loaded rows: %q", r.stdout)
	}
}

// The key cannot be lost silently: init never makes a new key for a warehouse that holds
// pseudonyms, another key is refused by ingest, a short MINGDENG_KEY is refused.
func TestLostKeyIsNeverReplacedSilently(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	if r := mingdeng(t, "init", "--db", db); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	writeTree(t, dir, map[string]string{"人员.csv": "工号,姓名,手机号\nE001,杨洋,13912345678\nE002,李四,13912345679\n"})
	if r := mingdeng(t, "ingest", "--db", db, dir); r.code != 0 {
		t.Fatalf("ingest: %+v", r)
	}
	key := db + ".key"
	if err := os.Rename(key, key+".lost"); err != nil {
		t.Fatal(err)
	}
	r := mingdeng(t, "init", "--db", db)
	if r.code == 0 || !strings.Contains(r.stderr, "找不到它的密钥文件") {
		t.Fatalf("init without the key: %+v", r)
	}
	if _, err := os.Stat(key); err == nil {
		t.Fatal("init wrote a new key")
	}
	// A new key file by hand: ingest refuses it and the people are not doubled.
	os.WriteFile(key, []byte("0000000000000000000000000000000000000000000000000000000000000000\n"), 0o600)
	r = mingdeng(t, "ingest", "--db", db, "--force", dir)
	if r.code == 0 || !strings.Contains(r.stderr, "化名密钥与数据仓库不符") {
		t.Fatalf("ingest with another key: %+v", r)
	}
	os.Rename(key+".lost", key)
	if r := mingdeng(t, "sql", "--db", db, "SELECT count(*) AS n FROM people"); !strings.Contains(r.stdout, "2") {
		t.Fatalf("people: %+v", r)
	}
	t.Setenv("MINGDENG_KEY", "a")
	if r := mingdeng(t, "ingest", "--db", db, "--force", dir); r.code == 0 || !strings.Contains(r.stderr, "至少需要 16 个") {
		t.Fatalf("MINGDENG_KEY=a: %+v", r)
	}
}

// The table output names each file's dataset by its label in the user's language (the JSON
// keeps the code) and says what the counts do not: changed columns, unknown columns,
// conversions, summary rows.
func TestIngestTableNotes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	writeTree(t, dir, map[string]string{"人员.csv": "工号,姓名,手机号,是否党员\nE001,杨洋,13912345678,是\nE002,李四,13912345679,否\n"})
	if r := mingdeng(t, "ingest", "--db", db, dir); r.code != 0 || !regexp.MustCompile(`人员\.csv\s+人员\s+已导入`).MatchString(r.stdout) || strings.Contains(r.stdout, "people") {
		t.Errorf("the table does not name the dataset 人员: %+v", r)
	}
	units := t.TempDir()
	writeTree(t, units, map[string]string{"单位.csv": "单位编码,单位名称,单位类型\nU01,线路工区,工区\n"})
	if r := mingdeng(t, "ingest", "--db", db, "--lang", "en", units); r.code != 0 || !regexp.MustCompile(`单位\.csv\s+Units\s+loaded`).MatchString(r.stdout) {
		t.Errorf("--lang en: the table does not name the dataset Units: %+v", r)
	}
	if r := mingdeng(t, "ingest", "--db", db, "--force", "--format", "json", units); r.code != 0 || !strings.Contains(r.stdout, `"dataset": "units"`) {
		t.Errorf("--format json: the dataset is not its code: %+v", r)
	}
	upd := t.TempDir()
	writeTree(t, upd, map[string]string{"通讯录.csv": "工号,姓名,手机号,备用电话\nE001,杨洋,13800000001,\nE002,李四,13912345679,\n合计,2 人,,\n"})
	r := mingdeng(t, "ingest", "--db", db, upd)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, want := range []string{"更新 1 行，改动的列：手机号 1 行", "未识别的列（未导入）：备用电话", "1 行是合计、备注或制表人等汇总行"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := mingdeng(t, "status", "--db", db); !strings.Contains(r.stdout, "被拒绝的行：0") {
		t.Errorf("status: %s", r.stdout)
	}
}

// A value not found in the dataset it refers to: the reason asks to check the value and only
// conditionally to load that dataset first, since it is often loaded already and the value wrong.
func TestRejectOfUnknownReferenceAsksToCheckTheValue(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	writeTree(t, dir, map[string]string{"单位.csv": "单位编码,单位名称,单位类型\nU01,线路工区,工区\n", "参会签到记录.csv": "会议编号,人员,出席情况\nHY1,10000260,出席\n"})
	if r := mingdeng(t, "ingest", "--db", db, dir); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for lang, want := range map[string]string{
		"zh": "“人员”的值“1******0”在人员中找不到（请核对该值；如人员尚未导入，导入后再导入本文件即可，无需 --force）",
		"en": `"人员" (Person): "1******0" is not found in people (check the value; if people are not loaded yet, load them, then this file again; no --force needed)`,
	} {
		r := mingdeng(t, "rejects", "--db", db, "--lang", lang)
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("rejects --lang %s lacks %q:\n%s", lang, want, r.stdout)
		}
	}
}

// status names each batch's state in the user's language, and a file refused before its
// dataset was known as not recognised, not "?".
func TestStatusSaysBatchStatesInTheUsersLanguage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	writeTree(t, dir, map[string]string{"单位.csv": "单位编码,单位名称,单位类型\nU01,线路工区,工区\n", "其他.csv": "a,b\n1,2\n"})
	mingdeng(t, "ingest", "--db", db, dir)
	r := mingdeng(t, "status", "--db", db)
	if !regexp.MustCompile(`未识别\s+\S*其他\.csv\s+失败`).MatchString(r.stdout) || !regexp.MustCompile(`单位\s+\S*单位\.csv\s+已导入`).MatchString(r.stdout) {
		t.Errorf("status:\n%s", r.stdout)
	}
	if regexp.MustCompile(`\b(loaded|failed)\b|\s\?\s`).MatchString(r.stdout) {
		t.Errorf("English states or ? in the Chinese status:\n%s", r.stdout)
	}
	if r := mingdeng(t, "status", "--db", db, "--lang", "en"); !regexp.MustCompile(`not recognised\s+\S*其他\.csv\s+failed`).MatchString(r.stdout) {
		t.Errorf("status --lang en:\n%s", r.stdout)
	}
}

// report lists every file it wrote, the DOCX with the others, and then the hint.
func TestReportListsDocumentsBeforeTheHint(t *testing.T) {
	db := ingestedTiny(t)
	out := t.TempDir()
	r := mingdeng(t, "report", "annual", "--db", db, "--docx", "--out", out)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if !strings.HasSuffix(lines[len(lines)-2], ".docx") || lines[len(lines)-1] != "用浏览器打开 HTML 文件即可，无需联网。" {
		t.Errorf("report output:\n%s", r.stdout)
	}
}

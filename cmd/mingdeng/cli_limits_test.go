package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandLineMistakesGetClearMessages: each mistake is refused with its own message in
// Chinese and English and the right exit code, before anything runs.
func TestCommandLineMistakesGetClearMessages(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	if r := mingdeng(t, "init", "--db", db); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	for _, tt := range []struct {
		args     []string
		code     int
		zh, en   string
		notExist string // a file the command must not have made
	}{
		{[]string{"init", "--db", filepath.Join(dir, "a?access_mode=read_only.duckdb")}, 1, "含有 ?、# 或 %", "contains ?, # or %", filepath.Join(dir, "a")},
		{[]string{"status", "--db", filepath.Join(dir, "b#c.duckdb")}, 1, "含有 ?、# 或 %", "contains ?, # or %", filepath.Join(dir, "b")},
		{[]string{"status", "--db", filepath.Join(dir, "50%.duckdb")}, 1, "含有 ?、# 或 %", "contains ?, # or %", ""},
		{[]string{"status", "--db", db, "--last", "-1"}, 2, "--last 须为 0 或正整数（现为 -1）", "--last must be 0 or more (got -1)", ""},
		{[]string{"report", "annual", "--db", db, "--year", "99999", "--out", filepath.Join(dir, "r")}, 2, "--year 99999 超出范围", "--year 99999 is out of range", filepath.Join(dir, "r")},
		{[]string{"report", "evaluation", "--db", db, "--year", "-1", "--out", filepath.Join(dir, "r")}, 2, "--year -1 超出范围", "--year -1 is out of range", filepath.Join(dir, "r")},
		{[]string{"report", "annual", "--db", db, "--year", "1900", "--out", filepath.Join(dir, "r")}, 2, "1949 到 2100", "from 1949 to 2100", filepath.Join(dir, "r")},
	} {
		for lang, want := range map[string]string{"zh": tt.zh, "en": tt.en} {
			r := mingdeng(t, append(tt.args, "--lang", lang)...)
			if r.code != tt.code || !strings.Contains(r.stderr, want) {
				t.Errorf("%v --lang %s: exit %d, %q; want exit %d with %q", tt.args, lang, r.code, r.stderr, tt.code, want)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
				t.Errorf("%v: more than a message and a hint: %q", tt.args, r.stderr)
			}
		}
		if tt.notExist != "" {
			if _, err := os.Stat(tt.notExist); err == nil {
				t.Errorf("%v made %s", tt.args, tt.notExist)
			}
		}
	}
}

// mountTmpfs mounts a small tmpfs for the test, or skips where mounting is not allowed.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); the test needs root", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// TestStatusWorksOnAReadOnlyFileSystem: read commands open the warehouse read-only, so they
// work on a disk the user cannot write (a real read-only mount, not a permission bit, which
// root would ignore).
func TestStatusWorksOnAReadOnlyFileSystem(t *testing.T) {
	dir := mountTmpfs(t, "64m")
	db := filepath.Join(dir, "w.duckdb")
	if r := mingdeng(t, "init", "--db", db); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "probe"), nil, 0o644); err == nil {
		t.Fatal("the mount is still writable: this test would not test anything")
	}
	for _, args := range [][]string{
		{"status", "--db", db},
		{"status", "--db", db, "--format", "json"},
		{"query", "--db", db, "date_range"},
		{"rejects", "--db", db},
	} {
		if r := mingdeng(t, args...); r.code != 0 {
			t.Errorf("%v on a read-only file system: exit %d, %s", args, r.code, r.stderr)
		}
	}
}

// TestDiskFullIngestSaysSoOnce: an ingest that runs out of disk names the cause once, in the
// user's language, instead of the engine's error for every file, and shows no row counts for
// the files that failed. The disk is a 12 MiB tmpfs holding the warehouse.
func TestDiskFullIngestSaysSoOnce(t *testing.T) {
	dir := mountTmpfs(t, "12m")
	db := filepath.Join(dir, "w.duckdb")
	if r := mingdeng(t, "init", "--db", db); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	src := t.TempDir()
	var b strings.Builder
	for f := range 12 {
		b.Reset()
		b.WriteString("巡视编号,班组,巡视日期,巡视类型,巡视里程,是否计划,发现缺陷数\n")
		for i := range 40000 {
			fmt.Fprintf(&b, "XS%02d%06d,T%03d,2024-%02d-%02d,routine,%d.5,是,%d\n", f, i, i%50, i%12+1, i%28+1, i%40, i%3)
		}
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("巡视记录%02d.csv", f)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for lang, want := range map[string]string{"zh": "磁盘空间不足", "en": "the disk is full"} {
		r := mingdeng(t, "ingest", "--db", db, "--dataset", "patrols", "--lang", lang, src)
		if r.code != 1 {
			t.Fatalf("ingest on a full disk: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if strings.Count(r.stderr, want) != 1 || strings.Contains(strings.ToLower(r.stderr), "no space left") {
			t.Errorf("--lang %s: want %q once and no engine text: %s", lang, want, r.stderr)
		}
		failed := map[string]string{"zh": "失败", "en": "failed"}[lang]
		for _, line := range strings.Split(r.stdout, "\n") {
			// After the status only the seconds may follow: the counts are blank.
			if parts := strings.SplitN(line, failed, 2); len(parts) == 2 && len(strings.Fields(parts[1])) > 1 {
				t.Errorf("a failed file shows row counts: %q", line)
			}
		}
		if !strings.Contains(r.stdout, failed) {
			t.Errorf("no file failed, so the disk never filled: %s", r.stdout)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
)

func TestMain(m *testing.M) {
	warehousetest.ServeHoldRequest()
	os.Exit(m.Run())
}

// result is one in-process run of the CLI.
type result struct {
	code           int
	stdout, stderr string
}

func mingdeng(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	code := exitCode(err, args, &errOut)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

func TestInitThenSQLListsEveryTable(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	if r := mingdeng(t, "init", "--db", db); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	r := mingdeng(t, "sql", "--db", db, "--format", "csv", "select table_name from information_schema.tables")
	if r.code != 0 {
		t.Fatalf("sql: %+v", r)
	}
	got := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		got[line] = true
	}
	for _, want := range append(datasets.Names(), "_batches", "_rejects", "_migrations") {
		if !got[want] {
			t.Errorf("table %s not listed; got %v", want, r.stdout)
		}
	}
	if _, err := os.Stat(warehouse.KeyPath(db)); err != nil {
		t.Errorf("init did not create the key file beside the warehouse: %v", err)
	}
}

func TestInitIsRepeatable(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	key1, _ := os.ReadFile(warehouse.KeyPath(db))
	if r := mingdeng(t, "init", "--db", db); r.code != 0 {
		t.Fatalf("second init: %+v", r)
	}
	key2, _ := os.ReadFile(warehouse.KeyPath(db))
	if !bytes.Equal(key1, key2) {
		t.Fatal("second init replaced the pseudonymisation key")
	}
}

func TestDBFromEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.duckdb")
	t.Setenv("MINGDENG_DB", db)
	if r := mingdeng(t, "init"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("MINGDENG_DB not used: %v", err)
	}
}

func TestStatusShowsTablesInChineseAndEnglish(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	r := mingdeng(t, "status", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "党小组") || !strings.Contains(r.stdout, "被拒绝的行：0") || strings.Contains(r.stdout, "mingdeng check") {
		t.Fatalf("status (an empty warehouse has no months to check): %+v", r)
	}
	r = mingdeng(t, "status", "--db", db, "--lang", "en")
	if r.code != 0 || !strings.Contains(r.stdout, "Party groups") || !strings.Contains(r.stdout, "rejected rows: 0") {
		t.Fatalf("status --lang en: %+v", r)
	}
	r = mingdeng(t, "status", "--db", db, "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"dataset": "meetings"`) {
		t.Fatalf("status json: %+v", r)
	}
}

func TestDatasetsShowMeetingsHasChineseAliases(t *testing.T) {
	r := mingdeng(t, "datasets", "show", "meetings")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, want := range []string{"held_on", "会议日期", "召开时间", "党小组会"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("datasets show meetings lacks %q", want)
		}
	}
	r = mingdeng(t, "datasets")
	if r.code != 0 || !strings.Contains(r.stdout, "survey_responses") {
		t.Fatalf("datasets: %+v", r)
	}
	r = mingdeng(t, "datasets", "--markdown")
	doc, _ := os.ReadFile(filepath.Join("..", "..", "docs", "datasets.md"))
	if r.stdout != string(doc) {
		t.Error("datasets --markdown differs from docs/datasets.md")
	}
}

func TestExitCodesAndOneLineErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "mingdeng --help"},
		{"unknown flag", []string{"status", "--nope"}, 2, "nope"},
		{"unknown flag, Chinese", []string{"status", "--nope"}, 2, "错误：没有这个选项：--nope"},
		{"bad flag value", []string{"report", "evaluation", "--db", db, "--year", "abc"}, 2, "错误：选项 --year 的值“abc”无效"},
		{"bad flag value, English", []string{"--lang", "en", "report", "evaluation", "--db", db, "--year", "abc"}, 2, `error: invalid value "abc" for --year`},
		{"missing argument", []string{"datasets", "show"}, 2, "错误：mingdeng datasets show 需要 1 个参数，给出了 0 个"},
		{"missing argument, English", []string{"--lang", "en", "datasets", "show"}, 2, "expected 1 argument"},
		{"bad language", []string{"status", "--db", db, "--lang", "fr"}, 2, "错误：未知的语言 \"fr\"（应为 zh 或 en）"},
		{"unknown dataset", []string{"datasets", "show", "meeting"}, 2, "错误：没有名为“meeting”的数据集；可用：units（单位）、"},
		{"unknown dataset, English", []string{"--lang", "en", "datasets", "show", "meeting"}, 2, `error: unknown dataset "meeting"; known: units (Units), `},
		{"ingest --dataset unknown", []string{"ingest", "--db", db, "--dataset", "meeting", "x.csv"}, 2, "错误：没有名为“meeting”的数据集"},
		{"missing file", []string{"ingest", "--db", db, filepath.Join(t.TempDir(), "none.csv")}, 1, "错误：找不到文件或文件夹："},
		{"missing file, English", []string{"--lang", "en", "ingest", "--db", db, "none.csv"}, 1, "error: no such file or folder: none.csv"},
		{"bad format", []string{"sql", "--db", db, "--format", "yaml", "select 1"}, 2, "错误：未知的格式 \"yaml\"（应为 table、csv、json、markdown 或 xlsx）"},
		{"missing warehouse", []string{"status", "--db", filepath.Join(t.TempDir(), "none.duckdb")}, 1, "mingdeng init"},
		{"bad sql, English", []string{"--lang", "en", "sql", "--db", db, "select * from nosuch"}, 1, "error: sql: Catalog Error"},
		{"bad sql", []string{"sql", "--db", db, "select * from nosuch"}, 1, "错误：SQL 语句执行出错（以下为 DuckDB 的原文）：Catalog Error"},
		{"ok", []string{"sql", "--db", db, "select 42 as answer"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mingdeng(t, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit code %d, want %d: %+v", r.code, tt.code, r)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.want)
			}
			if tt.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("error is not one line: %q", r.stderr)
			}
		})
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	r := mingdeng(t, "sql", "--db", db, fmt.Sprintf("insert into _migrations (version, name) values (%d, 'future')", warehouse.Latest()+1))
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	r = mingdeng(t, "status", "--db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "比本程序支持的版本") {
		t.Fatalf("newer schema: %+v", r)
	}
}

func TestSecondProcessGetsInUseMessage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "busy.duckdb")
	warehousetest.Hold(t, db)
	r := mingdeng(t, "status", "--db", db, "--lang", "en")
	if r.code != 1 || !strings.Contains(r.stderr, "warehouse is in use by another process") {
		t.Fatalf("%+v", r)
	}
	r = mingdeng(t, "status", "--db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "正被另一个进程使用") {
		t.Fatalf("%+v", r)
	}
}

// The benchmark is a developer tool (cmd/mingdeng-bench): the binary users run has no bench
// command.
func TestNoBenchInTheShippedBinary(t *testing.T) {
	if r := mingdeng(t, "bench", "--scale", "tiny"); r.code != 2 {
		t.Errorf("mingdeng bench: exit %d, want 2 (unknown command); %+v", r.code, r)
	}
	if r := mingdeng(t, "--help"); strings.Contains(r.stdout, "bench") {
		t.Errorf("help lists bench:\n%s", r.stdout)
	}
}

// Help is in the user's language throughout: cobra's headings, the help flag, the defaults and
// the help command, not only the texts mingdeng writes.
func TestHelpIsInTheUsersLanguage(t *testing.T) {
	r := mingdeng(t, "serve", "--help")
	for _, want := range []string{"用法：\n  mingdeng serve [选项]", "选项：\n", "全局选项：\n", "-h, --help", "显示帮助", `监听地址（默认 "127.0.0.1:8080"）`, "每个查询的时间上限（默认 30s）"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("serve --help lacks %q:\n%s", want, r.stdout)
		}
	}
	r = mingdeng(t, "--help")
	for _, want := range []string{"可用命令：", "显示某个命令的帮助", `用 "mingdeng [命令] --help" 查看命令的详细说明。`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--help lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := mingdeng(t, "help", "status"); r.code != 0 || !strings.Contains(r.stdout, "mingdeng status [选项]") {
		t.Errorf("help status: %+v", r)
	}
	if r := mingdeng(t, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "错误：没有这个命令：frobnicate") {
		t.Errorf("unknown command: %+v", r)
	}
	zh := regexp.MustCompile(`Usage:|Flags:|help for|\(default |Available Commands|for more information`)
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"report", "--help"}, {"ingest", "--help"}} {
		if r := mingdeng(t, args...); zh.MatchString(r.stdout) {
			t.Errorf("%v: English help words in the Chinese help: %q", args, zh.FindAllString(r.stdout, -1))
		}
	}
	if r := mingdeng(t, "--lang", "en", "serve", "--help"); !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, `(default "127.0.0.1:8080")`) {
		t.Errorf("English help: %s", r.stdout)
	}
}

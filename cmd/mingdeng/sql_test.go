package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func initDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	if r := mingdeng(t, "init", "--db", db); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	return db
}

func TestSQLFileAndParams(t *testing.T) {
	db := initDB(t)
	q := filepath.Join(t.TempDir(), "q.sql")
	os.WriteFile(q, []byte("-- units of a kind\nselect $year + 1 as next_year, $name as 名称, $ratio * 2 as r;\n"), 0o644)
	r := mingdeng(t, "sql", "--db", db, "--file", q, "--param", "year=2024", "--param", "name=线路工区", "--param", "ratio=0.25", "--format", "csv")
	if r.code != 0 || r.stdout != "next_year,名称,r\n2025,线路工区,0.5\n" {
		t.Fatalf("%+v", r)
	}
}

func TestSQLRefusesSeveralStatements(t *testing.T) {
	db := initDB(t)
	r := mingdeng(t, "sql", "--db", db, "create table t1 (a int); select 1")
	if r.code != 2 || !strings.Contains(r.stderr, "一次只能执行一条语句") {
		t.Fatalf("%+v", r)
	}
	// Nothing of the refused text may have run.
	r = mingdeng(t, "sql", "--db", db, "--format", "csv", "select count(*) as n from information_schema.tables where table_name = 't1'")
	if r.stdout != "n\n0\n" {
		t.Fatalf("the first statement ran: %+v", r)
	}
	// A semicolon inside a string is not a second statement.
	r = mingdeng(t, "sql", "--db", db, "--format", "csv", "select 'a;b' as s;")
	if r.code != 0 || r.stdout != "s\na;b\n" {
		t.Fatalf("%+v", r)
	}
}

func TestSQLOutFormats(t *testing.T) {
	db := initDB(t)
	dir := t.TempDir()
	query := "select range as i, '=1+1' as f, '班组' || range as name from range(5)"

	xlsx := filepath.Join(dir, "out.xlsx")
	if r := mingdeng(t, "sql", "--db", db, "--out", xlsx, query); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("result")
	if len(rows) != 6 || rows[5][2] != "班组4" || rows[1][1] != "'=1+1" {
		t.Fatalf("xlsx rows %q", rows)
	}

	csvPath := filepath.Join(dir, "out.csv")
	mingdeng(t, "sql", "--db", db, "--out", csvPath, query)
	b, _ := os.ReadFile(csvPath)
	if !bytes.HasPrefix(b, []byte("\uFEFFi,f,name\n0,'=1+1,班组0\n")) {
		t.Fatalf("csv %q", b)
	}

	pq := filepath.Join(dir, "out.parquet")
	if r := mingdeng(t, "sql", "--db", db, "--out", pq, "--param", "k=3", "select range as i, range * $k as j from range(1000)"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	// Read the Parquet file back with DuckDB's own reader (a second implementation).
	r := mingdeng(t, "sql", "--db", db, "--format", "csv", "--param", "p="+pq, "select count(*) as n, sum(j) as s from read_parquet($p)")
	if r.code != 0 || r.stdout != "n,s\n1000,1498500\n" {
		t.Fatalf("parquet read back: %+v", r)
	}

	if r := mingdeng(t, "sql", "--db", db, "--format", "xlsx", "select 1"); r.code != 2 {
		t.Fatalf("xlsx to the screen should be refused: %+v", r)
	}
}

func TestShellScriptedSession(t *testing.T) {
	db := initDB(t)
	script := strings.Join([]string{
		".help",
		"create table notes (n int, t varchar);",
		"insert into notes values (1, 'a;b'),",
		"  (2, '党小组');",
		"select * from notes",
		"  order by n;",
		".mode csv",
		"select count(*) as c from notes; select max(n) as m from notes;",
		"select * from nosuch;",
		".schema meetings",
		".tables",
		".nonsense",
		".quit",
		"select 'after quit';",
	}, "\n")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"sql", "--db", db}, strings.NewReader(script), &out, &errOut)
	if err != nil {
		t.Fatalf("shell: %v\n%s", err, errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		".schema 名称",    // help
		"a;b",           // a semicolon inside a string did not split the statement
		"党小组",           // multi-line insert ran
		"（2 行）",         // row count after a table result
		"c\n2\n",        // .mode csv, first of two statements on one line
		"m\n2\n",        // second statement on the same line
		"Catalog Error", // an error does not end the session
		"召开时间",          // .schema shows the contract's Chinese headers
		"survey_responses",
		"未知命令 .nonsense",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("shell output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "after quit") {
		t.Error(".quit did not end the session")
	}
}

func TestSQLShowsNestedValuesAsJSON(t *testing.T) {
	db := initDB(t)
	r := mingdeng(t, "sql", "--db", db, "--format", "csv", `select '{"a":[1,2]}'::JSON as j, [1,2,3] as l, {'k': '党'} as s, map {'x': 1} as m`)
	want := "j,l,s,m\n\"{\"\"a\"\":[1,2]}\",\"[1,2,3]\",\"{\"\"k\"\":\"\"党\"\"}\",\"{\"\"x\"\":1}\"\n"
	if r.code != 0 || r.stdout != want {
		t.Fatalf("got %q\nwant %q (%+v)", r.stdout, want, r)
	}
}

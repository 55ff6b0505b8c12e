package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
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

// The metric views of serve's workbench are there in `mingdeng sql` too: each answers with the
// rows of its named query at month grain (under --config when given), the file holds none of
// them afterwards, and a view stored in the file may not read them.
func TestSQLHasTheMetricViews(t *testing.T) {
	db := ingestedTiny(t)
	for _, v := range queries.MetricViews {
		r := mingdeng(t, "sql", "--db", db, "--format", "csv", "select count(*) as n from "+v.Name)
		q := mingdeng(t, "query", v.Query, "--db", db, "--period", "month", "--format", "csv")
		if r.code != 0 || q.code != 0 {
			t.Fatalf("%s: %+v %+v", v.Name, r, q)
		}
		want := strings.Count(strings.TrimSpace(q.stdout), "\n") // rows below the header
		if want == 0 || r.stdout != fmt.Sprintf("n\n%d\n", want) {
			t.Errorf("%s: %q, want the %d rows of `mingdeng query %s --period month`", v.Name, r.stdout, want, v.Query)
		}
	}
	// Under a configuration: three group meetings a month make fewer months met, as the query says.
	cfg := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(cfg, []byte("cadences:\n  - {kind: group_meeting, every: month, min: 3}\n"), 0o644)
	met := func(args ...string) string {
		r := mingdeng(t, append([]string{"sql", "--db", db, "--format", "csv"}, append(args,
			"select sum(slots_met) as met from metric_cadence_compliance where kind = 'group_meeting'")...)...)
		if r.code != 0 {
			t.Fatalf("%+v", r)
		}
		return r.stdout
	}
	q := mingdeng(t, "query", "cadence_compliance", "--db", db, "--period", "month", "--config", cfg, "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(q.stdout), &rows); err != nil {
		t.Fatalf("query json: %v %s", err, q.stdout)
	}
	sum := 0
	for _, row := range rows {
		if row["kind"] == "group_meeting" {
			sum += int(row["slots_met"].(float64))
		}
	}
	if strict, lax := met("--config", cfg), met(); strict != fmt.Sprintf("met\n%d\n", sum) || strict == lax {
		t.Errorf("under --config: %q (default %q), want the query's %d", strict, lax, sum)
	}
	// In the shell too, with the same refusal of a stored view.
	var out, errOut bytes.Buffer
	script := ".mode csv\nselect count(distinct group_id) as g from metric_group_activity;\ncreate view mine as select * from metric_group_activity;\n"
	if err := run(context.Background(), []string{"sql", "--db", db, "--lang", "en"}, strings.NewReader(script), &out, &errOut); err != nil {
		t.Fatalf("shell: %v %s", err, errOut.String())
	}
	if got := out.String(); !regexp.MustCompile(`g\n[1-9][0-9]*\n`).MatchString(got) || !strings.Contains(got, "error: metric_group_activity is a temporary metric view") {
		t.Errorf("shell:\n%s", got)
	}
	// Temporary: the file holds no view afterwards, and a stored view over them is refused.
	r := mingdeng(t, "sql", "--db", db, "create or replace view mine as\n  select * from Metric_Group_Outcomes")
	if r.code != 2 || !strings.Contains(r.stderr, "Metric_Group_Outcomes 是 mingdeng 每次连接时定义的临时指标视图") {
		t.Fatalf("stored view: %+v", r)
	}
	for _, ok := range []string{"create temp view mine as select * from metric_group_outcomes", "create table kept as select * from metric_group_surveys"} {
		if r := mingdeng(t, "sql", "--db", db, ok); r.code != 0 {
			t.Fatalf("%s: %+v", ok, r)
		}
	}
	ctx := context.Background()
	w, err := warehouse.Open(ctx, db, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var views int
	if err := w.DB().QueryRowContext(ctx, "select count(*) from duckdb_views() where not internal").Scan(&views); err != nil || views != 0 {
		t.Errorf("the file holds %d views (%v), want none", views, err)
	}
}

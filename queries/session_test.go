package queries_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/queries"
)

// A Session computes the shared tables (survey cells, outcomes) once and every query that reads
// them gives, row for row, what it gives without one; the tables are reused for the same
// parameters, made anew for others, and gone from the connection after Close.
func TestSessionGivesTheSameResults(t *testing.T) {
	ctx := context.Background()
	w := openGenerated(t, synth.Options{Scale: synth.ScaleTiny, Seed: 5})
	db := w.DB()
	db.SetMaxOpenConns(1) // the session's connection is the one a later db.Conn gets back
	r, err := queries.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := queries.NewSession(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	// Each query with the same parameters, twice through the session (the second reads the
	// tables the first made), against the pool.
	type run struct {
		name string
		p    queries.Params
	}
	var runs []run
	for _, period := range []string{"half", "year", "month"} {
		for _, name := range r.Names() {
			runs = append(runs, run{name, queries.Params{Period: period, Year: 2024, Lags: []int{0, 1}}})
		}
	}
	// The survey cells, the activity and the outcomes at each of the three grains, made once
	// per grain whichever of the queries reads them first, and the patrols and defects per team
	// and month the outcomes read, made once for all three (they depend on from and to only).
	const wantTables = 3*3 + 2
	// The session's results first: it holds the pool's only connection until Close.
	viaSession := map[string]string{}
	for pass := range 2 {
		for _, x := range runs {
			tb, err := r.Run(ctx, s, x.name, x.p, 0)
			if err != nil {
				t.Fatalf("%s %s through the session: %v", x.name, x.p.Period, err)
			}
			got := fmt.Sprint(tb.Columns, tb.Rows)
			key := x.name + " " + x.p.Period
			if pass == 0 {
				viaSession[key] = got // compared with the pool's below
			} else if viaSession[key] != got {
				t.Errorf("%s: the second run through the session differs from the first", key)
			}
		}
	}
	if got := s.Tables(); got != wantTables {
		t.Errorf("session holds %d shared tables, want %d", got, wantTables)
	}
	res, err := queries.Analyze(ctx, s, queries.AnalyzeOptions{Period: "half"})
	if err != nil {
		t.Fatal(err)
	}
	analyzed, _ := json.Marshal(res)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE '_md_shared%'").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d shared tables left on the connection after Close", left)
	}
	for _, x := range runs {
		tb, err := r.Run(ctx, db, x.name, x.p, 0)
		if err != nil {
			t.Fatalf("%s %s: %v", x.name, x.p.Period, err)
		}
		key := x.name + " " + x.p.Period
		if got := fmt.Sprint(tb.Columns, tb.Rows); got != viaSession[key] {
			t.Errorf("%s: through the session\n%.300s\nwithout\n%.300s", key, viaSession[key], got)
		}
	}
	res, err = queries.Analyze(ctx, db, queries.AnalyzeOptions{Period: "half"})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(res); string(b) != string(analyzed) {
		t.Errorf("analyze through the session differs from analyze without")
	}
	if !strings.Contains(string(analyzed), "employee_satisfaction") {
		t.Errorf("analyze has no survey outcome: the comparison would not cover the survey cells")
	}
}

// The registry's side of sharing: a fragment's "-- shared:" CTE becomes a table only for the
// queries that read it (directly or through another CTE), once per parameter values, and a
// shared name that is not one of the fragment's CTEs is an error of the registry.
func TestSharedCTEsOfTheRegistry(t *testing.T) {
	ctx := context.Background()
	frag := "-- fragment: f\n-- params: period\n-- shared: cells\n" +
		"base AS (SELECT CAST($period AS VARCHAR) AS p, 'a,b' AS s),\n" +
		"-- a comment, with a comma (and a parenthesis\ncells AS (SELECT p || '-' || s AS v FROM base),\n" +
		"later AS (SELECT v || '!' AS v FROM cells)\n"
	query := func(name, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("-- name: " + name + "\n-- description_zh: 中\n-- description_en: en\n-- params: period\n-- uses: f\n" + body + "\n")}
	}
	fsys := fstest.MapFS{
		"fragments/f.sql": {Data: []byte(frag)},
		"direct.sql":      query("direct", "SELECT v FROM cells"),
		"through.sql":     query("through", "SELECT v FROM later"),
		"none.sql":        query("none", "SELECT p FROM base"),
	}
	r, err := queries.LoadRegistry(fsys)
	if err != nil {
		t.Fatal(err)
	}
	w := warehousetest.New(t)
	s, err := queries.NewSession(ctx, w.DB())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		name, period, want string
		tables             int
	}{
		{"none", "half", "half", 0},
		{"direct", "half", "half-a,b", 1},
		{"through", "half", "half-a,b!", 1},
		{"direct", "year", "year-a,b", 2},
		{"through", "year", "year-a,b!", 2},
	} {
		tb, err := r.Run(ctx, s, c.name, queries.Params{Period: c.period}, 0)
		if err != nil {
			t.Fatalf("%s %s: %v", c.name, c.period, err)
		}
		if got := fmt.Sprint(tb.Rows); got != "[["+c.want+"]]" {
			t.Errorf("%s %s = %s, want [[%s]]", c.name, c.period, got, c.want)
		}
		if got := s.Tables(); got != c.tables {
			t.Errorf("after %s %s: %d shared tables, want %d", c.name, c.period, got, c.tables)
		}
	}
	fsys["fragments/f.sql"] = &fstest.MapFile{Data: []byte(strings.Replace(frag, "shared: cells", "shared: cell", 1))}
	if _, err := queries.LoadRegistry(fsys); err == nil || !strings.Contains(err.Error(), `shared "cell"`) {
		t.Errorf("a shared name that is no CTE: %v", err)
	}
}

// A shared CTE that reads another is computed from the other's table, and each table is keyed
// by the parameters its rows depend on: a query that differs only in a parameter the table does
// not read finds it. The rows added to the source after the first query show which statements
// read a stored table (a session is for a warehouse that does not change; here the change is
// the probe).
func TestSharedCTEReadingAnother(t *testing.T) {
	ctx := context.Background()
	frag := "-- fragment: f\n-- params: period, unit\n-- shared: counted, labelled\n" +
		"src AS (SELECT x FROM probe WHERE CAST($unit AS VARCHAR) IS NULL OR u = CAST($unit AS VARCHAR)),\n" +
		"counted AS (SELECT count(*) AS n FROM src),\n" +
		"labelled AS (SELECT CAST($period AS VARCHAR) || ':' || CAST(n AS VARCHAR) AS v FROM counted)\n"
	query := func(name, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("-- name: " + name + "\n-- description_zh: 中\n-- description_en: en\n-- params: period, unit\n-- uses: f\n" + body + "\n")}
	}
	r, err := queries.LoadRegistry(fstest.MapFS{
		"fragments/f.sql": {Data: []byte(frag)},
		"count.sql":       query("count", "SELECT n FROM counted"),
		"label.sql":       query("label", "SELECT v FROM labelled"),
	})
	if err != nil {
		t.Fatal(err)
	}
	w := warehousetest.New(t)
	db := w.DB()
	if _, err := db.ExecContext(ctx, "CREATE TABLE probe (x INTEGER, u VARCHAR); INSERT INTO probe VALUES (1, 'a'), (2, 'a'), (3, 'b')"); err != nil {
		t.Fatal(err)
	}
	s, err := queries.NewSession(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	steps := []struct {
		name, period, unit, want string
		tables                   int
	}{
		{"label", "half", "", "half:3", 2}, // counted first, then labelled from its table
		{"", "", "", "", 0},                // a row added to the source
		{"label", "year", "", "year:3", 3}, // a new labelled, from the stored counted
		{"count", "half", "", "3", 3},      // counted reads no period: the same table
		{"count", "month", "", "3", 3},
		{"label", "half", "", "half:3", 3},
		{"count", "half", "a", "3", 4}, // another unit: a table of its own, the new row in it
		{"label", "year", "a", "year:3", 5},
		{"label", "year", "b", "year:1", 7},
	}
	for _, c := range steps {
		if c.name == "" {
			if _, err := db.ExecContext(ctx, "INSERT INTO probe VALUES (4, 'a')"); err != nil {
				t.Fatal(err)
			}
			continue
		}
		tb, err := r.Run(ctx, s, c.name, queries.Params{Period: c.period, Unit: c.unit}, 0)
		if err != nil {
			t.Fatalf("%s %s %q: %v", c.name, c.period, c.unit, err)
		}
		if got := fmt.Sprint(tb.Rows); got != "[["+c.want+"]]" {
			t.Errorf("%s %s %q = %s, want [[%s]]", c.name, c.period, c.unit, got, c.want)
		}
		if got := s.Tables(); got != c.tables {
			t.Errorf("after %s %s %q: %d shared tables, want %d", c.name, c.period, c.unit, got, c.tables)
		}
	}
	// Without the session every statement reads the source as it is now.
	tb, err := r.Run(ctx, db, "label", queries.Params{Period: "year"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(tb.Rows); got != "[[year:4]]" {
		t.Errorf("label year without the session = %s, want [[year:4]]", got)
	}
}

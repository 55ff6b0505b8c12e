package sqlguard_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries/sqlguard"
)

// lockedWarehouse makes a warehouse with a few rows and reopens it the way serve does:
// read-only, external access off, configuration locked.
func lockedWarehouse(t *testing.T) (*warehouse.Warehouse, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(ctx, path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO units (unit_id, name, _batch_id, _source_row) VALUES ('U1', '线路工区', 1, 2)`,
		`INSERT INTO people (person_id, name, _batch_id, _source_row) VALUES ('P1', 'hash-of-a-name', 1, 2)`,
	} {
		if _, err := w.DB().ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	secret := filepath.Join(dir, "secret.csv")
	os.WriteFile(secret, []byte("a\n1\n"), 0o644)
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true, Settings: map[string]string{
		"enable_external_access": "false",
		"lock_configuration":     "true",
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return ro, secret
}

func TestGuard(t *testing.T) {
	w, secret := lockedWarehouse(t)
	ctx := context.Background()
	policy := sqlguard.DefaultPolicy()
	tests := []struct {
		name  string
		query string
		want  sqlguard.Reason // "" = allowed
	}{
		{"plain select", "select name from units", ""},
		{"join and subquery", "select u.name, (select count(*) from teams t where t.unit_id = u.unit_id) from units u", ""},
		{"cte", "with x as (select * from units) select * from x", ""},
		{"labels and range", "select * from _labels, range(2)", ""},
		{"trailing semicolon and comment", "-- count\nselect count(*) from meetings;", ""},
		{"stacked", "select 1; select 2", sqlguard.Stacked},
		{"stacked write", "select 1; drop table units", sqlguard.Stacked},
		{"empty", "  -- nothing\n", sqlguard.Empty},
		{"copy", "copy units to '/tmp/x.csv'", sqlguard.NotSelect},
		{"export", "export database '/tmp/x'", sqlguard.NotSelect},
		{"attach", "attach '/tmp/other.duckdb' as o", sqlguard.NotSelect},
		{"install", "install httpfs", sqlguard.NotSelect},
		{"load", "load httpfs", sqlguard.NotSelect},
		{"set", "set enable_external_access = true", sqlguard.NotSelect},
		{"pragma", "pragma database_list", sqlguard.NotSelect},
		{"insert", "insert into units values ('x','y',null,null,1,1)", sqlguard.NotSelect},
		{"update", "update units set name = 'x'", sqlguard.NotSelect},
		{"delete", "delete from units", sqlguard.NotSelect},
		{"create", "create table x as select 1", sqlguard.NotSelect},
		{"read_csv", "select * from read_csv('" + secret + "')", sqlguard.ForbiddenFunc},
		{"read_text", "select * from read_text('/etc/passwd')", sqlguard.ForbiddenFunc},
		{"read_blob", "select * from read_blob('/etc/passwd')", sqlguard.ForbiddenFunc},
		{"glob", "select * from glob('/etc/*')", sqlguard.ForbiddenFunc},
		{"query_table", "select * from query_table('people')", sqlguard.ForbiddenFunc},
		{"read_csv in a subquery", "select (select count(*) from read_csv('/etc/passwd')) from units", sqlguard.ForbiddenFunc},
		{"file in from", "select * from '" + secret + "'", sqlguard.PathLike},
		{"person-level table", "select * from people", sqlguard.ForbiddenTable},
		{"person-level in a join", "select * from units join attendance on true", sqlguard.ForbiddenTable},
		{"person-level in a cte", "with p as (select * from survey_responses) select count(*) from p", sqlguard.ForbiddenTable},
		{"rejects hold raw rows", "select * from _rejects", sqlguard.ForbiddenTable},
		{"other catalog", "select * from system.main.duckdb_settings()", sqlguard.ForbiddenFunc},
		{"qualified other schema", "select * from information_schema.tables", sqlguard.ForeignCatalog},
		{"cte shadowing a protected table", "select * from (with people as (select 1 as a) select * from people), people", sqlguard.ShadowingCTE},
		{"syntax error", "select from where", sqlguard.Syntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sqlguard.Check(ctx, w.DB(), tt.query, policy)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var r *sqlguard.Refusal
			if !errors.As(err, &r) || r.Reason != tt.want {
				t.Fatalf("Check(%q) = %v, want refusal %s", tt.query, err, tt.want)
			}
			if r.Message(datasets.Zh) == "" || !strings.HasPrefix(r.Message(datasets.En), "query refused: ") {
				t.Errorf("message %q / %q", r.Message(datasets.Zh), r.Message(datasets.En))
			}
		})
	}
}

func TestRefusalNamesTheProtectedTable(t *testing.T) {
	w, _ := lockedWarehouse(t)
	_, err := sqlguard.Check(context.Background(), w.DB(), "select * from people", sqlguard.DefaultPolicy())
	var r *sqlguard.Refusal
	if !errors.As(err, &r) || !strings.Contains(r.Message(datasets.Zh), "个人层面") || !strings.Contains(r.Message(datasets.Zh), "people") {
		t.Fatalf("%v", err)
	}
}

// The connection serve uses refuses file access and configuration changes by itself, so a
// statement the guard missed still cannot read the disk or unlock anything.
func TestLockedConnectionIsASecondLayer(t *testing.T) {
	w, secret := lockedWarehouse(t)
	ctx := context.Background()
	for _, q := range []string{
		"select * from read_csv('" + secret + "')",
		"select * from '" + secret + "'",
		"set enable_external_access = true",
		"create table x (a int)",
		"attach '" + filepath.Join(t.TempDir(), "o.duckdb") + "' as o",
	} {
		if _, err := w.DB().ExecContext(ctx, q); err == nil {
			t.Errorf("the locked connection ran %q", q)
		}
	}
	var n int
	if err := w.DB().QueryRowContext(ctx, "select count(*) from units").Scan(&n); err != nil || n != 1 {
		t.Fatalf("plain read on the locked connection: %d, %v", n, err)
	}
}

// FuzzCheck: the guard never panics, never lets through a statement that reads a person-level
// table, and every table an accepted statement's plan scans is one the policy allows (so no
// file, other database or catalog view).
func FuzzCheck(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(context.Background(), path, warehouse.Options{Create: true})
	if err != nil {
		f.Fatal(err)
	}
	defer w.Close()
	for _, s := range []string{"select 1", "select * from people", "with a as (select 1) select * from a", "select * from read_csv('x')", "copy x to 'y'", "select 1; select 2", "select * from \"people\"", "select * from main.people",
		"SELECT * FROM (WITH \"" + path + "\" AS (SELECT 1) SELECT 1) a, '" + path + "'", "select * from (with x as (select 1) select 1) a, pg_settings", "show all tables", "select current_setting('temp_directory')"} {
		f.Add(s)
	}
	policy := sqlguard.DefaultPolicy()
	if !readsPersonLevel(f, w, "select * from units join people on true") {
		f.Fatal("the oracle does not see a person-level scan in the plan; it would pass anything")
	}
	f.Fuzz(func(t *testing.T, q string) {
		stmt, err := sqlguard.Check(context.Background(), w.DB(), q, policy)
		if err != nil {
			return
		}
		if readsPersonLevel(t, w, stmt) {
			t.Fatalf("accepted %q, which reads a person-level table", q)
		}
		for _, name := range scannedTables(t, w, stmt) {
			if !policy.Tables[strings.ToLower(name)] {
				t.Fatalf("accepted %q, whose plan scans %s", q, name)
			}
		}
	})
}

var personScan = func() *regexp.Regexp {
	var names []string
	for _, c := range datasets.All() {
		if c.PersonLevel {
			names = append(names, c.Name)
		}
	}
	return regexp.MustCompile(`Table: (?:[^\s│]+\.)?(?:` + strings.Join(names, "|") + `)[\s│]`)
}()

var scanned = regexp.MustCompile(`Table: (?:[^\s│]+\.)?([^\s│.]+)[\s│]`)

// scannedTables are the tables stmt's plan scans.
func scannedTables(t testing.TB, w *warehouse.Warehouse, stmt string) []string {
	rows, err := w.DB().QueryContext(context.Background(), "EXPLAIN "+stmt)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		for _, m := range scanned.FindAllStringSubmatch(v, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// readsPersonLevel plans stmt and looks for a scan of a person-level table in the plan.
func readsPersonLevel(t testing.TB, w *warehouse.Warehouse, stmt string) bool {
	rows, err := w.DB().QueryContext(context.Background(), "EXPLAIN "+stmt)
	if err != nil {
		return false
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		if personScan.MatchString(v) {
			return true
		}
	}
	return false
}

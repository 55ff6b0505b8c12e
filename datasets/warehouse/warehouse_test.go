package warehouse_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
)

var update = flag.Bool("update", false, "rewrite migrations/0001_init.sql from the contracts")

func TestMain(m *testing.M) {
	warehousetest.ServeHoldRequest()
	os.Exit(m.Run())
}

func TestInitialMigrationMatchesContracts(t *testing.T) {
	want := warehouse.InitialSchema(datasets.All())
	path := filepath.Join("migrations", "0001_init.sql")
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("migrations/0001_init.sql differs from the contracts; before the first release regenerate it with -update, after it add a new migration")
	}
}

func TestEveryContractHasItsTableAndColumns(t *testing.T) {
	w := warehousetest.New(t)
	ctx := context.Background()
	rows, err := w.DB().QueryContext(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][]string{}
	for rows.Next() {
		var table, col, typ string
		if err := rows.Scan(&table, &col, &typ); err != nil {
			t.Fatal(err)
		}
		got[table] = append(got[table], col+" "+typ)
	}
	for _, c := range datasets.All() {
		var want []string
		for _, col := range c.Columns {
			want = append(want, col.Name+" "+col.Type.SQLType())
		}
		want = append(want, "_batch_id BIGINT", "_source_row BIGINT")
		if strings.Join(got[c.Name], ", ") != strings.Join(want, ", ") {
			t.Errorf("table %s:\n got  %v\n want %v", c.Name, got[c.Name], want)
		}
	}
	for _, sys := range []string{"_batches", "_rejects", "_migrations", "_labels"} {
		if len(got[sys]) == 0 {
			t.Errorf("system table %s missing", sys)
		}
	}
	var labels int
	if err := w.DB().QueryRowContext(ctx, `SELECT count(*) FROM _labels WHERE dataset = 'meetings' AND code = 'group_meeting' AND label_zh = '党小组会'`).Scan(&labels); err != nil || labels != 1 {
		t.Errorf("enum label for group_meeting: %d rows, %v", labels, err)
	}
}

func TestReopenKeepsDataAndVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := warehouse.Open(ctx, path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB().ExecContext(ctx, `INSERT INTO units (unit_id, name, _batch_id, _source_row) VALUES ('U01', '线路工区', 1, 2)`); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a WAL file was left behind after Close: %v", err)
	}
	w, err = warehouse.Open(ctx, path, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var name string
	if err := w.DB().QueryRowContext(ctx, `SELECT name FROM units WHERE unit_id = 'U01'`).Scan(&name); err != nil || name != "线路工区" {
		t.Fatalf("after reopen: %q, %v", name, err)
	}
	v, err := w.SchemaVersion(ctx)
	if err != nil || v != warehouse.Latest() {
		t.Fatalf("schema version %d, %v; want %d", v, err, warehouse.Latest())
	}
}

func TestOlderFileIsUpgradedOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	base := warehouse.Migrations()
	w, err := warehouse.OpenWith(ctx, path, warehouse.Options{Create: true}, base)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	next := warehouse.Migration{Version: len(base) + 1, Name: "add_note", SQL: `ALTER TABLE units ADD COLUMN note VARCHAR;`}
	w, err = warehouse.OpenWith(ctx, path, warehouse.Options{}, append(append([]warehouse.Migration(nil), base...), next))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	v, _ := w.SchemaVersion(ctx)
	if v != next.Version {
		t.Fatalf("version after upgrade = %d, want %d", v, next.Version)
	}
	if _, err := w.DB().ExecContext(ctx, `SELECT note FROM units`); err != nil {
		t.Fatalf("upgrade did not add the column: %v", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.duckdb")
	w, err := warehouse.Open(ctx, path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB().ExecContext(ctx, `INSERT INTO _migrations (version, name) VALUES (?, 'from_the_future')`, warehouse.Latest()+7); err != nil {
		t.Fatal(err)
	}
	w.Close()
	_, err = warehouse.Open(ctx, path, warehouse.Options{})
	if !errors.Is(err, warehouse.ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
	var we *warehouse.Error
	if !errors.As(err, &we) || !strings.Contains(we.Message(datasets.Zh), "升级 mingdeng") || !strings.Contains(we.Message(datasets.En), fmt.Sprint(warehouse.Latest()+7)) {
		t.Fatalf("message does not tell the user what to do: %v", err)
	}
}

func TestMissingFileAndForeignFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := warehouse.Open(ctx, filepath.Join(dir, "absent.duckdb"), warehouse.Options{}); !errors.Is(err, warehouse.ErrNotFound) {
		t.Errorf("missing file: %v, want ErrNotFound", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "absent.duckdb")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("opening a missing warehouse without Create created it")
	}
	foreign := filepath.Join(dir, "notes.duckdb")
	os.WriteFile(foreign, []byte(strings.Repeat("这不是数据库\n", 2000)), 0o644)
	if _, err := warehouse.Open(ctx, foreign, warehouse.Options{}); !errors.Is(err, warehouse.ErrNotWarehouse) {
		t.Errorf("foreign file: %v, want ErrNotWarehouse", err)
	}
}

func TestSecondProcessGetsInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.duckdb")
	release := warehousetest.Hold(t, path)
	for _, opts := range []warehouse.Options{{}, {ReadOnly: true}} {
		_, err := warehouse.Open(context.Background(), path, opts)
		if !errors.Is(err, warehouse.ErrInUse) {
			t.Fatalf("Open(%+v) while held = %v, want ErrInUse", opts, err)
		}
		var we *warehouse.Error
		errors.As(err, &we)
		if !strings.Contains(we.Message(datasets.En), "in use by another process") || !strings.Contains(we.Message(datasets.Zh), "另一个进程") {
			t.Fatalf("message: %q", we.Message(datasets.En))
		}
	}
	release()
	deadline := time.Now().Add(10 * time.Second)
	for {
		w, err := warehouse.Open(context.Background(), path, warehouse.Options{})
		if err == nil {
			w.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("file still locked after the holder exited: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestKeyFileIsCreatedBesideOnceAndPrivate(t *testing.T) {
	t.Setenv(warehouse.KeyEnv, "")
	db := filepath.Join(t.TempDir(), "w.duckdb")
	created, err := warehouse.EnsureKey(db)
	if err != nil || !created {
		t.Fatalf("EnsureKey = %v, %v", created, err)
	}
	k1, err := warehouse.LoadKey(db)
	if err != nil {
		t.Fatal(err)
	}
	created, _ = warehouse.EnsureKey(db)
	k2, _ := warehouse.LoadKey(db)
	if created || string(k1) != string(k2) {
		t.Fatal("a second EnsureKey replaced the key: pseudonyms would change between files")
	}
	fi, _ := os.Stat(warehouse.KeyPath(db))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	t.Setenv(warehouse.KeyEnv, "an-explicit-key-from-the-environment")
	k3, _ := warehouse.LoadKey(db)
	if string(k3) != "an-explicit-key-from-the-environment" {
		t.Errorf("MINGDENG_KEY not preferred")
	}
}

func TestSummaryCountsRows(t *testing.T) {
	w := warehousetest.New(t)
	ctx := context.Background()
	_, err := w.DB().ExecContext(ctx, `INSERT INTO units (unit_id, name, _batch_id, _source_row) VALUES ('U01', 'a', 1, 2), ('U02', 'b', 1, 3)`)
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.Summary(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tc := range s.Tables {
		names = append(names, tc.Dataset)
		if tc.Dataset == "units" && tc.Rows != 2 {
			t.Errorf("units rows = %d, want 2", tc.Rows)
		}
	}
	if strings.Join(names, ",") != strings.Join(datasets.Names(), ",") {
		t.Errorf("summary tables %v, want every dataset in load order", names)
	}
}

// A caller's default memory cap applies, and MINGDENG_MEMORY_LIMIT overrides it: the user's
// setting wins over the program's guess.
func TestMemoryLimitDefaultAndOverride(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := warehouse.Open(ctx, path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	limit := func(opts warehouse.Options) string {
		t.Helper()
		w, err := warehouse.Open(ctx, path, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		var v string
		if err := w.DB().QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	t.Setenv("MINGDENG_MEMORY_LIMIT", "")
	os.Unsetenv("MINGDENG_MEMORY_LIMIT")
	if got := limit(warehouse.Options{ReadOnly: true, MemoryLimit: "1GB"}); got != "953.6 MiB" {
		t.Errorf("MemoryLimit 1GB: memory_limit %q, want 953.6 MiB", got)
	}
	t.Setenv("MINGDENG_MEMORY_LIMIT", "512MB")
	if got := limit(warehouse.Options{ReadOnly: true, MemoryLimit: "1GB"}); got != "488.2 MiB" {
		t.Errorf("MINGDENG_MEMORY_LIMIT 512MB over MemoryLimit 1GB: memory_limit %q, want 488.2 MiB", got)
	}
}

// A read-only warehouse keeps its lock for its whole life, even after a query made DuckDB
// open and close the same file again (a replacement scan of the file's own path attaches and
// detaches it, and POSIX drops a process's lock on any close). A second process that wants
// to write must still be told the warehouse is in use.
func TestReadOnlyKeepsItsLockThroughAttachAndDetach(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "W.duckdb")
	w, err := warehouse.Open(ctx, path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true, Settings: map[string]string{
		"enable_external_access": "false", "lock_configuration": "true",
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	// The query that, past a guard, made DuckDB attach and detach the warehouse itself.
	attack := `SELECT * FROM (WITH "` + path + `" AS (SELECT 1) SELECT 1) a, '` + path + `'`
	// DuckDB opens the file to list its tables, then refuses to pick one: the file was
	// attached and detached all the same.
	rows, err := ro.DB().QueryContext(ctx, attack)
	if err == nil {
		rows.Close()
	} else if !strings.Contains(err.Error(), "has multiple tables") {
		t.Fatalf("the attach-and-detach query no longer reaches the file (%v): this test would not test anything", err)
	}
	for range 2 {
		release, err := warehousetest.TryHold(t, path)
		if err == nil {
			release()
			t.Fatal("a second process opened the warehouse for writing while the read-only one was open")
		}
		if !strings.Contains(err.Error(), "in use by another process") {
			t.Fatalf("second writer: %v, want the in-use message", err)
		}
	}
	var n int
	if err := ro.DB().QueryRowContext(ctx, "SELECT count(*) FROM _migrations").Scan(&n); err != nil || n == 0 {
		t.Fatalf("the read-only warehouse stopped answering: %d, %v", n, err)
	}
}

// TestConnInitViewsOnReadOnlyOpen: temporary views given as ConnInit are on every connection
// of a read-only, locked-down open (serve's metric views), leave the file unchanged, and a
// statement that fails makes the open fail.
func TestConnInitViewsOnReadOnlyOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := warehouse.Open(ctx, path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB().ExecContext(ctx, `INSERT INTO units (unit_id, name, _batch_id, _source_row) VALUES ('U01', '线路工区', 1, 2), ('U02', '变电工区', 1, 3)`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	before, _ := os.ReadFile(path)
	settings := map[string]string{"enable_external_access": "false", "lock_configuration": "true"}
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true, Settings: settings,
		ConnInit: []string{`CREATE TEMP VIEW unit_count AS SELECT count(*) AS n FROM units`}})
	if err != nil {
		t.Fatal(err)
	}
	// Several connections at once: each has the view.
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		if conns[i], err = ro.DB().Conn(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range conns {
		var n int
		if err := c.QueryRowContext(ctx, `SELECT n FROM unit_count`).Scan(&n); err != nil || n != 2 {
			t.Errorf("connection %d: n = %d, %v", i, n, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a read-only open with temporary views changed the file")
	}
	// A plain open does not see them: they were never stored.
	plain, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.DB().ExecContext(ctx, `SELECT * FROM unit_count`); err == nil {
		t.Error("the temporary view outlived its open")
	}
	plain.Close()
	if _, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true, ConnInit: []string{`CREATE TEMP VIEW bad AS SELECT * FROM no_such_table`}}); err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Errorf("a failing ConnInit opened: %v", err)
	}
}

package warehouse

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// Migration is one numbered schema step. Applied migrations are recorded in _migrations; a
// step, once released, never changes: a new contract column gets a new migration.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

//go:embed migrations/*.sql
var migrationFS embed.FS

var migrations = mustLoadMigrations(migrationFS)

// Latest is the newest schema version this build knows.
func Latest() int { return migrations[len(migrations)-1].Version }

func mustLoadMigrations(fsys fs.FS) []Migration {
	migs, err := loadMigrations(fsys)
	if err != nil {
		panic(err) // embedded at build time: a broken file is a programming error
	}
	return migs
}

// loadMigrations reads migrations/NNNN_name.sql, numbered from 1 without gaps.
func loadMigrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var migs []Migration
	for i, name := range names {
		base := strings.TrimSuffix(name[len("migrations/"):], ".sql")
		num, label, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want number %04d", name, i+1)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		migs = append(migs, Migration{Version: v, Name: label, SQL: string(body)})
	}
	if len(migs) == 0 {
		return nil, fmt.Errorf("no migrations embedded")
	}
	return migs, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS _migrations (
	version INTEGER PRIMARY KEY,
	name VARCHAR NOT NULL,
	applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
)`

// migrate applies the migrations the file lacks, each in its own transaction with its record.
// A read-only file must already be current.
func migrate(ctx context.Context, db *sql.DB, migs []Migration, readOnly bool) error {
	known := migs[len(migs)-1].Version
	current, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if current > known {
		return &Error{Kind: ErrNewerSchema, Version: current, Known: known}
	}
	if current == known {
		return nil
	}
	if readOnly {
		return fmt.Errorf("schema version %d is older than %d and the file is opened read-only; open it once for writing (e.g. mingdeng status) to upgrade it", current, known)
	}
	if _, err := db.ExecContext(ctx, createMigrationsTable); err != nil {
		return err
	}
	for _, m := range migs {
		if m.Version <= current {
			continue
		}
		if err := apply(ctx, db, m); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Migrations are our own embedded files, never user input, so running them as one
	// multi-statement string is safe.
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO _migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// schemaVersion is the highest applied migration, 0 for a new file. It reads _migrations
// straight away, a file without the table being the one case that fails with a catalog error:
// every command opens the warehouse, and asking information_schema first cost as much as the
// rest of the check.
func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT max(version) FROM _migrations`).Scan(&v); err != nil {
		var de *duckdb.Error
		if errors.As(err, &de) && de.Type == duckdb.ErrorTypeCatalog && !tableExists(ctx, db, "_migrations") {
			return 0, nil
		}
		return 0, err
	}
	return int(v.Int64), nil
}

// tableExists tells whether the main schema has a table of that name.
func tableExists(ctx context.Context, db *sql.DB, name string) bool {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' AND database_name = current_database()`, name).Scan(&n)
	return err == nil && n > 0
}

// SchemaVersion is the file's applied schema version.
func (w *Warehouse) SchemaVersion(ctx context.Context) (int, error) { return schemaVersion(ctx, w.db) }

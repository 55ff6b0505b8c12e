// Package warehouse is the one package that opens mingdeng's DuckDB file. It applies the
// numbered, embedded migrations that create a table for every dataset contract (with the
// lineage columns _batch_id and _source_row) plus _batches, _rejects and _migrations; it
// refuses files from a newer mingdeng and files held by another process with clear errors. It
// does not load data (ingest) or analyse it (queries).
package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"
)

// DefaultPath is where the warehouse lives when neither --db nor MINGDENG_DB says otherwise.
const DefaultPath = "mingdeng.duckdb"

// Options says how to open a warehouse.
type Options struct {
	// Create makes a new file when none exists; otherwise a missing file is ErrNotFound.
	Create bool
	// ReadOnly opens without write access; several read-only processes may share a file.
	ReadOnly bool
	// Settings are extra DuckDB configuration options applied at open (name → value), e.g.
	// enable_external_access=false for a locked-down connection.
	Settings map[string]string
	// MemoryLimit is DuckDB's memory_limit (e.g. 2GB) when MINGDENG_MEMORY_LIMIT is not set;
	// empty leaves DuckDB's default, 80 % of the RAM.
	MemoryLimit string
	// ConnInit are statements run on every connection of the pool once the schema is known to
	// be current, e.g. the temporary views serve defines over the tables (temporary objects
	// belong to one connection and never touch the file, so a read-only open can have them). A
	// statement that fails fails the open. They are the caller's own SQL, never user input.
	ConnInit []string
}

// Warehouse is an open DuckDB warehouse file.
type Warehouse struct {
	db   *sql.DB
	path string
	lock *os.File // read-only opens: the lock kept for the Warehouse's life (holdReadLock)
}

// Open opens (or with Options.Create, creates) the warehouse at path and brings its schema up
// to date.
func Open(ctx context.Context, path string, opts Options) (*Warehouse, error) {
	return openWith(ctx, path, opts, migrations)
}

func openWith(ctx context.Context, path string, opts Options, migs []Migration) (*Warehouse, error) {
	if path == "" {
		path = DefaultPath
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	// The driver splits its connection string at the first ? and parses it as a URL, so a
	// path with ? would open another file with the rest as options, # would drop every
	// option (read-only among them) and % fails to parse.
	if strings.ContainsAny(abs, "?#%") {
		return nil, &Error{Kind: ErrBadPath, Path: path}
	}
	if _, err := os.Stat(abs); errors.Is(err, os.ErrNotExist) {
		if !opts.Create || opts.ReadOnly {
			return nil, &Error{Kind: ErrNotFound, Path: path}
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, fmt.Errorf("create folder for %s: %w", path, err)
		}
	}
	var ready atomic.Bool
	var initFn func(driver.ExecerContext) error
	if len(opts.ConnInit) > 0 {
		initFn = func(ex driver.ExecerContext) error {
			if !ready.Load() {
				return nil // the connections that check the schema come first
			}
			for _, stmt := range opts.ConnInit {
				if _, err := ex.ExecContext(context.Background(), stmt, nil); err != nil {
					return fmt.Errorf("set up a connection: %w", err)
				}
			}
			return nil
		}
	}
	connector, err := duckdb.NewConnector(dsn(abs, opts), initFn)
	if err != nil {
		return nil, classifyOpenError(path, abs, opts.ReadOnly, err)
	}
	w := &Warehouse{db: sql.OpenDB(connector), path: abs}
	if err := w.db.PingContext(ctx); err != nil {
		w.db.Close()
		return nil, classifyOpenError(path, abs, opts.ReadOnly, err)
	}
	if opts.ReadOnly {
		if w.lock, err = holdReadLock(abs); err != nil {
			w.db.Close()
			return nil, classifyOpenError(path, abs, opts.ReadOnly, err)
		}
	}
	if err := migrate(ctx, w.db, migs, opts.ReadOnly); err != nil {
		w.Close()
		var we *Error
		if errors.As(err, &we) {
			we.Path = path
			return nil, we
		}
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if initFn != nil {
		// The connections that migrated have no ConnInit: let them go, and open one with it
		// so a statement that fails is an error of the open, not of some later query.
		ready.Store(true)
		w.db.SetMaxIdleConns(0)
		w.db.SetMaxIdleConns(2)
		if err := w.db.PingContext(ctx); err != nil {
			w.Close()
			return nil, fmt.Errorf("open warehouse %s: %w", path, err)
		}
	}
	return w, nil
}

// checkpointThreshold is the write-ahead log's size at which a commit checkpoints (DuckDB's
// default is 16 MiB). An ingest appends each file to tables that already hold rows, and a
// checkpoint rewrites every row group appended to since the last one: at 16 MiB the 68 files of
// the company set checkpointed four times and rewrote their tables' last row groups each time
// (~0.8 s of CPU more than one checkpoint at close), where a CREATE TABLE AS per file gains
// nothing from the larger threshold. The log stays small enough to replay in a few seconds
// after a crash, and Close still leaves none behind.
const checkpointThreshold = "256MiB"

// dsn builds the DuckDB connection string. Extension autoinstall and autoload are off: the
// machines are offline, so a missing extension must fail at once instead of hanging on a
// download. MINGDENG_MEMORY_LIMIT (e.g. 1GB) caps DuckDB's memory, which otherwise grows to 80%
// of the RAM on a large ingest before spilling to disk.
func dsn(path string, opts Options) string {
	q := url.Values{}
	q.Set("autoinstall_known_extensions", "false")
	q.Set("autoload_known_extensions", "false")
	q.Set("checkpoint_threshold", checkpointThreshold)
	if v := os.Getenv("MINGDENG_MEMORY_LIMIT"); v != "" {
		q.Set("memory_limit", v)
	} else if opts.MemoryLimit != "" {
		q.Set("memory_limit", opts.MemoryLimit)
	}
	if opts.ReadOnly {
		q.Set("access_mode", "READ_ONLY")
	}
	for k, v := range opts.Settings {
		q.Set(k, v)
	}
	return path + "?" + q.Encode()
}

// classifyOpenError turns DuckDB's lock error into ErrInUse, and a file that is not a DuckDB
// database into ErrNotWarehouse. abs is the file DuckDB opened, for the Windows lock check.
func classifyOpenError(path, abs string, readOnly bool, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock") || heldByAnother(abs, readOnly):
		return &Error{Kind: ErrInUse, Path: path, Err: err}
	case strings.Contains(msg, "not a valid DuckDB database") || strings.Contains(msg, "Not a DuckDB file") ||
		strings.Contains(msg, "The file is not a valid DuckDB database file"):
		return &Error{Kind: ErrNotWarehouse, Path: path, Err: err}
	}
	return fmt.Errorf("open warehouse %s: %w", path, err)
}

// DB is the connection pool. Callers that need connection-local state (temp tables, Arrow
// views) take one connection with DB().Conn(ctx) and keep it for the whole job.
func (w *Warehouse) DB() *sql.DB { return w.db }

// Path is the absolute path of the warehouse file.
func (w *Warehouse) Path() string { return w.path }

// Close checkpoints and closes the file, so no write-ahead log is left beside it.
func (w *Warehouse) Close() error {
	_, cerr := w.db.Exec("CHECKPOINT")
	err := w.db.Close()
	if w.lock != nil {
		w.lock.Close() // after DuckDB has let go of the file
	}
	if err != nil {
		return err
	}
	if cerr != nil && !strings.Contains(cerr.Error(), "read-only") && !strings.Contains(cerr.Error(), "read only") {
		return fmt.Errorf("checkpoint %s: %w", w.path, cerr)
	}
	return nil
}

// Arrow gives access to the driver's Arrow interface on one pinned connection: f runs with it,
// and every view it registers lives only on that connection.
func Arrow(ctx context.Context, conn *sql.Conn, f func(*duckdb.Arrow) error) error {
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		return f(a)
	})
}

// QuoteIdent quotes a SQL identifier (table or column name) for DuckDB. Identifiers come from
// contracts, never from user input, but quoting keeps reserved words such as "year" safe.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
)

// Summary is what `mingdeng status` shows: rows per dataset, the latest batches, rejects.
type Summary struct {
	Path          string       `json:"path"`
	SizeBytes     int64        `json:"size_bytes"`
	SchemaVersion int          `json:"schema_version"`
	Tables        []TableCount `json:"tables"`
	Batches       []Batch      `json:"batches"`
	Rejects       int64        `json:"rejects"`
}

// TableCount is one dataset table and its row count.
type TableCount struct {
	Dataset string `json:"dataset"`
	Rows    int64  `json:"rows"`
}

// Batch is a row of _batches.
type Batch struct {
	ID         int64      `json:"batch_id"`
	Dataset    string     `json:"dataset"`
	Path       string     `json:"path"`
	Sheet      string     `json:"sheet,omitempty"`
	RowsRead   int64      `json:"rows_read"`
	Loaded     int64      `json:"loaded"`
	Updated    int64      `json:"updated"`
	Unchanged  int64      `json:"unchanged"`
	Rejected   int64      `json:"rejected"`
	Duplicates int64      `json:"duplicates"`
	Blank      int64      `json:"blank"`
	Skipped    int64      `json:"skipped"` // summary rows (合计, 制表人 …)
	Status     string     `json:"status"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// Summary counts the rows of every dataset table and lists the last n batches.
func (w *Warehouse) Summary(ctx context.Context, lastBatches int) (*Summary, error) {
	s := &Summary{Path: w.path}
	if fi, err := os.Stat(w.path); err == nil {
		s.SizeBytes = fi.Size()
	}
	var err error
	if s.SchemaVersion, err = w.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	contracts := datasets.All()
	// Table names come from the contracts (compile-time constants), never from user input.
	parts := make([]string, len(contracts))
	for i, c := range contracts {
		parts[i] = fmt.Sprintf("SELECT %d AS i, count(*) AS n FROM %s", i, QuoteIdent(c.Name))
	}
	rows, err := w.db.QueryContext(ctx, strings.Join(parts, " UNION ALL ")+" ORDER BY i")
	if err != nil {
		return nil, fmt.Errorf("count rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var n int64
		if err := rows.Scan(&i, &n); err != nil {
			return nil, err
		}
		s.Tables = append(s.Tables, TableCount{Dataset: contracts[i].Name, Rows: n})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if s.Batches, err = w.Batches(ctx, lastBatches); err != nil {
		return nil, err
	}
	// Only each file's latest batch counts: a file read again (a retry once its references
	// exist, or --force) replaces what its earlier batches refused.
	if err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM _rejects WHERE batch_id IN (SELECT max(batch_id) FROM _batches
		WHERE status IN ('loaded', 'refused') GROUP BY path, coalesce(sheet, ''))`).Scan(&s.Rejects); err != nil {
		return nil, err
	}
	return s, nil
}

// Batches lists the last n batches, newest first.
func (w *Warehouse) Batches(ctx context.Context, n int) ([]Batch, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT batch_id, dataset, path, coalesce(sheet, ''), rows_read, loaded, updated,
		unchanged, rejected, duplicates, blank, skipped, status, started_at, finished_at
		FROM _batches ORDER BY batch_id DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		var b Batch
		var fin sql.NullTime
		if err := rows.Scan(&b.ID, &b.Dataset, &b.Path, &b.Sheet, &b.RowsRead, &b.Loaded, &b.Updated, &b.Unchanged,
			&b.Rejected, &b.Duplicates, &b.Blank, &b.Skipped, &b.Status, &b.StartedAt, &fin); err != nil {
			return nil, err
		}
		if fin.Valid {
			b.FinishedAt = &fin.Time
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mingdeng/mingdeng/internal/cputime"
)

var (
	traceOn    = os.Getenv("MINGDENG_INGEST_TRACE") != ""
	traceStmts = os.Getenv("MINGDENG_INGEST_TRACE") == "sql"
)

// traceCPU is the process's CPU time at the last trace line.
var traceCPU atomic.Int64

// trace prints how long a step took when MINGDENG_INGEST_TRACE is set (for profiling), and the
// process's CPU time since the previous step's line: the steps follow one another, so that is
// the step's own, plus the byte pass of the next file where one runs beside it.
func trace(step string, start time.Time) {
	if traceOn {
		now := int64(cpuTime())
		cpu := now - traceCPU.Swap(now)
		fmt.Fprintf(os.Stderr, "ingest: %-28s %8.1f ms %8.1f cpu-ms\n", step, float64(time.Since(start).Microseconds())/1000, float64(cpu/1000)/1000)
	}
}

// execer is a connection or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// execSQL runs one statement; with MINGDENG_INGEST_TRACE=sql it prints the statement's time and
// start, which is where a profile of one step begins.
func execSQL(ctx context.Context, e execer, q string, args ...any) (sql.Result, error) {
	if !traceStmts {
		return e.ExecContext(ctx, q, args...)
	}
	t0, c0 := time.Now(), cpuTime()
	res, err := e.ExecContext(ctx, q, args...)
	traceSQL(q, t0, c0)
	return res, err
}

// scanSQL runs a query of one row into dest, traced like execSQL.
func scanSQL(ctx context.Context, e execer, q string, args []any, dest ...any) error {
	if !traceStmts {
		return e.QueryRowContext(ctx, q, args...).Scan(dest...)
	}
	t0, c0 := time.Now(), cpuTime()
	err := e.QueryRowContext(ctx, q, args...).Scan(dest...)
	traceSQL(q, t0, c0)
	return err
}

// traceSQL prints a statement's wall time and the process's CPU time over it (DuckDB's threads
// included): on a shared machine the CPU seconds say more than the wall time.
func traceSQL(q string, t0 time.Time, c0 time.Duration) {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 110 {
		q = q[:110]
	}
	fmt.Fprintf(os.Stderr, "  sql %8.1f ms %8.1f cpu-ms  %s\n", float64(time.Since(t0).Microseconds())/1000, float64((cpuTime()-c0).Microseconds())/1000, q)
}

// Trace is trace for the steps a caller of Ingest runs around it (opening and closing the
// warehouse), so that a traced CLI run shows its fixed costs beside the ingest's own steps.
func Trace(step string, start time.Time) { trace(step, start) }

// cpuTime is the process's CPU time so far (0 where it cannot be read).
func cpuTime() time.Duration { return cputime.Process() }

// traceGroup prints a group's byte pass (from its first file's start to its last file's end)
// and DuckDB's time on the group (waits for the pass included), relative to the ingest's begin.
func traceGroup(i int, g []*source, begin, loadFrom time.Time) {
	var size int64
	for _, s := range g {
		size += s.size
	}
	first, last := g[0].passStart, g[len(g)-1].passEnd
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(os.Stderr, "ingest: group %3d %3d files %7.1f MB %-16s pass %8.1f to %8.1f ms load %8.1f to %8.1f ms\n",
		i, len(g), float64(size)/1e6, groupName(g), ms(first.Sub(begin)), ms(last.Sub(begin)), ms(loadFrom.Sub(begin)), ms(time.Since(begin)))
}

func groupName(g []*source) string {
	if p := g[0].parts; len(p) > 0 && p[0].mapping != nil {
		return p[0].mapping.Contract.Name
	}
	return "?"
}

package queries

import (
	"fmt"
	"os"
	"time"

	"github.com/mingdeng/mingdeng/internal/cputime"
)

// traceOn is MINGDENG_QUERY_TRACE: each query, shared table and step of a report or analyze run
// prints its wall and CPU time on stderr (for profiling; nothing of it reaches a report).
var traceOn = os.Getenv("MINGDENG_QUERY_TRACE") != ""

// A TraceSpan is one traced step: Start it, then End it with what it did.
type TraceSpan struct {
	t0  time.Time
	cpu time.Duration
}

// StartTrace begins a span (a no-op unless MINGDENG_QUERY_TRACE is set).
func StartTrace() TraceSpan {
	if !traceOn {
		return TraceSpan{}
	}
	return TraceSpan{t0: time.Now(), cpu: cpuTime()}
}

// End prints the span's wall time and the process's CPU time over it (DuckDB's threads
// included, so on a shared machine it says more than the wall time), with what.
func (s TraceSpan) End(what string, args ...any) {
	if !traceOn {
		return
	}
	fmt.Fprintf(os.Stderr, "query: %8.1f ms %8.1f cpu-ms  %s\n", float64(time.Since(s.t0).Microseconds())/1000,
		float64((cpuTime()-s.cpu).Microseconds())/1000, fmt.Sprintf(what, args...))
}

// cpuTime is the process's CPU time so far (0 where it cannot be read).
func cpuTime() time.Duration { return cputime.Process() }

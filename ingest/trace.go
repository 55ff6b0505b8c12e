package ingest

import (
	"fmt"
	"os"
	"time"
)

var traceOn = os.Getenv("MINGDENG_INGEST_TRACE") != ""

// trace prints how long a step took when MINGDENG_INGEST_TRACE is set (for profiling).
func trace(step string, start time.Time) {
	if traceOn {
		fmt.Fprintf(os.Stderr, "ingest: %-28s %8.1f ms\n", step, float64(time.Since(start).Microseconds())/1000)
	}
}

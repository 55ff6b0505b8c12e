//go:build !unix

package ingest

import "time"

// cpuTime is 0 where getrusage is not available: the trace then shows wall times only.
func cpuTime() time.Duration { return 0 }

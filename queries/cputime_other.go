//go:build !unix

package queries

import "time"

// cpuTime is not measured on this platform: the trace shows 0.
func cpuTime() time.Duration { return 0 }

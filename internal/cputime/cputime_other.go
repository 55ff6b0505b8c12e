//go:build !unix

// Package cputime is the process's CPU time, for the traces of ingest and queries.
package cputime

import "time"

// Process is 0 where getrusage is not available: the traces then show wall times only.
func Process() time.Duration { return 0 }

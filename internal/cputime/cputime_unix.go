//go:build unix

// Package cputime is the process's CPU time, for the traces of ingest and queries.
package cputime

import (
	"syscall"
	"time"
)

// Process is the CPU time (user and system, every thread) the process has used so far.
func Process() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Command mingdeng ingests party-building records, production outcomes and surveys into a
// DuckDB warehouse, analyses them and renders reports. This package only wires flags to the
// packages that do the work.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	restore := setupConsole()
	// On Windows, Go delivers a console window's close, logoff and shutdown events as SIGTERM.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	args, doubleClick := commandLine(os.Args[1:])
	code := exitCode(run(ctx, args, os.Stdin, os.Stdout, os.Stderr), args, os.Stderr)
	stop()
	if doubleClick && code != 0 {
		waitForEnter(os.Stdin, os.Stderr, langFromArgs(args))
	}
	restore()
	os.Exit(code)
}

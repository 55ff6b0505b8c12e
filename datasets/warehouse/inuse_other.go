//go:build !windows

package warehouse

// heldByAnother is false: on Linux and macOS DuckDB takes an fcntl lock and says so in its own
// English words ("Could not set lock"), which classifyOpenError reads.
func heldByAnother(string, bool) bool { return false }

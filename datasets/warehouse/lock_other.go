//go:build !linux

package warehouse

import "os"

// holdReadLock is a no-op here: on Windows DuckDB's LockFileEx lock belongs to its own
// handle, so no other close in the process drops it; other systems keep DuckDB's lock alone.
func holdReadLock(string) (*os.File, error) { return nil, nil }

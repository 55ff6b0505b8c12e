package ingest

// RunsLoaded is how many runs of files were loaded together so far in this process.
func RunsLoaded() int64 { return runsLoaded.Load() }

// SetPassAhead sets how many bytes the byte pass may read ahead of the loading, and returns
// the setting before.
func SetPassAhead(n int64) int64 {
	old := passAhead
	passAhead = n
	return old
}

package ingest

// RunsLoaded is how many runs of files were loaded together so far in this process.
func RunsLoaded() int64 { return runsLoaded.Load() }

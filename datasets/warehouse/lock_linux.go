package warehouse

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// holdReadLock takes an open-file-description read lock on the whole warehouse file and keeps
// the file open until the returned file is closed.
//
// Why: DuckDB guards its file with a POSIX record lock, and POSIX drops every such lock a
// process holds on a file as soon as the process closes any descriptor of that file. A query
// that makes DuckDB open the warehouse a second time (attach and detach it) therefore
// released a read-only server's lock, and a second process could then write the file under
// it. An OFD lock belongs to this descriptor alone: no other close in the process releases
// it, and it conflicts with the write lock another process's DuckDB asks for, so that
// process is told the warehouse is in use for as long as the server runs.
func holdReadLock(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	lk := unix.Flock_t{Type: unix.F_RDLCK, Whence: 0, Start: 0, Len: 0}
	if err := unix.FcntlFlock(f.Fd(), unix.F_OFD_SETLK, &lk); err != nil {
		f.Close()
		return nil, fmt.Errorf("Conflicting lock: %w", err)
	}
	return f, nil
}

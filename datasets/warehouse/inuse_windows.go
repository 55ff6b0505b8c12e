//go:build windows

package warehouse

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// heldByAnother reports whether another process has the file open in a way that excludes us.
// DuckDB's lock on Windows is the share mode it opens the file with (a writer shares nothing, a
// reader shares reading), and its error carries the system's message in the system's language
// (on a Chinese Windows "另一个程序正在使用此文件，进程无法访问。"), so instead of reading that text
// the file is opened once more the way DuckDB wanted it and the system's error code decides.
func heldByAnother(path string, readOnly bool) bool {
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0)
	if err == nil {
		f.Close()
		return false
	}
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}

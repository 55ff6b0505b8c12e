package ingest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

// Sentinel errors callers branch on with errors.Is. The *FileError that wraps them carries the
// file and a message in both languages.
var (
	ErrMissingColumns = errors.New("required columns missing")
	ErrEncoding       = errors.New("file is not valid in its text encoding")
	ErrUnknownDataset = errors.New("cannot tell which dataset the file holds")
	ErrFormat         = errors.New("unsupported or unreadable file format")
	ErrNoHeader       = errors.New("no header row found")
	ErrStrict         = errors.New("file refused: rows were rejected and --strict is set")
	ErrCounts         = errors.New("row counts do not add up")
	ErrNoKey          = errors.New("no pseudonymisation key")
	ErrUnit           = errors.New("a header's unit cannot be converted to the column's")
	ErrChanged        = errors.New("file changed while it was read")
	ErrLongLine       = errors.New("a line is longer than the reader accepts")
)

// FileError is a failure of one whole file (or sheet): the file is not loaded.
type FileError struct {
	Kind  error // one of the sentinels, or nil for another failure
	File  string
	Sheet string
	Line  int // physical line or sheet row where it broke, 0 when unknown
	Text  datasets.Text
	Err   error
}

func (e *FileError) Error() string { return e.Message(datasets.En) }

// Unwrap lets errors.Is match the sentinel and the cause.
func (e *FileError) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Message is the user-facing text in lang, naming the file (and sheet).
func (e *FileError) Message(lang datasets.Lang) string {
	where := e.File
	if e.Sheet != "" {
		where += datasets.T(fmt.Sprintf("（工作表 %s）", e.Sheet), fmt.Sprintf(" (sheet %s)", e.Sheet)).In(lang)
	}
	msg := e.Text.In(lang)
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	return where + ": " + msg
}

// joinNames lists names for a message.
func joinNames(names []string) string {
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, ", ")
}

package datasets

import (
	"errors"
	"fmt"
)

// ErrUnknownDataset is returned for a dataset name that has no contract.
var ErrUnknownDataset = errors.New("unknown dataset")

// Error is an error the user reads, with its message in both languages. Callers that print
// errors find it with errors.As and show Message(lang); Error() is the English text for logs.
type Error struct {
	Text Text
	Err  error // optional cause
}

// Errorf builds an Error; zh and en are format strings that take the same args.
func Errorf(zh, en string, args ...any) *Error {
	return &Error{Text: T(fmt.Sprintf(zh, args...), fmt.Sprintf(en, args...))}
}

func (e *Error) Error() string { return e.Text.En }

// Message is the text in lang.
func (e *Error) Message(lang Lang) string { return e.Text.In(lang) }

func (e *Error) Unwrap() error { return e.Err }

package queries

import "errors"

// ErrTooManyRows is returned by Collect when a result exceeds the row cap.
var ErrTooManyRows = errors.New("result exceeds the row limit")

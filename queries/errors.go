package queries

import "errors"

// ErrTooManyRows is returned by Collect when a result exceeds the row cap.
var ErrTooManyRows = errors.New("result exceeds the row limit")

// ErrTooManyBytes is returned by CollectCapped when a result exceeds the byte cap.
var ErrTooManyBytes = errors.New("result exceeds the size limit")

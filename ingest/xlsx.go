package ingest

import "context"

type xlsxLoader struct{}

func (xlsxLoader) open(ctx context.Context, src *source) ([]*part, error) { return nil, ErrFormat }

package ingest

import "context"

type jsonLoader struct{ array bool }

func (jsonLoader) open(ctx context.Context, src *source) ([]*part, error) { return nil, ErrFormat }

type parquetLoader struct{}

func (parquetLoader) open(ctx context.Context, src *source) ([]*part, error) { return nil, ErrFormat }

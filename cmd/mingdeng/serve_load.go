package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
	"github.com/mingdeng/mingdeng/reports/web"
)

// uploadFolder is where serve keeps the files loaded through the page, beside the warehouse:
// one sub-folder per upload, so what ingest recorded as a file's name stays a file the office
// can find (and fix and upload again).
const uploadFolder = "mingdeng-uploads"

// webLoader lets the page load files while serve runs. serve holds the warehouse read-only and
// locked down (no file access from SQL), and ingest needs it writable and reading files; so for
// an upload the server holds every other request back (web.Loader's contract), and the loader
// closes the read-only warehouse, opens it for writing as `mingdeng ingest` does, loads, closes
// it, and opens it read-only again. Between uploads other processes can read the warehouse
// beside serve (CLI status, query, report, rejects …), as read-only opens share the file.
type webLoader struct {
	a      *app
	b      *webBackend
	open   func(ctx context.Context) (*warehouse.Warehouse, error) // the read-only, locked-down open
	closed bool                                                    // the last reopen failed: b.w is closed
}

func (l *webLoader) UploadDir() string {
	return filepath.Join(filepath.Dir(l.a.dbPath), uploadFolder)
}

// Load runs the CLI's ingest on the uploaded files. The warehouse is open read-only again
// when it returns, whatever happened.
func (l *webLoader) Load(ctx context.Context, paths []string, lang datasets.Lang) (res *web.LoadResult, err error) {
	if !l.closed {
		if err := l.b.w.Close(); err != nil {
			return nil, fmt.Errorf("close the read-only warehouse: %w", err)
		}
	}
	defer func() {
		ro, rerr := l.open(context.WithoutCancel(ctx))
		// Until it opens again (the next upload tries) the closed warehouse answers every
		// request with an error rather than serve crashing.
		if l.closed = rerr != nil; l.closed {
			err = errors.Join(err, fmt.Errorf("reopen the warehouse read-only: %w", rerr))
			return
		}
		l.b.w = ro
	}()
	w, err := l.a.openWarehouse(ctx, warehouse.Options{})
	if err != nil {
		return nil, err
	}
	defer w.Close()
	var opts ingest.Options
	if key, err := warehouse.LoadKey(l.a.dbPath); err == nil {
		opts.Key = key
	} else if !errors.Is(err, warehouse.ErrNoKey) {
		return nil, err
	}
	if err := recordDeclaredHypotheses(ctx, l.a, w, l.a.serveConfig); err != nil {
		return nil, err
	}
	sum, err := ingest.Ingest(ctx, w, paths, opts)
	if err != nil {
		return nil, err
	}
	// The page names files as the user chose them: relative to the upload folder.
	shown := &ingest.Summary{Files: append([]ingest.FileResult(nil), sum.Files...)}
	for i, f := range shown.Files {
		if rel, err := filepath.Rel(l.UploadDir(), f.Path); err == nil {
			shown.Files[i].Path = filepath.ToSlash(rel)
		}
		if f.Status == ingest.StatusSkipped {
			// The CLI's note says to add --force, which the page has not: say what is true here.
			shown.Files[i].Message = fmt.Sprintf("内容与批次 %d 相同，其中的数据已在数据仓库中，未重新读取；文件改动后再上传即可读取新内容", f.BatchID) + " / " +
				fmt.Sprintf("same content as batch %d: its data are already in the warehouse, so it was not read again; upload the file once it has changed to load the new content", f.BatchID)
		}
	}
	t, rejected := ingestTable(shown, lang)
	res = &web.LoadResult{Table: t, Notes: ingestNotes(shown, lang), Rejected: rejected}
	seen := map[int64]bool{}
	for _, f := range shown.Files {
		if f.Rejected > 0 && f.BatchID > 0 && !seen[f.BatchID] {
			seen[f.BatchID] = true
			res.Batches = append(res.Batches, f.BatchID)
		}
		if f.Err != nil {
			msg := f.Err.Error()
			if m, ok := f.Err.(interface{ Message(datasets.Lang) string }); ok {
				msg = m.Message(lang)
			}
			res.Errors = append(res.Errors, f.Path+datasets.T("：", ": ").In(lang)+msg)
		}
	}
	return res, nil
}

func (l *webLoader) ExportRejects(ctx context.Context, batch int64, w io.Writer, lang datasets.Lang) error {
	return ingest.ExportRejects(ctx, l.b.w.DB(), batch, w, lang)
}

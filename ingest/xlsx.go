package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// xlsxLoader streams workbook rows with excelize (raw cell values: numbers and serial dates as
// stored, formulas as their cached values) into Arrow record batches that DuckDB scans.
type xlsxLoader struct{}

const (
	defaultUnzipLimit = 1 << 30
	xlsxSampleRows    = 30
	arrowBatchRows    = 16384
)

func (xlsxLoader) open(ctx context.Context, src *source) ([]*part, error) {
	limit := src.opts.UnzipSizeLimit
	if limit <= 0 {
		limit = defaultUnzipLimit
		if l := 200 * src.size; l < limit {
			limit = max(l, 64<<20)
		}
	}
	f, err := excelize.OpenFile(src.path, excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, 16<<20)})
	if err != nil {
		return nil, xlsxOpenError(src.display, err, limit)
	}
	src.cleanup = append(src.cleanup, func() { f.Close() })
	src.encoding = EncodingUTF8
	base := base1900
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil && *props.Date1904 {
		base = base1904
	}
	var parts []*part
	for _, name := range f.GetSheetList() {
		if src.opts.Sheet != "" && name != src.opts.Sheet {
			continue
		}
		if visible, err := f.GetSheetVisible(name); err == nil && !visible && src.opts.Sheet == "" {
			continue
		}
		sample, err := sampleRows(f, name)
		if err != nil {
			return nil, xlsxOpenError(src.display, err, limit)
		}
		at := findHeaderRow(sample, src.opts.Dataset)
		if at < 0 || hasGaps(sample[at]) {
			// Merged header cells hold their text in the top-left cell only: spread it.
			if merged, err := f.GetMergeCells(name); err == nil && len(merged) > 0 {
				spreadMerged(sample, merged)
				at = findHeaderRow(sample, src.opts.Dataset)
			}
		}
		p := &part{sheet: name}
		if at >= 0 {
			p.headers, p.headerLine = sample[at], at+1
		}
		sheet, dateBase := name, base
		p.stage = func(ctx context.Context, conn *sql.Conn) (*stagedPart, error) {
			return stageXLSX(ctx, conn, src, f, sheet, p, dateBase)
		}
		parts = append(parts, p)
	}
	if src.opts.Sheet != "" && len(parts) == 0 {
		return nil, &FileError{Kind: ErrFormat, File: src.display, Text: datasets.T(
			fmt.Sprintf("工作簿中没有名为“%s”的工作表（有：%s）", src.opts.Sheet, strings.Join(f.GetSheetList(), "、")),
			fmt.Sprintf("the workbook has no sheet named %q (it has: %s)", src.opts.Sheet, strings.Join(f.GetSheetList(), ", ")))}
	}
	var kept []*part
	for _, p := range parts {
		if p.headers != nil {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return nil, &FileError{Kind: ErrNoHeader, File: src.display, Text: noHeaderText()}
	}
	return kept, nil
}

func xlsxOpenError(file string, err error, limit int64) error {
	msg := err.Error()
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(msg, "zip: not a valid zip file") || strings.Contains(msg, "encrypt"):
		return &FileError{Kind: ErrFormat, File: file, Err: err, Text: datasets.T(
			"无法读取工作簿：文件已损坏、加密，或不是 .xlsx（旧版 .xls 请另存为 .xlsx）",
			"cannot read the workbook: it is damaged, encrypted, or not .xlsx (save an old .xls as .xlsx)")}
	case strings.Contains(msg, "unzip size") || errors.Is(err, excelize.ErrOptionsUnzipSizeLimit):
		return &FileError{Kind: ErrFormat, File: file, Err: err, Text: datasets.T(
			fmt.Sprintf("工作簿解压后超过 %d MiB 的上限，未读取（可能是压缩炸弹）", limit>>20),
			fmt.Sprintf("the workbook unpacks to more than the %d MiB limit and was not read (a zip bomb?)", limit>>20))}
	}
	return &FileError{Kind: ErrFormat, File: file, Err: err, Text: readErrorText(err)}
}

// sampleRows reads the first rows of a sheet.
func sampleRows(f *excelize.File, sheet string) ([][]string, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for len(out) < xlsxSampleRows && rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		out = append(out, cols)
	}
	return out, rows.Error()
}

func hasGaps(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) == "" {
			return true
		}
	}
	return false
}

// spreadMerged copies the value of each merged range into every empty cell it covers, so that a
// header merged over two rows, or over several columns, is seen in the header row.
func spreadMerged(rows [][]string, merged []excelize.MergeCell) {
	for _, m := range merged {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 > len(rows) {
			continue
		}
		v := ""
		if r1-1 < len(rows) && c1-1 < len(rows[r1-1]) {
			v = rows[r1-1][c1-1]
		}
		if v == "" {
			v = m.GetCellValue()
		}
		for r := r1; r <= r2 && r <= len(rows); r++ {
			for c := c1; c <= c2; c++ {
				for len(rows[r-1]) < c {
					rows[r-1] = append(rows[r-1], "")
				}
				if rows[r-1][c-1] == "" {
					rows[r-1][c-1] = v
				}
			}
		}
	}
}

func stageXLSX(ctx context.Context, conn *sql.Conn, src *source, f *excelize.File, sheet string, p *part, dateBase string) (*stagedPart, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for i := 0; i < p.headerLine; i++ {
		if !rows.Next() {
			break
		}
	}
	n := len(p.headers)
	fields := make([]arrow.Field, n)
	for i := range fields {
		fields[i] = arrow.Field{Name: rawCol(i), Type: arrow.BinaryTypes.String, Nullable: true}
	}
	rr := &sheetReader{schema: arrow.NewSchema(fields, nil), rows: rows, n: n}
	rr.refs.Store(1)
	rr.progress = func(k int64) {
		if src.progress != nil {
			src.progress(Progress{Path: src.display, Sheet: sheet, Phase: "read", Rows: k, Total: src.size})
		}
	}
	err = warehouse.Arrow(ctx, conn, func(a *duckdb.Arrow) error {
		release, err := a.RegisterView(rr, "_md_xlsx")
		if err != nil {
			return err
		}
		defer release()
		res, err := a.QueryContext(ctx, "CREATE OR REPLACE TEMP TABLE _md_raw AS SELECT * FROM _md_xlsx")
		if err != nil {
			return err
		}
		res.Release()
		return nil
	})
	if rr.err != nil {
		return nil, rr.err
	}
	if err != nil {
		return nil, err
	}
	st := &stagedPart{headers: p.headers, dateBase: dateBase, numericCells: true}
	if err := writeLines(ctx, conn, &lineScanner{k: -1}, int64(p.headerLine), &st.singleBase); err != nil {
		return nil, err
	}
	return st, nil
}

// sheetReader is an array.RecordReader over the data rows of a sheet: every column as text,
// empty cells as NULL, blank rows kept (they count as blank) except at the end of the sheet.
type sheetReader struct {
	refs     atomic.Int64
	schema   *arrow.Schema
	rows     *excelize.Rows
	n        int
	cur      arrow.RecordBatch
	err      error
	done     bool
	pending  int // blank rows not yet known to lie before a data row
	count    int64
	progress func(int64)
}

func (r *sheetReader) Retain() { r.refs.Add(1) }
func (r *sheetReader) Release() {
	if r.refs.Add(-1) == 0 && r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}
func (r *sheetReader) Schema() *arrow.Schema          { return r.schema }
func (r *sheetReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *sheetReader) Record() arrow.RecordBatch      { return r.cur }
func (r *sheetReader) Err() error                     { return r.err }

func (r *sheetReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.done || r.err != nil {
		return false
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, r.schema)
	defer b.Release()
	builders := make([]*array.StringBuilder, r.n)
	for i := range builders {
		builders[i] = b.Field(i).(*array.StringBuilder)
	}
	rowsIn := 0
	appendBlank := func() {
		for _, sb := range builders {
			sb.AppendNull()
		}
		rowsIn++
	}
	for rowsIn < arrowBatchRows {
		if !r.rows.Next() {
			r.done = true
			if err := r.rows.Error(); err != nil {
				r.err = err
				return false
			}
			break
		}
		cols, err := r.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			r.err = err
			return false
		}
		blank := true
		for i := 0; i < len(cols) && i < r.n; i++ {
			if cols[i] != "" {
				blank = false
				break
			}
		}
		if blank {
			r.pending++
			continue
		}
		for ; r.pending > 0; r.pending-- {
			appendBlank()
		}
		for i, sb := range builders {
			if i < len(cols) && cols[i] != "" {
				sb.Append(cols[i])
			} else {
				sb.AppendNull()
			}
		}
		rowsIn++
	}
	if rowsIn == 0 {
		return false
	}
	r.count += int64(rowsIn)
	if r.progress != nil {
		r.progress(r.count)
	}
	r.cur = b.NewRecordBatch()
	return true
}

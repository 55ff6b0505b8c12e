package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest/xlsxscan"
)

// xlsxLoader streams workbook rows with xlsxscan (excelize's raw cell values: numbers and serial
// dates as stored, formulas as their cached values, ten times faster) into Arrow record batches
// that DuckDB scans.
type xlsxLoader struct{}

const (
	defaultUnzipLimit = 1 << 30
	xlsxSampleRows    = 30
	// arrowBatchRows is two DuckDB vectors: each batch is one thread's piece of the typing, which
	// starts as soon as the first is read and ends shortly after the last (with 16384-row
	// batches a 42 k-row sheet was three pieces, the last typed after the reading had ended;
	// one vector a batch cost about 7 % more CPU).
	arrowBatchRows = 4096
	// arrowAhead is how many batches the reading may run ahead of DuckDB.
	arrowAhead = 8
)

func (xlsxLoader) open(ctx context.Context, src *source) ([]*part, error) {
	limit := src.opts.UnzipSizeLimit
	if limit <= 0 {
		limit = defaultUnzipLimit
		if l := 200 * src.size; l < limit {
			limit = max(l, 64<<20)
		}
	}
	wb, err := xlsxscan.Open(src.path, xlsxscan.Options{UnzipSizeLimit: limit})
	if err != nil {
		return nil, xlsxOpenError(src.display, err, limit)
	}
	src.cleanup = append(src.cleanup, func() { wb.Close() })
	src.encoding = EncodingUTF8
	base := base1900
	if wb.Date1904 {
		base = base1904
	}
	var parts []*part
	var names []string
	for _, sh := range wb.Sheets {
		names = append(names, sh.Name)
		name := sh.Name
		if src.opts.Sheet != "" && name != src.opts.Sheet {
			continue
		}
		if !sh.Visible() && src.opts.Sheet == "" {
			continue
		}
		sample, err := sampleRows(wb, name)
		if err != nil {
			return nil, xlsxOpenError(src.display, err, limit)
		}
		at := findHeaderRow(sample, src.opts.Dataset)
		if at < 0 || hasGaps(sample[at]) {
			// Merged header cells hold their text in the top-left cell only: spread it.
			if merged, err := wb.MergeCells(name); err == nil && len(merged) > 0 {
				spreadMerged(sample, merged)
				at = findHeaderRow(sample, src.opts.Dataset)
			}
		}
		p := &part{sheet: name}
		if at >= 0 {
			p.headers, p.headerLine = sample[at], at+1
		}
		sheet, dateBase := name, base
		p.stage = func(_ context.Context, conn *sql.Conn) (*stagedPart, error) {
			return stageXLSX(conn, src, wb, sheet, p, dateBase)
		}
		parts = append(parts, p)
	}
	if src.opts.Sheet != "" && len(parts) == 0 {
		return nil, &FileError{Kind: ErrFormat, File: src.display, Text: datasets.T(
			fmt.Sprintf("工作簿中没有名为“%s”的工作表（有：%s）", src.opts.Sheet, strings.Join(names, "、")),
			fmt.Sprintf("the workbook has no sheet named %q (it has: %s)", src.opts.Sheet, strings.Join(names, ", ")))}
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
	switch {
	case errors.Is(err, xlsxscan.ErrFormat):
		return &FileError{Kind: ErrFormat, File: file, Err: err, Text: datasets.T(
			"无法读取工作簿：文件已损坏、加密，或不是 .xlsx（旧版 .xls 请另存为 .xlsx）",
			"cannot read the workbook: it is damaged, encrypted, or not .xlsx (save an old .xls as .xlsx)")}
	case errors.Is(err, xlsxscan.ErrUnzipSizeLimit):
		return &FileError{Kind: ErrFormat, File: file, Err: err, Text: datasets.T(
			fmt.Sprintf("工作簿解压后超过 %d MiB 的上限，未读取（可能是压缩炸弹）", limit>>20),
			fmt.Sprintf("the workbook unpacks to more than the %d MiB limit and was not read (a zip bomb?)", limit>>20))}
	}
	return &FileError{Kind: ErrFormat, File: file, Err: err, Text: readErrorText(err)}
}

// sampleRows reads the first rows of a sheet.
func sampleRows(wb *xlsxscan.Workbook, sheet string) ([][]string, error) {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for len(out) < xlsxSampleRows && rows.Next() {
		out = append(out, rows.Values())
	}
	return out, rows.Err()
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
func spreadMerged(rows [][]string, merged []xlsxscan.Merge) {
	for _, m := range merged {
		c1, r1, c2, r2 := m.Col1, m.Row1, m.Col2, m.Row2
		if r1 > len(rows) {
			continue
		}
		v := ""
		if c1-1 < len(rows[r1-1]) {
			v = rows[r1-1][c1-1]
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

// xlsxView is the name under which a sheet's rows are registered for the statement reading them.
const xlsxView = "_md_xlsx"

// xlsxSource is what the typing query reads: the fields of the stream's one column as columns.
const xlsxSource = "(SELECT unnest(_row) FROM " + xlsxView + ")"

// stageXLSX readies a sheet for a typing query that reads its rows as they are parsed: no table
// of their text is made (the raw text is kept only for rows refused, as for CSV). The first
// statement reading the sheet parses it; the statements after it (the typing after the
// pseudonyms, the text of rows refused later) scan the batches it kept, or parse the sheet
// again when they were too many to keep.
func stageXLSX(conn *sql.Conn, src *source, wb *xlsxscan.Workbook, sheet string, p *part, dateBase string) (*stagedPart, error) {
	// Rows follow the header one to a sheet row (gaps are returned as empty rows, trailing
	// ones are dropped): the row a user sees is the record's index + the header's row + 1.
	st := &stagedPart{headers: p.headers, dateBase: dateBase, numericCells: true, direct: xlsxSource, indexed: true, rowSpecial: true,
		singleBase: int64(p.headerLine) + 1}
	kept := &keptBatches{}
	src.cleanup = append(src.cleanup, kept.release)
	oneThreaded := false
	st.stream = func(ctx context.Context) (func() error, error) {
		if !oneThreaded {
			restore, err := oneThread(ctx, conn)
			if err != nil {
				return nil, err
			}
			oneThreaded = true
			src.cleanup = append(src.cleanup, func() { restore() })
		}
		if kept.complete {
			return replaySheet(ctx, conn, kept, st)
		}
		return streamSheet(ctx, conn, src, wb, sheet, p, st, kept)
	}
	return st, nil
}

// keptBatches are the record batches of a sheet's first complete reading, for the statements
// after it: parsing a sheet costs more CPU than DuckDB's scan of its rows (a 42 k-row sheet of
// 11 columns: about 0.1 CPU-s, 7 MB of batches).
type keptBatches struct {
	schema   *arrow.Schema
	recs     []arrow.RecordBatch
	bytes    int64
	count    int64
	complete bool // every batch of the sheet is in recs
	over     bool // the batches passed keepLimit: each statement parses the sheet
}

// keepLimit bounds the memory kept batches hold while the file loads (half a million rows of
// an attendance sheet).
const keepLimit = 64 << 20

// add keeps a batch the reading built, unless the sheet's batches pass keepLimit.
func (k *keptBatches) add(rec arrow.RecordBatch) {
	if k.over || k.complete {
		return
	}
	var size int64
	for _, c := range rec.Columns() {
		size += dataBytes(c.Data())
	}
	if k.bytes+size > keepLimit {
		k.release()
		k.over = true
		return
	}
	rec.Retain()
	k.recs = append(k.recs, rec)
	k.bytes += size
}

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	return n
}

// release drops the kept batches (a reading stopped before the end keeps none).
func (k *keptBatches) release() {
	for _, r := range k.recs {
		r.Release()
	}
	k.recs, k.bytes, k.complete = nil, 0, false
}

// replaySheet registers the kept batches of a sheet as xlsxView for one statement.
func replaySheet(ctx context.Context, conn *sql.Conn, kept *keptBatches, st *stagedPart) (func() error, error) {
	rr := &keptReader{schema: kept.schema, recs: kept.recs}
	var release func()
	err := warehouse.Arrow(ctx, conn, func(a *duckdb.Arrow) error {
		var err error
		release, err = a.RegisterView(rr, xlsxView)
		return err
	})
	if err != nil {
		return nil, err
	}
	return func() error {
		release()
		rr.Release()
		st.records = kept.count
		return nil
	}, nil
}

// keptReader is an array.RecordReader over kept batches.
type keptReader struct {
	schema *arrow.Schema
	recs   []arrow.RecordBatch
	i      int
	cur    arrow.RecordBatch
}

func (r *keptReader) Retain() {}
func (r *keptReader) Release() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}
func (r *keptReader) Schema() *arrow.Schema          { return r.schema }
func (r *keptReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *keptReader) Record() arrow.RecordBatch      { return r.cur }
func (r *keptReader) Err() error                     { return nil }
func (r *keptReader) Next() bool {
	r.Release()
	if r.i >= len(r.recs) {
		return false
	}
	r.cur = r.recs[r.i]
	r.cur.Retain()
	r.i++
	return true
}

// streamSheet registers the data rows of a sheet as xlsxView for one statement; done stops the
// reading, sets st.records to the rows the stream gave, and says what broke the reading. The
// batches built go to kept as well.
func streamSheet(ctx context.Context, conn *sql.Conn, src *source, wb *xlsxscan.Workbook, sheet string, p *part, st *stagedPart, kept *keptBatches) (func() error, error) {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, &FileError{Kind: ErrFormat, File: src.display, Sheet: sheet, Err: err, Text: readErrorText(err)}
	}
	for i := 0; i < p.headerLine; i++ {
		if !rows.Next() {
			break
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, &FileError{Kind: ErrFormat, File: src.display, Sheet: sheet, Err: err, Text: readErrorText(err)}
	}
	n := len(p.headers)
	fields := make([]arrow.Field, n, n+2)
	for i := range fields {
		fields[i] = arrow.Field{Name: rawCol(i), Type: arrow.BinaryTypes.String, Nullable: true}
	}
	fields = append(fields, arrow.Field{Name: "_sp", Type: arrow.FixedWidthTypes.Boolean}, arrow.Field{Name: "_k", Type: arrow.PrimitiveTypes.Int64})
	// One struct column holds the row: DuckDB asks a stream for the columns a statement uses, but
	// the driver's exported stream always sends them all, and DuckDB would then read the first k
	// for the k it asked for. With one column there is nothing to leave out.
	schema := arrow.NewSchema([]arrow.Field{{Name: "_row", Type: arrow.StructOf(fields...)}}, nil)
	kept.release()
	kept.schema = schema
	rr := &sheetReader{schema: schema, rows: rows, n: n, kept: kept}
	rr.refs.Store(1)
	rr.progress = func(k int64) {
		if src.progress != nil {
			src.progress(Progress{Path: src.display, Sheet: sheet, Phase: "read", Rows: k, Total: src.size})
		}
	}
	var release func()
	err = warehouse.Arrow(ctx, conn, func(a *duckdb.Arrow) error {
		var err error
		release, err = a.RegisterView(rr, xlsxView)
		return err
	})
	if err != nil {
		rows.Close()
		return nil, err
	}
	// The reading starts now, while DuckDB plans the statement (a typing query takes it some
	// 20 ms), rather than at the first batch it asks for.
	rr.once.Do(rr.start)
	return func() error {
		rr.shutdown()
		release()
		rows.Close()
		st.records = rr.count
		var nc *noCacheError
		if errors.As(rr.err, &nc) {
			return &FileError{Kind: ErrFormat, File: src.display, Sheet: sheet, Line: nc.row, Text: datasets.T(
				fmt.Sprintf("第 %d 行 %s 列的公式没有计算结果（文件可能由程序写出、未在 Excel 中保存过），未导入：请在 Excel 或 WPS 中打开并保存后再导入", nc.row, colLetters(nc.col)),
				fmt.Sprintf("row %d, column %s holds a formula without a computed value (the file was written by a program and never saved by Excel): not loaded; open and save it in Excel or WPS, then ingest it again", nc.row, colLetters(nc.col)))}
		}
		if rr.err != nil {
			// The sheet's XML is broken past the sampled rows.
			return &FileError{Kind: ErrFormat, File: src.display, Sheet: sheet, Err: rr.err, Text: readErrorText(rr.err)}
		}
		return nil
	}, nil
}

// oneThread runs DuckDB on one thread until restore is called: from the first statement that
// reads a sheet to the end of its file. A statement reading the sheet's stream waits for the
// reading goroutine, and while DuckDB's worker thread waits in the stream, the thread that runs
// the statement polls for tasks without sleeping: on two cores that poll took the core the
// reading needed. One thread runs the statement's tasks itself and sleeps in the stream instead
// (the typing of 42 k rows: 0.08 CPU-s against 0.15 with two threads, its batches already
// read). The statements after the typing poll the same way on the small tables of a workbook
// (the merge of 42 k rows under load: 0.06 CPU-s and 0.25 s against 0.02 and 0.06 on one
// thread).
func oneThread(ctx context.Context, conn *sql.Conn) (restore func() error, err error) {
	var threads int64
	if err := scanSQL(ctx, conn, "SELECT current_setting('threads')", nil, &threads); err != nil {
		return nil, err
	}
	if threads <= 1 {
		return func() error { return nil }, nil
	}
	if _, err := execSQL(ctx, conn, "SET threads = 1"); err != nil {
		return nil, err
	}
	return func() error {
		_, err := execSQL(context.WithoutCancel(ctx), conn, "SET threads = "+strconv.FormatInt(threads, 10))
		return err
	}, nil
}

// sheetReader is an array.RecordReader over the data rows of a sheet: every column as text,
// empty cells as NULL, blank rows kept (they count as blank) except at the end of the sheet, and
// then the column _sp, true where some cell of the row holds what md_clean would change (see
// lineScanner.special) or a line break: elsewhere cleaning a cell is a trim (typing 200 k rows:
// 0.75 s with a regular expression per cell), and _k, the row's index among the data rows.
// Hidden rows are read like the others. A goroutine reads the sheet and builds the next record
// batch while DuckDB loads the previous one.
type sheetReader struct {
	refs     atomic.Int64
	schema   *arrow.Schema
	rows     *xlsxscan.Rows
	n        int
	cur      arrow.RecordBatch
	err      error
	progress func(int64)
	kept     *keptBatches // touched by the reading goroutine only, until shutdown

	once    sync.Once
	batches chan builtBatch
	stop    chan struct{}
	wg      sync.WaitGroup

	// producer state
	pending int // blank rows not yet known to lie before a data row
	count   int64
}

// textSpecial tells whether b holds a byte sequence md_clean would change (as specialAt finds
// them; one cut off by the end of b counts too), or a line break.
func textSpecial[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\n' {
			return true
		}
		if specialLead[c] {
			w := []byte(b[i:min(i+3, len(b))])
			if f, inc := specialAt(w, 0); f || inc {
				return true
			}
		}
	}
	return false
}

type builtBatch struct {
	rec arrow.RecordBatch
	err error
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

func (r *sheetReader) start() {
	r.batches = make(chan builtBatch, arrowAhead)
	r.stop = make(chan struct{})
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer close(r.batches)
		for {
			rec, err := r.build()
			if rec == nil && err == nil {
				r.kept.count, r.kept.complete = r.count, !r.kept.over
				return
			}
			if rec != nil {
				r.kept.add(rec)
			}
			select {
			case r.batches <- builtBatch{rec, err}:
			case <-r.stop:
				if rec != nil {
					rec.Release()
				}
				return
			}
			if err != nil {
				return
			}
		}
	}()
}

// shutdown stops the reading goroutine (when DuckDB stopped early) and waits for it, so that
// the sheet can be closed.
func (r *sheetReader) shutdown() {
	if r.batches == nil {
		return
	}
	close(r.stop)
	for b := range r.batches {
		if b.rec != nil {
			b.rec.Release()
		}
	}
	r.wg.Wait()
	r.batches = nil
}

func (r *sheetReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.err != nil {
		return false
	}
	r.once.Do(r.start)
	b, ok := <-r.batches
	if !ok {
		return false
	}
	if b.err != nil {
		r.err = b.err
		return false
	}
	r.cur = b.rec
	return true
}

// build reads up to arrowBatchRows rows into a record batch (nil at the end of the sheet).
func (r *sheetReader) build() (arrow.RecordBatch, error) {
	b := array.NewRecordBuilder(memory.DefaultAllocator, r.schema)
	defer b.Release()
	row := b.Field(0).(*array.StructBuilder)
	row.Reserve(arrowBatchRows)
	builders := make([]*array.StringBuilder, r.n)
	for i := range builders {
		builders[i] = row.FieldBuilder(i).(*array.StringBuilder)
		builders[i].Reserve(arrowBatchRows)
	}
	sp := row.FieldBuilder(r.n).(*array.BooleanBuilder)
	sp.Reserve(arrowBatchRows)
	ks := row.FieldBuilder(r.n + 1).(*array.Int64Builder)
	ks.Reserve(arrowBatchRows)
	rowsIn := 0
	for rowsIn < arrowBatchRows {
		if !r.rows.Next() {
			if err := r.rows.Err(); err != nil {
				return nil, err
			}
			break
		}
		cells := r.rows.Cells()
		// Cells come in column order; only the first n columns count.
		for len(cells) > 0 && cells[len(cells)-1].Col >= r.n {
			cells = cells[:len(cells)-1]
		}
		for i := range cells {
			if cells[i].NoCache {
				// Read as empty, it would load as a missing value (or blank a stored one).
				return nil, &noCacheError{row: r.rows.Num(), col: cells[i].Col}
			}
		}
		blank := true
		for i := range cells {
			if s, ok := cells[i].Shared(); ok && s != "" || !ok && len(cells[i].V) > 0 {
				blank = false
				break
			}
		}
		if blank {
			r.pending++
			continue
		}
		for ; r.pending > 0; r.pending-- {
			for _, sb := range builders {
				sb.AppendNull()
			}
			sp.Append(false)
			ks.Append(r.count + int64(rowsIn))
			row.Append(true)
			rowsIn++
		}
		col := 0
		special := false
		for i := range cells {
			c := &cells[i]
			for ; col < c.Col; col++ {
				builders[col].AppendNull()
			}
			if s, ok := c.Shared(); ok {
				if s == "" {
					builders[col].AppendNull()
				} else {
					builders[col].Append(s)
					special = special || textSpecial(s)
				}
			} else if len(c.V) == 0 {
				builders[col].AppendNull()
			} else {
				builders[col].BinaryBuilder.Append(c.V)
				special = special || textSpecial(c.V)
			}
			col++
		}
		for ; col < r.n; col++ {
			builders[col].AppendNull()
		}
		sp.Append(special)
		ks.Append(r.count + int64(rowsIn))
		row.Append(true)
		rowsIn++
	}
	if rowsIn == 0 {
		return nil, nil
	}
	r.count += int64(rowsIn)
	if r.progress != nil {
		r.progress(r.count)
	}
	return b.NewRecordBatch(), nil
}

// noCacheError is a formula cell without a cached value among a sheet's data rows.
type noCacheError struct{ row, col int }

func (e *noCacheError) Error() string {
	return fmt.Sprintf("row %d, column %s: formula without a cached value", e.row, colLetters(e.col))
}

// colLetters names a 0-based column as Excel does (0 → A, 26 → AA).
func colLetters(col int) string {
	s := ""
	for col++; col > 0; col = (col - 1) / 26 {
		s = string(rune('A'+(col-1)%26)) + s
	}
	return s
}

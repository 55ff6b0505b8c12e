package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// Format is a source file format.
type Format string

const (
	FormatCSV     Format = "csv" // also TSV and other delimiters
	FormatXLSX    Format = "xlsx"
	FormatJSON    Format = "json"   // a JSON array of objects
	FormatNDJSON  Format = "ndjson" // one JSON object per line
	FormatParquet Format = "parquet"
)

// loader reads one format: open finds the parts (a file, or the sheets of a workbook) and their
// header rows; each part's stage fills _md_raw and _md_lines on the connection.
type loader interface {
	open(ctx context.Context, src *source) ([]*part, error)
}

var loaders = map[Format]loader{
	FormatCSV:     csvLoader{},
	FormatXLSX:    xlsxLoader{},
	FormatJSON:    jsonLoader{array: true},
	FormatNDJSON:  jsonLoader{},
	FormatParquet: parquetLoader{},
}

// Options control an ingest. The zero value detects everything and needs a key only for files
// with personal columns.
type Options struct {
	Dataset  string   // force this dataset instead of recognising it
	Sheet    string   // XLSX: only this sheet (default: every visible sheet holding a dataset)
	Encoding Encoding // force the text encoding of CSV files
	Force    bool     // load files again even when the same content was loaded before
	Strict   bool     // refuse a whole file when any row is rejected
	Key      []byte   // pseudonymisation key (warehouse.LoadKey)
	TempDir  string   // for transcoded copies; default os.TempDir()
	// UnzipSizeLimit caps the uncompressed size of an XLSX file (default 1 GiB, and at most 200
	// times the file's size), so a zip bomb is refused before memory grows.
	UnzipSizeLimit int64
	// Progress, when set, is called as files are read.
	Progress func(Progress)
}

// Progress reports the work on one file.
type Progress struct {
	Path  string
	Sheet string
	Phase string // "read", "check", "done"
	Rows  int64  // rows read so far (XLSX), or 0
	Bytes int64  // bytes read so far (text files)
	Total int64  // file size in bytes
}

// Status of one file or sheet.
const (
	StatusLoaded  = "loaded"  // merged (possibly with rejected rows)
	StatusSkipped = "skipped" // same content loaded before
	StatusRefused = "refused" // --strict and some rows were rejected: nothing loaded
	StatusFailed  = "failed"  // the file could not be read or checked: nothing loaded
	StatusIgnored = "ignored" // an XLSX sheet that holds no dataset
)

// FileResult is what happened to one file (or one sheet of a workbook).
type FileResult struct {
	Path           string   `json:"path"`
	Sheet          string   `json:"sheet,omitempty"`
	Dataset        string   `json:"dataset"`
	Format         Format   `json:"format,omitempty"`
	Encoding       Encoding `json:"encoding,omitempty"`
	Status         string   `json:"status"`
	BatchID        int64    `json:"batch_id,omitempty"`
	RowsRead       int64    `json:"rows_read"`
	Loaded         int64    `json:"loaded"`
	Updated        int64    `json:"updated"`
	Unchanged      int64    `json:"unchanged"`
	Rejected       int64    `json:"rejected"`
	Duplicates     int64    `json:"duplicates"`
	Blank          int64    `json:"blank"`
	Skipped        int64    `json:"skipped"` // summary rows under the table (合计, 备注, 制表人 …)
	Seconds        float64  `json:"seconds"`
	UnknownColumns []string `json:"unknown_columns,omitempty"`
	// ChangedColumns says, per column the file carries (its own header), how many existing
	// rows the file changed; columns it lacks are never changed.
	ChangedColumns map[string]int64 `json:"changed_columns,omitempty"`
	Conversions    []Conversion     `json:"conversions,omitempty"` // units converted from the headers'
	Masked         int64            `json:"masked,omitempty"`      // ID and phone numbers masked in free text
	Message        string           `json:"message,omitempty"`
	Err            error            `json:"-"`
}

// Summary is the result of an ingest: one entry per file or sheet, in the order loaded.
type Summary struct {
	Files []FileResult `json:"files"`
}

// Err joins the errors of the files that failed or were refused (nil when none did).
func (s *Summary) Err() error {
	var errs []error
	for _, f := range s.Files {
		if f.Err != nil {
			errs = append(errs, f.Err)
		}
	}
	return errors.Join(errs...)
}

// source is one file being ingested.
type source struct {
	path     string // as opened
	display  string // as shown to the user (the path given)
	size     int64
	info     os.FileInfo // as first seen: the file must be the same after it was read
	hashed   int64       // bytes hashed (formats read without the text pass)
	format   Format
	encoding Encoding
	sha256   string
	opts     *Options
	parts    []*part
	order    int
	openErr  error
	note     datasets.Text // why a file loaded before is read again
	cleanup  []func()
	progress func(Progress)
	// sample is the start of the file as prepare read it; sampleAll says it is the whole file.
	sample    []byte
	sampleAll bool

	// The byte pass (hash, and for text files UTF-8 check and record scan) runs in a goroutine
	// ahead of the file DuckDB loads; ready closes when pass or passErr is set.
	newScan func() *lineScanner // text formats read by records: the scanner for the pass
	pass    *textPass
	passErr error
	ready   chan struct{}
	// passStart and passEnd time the pass for the trace's line of each group.
	passStart, passEnd time.Time
}

// runPass reads the file once: SHA-256, and for a CSV file the UTF-8 check and record scan
// its staging needs.
func (s *source) runPass() {
	if traceOn {
		s.passStart = time.Now()
		defer func() { s.passEnd = time.Now() }()
	}
	defer close(s.ready)
	if s.pass != nil {
		return // the format's open read the file already (JSON, for the keys of every object)
	}
	if s.newScan != nil && s.openErr == nil {
		s.pass, s.passErr = passFile(s.path, s.newScan(), nil)
		if s.passErr == nil {
			s.sha256 = s.pass.sha256
		}
		return
	}
	var err error
	s.sha256, s.hashed, err = hashFile(s.path)
	if s.openErr == nil {
		s.passErr = err
	}
}

// awaitPass waits for the file's byte pass (ctx's error if cancelled first), once per file
// in load order. A wait is traced as pass-wait: DuckDB idle while Go reads the file.
func (r *runner) awaitPass(ctx context.Context, s *source) error {
	select {
	case <-s.ready:
	default:
		t0 := time.Now()
		select {
		case <-s.ready:
			trace("pass-wait", t0)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// The file is no longer ahead of the loading: the files after it may be read. (Counting it
	// until it is loaded would stall a group larger than passAhead, whose files wait for the
	// pass of the next one before their run is loaded.)
	r.budget.release(s.size)
	return nil
}

// passAhead is how many bytes of files the loading has not reached the byte pass may have read: enough to
// read a group of large files while DuckDB loads the small ones before it, little enough that
// the files are still in the page cache when DuckDB reads them.
var passAhead int64 = 1 << 30

// passBudget counts the bytes of files read by the pass that the loading has not reached, for
// the one goroutine running the pass.
type passBudget struct {
	mu    sync.Mutex
	ahead int64
	freed chan struct{} // a release since the pass last looked
}

func newPassBudget() *passBudget { return &passBudget{freed: make(chan struct{}, 1)} }

// acquire waits until n more bytes fit in passAhead (a larger file when none is ahead).
func (b *passBudget) acquire(ctx context.Context, n int64) error {
	for {
		b.mu.Lock()
		if b.ahead == 0 || b.ahead+n <= passAhead {
			b.ahead += n
			b.mu.Unlock()
			return nil
		}
		b.mu.Unlock()
		select {
		case <-b.freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (b *passBudget) release(n int64) {
	b.mu.Lock()
	b.ahead -= n
	b.mu.Unlock()
	select {
	case b.freed <- struct{}{}:
	default:
	}
}

// unchangedSince refuses a file that was overwritten, renamed, grown or cut while it was read
// (size, modification time and file identity as first seen), or whose bytes hashed differ in
// number from its size: its hash would then name content other than what was loaded, and the
// real file would later be skipped as already loaded.
func (s *source) unchangedSince() error {
	now, err := os.Stat(s.path)
	changed := err != nil || !os.SameFile(s.info, now) || now.Size() != s.info.Size() || !now.ModTime().Equal(s.info.ModTime())
	if !changed && s.pass != nil && s.pass.size != s.info.Size() {
		changed = true
	}
	if !changed && s.pass == nil && s.sha256 != "" && s.hashed != s.info.Size() {
		changed = true
	}
	if !changed {
		return nil
	}
	return &FileError{Kind: ErrChanged, File: s.display, Err: err, Text: datasets.T(
		"文件在读取过程中被修改、替换或移走，未导入；请待文件保存完毕后重新导入",
		"the file was changed, replaced or moved while it was read: not loaded; load it again once it is saved")}
}

// head is the first n bytes of the file (all of it when shorter), from the sample prepare read
// when that holds them.
func (s *source) head(n int) ([]byte, error) {
	switch {
	case len(s.sample) >= n:
		return s.sample[:n], nil
	case s.sampleAll:
		return s.sample, nil
	}
	return readSample(s.path, n)
}

func (s *source) progressBytes(n int64) {
	if s.progress != nil {
		s.progress(Progress{Path: s.display, Phase: "read", Bytes: n, Total: s.size})
	}
}

func (s *source) close() {
	for _, f := range s.cleanup {
		f()
	}
	s.cleanup = nil
}

// part is one table in a file: the file itself, or one sheet.
type part struct {
	sheet      string
	headers    []string
	headerLine int  // physical line (text) or sheet row of the header, 1-based
	delim      rune // CSV: the delimiter
	mapping    *Mapping
	mapErr     error
	stage      func(ctx context.Context, conn *sql.Conn) (*stagedPart, error)
	// headersFrom, when set, lists the headers through DuckDB (JSON: the keys of every object);
	// the runner calls it before the headers are recognised.
	headersFrom func(ctx context.Context, conn *sql.Conn) ([]string, error)
	noDirect    bool // stage the text in _md_raw even where the typing query could read the file
}

// DetectFormat tells the format from the file's extension, and from its first bytes when the
// extension says nothing.
func DetectFormat(path string, head []byte) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".txt", ".tab":
		return FormatCSV, nil
	case ".xlsx", ".xlsm":
		return FormatXLSX, nil
	case ".ndjson", ".jsonl":
		return FormatNDJSON, nil
	case ".json":
		t := strings.TrimLeft(strings.TrimPrefix(string(head), "\ufeff"), " \t\r\n")
		if strings.HasPrefix(t, "[") {
			return FormatJSON, nil
		}
		return FormatNDJSON, nil
	case ".parquet", ".pq":
		return FormatParquet, nil
	case ".xls", ".et", ".ett", ".ods", ".fods", ".xlsb", ".numbers":
		return "", ErrFormat
	}
	switch {
	case len(head) >= 4 && string(head[:4]) == "PK\x03\x04":
		return FormatXLSX, nil
	case len(head) >= 4 && string(head[:4]) == "PAR1":
		return FormatParquet, nil
	}
	return "", ErrFormat
}

// listed is one file found under the paths given; skip, when set, says why it is not read.
type listed struct {
	path string
	skip datasets.Text
}

// dataExts are the extensions read, or refused with a reason (spreadsheets of other formats).
var dataExts = map[string]bool{".csv": true, ".tsv": true, ".txt": true, ".tab": true, ".xlsx": true, ".xlsm": true, ".json": true, ".ndjson": true,
	".jsonl": true, ".parquet": true, ".pq": true, ".xls": true, ".et": true, ".ods": true, ".fods": true, ".xlsb": true, ".numbers": true, ".ett": true}

// collect lists the files under paths: files as given, folders walked. Every file found is
// listed; those not read say why (an Excel lock file, a hidden file, the generator's
// manifest.json, another format). Hidden folders are not entered.
func collect(paths []string) ([]listed, error) {
	var out []listed
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, listed{path: p})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != p && strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case strings.EqualFold(name, "manifest.json"):
				out = append(out, listed{path: path, skip: datasets.T("示例数据生成器的清单（manifest.json），不是数据，已跳过",
					"the sample generator's manifest (manifest.json), not data: skipped")})
			case strings.HasPrefix(name, "~$") || strings.HasPrefix(name, ".~lock."):
				out = append(out, listed{path: path, skip: datasets.T("Excel/WPS/LibreOffice 打开文件时留下的锁定文件，不是数据，已跳过（原文件照常读取）",
					"a lock file left by Excel, WPS or LibreOffice while a workbook is open, not data: skipped (the workbook itself is read)")})
			case strings.HasPrefix(name, "."):
				out = append(out, listed{path: path, skip: datasets.T("隐藏文件，已跳过", "a hidden file: skipped")})
			case dataExts[strings.ToLower(filepath.Ext(name))]:
				out = append(out, listed{path: path})
			default:
				out = append(out, listed{path: path, skip: datasets.T(
					"不是可导入的数据文件（支持 CSV/TSV/TXT、XLSX、JSON、NDJSON、Parquet），已跳过",
					"not a data file ingest reads (CSV/TSV/TXT, XLSX, JSON, NDJSON, Parquet): skipped")})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Ingest loads the files and folders in paths into w: organisation first, then activity,
// outcomes and surveys, whatever the order given. Each file (or sheet) is one transaction. The
// error is for failures before any file is read (a folder that does not exist, the database);
// the failures of single files are in the summary (Summary.Err joins them).
func Ingest(ctx context.Context, w *warehouse.Warehouse, paths []string, opts Options) (*Summary, error) {
	if opts.Dataset != "" {
		if _, err := datasets.Lookup(opts.Dataset); err != nil {
			return nil, err
		}
	}
	files, err := collect(paths)
	if err != nil {
		return nil, err
	}
	conn, err := w.DB().Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	t0 := time.Now()
	if err := setupConn(ctx, conn); err != nil {
		return nil, err
	}
	trace("setup", t0)
	pseudo := ""
	if len(opts.Key) > 0 {
		if pseudo, err = registerPseudonym(conn, opts.Key); err != nil {
			return nil, err
		}
	}
	r := &runner{conn: conn, opts: &opts, pseudo: pseudo}
	var sources []*source
	var skipped []FileResult
	t0 = time.Now()
	for _, f := range files {
		if f.skip.Zh != "" {
			skipped = append(skipped, FileResult{Path: f.path, Status: StatusIgnored, Message: f.skip.Zh + " / " + f.skip.En})
			continue
		}
		sources = append(sources, r.prepare(ctx, f.path))
	}
	trace("prepare", t0)
	defer func() {
		for _, s := range sources {
			s.close()
		}
	}()
	sort.SliceStable(sources, func(i, j int) bool { return sources[i].order < sources[j].order })
	groups := r.groups(sources)
	// Reading a file's bytes in Go (hash, UTF-8, records: ~8 s of CPU for the 2.2 GB of a
	// province) overlaps DuckDB's work on the files before it. The pass runs in load order as far
	// ahead as passAhead bytes of files not yet loaded, so that a group of large files (ten years
	// of attendance, 540 MB) is read while DuckDB loads the small files before it; what it keeps
	// of a file once read is a hash and a few counters.
	budget := newPassBudget()
	r.budget = budget
	passCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, s := range sources {
			if budget.acquire(passCtx, s.size) != nil {
				return
			}
			s.runPass()
		}
	}()
	defer func() {
		cancel()
		wg.Wait()
	}()
	sum := &Summary{}
	if len(sources) > 0 {
		r.last = sources[len(sources)-1]
	}
	begin := time.Now()
	for gi, g := range groups {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		t0 := time.Now()
		sum.Files = append(sum.Files, r.ingestGroup(ctx, g)...)
		if traceOn {
			traceGroup(gi, g, begin, t0)
		}
		for _, s := range g {
			s.close()
		}
	}
	sum.Files = append(sum.Files, skipped...)
	return sum, nil
}

type runner struct {
	conn     *sql.Conn
	opts     *Options
	pseudo   string
	keyErr   error
	keyKnown bool
	index    *loadedIndex // the batches loaded before, read on the first lookup
	last     *source      // the run's last file, whose last commit checkpoints
	budget   *passBudget  // what the byte pass may read ahead of the loading
}

// checkKey compares the key with the warehouse's fingerprint once per ingest (recording it on
// the first file with personal columns).
func (r *runner) checkKey(ctx context.Context) error {
	if !r.keyKnown {
		r.keyErr, r.keyKnown = warehouse.CheckKey(ctx, r.conn, r.opts.Key), true
	}
	return r.keyErr
}

func hasPersonal(m *Mapping) bool {
	for _, col := range m.Contract.Columns {
		if _, ok := m.Source[col.Name]; ok && col.Personal != datasets.NotPersonal {
			return true
		}
	}
	return false
}

// prepare opens a file far enough to know its parts and datasets (for the load order).
func (r *runner) prepare(ctx context.Context, path string) *source {
	s := &source{path: path, display: path, opts: r.opts, progress: r.opts.Progress, order: 1 << 30, ready: make(chan struct{})}
	info, err := os.Stat(path)
	if err != nil {
		s.openErr = err
		return s
	}
	s.size, s.info = info.Size(), info
	// One read of the file's start serves the format and the header finding: 256 KiB for the
	// text formats (a CSV header row must fit in it), the magic bytes for the others.
	n := 4096
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".txt", ".tab", ".json", ".ndjson", ".jsonl":
		n = csvSampleSize
	}
	head, err := readSample(path, n)
	if err != nil {
		s.openErr = err
		return s
	}
	s.sample, s.sampleAll = head, len(head) < n
	if s.format, err = DetectFormat(path, head); err != nil {
		s.openErr = formatError(path, head)
		return s
	}
	s.parts, s.openErr = loaders[s.format].open(ctx, s)
	s.sample = nil // every file is prepared before the first loads: keep no sample
	if s.format == FormatParquet && s.openErr == nil {
		s.parts[0].headers, s.openErr = parquetHeaders(ctx, r.conn, path)
	}
	for _, p := range s.parts {
		if p.headersFrom != nil && s.openErr == nil {
			p.headers, s.openErr = p.headersFrom(ctx, r.conn)
		}
	}
	for _, p := range s.parts {
		p.mapping, p.mapErr = Recognize(p.headers, filepath.Base(path), r.opts.Dataset)
		if p.mapErr == nil {
			if i := datasetIndex(p.mapping.Contract.Name); i < s.order {
				s.order = i
			}
		}
	}
	return s
}

// retryCodes are the reject reasons that loading another dataset can cure.
var retryCodes = []any{"unknown_reference", "unknown_reference_part", "out_of_scope"}

// loadedIndex answers, for every file of a run, whether its content was loaded before and
// whether it should be read again, from the warehouse's batches read once (and its rejects
// once, when some file was loaded before) instead of a lookup and a join of _rejects per file:
// the latter cost ~2 s for a folder loaded again. The run's own loads are noted as they commit
// (note), so it answers as the warehouse would.
type loadedIndex struct {
	latest map[string]loadedBatch      // sha256 → its latest loaded batch
	sheets map[string]map[string]int64 // sha256 → sheet ("" for a file) → its latest loaded batch
	rowsAt map[string]int64            // dataset → its latest loaded batch that loaded or updated rows
	// retry holds the batches up to retryMax with rows refused for a reference not found
	// (retryCodes); a later batch is asked alone (retryOf).
	retry     map[int64]bool
	retryMax  int64
	retryRead bool
}

type loadedBatch struct {
	id      int64
	dataset string
}

// loaded is the index, read on first use (a run with --force never reads it).
func (r *runner) loaded(ctx context.Context) (*loadedIndex, error) {
	if r.index != nil {
		return r.index, nil
	}
	idx := &loadedIndex{latest: map[string]loadedBatch{}, sheets: map[string]map[string]int64{}, rowsAt: map[string]int64{}}
	rows, err := r.conn.QueryContext(ctx, "SELECT batch_id, sha256, coalesce(sheet, ''), dataset, coalesce(loaded + updated > 0, false) FROM _batches WHERE status = 'loaded' AND sha256 IS NOT NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b loadedBatch
		var sha, sheet string
		var wrote bool
		if err := rows.Scan(&b.id, &sha, &sheet, &b.dataset, &wrote); err != nil {
			return nil, err
		}
		idx.add(sha, sheet, b, wrote)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	r.index = idx
	return idx, nil
}

// add records a loaded batch; wrote says it loaded or updated rows.
func (idx *loadedIndex) add(sha, sheet string, b loadedBatch, wrote bool) {
	if b.id > idx.latest[sha].id {
		idx.latest[sha] = b
	}
	if idx.sheets[sha] == nil {
		idx.sheets[sha] = map[string]int64{}
	}
	if b.id > idx.sheets[sha][sheet] {
		idx.sheets[sha][sheet] = b.id
	}
	if wrote && b.id > idx.rowsAt[b.dataset] {
		idx.rowsAt[b.dataset] = b.id
	}
}

// note records a batch of the file that this run loaded, once committed.
func (r *runner) note(s *source, sheet, dataset string, c counts) {
	if r.index != nil { // else it is read later, from the warehouse
		r.index.add(s.sha256, sheet, loadedBatch{c.batch, dataset}, c.loaded+c.updated > 0)
	}
}

// retryOf tells whether the batch has rows refused for a reference not found.
func (r *runner) retryOf(ctx context.Context, idx *loadedIndex, batch int64) (bool, error) {
	if !idx.retryRead {
		// The highest batch first: every batch up to it is then in the rejects read after it.
		if err := scanSQL(ctx, r.conn, "SELECT coalesce(max(batch_id), 0) FROM _batches", nil, &idx.retryMax); err != nil {
			return false, err
		}
		idx.retry = map[int64]bool{}
		rows, err := r.conn.QueryContext(ctx, "SELECT DISTINCT batch_id FROM _rejects WHERE reason_code IN (?, ?, ?)", retryCodes...)
		if err != nil {
			return false, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return false, err
			}
			idx.retry[id] = true
		}
		if err := rows.Err(); err != nil {
			return false, err
		}
		idx.retryRead = true
	}
	if batch <= idx.retryMax {
		return idx.retry[batch], nil
	}
	var found bool
	err := scanSQL(ctx, r.conn, "SELECT EXISTS (SELECT 1 FROM _rejects WHERE batch_id = ? AND reason_code IN (?, ?, ?))", append([]any{batch}, retryCodes...), &found)
	idx.retry[batch] = found
	return found, err
}

// retriable tells whether a file already loaded should be read again: some of its rows (in the
// latest loaded batch of the same content, per sheet of a workbook) were refused for a
// reference not found, and a dataset it refers to has loaded rows since.
func (r *runner) retriable(ctx context.Context, idx *loadedIndex, s *source) (bool, error) {
	var refs []string
	for _, p := range s.parts {
		if p.mapping == nil || p.mapErr != nil {
			continue
		}
		for _, ref := range p.mapping.Contract.Refs {
			refs = append(refs, ref.Dataset)
		}
	}
	for _, b := range idx.sheets[s.sha256] {
		since := false
		for _, d := range refs {
			since = since || idx.rowsAt[d] > b
		}
		if !since {
			continue
		}
		if retry, err := r.retryOf(ctx, idx, b); retry || err != nil {
			return retry, err
		}
	}
	return false, nil
}

// ingestSource loads every part of one file.
func (r *runner) ingestSource(ctx context.Context, s *source) []FileResult {
	if res, done := r.lookup(ctx, s); done {
		return res
	}
	return r.ingestParts(ctx, s)
}

// lookup is what comes before a file's parts are read: a file that could not be opened fails,
// and one whose content was loaded before is skipped (done is then true and res says so), or
// noted as read again.
func (r *runner) lookup(ctx context.Context, s *source) (res []FileResult, done bool) {
	start := time.Now()
	fail := func(err error) ([]FileResult, bool) { return r.failSource(ctx, s, start, err), true }
	if s.openErr == nil && s.passErr != nil {
		s.openErr = s.passErr
	}
	if s.openErr != nil {
		var fe *FileError
		if !errors.As(s.openErr, &fe) {
			s.openErr = &FileError{Kind: ErrFormat, File: s.display, Err: s.openErr, Text: readErrorText(s.openErr)}
		}
		return fail(s.openErr)
	}
	if !r.opts.Force {
		t0 := time.Now()
		idx, err := r.loaded(ctx)
		if err != nil {
			return fail(err)
		}
		before, found := idx.latest[s.sha256]
		retry := false
		if found {
			if retry, err = r.retriable(ctx, idx, s); err != nil {
				return fail(err)
			}
		}
		trace("lookup", t0)
		id := before.id
		switch {
		case found && retry:
			s.note = datasets.T(fmt.Sprintf("内容与批次 %d 相同，但当时有行因引用的数据缺失被拒绝，引用的数据此后已导入：已重新读取", id),
				fmt.Sprintf("same content as batch %d, whose rows refused for missing references may now resolve: read again", id))
		case found:
			res := FileResult{Path: s.display, Format: s.format, Encoding: s.encoding}
			res.Status, res.BatchID, res.Dataset = StatusSkipped, id, before.dataset
			res.Message = fmt.Sprintf("内容与批次 %d 相同，不再读取（如需重新读取，加 --force）", id) + " / " +
				fmt.Sprintf("same content as batch %d: skipped (--force reads it again)", id)
			return []FileResult{res}, true
		}
	}
	return nil, false
}

// ingestParts loads every part of a file that lookup let through.
func (r *runner) ingestParts(ctx context.Context, s *source) []FileResult {
	start := time.Now()
	var out []FileResult
	matched := false
	for _, p := range s.parts {
		if p.mapErr != nil && s.format == FormatXLSX && r.opts.Sheet == "" && len(s.parts) > 1 {
			out = append(out, FileResult{Path: s.display, Sheet: p.sheet, Format: s.format, Status: StatusIgnored,
				Message: "工作表中没有可识别的数据集，已忽略 / no dataset recognised in this sheet: ignored"})
			continue
		}
		matched = true
		res := r.ingestPart(ctx, s, p)
		if res.Message == "" && s.note.Zh != "" {
			res.Message = s.note.Zh + " / " + s.note.En
		}
		out = append(out, res)
	}
	if !matched && len(s.parts) > 0 {
		p := s.parts[0]
		return append(out[:0], r.ingestPart(ctx, s, p))
	}
	if len(s.parts) == 0 {
		return r.failSource(ctx, s, start, &FileError{Kind: ErrNoHeader, File: s.display, Text: noHeaderText()})
	}
	return out
}

// failSource records a file that failed as a whole (it could not be opened or has no header).
func (r *runner) failSource(ctx context.Context, s *source, start time.Time, err error) []FileResult {
	res := FileResult{Path: s.display, Format: s.format, Encoding: s.encoding, Status: StatusFailed, Err: err, Seconds: time.Since(start).Seconds(), Message: messageOf(err)}
	r.recordFailure(ctx, s, "", "", err, StatusFailed)
	return []FileResult{res}
}

func messageOf(err error) string {
	var l interface{ Message(datasets.Lang) string }
	if errors.As(err, &l) {
		return l.Message(datasets.Zh) + " / " + l.Message(datasets.En)
	}
	return err.Error()
}

// recordFailure writes a failed or refused batch (outside any transaction) so that status shows it.
func (r *runner) recordFailure(ctx context.Context, s *source, sheet, dataset string, ferr error, status string) int64 {
	if dataset == "" {
		dataset = "?"
	}
	var id int64
	_ = r.conn.QueryRowContext(context.WithoutCancel(ctx), `INSERT INTO _batches (batch_id, dataset, path, sheet, format, encoding, size_bytes, sha256, status, message, started_at, finished_at)
		VALUES (nextval('_batch_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now()) RETURNING batch_id`,
		dataset, s.display, nullable(sheet), string(s.format), string(s.encoding), s.size, s.sha256, status, messageOf(ferr)).Scan(&id)
	return id
}

func (r *runner) ingestPart(ctx context.Context, s *source, p *part) (res FileResult) {
	start := time.Now()
	res = FileResult{Path: s.display, Sheet: p.sheet, Format: s.format}
	defer func() {
		res.Seconds = time.Since(start).Seconds()
		res.Encoding = s.encoding
		if res.Err != nil && res.Message == "" {
			res.Message = messageOf(res.Err)
		}
		if s.progress != nil {
			s.progress(Progress{Path: s.display, Sheet: p.sheet, Phase: "done", Rows: res.RowsRead, Total: s.size})
		}
	}()
	failed := func(err error, dataset string) FileResult {
		res.Status, res.Err = StatusFailed, err
		res.BatchID = r.recordFailure(ctx, s, p.sheet, dataset, err, StatusFailed)
		return res
	}
	m := p.mapping
	if p.mapErr == nil {
		res.Dataset = m.Contract.Name
		res.UnknownColumns = m.Unknown
		res.Conversions = conversionsOf(m)
	}
	if err := r.mappingError(ctx, s, p); err != nil {
		return failed(err, res.Dataset)
	}
	t0 := time.Now()
	st, err := p.stage(ctx, r.conn)
	trace("stage", t0)
	if err == nil {
		err = s.unchangedSince()
	}
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) {
			err = &FileError{File: s.display, Sheet: p.sheet, Err: err, Text: readErrorText(err)}
		}
		return failed(err, m.Contract.Name)
	}
	if s.progress != nil {
		s.progress(Progress{Path: s.display, Sheet: p.sheet, Phase: "check", Total: s.size})
	}
	c, err := r.load(ctx, s, p, m, st)
	if errors.Is(err, errRestage) {
		// The file's records did not match the byte pass's in a way staging explains: read it
		// the way that numbers rows from the header on.
		p.noDirect = true
		if st, err = p.stage(ctx, r.conn); err == nil {
			c, err = r.load(ctx, s, p, m, st)
		}
	}
	res.BatchID, res.RowsRead, res.Loaded, res.Updated, res.Unchanged = c.batch, c.read, c.loaded, c.updated, c.unchanged
	res.Rejected, res.Duplicates, res.Blank, res.Skipped, res.Masked, res.ChangedColumns = c.rejected, c.dups, c.blank, c.skipped, c.masked, c.changed
	switch {
	case err == nil:
		res.Status = StatusLoaded
	case errors.Is(err, ErrStrict):
		res.Status, res.Err = StatusRefused, err
		res.Loaded, res.Updated, res.Unchanged = 0, 0, 0
	default:
		return failed(err, m.Contract.Name)
	}
	return res
}

// conversionsOf lists the unit conversions of a mapping, in the contract's column order.
func conversionsOf(m *Mapping) []Conversion {
	var out []Conversion
	for _, col := range m.Contract.Columns {
		if cv, ok := m.Units[col.Name]; ok {
			out = append(out, cv)
		}
	}
	return out
}

// mappingError is why a part cannot be loaded as its headers map it, before any row is read:
// no dataset recognised, a required column missing, a unit that does not convert, personal
// columns without a key or with another warehouse's key.
func (r *runner) mappingError(ctx context.Context, s *source, p *part) error {
	m := p.mapping
	if p.mapErr != nil {
		return unknownDatasetError(s.display, p, r.opts.Dataset)
	}
	if miss := m.missingRequired(); len(miss) > 0 {
		return missingColumnsError(s.display, p, m, miss)
	}
	if bu := m.BadUnit; bu != nil {
		return &FileError{Kind: ErrUnit, File: s.display, Sheet: p.sheet, Text: datasets.T(
			fmt.Sprintf("列“%s”的单位“%s”无法换算为该列的单位“%s”，文件未导入；请核对表头", bu.Header, bu.From, bu.To),
			fmt.Sprintf("column %q is in %s, which cannot be converted to the column's unit %s: not loaded; check the header", bu.Header, bu.From, bu.To))}
	}
	if r.pseudo == "" {
		for _, col := range m.Contract.Columns {
			if _, ok := m.Source[col.Name]; ok && col.Personal != datasets.NotPersonal {
				return &FileError{Kind: ErrNoKey, File: s.display, Sheet: p.sheet, Text: datasets.T(
					"文件含有个人信息列（"+col.Label.Zh+"），但没有化名密钥：请设置 MINGDENG_KEY 或先运行 mingdeng init",
					"the file has a personal column ("+col.Label.En+") but there is no pseudonymisation key: set MINGDENG_KEY or run mingdeng init")}
			}
		}
	}
	if r.pseudo != "" && hasPersonal(m) {
		return r.checkKey(ctx)
	}
	return nil
}

// checkRows resolves the typed rows' references and applies the contract's checks.
func checkRows(ctx context.Context, tx *sql.Tx, m *Mapping) error {
	t0 := time.Now()
	pr, err := newProbe(ctx, tx, m)
	if err != nil {
		return err
	}
	if err = resolveRefs(ctx, tx, m, pr); err != nil {
		return err
	}
	trace("references", t0)
	t0 = time.Now()
	if err = applyChecks(ctx, tx, m, pr); err != nil {
		return err
	}
	trace("checks", t0)
	return nil
}

// errRestage asks for a file read directly to be staged and loaded again.
var errRestage = errors.New("ingest: stage the file")

// checkDirect runs after a typing query that read the file itself: DuckDB must have read as
// many records (rows of _md_typed) as the byte pass counted (see writeLines).
func checkDirect(s *source, st *stagedPart, rows int64) error {
	if rows == st.records {
		return nil
	}
	if !st.sawQuote {
		return &FileError{Kind: ErrCounts, File: s.display, Text: datasets.T(
			fmt.Sprintf("文件有 %d 行记录，但读到 %d 行，文件未导入", st.records, rows),
			fmt.Sprintf("the file has %d records but %d were read: not loaded", st.records, rows))}
	}
	return errRestage
}

// readError is what a failure of a statement that read the file itself says: DuckDB's CSV
// reader's cause, as staging says it.
func (r *runner) readError(s *source, p *part, st *stagedPart, err error) error {
	if st.direct == "" || st.stream != nil {
		// A workbook's stream says its own faults (see stagedPart.reading).
		return err
	}
	return &FileError{File: s.display, Sheet: p.sheet, Err: err, Text: csvReadErrorText(err)}
}

// insertBatch writes the batch's row (batchArgs), with the WHERE clause that follows it.
const insertBatch = batchInsert + " " + batchSelect

// batchInsert and batchSelect are insertBatch's two halves: a run's rows are one INSERT of
// several SELECTs.
const batchInsert = `INSERT INTO _batches (batch_id, dataset, path, sheet, format, encoding, size_bytes, sha256, status, message, rows_read, loaded, updated, unchanged,
	rejected, duplicates, blank, skipped, masked, changed_columns, unknown_columns, conversions, started_at, finished_at)`

const batchSelect = `SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS JSON), CASE WHEN ? = '' THEN [] ELSE string_split(?, chr(30)) END,
	CASE WHEN ? = '' THEN [] ELSE string_split(?, chr(30)) END, now(), now()`

// batchArgs are insertBatch's parameters and the first of its WHERE clause (cond).
func (r *runner) batchArgs(s *source, p *part, m *Mapping, c counts, status, message string, changed []byte, cond bool) []any {
	unknown := strings.Join(m.Unknown, "\x1e")
	conversions := strings.Join(conversionTexts(m), "\x1e")
	var changedArg any
	if changed != nil {
		changedArg = string(changed)
	}
	return []any{c.batch, m.Contract.Name, s.display, nullable(p.sheet), string(s.format), string(s.encoding), s.size, s.sha256, status, nullable(message),
		c.read, c.loaded, c.updated, c.unchanged, c.rejected, c.dups, c.blank, c.skipped, c.masked, changedArg, unknown, unknown, conversions, conversions, cond}
}

type counts struct {
	batch                                                                    int64
	read, loaded, updated, unchanged, rejected, dups, blank, skipped, masked int64
	changed                                                                  map[string]int64
}

// conversionTexts states each unit conversion of a mapping, in both languages, in file order.
func conversionTexts(m *Mapping) []string {
	var out []string
	for _, col := range m.Contract.Columns {
		if cv, ok := m.Units[col.Name]; ok {
			out = append(out, cv.Text(datasets.Zh)+" / "+cv.Text(datasets.En))
		}
	}
	return out
}

// load is the transaction of one part: batch record, typing, checks, rejects, merge, counts.
// pseudonymStep turns the typed rows' cleaned personal values into their pseudonyms, before any
// later step reads them (pseudoSQL), when the run pseudonymises; it closes the traced typing step
// begun at t0 and returns when the next step begins.
func (r *runner) pseudonymStep(ctx context.Context, m *Mapping, t0 time.Time) (time.Time, error) {
	if r.pseudo == "" {
		return t0, nil
	}
	trace("type", t0)
	t0 = time.Now()
	if err := pseudonymise(ctx, r.conn, m, r.pseudo); err != nil {
		return t0, err
	}
	trace("pseudonyms", t0)
	return time.Now(), nil
}

func (r *runner) load(ctx context.Context, s *source, p *part, m *Mapping, st *stagedPart) (c counts, err error) {
	// Typing writes only temporary tables, so it runs before the file's transaction: a table made
	// outside one numbers its rows from 0, which a typing query reading the file directly relies
	// on (the rowid of _md_typed is then the record's index; inside a transaction rows are
	// numbered from a large offset until commit). DuckDB's settings are its defaults, as for a
	// bare CREATE TABLE AS, so rows are written in insertion order; only the merge's insert runs
	// without it (insertUnordered).
	t0 := time.Now()
	if err = st.reading(ctx, func() error { return typeRows(ctx, r.conn, m, st, r.pseudo) }); err != nil {
		return c, r.readError(s, p, st, fmt.Errorf("type rows: %w", err))
	}
	if t0, err = r.pseudonymStep(ctx, m, t0); err != nil {
		return c, err
	}
	if st.direct != "" {
		// The file must be as first seen; that DuckDB read as many records as the byte pass
		// counted is checked with the counts below (checkDirect).
		if err = s.unchangedSince(); err != nil {
			return c, err
		}
	}
	// Each statement costs a small file about as much as its rows do, so the batch's row is
	// written once, at the end, with its counts, and the checks run only where a probe of the
	// typed rows says they can matter.
	tx, err := r.conn.BeginTx(ctx, nil)
	if err != nil {
		return c, err
	}
	defer func() {
		if err != nil && !errors.Is(err, ErrStrict) {
			tx.Rollback()
		}
	}()
	trace("type", t0)
	if err = checkRows(ctx, tx, m); err != nil {
		return c, err
	}
	t0 = time.Now()
	if err = markDuplicates(ctx, tx, m, st); err != nil {
		return c, err
	}
	trace("duplicates", t0)
	t0 = time.Now()
	var total, ok int64
	err = scanSQL(ctx, tx, "SELECT count(*), count(*) FILTER (_status = 'blank'), count(*) FILTER (_status = 'reject'), count(*) FILTER (_status = 'dup'), count(*) FILTER (_status = 'ok'), "+
		"count(*) FILTER (_status = 'summary'), coalesce(sum(_masked) FILTER (_status IN ('ok', 'reject', 'dup')), 0), (SELECT nextval('_batch_seq')) FROM _md_typed", nil,
		&total, &c.blank, &c.rejected, &c.dups, &ok, &c.skipped, &c.masked, &c.batch)
	if err != nil {
		return c, err
	}
	if st.direct != "" {
		if err = checkDirect(s, st, total); err != nil {
			return c, err
		}
	}
	// A file without refused rows (most) needs neither the reason texts nor the rejects insert:
	// each statement costs a small file as much as its rows do.
	if c.rejected > 0 {
		if err = writeReasons(ctx, tx, m); err != nil {
			return c, err
		}
		if st.direct != "" {
			if err = refillRaw(ctx, tx, m, st, r.pseudo); err != nil {
				return c, fmt.Errorf("write rejects: %w", err)
			}
			// The second read must have seen the bytes the typing read.
			if err = s.unchangedSince(); err != nil {
				return c, err
			}
		}
		if err = writeRejects(ctx, tx, c.batch, m, s.display, p.sheet, st); err != nil {
			return c, fmt.Errorf("write rejects: %w", err)
		}
	}
	c.blank += int64(st.blankLines)
	c.read = total + int64(st.blankLines)
	if r.opts.Strict && c.rejected > 0 {
		ferr := &FileError{Kind: ErrStrict, File: s.display, Sheet: p.sheet, Text: datasets.T(
			fmt.Sprintf("有 %d 行被拒绝，按 --strict 整个文件未导入（用 mingdeng rejects --batch %d 查看）", c.rejected, c.batch),
			fmt.Sprintf("%d rows were rejected, so with --strict the whole file was refused (see mingdeng rejects --batch %d)", c.rejected, c.batch))}
		if _, err = execSQL(ctx, tx, insertBatch+" WHERE ?", r.batchArgs(s, p, m, c, StatusRefused, messageOf(ferr), nil, true)...); err != nil {
			return c, err
		}
		if err = tx.Commit(); err != nil {
			return c, err
		}
		return c, ferr
	}
	trace("rejects+counts", t0)
	t0 = time.Now()
	mc, err := merge(ctx, tx, c.batch, m, st)
	trace("merge", t0)
	t0 = time.Now()
	if err != nil {
		return c, err
	}
	c.loaded, c.updated, c.unchanged, c.changed = mc.loaded, mc.updated, mc.unchanged, mc.changed
	changed, err := json.Marshal(c.changed)
	if err != nil {
		return c, err
	}
	// The identity, checked against what the tables now hold: the batch's row is written only
	// when the dataset table holds the rows it loaded and updated and _rejects the rows it
	// refused; when it is not, the counts are read for the message.
	balanced := ok == c.loaded+c.updated+c.unchanged && c.read == c.loaded+c.updated+c.unchanged+c.rejected+c.dups+c.blank+c.skipped
	res, err := execSQL(ctx, tx, insertBatch+" WHERE ? AND (SELECT count(*) FROM "+qi(m.Contract.Name)+" WHERE "+datasets.BatchIDColumn+" = ?) = ? AND (SELECT count(*) FROM _rejects WHERE batch_id = ?) = ?",
		append(r.batchArgs(s, p, m, c, StatusLoaded, "", changed, balanced), c.batch, c.loaded+c.updated, c.batch, c.rejected)...)
	if err != nil {
		return c, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		var inTable, inRejects int64
		if err = scanSQL(ctx, tx, "SELECT (SELECT count(*) FROM "+qi(m.Contract.Name)+" WHERE "+datasets.BatchIDColumn+" = ?), (SELECT count(*) FROM _rejects WHERE batch_id = ?)", []any{c.batch, c.batch}, &inTable, &inRejects); err != nil {
			return c, err
		}
		return c, &FileError{Kind: ErrCounts, File: s.display, Sheet: p.sheet, Text: datasets.T(
			fmt.Sprintf("行数不平衡（读取 %d，新增 %d，更新 %d，未变 %d，拒绝 %d，重复 %d，空行 %d，汇总/备注行 %d；表中 %d，拒绝表 %d），已回滚", c.read, c.loaded, c.updated, c.unchanged, c.rejected, c.dups, c.blank, c.skipped, inTable, inRejects),
			fmt.Sprintf("row counts do not add up (read %d, loaded %d, updated %d, unchanged %d, rejected %d, duplicates %d, blank %d, summary rows %d; in table %d, in rejects %d): rolled back", c.read, c.loaded, c.updated, c.unchanged, c.rejected, c.dups, c.blank, c.skipped, inTable, inRejects))}
	}
	trace("identity", t0)
	t0 = time.Now()
	if err = r.commit(ctx, tx, s == r.last && p == s.parts[len(s.parts)-1]); err == nil {
		r.note(s, p.sheet, m.Contract.Name, c)
	}
	trace("commit", t0)
	return c, err
}

// commit commits a file's transaction; last says it is the run's last. That one checkpoints:
// a commit that checkpoints writes its rows straight into the file, not into the log first,
// and Close's checkpoint then has nothing left to do (for one file of 42 k rows, commit and
// close took ~80 ms of CPU instead of ~140). The others only go to the log: a checkpoint
// rewrites every row group appended to since the last one, so one per file would rewrite the
// tables' last row groups again for each file.
func (r *runner) commit(ctx context.Context, tx *sql.Tx, last bool) error {
	if !last {
		return tx.Commit()
	}
	var threshold string
	if err := scanSQL(ctx, tx, "SELECT current_setting('checkpoint_threshold')", nil, &threshold); err != nil {
		return err
	}
	if _, err := execSQL(ctx, tx, "SET checkpoint_threshold = '0b'"); err != nil {
		return err
	}
	err := tx.Commit()
	if _, serr := execSQL(context.WithoutCancel(ctx), r.conn, "SET checkpoint_threshold = "+quoteLit(threshold)); err == nil {
		err = serr
	}
	return err
}

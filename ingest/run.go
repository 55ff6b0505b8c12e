package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
)

// Runs of files of one shape.
//
// Offices send one file per dataset and year, so a folder holds runs of files of one dataset
// with the same columns, encoding and delimiter. Each statement costs a small file about as much as its rows
// do, and the typing statement (its macros expanded) is planned anew for every file, so such a
// run is typed in one read_csv of the list of its files and checked, merged and counted in one
// transaction with the statements of one file: rows keep their own file's batch, row numbers
// and counts. Whatever the run cannot do exactly as file by file (a key in two of its files, a
// count that does not add up, a failure of any statement) sends it back to the files one by one,
// so a bad file still leaves the warehouse as it was and the good ones load.

// runFiles is what a run's typed rows need to know of its files, by file_index.
type runFiles struct {
	first   []int64 // the record index (rowid of _md_typed) of each file's first row
	batches []int64 // each file's batch
}

// perFile is the SQL value, for the row under alias, of its file's entry in vals.
func (rf *runFiles) perFile(alias string, vals []int64) string {
	var b strings.Builder
	b.WriteString("(CASE " + alias + "._f")
	for i := 1; i < len(vals); i++ {
		b.WriteString(" WHEN " + itoa(i) + " THEN " + strconv.FormatInt(vals[i], 10))
	}
	b.WriteString(" ELSE " + strconv.FormatInt(vals[0], 10) + " END)")
	return b.String()
}

// fileOfK is the file of the record index k (a column of _md_fate).
func (rf *runFiles) fileOfK(k string) string {
	var whens []string
	for i := len(rf.first) - 1; i > 0; i-- {
		whens = append(whens, "WHEN "+k+" >= "+strconv.FormatInt(rf.first[i], 10)+" THEN "+itoa(i))
	}
	if len(whens) == 0 {
		return "0"
	}
	return "(CASE " + strings.Join(whens, " ") + " ELSE 0 END)"
}

// rejectsHead is the start of a rejects row of the run (batch, dataset, path, sheet) and its
// parameters: the path of each file is bound.
func (rf *runFiles) rejectsHead(m *Mapping, paths []string) (string, []any) {
	var whens []string
	var args []any
	for i := 1; i < len(paths); i++ {
		whens = append(whens, "WHEN "+itoa(i)+" THEN ?")
		args = append(args, paths[i])
	}
	args = append(args, paths[0])
	return rf.perFile("t", rf.batches) + ", " + quoteLit(m.Contract.Name) + ", (CASE t._f " + strings.Join(whens, " ") + " ELSE ? END), NULL", args
}

// runKey is what files must share to be typed in one pass, as known before their bytes are
// read: a CSV file of one table, recognised, of the same dataset, whose columns feed the same
// contract columns in the same units, with the same delimiter and header line. "" for a file
// that is loaded alone.
func (r *runner) runKey(s *source) string {
	if r.opts.Strict || s.openErr != nil || s.format != FormatCSV || s.encoding != EncodingUTF8 || len(s.parts) != 1 {
		return ""
	}
	p := s.parts[0]
	if p.mapErr != nil || p.mapping == nil || p.noDirect {
		return ""
	}
	c := p.mapping.Contract
	for _, ref := range c.Refs {
		if ref.Dataset == c.Name {
			// A file whose rows refer to rows of its own dataset needs the earlier files loaded.
			return ""
		}
	}
	for _, ch := range c.Checks {
		if ch.Ref == c.Name {
			return ""
		}
	}
	for _, col := range c.Columns {
		if _, ok := p.mapping.Source[col.Name]; ok && col.Personal != datasets.NotPersonal && (col.Pattern != "" || col.Type != datasets.TypeText) {
			// The typing query checks a personal value as its text, not its pseudonym (pseudoSQL
			// writes those after it): only the checks of any text apply to it.
			return ""
		}
	}
	// Columns compare by what they feed, so that files writing a header in other words (班组,
	// 班组名称) share a run; a column no contract column takes, by its text, which decides
	// whether it is masked in rejects.
	cols := make([]string, len(p.headers))
	for i, h := range p.headers {
		cols[i] = "?" + h
	}
	for name, i := range p.mapping.Source {
		kind, _ := personalHeader(p.headers[i])
		cols[i] = "=" + name + ":" + string(kind)
	}
	var units []any
	for _, cv := range conversionsOf(p.mapping) {
		units = append(units, cv.From, cv.To, cv.Factor)
	}
	b, err := json.Marshal([]any{c.Name, cols, string(p.delim), p.headerLine, units})
	if err != nil {
		return ""
	}
	return string(b)
}

// groups splits the sources, in load order, into runs of files that may be typed together
// (each group's files share runKey) and files loaded alone.
func (r *runner) groups(sources []*source) [][]*source {
	var out [][]*source
	last := ""
	for _, s := range sources {
		k := r.runKey(s)
		if k != "" && k == last {
			out[len(out)-1] = append(out[len(out)-1], s)
			continue
		}
		out = append(out, []*source{s})
		last = k
	}
	return out
}

// runnable tells whether a file of a group, its byte pass done, may join a run: valid UTF-8
// read directly (single-line records), mapped so that it loads.
func (r *runner) runnable(ctx context.Context, s *source) bool {
	if s.openErr != nil || s.passErr != nil || s.pass == nil || s.pass.badUTF8 != 0 || s.pass.cut {
		return false
	}
	p, scan := s.parts[0], s.pass.scan
	return directCSV(p, scan) && scan.longest <= maxLineSize && r.mappingError(ctx, s, p) == nil
}

// ingestGroup loads a group's files in order: consecutive files that may run together are
// loaded as one run, the others alone.
func (r *runner) ingestGroup(ctx context.Context, g []*source) []FileResult {
	if len(g) == 1 {
		if r.awaitPass(ctx, g[0]) != nil {
			return nil
		}
		return r.ingestSource(ctx, g[0])
	}
	var out []FileResult
	var run []*source
	seen := map[string]bool{}
	events := 0 // the run's stretches of records between blank lines: a comparison each per row
	var size int64
	flush := func() {
		out = append(out, r.ingestRun(ctx, run)...)
		run, seen, events, size = nil, map[string]bool{}, 0, 0
	}
	for _, s := range g {
		// Each file waits for its own pass only: the files after it are read while DuckDB
		// loads the run before them.
		if ctx.Err() != nil || r.awaitPass(ctx, s) != nil {
			// Cancelled: as file by file, no file after the one being read is begun.
			break
		}
		ok := r.runnable(ctx, s)
		if !ok || seen[s.sha256] || events+len(s.pass.scan.events) > maxDirectEvents || size+s.size > maxRunBytes {
			// The run ends before this file: it is loaded alone, has the content of a file of the
			// run (skipped once that one is in), or would make the run too long.
			flush()
			if !ok {
				out = append(out, r.ingestSource(ctx, s)...)
				continue
			}
		}
		res, done := r.lookup(ctx, s)
		switch {
		case done:
			out = append(out, res...)
		case s.note.Zh != "":
			// Read again for references that may now resolve: after the files before it.
			flush()
			out = append(out, r.ingestParts(ctx, s)...)
		default:
			run = append(run, s)
			seen[s.sha256] = true
			events += len(s.pass.scan.events)
			size += s.size
		}
	}
	flush()
	return out
}

// ingestRun loads a run of files, each with its own batch; files that the run cannot load as
// file by file would are loaded one by one.
func (r *runner) ingestRun(ctx context.Context, run []*source) []FileResult {
	switch len(run) {
	case 0:
		return nil
	case 1:
		return r.ingestParts(ctx, run[0])
	}
	start := time.Now()
	res, err := r.loadRun(ctx, run)
	if err == nil {
		var rows int64
		for _, f := range res {
			rows += f.RowsRead
		}
		for i := range res {
			// The run's time, shared by rows read.
			if rows > 0 {
				res[i].Seconds = time.Since(start).Seconds() * float64(res[i].RowsRead) / float64(rows)
			}
			if s := run[i]; s.progress != nil {
				s.progress(Progress{Path: s.display, Phase: "done", Rows: res[i].RowsRead, Total: s.size})
			}
		}
		return res
	}
	if ctx.Err() != nil {
		// Cancelled: the first file fails as it would have alone, and the rest are not begun.
		return r.ingestParts(ctx, run[0])
	}
	if traceOn {
		fmt.Fprintf(os.Stderr, "ingest: a run of %d %s files is loaded file by file: %v\n", len(run), run[0].parts[0].mapping.Contract.Name, err)
	}
	trace("run-apart", start)
	var out []FileResult
	for _, s := range run {
		out = append(out, r.ingestParts(ctx, s)...)
	}
	return out
}

// maxRunBytes bounds a run's files: the run's typed rows are one temporary table, and a large
// file gains nothing from sharing its statements (its rows cost far more than they do).
const maxRunBytes = 64 << 20

// runsLoaded counts the runs loaded together (for tests: that a folder's runs took this path).
var runsLoaded atomic.Int64

// errRunApart says a run must be loaded file by file.
var errRunApart = errors.New("ingest: load the run's files one by one")

func apart(why string) error { return fmt.Errorf("%w: %s", errRunApart, why) }

// loadRun is load for a run of files: one typing pass over every file, then the checks,
// rejects, merge and batch rows in one transaction. It writes nothing when it fails.
func (r *runner) loadRun(ctx context.Context, run []*source) (out []FileResult, err error) {
	p0 := run[0].parts[0]
	m := p0.mapping
	n := len(run)
	var parts []*stagedPart
	for _, s := range run {
		st, err := s.parts[0].stage(ctx, r.conn)
		if err != nil {
			return nil, err
		}
		if st.direct == "" {
			return nil, apart("a file is not read directly")
		}
		parts = append(parts, st)
		if s.progress != nil {
			s.progress(Progress{Path: s.display, Phase: "read", Bytes: s.size, Total: s.size})
		}
	}
	st := *parts[0]
	st.run = &runFiles{first: make([]int64, n), batches: make([]int64, n)}
	st.records, st.blankLines = 0, 0
	var paths []any
	var display []string
	st.lineEvents = nil
	for i, s := range run {
		pi := parts[i]
		st.run.first[i] = st.records
		// The run's record index is the file's plus the file's first: its line events shift by it.
		for _, e := range pi.lineEvents {
			st.lineEvents = append(st.lineEvents, lineEvent{e.k + st.records, e.base - st.records})
		}
		st.records += pi.records
		st.plain = st.plain && pi.plain
		st.unspaced = st.unspaced && pi.unspaced
		st.sawQuote = st.sawQuote || pi.sawQuote
		paths = append(paths, pi.directArgs[0])
		display = append(display, s.display)
	}
	st.singleBase = st.lineEvents[0].base
	st.direct = csvReader(len(p0.headers), n)
	st.directArgs = append(paths, parts[0].directArgs[1:]...)

	t0 := time.Now()
	if err = typeRows(ctx, r.conn, m, &st, r.pseudo); err != nil {
		return nil, err
	}
	if t0, err = r.pseudonymStep(ctx, m, t0); err != nil {
		return nil, err
	}
	for _, s := range run {
		if err = s.unchangedSince(); err != nil {
			return nil, err
		}
		if s.progress != nil {
			s.progress(Progress{Path: s.display, Phase: "check", Total: s.size})
		}
	}
	tx, err := r.conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = checkRows(ctx, tx, m); err != nil {
		return nil, err
	}
	t0 = time.Now()
	// A key in two files of the run makes the later one update the earlier one's row: the files
	// are then loaded one by one. Repeats within one file are duplicates, marked as for a file.
	var keys []string
	for _, k := range m.Contract.Key {
		keys = append(keys, qi(k))
	}
	var repeated, across bool
	if err = scanSQL(ctx, tx, "SELECT coalesce(bool_or(n > 1), false), coalesce(bool_or(lo <> hi), false) FROM (SELECT count(*) AS n, min(_f) AS lo, max(_f) AS hi FROM _md_typed WHERE _status = 'ok' GROUP BY hash("+
		strings.Join(keys, ", ")+"))", nil, &repeated, &across); err != nil {
		return nil, err
	}
	if across {
		return nil, apart("a key in two files")
	}
	if repeated {
		if err = markDuplicates(ctx, tx, m, &st); err != nil {
			return nil, err
		}
	}
	trace("duplicates", t0)
	t0 = time.Now()
	// Each file's counts, and the check that DuckDB read each file's records, in order, as its
	// byte pass counted them (what checkDirect does for one file).
	cs := make([]counts, n)
	ok := make([]int64, n)
	seen := make([]int64, n)
	err = scanRows(ctx, tx, "SELECT _f, count(*), min(rowid), max(rowid), count(*) FILTER (_status = 'blank'), count(*) FILTER (_status = 'reject'), count(*) FILTER (_status = 'dup'), count(*) FILTER (_status = 'ok'), "+
		"count(*) FILTER (_status = 'summary'), coalesce(sum(_masked) FILTER (_status IN ('ok', 'reject', 'dup')), 0) FROM _md_typed GROUP BY _f", func(scan func(...any) error) error {
		var f int
		var total, lo, hi, good int64
		var c counts
		if err := scan(&f, &total, &lo, &hi, &c.blank, &c.rejected, &c.dups, &good, &c.skipped, &c.masked); err != nil {
			return err
		}
		if f < 0 || f >= n || lo != st.run.first[f] || hi-lo+1 != total {
			return apart("a file's records out of order")
		}
		cs[f], ok[f], seen[f] = c, good, total
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The files' batches, in file order.
	var batches []int64
	if err = scanRows(ctx, tx, "SELECT nextval('_batch_seq') FROM range("+itoa(n)+")", func(scan func(...any) error) error {
		var b int64
		err := scan(&b)
		batches = append(batches, b)
		return err
	}); err != nil {
		return nil, err
	}
	if len(batches) != n {
		return nil, apart("batches not numbered")
	}
	slices.Sort(batches)
	anyRejected := false
	for i := range run {
		if seen[i] != parts[i].records {
			return nil, apart("a file's record count differs from its byte pass")
		}
		cs[i].batch, st.run.batches[i] = batches[i], batches[i]
		anyRejected = anyRejected || cs[i].rejected > 0
	}
	if anyRejected {
		if err = refillRaw(ctx, tx, m, &st, r.pseudo); err != nil {
			return nil, fmt.Errorf("write rejects: %w", err)
		}
		for _, s := range run {
			if err = s.unchangedSince(); err != nil {
				return nil, err
			}
		}
		if err = writeRejectsRun(ctx, tx, run, parts, &st, display, cs); err != nil {
			return nil, fmt.Errorf("write rejects: %w", err)
		}
	}
	for i := range run {
		cs[i].blank += int64(parts[i].blankLines)
		cs[i].read = seen[i] + int64(parts[i].blankLines)
	}
	trace("rejects+counts", t0)
	t0 = time.Now()
	mc, err := merge(ctx, tx, 0, m, &st)
	if err != nil {
		return nil, err
	}
	if err = r.runMergeCounts(ctx, tx, run, &st, mc, cs, ok); err != nil {
		return nil, err
	}
	trace("merge", t0)
	t0 = time.Now()
	if err = r.insertRunBatches(ctx, tx, run, m, cs, ok); err != nil {
		return nil, err
	}
	trace("identity", t0)
	t0 = time.Now()
	if err = r.commit(ctx, tx, slices.Contains(run, r.last)); err != nil {
		return nil, err
	}
	trace("commit", t0)
	runsLoaded.Add(1)
	for i, s := range run {
		c := cs[i]
		r.note(s, "", m.Contract.Name, c)
		out = append(out, FileResult{Path: s.display, Format: s.format, Encoding: s.encoding, Dataset: m.Contract.Name, Status: StatusLoaded,
			BatchID: c.batch, RowsRead: c.read, Loaded: c.loaded, Updated: c.updated, Unchanged: c.unchanged, Rejected: c.rejected, Duplicates: c.dups,
			Blank: c.blank, Skipped: c.skipped, Masked: c.masked, ChangedColumns: c.changed, UnknownColumns: s.parts[0].mapping.Unknown, Conversions: conversionsOf(s.parts[0].mapping)})
	}
	return out, nil
}

// writeRejectsRun is writeRejects for a run: each row under its own file's batch and path, and
// its file's own headers; files of one header write theirs in one statement.
func writeRejectsRun(ctx context.Context, tx *sql.Tx, run []*source, parts []*stagedPart, st *stagedPart, paths []string, cs []counts) error {
	m := run[0].parts[0].mapping
	same := true
	for _, p := range parts {
		same = same && slices.Equal(p.headers, parts[0].headers)
	}
	if same {
		if err := writeReasons(ctx, tx, m); err != nil {
			return err
		}
		head, args := st.run.rejectsHead(m, paths)
		return writeRejectsAs(ctx, tx, head, args, "", m, st)
	}
	for i, s := range run {
		if cs[i].rejected == 0 {
			continue
		}
		mi := s.parts[0].mapping
		if err := writeReasons(ctx, tx, mi); err != nil {
			return err
		}
		sti := *st
		sti.headers = parts[i].headers
		head, args := st.run.rejectsHead(mi, paths)
		if err := writeRejectsAs(ctx, tx, head, args, " AND t._f = "+itoa(i), mi, &sti); err != nil {
			return err
		}
	}
	return nil
}

// runMergeCounts splits what merge did by file: a merge that wrote every good row as new gives
// each file its good rows; one that compared rows with the table counts its fates by file.
func (r *runner) runMergeCounts(ctx context.Context, tx *sql.Tx, run []*source, st *stagedPart, mc mergeCounts, cs []counts, ok []int64) error {
	m := run[0].parts[0].mapping
	if mc.changed == nil {
		var sum int64
		for i := range cs {
			cs[i].loaded = ok[i]
			sum += ok[i]
		}
		if sum != mc.loaded {
			return apart("merged rows differ from good rows")
		}
		return nil
	}
	isKey := map[string]bool{}
	for _, k := range m.Contract.Key {
		isKey[k] = true
	}
	// The columns merge compares, in its order (_ch0, _ch1, …).
	var chNames []string
	for _, col := range m.Contract.Columns {
		if _, carried := m.Source[col.Name]; carried && !isKey[col.Name] {
			chNames = append(chNames, col.Name)
		}
	}
	aggs := []string{st.run.fileOfK("_k") + " AS f", "count(*) FILTER (fate = 'new')", "count(*) FILTER (fate = 'changed')", "count(*) FILTER (fate = 'same')"}
	for i := range chNames {
		aggs = append(aggs, "count(*) FILTER (fate = 'changed' AND _ch"+itoa(i)+")")
	}
	for i := range cs {
		cs[i].loaded, cs[i].updated, cs[i].unchanged = 0, 0, 0
	}
	byFile := make([]map[string]int64, len(cs))
	err := scanRows(ctx, tx, "SELECT "+strings.Join(aggs, ", ")+" FROM _md_fate GROUP BY f", func(scan func(...any) error) error {
		var f int
		var c counts
		per := make([]int64, len(chNames))
		dest := []any{&f, &c.loaded, &c.updated, &c.unchanged}
		for i := range per {
			dest = append(dest, &per[i])
		}
		if err := scan(dest...); err != nil {
			return err
		}
		if f < 0 || f >= len(cs) {
			return apart("a fate of another file")
		}
		cs[f].loaded, cs[f].updated, cs[f].unchanged = c.loaded, c.updated, c.unchanged
		byFile[f] = map[string]int64{}
		for i, name := range chNames {
			if per[i] > 0 {
				mf := run[f].parts[0].mapping
				byFile[f][strings.TrimSpace(mf.Headers[mf.Source[name]])] = per[i]
			}
		}
		return nil
	})
	for i := range cs {
		// A file none of whose rows is in the table is inserted without comparing (merge's
		// shortcut), which leaves its changed columns unset, as loading it alone would.
		if cs[i].updated+cs[i].unchanged > 0 {
			cs[i].changed = byFile[i]
		}
	}
	return err
}

// scanRows runs a query and calls row for each row, traced like scanSQL.
func scanRows(ctx context.Context, tx *sql.Tx, q string, row func(scan func(...any) error) error) error {
	t0, c0 := time.Now(), cpuTime()
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	if traceStmts {
		traceSQL(q, t0, c0)
	}
	return rows.Err()
}

// insertRunBatches writes the run's batch rows in one statement, once the identity holds for
// every file against what the tables now hold (as load checks it for one file).
func (r *runner) insertRunBatches(ctx context.Context, tx *sql.Tx, run []*source, m *Mapping, cs []counts, ok []int64) error {
	var ids []string
	for _, c := range cs {
		ids = append(ids, strconv.FormatInt(c.batch, 10))
	}
	inTable := map[int64]int64{}
	inRejects := map[int64]int64{}
	for _, q := range []struct {
		sql string
		to  map[int64]int64
	}{
		{"SELECT " + datasets.BatchIDColumn + ", count(*) FROM " + qi(m.Contract.Name) + " WHERE " + datasets.BatchIDColumn + " IN (" + strings.Join(ids, ", ") + ") GROUP BY 1", inTable},
		{"SELECT batch_id, count(*) FROM _rejects WHERE batch_id IN (" + strings.Join(ids, ", ") + ") GROUP BY 1", inRejects},
	} {
		if err := scanRows(ctx, tx, q.sql, func(scan func(...any) error) error {
			var b, k int64
			if err := scan(&b, &k); err != nil {
				return err
			}
			q.to[b] = k
			return nil
		}); err != nil {
			return err
		}
	}
	var sels []string
	var args []any
	for i, s := range run {
		c := cs[i]
		if ok[i] != c.loaded+c.updated+c.unchanged || c.read != c.loaded+c.updated+c.unchanged+c.rejected+c.dups+c.blank+c.skipped ||
			inTable[c.batch] != c.loaded+c.updated || inRejects[c.batch] != c.rejected {
			return apart("the counts do not add up")
		}
		changed, err := json.Marshal(c.changed)
		if err != nil {
			return err
		}
		sels = append(sels, batchSelect+" WHERE ?")
		args = append(args, r.batchArgs(s, s.parts[0], s.parts[0].mapping, c, StatusLoaded, "", changed, true)...)
	}
	_, err := execSQL(ctx, tx, batchInsert+" "+strings.Join(sels, " UNION ALL "), args...)
	return err
}

package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mingdeng/mingdeng/datasets"
)

// csvLoader reads CSV and TSV text through DuckDB's read_csv, all columns as text.
type csvLoader struct{}

// maxColumns is the most columns a text file may have: Excel's limit.
const maxColumns = 16384

// maxLineSize is the longest record DuckDB is asked to read (its max_line_size); a longer one
// is refused before it is read.
const maxLineSize = 16 << 20

var delimiters = []rune{',', '\t', ';', '|'}

// csvSampleSize is how much of a text file's start the encoding detection and header finding
// read: the header row must fit in it.
const csvSampleSize = 256 << 10

// sniffCSV finds the delimiter and the header row in a decoded sample: the delimiter under
// which some row names the most columns of a contract.
func sniffCSV(text string, ext, dataset string) (delim rune, headers []string, headerLine int) {
	order := delimiters
	if ext == ".tsv" || ext == ".tab" {
		order = []rune{'\t', ',', ';', '|'}
	}
	best := -1
	for _, d := range order {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma = d
		r.LazyQuotes = true
		r.FieldsPerRecord = -1
		var rows [][]string
		var lines []int
		for len(rows) < 30 {
			rec, err := r.Read()
			if err != nil {
				break
			}
			line, _ := r.FieldPos(0)
			rows = append(rows, rec)
			lines = append(lines, line)
		}
		at := findHeaderRow(rows, dataset)
		if at < 0 {
			continue
		}
		if s := headerScore(rows[at], dataset); s > best {
			best, delim, headers, headerLine = s, d, rows[at], lines[at]
		}
	}
	return delim, headers, headerLine
}

func (csvLoader) open(ctx context.Context, src *source) ([]*part, error) {
	sample, err := src.head(csvSampleSize)
	if err != nil {
		return nil, err
	}
	enc := src.opts.Encoding
	if enc == EncodingAuto {
		enc = DetectEncoding(sample)
	}
	whole := int64(len(sample)) == src.size
	ext := strings.ToLower(filepath.Ext(src.path))
	delim, headers, headerLine := sniffCSV(decodeSample(sample, enc, whole), ext, src.opts.Dataset)
	if headers == nil && src.opts.Encoding == EncodingAuto {
		// The guess may be wrong (a GB18030 sample that happens to be valid UTF-8, or a UTF-8 file
		// with one bad byte early on): try the other one.
		other := EncodingGB18030
		if enc != EncodingUTF8 {
			other = EncodingUTF8
		}
		if d, h, l := sniffCSV(decodeSample(sample, other, whole), ext, src.opts.Dataset); h != nil {
			enc, delim, headers, headerLine = other, d, h, l
		}
	}
	if headers == nil {
		return nil, &FileError{Kind: ErrNoHeader, File: src.display, Text: noHeaderText()}
	}
	if len(headers) > maxColumns || (!whole && bytes.IndexByte(sample, '\n') < 0) {
		// A header longer than the sample would be cut, and thousands of columns make the
		// typing SQL crawl: no spreadsheet has more than Excel's 16,384 columns.
		return nil, &FileError{Kind: ErrFormat, File: src.display, Line: headerLine, Text: datasets.T(
			fmt.Sprintf("表头行超过 %d 列或 256 KiB，未导入", maxColumns),
			fmt.Sprintf("the header row has more than %d columns or 256 KiB: not loaded", maxColumns))}
	}
	src.encoding = enc
	p := &part{headers: headers, headerLine: headerLine, delim: delim}
	src.newScan = func() *lineScanner { return newLineScanner('"', int64(headerLine)) }
	p.stage = func(ctx context.Context, conn *sql.Conn) (*stagedPart, error) {
		return stageCSV(ctx, conn, src, p, delim)
	}
	return []*part{p}, nil
}

func stageCSV(ctx context.Context, conn *sql.Conn, src *source, p *part, delim rune) (*stagedPart, error) {
	quote := byte('"')
	pass := src.pass
	if pass == nil {
		scan := newLineScanner(quote, int64(p.headerLine))
		t0 := time.Now()
		var err error
		if pass, err = passFile(src.path, scan, src.progressBytes); err != nil {
			return nil, err
		}
		trace("pass", t0)
		src.sha256, src.pass = pass.sha256, pass
	} else {
		src.progressBytes(0)
	}
	scan := pass.scan
	path := src.path
	if src.encoding == EncodingUTF8 && pass.cut && utf8BeforeBad(src.path) {
		// A UTF-8 file whose last character is cut off was not saved or copied whole.
		where := datasets.T("", "")
		if scan.inQuote {
			where = datasets.T("，且停在一个以引号开头的值中间", ", inside a quoted value")
		}
		return nil, &FileError{Kind: ErrFormat, File: src.display, Line: int(pass.badUTF8), Text: datasets.T(
			fmt.Sprintf("文件不完整：在第 %d 行的一个字符中间结束%s（可能未保存完或复制中断），未导入；请重新保存或复制后再导入", pass.badUTF8, where.Zh),
			fmt.Sprintf("the file is incomplete: it ends in the middle of a character on line %d%s (not saved or copied whole): not loaded; save or copy it again", pass.badUTF8, where.En))}
	}
	switch {
	case src.encoding == EncodingUTF8 && pass.badUTF8 != 0 && src.opts.Encoding == EncodingUTF8:
		return nil, encodingError(src.display, "UTF-8", pass.badUTF8)
	case src.encoding == EncodingUTF8 && pass.badUTF8 != 0 && utf8BeforeBad(src.path):
		// Valid UTF-8 Chinese before the bad line: a file of mixed encodings. Read as GB18030 it
		// would load those lines as mojibake, so it is refused.
		return nil, encodingError(src.display, "UTF-8", pass.badUTF8)
	case src.encoding == EncodingUTF8 && pass.badUTF8 != 0:
		// The sample looked like plain ASCII but the file is not UTF-8: it must be GB18030.
		src.encoding = EncodingGB18030
		fallthrough
	case src.encoding != EncodingUTF8:
		scan = newLineScanner(quote, int64(p.headerLine))
		tmp, err := transcode(src.path, src.encoding, src.opts.TempDir, scan)
		if err != nil {
			if bb, ok := err.(errBadBytes); ok {
				if pass.badUTF8 != 0 && src.opts.Encoding == EncodingAuto {
					return nil, &FileError{Kind: ErrEncoding, File: src.display, Line: int(pass.badUTF8), Text: datasets.T(
						fmt.Sprintf("文件既不是有效的 UTF-8（第 %d 行出错）也不是有效的 GB18030（第 %d 行出错），未导入；请确认文件编码", pass.badUTF8, bb.line),
						fmt.Sprintf("the file is neither valid UTF-8 (line %d) nor valid GB18030 (line %d): not loaded; check its encoding", pass.badUTF8, bb.line))}
				}
				return nil, encodingError(src.display, strings.ToUpper(string(src.encoding)), bb.line)
			}
			return nil, err
		}
		src.cleanup = append(src.cleanup, func() { os.Remove(tmp) })
		path = tmp
	}
	if scan.longest > maxLineSize {
		// DuckDB drops a record longer than max_line_size without a word: refuse the file.
		return nil, &FileError{Kind: ErrLongLine, File: src.display, Line: int(scan.longestRow), Text: datasets.T(
			fmt.Sprintf("第 %d 行长达 %d MiB，超过单行 %d MiB 的上限，文件未导入（这一行会被丢掉）；请检查该行是否缺少换行或引号", scan.longestRow, scan.longest>>20, maxLineSize>>20),
			fmt.Sprintf("row %d is %d MiB long, beyond the %d MiB limit of one row: not loaded (the row would be lost); check it for a missing line break or quote", scan.longestRow, scan.longest>>20, maxLineSize>>20))}
	}
	reader := csvReader(len(p.headers), 1)
	args := []any{path, string(delim), p.headerLine, !scan.multiline}
	if directCSV(p, scan) {
		// Every record is one line: the typing query reads the file itself, in one pass, and no
		// table of its text is made (read_csv skips blank lines, as the byte pass counts them).
		return &stagedPart{headers: p.headers, blankLines: int(scan.blank), dateBase: base1900, plain: !scan.special, unspaced: !scan.spaced, extraCol: true,
			direct: reader, directArgs: args, records: scan.k, sawQuote: scan.sawQuote, singleBase: scan.events[0].base, lineEvents: scan.events}, nil
	}
	n := len(p.headers)
	q := "CREATE OR REPLACE TEMP TABLE _md_raw AS SELECT * FROM " + reader
	if _, err := execSQL(ctx, conn, q, args...); err != nil {
		if scan.inQuote {
			// A file cut inside a quoted value: DuckDB's own words ("not utf-8 encoded", …)
			// would mislead.
			return nil, unclosedQuoteError(src, scan.k, 0)
		}
		return nil, &FileError{File: src.display, Err: err, Text: csvReadErrorText(err)}
	}
	// A file changed while it was read explains any count below: say that first.
	if err := src.unchangedSince(); err != nil {
		return nil, err
	}
	if scan.inQuote {
		if err := unclosedQuote(ctx, conn, src, scan, n, delim); err != nil {
			return nil, err
		}
	}
	st := &stagedPart{headers: p.headers, blankLines: int(scan.blank), dateBase: base1900, plain: !scan.special && !scan.multiline, unspaced: !scan.spaced, extraCol: true}
	if err := writeLines(ctx, conn, src.display, true, scan, int64(p.headerLine), &st.singleBase); err != nil {
		return nil, err
	}
	return st, nil
}

// csvReader is the read_csv call of a CSV file of n header columns (files > 1: a list of that
// many files of the same shape), its parameters the path (or each path), the delimiter, the
// header's line and whether to read in parallel.
func csvReader(n, files int) string {
	var cols []string
	for i := 0; i < n; i++ {
		cols = append(cols, quoteLit(rawCol(i))+": 'VARCHAR'")
	}
	// One column more than the header: DuckDB drops fields beyond the declared columns, so
	// this one catches them and the row is refused instead of silently cut.
	cols = append(cols, quoteLit(extraColName)+": 'VARCHAR'")
	paths := "?"
	if files > 1 {
		paths = "[" + strings.TrimSuffix(strings.Repeat("?, ", files), ", ") + "]"
	}
	return "read_csv(" + paths + ", delim = ?, quote = '\"', escape = '\"', header = false, skip = ?, " +
		"all_varchar = true, auto_detect = false, null_padding = true, parallel = ?, strict_mode = false, max_line_size = " + itoa(maxLineSize) + ", buffer_size = " + itoa(2*maxLineSize) + ", columns = {" + strings.Join(cols, ", ") + "})"
}

// directCSV says whether the typing query may read the file itself: every record is one line,
// in at most maxDirectEvents stretches between blank lines.
func directCSV(p *part, scan *lineScanner) bool {
	return !p.noDirect && !scan.multiline && !scan.inQuote && len(scan.events) >= 1 && len(scan.events) <= maxDirectEvents
}

// writeLines stores the record → line map; when DuckDB's record count differs from the scan's
// (an odd file), rows are numbered from the header on instead.
// With strict (CSV), a count that differs without a quote in the file refuses it, naming src.
func writeLines(ctx context.Context, conn *sql.Conn, src string, strict bool, scan *lineScanner, headerLine int64, single *int64) error {
	var rows int64
	if err := scanSQL(ctx, conn, "SELECT count(*) FROM _md_raw", nil, &rows); err != nil {
		return err
	}
	events := scan.events
	if strict && rows != scan.k && !scan.sawQuote {
		// Without a quote every line is a record: a count that differs means DuckDB dropped
		// or split some, and the file must not load as if it were whole.
		return &FileError{Kind: ErrCounts, File: src, Text: datasets.T(
			fmt.Sprintf("文件有 %d 行记录，但读到 %d 行，文件未导入", scan.k, rows),
			fmt.Sprintf("the file has %d records but %d were read: not loaded", scan.k, rows))}
	}
	if rows != scan.k || len(events) == 0 {
		// A quote inside an unquoted field (城东"供电所) is text to DuckDB but opens a quote for
		// the scan: rows are then numbered from the header on.
		events = []lineEvent{{0, headerLine + 1}}
	}
	if len(events) == 1 {
		*single = events[0].base
	}
	if _, err := execSQL(ctx, conn, "CREATE OR REPLACE TEMP TABLE _md_lines (k BIGINT, base BIGINT)"); err != nil {
		return err
	}
	for len(events) > 0 {
		chunk := events
		if len(chunk) > 500 {
			chunk = chunk[:500]
		}
		events = events[len(chunk):]
		var vals []string
		var args []any
		for _, e := range chunk {
			vals = append(vals, "(?, ?)")
			args = append(args, e.k, e.base)
		}
		if _, err := execSQL(ctx, conn, "INSERT INTO _md_lines VALUES "+strings.Join(vals, ", "), args...); err != nil {
			return err
		}
	}
	return nil
}

// unclosedQuote refuses a file whose last record has a quoted field that never closes: DuckDB
// then reads the rest of the file as that one value, and the rows in it would vanish. The scan
// ending inside a quote is not enough (it also counts quotes inside unquoted fields, which
// DuckDB reads as text), so the last record must also hold a line break or a delimiter in a
// value (when the open quote is on the last line, the rest of that line is the value).
func unclosedQuote(ctx context.Context, conn *sql.Conn, src *source, scan *lineScanner, n int, delim rune) error {
	var ors []string
	for i := 0; i < n; i++ {
		ors = append(ors, "coalesce(contains("+rawCol(i)+", chr(10)) OR contains("+rawCol(i)+", "+quoteLit(string(delim))+"), false)")
	}
	var rows int64
	var swallowed bool
	err := scanSQL(ctx, conn, "SELECT count(*) OVER (), "+strings.Join(ors, " OR ")+" FROM _md_raw ORDER BY rowid DESC LIMIT 1", nil, &rows, &swallowed)
	if err != nil || !swallowed {
		return nil
	}
	line := int64(0)
	if rows == scan.k {
		for _, e := range scan.events {
			if e.k <= rows-1 {
				line = rows - 1 + e.base
			}
		}
	}
	return unclosedQuoteError(src, rows, line)
}

func unclosedQuoteError(src *source, rows, line int64) error {
	where := datasets.T(fmt.Sprintf("第 %d 条记录", rows), fmt.Sprintf("record %d", rows))
	if line > 0 {
		where = datasets.T(fmt.Sprintf("第 %d 行", line), fmt.Sprintf("line %d", line))
	}
	return &FileError{Kind: ErrFormat, File: src.display, Line: int(line), Text: datasets.T(
		where.Zh+"有一个以双引号开头的值没有结束引号，其后的内容会被读成这一个值，文件未导入：请补上或删去这个引号",
		where.En+" opens a quoted value that is never closed, so the rest of the file would be read as that one value: not loaded; close or remove the quote")}
}

// utf8BeforeBad tells whether the start of path holds a multi-byte UTF-8 character before its
// first byte that is not valid UTF-8.
func utf8BeforeBad(path string) bool {
	sample, err := readSample(path, 256<<10)
	if err != nil {
		return false
	}
	for len(sample) > 0 {
		r, size := utf8.DecodeRune(sample)
		if r == utf8.RuneError && size <= 1 {
			return false
		}
		if size > 1 {
			return true
		}
		sample = sample[size:]
	}
	return false
}

func encodingError(file, enc string, line int64) error {
	return &FileError{Kind: ErrEncoding, File: file, Line: int(line), Text: encText(enc, line)}
}

func encText(enc string, line int64) (t datasets.Text) {
	t.Zh = fmt.Sprintf("第 %d 行含有不合法的 %s 字节，文件未导入（请确认文件编码，或用 --encoding 指定 utf8 / gb18030）", line, enc)
	t.En = fmt.Sprintf("line %d has bytes that are not valid %s; the file was not loaded (check its encoding, or give --encoding utf8 or gb18030)", line, enc)
	return t
}

var _ io.Reader

package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

// jsonLoader reads a JSON array of objects, or NDJSON (one object per line), through DuckDB's
// read_json_objects: every value is taken as its JSON text, so numbers keep their digits.
type jsonLoader struct{ array bool }

func (l jsonLoader) readFn() string {
	if l.array {
		return "read_json_objects(?, format = 'array')"
	}
	return "read_ndjson_objects(?)"
}

func (l jsonLoader) open(ctx context.Context, src *source) ([]*part, error) {
	src.encoding = EncodingUTF8
	sample, err := src.head(64 << 10)
	if err != nil {
		return nil, err
	}
	keys := firstObjectKeys(sample, l.array)
	// The byte pass runs here, not ahead of loading: the keys of every object, not only the
	// first's, must be known before the file's columns are recognised, and for NDJSON the pass
	// finds them (and whether the file is flat, see jsonShape).
	var scan *lineScanner
	if !l.array {
		scan = newLineScanner(0, 0)
		scan.json = newJSONShape()
	}
	pass, err := passFile(src.path, scan, nil)
	if err != nil {
		return nil, err
	}
	src.pass, src.sha256 = pass, pass.sha256
	flat := false
	if scan != nil {
		var k []string
		if k, flat = scan.json.flatKeys(); flat {
			keys = k
		}
	}
	var path string
	readable := func() (string, error) {
		if path == "" {
			var err error
			path, err = withoutBOM(src)
			return path, err
		}
		return path, nil
	}
	p := &part{headers: keys}
	if len(keys) > 0 && !flat && pass.badUTF8 == 0 {
		// Other files: DuckDB lists the keys (an invalid file fails here, as it would when staged;
		// one that is not UTF-8 is refused by the stage, naming the line).
		p.headersFrom = func(ctx context.Context, conn *sql.Conn) ([]string, error) {
			path, err := readable()
			if err != nil {
				return nil, err
			}
			return l.allKeys(ctx, conn, src, path, keys)
		}
	}
	p.stage = func(ctx context.Context, conn *sql.Conn) (*stagedPart, error) {
		path, err := readable()
		if err != nil {
			return nil, err
		}
		return l.stage(ctx, conn, src, p, path)
	}
	return []*part{p}, nil
}

// allKeys adds to the first object's keys those only later objects have, sorted.
func (l jsonLoader) allKeys(ctx context.Context, conn *sql.Conn, src *source, path string, keys []string) ([]string, error) {
	keys = slices.Clone(keys)
	rows, err := conn.QueryContext(ctx, "SELECT k FROM (SELECT unnest(json_keys(json)) AS k FROM "+l.readFn()+") GROUP BY k ORDER BY k", path)
	if err != nil {
		return nil, &FileError{Kind: ErrFormat, File: src.display, Err: err, Text: readErrorText(err)}
	}
	defer rows.Close()
	seen := map[string]bool{}
	for _, k := range keys {
		seen[k] = true
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, &FileError{Kind: ErrFormat, File: src.display, Err: err, Text: readErrorText(err)}
	}
	return keys, nil
}

// firstObjectKeys lists the keys of the first object in a sample, in the order written.
func firstObjectKeys(sample []byte, array bool) []string {
	sample = bytes.TrimPrefix(sample, []byte("\ufeff"))
	dec := json.NewDecoder(bytes.NewReader(sample))
	if array {
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return nil
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		keys = append(keys, k)
	}
	return keys
}

// jsonPath addresses one key of an object.
func jsonPath(key string) string {
	return `$."` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(key) + `"`
}

func (l jsonLoader) stage(ctx context.Context, conn *sql.Conn, src *source, p *part, path string) (*stagedPart, error) {
	keys := p.headers
	src.progressBytes(0)
	pass := src.pass
	if pass.badUTF8 != 0 {
		return nil, encodingError(src.display, "UTF-8", pass.badUTF8)
	}
	scan := pass.scan
	if scan != nil && !p.noDirect && len(scan.events) >= 1 && len(scan.events) <= maxDirectEvents {
		if _, flat := scan.json.flatKeys(); flat {
			return directJSON(path, keys, scan), nil
		}
	}
	var cols []string
	var args []any
	for i, k := range keys {
		cols = append(cols, "json_extract_string(json, ?) AS "+rawCol(i))
		args = append(args, jsonPath(k))
	}
	if len(cols) == 0 {
		return nil, &FileError{Kind: ErrNoHeader, File: src.display, Text: datasets.T("文件中没有 JSON 对象", "the file holds no JSON objects")}
	}
	// A value that is an array or an object (deeply nested ones included) is not a cell: the
	// file is refused rather than loaded with JSON text in a column.
	var nested []string
	for range keys {
		nested = append(nested, "json_type(json, ?) IN ('ARRAY', 'OBJECT')")
	}
	var recNo, keyAt int64
	err := conn.QueryRowContext(ctx, "SELECT n, p FROM (SELECT n, list_position(["+strings.Join(nested, ", ")+"], true) AS p FROM (SELECT row_number() OVER () AS n, json FROM "+l.readFn()+")) WHERE p > 0 LIMIT 1",
		append(append([]any{}, args...), path)...).Scan(&recNo, &keyAt)
	switch {
	case err == nil:
		k := keys[keyAt-1]
		return nil, &FileError{Kind: ErrFormat, File: src.display, Text: datasets.T(
			fmt.Sprintf("第 %d 个对象的“%s”是嵌套的数组或对象，未导入：每个值须是单个文本、数字或布尔值", recNo, k),
			fmt.Sprintf("object %d: %q holds a nested array or object, so the file was not loaded (every value must be a single string, number or boolean)", recNo, k))}
	case !errors.Is(err, sql.ErrNoRows):
		return nil, &FileError{Kind: ErrFormat, File: src.display, Err: err, Text: readErrorText(err)}
	}
	args = append(args, path)
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _md_raw AS SELECT "+strings.Join(cols, ", ")+" FROM "+l.readFn(), args...); err != nil {
		return nil, &FileError{Kind: ErrFormat, File: src.display, Err: err, Text: readErrorText(err)}
	}
	if scan == nil {
		scan = &lineScanner{k: -1} // arrays: rows are numbered by record, from 1
	}
	st := &stagedPart{headers: keys, dateBase: base1900}
	if err := writeLines(ctx, conn, src.display, false, scan, 0, &st.singleBase); err != nil {
		return nil, err
	}
	if scan.k >= 0 {
		st.blankLines = int(scan.blank)
	}
	return st, nil
}

// withoutBOM is the file's path, or when it starts with a UTF-8 byte-order mark (which
// DuckDB's JSON reader refuses, and Windows tools write) a temporary copy without it.
func withoutBOM(src *source) (string, error) {
	f, err := os.Open(src.path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	bom := []byte("\ufeff")
	head := make([]byte, len(bom))
	if n, _ := io.ReadFull(f, head); n < len(bom) || !bytes.Equal(head, bom) {
		return src.path, nil
	}
	out, err := os.CreateTemp(src.opts.TempDir, "mingdeng-nobom-*.json")
	if err != nil {
		return "", err
	}
	src.cleanup = append(src.cleanup, func() { os.Remove(out.Name()) })
	if _, err := io.Copy(out, f); err != nil {
		out.Close()
		return "", err
	}
	return out.Name(), out.Close()
}

// maxDirectEvents is the most runs of records between blank lines a file read directly may
// have: each is one more comparison per row wherever a row's line is written.
const maxDirectEvents = 64

// directJSON is the staging of a flat NDJSON file (see jsonShape): nothing is staged, and the
// typing query reads the file itself through read_json, each object as a map from key to text
// (a number as DuckDB writes it, as json_extract_string gives it), the keys bound as
// parameters. The byte pass vouched that every object is flat and that its keys are these, so
// no value is dropped or taken as text of a nested value; DuckDB must still read as many
// objects as the pass counted (checkDirect), else the file is staged the general way.
func directJSON(path string, keys []string, scan *lineScanner) *stagedPart {
	var cols []string
	var args []any
	for i, k := range keys {
		cols = append(cols, "m[?] AS "+rawCol(i))
		args = append(args, k)
	}
	reader := "(SELECT " + strings.Join(cols, ", ") + " FROM read_json(?, format = 'newline_delimited', records = false, columns = {'m': 'MAP(VARCHAR, VARCHAR)'}))"
	return &stagedPart{headers: keys, blankLines: int(scan.blank), dateBase: base1900, plainCols: scan.json.plainKeys(keys),
		direct: reader, directArgs: append(args, path), records: scan.k, sawQuote: true, singleBase: scan.events[0].base, lineEvents: scan.events}
}

// parquetLoader reads Parquet through read_parquet, every column cast to text.
type parquetLoader struct{}

func (parquetLoader) open(ctx context.Context, src *source) ([]*part, error) {
	src.encoding = EncodingUTF8
	p := &part{}
	p.stage = func(ctx context.Context, conn *sql.Conn) (*stagedPart, error) {
		var aliases []string
		for i := range p.headers {
			aliases = append(aliases, rawCol(i))
		}
		q := "CREATE OR REPLACE TEMP TABLE _md_raw AS SELECT * FROM (SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet(?)) t(" + strings.Join(aliases, ", ") + ")"
		if _, err := conn.ExecContext(ctx, q, src.path); err != nil {
			return nil, &FileError{Kind: ErrFormat, File: src.display, Err: err, Text: readErrorText(err)}
		}
		st := &stagedPart{headers: p.headers, dateBase: base1900}
		if err := writeLines(ctx, conn, src.display, false, &lineScanner{k: -1}, 0, &st.singleBase); err != nil {
			return nil, err
		}
		return st, nil
	}
	return []*part{p}, nil
}

// parquetHeaders reads the column names of a Parquet file; it needs a connection, so the
// runner calls it when a part has no headers yet.
func parquetHeaders(ctx context.Context, conn *sql.Conn, path string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT name FROM parquet_schema(?) WHERE num_children IS NULL OR num_children = 0", path)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

package synth

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/mingdeng/mingdeng/datasets"
)

// job writes one or more files in one goroutine (patrols and the defects they find go together).
type job struct {
	files   []*fileJob
	produce func(es []*emitter) error
}

// fileJob is one file to write: the dataset and its columns.
type fileJob struct {
	dataset string
	base    string // file name without extension, e.g. 2024年巡视记录
	year    int
	byName  bool
	cols    []outCol
	format  Format
	estRows int
}

type outCol struct {
	col    *datasets.Column
	header string
	isRef  bool // refers to another dataset (unknown values are rejected)
	isKey  bool
}

// Limits and rates of the --messy faults. Bad rows come one per badEvery good rows, at least
// one per file.
const (
	badEvery     = 5000
	dupEvery     = 1500
	blankEvery   = 2000
	dateOddShare = 0.12
)

// xlsxMaxRows splits an XLSX file below the sheet limit of 1,048,576 rows (a variable so that
// tests can split small files).
var xlsxMaxRows = 1_000_000

// emitter numbers rows as users see them, applies the --messy faults and records the manifest
// entries of one job (several when an XLSX file is split at the sheet's row limit).
type emitter struct {
	w       *world
	job     *fileJob
	opt     Options
	dir     string
	done    *atomic.Int64
	ctx     context.Context
	entries []*FileEntry
	cur     *FileEntry
	sink    sink
	line    int
	record  int
	inPart  int
	good    int
	mr      *rand.Rand // messy stream, separate so content never depends on --messy
	types   []datasets.Type
	buf     []string
	last    []string
	lastRaw []string
	badKind int
	badSeq  int
	dups    int
	blanks  int
	nextBad int
}

func (e *emitter) ext() string {
	switch e.job.format {
	case FormatXLSX:
		return ".xlsx"
	case FormatJSON:
		return ".ndjson"
	}
	return ".csv"
}

func (e *emitter) open() error {
	name := e.job.base
	if n := len(e.entries); n > 0 {
		name += "（续" + cnNum(n) + "）"
	}
	rel := name + e.ext()
	path := filepath.Join(e.dir, rel)
	ent := &FileEntry{Path: filepath.ToSlash(rel), Dataset: e.job.dataset, Year: e.job.year, Format: e.job.format, Encoding: string(UTF8), ByName: e.job.byName}
	var err error
	switch e.job.format {
	case FormatXLSX:
		c, _ := datasets.Lookup(e.job.dataset)
		var xs *xlsxSink
		xs, err = newXLSXSink(path, c.Label.Zh, e.types)
		if err == nil {
			ent.Sheet, e.sink = xs.sheet, xs
		}
	case FormatJSON:
		e.sink, err = newNDJSONSink(path, e.types)
	default:
		ent.Encoding = string(e.opt.Encoding)
		e.sink, err = newCSVSink(path, e.opt.Encoding)
	}
	if err != nil {
		return err
	}
	if e.opt.Messy {
		ent.Faults = map[string]int{}
	}
	e.cur = ent
	e.entries = append(e.entries, ent)
	e.line, e.record, e.inPart = 0, 0, 0
	if e.opt.Messy && e.job.format != FormatJSON {
		if err := e.sink.title(e.job.base); err != nil {
			return err
		}
		e.line++
		ent.Faults["title_row"]++
	}
	hs := make([]string, len(e.job.cols))
	for i, c := range e.job.cols {
		hs[i] = c.header
		ent.Columns = append(ent.Columns, HeaderColumn{Header: c.header, Column: c.col.Name})
	}
	if err := e.sink.header(hs); err != nil {
		return err
	}
	if e.job.format != FormatJSON {
		e.line++
		ent.HeaderLine = e.line
	}
	return nil
}

func (e *emitter) closePart() error {
	if e.sink == nil {
		return nil
	}
	err := e.sink.close()
	e.sink = nil
	return err
}

func (e *emitter) write(cells []string) error {
	if e.sink == nil || (e.job.format == FormatXLSX && e.inPart >= xlsxMaxRows) {
		if err := e.closePart(); err != nil {
			return err
		}
		if err := e.open(); err != nil {
			return err
		}
	}
	if e.opt.Messy && e.mr.IntN(blankEvery) == 0 {
		if err := e.sink.blank(); err != nil {
			return err
		}
		e.line++
		e.blanks++
		e.cur.Faults["blank_lines"]++
	}
	if err := e.sink.row(cells); err != nil {
		return err
	}
	e.line++
	e.record++
	e.inPart++
	e.cur.Rows++
	if e.record&1023 == 0 {
		e.done.Add(1024)
		if err := e.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// row writes one good row (cells in column order); the producer may reuse the slice.
func (e *emitter) row(cells []string) error {
	if e.cur == nil {
		if err := e.open(); err != nil {
			return err
		}
	}
	if !e.opt.Messy {
		return e.write(cells)
	}
	e.buf = append(e.buf[:0], cells...)
	e.messUp(e.buf)
	if err := e.write(e.buf); err != nil {
		return err
	}
	e.good++
	e.last = append(e.last[:0], e.buf...)
	e.lastRaw = append(e.lastRaw[:0], cells...)
	if e.mr.IntN(dupEvery) == 0 {
		if err := e.duplicate(); err != nil {
			return err
		}
	}
	if e.good == e.nextBad {
		e.nextBad += badEvery
		return e.bad(cells)
	}
	return nil
}

func (e *emitter) duplicate() error {
	if err := e.write(e.last); err != nil {
		return err
	}
	e.cur.DuplicateRows++
	e.dups++
	return nil
}

// finish makes sure every messy file has at least one bad row, one duplicate and one blank line.
func (e *emitter) finish() error {
	if e.opt.Messy && e.good > 0 {
		if e.blanks == 0 {
			if err := e.sink.blank(); err != nil {
				return err
			}
			e.line++
			e.cur.Faults["blank_lines"]++
		}
		if e.dups == 0 {
			if err := e.duplicate(); err != nil {
				return err
			}
		}
		if e.badSeq == 0 {
			if err := e.bad(e.lastRaw); err != nil {
				return err
			}
		}
	}
	if e.sink == nil { // no rows at all: still write the header
		if err := e.open(); err != nil {
			return err
		}
	}
	return e.closePart()
}

var badDates = []string{"2024-13-05", "待定", "2024年13月5日", "0000-00-00", "三月上旬"}

// bad writes a copy of a good row with one fault that ingest must reject. Its key is made new
// where the key is one column, so no other row can refer to it.
func (e *emitter) bad(template []string) error {
	cols := e.job.cols
	cells := append([]string(nil), template...)
	e.badSeq++
	type fault struct {
		reason string
		col    int
	}
	var faults []fault
	find := func(pred func(c outCol) bool) int {
		for i, c := range cols {
			if pred(c) {
				return i
			}
		}
		return -1
	}
	if i := find(func(c outCol) bool { return c.col.Type == datasets.TypeDate && c.col.Required }); i >= 0 {
		faults = append(faults, fault{"bad_date", i})
	} else if i := find(func(c outCol) bool { return c.col.Type == datasets.TypeDate && cells[indexOf(cols, c)] != "" }); i >= 0 {
		faults = append(faults, fault{"bad_date", i})
	}
	if i := find(func(c outCol) bool { return c.col.Name == "km" }); i >= 0 {
		faults = append(faults, fault{"negative_value", i})
	} else if i := find(func(c outCol) bool {
		return (c.col.Type == datasets.TypeInteger || c.col.Type == datasets.TypeNumber) && c.col.Range.Min != nil && *c.col.Range.Min >= 0 && !c.isKey
	}); i >= 0 {
		faults = append(faults, fault{"negative_value", i})
	}
	for _, name := range []string{"group_id", "team_id", "branch_id", "unit_id", "meeting_id"} {
		if i := find(func(c outCol) bool { return c.col.Name == name && c.isRef }); i >= 0 {
			faults = append(faults, fault{"unknown_reference", i})
			break
		}
	}
	if i := find(func(c outCol) bool { return c.col.Required && !c.isKey }); i >= 0 {
		faults = append(faults, fault{"missing_required", i})
	} else if i := find(func(c outCol) bool { return c.col.Required }); i >= 0 {
		faults = append(faults, fault{"missing_required", i})
	}
	f := faults[e.badKind%len(faults)]
	e.badKind++
	// a fresh key for single-column keys
	contract, _ := datasets.Lookup(e.job.dataset)
	if len(contract.Key) == 1 {
		for i, c := range cols {
			if c.col.Name == contract.Key[0] && i != f.col {
				cells[i] = strings.TrimSpace(cells[i]) + "X" + strconv.Itoa(e.badSeq)
			}
		}
	}
	val := ""
	switch f.reason {
	case "bad_date":
		val = badDates[e.badSeq%len(badDates)]
	case "negative_value":
		v := strings.TrimSpace(template[f.col])
		if v == "" || v == "0" || v == "0.0" || !utf8.ValidString(v) || v[0] < '0' || v[0] > '9' {
			v = "5"
		}
		val = "-" + v
	case "unknown_reference":
		prefix := map[string]string{"group_id": "XZ9", "team_id": "BZ9", "branch_id": "ZB9", "unit_id": "DW9", "meeting_id": "HY0000-9"}[cols[f.col].col.Name]
		val = padID(prefix, e.badSeq, 4)
	}
	cells[f.col] = val
	if err := e.write(cells); err != nil {
		return err
	}
	e.cur.BadRows++
	e.cur.Bad = append(e.cur.Bad, BadRow{Line: e.line, Record: e.record, Column: cols[f.col].col.Name, Reason: f.reason, Value: val})
	return nil
}

func indexOf(cols []outCol, c outCol) int {
	for i := range cols {
		if cols[i].col == c.col {
			return i
		}
	}
	return 0
}

// messUp applies the cell-level faults to a good row: the values stay the same once ingest
// normalises them.
func (e *emitter) messUp(cells []string) {
	r := e.mr
	for i, c := range cells {
		if c == "" {
			continue
		}
		switch e.types[i] {
		case datasets.TypeDate:
			if r.Float64() < dateOddShare {
				cells[i] = e.oddDate(c)
			} else if r.IntN(200) == 0 {
				cells[i] = fullWidth(c)
				e.cur.Faults["full_width_digits"]++
			}
		case datasets.TypeInteger, datasets.TypeNumber:
			if len(c) >= 4 && c[0] != '-' && !strings.Contains(e.job.cols[i].col.Name, "year") {
				if n, err := strconv.Atoi(c); err == nil && n >= 1000 {
					cells[i] = thousands(c)
					e.cur.Faults["thousand_separators"]++
					continue
				}
			}
			if r.IntN(100) == 0 {
				cells[i] = fullWidth(c)
				e.cur.Faults["full_width_digits"]++
			}
		case datasets.TypeText:
			if r.IntN(100) == 0 {
				if r.IntN(2) == 0 {
					cells[i] = " " + c
				} else {
					cells[i] = c + "  "
				}
				e.cur.Faults["stray_spaces"]++
			}
		}
	}
}

// oddDate rewrites an ISO date (2024-03-05) in one of the other forms found in real files.
func (e *emitter) oddDate(iso string) string {
	if len(iso) != 10 {
		return iso
	}
	y, m, d := iso[:4], strings.TrimLeft(iso[5:7], "0"), strings.TrimLeft(iso[8:10], "0")
	switch e.mr.IntN(4) {
	case 0:
		e.cur.Faults["date_slash"]++
		return y + "/" + m + "/" + d
	case 1:
		e.cur.Faults["date_chinese"]++
		return y + "年" + m + "月" + d + "日"
	case 2:
		e.cur.Faults["date_compact"]++
		return y + iso[5:7] + iso[8:10]
	}
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	e.cur.Faults["date_excel_serial"]++
	// Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
	return strconv.Itoa(dayOf(yy, time.Month(mm), dd) - dayOf(1899, 12, 30))
}

func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r - '0' + '０')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func thousands(s string) string {
	n := len(s)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 && (n-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

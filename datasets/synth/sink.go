package synth

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/internal/workbook"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sink writes the lines of one file in one format. Every method writes exactly one physical
// line (CSV, NDJSON) or sheet row (XLSX), so the emitter can number rows as users see them.
type sink interface {
	title(s string) error
	header(h []string) error
	row(cells []string) error
	blank() error
	close() error
}

type csvSink struct {
	f   *os.File
	enc io.WriteCloser // GB18030 encoder, or nil
	bw  *bufio.Writer
}

func newCSVSink(path string, enc Encoding) (*csvSink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &csvSink{f: f}
	var w io.Writer = f
	if enc == GB18030 {
		s.enc = transform.NewWriter(f, simplifiedchinese.GB18030.NewEncoder())
		w = s.enc
	}
	s.bw = bufio.NewWriterSize(w, 1<<20)
	return s, nil
}

func (s *csvSink) title(t string) error    { return s.row([]string{t}) }
func (s *csvSink) header(h []string) error { return s.row(h) }
func (s *csvSink) blank() error {
	return s.bw.WriteByte('\n')
}

func (s *csvSink) row(cells []string) error {
	for i, c := range cells {
		if i > 0 {
			s.bw.WriteByte(',')
		}
		if strings.ContainsAny(c, ",\"\r\n") {
			s.bw.WriteByte('"')
			s.bw.WriteString(strings.ReplaceAll(c, `"`, `""`))
			s.bw.WriteByte('"')
		} else {
			s.bw.WriteString(c)
		}
	}
	return s.bw.WriteByte('\n')
}

func (s *csvSink) close() error {
	err := s.bw.Flush()
	if s.enc != nil {
		if e := s.enc.Close(); err == nil {
			err = e
		}
	}
	if e := s.f.Close(); err == nil {
		err = e
	}
	return err
}

type xlsxSink struct {
	path  string
	sheet string
	f     *excelize.File
	sw    *excelize.StreamWriter
	types []datasets.Type
	n     int
	vals  []any
}

// newXLSXSink starts a one-sheet workbook; sheet is made a name Excel accepts
// (workbook.SheetNamer), and the sink's sheet field says what it became.
func newXLSXSink(path, sheet string, types []datasets.Type) (*xlsxSink, error) {
	f := workbook.NewFile()
	sheet = workbook.NewSheetNamer().Name(sheet)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	return &xlsxSink{path: path, sheet: sheet, f: f, sw: sw, types: types}, nil
}

func (s *xlsxSink) put(vals []any) error {
	s.n++
	cell, err := excelize.CoordinatesToCellName(1, s.n)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, vals)
}

func (s *xlsxSink) title(t string) error { return s.put([]any{t}) }
func (s *xlsxSink) blank() error         { s.n++; return nil }
func (s *xlsxSink) header(h []string) error {
	vals := make([]any, len(h))
	for i, v := range h {
		vals[i] = v
	}
	return s.put(vals)
}

// row writes numbers as numeric cells and five-digit dates as Excel serials, as spreadsheets
// hold them; anything else stays text.
func (s *xlsxSink) row(cells []string) error {
	s.vals = s.vals[:0]
	for i, c := range cells {
		var v any = c
		if c == "" {
			v = nil
		} else if i < len(s.types) {
			switch s.types[i] {
			case datasets.TypeInteger, datasets.TypeNumber:
				if x, err := strconv.ParseFloat(c, 64); err == nil {
					v = x
				}
			case datasets.TypeDate:
				if len(c) == 5 {
					if x, err := strconv.Atoi(c); err == nil {
						v = x
					}
				}
			}
		}
		s.vals = append(s.vals, v)
	}
	return s.put(s.vals)
}

func (s *xlsxSink) close() error {
	if err := s.sw.Flush(); err != nil {
		return err
	}
	if err := s.f.SaveAs(s.path); err != nil {
		return err
	}
	return s.f.Close()
}

type ndjsonSink struct {
	f       *os.File
	bw      *bufio.Writer
	keys    []string // quoted header keys
	numeric []bool
}

func newNDJSONSink(path string, types []datasets.Type) (*ndjsonSink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &ndjsonSink{f: f, bw: bufio.NewWriterSize(f, 1<<20)}
	for _, t := range types {
		s.numeric = append(s.numeric, t == datasets.TypeInteger || t == datasets.TypeNumber)
	}
	return s, nil
}

// NDJSON has no title row; a header line would be data, so the keys carry the headers.
func (s *ndjsonSink) title(string) error { return fmt.Errorf("ndjson has no title row") }
func (s *ndjsonSink) header(h []string) error {
	s.keys = s.keys[:0]
	for _, k := range h {
		s.keys = append(s.keys, jsonString(k))
	}
	return nil
}
func (s *ndjsonSink) blank() error { return s.bw.WriteByte('\n') }

func (s *ndjsonSink) row(cells []string) error {
	s.bw.WriteByte('{')
	for i, c := range cells {
		if i > 0 {
			s.bw.WriteByte(',')
		}
		s.bw.WriteString(s.keys[i])
		s.bw.WriteByte(':')
		switch {
		case c == "":
			s.bw.WriteString("null")
		case s.numeric[i] && isJSONNumber(c):
			s.bw.WriteString(c)
		default:
			s.bw.WriteString(jsonString(c))
		}
	}
	s.bw.WriteByte('}')
	return s.bw.WriteByte('\n')
}

func (s *ndjsonSink) close() error {
	err := s.bw.Flush()
	if e := s.f.Close(); err == nil {
		err = e
	}
	return err
}

func isJSONNumber(c string) bool {
	if _, err := strconv.ParseFloat(c, 64); err != nil {
		return false
	}
	for i := 0; i < len(c); i++ {
		if b := c[i]; !(b >= '0' && b <= '9' || b == '-' || b == '.') {
			return false
		}
	}
	return c[0] != '.' && c[len(c)-1] != '.' && !(len(c) > 1 && c[0] == '0' && c[1] != '.')
}

func jsonString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

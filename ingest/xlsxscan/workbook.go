package xlsxscan

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

var (
	// ErrFormat: the file is not an XLSX package (not a zip, an encrypted workbook, an old
	// .xls, or a zip without a workbook).
	ErrFormat = errors.New("xlsxscan: not an XLSX workbook (damaged, encrypted, or .xls)")
	// ErrUnzipSizeLimit: the package unpacks to more than Options.UnzipSizeLimit bytes.
	ErrUnzipSizeLimit = errors.New("xlsxscan: unzip size exceeds the limit")
	// ErrTooLarge: one XML token or cell value exceeds the buffer limit.
	ErrTooLarge = errors.New("xlsxscan: XML element too large")
	// ErrSheetNotExist: no sheet of that name, or its part is missing.
	ErrSheetNotExist = errors.New("xlsxscan: sheet does not exist")
)

// Options bound what a workbook may cost to read.
type Options struct {
	// UnzipSizeLimit caps the total uncompressed size of the package (default 1 GiB).
	UnzipSizeLimit int64
	// MaxTokenSize caps one XML tag or text run, and one cell value (default 16 MiB).
	MaxTokenSize int
}

// Sheet is one entry of the workbook's sheet list.
type Sheet struct {
	Name  string
	State string // "visible" (also when the attribute is absent), "hidden" or "veryHidden"
	part  string // zip entry of the worksheet, "" when the relationship is missing
}

// Visible tells whether Excel shows the sheet's tab.
func (s Sheet) Visible() bool { return s.State == "" || s.State == "visible" }

// Workbook is an open XLSX package.
type Workbook struct {
	Sheets   []Sheet
	Date1904 bool

	f        *os.File
	zr       *zip.Reader
	files    map[string]*zip.File
	lower    map[string]*zip.File
	opts     Options
	inflated atomic.Int64 // bytes inflated so far, counted against UnzipSizeLimit
	sst      []string
	dateXF   []bool // per cellXfs index: the number format shows a date or time
}

var oleHeader = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// Open opens an XLSX file and reads its workbook, relationships, shared strings and styles.
func Open(name string, opts Options) (*Workbook, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	wb, err := OpenReaderAt(f, st.Size(), opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	wb.f = f
	return wb, nil
}

// OpenReaderAt is Open for a package held in r.
func OpenReaderAt(r io.ReaderAt, size int64, opts Options) (*Workbook, error) {
	if opts.UnzipSizeLimit <= 0 {
		opts.UnzipSizeLimit = 1 << 30
	}
	if opts.MaxTokenSize <= 0 {
		opts.MaxTokenSize = 16 << 20
	}
	head := make([]byte, 8)
	if n, _ := r.ReadAt(head, 0); n == 8 && bytes.Equal(head, oleHeader) {
		return nil, fmt.Errorf("%w: an OLE compound file (encrypted workbook or .xls)", ErrFormat)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	// klauspost's inflate is 1.4x the standard library's on a worksheet's XML (26 MB of it in
	// a 42 k-row workbook), and inflating is a third of reading a sheet.
	zr.RegisterDecompressor(zip.Deflate, inflater)
	wb := &Workbook{zr: zr, opts: opts, files: map[string]*zip.File{}, lower: map[string]*zip.File{}}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(opts.UnzipSizeLimit) {
			return nil, fmt.Errorf("%w (%d bytes)", ErrUnzipSizeLimit, opts.UnzipSizeLimit)
		}
		n := strings.ReplaceAll(zf.Name, "\\", "/")
		wb.files[n] = zf
		if _, ok := wb.lower[strings.ToLower(n)]; !ok {
			wb.lower[strings.ToLower(n)] = zf
		}
	}
	if err := wb.readParts(); err != nil {
		return nil, err
	}
	return wb, nil
}

// Close releases the file.
func (wb *Workbook) Close() error {
	if wb.f != nil {
		err := wb.f.Close()
		wb.f = nil
		return err
	}
	return nil
}

func (wb *Workbook) lookup(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	if zf, ok := wb.files[name]; ok {
		return zf
	}
	return wb.lower[strings.ToLower(name)]
}

// countingReader counts inflated bytes against the workbook's limit.
type countingReader struct {
	r  io.Reader
	wb *Workbook
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.wb.inflated.Add(int64(n)) > c.wb.opts.UnzipSizeLimit {
		return n, fmt.Errorf("%w (%d bytes)", ErrUnzipSizeLimit, c.wb.opts.UnzipSizeLimit)
	}
	return n, err
}

type partReader struct {
	countingReader
	rc io.ReadCloser
}

func (p *partReader) Close() error { return p.rc.Close() }

// wholeCompressed is the largest compressed part inflater reads into memory first.
var wholeCompressed int64 = 16 << 20

// inflater inflates a part's deflate stream. A part up to wholeCompressed bytes compressed (2 MB
// for a 42 k-row sheet) is read whole first, in one read: inflating from memory takes 0.8x the
// instructions of inflating through the buffered reader klauspost puts on any other source,
// which takes a call per byte. A larger part, or one whose read fails, is streamed.
func inflater(r io.Reader) io.ReadCloser {
	if sr, ok := r.(*io.SectionReader); ok && sr.Size() <= wholeCompressed {
		b := make([]byte, sr.Size())
		if _, err := io.ReadFull(sr, b); err == nil {
			return flate.NewReader(bytes.NewReader(b))
		}
		sr.Seek(0, io.SeekStart) // the stream then meets the error again and reports it
	}
	return flate.NewReader(r)
}

func (wb *Workbook) openPart(zf *zip.File) (*partReader, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	return &partReader{countingReader{rc, wb}, rc}, nil
}

// scanPart runs fn over a scanner of the named part; a missing part is not an error.
func (wb *Workbook) scanPart(name string, fn func(s *scanner) error) (bool, error) {
	zf := wb.lookup(name)
	if zf == nil {
		return false, nil
	}
	pr, err := wb.openPart(zf)
	if err != nil {
		return true, err
	}
	defer pr.Close()
	s := newScanner(pr, wb.opts.MaxTokenSize)
	if err := fn(s); err != nil {
		return true, fmt.Errorf("%s: %w", name, err)
	}
	if s.err != nil {
		return true, fmt.Errorf("%s: %w", name, s.err)
	}
	return true, nil
}

type rel struct{ id, typ, target string }

func (wb *Workbook) readRels(name string) ([]rel, error) {
	var rels []rel
	_, err := wb.scanPart(name, func(s *scanner) error {
		for k := s.next(false); k != tokEOF; k = s.next(false) {
			if k != tokStart || string(s.name) != "Relationship" {
				continue
			}
			var r rel
			it := attrIter{s.attrs}
			for full, local, v, ok := it.next(); ok; full, local, v, ok = it.next() {
				_ = full
				val, err := attrString(v)
				if err != nil {
					return err
				}
				switch string(local) {
				case "Id":
					r.id = val
				case "Type":
					r.typ = val
				case "Target":
					r.target = val
				}
			}
			rels = append(rels, r)
		}
		return nil
	})
	return rels, err
}

func attrString(v []byte) (string, error) {
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 {
		return string(v), nil
	}
	b, err := decodeText(nil, v, false)
	return string(b), err
}

// partPath resolves a relationship target against the folder of the part that names it.
func partPath(dir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(dir+"/"+target), "/")
}

func (wb *Workbook) readParts() error {
	// The workbook part: named by the package relationships, xl/workbook.xml by default.
	wbPath := "xl/workbook.xml"
	rootRels, err := wb.readRels("_rels/.rels")
	if err != nil {
		return err
	}
	for _, r := range rootRels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wbPath = strings.TrimPrefix(r.target, "/")
			break
		}
	}
	type sheetRef struct {
		Sheet
		rid string
	}
	var refs []sheetRef
	found, err := wb.scanPart(wbPath, func(s *scanner) error {
		for k := s.next(false); k != tokEOF; k = s.next(false) {
			if k != tokStart {
				continue
			}
			switch string(s.name) {
			case "workbookPr":
				it := attrIter{s.attrs}
				for _, local, v, ok := it.next(); ok; _, local, v, ok = it.next() {
					if string(local) == "date1904" {
						b, _ := strconv.ParseBool(strings.TrimSpace(string(v)))
						wb.Date1904 = b
					}
				}
			case "sheet":
				var ref sheetRef
				it := attrIter{s.attrs}
				for full, local, v, ok := it.next(); ok; full, local, v, ok = it.next() {
					val, err := attrString(v)
					if err != nil {
						return err
					}
					switch {
					case string(local) == "name":
						ref.Name = val
					case string(local) == "state":
						ref.State = val
					case string(local) == "id" && len(full) > len(local):
						ref.rid = val
					}
				}
				refs = append(refs, ref)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%w: no workbook part (%s)", ErrFormat, wbPath)
	}
	dir := path.Dir(wbPath)
	rels, err := wb.readRels(partPath(dir, "_rels/"+path.Base(wbPath)+".rels"))
	if err != nil {
		return err
	}
	sstPath, stylesPath := "xl/sharedStrings.xml", "xl/styles.xml"
	byID := map[string]string{}
	for _, r := range rels {
		byID[r.id] = partPath(dir, r.target)
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sstPath = partPath(dir, r.target)
		case strings.HasSuffix(r.typ, "/styles"):
			stylesPath = partPath(dir, r.target)
		}
	}
	for _, ref := range refs {
		sh := ref.Sheet
		if p, ok := byID[ref.rid]; ok && wb.lookup(p) != nil {
			sh.part = p
		}
		wb.Sheets = append(wb.Sheets, sh)
	}
	if _, err := wb.scanPart(sstPath, wb.readSST); err != nil {
		return err
	}
	if _, err := wb.scanPart(stylesPath, wb.readStyles); err != nil {
		return err
	}
	return nil
}

// SharedStrings is the shared string table as excelize reads it.
func (wb *Workbook) SharedStrings() []string { return wb.sst }

// readSST reads the shared strings: for each <si>, its own <t> then the <t> of each rich-text
// run <r>, joined; phonetic runs <rPh> are not part of the text (Excel does not show them).
func (wb *Workbook) readSST(s *scanner) error {
	var si siReader
	for k := s.next(false); k != tokEOF; k = s.next(false) {
		if k == tokStart && string(s.name) == "si" {
			v := si.read(s, wb.opts.MaxTokenSize)
			if s.err != nil {
				return s.err
			}
			wb.sst = append(wb.sst, string(v))
		}
	}
	return nil
}

// siReader reads a string item (<si> or a cell's <is>) with encoding/xml's semantics for
// excelize's xlsxSI: the last direct <t> wins, each <r>'s last <t> is appended after it.
type siReader struct {
	t, runs, run, out []byte
}

func (r *siReader) read(s *scanner, maxLen int) []byte {
	r.t, r.runs = r.t[:0], r.runs[:0]
	hasT := false
	if !(s.kind == tokStart && s.selfClose) && r.fast(s, maxLen) {
		// One plain <t>: read without the token loop.
	} else if !(s.kind == tokStart && s.selfClose) {
	loop:
		for {
			switch s.next(false) {
			case tokStart:
				switch string(s.name) {
				case "t":
					r.t = s.appendText(r.t[:0], maxLen)
					hasT = true
				case "r":
					r.readRun(s, maxLen)
				default:
					s.skip()
				}
				if s.err != nil {
					return nil
				}
			case tokEnd:
				break loop
			case tokEOF:
				s.syntax("unexpected end of input inside a string item")
				return nil
			}
		}
	}
	_ = hasT
	r.t = append(r.t, r.runs...)
	if len(r.t) > maxLen {
		s.err = fmt.Errorf("%w: a string is longer than %d bytes", ErrTooLarge, maxLen)
		return nil
	}
	if bytes.Contains(r.t, []byte("_x")) {
		r.out = appendBstr(r.out[:0], r.t)
		return r.out
	}
	return r.t
}

// fast reads the rest of a string item of one plain <t> (with attributes or not) into r.t:
// <t>TEXT</t></si> (or </is>), the shape Excel, WPS, LibreOffice and excelize write. Any other
// shape (rich text, a comment or CDATA, spaces between tags, text the loop would refuse)
// returns false with nothing consumed.
func (r *siReader) fast(s *scanner, maxLen int) bool {
	if !s.avail(len("<t>")) {
		return false
	}
	open := s.tStart(0)
	if open < 0 {
		return false
	}
	raw, n, ok := s.plainText(open, maxLen, "</t></si>", "</t></is>")
	if !ok {
		return false
	}
	t, err := decodeText(r.t[:0], raw, false)
	if err != nil {
		return false
	}
	r.t = t
	s.pos += n
	return true
}

func (r *siReader) readRun(s *scanner, maxLen int) {
	if s.selfClose {
		return
	}
	r.run = r.run[:0]
	for {
		switch s.next(false) {
		case tokStart:
			if string(s.name) == "t" {
				r.run = s.appendText(r.run[:0], maxLen)
			} else {
				s.skip()
			}
			if s.err != nil {
				return
			}
		case tokEnd:
			r.runs = append(r.runs, r.run...)
			if len(r.runs) > maxLen {
				s.err = fmt.Errorf("%w: a string is longer than %d bytes", ErrTooLarge, maxLen)
			}
			return
		case tokEOF:
			s.syntax("unexpected end of input inside a rich-text run")
			return
		}
	}
}

// readAhead inflates a part in its own goroutine, a chunk ahead of the scanner, so that
// decompression and scanning use two cores.
type readAhead struct {
	src    io.ReadCloser
	chunks chan []byte
	free   chan []byte
	stop   chan struct{}
	done   chan struct{}
	chunk  []byte // the chunk being read, whole
	cur    []byte // its unread part
	err    error  // set by the goroutine before it closes chunks
}

const readAheadChunk = 256 << 10

func newReadAhead(src io.ReadCloser) *readAhead {
	ra := &readAhead{src: src, chunks: make(chan []byte, 3), free: make(chan []byte, 4),
		stop: make(chan struct{}), done: make(chan struct{})}
	for i := 0; i < 4; i++ {
		ra.free <- make([]byte, readAheadChunk)
	}
	go ra.run()
	return ra
}

func (ra *readAhead) run() {
	defer close(ra.done)
	defer close(ra.chunks)
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.stop:
			return
		}
		n, err := io.ReadFull(ra.src, buf[:cap(buf)])
		if n > 0 {
			select {
			case ra.chunks <- buf[:n]:
			case <-ra.stop:
				return
			}
		}
		if err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				ra.err = err
			}
			return
		}
	}
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.chunk != nil {
			ra.free <- ra.chunk
			ra.chunk = nil
		}
		c, ok := <-ra.chunks
		if !ok {
			if ra.err != nil {
				return 0, ra.err
			}
			return 0, io.EOF
		}
		ra.chunk, ra.cur = c, c
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

func (ra *readAhead) Close() error {
	close(ra.stop)
	<-ra.done
	return ra.src.Close()
}

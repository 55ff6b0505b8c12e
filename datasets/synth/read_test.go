package synth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// rawFile is a file read back as a user's tool would: physical lines or rows with their
// numbers, the header found at the manifest's header line.
type rawFile struct {
	header []string
	rows   [][]string // data rows, blank lines dropped
	lines  []int      // physical line or sheet row of each data row
}

func readRaw(t testing.TB, dir string, f FileEntry) rawFile {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(f.Path))
	var out rawFile
	switch f.Format {
	case FormatCSV:
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var rd io.Reader = bytes.NewReader(b)
		if f.Encoding == string(GB18030) {
			rd = simplifiedchinese.GB18030.NewDecoder().Reader(rd)
		}
		cr := csv.NewReader(rd)
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			line, _ := cr.FieldPos(0)
			switch {
			case line < f.HeaderLine:
			case line == f.HeaderLine:
				out.header = rec
			default:
				out.rows = append(out.rows, rec)
				out.lines = append(out.lines, line)
			}
		}
	case FormatXLSX:
		x, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, err := x.GetRows(f.Sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			line := i + 1
			switch {
			case line < f.HeaderLine:
			case line == f.HeaderLine:
				out.header = r
			case len(r) == 0:
			default:
				for len(r) < len(out.header) {
					r = append(r, "")
				}
				out.rows = append(out.rows, r)
				out.lines = append(out.lines, line)
			}
		}
	case FormatJSON:
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		for _, c := range f.Columns {
			out.header = append(out.header, c.Header)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		line := 0
		for sc.Scan() {
			line++
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			var obj map[string]any
			if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
				t.Fatalf("%s:%d: %v", f.Path, line, err)
			}
			rec := make([]string, len(out.header))
			for i, h := range out.header {
				switch v := obj[h].(type) {
				case nil:
				case string:
					rec[i] = v
				case float64:
					rec[i] = fmt.Sprint(v)
				default:
					t.Fatalf("%s:%d: unexpected %T", f.Path, line, v)
				}
			}
			out.rows = append(out.rows, rec)
			out.lines = append(out.lines, line)
		}
	}
	return out
}

// table is a clean (non-messy) file decoded through its contract: values by column name, enum
// labels turned back into codes, 是/否 into true/false.
type table struct {
	cols map[string]int
	rows [][]string
}

func (t *table) get(r int, col string) string {
	i, ok := t.cols[col]
	if !ok {
		return ""
	}
	return t.rows[r][i]
}

func decode(t testing.TB, dir string, f FileEntry) *table {
	t.Helper()
	c, err := datasets.Lookup(f.Dataset)
	if err != nil {
		t.Fatal(err)
	}
	raw := readRaw(t, dir, f)
	tb := &table{cols: map[string]int{}}
	conv := make([]map[string]string, len(raw.header))
	for i, hc := range f.Columns {
		tb.cols[hc.Column] = i
		col, _ := c.Column(hc.Column)
		if col.Type == datasets.TypeEnum {
			conv[i] = map[string]string{}
			for _, v := range col.Values {
				conv[i][v.Label.Zh] = v.Code
			}
		}
		if col.Type == datasets.TypeBool {
			conv[i] = map[string]string{"是": "true", "否": "false"}
		}
	}
	for _, r := range raw.rows {
		for i := range r {
			if conv[i] != nil && r[i] != "" {
				r[i] = conv[i][strings.TrimSpace(r[i])]
			}
		}
		tb.rows = append(tb.rows, r)
	}
	return tb
}

// tables reads every file of a dataset, in manifest order, into one table.
func tables(t testing.TB, dir string, m *Manifest, dataset string) *table {
	t.Helper()
	all := &table{cols: map[string]int{}}
	c, _ := datasets.Lookup(dataset)
	for i, col := range c.Columns {
		all.cols[col.Name] = i
	}
	for _, f := range m.Files {
		if f.Dataset != dataset {
			continue
		}
		tb := decode(t, dir, f)
		for r := range tb.rows {
			row := make([]string, len(c.Columns))
			for name, i := range all.cols {
				row[i] = tb.get(r, name)
			}
			all.rows = append(all.rows, row)
		}
	}
	return all
}

func generate(t testing.TB, opt Options) (*Manifest, string) {
	t.Helper()
	if opt.Out == "" {
		opt.Out = t.TempDir()
	}
	m, err := Generate(context.Background(), opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, opt.Out
}

package synth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mingdeng/mingdeng/datasets"
)

func hashDir(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		h.Write([]byte(rel + "\x00"))
		h.Write(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

var variants = []struct {
	name string
	opt  Options
}{
	{"csv", Options{}},
	{"csv-gb18030-messy", Options{Encoding: GB18030, Messy: true}},
	{"xlsx-messy", Options{Format: FormatXLSX, Messy: true}},
	{"ndjson-messy", Options{Format: FormatJSON, Messy: true}},
	{"mixed-en", Options{Format: FormatMixed, Headers: HeadersEn}},
}

func TestSameSeedSameBytes(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			a, b, c := v.opt, v.opt, v.opt
			a.Seed, b.Seed, c.Seed = 7, 7, 8
			a.Workers, b.Workers = 1, 4 // the schedule must not matter
			_, da := generate(t, a)
			_, db := generate(t, b)
			_, dc := generate(t, c)
			if ha, hb := hashDir(t, da), hashDir(t, db); ha != hb {
				t.Fatalf("same seed, different output: %s vs %s", ha, hb)
			}
			if hashDir(t, da) == hashDir(t, dc) {
				t.Fatal("different seeds gave identical output")
			}
		})
	}
}

func TestManifestCountsMatchFiles(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			opt := v.opt
			opt.Seed = 3
			m, dir := generate(t, opt)
			disk, err := ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(disk.Files) != len(m.Files) || disk.Seed != 3 || len(disk.Effects) != 6 {
				t.Fatalf("manifest on disk differs from the one returned: %d files vs %d", len(disk.Files), len(m.Files))
			}
			totals := map[string]int{}
			for _, f := range m.Files {
				raw := readRaw(t, dir, f)
				if len(raw.rows) != f.Rows {
					t.Errorf("%s: manifest says %d rows, file has %d", f.Path, f.Rows, len(raw.rows))
				}
				totals[f.Dataset] += len(raw.rows)
				seen := map[string]bool{}
				dups := 0
				for _, r := range raw.rows {
					k := strings.Join(r, "\x1f")
					if seen[k] {
						dups++
					}
					seen[k] = true
				}
				if dups != f.DuplicateRows {
					t.Errorf("%s: manifest says %d duplicates, file has %d", f.Path, f.DuplicateRows, dups)
				}
				if opt.Messy && f.Rows > 0 && (f.BadRows == 0 || f.DuplicateRows == 0) {
					t.Errorf("%s: a messy file needs bad and duplicate rows", f.Path)
				}
				if len(f.Bad) != f.BadRows {
					t.Errorf("%s: %d bad rows listed, %d counted", f.Path, len(f.Bad), f.BadRows)
				}
				byLine := map[int]int{}
				for i, l := range raw.lines {
					byLine[l] = i
				}
				for _, b := range f.Bad {
					i, ok := byLine[b.Line]
					if !ok || i+1 != b.Record {
						t.Errorf("%s: bad row at line %d (record %d) not found", f.Path, b.Line, b.Record)
						continue
					}
					for ci, hc := range f.Columns {
						if hc.Column == b.Column && !sameValue(raw.rows[i][ci], b.Value) {
							t.Errorf("%s:%d: %s is %q, manifest says %q", f.Path, b.Line, b.Column, raw.rows[i][ci], b.Value)
						}
					}
				}
			}
			for name, tot := range m.Datasets {
				if totals[name] != tot.Rows {
					t.Errorf("%s: dataset total %d, files hold %d", name, tot.Rows, totals[name])
				}
			}
			if len(m.Datasets) != len(datasets.All()) {
				t.Errorf("%d datasets written, the catalogue has %d", len(m.Datasets), len(datasets.All()))
			}
		})
	}
}

func TestEveryHeaderMapsToAContractColumn(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			m, dir := generate(t, v.opt)
			for _, f := range m.Files {
				c, err := datasets.Lookup(f.Dataset)
				if err != nil {
					t.Fatal(err)
				}
				raw := readRaw(t, dir, f)
				if len(raw.header) != len(f.Columns) {
					t.Fatalf("%s: header %v, manifest columns %v", f.Path, raw.header, f.Columns)
				}
				for i, hc := range f.Columns {
					col, ok := c.Column(hc.Column)
					if !ok {
						t.Fatalf("%s: %s is not a column of %s", f.Path, hc.Column, f.Dataset)
					}
					if raw.header[i] != hc.Header || !contains(col.Headers(), hc.Header) {
						t.Errorf("%s: header %q is not a header of %s.%s", f.Path, raw.header[i], f.Dataset, hc.Column)
					}
				}
				for _, col := range c.Columns {
					if col.Required && !hasColumn(f.Columns, col.Name) {
						t.Errorf("%s: required column %s missing", f.Path, col.Name)
					}
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func hasColumn(cols []HeaderColumn, name string) bool {
	for _, c := range cols {
		if c.Column == name {
			return true
		}
	}
	return false
}

// TestFilesLookLikeUsersFiles checks the details ingest relies on: Chinese file names and
// labels, names that repeat across units but not within one, valid ID numbers, rare characters.
func TestFilesLookLikeUsersFiles(t *testing.T) {
	m, dir := generate(t, Options{Scale: ScaleCompany, Seed: 11})
	if _, err := os.Stat(filepath.Join(dir, "2024年党小组会议记录.csv")); err != nil {
		t.Error(err)
	}
	teams := tables(t, dir, m, "teams")
	perUnit := map[string]bool{}
	names := map[string]int{}
	for r := range teams.rows {
		k := teams.get(r, "unit_id") + "/" + teams.get(r, "name")
		if perUnit[k] {
			t.Errorf("team name %s repeats within its unit", k)
		}
		perUnit[k] = true
		names[teams.get(r, "name")]++
	}
	if names["线路运行一班"] < 1 || names["配电运维一班"] < 2 {
		t.Errorf("team names should repeat across units: %v", names)
	}
	people := tables(t, dir, m, "people")
	rare := 0
	for r := range people.rows {
		id := people.get(r, "id_number")
		if len(id) != 18 || idCheckDigit([]byte(id)) != id[17] {
			t.Fatalf("bad ID number %q", id)
		}
		for _, ch := range people.get(r, "name") {
			if utf8.RuneLen(ch) == 4 {
				rare++
			}
		}
	}
	if rare == 0 {
		t.Error("no names with four-byte characters")
	}
	if m.ClippedRates > 20 {
		t.Errorf("%d team-halves hit the violation floor; the planted model would be biased", m.ClippedRates)
	}
	byName := 0
	for _, f := range m.Files {
		if f.ByName {
			byName++
		}
	}
	if byName == 0 {
		t.Error("no file refers to groups or teams by name")
	}
}

func TestOptionsAreChecked(t *testing.T) {
	for _, opt := range []Options{
		{Scale: "huge", Out: "x"}, {Format: "pdf", Out: "x"}, {Encoding: "latin1", Out: "x"}, {Headers: "fr", Out: "x"}, {},
	} {
		if _, err := Generate(t.Context(), opt, nil); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: got %v, want ErrOptions", opt, err)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Generate(ctx, Options{Scale: ScaleCompany, Out: t.TempDir()}, nil); err == nil {
		t.Error("a cancelled context should stop generation")
	}
}

func BenchmarkGenerateCompany(b *testing.B) {
	for i := 0; i < b.N; i++ {
		m, err := Generate(b.Context(), Options{Scale: ScaleCompany, Seed: 1, Out: b.TempDir()}, nil)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, d := range m.Datasets {
			n += d.Rows
		}
		b.ReportMetric(float64(n), "rows/op")
	}
}

// sameValue compares as text, or as numbers where a spreadsheet or JSON holds a number.
func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

func TestXLSXSplitsAtTheRowLimit(t *testing.T) {
	old := xlsxMaxRows
	xlsxMaxRows = 500
	defer func() { xlsxMaxRows = old }()
	m, dir := generate(t, Options{Format: FormatXLSX, Messy: true, Seed: 5})
	parts := 0
	for _, f := range m.Files {
		if strings.Contains(f.Path, "（续") {
			parts++
		}
		raw := readRaw(t, dir, f)
		if len(raw.rows) != f.Rows || f.Rows > 500 {
			t.Errorf("%s: %d rows in the manifest, %d in the file", f.Path, f.Rows, len(raw.rows))
		}
	}
	if parts == 0 {
		t.Error("no file was continued in a second part")
	}
}

package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

func generate(t *testing.T, opts synth.Options) (string, *synth.Manifest) {
	t.Helper()
	opts.Out = t.TempDir()
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	m, err := synth.Generate(context.Background(), opts, nil)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return opts.Out, m
}

// checkMessy verifies that each file loaded its good rows (duplicates once) and rejected exactly
// its bad rows, each at the manifest's row and column.
func checkMessy(t *testing.T, w *warehouse.Warehouse, dir string, m *synth.Manifest, sum *ingest.Summary) {
	t.Helper()
	byPath := map[string]ingest.FileResult{}
	for _, f := range sum.Files {
		rel, _ := filepath.Rel(dir, f.Path)
		byPath[filepath.ToSlash(rel)] = f
	}
	for _, fe := range m.Files {
		f, ok := byPath[fe.Path]
		if !ok {
			t.Errorf("%s: not ingested", fe.Path)
			continue
		}
		if f.Status != ingest.StatusLoaded || f.Dataset != fe.Dataset {
			t.Errorf("%s: %s as %s, want %s: %s", fe.Path, f.Status, f.Dataset, fe.Dataset, f.Message)
			continue
		}
		good := int64(fe.Rows - fe.BadRows - fe.DuplicateRows)
		if f.Loaded+f.Updated+f.Unchanged != good || f.Rejected != int64(fe.BadRows) || f.Duplicates != int64(fe.DuplicateRows) ||
			f.RowsRead-f.Blank != int64(fe.Rows) {
			t.Errorf("%s: read %d (blank %d) loaded %d updated %d unchanged %d rejected %d dup %d; manifest rows %d bad %d dup %d",
				fe.Path, f.RowsRead, f.Blank, f.Loaded, f.Updated, f.Unchanged, f.Rejected, f.Duplicates, fe.Rows, fe.BadRows, fe.DuplicateRows)
		}
		var want, got []string
		for _, b := range fe.Bad {
			want = append(want, fmt.Sprintf("%d:%s", b.Line, b.Column))
		}
		// Rejects name the column by the file's own header; the manifest by the contract's.
		column := map[string]string{}
		for _, hc := range fe.Columns {
			column[hc.Header] = hc.Column
		}
		for _, r := range query(t, w.DB(), "SELECT source_row, column_name, reason_code FROM _rejects WHERE batch_id = ? ORDER BY source_row", f.BatchID) {
			if c, ok := column[r[1]]; ok {
				r[1] = c
			}
			got = append(got, r[0]+":"+r[1])
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, " ") != strings.Join(got, " ") {
			if len(got) > 10 {
				got = append(got[:10], "…")
			}
			t.Errorf("%s: rejects %v, want %v", fe.Path, got, want)
		}
	}
}

func TestGeneratedMessyFolderLoadsExactly(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts synth.Options
	}{
		{"csv-utf8-zh", synth.Options{Messy: true}},
		{"csv-gb18030-en", synth.Options{Messy: true, Encoding: synth.GB18030, Headers: synth.HeadersEn}},
		{"ndjson-zh", synth.Options{Messy: true, Format: synth.FormatJSON}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, m := generate(t, tc.opts)
			w := warehousetest.New(t)
			sum := ingestOK(t, w, ingest.Options{}, dir)
			checkMessy(t, w, dir, m, sum)
			again := ingestOK(t, w, ingest.Options{}, dir)
			for _, f := range again.Files {
				if f.Status != ingest.StatusSkipped && !(f.Status == ingest.StatusIgnored && filepath.Base(f.Path) == synth.ManifestName) {
					t.Errorf("second ingest of %s: %s", f.Path, f.Status)
				}
			}
		})
	}
}

func TestGeneratedMessyWorkbooksLoadExactly(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts synth.Options
	}{
		{"xlsx-zh", synth.Options{Messy: true, Format: synth.FormatXLSX}},
		{"mixed-en", synth.Options{Messy: true, Format: synth.FormatMixed, Headers: synth.HeadersEn, Seed: 11}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, m := generate(t, tc.opts)
			w := warehousetest.New(t)
			sum := ingestOK(t, w, ingest.Options{}, dir)
			checkMessy(t, w, dir, m, sum)
		})
	}
}

// tableDigest is every dataset table's content, without lineage columns, in a stable order.
func tableDigest(t *testing.T, w *warehouse.Warehouse) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range datasets.All() {
		cols := make([]string, len(c.Columns))
		for i, col := range c.Columns {
			cols[i] = warehouse.QuoteIdent(col.Name)
		}
		list := strings.Join(cols, ", ")
		out[c.Name] = one(t, w.DB(), "SELECT count(*) || ':' || coalesce(string_agg(CAST(row("+list+") AS VARCHAR), '|' ORDER BY "+list+"), '') FROM "+warehouse.QuoteIdent(c.Name))
	}
	return out
}

func TestEveryFormatAndEncodingGivesTheSameTables(t *testing.T) {
	var first map[string]string
	for _, opts := range []synth.Options{
		{Format: synth.FormatCSV},
		{Format: synth.FormatCSV, Encoding: synth.GB18030, Headers: synth.HeadersEn},
		{Format: synth.FormatXLSX},
		{Format: synth.FormatJSON},
	} {
		name := fmt.Sprintf("%s-%s-%s", opts.Format, opts.Encoding, opts.Headers)
		dir, _ := generate(t, opts)
		w := warehousetest.New(t)
		sum := ingestOK(t, w, ingest.Options{}, dir)
		if err := sum.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d := tableDigest(t, w)
		if first == nil {
			first = d
			if strings.HasPrefix(d["patrols"], "0:") {
				t.Fatal("no patrols loaded")
			}
			continue
		}
		for ds, v := range first {
			if d[ds] != v {
				t.Errorf("%s: table %s differs from CSV (%.80s… vs %.80s…)", name, ds, d[ds], v)
			}
		}
	}
}

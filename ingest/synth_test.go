package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

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
		for _, r := range query(t, w.DB(), "SELECT source_row, column_name, reason_code FROM _rejects WHERE batch_id = ? ORDER BY source_row", f.BatchID) {
			got = append(got, r[0]+":"+r[1])
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, " ") != strings.Join(got, " ") {
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, m := generate(t, tc.opts)
			w := warehousetest.New(t)
			sum := ingestOK(t, w, ingest.Options{}, dir)
			checkMessy(t, w, dir, m, sum)
			again := ingestOK(t, w, ingest.Options{}, dir)
			for _, f := range again.Files {
				if f.Status != ingest.StatusSkipped {
					t.Errorf("second ingest of %s: %s", f.Path, f.Status)
				}
			}
		})
	}
}

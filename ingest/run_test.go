package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

// lineage is everything a warehouse holds of its files, with each batch named by its file's
// path (relative to dir) instead of its number: every dataset table's rows with the file and
// row they came from, the _batches rows in load order, and the _rejects rows.
func lineage(t *testing.T, w *warehouse.Warehouse, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	path := "replace(b.path, " + quoteSQL(dir+string(filepath.Separator)) + ", '')"
	for _, c := range datasets.All() {
		var cols []string
		for _, col := range c.Columns {
			cols = append(cols, "d."+warehouse.QuoteIdent(col.Name))
		}
		list := strings.Join(cols, ", ")
		for _, r := range query(t, w.DB(), "SELECT CAST(row("+list+", "+path+", d._source_row) AS VARCHAR) FROM "+warehouse.QuoteIdent(c.Name)+
			" d JOIN _batches b ON b.batch_id = d._batch_id ORDER BY "+path+", d._source_row, "+list) {
			out[c.Name] = append(out[c.Name], r[0])
		}
	}
	for _, r := range query(t, w.DB(), "SELECT CAST(row("+path+", b.dataset, b.sheet, b.format, b.encoding, b.size_bytes, b.sha256, b.status, b.message, b.rows_read, b.loaded, b.updated, "+
		"b.unchanged, b.rejected, b.duplicates, b.blank, b.skipped, b.masked, CAST(b.changed_columns AS VARCHAR), b.unknown_columns, b.conversions) AS VARCHAR) FROM _batches b ORDER BY b.batch_id") {
		out["_batches"] = append(out["_batches"], r[0])
	}
	for _, r := range query(t, w.DB(), "SELECT "+path+", j.* EXCLUDE (batch_id, row_data), CAST(j.row_data AS VARCHAR) FROM _rejects j JOIN _batches b USING (batch_id) ORDER BY "+path+", j.source_row, j.column_name") {
		out["_rejects"] = append(out["_rejects"], strings.Join(r, "|"))
	}
	return out
}

func quoteSQL(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// TestRunsLoadAsFileByFile: a folder whose files come in runs of one dataset and shape (one
// file per year, as the generator and offices write them) loads exactly as its files loaded one
// by one, in the same order, each in its own ingest: the same rows with the same file and row,
// the same _batches counts and the same rejects. The messy set has rejected, duplicate, blank
// and summary rows in runs; a corrected copy of a year's patrols (a key in two files of a run)
// and a second copy of a year's defects (the same content twice) sit beside them.
func TestRunsLoadAsFileByFile(t *testing.T) {
	dir, m := generate(t, synth.Options{Messy: true})
	years := map[string]bool{}
	for _, f := range m.Files {
		if f.Dataset == "patrols" {
			years[f.Path] = true
		}
	}
	if len(years) < 2 {
		t.Fatalf("the generated set has %d patrol files, want a run of at least 2", len(years))
	}
	var patrols, defects string
	var patrolEntry synth.FileEntry
	for _, f := range m.Files {
		switch {
		case f.Dataset == "patrols" && patrols == "":
			patrols, patrolEntry = filepath.Join(dir, f.Path), f
		case f.Dataset == "defects" && defects == "":
			defects = filepath.Join(dir, f.Path)
		}
	}
	b, err := os.ReadFile(patrols)
	if err != nil {
		t.Fatal(err)
	}
	// The lines up to the header and two good records again, the second with another last
	// value: one row updated, one unchanged.
	lines := strings.SplitAfter(string(b), "\n")
	bad := map[int]bool{}
	for _, b := range patrolEntry.Bad {
		bad[b.Line] = true
	}
	fixed := strings.Join(lines[:patrolEntry.HeaderLine], "")
	for l, n := patrolEntry.HeaderLine+1, 0; n < 2; l++ {
		if line := strings.TrimRight(lines[l-1], "\r\n"); !bad[l] && line != "" {
			if n == 1 {
				fields := strings.Split(line, ",")
				fields[len(fields)-1] = "99"
				line = strings.Join(fields, ",")
			}
			fixed += line + "\n"
			n++
		}
	}
	if err := os.WriteFile(strings.TrimSuffix(patrols, ".csv")+"_修订.csv", []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(defects)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strings.TrimSuffix(defects, ".csv")+" - 副本.csv", b, 0o644); err != nil {
		t.Fatal(err)
	}

	together := warehousetest.New(t)
	runs := ingest.RunsLoaded()
	sum := ingestOK(t, together, ingest.Options{}, dir)
	if ingest.RunsLoaded() == runs {
		t.Fatal("no run of files was loaded together")
	}
	apart := warehousetest.New(t)
	var order []string
	for _, f := range sum.Files {
		if f.Status == ingest.StatusIgnored {
			continue
		}
		order = append(order, f.Path)
		one := ingestOK(t, apart, ingest.Options{}, f.Path)
		if len(one.Files) != 1 {
			t.Fatalf("%s alone: %d results", f.Path, len(one.Files))
		}
		g := one.Files[0]
		g.Seconds, f.Seconds = 0, 0
		g.BatchID, f.BatchID = 0, 0
		g.Err, f.Err = nil, nil
		if g.Status != f.Status || g.RowsRead != f.RowsRead || g.Loaded != f.Loaded || g.Updated != f.Updated || g.Unchanged != f.Unchanged ||
			g.Rejected != f.Rejected || g.Duplicates != f.Duplicates || g.Blank != f.Blank || g.Skipped != f.Skipped || g.Masked != f.Masked ||
			len(g.ChangedColumns) != len(f.ChangedColumns) || g.Message != f.Message {
			t.Errorf("%s: in the folder %+v, alone %+v", f.Path, f, g)
		}
	}
	var updated, skipped, rejected, dups int64
	for _, f := range sum.Files {
		updated += f.Updated + f.Unchanged
		rejected += f.Rejected
		dups += f.Duplicates
		if f.Status == ingest.StatusSkipped {
			skipped++
		}
	}
	if updated != 2 || skipped != 1 || rejected == 0 || dups == 0 {
		t.Errorf("the set does not test what it should: %d rows updated or unchanged (want 2), %d files skipped (want 1), %d rejected, %d duplicates", updated, skipped, rejected, dups)
	}
	want, got := lineage(t, apart, dir), lineage(t, together, dir)
	for _, k := range append([]string{"_batches", "_rejects"}, datasets.Names()...) {
		w, g := want[k], got[k]
		if len(w) != len(g) {
			t.Errorf("%s: %d rows in the folder's ingest, %d file by file", k, len(g), len(w))
			continue
		}
		for i := range w {
			if w[i] != g[i] {
				t.Errorf("%s row %d: in the folder's ingest\n  %s\nfile by file\n  %s", k, i, g[i], w[i])
				break
			}
		}
	}
	if len(got["patrols"]) == 0 || len(got["_rejects"]) == 0 {
		t.Fatal("nothing loaded or rejected")
	}
	t.Logf("%d files, %d batches", len(order), len(got["_batches"]))

	// With the byte pass held to a byte ahead of the loading, each file is read only once the
	// files before it are reached, inside runs too: the same warehouse, and no run waiting on a
	// pass that waits on it.
	defer ingest.SetPassAhead(ingest.SetPassAhead(1))
	lockstep := warehousetest.New(t)
	ingestOK(t, lockstep, ingest.Options{}, dir)
	third := lineage(t, lockstep, dir)
	for _, k := range append([]string{"_batches", "_rejects"}, datasets.Names()...) {
		if strings.Join(third[k], "\n") != strings.Join(got[k], "\n") {
			t.Errorf("%s: %d rows with the pass a byte ahead, %d with it a GiB ahead", k, len(third[k]), len(got[k]))
		}
	}
}

// TestCancelledIngestKeepsWholeFiles cancels a folder's ingest as its first file is done, once
// with the byte pass far ahead and once held to a byte ahead (waiting for the loading when the
// cancel comes): Ingest returns the cancellation, and the warehouse holds whole files only, each
// batch's rows as its _batches row counts them, and not every file.
func TestCancelledIngestKeepsWholeFiles(t *testing.T) {
	dir, m := generate(t, synth.Options{})
	for _, ahead := range []int64{1 << 30, 1} {
		old := ingest.SetPassAhead(ahead)
		w := warehousetest.New(t)
		ctx, cancel := context.WithCancel(context.Background())
		sum, err := ingest.Ingest(ctx, w, []string{dir}, ingest.Options{Key: testKey, Progress: func(p ingest.Progress) {
			if p.Phase == "done" {
				cancel()
			}
		}})
		cancel()
		ingest.SetPassAhead(old)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("pass %d bytes ahead: ingest returned %v, want the cancellation", ahead, err)
		}
		batches := query(t, w.DB(), "SELECT batch_id, dataset, status, loaded FROM _batches ORDER BY batch_id")
		if len(batches) == 0 || len(batches) >= len(m.Files) {
			t.Fatalf("pass %d bytes ahead: %d batches of %d files after the cancel at the first file's end", ahead, len(batches), len(m.Files))
		}
		for _, b := range batches {
			if b[2] != ingest.StatusLoaded {
				continue
			}
			rows := query(t, w.DB(), "SELECT count(*) FROM "+warehouse.QuoteIdent(b[1])+" WHERE _batch_id = ?", b[0])
			if rows[0][0] != b[3] {
				t.Errorf("pass %d bytes ahead: batch %s of %s has %s rows, _batches says %s loaded", ahead, b[0], b[1], rows[0][0], b[3])
			}
		}
		t.Logf("pass %d bytes ahead: %d batches, %d results", ahead, len(batches), len(sum.Files))
	}
}

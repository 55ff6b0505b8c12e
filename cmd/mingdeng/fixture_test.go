package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
)

// ingestedTiny generates the tiny sample set (2023–2024) and ingests it into a new
// warehouse, returning its path.
func ingestedTiny(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if _, err := synth.Generate(ctx, synth.Options{Scale: synth.ScaleTiny, Seed: 7, Format: synth.FormatCSV, Out: src}, nil); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(ctx, db, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sum, err := ingest.Ingest(ctx, w, []string{src}, ingest.Options{Key: []byte("a-test-key-of-enough-length")})
	if err == nil {
		err = sum.Err()
	}
	if err != nil {
		t.Fatal(err)
	}
	return db
}

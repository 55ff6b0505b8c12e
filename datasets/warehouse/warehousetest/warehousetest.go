// Package warehousetest opens real, throw-away warehouse files for tests.
package warehousetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// New creates a fresh warehouse in a temporary folder and closes it when the test ends.
func New(t testing.TB) *warehouse.Warehouse {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.duckdb")
	w, err := warehouse.Open(context.Background(), path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatalf("open test warehouse: %v", err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("close test warehouse: %v", err)
		}
	})
	return w
}

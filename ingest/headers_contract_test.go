package ingest_test

import (
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/ingest"
)

// Two columns of one dataset must never claim the same header once headers are normalised the
// way ingest compares them (width, case, brackets, spaces, underscores): otherwise the first
// column in the contract would silently win. datasets.Validate only folds case, so this check
// lives beside the normaliser.
func TestNoHeaderNamesTwoColumnsAfterNormalisation(t *testing.T) {
	for _, c := range datasets.All() {
		owner := map[string]string{}
		for _, col := range c.Columns {
			for _, h := range col.Headers() {
				n := ingest.NormalizeHeader(h)
				if n == "" {
					t.Errorf("%s.%s: header %q normalises to nothing", c.Name, col.Name, h)
					continue
				}
				if other, ok := owner[n]; ok && other != col.Name {
					t.Errorf("%s: header %q (normalised %q) names both %s and %s", c.Name, h, n, other, col.Name)
				}
				owner[n] = col.Name
			}
		}
	}
}

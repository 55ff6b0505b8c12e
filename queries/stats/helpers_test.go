package stats_test

import (
	"math"
	"testing"
)

// near checks |got − want| ≤ tol, reporting the name.
func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (±%g)", name, got, want, tol)
	}
}

package ingest

import (
	"context"
	"database/sql"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

// probe holds, from one statement over the typed rows, whether each reference and check of a
// file has work to do (some row names a value to resolve or not found, some row fails the
// check). Most files have none, and a statement costs a small file about as much as its rows:
// one probe replaces an EXISTS per step, and the five to seven statements of resolving names
// where no cell holds a name.
//
// The answers hold only while _md_typed is as it was probed: a step that runs sets dirty, and
// every step after it asks for itself (need), as it did before the probe.
type probe struct {
	found map[string]bool
	dirty bool
}

func refKey(r datasets.Ref) string { return "ref:" + r.Dataset + ":" + strings.Join(r.Columns, ",") }

// newProbe runs the probe of every reference the file carries and every check that applies to
// it; a file with neither runs no statement.
func newProbe(ctx context.Context, tx *sql.Tx, m *Mapping) (*probe, error) {
	var keys, conds []string
	for _, r := range orderedRefs(m.Contract) {
		if cond, ok := refProbe(m, r); ok {
			keys, conds = append(keys, refKey(r)), append(conds, cond)
		}
	}
	for _, ch := range m.Contract.Checks {
		if _, from, where, ok := checkStep(m, ch); ok {
			keys, conds = append(keys, "check:"+ch.Name), append(conds, checkProbe(from, where))
		}
	}
	pr := &probe{found: map[string]bool{}}
	if len(conds) == 0 {
		return pr, nil
	}
	found := make([]bool, len(conds))
	dest := make([]any, len(conds))
	for i := range found {
		dest[i] = &found[i]
	}
	if err := scanSQL(ctx, tx, "SELECT "+strings.Join(conds, ", "), nil, dest...); err != nil {
		return nil, err
	}
	for i, k := range keys {
		pr.found[k] = found[i]
	}
	return pr, nil
}

// need tells whether the step key has work to do: the probe's answer while no step has run,
// else cond asked now.
func (pr *probe) need(ctx context.Context, tx *sql.Tx, key, cond string) (bool, error) {
	if f, ok := pr.found[key]; ok && !pr.dirty {
		return f, nil
	}
	var f bool
	err := scanSQL(ctx, tx, "SELECT "+cond, nil, &f)
	return f, err
}

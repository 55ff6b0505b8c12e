package sqlguard_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/sqlguard"
)

// TestMetricViewsAllowedAndNothingMore opens a warehouse as serve does, with the metric views
// on every connection, and checks the guard with serve's policy: the views are readable, and
// the person-level tables they aggregate, and any other name, are not.
func TestMetricViewsAllowedAndNothingMore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := warehouse.Open(ctx, path, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	views, err := queries.MetricViewStatements(nil)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true, ConnInit: views,
		Settings: map[string]string{"enable_external_access": "false", "lock_configuration": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	policy := sqlguard.DefaultPolicy(queries.MetricViewNames()...)

	for _, v := range queries.MetricViews {
		q := "select * from " + v.Name + " where period >= '2024' order by 1"
		stmt, err := sqlguard.Check(ctx, ro.DB(), q, policy)
		if err != nil {
			t.Fatalf("%s refused: %v", v.Name, err)
		}
		if _, err := ro.DB().ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		// Allowed by the policy's list, not by being a view: the plain web policy refuses it.
		if _, err := sqlguard.Check(ctx, ro.DB(), q, sqlguard.DefaultPolicy()); !errors.Is(err, &sqlguard.Refusal{Reason: sqlguard.ForbiddenTable}) {
			t.Errorf("%s without AllowView: %v", v.Name, err)
		}
		// No column of a view identifies a person.
		rows, err := ro.DB().QueryContext(ctx, "DESCRIBE "+v.Name)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := queries.Collect(rows, 0)
		if err != nil {
			t.Fatal(err)
		}
		names, err := cols.Strings("column_name")
		if err != nil || len(names) == 0 {
			t.Fatalf("DESCRIBE %s: %v", v.Name, err)
		}
		for _, name := range names {
			if personal[name] {
				t.Errorf("%s has the person column %s", v.Name, name)
			}
		}
	}
	for _, tt := range []struct{ name, query string }{
		{"a person-level table beside a view", "select * from metric_group_activity a join trainings t on true"},
		{"the table a view aggregates", "select * from survey_responses"},
		{"a name like a view's", "select * from metric_people"},
		{"a view's name with a suffix", "select * from metric_group_activity_raw"},
		{"the view by its temporary schema", "select * from temp.main.metric_group_activity"},
		{"a person-level table in a subquery of a view query", "select * from metric_group_activity where group_id in (select group_id from people)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r *sqlguard.Refusal
			if _, err := sqlguard.Check(ctx, ro.DB(), tt.query, policy); !errors.As(err, &r) {
				t.Fatalf("allowed %q (%v)", tt.query, err)
			}
		})
	}
	// The policy grew by the views alone.
	if extra := len(policy.Tables) - len(sqlguard.DefaultPolicy().Tables); extra != len(queries.MetricViews) {
		t.Errorf("serve's policy allows %d names beyond the default, want the %d views", extra, len(queries.MetricViews))
	}
}

// personal are the columns that name or point at a person in any contract.
var personal = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range datasets.All() {
		for _, col := range c.Columns {
			if col.Personal != datasets.NotPersonal {
				m[col.Name] = true
			}
		}
		for _, r := range c.Refs {
			if r.Dataset == "people" {
				for _, col := range r.Columns {
					m[col] = true
				}
			}
		}
	}
	return m
}()

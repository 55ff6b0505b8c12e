package queries_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/queries"
)

func TestEmbeddedRegistryLoads(t *testing.T) {
	r, err := queries.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"group_activity", "group_outcomes", "group_surveys", "cadence_compliance", "panel", "team_events", "assessment_totals", "member_counts"} {
		q, err := r.Get(want)
		if err != nil {
			t.Errorf("%s: %v", want, err)
			continue
		}
		if q.DescriptionZh == "" || q.DescriptionEn == "" {
			t.Errorf("%s: descriptions missing", want)
		}
	}
	if _, err := r.Get("nope"); err == nil {
		t.Error("unknown query accepted")
	}
}

func TestEveryQueryRunsOnAnEmptyWarehouse(t *testing.T) {
	w := warehousetest.New(t)
	r, _ := queries.Default()
	for _, q := range r.List() {
		p := queries.Params{Year: 2024}
		if _, err := r.Run(context.Background(), w.DB(), q.Name, p, 0); err != nil {
			t.Errorf("%s: %v", q.Name, err)
		}
	}
}

func TestRegistryComposesFragmentsAndChecksParams(t *testing.T) {
	fsys := fstest.MapFS{
		"fragments/a.sql": {Data: []byte("-- fragment: a\n-- params: x\na AS (SELECT $x AS v)\n")},
		"fragments/b.sql": {Data: []byte("-- fragment: b\n-- uses: a\nb AS (SELECT v + 1 AS v FROM a)\n")},
		"q.sql":           {Data: []byte("-- name: q\n-- description_zh: 中\n-- description_en: en\n-- params: x\n-- uses: b\nWITH c AS (SELECT v FROM b) SELECT v FROM c\n")},
	}
	r, err := queries.LoadRegistry(fsys)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := r.Get("q")
	if strings.Join(q.Uses, ",") != "a,b" {
		t.Errorf("uses = %v", q.Uses)
	}
	if !strings.Contains(q.SQL, "b AS (SELECT v + 1 AS v FROM a),\n c AS") && !strings.Contains(q.SQL, "FROM a),\nc AS") {
		t.Errorf("composed SQL:\n%s", q.SQL)
	}
	fsys["q.sql"] = &fstest.MapFile{Data: []byte("-- name: q\n-- description_zh: 中\n-- description_en: en\n-- uses: b\nSELECT v FROM b\n")}
	if _, err := queries.LoadRegistry(fsys); err == nil || !strings.Contains(err.Error(), "undeclared [x]") {
		t.Errorf("undeclared parameter not caught: %v", err)
	}
}

// TestEveryMetricHasAUnit: each metric a report names has a unit and a meaningful step (a share
// per 10 percentage points), so no effect is stated "per unit" of a 0–1 share.
func TestEveryMetricHasAUnit(t *testing.T) {
	for _, m := range []string{"meetings_held", "monthly_compliance", "attendance_rate", "critique_per_meeting", "problems_raised_per_meeting",
		"problems_resolved_per_meeting", "resolution_rate", "production_linked_share", "study_only_share", "model_posts_held", "model_post_awarded",
		"demo_days_held", "leader_trained", "patrol_km_per_head", "planned_completion", "defects_per_100km", "timely_elimination_share",
		"violations_per_100_staff", "near_misses", "responsible_incidents", "longest_safe_run", "employee_satisfaction", "customer_satisfaction",
		"assessment_score", queries.ModelGroup} {
		u := queries.UnitOf(m)
		if strings.Contains(u.Per.In("zh"), "单位") {
			t.Errorf("%s: no unit in the catalogue (%q)", m, u.Per.In("zh"))
		}
		if strings.HasSuffix(m, "_share") || strings.HasSuffix(m, "_rate") && m != "violations_per_100_staff" || m == "monthly_compliance" || m == "planned_completion" {
			if u.Kind != queries.UnitShare || u.Step != 0.1 || u.DiffUnit("zh") != "个百分点" {
				t.Errorf("%s: a share, got %+v", m, u)
			}
		}
	}
}

package datasets_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
)

var update = flag.Bool("update", false, "rewrite docs/datasets.md from the contracts")

func TestContractsAreValid(t *testing.T) {
	if err := datasets.Validate(datasets.All()); err != nil {
		t.Fatal(err)
	}
}

func TestValidateCatchesMistakes(t *testing.T) {
	good := datasets.All()
	tests := []struct {
		name   string
		mutate func([]datasets.Contract) []datasets.Contract
		want   string
	}{
		{"duplicate dataset", func(cs []datasets.Contract) []datasets.Contract { return append(cs, cs[0]) }, "duplicate dataset name"},
		{"key not a column", func(cs []datasets.Contract) []datasets.Contract { cs[0].Key = []string{"nope"}; return cs }, "key column nope"},
		{"dangling reference", func(cs []datasets.Contract) []datasets.Contract {
			cs[1].Refs = append(cs[1].Refs, datasets.Ref{Columns: []string{"unit_id"}, Dataset: "nowhere", To: []string{"x"}})
			return cs
		}, "unknown dataset nowhere"},
		{"reference loaded later", func(cs []datasets.Contract) []datasets.Contract { cs[0], cs[1] = cs[1], cs[0]; return cs }, "loaded later"},
		{"duplicate column", func(cs []datasets.Contract) []datasets.Contract {
			cs[0].Columns = append(cs[0].Columns, cs[0].Columns[0])
			return cs
		}, "duplicate column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := tt.mutate(append([]datasets.Contract(nil), good...))
			err := datasets.Validate(cs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestDomainDatasetsArePresent(t *testing.T) {
	for _, name := range []string{"units", "branches", "party_groups", "teams", "group_teams", "people",
		"meetings", "attendance", "model_posts", "trainings", "assessments", "member_reviews",
		"patrols", "defects", "safety_events", "survey_items", "survey_responses"} {
		if _, err := datasets.Lookup(name); err != nil {
			t.Errorf("Lookup(%s): %v", name, err)
		}
	}
	if _, err := datasets.Lookup("meeting"); err == nil {
		t.Error("Lookup of an unknown name succeeded")
	}
}

func TestMeetingDateCarriesTheHeadersRealFilesUse(t *testing.T) {
	c, _ := datasets.Lookup("meetings")
	col, ok := c.Column("held_on")
	if !ok {
		t.Fatal("meetings has no held_on")
	}
	headers := strings.Join(col.Headers(), ",")
	for _, h := range []string{"日期", "会议日期", "召开时间"} {
		if !strings.Contains(headers, h) {
			t.Errorf("held_on headers %q lack %q", headers, h)
		}
	}
}

func TestPersonalColumnsAreMarked(t *testing.T) {
	c, _ := datasets.Lookup("people")
	for _, name := range []string{"person_id", "name", "id_number", "phone"} {
		col, _ := c.Column(name)
		if col == nil || col.Personal == datasets.NotPersonal {
			t.Errorf("people.%s is not marked personal", name)
		}
	}
}

// TestDatasetsDocIsCurrent fails when docs/datasets.md no longer matches the contracts.
// Regenerate with: go test ./datasets -run TestDatasetsDocIsCurrent -update
func TestDatasetsDocIsCurrent(t *testing.T) {
	var buf bytes.Buffer
	if err := datasets.WriteMarkdown(&buf, datasets.All(), datasets.Zh); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "datasets.md")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./datasets -run TestDatasetsDocIsCurrent -update)", err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatal("docs/datasets.md is stale; run: go test ./datasets -run TestDatasetsDocIsCurrent -update")
	}
}

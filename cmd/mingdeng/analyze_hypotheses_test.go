package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// analyze --format json marks every result primary or exploratory and carries the declared
// hypotheses' hash and the time the warehouse first saw them; a second run does not move that
// time. The CSV of the same run holds the JSON's numbers exactly.
func TestAnalyzeJSONHasFamiliesAndHypotheses(t *testing.T) {
	db := ingestedTiny(t)
	dir := t.TempDir()
	type out struct {
		Hypotheses struct {
			Hash               string  `json:"hash"`
			DeclaredAt         *string `json:"declared_at"`
			ChangedAfterIngest bool    `json:"changed_after_ingest"`
			Tests              []struct {
				Status string   `json:"status"`
				Result int      `json:"result"`
				MDE    *float64 `json:"mde"`
			} `json:"tests"`
		} `json:"hypotheses"`
		Results []struct {
			Method   string   `json:"method"`
			Family   string   `json:"family"`
			Estimate *float64 `json:"estimate"`
		} `json:"results"`
	}
	run := func(name string) out {
		t.Helper()
		f := filepath.Join(dir, name)
		if r := mingdeng(t, "analyze", "--db", db, "--format", "json", "--out", f); r.code != 0 {
			t.Fatalf("%+v", r)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var o out
		if err := json.Unmarshal(b, &o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	first := run("1.json")
	h := first.Hypotheses
	if h.Hash != queries.HypothesesHash(queries.DefaultHypotheses()) || h.DeclaredAt == nil || len(h.Tests) != len(queries.DefaultHypotheses()) {
		t.Fatalf("hypotheses: %+v", h)
	}
	// ingestedTiny loads through the Go API, which records nothing: analyze saw the list first,
	// after the data, and must say so.
	if !h.ChangedAfterIngest {
		t.Error("a list first recorded after the last ingest is not flagged")
	}
	primary := 0
	for _, r := range first.Results {
		switch r.Family {
		case "primary":
			primary++
			if r.Method != "panel_fe" {
				t.Errorf("primary %s result", r.Method)
			}
		case "exploratory":
		default:
			t.Errorf("result %s without family %q", r.Method, r.Family)
		}
	}
	for _, tt := range h.Tests {
		if tt.Result >= 0 && first.Results[tt.Result].Family != "primary" {
			t.Errorf("test %+v points at a non-primary result", tt)
		}
	}
	if primary == 0 {
		t.Error("no primary result on the tiny scale")
	}
	if again := run("2.json").Hypotheses; again.DeclaredAt == nil || *again.DeclaredAt != *h.DeclaredAt {
		t.Errorf("declared_at moved on a re-run: %v then %v", *h.DeclaredAt, again.DeclaredAt)
	}

	f := filepath.Join(dir, "a.csv")
	if r := mingdeng(t, "analyze", "--db", db, "--format", "csv", "--out", f); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	b, _ := os.ReadFile(f)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\uFEFF"))).ReadAll()
	if err != nil || len(recs) != len(first.Results)+1 {
		t.Fatalf("csv: %d records, %v; want %d", len(recs), err, len(first.Results)+1)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "estimate" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no estimate column in %v", recs[0])
	}
	for i, r := range first.Results {
		if r.Estimate == nil {
			continue
		}
		got, err := strconv.ParseFloat(recs[i+1][col], 64)
		if err != nil || got != *r.Estimate {
			t.Fatalf("row %d: CSV estimate %q, JSON %v: not the same float64", i+1, recs[i+1][col], *r.Estimate)
		}
	}
}

package main

import (
	"encoding/json"
	"testing"
)

// analyze compares teams before and after both events of DOMAIN.md — a model post awarded and
// a new party group formed — against teams without them, each with its pre-trend check and
// the selection warning.
func TestAnalyzeComparesBothEventsAgainstControls(t *testing.T) {
	db := ingestedTiny(t)
	r := mingdeng(t, "analyze", "--db", db, "--outcome", "violations_per_100_staff", "--format", "json")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var res struct {
		Results []struct {
			Method, Activity string
			N                int
			Warnings         []struct{ Code string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, x := range res.Results {
		found[x.Method+"/"+x.Activity] = true
		if x.Method == "did_twfe" {
			selection := false
			for _, w := range x.Warnings {
				selection = selection || w.Code == "selection"
			}
			if !selection || x.N == 0 {
				t.Errorf("%s: n=%d, selection warning %v", x.Activity, x.N, selection)
			}
		}
	}
	for _, want := range []string{"did_twfe/model_post_awarded", "did_pretrend/model_post_awarded", "did_twfe/group_formed", "did_pretrend/group_formed"} {
		if !found[want] {
			t.Errorf("no %s result; got %v", want, found)
		}
	}
}

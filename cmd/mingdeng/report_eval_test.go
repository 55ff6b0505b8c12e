package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The survey radar, the award concentration and the ranked tables of the evaluation report
// hold the numbers of the query JSON they come from.
func TestEvaluationSurveyAwardsRankedEqualTheQueries(t *testing.T) {
	db := ingestedTiny(t)
	out := t.TempDir()
	if r := mingdeng(t, "report", "evaluation", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	x, err := excelize.OpenFile(filepath.Join(out, "evaluation.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	// Sheets are named by title: found by their table ID; the numbers read unformatted.
	sheet := func(id string) [][]string {
		name := sheetByID(t, x, id)
		rows, err := x.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil || len(rows) < 2 {
			t.Fatalf("sheet %s: %v, %d rows (sheets %v)", name, err, len(rows), x.GetSheetList())
		}
		return rows
	}
	near := func(cell string, want float64) bool {
		v, err := strconv.ParseFloat(cell, 64)
		return err == nil && math.Abs(v-want) < 1e-6*math.Max(1, math.Abs(want))
	}

	// Concentration: every unit's latest-year Gini of awards, as analyze --concentration says.
	r := mingdeng(t, "analyze", "--db", db, "--concentration", "--format", "json")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var conc struct {
		Results []struct {
			Method, Activity, Scope string
			Estimate                *float64
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &conc); err != nil {
		t.Fatal(err)
	}
	latest := map[string]string{}
	gini := map[string]*float64{}
	for _, res := range conc.Results {
		if res.Activity != "awards" || res.Method != "gini" {
			continue
		}
		unit, year, _ := strings.Cut(res.Scope, "/")
		if year > latest[unit] {
			latest[unit] = year
		}
		gini[res.Scope] = res.Estimate
	}
	rank := sheet("eval-rank-awards")
	if len(rank)-1 != len(latest) {
		t.Errorf("%d ranked scopes, want %d units", len(rank)-1, len(latest))
	}
	// Units by name (a name two units share gets the code), as the report shows them.
	r = mingdeng(t, "sql", "--db", db, "--format", "csv", "SELECT unit_id, name FROM units")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	unitName := map[string]string{}
	codesOf := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		code, name, _ := strings.Cut(line, ",")
		unitName[code] = name
		codesOf[name]++
	}
	for code, name := range unitName {
		if codesOf[name] > 1 {
			unitName[code] = name + "（" + code + "）"
		}
	}
	codeOf := map[string]string{}
	for code, name := range unitName {
		codeOf[name] = code
	}
	for _, row := range rank[1:] {
		// rank, unit (by name), year, Gini, … members
		if len(row) < 3 {
			t.Errorf("rank row %v: too short", row)
			continue
		}
		unit, year := codeOf[row[1]], row[2]
		if unit == "" {
			t.Errorf("rank row %v: %q is no unit's name", row, row[1])
			continue
		}
		want := gini[unit+"/"+year]
		if year != latest[unit] || (want == nil) != (len(row) < 4 || row[3] == "") || (want != nil && !near(row[3], *want)) {
			t.Errorf("rank row %v, want Gini %v for the latest year %s", row, want, latest[unit])
		}
	}

	// Survey: each unit × dimension is the respondent-weighted mean of the shown cells.
	r = mingdeng(t, "query", "group_surveys", "--db", db, "--format", "json")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var cells []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &cells); err != nil {
		var wrapped struct{ Rows []map[string]any }
		if err2 := json.Unmarshal([]byte(r.stdout), &wrapped); err2 != nil {
			t.Fatalf("%v / %v: %.300s", err, err2, r.stdout)
		}
		cells = wrapped.Rows
	}
	sum, n := map[string]float64{}, map[string]float64{}
	suppressed := 0
	for _, c := range cells {
		if c["is_total"] == true || c["dimension"] == nil {
			continue
		}
		if c["score"] == nil {
			suppressed++
			continue
		}
		k := unitName[c["unit_id"].(string)] + "|" + c["audience_zh"].(string) + "·" + c["dimension"].(string)
		sum[k] += c["score"].(float64) * c["respondents"].(float64)
		n[k] += c["respondents"].(float64)
	}
	radar := sheet("eval-survey")
	checked := 0
	for _, row := range radar[1:] {
		for j, dim := range radar[0][1:] {
			k := row[0] + "|" + dim
			if n[k] < 5 {
				continue
			}
			if j+1 >= len(row) || !near(row[j+1], math.Round(sum[k]/n[k]*100)/100) {
				t.Errorf("survey %s: %v, want %.2f", k, row, sum[k]/n[k])
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no survey cell checked")
	}
	t.Logf("%d survey cells checked, %d group cells suppressed by the query", checked, suppressed)

	// Ranked assessments: the first row has the highest mean.
	ra := sheet("eval-rank-assessment")
	prev := math.Inf(1)
	for _, row := range ra[1:] {
		v, _ := strconv.ParseFloat(row[3], 64)
		if v > prev {
			t.Errorf("assessment ranking out of order at %v", row)
		}
		prev = v
	}
}

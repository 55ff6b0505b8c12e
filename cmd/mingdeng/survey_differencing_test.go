package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/reports/build"
)

// TestSurveyCellsCannotBeDifferencedAcrossWindows repeats the subtraction attack on every path
// that shows survey figures: two requests whose date windows differ by a day, a week or a
// season, in every period grain, through `query group_surveys`, `query unit_surveys`, `query
// panel`, the evaluation report's survey data and serve's report pages. A difference of
// respondents between 1 and 4 between two shown figures of the same group or unit is a small
// cell recovered by subtraction; none may exist. The stronger property behind it is checked
// too: a survey cell has the same score and size in every window and request that shows it.
func TestSurveyCellsCannotBeDifferencedAcrossWindows(t *testing.T) {
	db := ingestedTiny(t)
	froms := []string{"2023-01-01", "2023-03-15"}
	tos := []string{"2023-06-29", "2023-06-30", "2023-12-30", "2024-06-30", "2024-12-31"}
	// month and quarter both give half cells; quarter stands for both.
	periods := []string{"half", "year", "quarter"}
	decode := func(args ...string) []map[string]any {
		t.Helper()
		r := mingdeng(t, append(args, "--db", db, "--format", "json")...)
		var rows []map[string]any
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rows) != nil {
			t.Fatalf("%v: %+v", args, r)
		}
		return rows
	}
	num := func(v any) float64 {
		f, _ := v.(float64)
		return f
	}
	type shown struct {
		score, respondents float64
		suppressed         any
		from, to           string
	}
	cells := map[string]shown{}          // group/period/audience/dimension → the cell, in every request
	unitResp := map[string][]float64{}   // unit/audience/dimension/grain → respondents per window
	panelSat := map[string]any{}         // group/period/audience → satisfaction
	shownByGroup := map[string][]shown{} // group/audience/dimension → every shown cell, any grain
	runs, small := 0, 0
	for _, p := range periods {
		for _, from := range froms {
			for _, to := range tos {
				if to < from {
					continue
				}
				runs++
				for _, c := range decode("query", "group_surveys", "--period", p, "--from", from, "--to", to) {
					key := fmt.Sprint(c["group_id"], "/", c["period"], "/", c["audience"], "/", c["dimension"])
					cur := shown{num(c["score"]), num(c["respondents"]), c["suppressed"], fmt.Sprint(c["period_from"]), fmt.Sprint(c["period_to"])}
					if prev, ok := cells[key]; ok && prev != cur {
						t.Errorf("group_surveys %s depends on the window: %+v, then %+v (period %s, %s..%s)", key, prev, cur, p, from, to)
					}
					if _, ok := cells[key]; !ok && cur.suppressed == nil {
						g := fmt.Sprint(c["group_id"], "/", c["audience"], "/", c["dimension"])
						shownByGroup[g] = append(shownByGroup[g], cur)
					}
					cells[key] = cur
				}
				for _, u := range decode("query", "unit_surveys", "--period", p, "--from", from, "--to", to) {
					key := fmt.Sprint(u["unit_id"], "/", u["audience"], "/", u["dimension"], "/", p, "/", from)
					unitResp[key] = append(unitResp[key], num(u["respondents"]))
				}
				if (p == "half" || p == "year") && (to == "2023-06-29" || to == "2023-06-30" || to == "2024-12-31") {
					for _, r := range decode("query", "panel", "--period", p, "--from", from, "--to", to) {
						for _, aud := range []string{"employee", "customer"} {
							key := fmt.Sprint(r["group_id"], "/", r["period"], "/", aud)
							v := r[aud+"_satisfaction"]
							if prev, ok := panelSat[key]; ok && !reflect.DeepEqual(prev, v) {
								t.Errorf("panel %s satisfaction depends on the window: %v, then %v", key, prev, v)
							}
							panelSat[key] = v
						}
					}
				}
			}
		}
	}
	// Shown cells of one group, audience and dimension over nested periods (a year and its
	// halves): their respondents differ by 0 or by a shown half, never by 1 to 4.
	for g, list := range shownByGroup {
		for _, a := range list {
			for _, b := range list {
				if a.from <= b.from && b.to <= a.to && a != b {
					if d := a.respondents - b.respondents; d > 0 && d < 5 {
						small++
						t.Errorf("%s: %s..%s has %v respondents, %s..%s inside it %v: a cell of %v by subtraction", g, a.from, a.to, a.respondents, b.from, b.to, b.respondents, d)
					}
				}
			}
		}
	}
	// unit_surveys over windows with the same start: larger windows differ by 0 or ≥ 5.
	for key, rs := range unitResp {
		for _, a := range rs {
			for _, b := range rs {
				if d := math.Abs(a - b); d > 0 && d < 5 {
					small++
					t.Errorf("unit_surveys %s: windows give %v and %v respondents: a cell of %v by subtraction", key, a, b, d)
				}
			}
		}
	}
	if len(cells) < 50 || len(unitResp) < 10 || len(panelSat) < 20 {
		t.Fatalf("too little survey data met to test anything: %d cells, %d unit figures, %d panel figures", len(cells), len(unitResp), len(panelSat))
	}
	// The reports (CLI and serve) take their survey figures from unit_surveys: windows inside
	// the same halves give the same survey chart data.
	ctx := context.Background()
	w, err := warehouse.Open(ctx, db, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	surveyData := func(from, to string) string {
		req := build.Request{Kind: "evaluation", Period: "half", Lang: datasets.Zh}
		req.From, _ = reportDay(from, "from")
		req.To, _ = reportDay(to, "to")
		res, err := build.Build(ctx, w, req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, c := range res.Report.Charts() {
			if strings.Contains(c.Title, "满意度") && c.Data != nil {
				fmt.Fprint(&b, c.Data.Rows)
			}
		}
		if b.Len() == 0 {
			t.Fatal("the evaluation report has no survey chart")
		}
		return b.String()
	}
	if a, b := surveyData("2023-01-01", "2024-06-29"), surveyData("2023-01-01", "2024-06-30"); a != b {
		t.Errorf("the report's survey data changes when the window grows by one day:\n%s\n%s", a, b)
	}
	w.Close()
	base, _ := serveDB(t, db)
	page := func(from, to string) int {
		resp, err := http.Get(base + "/reports/evaluation?" + url.Values{"from": {from}, "to": {to}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if a, b := page("2023-01-01", "2024-06-29"), page("2023-03-15", "2024-06-30"); a != 200 || b != 200 {
		t.Fatalf("serve's report pages: %d, %d", a, b)
	}
	t.Logf("%d requests, %d cells, %d unit figures, %d panel figures, %d small differences", runs, len(cells), len(unitResp), len(panelSat), small)
}

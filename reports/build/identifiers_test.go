package build_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/build"
)

// allowedASCII are the Latin words a Chinese report may show: units of measure, statistical
// names and symbols, and the source-file notation of periods. Everything else in Latin letters
// (a code such as DW0003 or group_meeting, an English header such as total, true/false) is an
// internal identifier that must have been labelled before the page was rendered.
var allowedASCII = map[string]bool{
	// units of measure
	"kV": true, "km": true, "min": true,
	// statistics: sample size, p-values, intervals, methods
	"n": true, "N": true, "p": true, "CI": true, "DiD": true, "Gini": true, "t": true, "U": true, "g": true,
	"Hedges": true, "Benjamini": true, "Hochberg": true, "BH": true, "r": true,
	// the product and the file formats it writes, named as the reader sees them
	"mingdeng": true, "XLSX": true, "HTML": true, "Markdown": true,
}

var (
	// Source-file period notation (2024H1, 2024Q3), numbers in scientific notation, file names
	// (the warehouse), source references (S1, S12) and single letters of chart legends.
	allowedPattern = regexp.MustCompile(`^(\d{4}(H[12]|Q[1-4])|[0-9.]+[eE][-+]?\d+|[\w.-]+\.(duckdb|yaml)|S\d+)$`)
	asciiWord      = regexp.MustCompile(`[A-Za-z0-9_][A-Za-z0-9_.\-]*`)
	hasLetter      = regexp.MustCompile(`[A-Za-z]`)
	// What a reader does not see as text: scripts, styles, code (commands to re-run a figure,
	// which must be typed as they are), tags.
	htmlHidden = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<code>.*?</code>`)
	htmlTag    = regexp.MustCompile(`(?s)<[^>]*>`)
	mdHidden   = regexp.MustCompile("(?s)```.*?```|`[^`]*`|\\]\\([^)]*\\)|<[^>]*>")
)

// identifiers lists the Latin words of text that are not allowed, with a sample of context.
func identifiers(text string) map[string]string {
	out := map[string]string{}
	for _, loc := range asciiWord.FindAllStringIndex(text, -1) {
		w := strings.Trim(text[loc[0]:loc[1]], ".-")
		if !hasLetter.MatchString(w) || allowedASCII[w] || allowedPattern.MatchString(w) {
			continue
		}
		if _, seen := out[w]; !seen {
			lo, hi := max(0, loc[0]-40), min(len(text), loc[1]+40)
			out[w] = strings.ReplaceAll(text[lo:hi], "\n", " ")
		}
	}
	return out
}

// chartLabels collects the strings of an ECharts option a reader sees: names, texts and
// category data (not keys, types or formatter code).
func chartLabels(v any, key string, out *strings.Builder) {
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			chartLabels(y, k, out)
		}
	case []any:
		for _, y := range x {
			chartLabels(y, key, out)
		}
	case string:
		switch key {
		case "name", "text", "subtext", "data":
			out.WriteString(x + "\n")
		}
	}
}

// Every report, rendered at company scale from generated data (generator → ingest → build),
// shows no internal identifier in its Chinese HTML text, Markdown or XLSX cells and sheet names.
func TestChineseReportsShowNoInternalIdentifiers(t *testing.T) {
	w := open(t)
	for _, req := range []build.Request{
		{Kind: build.Evaluation},
		{Kind: build.Annual},
		{Kind: build.Group, Group: "营业党小组", Unit: "城东供电所"},
	} {
		t.Run(string(req.Kind), func(t *testing.T) {
			res, err := build.Build(context.Background(), w, req)
			if err != nil {
				t.Fatal(err)
			}
			found := map[string]map[string]string{}
			var page, md, book bytes.Buffer
			if err := reports.WriteHTML(&page, res.Report); err != nil {
				t.Fatal(err)
			}
			text := html.UnescapeString(htmlTag.ReplaceAllString(htmlHidden.ReplaceAllString(page.String(), " "), " "))
			found["HTML"] = identifiers(text)
			if err := reports.WriteMarkdown(&md, res.Report); err != nil {
				t.Fatal(err)
			}
			found["Markdown"] = identifiers(html.UnescapeString(mdHidden.ReplaceAllString(md.String(), " ")))
			if err := reports.WriteXLSX(&book, res.Report); err != nil {
				t.Fatal(err)
			}
			x, err := excelize.OpenReader(&book)
			if err != nil {
				t.Fatal(err)
			}
			var cells strings.Builder
			for i, sheet := range x.GetSheetList() {
				cells.WriteString(sheet + "\n")
				rows, err := x.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					if i == 0 && len(r) > 2 {
						// The contents sheet's 编号 column is the tables' stable IDs, the anchors
						// the pages and serve link to; the sheets themselves carry titles.
						r = append(r[:2:2], r[3:]...)
					}
					cells.WriteString(strings.Join(r, " | ") + "\n")
				}
			}
			found["XLSX"] = identifiers(cells.String())
			// Chart labels (series, categories, titles) are drawn from the options in the page's
			// scripts, which the HTML text above leaves out.
			var labels strings.Builder
			for _, c := range res.Report.Charts() {
				b, err := json.Marshal(c.Option)
				if err != nil {
					t.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(b, &v); err != nil {
					t.Fatal(err)
				}
				chartLabels(v, "", &labels)
			}
			found["chart labels"] = identifiers(labels.String())
			for _, where := range []string{"HTML", "Markdown", "XLSX", "chart labels"} {
				words := make([]string, 0, len(found[where]))
				for w := range found[where] {
					words = append(words, w)
				}
				sort.Strings(words)
				for _, w := range words {
					t.Errorf("%s: %s shows %q: …%s…", req.Kind, where, w, found[where][w])
				}
			}
		})
	}
}

// The check itself: a code, an English header or true/false is caught; units of measure,
// method names, period notation and numbers pass.
func TestIdentifierScanCatchesCodes(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"单位 DW0003 的 group_meeting 为 true，total 80", []string{"DW0003", "group_meeting", "true", "total"}},
		{"110 kV 线路 12.5 km，2024H1，p = 3.1e-05，n = 40，95% CI，Benjamini–Hochberg 校正，基尼系数 Gini，w.duckdb，S12", nil},
	} {
		got := identifiers(tc.text)
		if len(got) != len(tc.want) {
			t.Errorf("%q: found %v, want %v", tc.text, got, tc.want)
		}
		for _, w := range tc.want {
			if _, ok := got[w]; !ok {
				t.Errorf("%q: %s not caught", tc.text, w)
			}
		}
	}
}

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// report --each unit writes one report per unit that has party groups, each scoped to its
// unit (its title names the unit), with Word documents, and an index page linking them all.
func TestReportEachUnit(t *testing.T) {
	db := ingestedTiny(t)
	ctx := context.Background()
	// Give half the groups a branch of a second unit, so there are two units to report on.
	w, err := warehouse.Open(ctx, db, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO units SELECT 'DW9999', '第二工区', kind, company, _batch_id, _source_row FROM units LIMIT 1`,
		`INSERT INTO branches SELECT 'ZB9999', '第二支部', 'DW9999', committee_size, _batch_id, _source_row FROM branches LIMIT 1`,
		`UPDATE party_groups SET branch_id = 'ZB9999' WHERE group_id IN (SELECT group_id FROM party_groups ORDER BY group_id LIMIT (SELECT count(*) // 2 FROM party_groups))`,
	} {
		if _, err := w.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"--db", db, "report", "annual", "--each", "unit", "--docx", "--out", out}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	index, err := os.ReadFile(filepath.Join(out, "annual-units.html"))
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`href="(units/[^"]+)"`).FindAllStringSubmatch(string(index), -1)
	want := map[string]bool{}
	for _, l := range links {
		want[l[1]] = true
		if _, err := os.Stat(filepath.Join(out, l[1])); err != nil {
			t.Errorf("index links %s: %v", l[1], err)
		}
	}
	for _, u := range []struct{ code, name string }{{"DW0001", "线路工区"}, {"DW9999", "第二工区"}} {
		html := "units/annual-" + u.code + ".html"
		if !want[html] || !want["units/annual-"+u.code+".docx"] {
			t.Errorf("index lacks %s's page or document: %v\n%s", u.code, links, stderr.String())
			continue
		}
		page, _ := os.ReadFile(filepath.Join(out, html))
		title := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(string(page))
		if title == nil || !strings.Contains(title[1], u.name) {
			t.Errorf("%s: title %v does not name the unit %s", html, title, u.name)
		}
		if !strings.Contains(string(index), u.name) {
			t.Errorf("index does not name %s", u.name)
		}
	}
}

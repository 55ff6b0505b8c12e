package ingest_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

// Half years as offices write them, through the same SQL that types an assessment file.
func TestHalfYearsAsOfficesWriteThem(t *testing.T) {
	w := warehousetest.New(t)
	n, err := ingest.NewNormalizer(context.Background(), w.DB())
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	for _, tc := range []struct{ in, want string }{
		{"2024H1", "2024H1"}, {"2024h2", "2024H2"}, {"2024-H1", "2024H1"}, {"2024 H2", "2024H2"},
		{"2024年上半年", "2024H1"}, {"2024上半年", "2024H1"}, {"2024年度下半年", "2024H2"}, {"２０２４年上半年", "2024H1"},
		{"2024年1-6月", "2024H1"}, {"2024年1月-6月", "2024H1"}, {"2024年7-12月", "2024H2"}, {"2024.1-2024.6", "2024H1"},
		{"2024年7月至12月", "2024H2"}, {"2024年01月—06月", "2024H1"},
		// Not a half: refused, never guessed.
		{"上半年", ""}, {"2024年1-5月", ""}, {"2024.1-2025.6", ""}, {"2024年第三季度", ""}, {"2024H3", ""}, {"24年上半年", ""}, {"2024年", ""},
	} {
		got, err := n.Half(context.Background(), tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%q read as %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzHalf runs any text through the half-year reader: it never fails, and what it returns is
// the stored form 2024H1 with the year written in the input.
func FuzzHalf(f *testing.F) {
	for _, s := range []string{"2024年上半年", "2024上半年", "2024年1-6月", "2024.7-2024.12", "2024-H2", "", "年上半年", "9999年7至12月"} {
		f.Add(s)
	}
	w := warehousetest.New(f)
	n, err := ingest.NewNormalizer(context.Background(), w.DB())
	if err != nil {
		f.Fatal(err)
	}
	defer n.Close()
	stored := regexp.MustCompile(datasets.HalfPattern)
	f.Fuzz(func(t *testing.T, raw string) {
		if !utf8.ValidString(raw) || strings.ContainsRune(raw, 0) {
			return
		}
		got, err := n.Half(context.Background(), raw)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if got != "" && (!stored.MatchString(got) || !strings.Contains(strings.ReplaceAll(raw, " ", ""), got[:4]) && !strings.ContainsRune(raw, '０')) {
			t.Fatalf("%q read as %q", raw, got)
		}
	})
}

// Units written in headers, and what they convert to for a column's own unit.
func TestHeaderUnits(t *testing.T) {
	for _, tc := range []struct {
		dataset, header, col string
		factor               float64 // 0: not converted
		bad                  bool    // a unit of another kind: the file is refused
	}{
		{"safety_events", "停电时长（小时）", "outage_min", 60, false},
		{"safety_events", "停电时长(h)", "outage_min", 60, false},
		{"safety_events", "停电时长/小时", "outage_min", 60, false},
		{"safety_events", "停电时长小时", "outage_min", 60, false},
		{"safety_events", "停电时长（分钟）", "outage_min", 0, false},
		{"safety_events", "停电时长（分）", "outage_min", 0, false},
		{"safety_events", "停电时长（秒）", "outage_min", 1.0 / 60, false},
		{"patrols", "巡视里程（米）", "km", 0.001, false},
		{"patrols", "巡视里程(公里)", "km", 0, false},
		{"patrols", "巡视里程（小时）", "km", 0, true},
		{"meetings", "时长（小时）", "duration_min", 60, false},
		{"trainings", "学时（分钟）", "hours", 1.0 / 60, false},
		{"assessments", "得分（分）", "score", 0, false},
		{"patrols", "发现缺陷数（个）", "defects_found", 0, false},
		{"people", "是否党员（是/否）", "is_member", 0, false},
	} {
		m, err := ingest.Recognize([]string{tc.header}, "x.csv", tc.dataset)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := m.Source[tc.col]; !ok {
			t.Errorf("%s: %q maps to %v, want %s", tc.dataset, tc.header, m.Source, tc.col)
			continue
		}
		conv, ok := m.Units[tc.col]
		switch {
		case tc.bad:
			if m.BadUnit == nil {
				t.Errorf("%q: not refused", tc.header)
			}
		case tc.factor == 0 && ok:
			t.Errorf("%q converted by %v", tc.header, conv.Factor)
		case tc.factor != 0 && (!ok || fmt.Sprintf("%.9f", conv.Factor) != fmt.Sprintf("%.9f", tc.factor)):
			t.Errorf("%q: conversion %+v, want ×%v", tc.header, conv, tc.factor)
		}
	}
}

// FuzzHeaderUnit: reading the unit of any header never panics, and a conversion it finds has a
// positive factor.
func FuzzHeaderUnit(f *testing.F) {
	for _, s := range []string{"停电时长（小时）", "里程(km)", "时长/分钟", "（）", "/", "停电时长小时", "得分（分）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		_ = ingest.HeaderUnit(h)
		for _, ds := range []string{"safety_events", "patrols", "meetings", "trainings"} {
			m, err := ingest.Recognize([]string{h, h + "（小时）", "停电时长" + h}, "x.csv", ds)
			if err != nil {
				t.Fatal(err)
			}
			for col, c := range m.Units {
				if !(c.Factor > 0) {
					t.Fatalf("%q: %s converted by %v", h, col, c.Factor)
				}
			}
		}
	})
}

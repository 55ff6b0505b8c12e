package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChartWritesOnePage(t *testing.T) {
	db := initDB(t)
	out := filepath.Join(t.TempDir(), "c", "chart.html")
	q := "select '班组' || (range % 3) as team, 'm' || (range // 3) as month, range * $k as n from range(9)"
	r := mingdeng(t, "chart", "--db", db, "--sql", q, "--param", "k=2", "--type", "line", "--x", "month", "--y", "n", "--series", "team",
		"--title", "<b>每月</b>", "--out", out)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{`id="chart"`, "&lt;b&gt;每月&lt;/b&gt;", "共 9 行查询结果", "班组2", "--param k=2", "显示数据"} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(s, "<b>每月") {
		t.Error("the title went into the page unescaped")
	}
}

func TestChartNamesMissingColumn(t *testing.T) {
	db := initDB(t)
	out := filepath.Join(t.TempDir(), "chart.html")
	r := mingdeng(t, "chart", "--db", db, "--sql", "select 1 as a, 2 as b", "--x", "a", "--y", "c", "--out", out)
	if r.code != 2 || !strings.Contains(r.stderr, `y 列 "c" 不在查询结果中（结果的列：a, b）`) {
		t.Fatalf("%+v", r)
	}
	r = mingdeng(t, "chart", "--db", db, "--lang", "en", "--sql", "select 1 as a, 2 as b", "--x", "z", "--y", "b", "--out", out)
	if r.code != 2 || !strings.Contains(r.stderr, `x column "z" is not in the result (its columns: a, b)`) {
		t.Fatalf("%+v", r)
	}
	r = mingdeng(t, "chart", "--db", db, "--sql", "select 1 as a; select 2 as b", "--x", "a", "--y", "a", "--out", out)
	if r.code != 2 || !strings.Contains(r.stderr, "一次只能执行一条语句") {
		t.Fatalf("%+v", r)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed chart left a file")
	}
}

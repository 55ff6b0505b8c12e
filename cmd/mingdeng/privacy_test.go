package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mingdeng/mingdeng/datasets"
)

// personal is the raw personal values of the generated source files.
type personal struct {
	names, ids, phones map[string]bool
}

// readPeople collects every name, ID number and phone number of the generated roster.
func readPeople(t *testing.T, path string) personal {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	p := personal{map[string]bool{}, map[string]bool{}, map[string]bool{}}
	col := map[string]int{}
	for _, row := range rows {
		if len(col) == 0 {
			for i, h := range row {
				col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
			}
			if _, ok := col["姓名"]; !ok {
				col = map[string]int{}
			}
			continue
		}
		get := func(h string) string {
			if i, ok := col[h]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		if v := get("姓名"); utf8.RuneCountInString(v) >= 2 {
			p.names[v] = true
		}
		for _, v := range []string{get("身份证号"), get("手机号")} {
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' || r == 'X' || r == 'x' {
					return r
				}
				return -1
			}, v)
			switch {
			case len(digits) == 18:
				p.ids[digits] = true
			case len(digits) == 11:
				p.phones[digits] = true
			}
		}
	}
	if len(p.names) < 20 || len(p.ids) < 20 || len(p.phones) < 20 {
		t.Fatalf("the roster has too few personal values: %d names, %d IDs, %d phones", len(p.names), len(p.ids), len(p.phones))
	}
	return p
}

var digitRun = regexp.MustCompile(`[0-9Xx][0-9Xx \-]{9,}[0-9Xx]`)

// leaks lists the personal values found in b: names as they are, ID and phone numbers also
// when written with spaces or dashes.
func (p personal) leaks(b []byte) []string {
	var out []string
	for n := range p.names {
		if bytes.Contains(b, []byte(n)) {
			out = append(out, n)
		}
	}
	for _, run := range digitRun.FindAll(b, -1) {
		d := strings.NewReplacer(" ", "", "-", "").Replace(string(run))
		for v := range p.ids {
			if strings.Contains(d, v) {
				out = append(out, v)
			}
		}
		for v := range p.phones {
			if strings.Contains(d, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// unzipText is the text of every part of an XLSX file.
func unzipText(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not an xlsx: %v", err)
	}
	var out bytes.Buffer
	for _, f := range zr.File {
		r, _ := f.Open()
		io.Copy(&out, r)
		r.Close()
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// TestNoPersonalValueLeaves ingests the generated messy sample (names with 4-byte characters,
// 18-digit ID numbers, phone numbers) and searches for every raw name, ID number and phone
// number of the source files in the warehouse (every table, as SQL text, and the raw bytes of
// the file), in every report (HTML, Markdown, XLSX), in every export (rejects as CSV and XLSX,
// sql --out, query and analyze output, serve's /api/export) and in the output of every
// command run. It also checks that pseudonyms are keyed and stable: the same roster as CSV
// and as XLSX gives the same pseudonyms, another key gives others.
func TestNoPersonalValueLeaves(t *testing.T) {
	t.Setenv("MINGDENG_KEY", "privacy-test-key-0123456789abcdef")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	var logs bytes.Buffer
	run := func(args ...string) result {
		t.Helper()
		r := mingdeng(t, args...)
		logs.WriteString(r.stdout + "\n" + r.stderr + "\n")
		if r.code != 0 && r.code != 1 {
			t.Fatalf("%v: %+v", args, r)
		}
		return r
	}
	run("gen", "--out", src, "--messy", "--seed", "11")
	p := readPeople(t, filepath.Join(src, "人员花名册.csv"))
	rare := false
	for n := range p.names {
		for _, r := range n {
			rare = rare || r > 0xFFFF
		}
	}
	if !rare {
		t.Fatal("no generated name has a 4-byte character")
	}
	// The search itself works: it finds every value in the source file.
	roster, _ := os.ReadFile(filepath.Join(src, "人员花名册.csv"))
	if n, want := len(p.leaks(roster)), len(p.names)+len(p.ids)+len(p.phones); n < want {
		t.Fatalf("the search finds %d of the %d values in the roster itself", n, want)
	}
	db := filepath.Join(dir, "w.duckdb")
	run("init", "--db", db)
	run("ingest", "--db", db, src)
	run("ingest", "--db", db, "--format", "json", src)
	run("status", "--db", db)
	run("rejects", "--db", db)
	run("rejects", "--db", db, "--format", "json")
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	run("rejects", "--db", db, "--format", "xlsx", "--out", filepath.Join(out, "rejects.xlsx"))
	run("rejects", "--db", db, "--format", "csv", "--out", filepath.Join(out, "rejects.csv"))
	run("sql", "--db", db, "--out", filepath.Join(out, "people.csv"), "select * from people")
	run("sql", "--db", db, "--out", filepath.Join(out, "people.xlsx"), "select * from people")
	run("sql", "--db", db, "--format", "json", "select * from _rejects")
	run("query", "--db", db, "group_surveys", "--format", "json")
	run("query", "--db", db, "panel", "--format", "csv")
	run("analyze", "--db", db, "--format", "json")
	run("analyze", "--db", db, "--concentration", "--format", "json")
	for _, kind := range []string{"evaluation", "annual", "group"} {
		args := []string{"report", kind, "--db", db, "--out", filepath.Join(out, kind)}
		if kind == "group" {
			args = append(args, "--group", "XZ00001")
		}
		run(args...)
	}

	// Serve: the workbench's export of the widest allowed query of each dataset.
	a := &app{stdin: strings.NewReader(""), stdout: &logs, stderr: &logs, dbPath: db, lang: datasets.Zh}
	srv, link, err := a.startServer(context.Background(), "127.0.0.1:0", nil, 20*time.Second, 100000)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	base := "http://" + u.Host
	for _, c := range datasets.All() {
		for _, format := range []string{"csv", "xlsx"} {
			r := post(t, base, "/api/export?format="+format, "select * from "+c.Name, nil)
			body := r.raw
			if format == "xlsx" && r.status == 200 {
				body = unzipText(t, body)
			}
			if l := p.leaks(body); len(l) > 0 {
				t.Errorf("serve export of %s as %s shows %d personal values, e.g. %q", c.Name, format, len(l), l[0])
			}
		}
	}
	srv.Shutdown(context.Background())

	// Every output file.
	files := 0
	filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if strings.HasSuffix(path, ".xlsx") {
			b = unzipText(t, b)
		}
		files++
		if l := p.leaks(b); len(l) > 0 {
			t.Errorf("%s shows %d personal values, e.g. %q", path, len(l), l[0])
		}
		return nil
	})
	if files < 7 {
		t.Errorf("only %d output files were written", files)
	}
	if l := p.leaks(logs.Bytes()); len(l) > 0 {
		t.Errorf("the commands' output shows %d personal values, e.g. %q", len(l), l[0])
	}

	// Every table as text, then the raw bytes of the closed file.
	r := run("sql", "--db", db, "--format", "csv", "select table_name from duckdb_tables() where schema_name = 'main' order by 1")
	tables := strings.Fields(r.stdout)[1:]
	var dump bytes.Buffer
	for _, tb := range tables {
		r := mingdeng(t, "sql", "--db", db, "--format", "csv", fmt.Sprintf("select cast(t as varchar) from %q t", tb))
		if r.code != 0 {
			t.Fatalf("%s: %+v", tb, r)
		}
		dump.WriteString(r.stdout)
	}
	if dump.Len() < 100000 {
		t.Fatalf("the warehouse dump is only %d bytes", dump.Len())
	}
	if l := p.leaks(dump.Bytes()); len(l) > 0 {
		t.Errorf("the warehouse tables hold %d personal values, e.g. %q", len(l), l[0])
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if l := p.leaks(raw); len(l) > 0 {
		t.Errorf("the bytes of the warehouse file hold %d personal values, e.g. %q", len(l), l[0])
	}
	t.Logf("searched %d names, %d ID numbers, %d phone numbers in %d tables (%d KiB as text), the %d KiB warehouse file, %d output files and %d KiB of command output",
		len(p.names), len(p.ids), len(p.phones), len(tables), dump.Len()>>10, len(raw)>>10, files, logs.Len()>>10)

	// Pseudonyms: the roster as XLSX into a second warehouse gives the same people table;
	// another key gives none of the same pseudonyms.
	peopleDigest := func(db string) string {
		r := mingdeng(t, "sql", "--db", db, "--format", "csv", "select string_agg(person_id || name || coalesce(id_number, '') || coalesce(phone, ''), ',' order by person_id) from people")
		return r.stdout
	}
	xsrc := filepath.Join(dir, "xsrc")
	run("gen", "--out", xsrc, "--messy", "--seed", "11", "--format", "xlsx")
	db2 := filepath.Join(dir, "w2.duckdb")
	run("init", "--db", db2)
	run("ingest", "--db", db2, xsrc)
	if a, b := peopleDigest(db), peopleDigest(db2); a != b || len(a) < 1000 {
		t.Errorf("the same roster as CSV and as XLSX gave different pseudonyms (%d and %d bytes)", len(a), len(b))
	}
	t.Setenv("MINGDENG_KEY", "another-key-0123456789abcdef0123")
	db3 := filepath.Join(dir, "w3.duckdb")
	run("init", "--db", db3)
	run("ingest", "--db", db3, filepath.Join(src, "人员花名册.csv"))
	same := mingdeng(t, "sql", "--db", db3, "--format", "csv", fmt.Sprintf("select count(*) from people where name in (select name from read_csv(%s, all_varchar=true))", "'"+filepath.Join(out, "people.csv")+"'"))
	if lines := strings.Fields(same.stdout); len(lines) != 2 || lines[1] != "0" {
		t.Errorf("another key gave some of the same name pseudonyms: %+v", same)
	}
}

// TestSurveyCellsSuppressedOnEveryPath: on the generated sample, every group, half and
// audience that group_surveys suppresses (fewer than 5 respondents, or the complement that
// would give one away by subtraction) has no satisfaction in the panel that query panel,
// analyze and the reports' scatter plots read; serve cannot read the responses at all.
func TestSurveyCellsSuppressedOnEveryPath(t *testing.T) {
	db := ingestedTiny(t)
	decode := func(args ...string) []map[string]any {
		t.Helper()
		r := mingdeng(t, args...)
		var rows []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || r.code != 0 {
			t.Fatalf("%v: %v %+v", args, err, r)
		}
		return rows
	}
	suppressed := map[string]string{}
	for _, c := range decode("query", "--db", db, "group_surveys", "--format", "json") {
		if c["dimension"] == nil && c["suppressed"] != nil {
			if c["score"] != nil || c["respondents"] != nil {
				t.Errorf("suppressed cell shows its score or size: %v", c)
			}
			suppressed[fmt.Sprint(c["group_id"], "/", c["period"], "/", c["audience"])] = c["suppressed"].(string)
		}
	}
	kinds := map[string]int{}
	for _, k := range suppressed {
		kinds[k]++
	}
	if kinds["fewer_than_5"] == 0 || kinds["complementary"] == 0 {
		t.Fatalf("the sample has no suppressed survey cells to check: %v", kinds)
	}
	checked := 0
	for _, row := range decode("query", "--db", db, "panel", "--format", "json") {
		for _, audience := range []string{"employee", "customer"} {
			key := fmt.Sprint(row["group_id"], "/", row["period"], "/", audience)
			if why, ok := suppressed[key]; ok {
				checked++
				if v := row[audience+"_satisfaction"]; v != nil {
					t.Errorf("panel shows %s = %v, suppressed in group_surveys (%s)", key, v, why)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no suppressed cell met in the panel")
	}
	base, _ := serveDB(t, db)
	for _, q := range []string{"select team_id, avg(score) from survey_responses group by 1", "select * from survey_responses"} {
		if r := post(t, base, "/api/query", q, nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("serve ran %q: %d", q, r.status)
		}
	}
	t.Logf("%d suppressed cells (%v), %d panel rows checked", len(suppressed), kinds, checked)
}

// serveDB serves an existing warehouse on a free loopback port.
func serveDB(t *testing.T, db string) (string, *app) {
	t.Helper()
	var out bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &out, dbPath: db, lang: datasets.Zh}
	srv, link, err := a.startServer(context.Background(), "127.0.0.1:0", nil, 20*time.Second, 1000)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	u, _ := url.Parse(link)
	return "http://" + u.Host, a
}

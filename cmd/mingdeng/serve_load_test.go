package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
)

// servedWithout generates the tiny data set, loads all of it but the files named, and serves
// the warehouse; it returns the server's address, the warehouse and the generated folder
// (which still holds the files left out).
func servedWithout(t *testing.T, leaveOut ...string) (base, db, src string) {
	t.Helper()
	db, src = loadedWithout(t, leaveOut...)
	base, _ = serveDB(t, db)
	return base, db, src
}

// loadedWithout generates the tiny data set and loads all of it but the files named.
func loadedWithout(t *testing.T, leaveOut ...string) (db, src string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	src = filepath.Join(dir, "src")
	if _, err := synth.Generate(ctx, synth.Options{Scale: synth.ScaleTiny, Seed: 7, Format: synth.FormatCSV, Out: src}, nil); err != nil {
		t.Fatal(err)
	}
	var paths []string
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		keep := e.Name() != "manifest.json"
		for _, l := range leaveOut {
			keep = keep && e.Name() != l
		}
		if keep {
			paths = append(paths, filepath.Join(src, e.Name()))
		}
	}
	db = filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(ctx, db, warehouse.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Ingest(ctx, w, paths, ingest.Options{Key: []byte("a-test-key-of-enough-length")}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return db, src
}

type uploadReply struct {
	status int
	Error  string                  `json:"error"`
	Reason string                  `json:"reason"`
	Cols   []struct{ Name string } `json:"columns"`
	Rows   [][]any                 `json:"rows"`
	Notes  []string                `json:"notes"`
	Errors []string                `json:"errors"`
	Rej    int64                   `json:"rejected"`
	Batch  []int64                 `json:"batches"`
}

// cell is the value of the named column in row i of the upload's table.
func (u uploadReply) cell(t *testing.T, i int, col string) any {
	t.Helper()
	for j, c := range u.Cols {
		if c.Name == col {
			return u.Rows[i][j]
		}
	}
	t.Fatalf("no column %q in %+v", col, u.Cols)
	return nil
}

// uploadFiles posts the files as the page does (multipart, the upload header); mutate may
// change the request.
func uploadFiles(t *testing.T, base string, files map[string][]byte, mutate func(*http.Request)) uploadReply {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, data := range files {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Mingdeng-Upload", "1")
	if mutate != nil {
		mutate(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := uploadReply{status: resp.StatusCode}
	if err := json.Unmarshal(raw, &r); err != nil {
		r.Error = string(raw) // the guard's refusals are plain text
	}
	return r
}

func countRows(t *testing.T, base, q string) float64 {
	t.Helper()
	r := post(t, base, "/api/query", q, nil)
	if r.status != 200 {
		t.Fatalf("%s: %d %s", q, r.status, r.raw)
	}
	return r.body["rows"].([]any)[0].([]any)[0].(float64)
}

// TestServeLoadsUploadedFiles: a year of meetings left out of the warehouse is uploaded
// through the page's endpoint with one bad date; the page's table says what the CLI says, the
// bad row comes back in the fix-and-reimport workbook, the corrected file uploaded again adds
// just that row, and a CLI reader works beside serve while a CLI ingest is told to use the page.
func TestServeLoadsUploadedFiles(t *testing.T) {
	const name = "2024年党小组会议记录.csv"
	base, db, src := servedWithout(t, name)
	good, err := os.ReadFile(filepath.Join(src, name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(good), "\n"), "\n")
	total := len(lines) - 1
	// Branch meetings of 2024 are in (another file); the party-group meetings are not.
	before := countRows(t, base, "select count(*) from meetings where year(held_on) = 2024")
	gapsBefore := coverageGaps(t, base)
	var meetingsGap string
	for _, g := range gapsBefore {
		if strings.Contains(g, "2024年1月～2024年12月") {
			meetingsGap = g
		}
	}
	if meetingsGap == "" {
		t.Fatalf("the coverage view does not show 2024 missing: %q", gapsBefore)
	}
	// Row 3 of the file (the second record) gets a date that does not exist.
	fields := strings.Split(lines[2], ",")
	badDate := fields[4]
	fields[4] = "2024-13-45"
	bad := strings.Join(append(append([]string{}, lines[:2]...), append([]string{strings.Join(fields, ",")}, lines[3:]...)...), "\n") + "\n"

	// Refused without the page's header (another site's form cannot set it) and cross-origin.
	if r := uploadFiles(t, base, map[string][]byte{name: []byte(bad)}, func(r *http.Request) { r.Header.Del("X-Mingdeng-Upload") }); r.status != http.StatusForbidden {
		t.Fatalf("upload without the header: %+v", r)
	}
	if r := uploadFiles(t, base, map[string][]byte{name: []byte(bad)}, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }); r.status != http.StatusForbidden {
		t.Fatalf("cross-origin upload: %+v", r)
	}

	r := uploadFiles(t, base, map[string][]byte{name: []byte(bad)}, nil)
	if r.status != 200 || len(r.Rows) != 1 {
		t.Fatalf("upload: %+v", r)
	}
	if got := r.cell(t, 0, "文件"); !strings.HasSuffix(got.(string), "/"+name) || strings.Contains(got.(string), os.TempDir()) {
		t.Errorf("the file is shown as %q: want its name under the upload folder", got)
	}
	if r.cell(t, 0, "状态") != "已导入" || r.cell(t, 0, "新增").(float64) != float64(total-1) || r.cell(t, 0, "拒绝").(float64) != 1 || r.Rej != 1 || len(r.Batch) != 1 {
		t.Fatalf("upload with one bad date: %+v", r)
	}
	if n := countRows(t, base, "select count(*) from meetings where year(held_on) = 2024"); n != before+float64(total-1) {
		t.Errorf("2024 meetings after the upload: %v, want %d", n, total-1)
	}
	// The metric views are back on the reopened warehouse and hold the loaded meetings.
	viewed := countRows(t, base, "select coalesce(sum(meetings_held), 0) from metric_group_activity where period like '2024-%'")
	if held := countRows(t, base, "select count(*) from meetings where kind = 'group_meeting' and group_id is not null and year(held_on) = 2024"); viewed != held || held == 0 {
		t.Errorf("metric_group_activity counts %v group meetings in 2024 after the upload, the table %v", viewed, held)
	}
	// The file is kept beside the warehouse, where ingest recorded it.
	kept, _ := filepath.Glob(filepath.Join(filepath.Dir(db), uploadFolder, "*", name))
	if len(kept) != 1 {
		t.Errorf("uploaded file kept as %v", kept)
	}

	// The rejects workbook of that batch holds the bad value and the reason.
	resp, err := http.Get(base + "/api/rejects?batch=" + itoa(r.Batch[0]))
	if err != nil {
		t.Fatal(err)
	}
	xl, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("rejects: %d %v %.200s", resp.StatusCode, resp.Header, xl)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xl))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	found := false
	for _, row := range rows {
		if strings.Contains(strings.Join(row, "|"), "2024-13-45") {
			found = true
		}
	}
	if !found || len(rows) < 2 {
		t.Errorf("the rejects workbook does not hold the bad row: %v", rows)
	}

	// A CLI reader works beside serve; a CLI ingest is told to use the page.
	cmd := child(t, "rejects", "--db", db, "--format", "csv")
	out, err := cmd.Output()
	if err != nil || !strings.Contains(string(out), "2024-13-45") {
		t.Errorf("mingdeng rejects beside serve: %v\n%s", err, out)
	}
	cmd = child(t, "sql", "--db", db, "--format", "csv", "select count(*) as n from units")
	var sqlErr bytes.Buffer
	cmd.Stderr = &sqlErr
	out, err = cmd.Output()
	if err != nil || !strings.HasPrefix(string(out), "n\n") || !strings.Contains(sqlErr.String(), "已以只读方式打开") {
		t.Errorf("mingdeng sql beside serve: %v\n%s%s", err, out, sqlErr.String())
	}
	cmd = child(t, "ingest", "--db", db, filepath.Join(src, name))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || !strings.Contains(stderr.String(), "请在网页中导入文件") {
		t.Errorf("mingdeng ingest beside serve: %v\n%s", err, stderr.String())
	}

	// The corrected file uploaded again adds the one row; nothing else changes.
	r = uploadFiles(t, base, map[string][]byte{name: good}, nil)
	if r.status != 200 || r.cell(t, 0, "新增").(float64) != 1 || r.cell(t, 0, "拒绝").(float64) != 0 || r.Rej != 0 {
		t.Fatalf("corrected upload: %+v", r)
	}
	// The same file once more is skipped, and the page says what the page can do (the CLI's
	// "加 --force" is not a thing the page has).
	r = uploadFiles(t, base, map[string][]byte{name: good}, nil)
	if notes := strings.Join(r.Notes, "\n"); r.status != 200 || strings.Contains(notes, "--force") || !strings.Contains(notes, "其中的数据已在数据仓库中，未重新读取；文件改动后再上传即可读取新内容") {
		t.Errorf("identical re-upload: %+v", r)
	}
	if n := countRows(t, base, "select count(*) from meetings where year(held_on) = 2024"); n != before+float64(total) {
		t.Errorf("2024 meetings after the corrected upload: %v, want %d", n, total)
	}
	if n := countRows(t, base, "select count(*) from meetings where held_on = DATE '"+badDate+"'"); n < 1 {
		t.Errorf("the corrected row (held on %s) is not there", badDate)
	}
	for _, g := range coverageGaps(t, base) {
		if g == meetingsGap {
			t.Errorf("after the upload the coverage view still shows %q", g)
		}
	}
}

// coverageGaps is what the coverage view lists as missing.
func coverageGaps(t *testing.T, base string) []string {
	t.Helper()
	resp, err := http.Get(base + "/api/coverage")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Title   string   `json:"title"`
		Gaps    []string `json:"gaps"`
		Missing string   `json:"missing"`
		Rows    [][]any  `json:"rows"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 || !strings.HasPrefix(v.Title, "数据完整性：全部单位，") || len(v.Rows) == 0 {
		t.Fatalf("coverage: %d %v %+v", resp.StatusCode, err, v)
	}
	return v.Gaps
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestServeReportsByNameAndDownloads: the report forms list units and party groups by name;
// a unit chosen there gives its report, downloadable in the CLI's formats, and a group chosen
// there gives its drill-down.
func TestServeReportsByNameAndDownloads(t *testing.T) {
	base, _, _ := servedWithout(t)
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	_, page := get("/")
	unit := regexp.MustCompile(`<select name="unit">\s*<option value="">全部单位</option>\s*<option value="([^"]+)">([^<]+)</option>`).FindSubmatch(page)
	group := regexp.MustCompile(`<select name="group" required>\s*<optgroup label="[^"]+"><option value="([^"]+)">([^<]+)</option>`).FindSubmatch(page)
	if unit == nil || group == nil {
		t.Fatalf("no unit or group picker on the page:\n%s", page)
	}
	code, name := string(unit[1]), string(unit[2])
	resp, body := get("/reports/evaluation?unit=" + url.QueryEscape(code))
	if resp.StatusCode != 200 || !strings.Contains(string(body), name) {
		t.Fatalf("evaluation for %s: %d %.300s", name, resp.StatusCode, body)
	}
	for _, c := range []struct{ format, magic, disposition string }{
		{"md", "# ", ".md"}, {"xlsx", "PK", ".xlsx"}, {"docx", "PK", ".docx"}, {"html", "<!doctype html", ".html"},
	} {
		resp, body := get("/reports/evaluation/download?format=" + c.format + "&unit=" + url.QueryEscape(code))
		if resp.StatusCode != 200 || !strings.HasPrefix(strings.ToLower(string(body)), strings.ToLower(c.magic)) ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), c.disposition) {
			t.Errorf("%s: %d %v %.200s", c.format, resp.StatusCode, resp.Header, body)
		}
		if c.format == "md" && !strings.Contains(string(body), name) {
			t.Errorf("the Markdown does not name the unit %s", name)
		}
		if c.format == "xlsx" {
			if _, err := excelize.OpenReader(bytes.NewReader(body)); err != nil {
				t.Errorf("xlsx: %v", err)
			}
		}
	}
	resp, body = get("/reports/group?group=" + url.QueryEscape(string(group[1])))
	if resp.StatusCode != 200 || !strings.Contains(string(body), string(group[2])) {
		t.Fatalf("group drill-down for %s: %d %.300s", group[2], resp.StatusCode, body)
	}
	// The language switch: the same page and pickers in English.
	_, en := get("/?lang=en")
	for _, want := range []string{"Load files", "Data completeness", "all units", "party group", ">Word<", `<option value="` + code + `">` + name + `</option>`} {
		if !strings.Contains(string(en), want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
	if resp, _ := get("/reports/evaluation/download?format=exe"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("format exe: %d", resp.StatusCode)
	}
}

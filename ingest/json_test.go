package ingest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

// messyPatrolHeader and messyPatrolRows are a patrol table with every kind of row a typed pass
// treats differently: good rows, full-width digits and codes, a 万 and a percent, a name to
// resolve, an ambiguous and an unknown team, bad and missing values, an exact and a differing
// duplicate, an empty row, a 合计 row, an ideographic space in free text. No cell holds a
// line break, so the CSV is read in one pass as well.
var messyPatrolHeader = []string{"巡视编号", "班组", "线路名称", "电压等级", "巡视日期", "巡视类型", "巡视里程(km)", "计划内", "发现缺陷数"}

var messyPatrolRows = [][]string{
	{"P1", "T01", "龙潭线", "220千伏", "2024-03-05", "正常巡视", "12.5", "是", ""},
	{"P2", "运行一班", "龙潭线", "220kV", "2024/3/5", "特殊巡视", "1,000", "否", "1"},
	{"P3", "检修一班", "东湖二线", "110kV", "20240305", "routine", "８.５", "Y", "２"},
	{"P4", "T02", "东湖线", "110kV", "45356", "夜间巡视", "-3", "是", "0"},
	{"P5", "T09", "东湖线", "110kV", "2024年3月5日", "夜间巡视", "3", "是", "0"},
	{"P6", "T02", "东湖线", "110kV", "2024-02-30", "夜间巡视", "3", "是", "0"},
	{"P7", "T02", "东湖线", "110kV", "2024-03-01", "", "3", "是", "0"},
	{"P1", "T01", "龙潭线", "220千伏", "2024-03-05", "正常巡视", "12.5", "是", ""},
	{"P8", "T02", " 东湖线 ", "10kV", "2024-03-05 08:30", "灾后巡视", "1.2万", "是", "0"},
	{"P9", "Ｔ０２", "东湖线", "10kV", "2024-03-05", "灾后巡视", "50%", "是", "0"},
	{"P1", "T02", "龙潭线", "220千伏", "2024-03-05", "正常巡视", "12.5", "是", "0"},
	{"", "", "", "", "", "", "", "", ""},
	{"合计", "", "", "", "", "", "", "", ""},
	{"P10", "T02", "东湖\u3000线", "10kV", "2024-03-05", "灾后巡视", "1", "是", "0"},
}

// messyPatrolCSV writes the rows as CSV, with a blank line after each row n of blanks.
func messyPatrolCSV(blanks map[int]bool) string {
	var b strings.Builder
	b.WriteString(strings.Join(messyPatrolHeader, ",") + "\n")
	for n, r := range messyPatrolRows {
		for i, v := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(v, ",") {
				v = `"` + v + `"`
			}
			b.WriteString(v)
		}
		b.WriteByte('\n')
		if blanks[n] {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// jsonObject writes one row as a JSON object in header order; value gives each cell's JSON
// text, or "" to leave the key out.
func jsonObject(row []string, value func(i int, v string) string) string {
	var parts []string
	for i, v := range row {
		if j := value(i, v); j != "" {
			k, _ := json.Marshal(messyPatrolHeader[i])
			parts = append(parts, string(k)+":"+j)
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func asString(_ int, v string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// asTyped writes what a JSON exporter would: plain numbers as numbers, empty cells as null
// (the first object leaves them out), every non-ASCII character of a code as a \u escape, a
// free-text space as one too.
func asTyped(first bool) func(i int, v string) string {
	return func(i int, v string) string {
		switch {
		case v == "" && first:
			return ""
		case v == "":
			return "null"
		case (i == 6 || i == 8) && strings.Trim(v, "-.0123456789") == "" && !strings.HasPrefix(v, "-."):
			return v
		case i == 1 || i == 2:
			var b strings.Builder
			b.WriteByte('"')
			for _, r := range v {
				if r < 0x80 {
					b.WriteRune(r)
				} else {
					fmt.Fprintf(&b, `\u%04x`, r)
				}
			}
			b.WriteByte('"')
			return b.String()
		}
		return asString(i, v)
	}
}

func messyPatrolNDJSON(blanks map[int]bool, value func(first bool) func(i int, v string) string) string {
	var b strings.Builder
	for n, r := range messyPatrolRows {
		b.WriteString(jsonObject(r, value(n == 0)) + "\n")
		if blanks[n] {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// loadedView is what a user sees of one file's load: the counts, the stored rows with the row
// each came from, and the rejects, rows numbered from 0 at the first record (whose row is
// firstLine), reasons without their texts (which quote row numbers).
func loadedView(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult, firstLine int) string {
	t.Helper()
	if f.Status != ingest.StatusLoaded {
		t.Fatalf("%s: %s %s", f.Path, f.Status, f.Message)
	}
	rows := query(t, w.DB(), `SELECT patrol_id, team_id, line_name, voltage, patrolled_on, kind, km, planned, completed, defects_found, crew, _source_row - ?
		FROM patrols WHERE _batch_id = ? ORDER BY patrol_id`, firstLine, f.BatchID)
	// An empty CSV cell is read as no value, an empty JSON string as an empty text: a reject
	// shows either as empty.
	rej := query(t, w.DB(), `SELECT source_row - ?, column_name, nullif(raw_value, ''), reason_code, replace(CAST(row_data AS VARCHAR), ':""', ':null')
		FROM _rejects WHERE batch_id = ? ORDER BY source_row`, firstLine, f.BatchID)
	return fmt.Sprintf("read %d loaded %d rejected %d dups %d blank %d skipped %d\nrows %q\nrejects %q",
		f.RowsRead, f.Loaded, f.Rejected, f.Duplicates, f.Blank, f.Skipped, rows, rej)
}

// An NDJSON file gives the table and rejects the CSV of the same rows gives, whichever way it
// is read: straight into the typed pass (flat objects, with string or number values, escapes,
// a key the first object lacks, CRLF line ends, a byte-order mark) or staged as text first (a
// JSON array).
func TestNDJSONGivesWhatCSVGives(t *testing.T) {
	blanks := map[int]bool{2: true, 8: true}
	strs := func(bool) func(int, string) string { return asString }
	var objs []string
	for _, r := range messyPatrolRows {
		objs = append(objs, jsonObject(r, asString))
	}
	plain := messyPatrolNDJSON(nil, strs)
	for _, tc := range []struct {
		name, file, body string
		blanks           map[int]bool // of the CSV reference
	}{
		{"strings", "巡视记录.ndjson", plain, nil},
		{"numbers, nulls and escapes", "巡视记录.jsonl", messyPatrolNDJSON(nil, asTyped), nil},
		{"CRLF line ends", "巡视记录.ndjson", strings.ReplaceAll(plain, "\n", "\r\n"), nil},
		{"byte-order mark", "巡视记录.ndjson", "\ufeff" + plain, nil},
		{"blank lines between objects", "巡视记录.ndjson", messyPatrolNDJSON(blanks, strs), blanks},
		{"array", "巡视记录.json", "[\n" + strings.Join(objs, ",\n") + "\n]\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := loadOrg(t)
			csvPath := filepath.Join(t.TempDir(), "巡视记录.csv")
			os.WriteFile(csvPath, []byte(messyPatrolCSV(tc.blanks)), 0o644)
			want := loadedView(t, w, ingestOK(t, w, ingest.Options{}, csvPath).Files[0], 2)
			if !strings.Contains(want, "rejected 7") || !strings.Contains(want, "skipped 1") {
				t.Fatalf("the CSV reference lost its rejects or its summary row:\n%s", want)
			}
			w = loadOrg(t)
			p := filepath.Join(t.TempDir(), tc.file)
			os.WriteFile(p, []byte(tc.body), 0o644)
			f := ingestOK(t, w, ingest.Options{}, p).Files[0]
			// Rows are numbered by line, and in an array by object: from 1 either way.
			if got := loadedView(t, w, f, 1); got != want {
				t.Errorf("NDJSON:\n%s\nCSV:\n%s", got, want)
			}
		})
	}
}

// Keys only later objects have are columns like the others: each is recognised and loaded
// (a crew size the first records leave out), not dropped, whichever way the file is read.
func TestJSONKeysOfLaterObjectsAreLoaded(t *testing.T) {
	first := `{"巡视编号":"P1","班组":"T01","巡视日期":"2024-03-05","巡视类型":"正常巡视","巡视里程":12.5}`
	second := `{"巡视编号":"P2","班组":"T01","巡视日期":"2024-03-06","巡视类型":"正常巡视","巡视里程":3,"巡视人数":4,"备注":"雨天"}`
	// A key written with escapes (巡视人数) is one the shape scan does not vouch for: the file is
	// staged as text.
	escaped := strings.Replace(second, "巡视人数", `\u5de1\u89c6\u4eba\u6570`, 1)
	nested := `{"巡视编号":"P3","班组":"T01","巡视日期":"2024-03-06","巡视类型":"正常巡视","巡视里程":3,"备注":{"a":1}}`
	for _, tc := range []struct{ name, file, body, crew string }{
		{"flat", "巡视记录.ndjson", first + "\n" + second + "\n", "P1:NULL P2:4"},
		{"escaped key", "巡视记录.ndjson", first + "\n" + escaped + "\n", "P1:NULL P2:4"},
		{"array", "巡视记录.json", "[" + first + ",\n" + second + "]", "P1:NULL P2:4"},
		// A nested value in a key no contract column takes still refuses the file.
		{"nested", "巡视记录.ndjson", first + "\n" + second + "\n" + nested + "\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := loadOrg(t)
			p := filepath.Join(t.TempDir(), tc.file)
			os.WriteFile(p, []byte(tc.body), 0o644)
			f := ingestOK(t, w, ingest.Options{}, p).Files[0]
			if tc.crew == "" {
				if f.Status != ingest.StatusFailed || !strings.Contains(f.Message, `object 3: "备注" holds a nested array or object`) {
					t.Fatalf("%s: %s", f.Status, f.Message)
				}
				return
			}
			if f.Status != ingest.StatusLoaded || f.Loaded != 2 {
				t.Fatalf("%s: %s", f.Status, f.Message)
			}
			if got := one(t, w.DB(), "SELECT string_agg(patrol_id || ':' || coalesce(CAST(crew AS VARCHAR), 'NULL'), ' ' ORDER BY patrol_id) FROM patrols"); got != tc.crew {
				t.Errorf("crew %q, want %q", got, tc.crew)
			}
			if fmt.Sprint(f.UnknownColumns) != "[备注]" {
				t.Errorf("unknown columns %v, want [备注]", f.UnknownColumns)
			}
		})
	}
}

// A roster names each person once, so its pseudonym tables are as large as the file itself,
// and some of its cells are empty: a file typed straight from its reader must still keep its
// rows in file order, and a reject must name the row it is on (the optimizer once built the
// join on the file's rows and wrote them in the pseudonym table's order, and rows without a
// pseudonym came after the others of their chunk).
func TestRosterRejectsNameTheirRow(t *testing.T) {
	var csvBody, ndBody strings.Builder
	csvBody.WriteString("工号,姓名,是否党员,出生年份\n")
	const bad = 120 // the record with a birth year out of range
	for i := 1; i <= 200; i++ {
		year := fmt.Sprint(1960 + i%40)
		if i == bad {
			year = "-1976"
		}
		// Every seventh name is missing: an empty cell has no pseudonym to join.
		name, jsonName := fmt.Sprintf("职工%d", i), fmt.Sprintf(`"职工%d"`, i)
		if i%7 == 0 {
			name, jsonName = "", "null"
		}
		fmt.Fprintf(&csvBody, "E%04d,%s,是,%s\n", i, name, year)
		fmt.Fprintf(&ndBody, `{"工号":"E%04d","姓名":%s,"是否党员":"是","出生年份":%s}`+"\n", i, jsonName, year)
	}
	for _, tc := range []struct {
		file, body string
		row        int
	}{{"人员.csv", csvBody.String(), bad + 1}, {"人员.ndjson", ndBody.String(), bad}} {
		w := warehousetest.New(t)
		p := filepath.Join(t.TempDir(), tc.file)
		os.WriteFile(p, []byte(tc.body), 0o644)
		f := ingestOK(t, w, ingest.Options{}, p).Files[0]
		if f.Status != ingest.StatusLoaded || f.Loaded != 199 {
			t.Fatalf("%s: %s loaded %d: %s", tc.file, f.Status, f.Loaded, f.Message)
		}
		if got := fmt.Sprint(rejects(t, w.DB(), f.BatchID)); got != fmt.Sprintf("[{%d 出生年份 out_of_range}]", tc.row) {
			t.Errorf("%s: rejects %s, want row %d", tc.file, got, tc.row)
		}
		// Every stored row names its own line: the n-th person is on line n (after the header).
		off := tc.row - bad
		if n := one(t, w.DB(), "SELECT count(*) FROM people WHERE birth_year <> 1960 + (_source_row - ?) % 40", off); n != "0" {
			t.Errorf("%s: %s rows with another row's line", tc.file, n)
		}
	}
}

package ingest

import (
	"strings"
)

// quoteLit quotes a constant of the program (a pattern or label from a contract, never a value
// from a file) as a SQL string literal. Values from files are always bound as parameters.
func quoteLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// foldASCII maps full-width ASCII (U+FF01–U+FF5E) and the ideographic space to their
// half-width forms: the same mapping the SQL macro md_fold applies.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + 0x21
		case r == 0x3000 || r == 0xA0:
			return ' '
		}
		return r
	}, s)
}

func foldTables() (from, to string) {
	var f, t strings.Builder
	for r := rune(0xFF01); r <= 0xFF5E; r++ {
		f.WriteRune(r)
		t.WriteRune(r - 0xFF01 + 0x21)
	}
	f.WriteRune(0x3000)
	t.WriteRune(' ')
	f.WriteRune(0xA0)
	t.WriteRune(' ')
	return f.String(), t.String()
}

// dateFormats are the strptime forms tried for a date, after a time of day is cut off.
var dateFormats = []string{
	"%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y年%m月%d号", "%Y年%m月%d",
	"%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%d-%B-%Y", "%B %d, %Y", "%Y-%b-%d",
}

// Truthy and falsy spellings of a yes/no cell (compared lower-case, after folding).
var (
	trueWords  = []string{"是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "有", "对", "中共党员", "党员", "预备党员", "中共预备党员", "已完成", "完成"}
	falseWords = []string{"否", "n", "no", "false", "f", "0", "×", "✗", "✘", "无", "不是", "群众", "非党员", "未完成", "错"}
)

func litList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = quoteLit(s)
	}
	return strings.Join(q, ", ")
}

// macroSQL creates the normalising macros on the ingest connection. Each takes text already
// cleaned by md_clean (folded, trimmed, NULL when empty).
func macroSQL() []string {
	from, to := foldTables()
	return []string{
		// translate() and trim(s, chars) are slow: most cells need neither, and a regular
		// expression finds the few that do.
		`CREATE OR REPLACE TEMP MACRO md_fold(s) AS translate(s, ` + quoteLit(from) + `, ` + quoteLit(to) + `)`,
		`CREATE OR REPLACE TEMP MACRO md_clean(s) AS (CASE WHEN regexp_matches(s, '[\x{FF01}-\x{FF5E}\x{3000}\x{A0}\t\r\n]')
			THEN nullif(trim(md_fold(s), ' ' || chr(9) || chr(10) || chr(13)), '') ELSE nullif(trim(s), '') END)`,
		`CREATE OR REPLACE TEMP MACRO md_trim(s) AS (CASE WHEN regexp_matches(s, '[\x{3000}\x{A0}\t\r\n]')
			THEN nullif(trim(replace(replace(s, chr(12288), ' '), chr(160), ' '), ' ' || chr(9) || chr(10) || chr(13)), '') ELSE nullif(trim(s), '') END)`,
		// Numbers: plain first; then thousand separators, percent (÷100) and 万 (×10,000).
		`CREATE OR REPLACE TEMP MACRO md_num_slow(t) AS (CASE
			WHEN regexp_full_match(t, '[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\.[0-9]+)?%') THEN try_cast(replace(rtrim(t, '%'), ',', '') AS DOUBLE) / 100
			WHEN regexp_full_match(t, '[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\.[0-9]+)?万') THEN try_cast(replace(rtrim(t, '万'), ',', '') AS DOUBLE) * 10000
			WHEN regexp_full_match(t, '[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?') THEN try_cast(replace(t, ',', '') AS DOUBLE)
			END)`,
		`CREATE OR REPLACE TEMP MACRO md_num(t) AS coalesce(try_cast(t AS DOUBLE), md_num_slow(replace(t, ' ', '')))`,
		`CREATE OR REPLACE TEMP MACRO md_int_of(n) AS (CASE WHEN isfinite(n) AND n = trunc(n) AND abs(n) < 9e15 THEN CAST(n AS BIGINT) END)`,
		`CREATE OR REPLACE TEMP MACRO md_int(t) AS (CASE WHEN regexp_full_match(t, '[+-]?[0-9]{1,15}') THEN CAST(t AS BIGINT) ELSE md_int_of(md_num(t)) END)`,
		// Dates: ISO first (a LIKE guard is ~10x cheaper than a regular expression; a string it lets
		// through that is not a date fails the cast and goes on to the forms below, as before);
		// Excel serials (5 digits, from base: 1899-12-30 or 1904-01-01); then
		// every written form, with a time of day cut off.
		`CREATE OR REPLACE TEMP MACRO md_date(t, base) AS coalesce(
			CASE WHEN t LIKE '____-__-__' THEN try_cast(t AS DATE) END,
			CASE WHEN regexp_full_match(t, '[0-9]{5}(\.[0-9]+)?') THEN base + CAST(floor(CAST(t AS DOUBLE)) AS INTEGER) END,
			CAST(try_strptime(regexp_replace(t, '(\s*|T)[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]*)?)?$', ''), [` + litList(dateFormats) + `]) AS DATE))`,
		`CREATE OR REPLACE TEMP MACRO md_bool(t) AS (CASE WHEN t IN ('是', '否') THEN t = '是' WHEN lower(t) IN (` + litList(trueWords) + `) THEN true WHEN lower(t) IN (` + litList(falseWords) + `) THEN false END)`,
		`CREATE OR REPLACE TEMP TABLE _md_enum (dataset VARCHAR, col VARCHAR, key VARCHAR, code VARCHAR)`,
		`CREATE OR REPLACE TEMP TABLE _md_reason (col VARCHAR, code VARCHAR, zh VARCHAR, en VARCHAR)`,
	}
}

// idCheckSQL is true when an 18-character ID number s has a wrong check character (GB 11643).
func idCheckSQL(s string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	var terms []string
	for i, w := range weights {
		terms = append(terms, "try_cast(substr("+s+", "+itoa(i+1)+", 1) AS INTEGER) * "+itoa(w))
	}
	sum := "(" + strings.Join(terms, " + ") + ")"
	return "(length(" + s + ") = 18 AND coalesce(substr('10X98765432', CAST(" + sum + " % 11 AS INTEGER) + 1, 1) <> upper(substr(" + s + ", 18, 1)), true))"
}

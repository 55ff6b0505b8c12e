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
	trueWords = []string{"是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "有", "对", "中共党员", "党员", "预备党员", "中共预备党员", "已完成", "完成",
		"责任", "责任性", "有责", "有责任", "负有责任"}
	// Every 政治面貌 in use besides the party's own: the League, the masses, the democratic
	// parties and non-partisans are not party members.
	falseWords = []string{"否", "n", "no", "false", "f", "0", "×", "✗", "✘", "无", "不是", "群众", "非党员", "未完成", "错",
		"共青团员", "团员", "无党派", "无党派人士", "民主党派", "民主党派成员", "民革党员", "民盟盟员", "民建会员", "民进会员",
		"农工党党员", "致公党党员", "九三学社社员", "台盟盟员", "非责任", "非责任性", "无责", "无责任", "非责任事件"}
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
		// md_space trims spaces only where there are some: trim() copies every string, a prefix and
		// suffix test does not (half the cost of cleaning an ordinary cell).
		`CREATE OR REPLACE TEMP MACRO md_space(s) AS nullif(CASE WHEN prefix(s, ' ') OR suffix(s, ' ') THEN trim(s) ELSE s END, '')`,
		`CREATE OR REPLACE TEMP MACRO md_clean(s) AS (CASE WHEN regexp_matches(s, '[\x{FF01}-\x{FF5E}\x{3000}\x{A0}\t\r\n]')
			THEN nullif(trim(md_fold(s), ' ' || chr(9) || chr(10) || chr(13)), '') ELSE md_space(s) END)`,
		`CREATE OR REPLACE TEMP MACRO md_trim(s) AS (CASE WHEN regexp_matches(s, '[\x{3000}\x{A0}\t\r\n]')
			THEN nullif(trim(replace(replace(s, chr(12288), ' '), chr(160), ' '), ' ' || chr(9) || chr(10) || chr(13)), '') ELSE md_space(s) END)`,
		// Numbers: plain first; then thousand separators, percent (÷100) and 万 (×10,000).
		`CREATE OR REPLACE TEMP MACRO md_num_slow(t) AS (CASE
			WHEN regexp_full_match(t, '[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\.[0-9]+)?%') THEN try_cast(replace(rtrim(t, '%'), ',', '') AS DOUBLE) / 100
			WHEN regexp_full_match(t, '[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\.[0-9]+)?万') THEN try_cast(replace(rtrim(t, '万'), ',', '') AS DOUBLE) * 10000
			WHEN regexp_full_match(t, '[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?') THEN try_cast(replace(t, ',', '') AS DOUBLE)
			END)`,
		// The fallback sits in a CASE so that DuckDB evaluates it only for the cells the cast
		// refused: as a macro argument used many times, replace(t, ...) was otherwise computed for
		// every cell, in a projection of its own, before the cast.
		`CREATE OR REPLACE TEMP MACRO md_num(t) AS coalesce(try_cast(t AS DOUBLE), CASE WHEN t IS NOT NULL THEN md_num_slow(replace(t, ' ', '')) END)`,
		`CREATE OR REPLACE TEMP MACRO md_int_of(n) AS (CASE WHEN isfinite(n) AND n = trunc(n) AND abs(n) < 9e15 THEN CAST(n AS BIGINT) END)`,
		// Integers: a cell that is the canonical spelling of a BIGINT under 10^15 (what nearly every
		// cell is) is taken by the cast alone; every other spelling goes the way it always went:
		// 1 to 15 digits with a sign, else a whole number read by md_num. A macro's argument is
		// copied into each place it is used: md_int_of(md_num(t)) was four copies of md_num, each
		// with md_num_slow's three regular expressions, bound and optimised for every integer column
		// of every file (about 4 ms a column). The lambda takes md_num(t) once; it runs only for the
		// few cells the cast and the digits refused.
		`CREATE OR REPLACE TEMP MACRO md_int_fast(t, v) AS (CASE WHEN v > -1000000000000000 AND v < 1000000000000000 AND CAST(v AS VARCHAR) = t THEN v END)`,
		`CREATE OR REPLACE TEMP MACRO md_int(t) AS coalesce(md_int_fast(t, try_cast(t AS BIGINT)),
			CASE WHEN regexp_full_match(t, '[+-]?[0-9]{1,15}') THEN CAST(t AS BIGINT) ELSE list_transform([md_num(t)], lambda n: md_int_of(n))[1] END)`,
		// Dates: ISO first (a LIKE guard is ~10x cheaper than a regular expression; a string it lets
		// through that is not a date fails the cast and goes on to the forms below, as before);
		// Excel serials (5 digits, from base: 1899-12-30 or 1904-01-01); then
		// every written form, with a time of day cut off.
		`CREATE OR REPLACE TEMP MACRO md_date(t, base) AS coalesce(
			CASE WHEN t LIKE '____-__-__' THEN try_cast(t AS DATE) END,
			CASE WHEN regexp_full_match(t, '[0-9]{5}(\.[0-9]+)?') THEN base + CAST(floor(CAST(t AS DOUBLE)) AS INTEGER) END,
			CAST(try_strptime(regexp_replace(t, '(\s*|T)[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]*)?)?$', ''), [` + litList(dateFormats) + `]) AS DATE))`,
		// The word lists are list_contains, not IN: DuckDB plans an IN of many constants as a join
		// over every row, which cost ten times the equality tests that decide nearly every cell.
		`CREATE OR REPLACE TEMP MACRO md_bool(t) AS (CASE WHEN t = '是' THEN true WHEN t = '否' THEN false WHEN list_contains([` + litList(trueWords) + `], lower(t)) THEN true
			WHEN list_contains([` + litList(falseWords) + `], lower(t)) THEN false END)`,
		// Masking: keep a characters at the start and b at the end, the rest as *; a value too
		// short to keep anything is all stars.
		`CREATE OR REPLACE TEMP MACRO md_mask_keep(s, a, b) AS (CASE WHEN s IS NULL THEN NULL WHEN length(s) > a + b + 1 OR (b = 0 AND length(s) > a)
			THEN left(s, a) || repeat('*', length(s) - a - b) || right(s, b) ELSE repeat('*', length(s)) END)`,
		// ID-number and mobile-number patterns inside free text, masked the same way.
		// A length test first: most free text is short and never reaches the regular expression.
		// strlen counts bytes (four Chinese characters are twelve), so length, which counts
		// characters, decides for text that is not ASCII.
		`CREATE OR REPLACE TEMP MACRO md_mask_text(t) AS (CASE WHEN strlen(t) >= 11 AND length(t) >= 11 AND regexp_matches(t, '[0-9]{3}[- ]?[0-9]{4}[- ]?[0-9]{4}')
			THEN regexp_replace(regexp_replace(t, '(^|[^0-9])([1-9][0-9]{3})[0-9]{10}([0-9]{3}[0-9Xx])($|[^0-9])', '\1\2**********\3\4', 'g'),
				'(^|[^0-9])(1[3-9][0-9])([- ]?)[0-9]{4}([- ]?)([0-9]{4})($|[^0-9])', '\1\2\3****\4\5\6', 'g') ELSE t END)`,
		// Half years as offices write them: 2024H1, 2024-H1, 2024年上半年, 2024上半年, 2024年1-6月,
		// 2024.7-2024.12; anything else is NULL (and refused with the accepted forms).
		`CREATE OR REPLACE TEMP MACRO md_half_of(u) AS (CASE
			WHEN regexp_full_match(u, '[0-9]{4}[-_/.]?H[12]') THEN left(u, 4) || 'H' || right(u, 1)
			WHEN regexp_full_match(u, '[0-9]{4}年?度?[上下]半年度?') THEN left(u, 4) || CASE WHEN contains(u, '上') THEN 'H1' ELSE 'H2' END
			WHEN regexp_full_match(u, '` + halfMonths + `') AND regexp_extract(u, '` + halfMonths + `', 3) IN ('', left(u, 4))
				AND regexp_extract(u, '` + halfMonths + `', 2) || '-' || regexp_extract(u, '` + halfMonths + `', 4) IN ('1-6', '7-12')
				THEN left(u, 4) || CASE WHEN regexp_extract(u, '` + halfMonths + `', 2) = '1' THEN 'H1' ELSE 'H2' END
			END)`,
		`CREATE OR REPLACE TEMP MACRO md_half(t) AS md_half_of(upper(replace(replace(t, ' ', ''), '　', '')))`,
		`CREATE OR REPLACE TEMP TABLE _md_reason (col VARCHAR, code VARCHAR, zh VARCHAR, en VARCHAR, hdr VARCHAR)`,
	}
}

// halfMonths is a half year written as a range of months: 2024年1-6月, 2024.1-2024.6,
// 2024年7月至12月; group 2 is the first month, 3 the second year (when written), 4 the last month.
const halfMonths = `([0-9]{4})(?:年|\.|-|/)?0?([17])月?份?(?:-|~|～|—|–|至|到)+(?:([0-9]{4})(?:年|\.|-|/)?)?0?(6|12)月?份?末?`

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

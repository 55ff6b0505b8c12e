package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

func itoa(i int) string { return strconv.Itoa(i) }

var qi = warehouse.QuoteIdent

// rawCol names the staged text column i.
func rawCol(i int) string { return "_c" + itoa(i) }

// sCol names the cleaned text of a contract column.
func sCol(name string) string { return qi("_s_" + name) }

// Date bases of Excel serials.
const (
	base1900 = "1899-12-30"
	base1904 = "1904-01-01"
)

// stagedPart is what a reader left on the connection: _md_raw (text columns _c0…, file order in
// rowid) and _md_lines (k, base: from record k on, the user-visible row is k + base).
type stagedPart struct {
	headers    []string
	blankLines int    // blank lines the reader skipped; counted as blank rows
	dateBase   string // base1900 or base1904
	// numericCells says that cells may be numbers rather than text (XLSX): an ID number that
	// lost its last digits to rounding is then told apart from a mistyped one.
	numericCells bool
	// plain says that no cell holds anything md_clean would fold (full-width forms, special
	// spaces, tabs, line breaks): cleaning is then a trim, without a regular expression per cell.
	plain bool
	// unspaced says that no cell begins or ends with a space (CSV, from the byte pass): the trim
	// of a plain cell is then only its test for empty.
	unspaced bool
	// plainCols, when set, says the same of each column alone (NDJSON, whose byte pass sees
	// which key each value belongs to): a full-width comma in a remark column leaves every
	// other column to the trim.
	plainCols []bool
	// singleBase, when > 0, is the one base of _md_lines (row = k + base for every record),
	// which spares the typing query a join.
	singleBase int64
	// extraCol says _md_raw has the column extraCol after the header's columns, holding what a
	// row has beyond them (CSV): such a row is refused rather than silently cut.
	extraCol bool
	// direct, when set, is the reader (a read_csv call with directArgs bound) that the typing
	// query reads instead of _md_raw: the file is parsed once, straight into typed columns, and no
	// table of its text is made. _md_typed then keeps the raw text only of rows that failed
	// typing (_raw), has no _k or _line (its rowid is the record's index, rows being written in
	// file order, and singleBase gives the line), and records must equal what the byte pass
	// counted (sawQuote as in writeLines).
	direct     string
	directArgs []any
	// lineEvents, when a file read directly has blank lines between records, are the
	// record → line events that lineRef follows instead of singleBase.
	lineEvents []lineEvent
	records    int64
	sawQuote   bool
	// stream, when set, makes direct readable for one statement (see reading): a workbook's rows
	// are an Arrow stream that DuckDB scans once, so each statement reading them gets its own.
	// done ends the stream and returns what went wrong reading the file.
	stream func(ctx context.Context) (done func() error, err error)
	// indexed says the direct source has the column _k, each record's index, which _md_typed
	// keeps (with _line) instead of relying on its rowid: an Arrow stream's size is unknown to the
	// planner, which may then make it the build side of the pseudonym joins and return its rows
	// out of order.
	indexed bool
	// run, when set, says direct reads a list of files of one shape (see loadRun): _md_typed
	// has the column _f, each row's file, and a row's record index in its file is its rowid less
	// the file's first.
	run *runFiles
	// rowSpecial says the source has a column _sp telling, per row, whether some cell holds what
	// md_clean would fold: only those rows pay for its regular expression.
	rowSpecial bool
}

// reading runs f, a statement that reads the source, with the stream open when there is one. An
// error of the file's reading comes first: the statement's own then only says the stream stopped.
func (st *stagedPart) reading(ctx context.Context, f func() error) error {
	if st.stream == nil {
		return f()
	}
	done, err := st.stream(ctx)
	if err != nil {
		return err
	}
	err = f()
	if rerr := done(); rerr != nil {
		return rerr
	}
	return err
}

// source is what the typing and pseudonym queries read the file's text from.
func (st *stagedPart) source() string {
	if st.direct != "" {
		return st.direct
	}
	return "_md_raw"
}

// kRef is the record index of the row of _md_typed under alias; lineRef the row a user sees.
func (st *stagedPart) kRef(alias string) string {
	if st.direct != "" && !st.indexed {
		return alias + ".rowid"
	}
	return alias + "._k"
}

func (st *stagedPart) lineRef(alias string) string {
	if st.direct == "" || st.indexed {
		return alias + "._line"
	}
	k := alias + ".rowid"
	if len(st.lineEvents) < 2 {
		return "(" + k + " + " + strconv.FormatInt(st.singleBase, 10) + ")"
	}
	// Blank lines between records shift the base from each event on: the latest event at or
	// before the record gives it (a few dozen comparisons, no join).
	var whens []string
	for i := len(st.lineEvents) - 1; i > 0; i-- {
		e := st.lineEvents[i]
		whens = append(whens, "WHEN "+k+" >= "+strconv.FormatInt(e.k, 10)+" THEN "+strconv.FormatInt(e.base, 10))
	}
	return "(" + k + " + CASE " + strings.Join(whens, " ") + " ELSE " + strconv.FormatInt(st.lineEvents[0].base, 10) + " END)"
}

// extraColName is the staging column for fields beyond the header.
const extraColName = "_cx"

// setupConn prepares a pinned connection: the macros and the reason table. (Enum spellings are
// a CASE in the typing query, built from the contract; a table of them would go unread.)
//
// The statements go as one string (our own constants, no parameters, never user input): one
// round trip instead of one per macro halved the setup's time (~6 ms of CPU a run).
func setupConn(ctx context.Context, conn *sql.Conn) error {
	if _, err := execSQL(ctx, conn, strings.Join(macroSQL(), ";\n")); err != nil {
		return fmt.Errorf("prepare ingest connection: %w", err)
	}
	return nil
}

// enumKey is how an enum spelling is compared: the SQL side computes lower(md_clean(s)).
func enumKey(s string) string {
	return strings.ToLower(strings.Trim(foldASCII(s), " \t\r\n"))
}

// cleanKind says how a column's text is cleaned: folded (codes, patterns, references) or only
// trimmed (free text, where full-width punctuation is the user's choice).
func folded(c datasets.Contract, col datasets.Column) bool {
	if col.Type != datasets.TypeText || col.Pattern != "" || col.Personal != datasets.NotPersonal {
		return true
	}
	for _, k := range c.Key {
		if k == col.Name {
			return true
		}
	}
	for _, r := range c.Refs {
		for _, rc := range r.Columns {
			if rc == col.Name {
				return true
			}
		}
	}
	return false
}

// plainCol says whether no cell of column i needs folding.
func (st *stagedPart) plainCol(i int) bool {
	return st.plain || (i < len(st.plainCols) && st.plainCols[i])
}

// cleanExpr is the SQL that cleans (folds and trims) raw text column i; trimExpr only trims.
func (st *stagedPart) cleanExpr(i int) string {
	if st.rowSpecial {
		return "(CASE WHEN r._sp THEN md_clean(r." + rawCol(i) + ") ELSE md_space(r." + rawCol(i) + ") END)"
	}
	if st.plainCol(i) {
		return st.spaceExpr("r." + rawCol(i))
	}
	return "md_clean(r." + rawCol(i) + ")"
}

// spaceExpr trims the spaces around a cell v and makes an empty one NULL: md_space, or only the
// latter where no cell begins or ends with a space.
func (st *stagedPart) spaceExpr(v string) string {
	if st.unspaced {
		return "nullif(" + v + ", '')"
	}
	return "md_space(" + v + ")"
}

func (st *stagedPart) trimExpr(i int) string {
	if st.rowSpecial {
		return "(CASE WHEN r._sp THEN md_trim(r." + rawCol(i) + ") ELSE md_space(r." + rawCol(i) + ") END)"
	}
	if st.plainCol(i) {
		return st.spaceExpr("r." + rawCol(i))
	}
	return "md_trim(r." + rawCol(i) + ")"
}

// personalColumns are the source columns that hold personal values, by index.
func personalColumns(m *Mapping) map[int]datasets.Personal {
	at := map[int]datasets.Personal{}
	for _, col := range m.Contract.Columns {
		if i, ok := m.Source[col.Name]; ok && col.Personal != datasets.NotPersonal {
			at[i] = col.Personal
		}
	}
	return at
}

func pseudoTable(i int) string { return "_md_ps_" + itoa(i) }

// pseudoSQL builds the statements that pseudonymise the personal columns of _md_typed in place,
// after typing: each column's distinct cleaned values are hashed once (the keyed hash runs in Go,
// a call per value: a file names the same person on many rows) and an UPDATE writes the
// pseudonyms over the text. Joining them in while typing cost less, but a join does not keep
// its input's order, and the rowid of _md_typed must be the record's index: past a few row
// groups, a 1.7 M-row attendance file was written in another order, and _source_row and the
// rows named in rejects were those of other rows. An UPDATE keeps every rowid, and the
// distinct values come from the typed table rather than a second read of the file.
//
// A value that normalises to nothing (only spaces DuckDB does not trim) has no pseudonym: in a
// required column such a row is refused as missing, as when the column is empty.
func pseudoSQL(m *Mapping, pseudo string) []string {
	var out []string
	for _, col := range m.Contract.Columns {
		i, ok := m.Source[col.Name]
		if !ok || col.Personal == datasets.NotPersonal {
			continue
		}
		X, ps := qi(col.Name), pseudoTable(i)
		out = append(out, "CREATE OR REPLACE TEMP TABLE "+ps+" AS SELECT v, "+pseudo+"("+quoteLit(string(col.Personal))+", v) AS p FROM (SELECT DISTINCT "+X+" AS v FROM _md_typed WHERE "+X+" IS NOT NULL)")
		if col.Required {
			out = append(out, "UPDATE _md_typed SET _status = 'reject', _err = "+errStruct(col.Name, "missing_required", rawCol(i), "NULL")+
				" WHERE _status = 'ok' AND "+X+" IN (SELECT v FROM "+ps+" WHERE p IS NULL)")
		}
		out = append(out, "UPDATE _md_typed SET "+X+" = ps.p FROM "+ps+" ps WHERE _md_typed."+X+" = ps.v")
	}
	return out
}

// pseudonymise runs pseudoSQL on the typed rows.
func pseudonymise(ctx context.Context, conn *sql.Conn, m *Mapping, pseudo string) error {
	for _, q := range pseudoSQL(m, pseudo) {
		if _, err := execSQL(ctx, conn, q); err != nil {
			return fmt.Errorf("pseudonymise: %w", err)
		}
	}
	return nil
}

// typedSQL builds the statement that creates _md_typed from _md_raw: the raw text, the cleaned
// text, every contract column typed, _blank, and _err (the first fault of the row).
func typedSQL(m *Mapping, st *stagedPart, pseudo string) string {
	c := m.Contract
	n := len(st.headers)
	// Level 1: raw text (personal columns replaced by their pseudonym), cleaned text per column.
	var l1 []string
	switch {
	case st.run != nil:
		l1 = append(l1, "r._f")
	case st.direct != "" && !st.indexed:
	case st.singleBase > 0:
		l1 = append(l1, "r._k", "r._k + "+strconv.FormatInt(st.singleBase, 10)+" AS _line")
	default:
		l1 = append(l1, "r._k", "r._k + r._base AS _line")
	}
	personalAt := personalColumns(m)
	// Level 0 cleans every cell once (_k0, _k1, …); the levels above read those columns. A
	// conjunction in a projection evaluates all its terms on every row (only a CASE condition
	// stops early), and DuckDB shares no subexpression inside one, so a cleaning written into
	// _blank, _summary and the typed column ran once for each.
	var l0 []string
	var blank, cleaned []string
	// Only a column that a free-text contract column takes is read trimmed (tr below).
	trimmed := map[int]bool{}
	for _, col := range c.Columns {
		if i, ok := m.Source[col.Name]; ok && !folded(c, col) {
			trimmed[i] = true
		}
	}
	for i := 0; i < n; i++ {
		l0 = append(l0, st.cleanExpr(i)+" AS _k"+itoa(i))
		if trimmed[i] && st.trimExpr(i) != st.cleanExpr(i) {
			l0 = append(l0, st.trimExpr(i)+" AS _t"+itoa(i))
		}
		blank = append(blank, "r._k"+itoa(i)+" IS NULL")
		cleaned = append(cleaned, "r._k"+itoa(i))
	}
	if st.extraCol {
		l0 = append(l0, st.spaceExpr("r."+extraColName)+" AS _kx")
		blank = append(blank, "r._kx IS NULL")
	}
	cl := func(i int) string { return "r._k" + itoa(i) }
	tr := func(i int) string {
		if trimmed[i] && st.trimExpr(i) != st.cleanExpr(i) {
			return "r._t" + itoa(i)
		}
		return cl(i)
	}
	// A file read directly keeps the text only of the rows the query refuses, so a masked column
	// is masked only there (in the fault and the kept text): masking every cell of a 1.7 M-row
	// attendance file was a third of its typing. Its cleaned text passes as _u0, _u1, …
	raw := rawCol
	lazy := map[int]datasets.Personal{}
	if st.direct != "" {
		lazy = maskedColumns(m, st, pseudo)
		raw = func(i int) string {
			if kind, ok := lazy[i]; ok {
				return maskExpr(kind, "_u"+itoa(i))
			}
			return rawCol(i)
		}
	}
	for i, e := range rawSelect(m, st, pseudo, cl) {
		if _, ok := lazy[i]; ok {
			e = cl(i) + " AS _u" + itoa(i)
		}
		l1 = append(l1, e)
	}
	for i := 0; i < n; i++ {
		if kind, ok := personalAt[i]; ok && pseudo != "" {
			l1 = append(l1, "coalesce(contains("+cl(i)+", '*'), false) AS _mk_"+itoa(i))
			if kind == datasets.IDNumber {
				v := cl(i)
				// In a workbook a text cell keeps every digit, so 18 digits with a wrong check digit
				// are a number Excel has rounded; elsewhere only the scientific form says so.
				sci := "regexp_full_match(" + v + ", '[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+')"
				if st.numericCells {
					sci = "(" + sci + " OR (regexp_full_match(" + v + ", '[0-9]{18}') AND " + idCheckSQL(v) + "))"
				}
				l1 = append(l1, sci+" AS _idsci_"+itoa(i))
				l1 = append(l1, "(regexp_full_match("+v+", '[0-9]{17}[0-9Xx]') AND "+idCheckSQL(v)+") OR NOT regexp_full_match("+v+", '[0-9]{17}[0-9Xx]|[0-9]{15}') AS _idbad_"+itoa(i))
			}
		}
	}
	if len(blank) == 0 {
		blank = []string{"true"}
	}
	l1 = append(l1, "("+strings.Join(blank, " AND ")+") AS _blank")
	summary := "false"
	if len(cleaned) > 0 {
		// The first non-empty cell of the row says whether it is a 合计, 备注 or 制表人 line.
		first := cleaned[0]
		if len(cleaned) > 1 {
			first = "coalesce(" + strings.Join(cleaned, ", ") + ")"
		}
		// The first character decides for nearly every row (a code, a date): the pattern runs
		// only on rows that start like one of its words, which nested CASEs ensure (the terms of
		// an AND would each run on every row). The lead test is a list_contains behind a
		// comparison with the smallest lead, not an IN, which DuckDB plans as a join over every row.
		leads := summaryLeads()
		summary = "CASE WHEN " + first + " >= " + quoteLit(slices.Min(leads)) + " THEN CASE WHEN list_contains([" + litList(leads) + "], left(" + first + ", 1)) THEN coalesce(regexp_matches(" + first + ", " + quoteLit(summaryRowPattern) + "), false) ELSE false END ELSE false END"
	}
	l1 = append(l1, summary+" AS _summary")
	for _, col := range c.Columns {
		i, ok := m.Source[col.Name]
		if !ok {
			continue
		}
		expr := tr(i)
		if folded(c, col) {
			expr = cl(i)
		}
		l1 = append(l1, expr+" AS "+sCol(col.Name))
	}
	from0 := "(SELECT rowid AS _k, * FROM _md_raw) r ASOF LEFT JOIN _md_lines l ON r._k >= l.k"
	switch {
	case st.run != nil:
		from0 = "(SELECT *, file_index AS _f FROM " + st.direct + ") r"
	case st.direct != "":
		from0 = "(SELECT * FROM " + st.direct + ") r"
	case st.singleBase > 0:
		from0 = "(SELECT rowid AS _k, * FROM _md_raw) r"
	default:
		l0 = append(l0, "l.base AS _base")
	}
	from1 := from0
	if len(l0) > 0 {
		from1 = "(SELECT r.*, " + strings.Join(l0, ", ") + " FROM " + from0 + ") r"
	}

	// Level 2: typed columns.
	var l2 []string
	var joins []string
	l2 = append(l2, "s.*")
	base := "DATE " + quoteLit(st.dateBase)
	for _, col := range c.Columns {
		_, ok := m.Source[col.Name]
		if !ok {
			l2 = append(l2, "CAST(NULL AS "+col.Type.SQLType()+") AS "+qi(col.Name))
			continue
		}
		s := "s." + sCol(col.Name)
		var e string
		conv, converted := m.Units[col.Name]
		factor := strconv.FormatFloat(conv.Factor, 'g', -1, 64)
		switch {
		case converted && col.Type == datasets.TypeInteger:
			// Rounded to 9 places first: 0.1 小时 × 60 is 6.000000000000001 in binary.
			e = "md_int_of(round(md_num(" + s + ") * " + factor + ", 9))"
		case converted && col.Type == datasets.TypeNumber:
			e = "round(md_num(" + s + ") * " + factor + ", 9)"
		case col.Type == datasets.TypeText && col.Pattern == datasets.HalfPattern:
			e = "coalesce(md_half(" + s + "), " + s + ")"
		case col.Type == datasets.TypeText && !folded(c, col):
			e = "md_mask_text(" + s + ")"
		case col.Type == datasets.TypeInteger:
			e = "md_int(" + s + ")"
		case col.Type == datasets.TypeNumber:
			e = "md_num(" + s + ")"
		case col.Type == datasets.TypeDate:
			e = "md_date(" + s + ", " + base + ")"
		case col.Type == datasets.TypeBool:
			e = "md_bool(" + s + ")"
		case col.Type == datasets.TypeEnum:
			e = enumSQL(col, s)
		default:
			e = s
		}
		l2 = append(l2, e+" AS "+qi(col.Name))
	}

	// Level 3: the first fault, in column order; fields beyond the header come first, since
	// they mean the row's fields are misaligned and every other message would mislead.
	var errs, conds, masked []string
	if st.extraCol {
		cond := "nullif(trim(" + extraColName + "), '') IS NOT NULL"
		conds = append(conds, cond)
		errs = append(errs, "CASE WHEN "+cond+" THEN "+errStruct("", "extra_fields", extraColName, "NULL")+" END")
	}
	for _, col := range c.Columns {
		i, ok := m.Source[col.Name]
		if !ok {
			continue
		}
		s := sCol(col.Name)
		v := qi(col.Name)
		info := "NULL"
		if _, converted := m.Units[col.Name]; converted {
			// The converted value, for the message ("换算为 0.6 分钟").
			info = "round(md_num(" + s + ") * " + strconv.FormatFloat(m.Units[col.Name].Factor, 'g', -1, 64) + ", 9)"
		}
		add := func(code, cond string) {
			conds = append(conds, cond)
			errs = append(errs, "CASE WHEN "+cond+" THEN "+errStruct(col.Name, code, raw(i), info)+" END")
		}
		if col.Required {
			add("missing_required", s+" IS NULL")
		}
		if _, ok := personalAt[i]; ok && pseudo != "" {
			add("masked_value", "_mk_"+itoa(i))
		}
		if col.Type == datasets.TypeText && !folded(c, col) {
			masked = append(masked, "CAST("+v+" IS DISTINCT FROM "+s+" AS INTEGER)")
		}
		if kind, ok := personalAt[i]; ok && kind == datasets.IDNumber && pseudo != "" {
			add("id_as_number", "_idsci_"+itoa(i))
			add("bad_id_number", s+" IS NOT NULL AND _idbad_"+itoa(i))
		}
		switch col.Type {
		case datasets.TypeInteger, datasets.TypeNumber, datasets.TypeDate, datasets.TypeBool, datasets.TypeEnum:
			add("bad_"+string(col.Type), s+" IS NOT NULL AND "+v+" IS NULL")
		}
		if col.Type == datasets.TypeNumber {
			add("bad_number", "NOT isfinite("+v+")")
		}
		if col.Type == datasets.TypeDate {
			// Years 1900 to 2100, by comparing dates: year() takes a date apart, twice a row.
			add("bad_date", "("+v+" < DATE '1900-01-01' OR "+v+" >= DATE '2101-01-01')")
		}
		if col.Range.Min != nil {
			add("out_of_range", v+" < "+strconv.FormatFloat(*col.Range.Min, 'g', -1, 64))
		}
		if col.Range.Max != nil {
			add("out_of_range", v+" > "+strconv.FormatFloat(*col.Range.Max, 'g', -1, 64))
		}
		if col.Pattern != "" {
			add("bad_pattern", "NOT regexp_full_match("+v+", "+quoteLit(col.Pattern)+")")
		}
	}
	// The table keeps what later steps read: the row's number, the raw text (for rejects), _blank
	// and the typed columns; the cleaned text and the ID-number flags serve only this query, and
	// every column less is a column fewer to materialise.
	var keep []string
	if st.direct == "" {
		keep = append(keep, "_k", "_line")
		for i := 0; i < n; i++ {
			keep = append(keep, rawCol(i))
		}
	} else {
		if st.indexed {
			keep = append(keep, "_k", "_line")
		}
		if st.run != nil {
			keep = append(keep, "_f")
		}
		// The text only of the rows refused here; a row refused by a later step gets its text
		// from a second read of those rows alone (refillRaw).
		for i := 0; i < n; i++ {
			keep = append(keep, "CASE WHEN _err IS NOT NULL THEN "+raw(i)+" END AS "+rawCol(i))
		}
		keep = append(keep, "_err IS NOT NULL AS _raw")
	}
	keep = append(keep, "_blank")
	for _, col := range c.Columns {
		keep = append(keep, qi(col.Name))
	}
	maskedExpr := "0"
	if len(masked) > 0 {
		maskedExpr = strings.Join(masked, " + ")
	}
	keep = append(keep, maskedExpr+" AS _masked")
	errExpr := "CAST(NULL AS STRUCT(col VARCHAR, code VARCHAR, raw VARCHAR, info VARCHAR))"
	if len(errs) > 0 {
		// Most rows have no fault: one OR over the conditions finds the few that do, and only
		// those build the struct (each CASE of the coalesce, run on every row, made a vector of
		// NULL structs: a fifth of the typing query).
		errExpr = "CASE WHEN _blank OR _summary THEN NULL WHEN (" + strings.Join(conds, ") OR (") + ") THEN coalesce(" + strings.Join(errs, ", ") + ") END"
	}
	return "CREATE OR REPLACE TEMP TABLE _md_typed AS WITH s AS (SELECT " + strings.Join(l1, ", ") + " FROM " + from1 +
		"), t AS (SELECT " + strings.Join(l2, ", ") + " FROM s " + strings.Join(joins, " ") +
		"), e AS (SELECT *, " + errExpr + " AS _err FROM t) SELECT " + strings.Join(keep, ", ") + ", _err, CASE WHEN _blank THEN 'blank' WHEN _summary THEN 'summary' WHEN _err IS NOT NULL THEN 'reject' ELSE 'ok' END AS _status FROM e"
}

// typeRows runs typedSQL. A typing query that reads the file directly relies on writing its
// rows in file order (rowid is the record's index, which gives the row a user sees): it has no
// join, which DuckDB does not keep in order (the pseudonyms are written afterwards, pseudoSQL).
func typeRows(ctx context.Context, conn *sql.Conn, m *Mapping, st *stagedPart, pseudo string) error {
	_, err := execSQL(ctx, conn, typedSQL(m, st, pseudo), st.directArgs...)
	return err
}

// enumSQL maps the cleaned text s of an enum column to its code: a CASE over the contract's
// spellings (faster than a join for a few dozen values). A cell spelled exactly as the contract
// writes a value (正常巡视, 220kV: nearly every cell) is taken by the first CASE; only the others
// are lowered for the second. Lowering every cell cost more than the rest of the enum's typing:
// lower() copies each string, and DuckDB evaluates a CASE operand for every row.
func enumSQL(col datasets.Column, s string) string {
	owner := map[string]string{}
	var keys []string
	for _, v := range col.Values {
		for _, k := range append([]string{v.Code, v.Label.Zh, v.Label.En}, v.Aliases...) {
			if key := enumKey(k); key != "" && owner[key] == "" {
				owner[key] = v.Code
				keys = append(keys, key)
			}
		}
	}
	var exact, lowered []string
	seen := map[string]bool{}
	for _, v := range col.Values {
		// The labels first: files write 正常巡视 more often than routine.
		for _, k := range append([]string{v.Label.Zh, v.Code, v.Label.En}, v.Aliases...) {
			// Only a spelling that cleaning leaves as it is and lowering would map to its own key,
			// so that both CASEs give the same code for it.
			if key := enumKey(k); key != "" && key == strings.ToLower(k) && !seen[k] {
				seen[k] = true
				exact = append(exact, "WHEN "+quoteLit(k)+" THEN "+quoteLit(owner[key]))
			}
		}
	}
	for _, key := range keys {
		lowered = append(lowered, "WHEN "+quoteLit(key)+" THEN "+quoteLit(owner[key]))
	}
	return "(CASE " + s + " " + strings.Join(exact, " ") + " ELSE CASE lower(" + s + ") " + strings.Join(lowered, " ") + " END END)"
}

func errStruct(col, code, raw, info string) string {
	colExpr := "CAST(NULL AS VARCHAR)"
	if col != "" {
		colExpr = quoteLit(col)
	}
	rawExpr := "CAST(NULL AS VARCHAR)"
	if raw != "" {
		rawExpr = "CAST(" + raw + " AS VARCHAR)"
	}
	return "struct_pack(col := " + colExpr + ", code := " + quoteLit(code) + ", raw := " + rawExpr + ", info := CAST(" + info + " AS VARCHAR))"
}

// maskedColumns are the source columns whose text rejects show masked, with the kind of value.
func maskedColumns(m *Mapping, st *stagedPart, pseudo string) map[int]datasets.Personal {
	personalAt := personalColumns(m)
	out := map[int]datasets.Personal{}
	for i := range st.headers {
		if kind, ok := personalAt[i]; ok {
			// Rejects show what the user typed, masked (杨*, 3201**********2938): the raw value
			// never reaches a table, and the pseudonym would mean nothing to the user.
			if pseudo != "" {
				out[i] = kind
			}
		} else if k, look := personalHeader(st.headers[i]); look {
			// A column no contract column takes may still hold people's names or numbers (a 姓名
			// column on an attendance sheet): it is kept only in rejects, and masked there too.
			out[i] = k
		}
	}
	return out
}

// rawSelect is the text of each source column as rejects show it: as read, or masked where the
// column holds personal values (maskedColumns); clean(i) is the cleaned text of column i
// (st.cleanExpr, or the column that holds it).
func rawSelect(m *Mapping, st *stagedPart, pseudo string, clean func(int) string) []string {
	masked := maskedColumns(m, st, pseudo)
	var out []string
	for i := range st.headers {
		if kind, ok := masked[i]; ok {
			out = append(out, maskExpr(kind, clean(i))+" AS "+rawCol(i))
		} else {
			out = append(out, "r."+rawCol(i))
		}
	}
	if st.extraCol {
		out = append(out, "r."+extraColName)
	}
	return out
}

// refillRaw gives the rows refused after typing (references, checks, duplicate keys) their
// text, when the typing query read the file directly and kept the text only of the rows it
// refused: those rows alone are read again, by record index, and each one's fault gets the
// value of its column.
func refillRaw(ctx context.Context, tx *sql.Tx, m *Mapping, st *stagedPart, pseudo string) error {
	var found bool
	if err := scanSQL(ctx, tx, "SELECT EXISTS (SELECT 1 FROM _md_typed WHERE _status = 'reject' AND NOT _raw)", nil, &found); err != nil || !found {
		return err
	}
	// row_number() over the reader runs on one thread, which only a file with such rows pays.
	k := "row_number() OVER () - 1"
	if st.indexed {
		k = "r._k"
	}
	q := "CREATE OR REPLACE TEMP TABLE _md_reraw AS SELECT * FROM (SELECT " + k + " AS _k, " + strings.Join(rawSelect(m, st, pseudo, st.cleanExpr), ", ") +
		" FROM " + st.direct + " r) WHERE _k IN (SELECT " + st.kRef("_md_typed") + " FROM _md_typed WHERE _status = 'reject' AND NOT _raw)"
	if err := st.reading(ctx, func() error { _, err := execSQL(ctx, tx, q, st.directArgs...); return err }); err != nil {
		return err
	}
	var set, whens []string
	for i := range st.headers {
		set = append(set, rawCol(i)+" = x."+rawCol(i))
	}
	for _, col := range m.Contract.Columns {
		if i, ok := m.Source[col.Name]; ok {
			whens = append(whens, "WHEN "+quoteLit(col.Name)+" THEN x."+rawCol(i))
		}
	}
	raw := "CAST(NULL AS VARCHAR)"
	if len(whens) > 0 {
		raw = "CASE _md_typed._err.col " + strings.Join(whens, " ") + " END"
	}
	// A part of a reference not found (an item of a known survey) names the first part's text.
	info := "_md_typed._err.info"
	var parts []string
	for _, r := range m.Contract.Refs {
		if len(r.Columns) < 2 {
			continue
		}
		first, ok1 := m.Source[r.Columns[0]]
		_, ok2 := m.Source[r.Columns[len(r.Columns)-1]]
		if ok1 && ok2 {
			parts = append(parts, "WHEN _md_typed._err.code = 'unknown_reference_part' AND _md_typed._err.col = "+quoteLit(r.Columns[len(r.Columns)-1])+" THEN x."+rawCol(first))
		}
	}
	if len(parts) > 0 {
		info = "CASE " + strings.Join(parts, " ") + " ELSE _md_typed._err.info END"
	}
	set = append(set, "_raw = true", "_err = struct_pack(col := _md_typed._err.col, code := _md_typed._err.code, raw := "+raw+", info := "+info+")")
	_, err := execSQL(ctx, tx, "UPDATE _md_typed SET "+strings.Join(set, ", ")+" FROM _md_reraw x WHERE "+st.kRef("_md_typed")+" = x._k")
	return err
}

// refView lists the rows a reference can point at, with the name and the scope (unit, branch)
// used to resolve a name.
var refViews = map[string]string{
	"units":        `SELECT unit_id AS key, name, unit_id AS unit, CAST(NULL AS VARCHAR) AS branch FROM units`,
	"branches":     `SELECT branch_id AS key, name, unit_id AS unit, branch_id AS branch FROM branches`,
	"party_groups": `SELECT g.group_id AS key, g.name, b.unit_id AS unit, g.branch_id AS branch FROM party_groups g LEFT JOIN branches b ON b.branch_id = g.branch_id`,
	"teams":        `SELECT team_id AS key, name, unit_id AS unit, CAST(NULL AS VARCHAR) AS branch FROM teams`,
}

func datasetIndex(name string) int {
	if i, ok := loadOrder[name]; ok {
		return i
	}
	return len(loadOrder)
}

// loadOrder is each dataset's position in datasets.Names (which builds every contract anew).
var loadOrder = func() map[string]int {
	out := map[string]int{}
	for i, n := range datasets.Names() {
		out[n] = i
	}
	return out
}()

// orderedRefs are the contract's references in load order, so a unit given by name is a code
// before a team is scoped by it.
func orderedRefs(c datasets.Contract) []datasets.Ref {
	refs := append([]datasets.Ref(nil), c.Refs...)
	for i := 1; i < len(refs); i++ {
		for j := i; j > 0 && datasetIndex(refs[j].Dataset) < datasetIndex(refs[j-1].Dataset); j-- {
			refs[j], refs[j-1] = refs[j-1], refs[j]
		}
	}
	return refs
}

// byName tells whether a reference may be given by name (resolved to a code through refViews).
func byName(r datasets.Ref) bool {
	_, ok := refViews[r.Dataset]
	return ok && len(r.Columns) == 1 && r.NameColumn != ""
}

// refProbe is the condition, over _md_typed, that reference r has work to do: some good row
// names a value that is not a key of the referenced table (a name to resolve, or a key not
// found). ok is false when the file does not carry every column of r.
func refProbe(m *Mapping, r datasets.Ref) (cond string, ok bool) {
	for _, col := range r.Columns {
		if _, carried := m.Source[col]; !carried {
			return "", false
		}
	}
	if byName(r) {
		X := qi(r.Columns[0])
		return "EXISTS (SELECT 1 FROM (SELECT DISTINCT " + X + " FROM _md_typed WHERE _status = 'ok' AND " + X + " IS NOT NULL) d WHERE d." + X +
			" NOT IN (SELECT key FROM (" + refViews[r.Dataset] + ")))", true
	}
	var dConds, notNull, cols []string
	for k, col := range r.Columns {
		dConds = append(dConds, "x."+qi(r.To[k])+" = d."+qi(col))
		notNull = append(notNull, qi(col)+" IS NOT NULL")
		cols = append(cols, qi(col))
	}
	// The file's distinct keys are few (1.7 M attendance rows name ~100 k meetings): the
	// anti-join runs on them, and the UPDATE over every row only when one is missing.
	distinct := "SELECT DISTINCT " + strings.Join(cols, ", ") + " FROM _md_typed WHERE _status = 'ok' AND " + strings.Join(notNull, " AND ")
	if len(r.Columns) == 1 && personal(m.Contract, r.Columns[0]) {
		// A person's pseudonyms are already listed once each (pseudoSQL): no aggregate over every
		// row. The list also holds the values of rows refused while typing, which can only make
		// the probe say yes where the UPDATE then finds nothing to refuse.
		distinct = "SELECT p AS " + cols[0] + " FROM " + pseudoTable(m.Source[r.Columns[0]]) + " WHERE p IS NOT NULL"
	}
	return "EXISTS (SELECT 1 FROM (" + distinct + ") d WHERE NOT EXISTS (SELECT 1 FROM " + qi(r.Dataset) + " x WHERE " + strings.Join(dConds, " AND ") + "))", true
}

// personal tells whether the contract column name holds personal values (pseudonymised).
func personal(c datasets.Contract, name string) bool {
	for _, col := range c.Columns {
		if col.Name == name {
			return col.Personal != datasets.NotPersonal
		}
	}
	return false
}

// resolveRefs checks every reference of the rows still good, resolving names to codes.
func resolveRefs(ctx context.Context, tx *sql.Tx, m *Mapping, pr *probe) error {
	for _, r := range orderedRefs(m.Contract) {
		cond, mapped := refProbe(m, r)
		if !mapped {
			continue
		}
		x := r.Columns[0]
		if found, err := pr.need(ctx, tx, refKey(r), cond); err != nil {
			return fmt.Errorf("check reference %s: %w", x, err)
		} else if !found {
			// Every value is a key of the referenced table: nothing to resolve, nothing refused.
			continue
		}
		pr.dirty = true
		raw := rawCol(m.Source[x])
		view := refViews[r.Dataset]
		if byName(r) {
			// Names are resolved once per distinct (name, scope) in the file, not once per row: a
			// survey file names the same few thousand teams on 480 k rows (the per-row join and
			// list aggregate took 1.8 s of such a file).
			X := qi(x)
			var scopeCols, scope, on []string
			if _, ok := m.Source["unit_id"]; ok && x != "unit_id" && r.Dataset != "units" {
				scopeCols = append(scopeCols, qi("unit_id"))
				scope = append(scope, " AND (d.unit_id IS NULL OR r.unit = d.unit_id)")
			}
			if _, ok := m.Source["branch_id"]; ok && x != "branch_id" && r.Dataset == "party_groups" {
				scopeCols = append(scopeCols, qi("branch_id"))
				scope = append(scope, " AND (d.branch_id IS NULL OR r.branch = d.branch_id)")
			}
			sel := append([]string{X}, scopeCols...)
			for _, c := range sel {
				on = append(on, "_md_typed."+c+" IS NOT DISTINCT FROM _md_res."+c)
			}
			good := "_md_typed._status = 'ok' AND "
			stmts := []string{"CREATE OR REPLACE TEMP TABLE _md_ref AS SELECT key, name, md_clean(name) AS cname, unit, branch FROM (" + view + ")",
				"CREATE OR REPLACE TEMP TABLE _md_res AS SELECT d.*, list_sort(list(DISTINCT r.key)) AS cands FROM (SELECT DISTINCT " + strings.Join(sel, ", ") +
					" FROM _md_typed WHERE _status = 'ok' AND " + X + " IS NOT NULL AND " + X + " NOT IN (SELECT key FROM _md_ref)) d JOIN _md_ref r ON r.cname = d." + X +
					strings.Join(scope, "") + " GROUP BY ALL"}
			for _, s := range stmts {
				if _, err := execSQL(ctx, tx, s); err != nil {
					return fmt.Errorf("resolve %s: %w", x, err)
				}
			}
			for _, u := range []struct{ n, set string }{
				{"= 1", X + " = _md_res.cands[1]"},
				{"> 1", "_status = 'reject', _err = " + errStruct(x, "ambiguous_reference", "_md_typed."+raw, "array_to_string(_md_res.cands, ', ')")},
			} {
				var found bool
				if err := scanSQL(ctx, tx, "SELECT EXISTS (SELECT 1 FROM _md_res WHERE len(cands) "+u.n+")", nil, &found); err != nil {
					return fmt.Errorf("resolve %s: %w", x, err)
				}
				if !found {
					continue
				}
				if _, err := execSQL(ctx, tx, "UPDATE _md_typed SET "+u.set+" FROM _md_res WHERE "+good+strings.Join(on, " AND ")+" AND len(_md_res.cands) "+u.n); err != nil {
					return fmt.Errorf("resolve %s: %w", x, err)
				}
			}
			if len(scope) > 0 {
				// A name that is not under the unit or branch given but exists elsewhere is filed
				// under the wrong branch, not missing: say where it is.
				var onOOS []string
				for _, c := range sel {
					onOOS = append(onOOS, "_md_typed."+c+" IS NOT DISTINCT FROM _md_oos."+c)
				}
				stmt := "CREATE OR REPLACE TEMP TABLE _md_oos AS SELECT d.*, list_sort(list(DISTINCT r.key || '（' || coalesce(r.branch, r.unit, '') || '）')) AS cands FROM (SELECT DISTINCT " +
					strings.Join(sel, ", ") + " FROM _md_typed WHERE _status = 'ok' AND " + X + " IS NOT NULL AND " + X + " NOT IN (SELECT key FROM _md_ref)) d JOIN _md_ref r ON r.cname = d." + X + " GROUP BY ALL"
				if _, err := execSQL(ctx, tx, stmt); err != nil {
					return fmt.Errorf("resolve %s: %w", x, err)
				}
				if _, err := execSQL(ctx, tx, "UPDATE _md_typed SET _status = 'reject', _err = "+errStruct(x, "out_of_scope", "_md_typed."+raw, "array_to_string(_md_oos.cands, ', ')")+
					" FROM _md_oos WHERE _md_typed._status = 'ok' AND "+strings.Join(onOOS, " AND ")); err != nil {
					return fmt.Errorf("resolve %s: %w", x, err)
				}
			}
			if err := updateIfAny(ctx, tx, "UPDATE _md_typed SET _status = 'reject', _err = "+errStruct(x, "unknown_reference", raw, "NULL"),
				" WHERE _status = 'ok' AND "+X+" IS NOT NULL AND "+X+" NOT IN (SELECT key FROM _md_ref)"); err != nil {
				return fmt.Errorf("resolve %s: %w", x, err)
			}
			continue
		}
		var conds, notNull []string
		for k, col := range r.Columns {
			conds = append(conds, "x."+qi(r.To[k])+" = _md_typed."+qi(col))
			notNull = append(notNull, qi(col)+" IS NOT NULL")
		}
		good := " WHERE _status = 'ok' AND " + strings.Join(notNull, " AND ")
		where := good + " AND NOT EXISTS (SELECT 1 FROM " + qi(r.Dataset) + " x WHERE " + strings.Join(conds, " AND ") + ")"
		if len(r.Columns) > 1 {
			// The first part exists (the survey), the whole does not (its item): the last
			// column is at fault.
			last := r.Columns[len(r.Columns)-1]
			part := where + " AND EXISTS (SELECT 1 FROM " + qi(r.Dataset) + " x WHERE x." + qi(r.To[0]) + " = _md_typed." + qi(r.Columns[0]) + ")"
			if err := updateIfAny(ctx, tx, "UPDATE _md_typed SET _status = 'reject', _err = "+errStruct(last, "unknown_reference_part", rawCol(m.Source[last]), "_md_typed."+raw), part); err != nil {
				return fmt.Errorf("check reference %s: %w", x, err)
			}
		}
		if _, err := execSQL(ctx, tx, "UPDATE _md_typed SET _status = 'reject', _err = "+errStruct(x, "unknown_reference", raw, "NULL")+where); err != nil {
			return fmt.Errorf("check reference %s: %w", x, err)
		}
	}
	return nil
}

// updateIfAny runs update+where only when some row of _md_typed matches where: most files have
// no bad reference and no failed check, and a read-only scan is cheaper than an UPDATE that
// changes nothing (1.7 M attendance rows: two reference checks 3.3 s before this).
func updateIfAny(ctx context.Context, tx *sql.Tx, update, where string) error {
	var found bool
	if err := scanSQL(ctx, tx, "SELECT EXISTS (SELECT 1 FROM _md_typed"+where+")", nil, &found); err != nil {
		return err
	}
	if !found {
		return nil
	}
	_, err := execSQL(ctx, tx, update+where)
	return err
}

// checkStep is how a contract check is applied to the file: the rows it refuses are those of
// from+where, set by update+from+where. ok is false when the check does not apply (a check
// against a referenced row whose reference or column the file does not carry).
func checkStep(m *Mapping, ch datasets.Check) (update, from, where string, ok bool) {
	if ch.Ref == "" {
		return "UPDATE _md_typed SET _status = 'reject', _err = " + errStruct("", "check:"+ch.Name, "", "NULL"), "",
			" WHERE _status = 'ok' AND NOT coalesce((" + ch.SQL + "), true)", true
	}
	i, ok := m.Source[ch.Column]
	if !ok {
		return "", "", "", false
	}
	for _, r := range m.Contract.Refs {
		if r.Dataset != ch.Ref {
			continue
		}
		var on []string
		for k, col := range r.Columns {
			if _, ok := m.Source[col]; !ok {
				return "", "", "", false
			}
			on = append(on, "x."+qi(r.To[k])+" = _md_typed."+qi(col))
		}
		return "UPDATE _md_typed SET _status = 'reject', _err = " + errStruct(ch.Column, "check:"+ch.Name, "_md_typed."+rawCol(i), ch.Info), " FROM " + qi(r.Dataset) + " x",
			" WHERE _md_typed._status = 'ok' AND " + strings.Join(on, " AND ") + " AND NOT coalesce((" + ch.SQL + "), true)", true
	}
	return "", "", "", false
}

// checkProbe is the condition that check ch refuses some row.
func checkProbe(from, where string) string {
	if from == "" {
		return "EXISTS (SELECT 1 FROM _md_typed" + where + ")"
	}
	return "EXISTS (SELECT 1 FROM _md_typed," + strings.TrimPrefix(from, " FROM") + where + ")"
}

// applyChecks rejects rows where a contract check is false; a check against a referenced row
// runs when the file carries the reference and the column. A check runs its UPDATE only when
// some row fails it: most files fail none, and a read-only scan is cheaper than an UPDATE
// that changes nothing.
func applyChecks(ctx context.Context, tx *sql.Tx, m *Mapping, pr *probe) error {
	for _, ch := range m.Contract.Checks {
		update, from, where, ok := checkStep(m, ch)
		if !ok {
			continue
		}
		found, err := pr.need(ctx, tx, "check:"+ch.Name, checkProbe(from, where))
		if err == nil && found {
			pr.dirty = true
			_, err = execSQL(ctx, tx, update+from+where)
		}
		if err != nil {
			return fmt.Errorf("check %s: %w", ch.Name, err)
		}
	}
	return nil
}

// markDuplicates marks later rows with the key of an earlier good row: exact copies become
// duplicates (loaded once), differing rows are rejected naming the earlier row.
func markDuplicates(ctx context.Context, tx *sql.Tx, m *Mapping, st *stagedPart) error {
	c := m.Contract
	var keys, cols, aCols, bCols []string
	for _, k := range c.Key {
		keys = append(keys, qi(k))
	}
	for _, col := range c.Columns {
		cols = append(cols, qi(col.Name))
		aCols = append(aCols, "a."+qi(col.Name))
		bCols = append(bCols, "b."+qi(col.Name))
	}
	k0 := c.Key[0]
	raw := "NULL"
	if i, ok := m.Source[k0]; ok {
		raw = "a." + rawCol(i)
	}
	// Most files have no repeated key: one hash aggregate says so, and the window over every
	// row (a sort by key) runs only when some key does repeat.
	var found bool
	// Grouped by the keys' hash, a fixed-size value, the aggregate is ~30 % cheaper than by the
	// key strings; a repeated hash (a repeated key, or a collision) leads to the exact check.
	if err := scanSQL(ctx, tx, "SELECT EXISTS (SELECT 1 FROM _md_typed WHERE _status = 'ok' GROUP BY hash("+strings.Join(keys, ", ")+") HAVING count(*) > 1)", nil, &found); err != nil {
		return fmt.Errorf("duplicates: %w", err)
	}
	if !found {
		return nil
	}
	stmts := []string{
		"CREATE OR REPLACE TEMP TABLE _md_first AS SELECT " + st.kRef("t") + " AS _k, first_value(" + st.kRef("t") + ") OVER (PARTITION BY " + strings.Join(keys, ", ") + " ORDER BY " + st.kRef("t") + ") AS first_k FROM _md_typed t WHERE _status = 'ok'",
		"CREATE OR REPLACE TEMP TABLE _md_dup AS SELECT f._k, row(" + strings.Join(aCols, ", ") + ") IS NOT DISTINCT FROM row(" + strings.Join(bCols, ", ") + ") AS same, " + st.lineRef("b") + " AS first_line, " +
			raw + " AS raw FROM _md_first f JOIN _md_typed a ON " + st.kRef("a") + " = f._k JOIN _md_typed b ON " + st.kRef("b") + " = f.first_k WHERE f._k <> f.first_k",
		"UPDATE _md_typed SET _status = 'dup' FROM _md_dup d WHERE " + st.kRef("_md_typed") + " = d._k AND d.same",
		"UPDATE _md_typed SET _status = 'reject', _err = " + errStruct(k0, "duplicate_key", "d.raw", "d.first_line") + " FROM _md_dup d WHERE " + st.kRef("_md_typed") + " = d._k AND NOT d.same",
	}
	for _, s := range stmts {
		if _, err := execSQL(ctx, tx, s); err != nil {
			return fmt.Errorf("duplicates: %w", err)
		}
	}
	return nil
}

// writeRejects copies every rejected row, whole, into _rejects with its reason, under the
// file's own header of the column. Personal columns are already masked in _md_typed; ID-number
// and phone patterns anywhere else in the row are masked here, so none is stored in clear.
func writeRejects(ctx context.Context, tx *sql.Tx, batch int64, m *Mapping, path, sheet string, st *stagedPart) error {
	return writeRejectsAs(ctx, tx, "?, ?, ?, ?", []any{batch, m.Contract.Name, path, nullable(sheet)}, "", m, st)
}

// writeRejectsAs is writeRejects with the start of each row (batch, dataset, path, sheet) given
// as SQL, its parameters args, for the rejected rows that also meet the condition and (" AND …").
func writeRejectsAs(ctx context.Context, tx execer, head string, args []any, and string, m *Mapping, st *stagedPart) error {
	var pairs []string
	seen := map[string]int{}
	for i, h := range st.headers {
		key := h
		if strings.TrimSpace(key) == "" {
			key = "column" + itoa(i+1)
		}
		seen[key]++
		if seen[key] > 1 {
			key += "_" + itoa(seen[key])
		}
		args = append(args, key)
		pairs = append(pairs, "?", "md_mask_text(t."+rawCol(i)+")")
	}
	rowData := "json_object(" + strings.Join(pairs, ", ") + ")"
	if len(pairs) == 0 {
		rowData = "json_object()"
	}
	raw := "md_mask_text(t._err.raw)"
	s := "INSERT INTO _rejects SELECT " + head + ", " + st.lineRef("t") + ", coalesce(r.hdr, t._err.col), " + raw + ", t._err.code, " +
		"format(coalesce(r.zh, t._err.code), coalesce(" + raw + ", ''), coalesce(t._err.info, '')), " +
		"format(coalesce(r.en, t._err.code), coalesce(" + raw + ", ''), coalesce(t._err.info, '')), " + rowData +
		" FROM _md_typed t LEFT JOIN _md_reason r ON r.col IS NOT DISTINCT FROM t._err.col AND r.code = t._err.code WHERE t._status = 'reject'" + and + " ORDER BY " + st.kRef("t")
	_, err := execSQL(ctx, tx, s, args...)
	return err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// mergeCounts are what a merge did; changed counts, per column the file carries, the existing
// rows whose value it changed.
type mergeCounts struct {
	loaded, updated, unchanged int64
	changed                    map[string]int64
}

// merge writes the good rows into the dataset table by natural key. A file updates only the
// columns it carries: a column it lacks keeps the stored value (a contact list of 工号, 姓名 and
// 手机号 never blanks anyone's group or team).
func merge(ctx context.Context, tx *sql.Tx, batch int64, m *Mapping, st *stagedPart) (mergeCounts, error) {
	c := m.Contract
	T := qi(c.Name)
	// A run of files gives each row its file's batch.
	batchSQL, batchArgs := "?", []any{batch}
	if st.run != nil {
		batchSQL, batchArgs = st.run.perFile("g", st.run.batches), nil
	}
	var on, gCols, cols, delOn, gCarried, tCarried, mergedCols, chCols, chNames []string
	for _, k := range c.Key {
		on = append(on, "t."+qi(k)+" = g."+qi(k))
		delOn = append(delOn, T+"."+qi(k)+" = g."+qi(k))
	}
	isKey := map[string]bool{}
	for _, k := range c.Key {
		isKey[k] = true
	}
	var kept []string
	for _, col := range c.Columns {
		cols = append(cols, qi(col.Name))
		gCols = append(gCols, "g."+qi(col.Name))
		if _, carried := m.Source[col.Name]; carried {
			gCarried = append(gCarried, "g."+qi(col.Name))
			tCarried = append(tCarried, "t."+qi(col.Name))
			mergedCols = append(mergedCols, "g."+qi(col.Name))
			if !isKey[col.Name] {
				chCols = append(chCols, "g."+qi(col.Name)+" IS DISTINCT FROM t."+qi(col.Name)+" AS _ch"+itoa(len(chNames)))
				chNames = append(chNames, col.Name)
			}
			continue
		}
		// Not in the file: the stored value of an existing row, NULL for a new one.
		kept = append(kept, "t."+qi(col.Name)+" AS "+qi("_old_"+col.Name))
		mergedCols = append(mergedCols, "f."+qi("_old_"+col.Name))
	}
	fateCols := append([]string{st.kRef("g") + " AS _k", "CASE WHEN t." + qi(c.Key[0]) + " IS NULL THEN 'new' WHEN row(" + strings.Join(gCarried, ", ") +
		") IS NOT DISTINCT FROM row(" + strings.Join(tCarried, ", ") + ") THEN 'same' ELSE 'changed' END AS fate"}, kept...)
	fateCols = append(fateCols, chCols...)
	stmts := []string{
		"CREATE OR REPLACE TEMP TABLE _md_fate AS SELECT " + strings.Join(fateCols, ", ") + " FROM _md_typed g LEFT JOIN " + T + " t ON " +
			strings.Join(on, " AND ") + " WHERE g._status = 'ok'",
		"DELETE FROM " + T + " USING _md_typed g, _md_fate f WHERE f._k = " + st.kRef("g") + " AND f.fate = 'changed' AND " + strings.Join(delOn, " AND "),
	}
	var empty bool
	if err := scanSQL(ctx, tx, "SELECT NOT EXISTS (SELECT 1 FROM "+T+")", nil, &empty); err != nil {
		return mergeCounts{}, err
	}
	if !empty {
		// A file of new rows (a new year, a new period) shares no key with the table: one join
		// says so, and the rows are inserted without computing each one's fate and joining it
		// back (0.5–0.7 s of a 840 k-row file).
		overlap, err := keysOverlap(ctx, tx, c)
		if err != nil {
			return mergeCounts{}, fmt.Errorf("merge %s: %w", c.Name, err)
		}
		if overlap {
			if err := scanSQL(ctx, tx, "SELECT EXISTS (SELECT 1 FROM _md_typed g JOIN "+T+" t ON "+strings.Join(on, " AND ")+" WHERE g._status = 'ok')", nil, &overlap); err != nil {
				return mergeCounts{}, fmt.Errorf("merge %s: %w", c.Name, err)
			}
		}
		empty = !overlap
	}
	if empty {
		// Every good row is new, and no comparison is needed.
		ins := "INSERT INTO " + T + " (" + strings.Join(cols, ", ") + ", " + datasets.BatchIDColumn + ", " + datasets.SourceRowColumn + ") SELECT " +
			strings.Join(gCols, ", ") + ", " + batchSQL + ", " + st.lineRef("g") + " FROM _md_typed g WHERE g._status = 'ok'"
		res, err := insertUnordered(ctx, tx, ins, batchArgs...)
		if err != nil {
			return mergeCounts{}, fmt.Errorf("merge %s: %w", c.Name, err)
		}
		n, err := res.RowsAffected()
		return mergeCounts{loaded: n}, err
	}
	for _, s := range stmts {
		if _, err := execSQL(ctx, tx, s); err != nil {
			return mergeCounts{}, fmt.Errorf("merge %s: %w", c.Name, err)
		}
	}
	ins := "INSERT INTO " + T + " (" + strings.Join(cols, ", ") + ", " + datasets.BatchIDColumn + ", " + datasets.SourceRowColumn + ") SELECT " +
		strings.Join(mergedCols, ", ") + ", " + batchSQL + ", " + st.lineRef("g") + " FROM _md_typed g JOIN _md_fate f ON f._k = " + st.kRef("g") + " WHERE f.fate IN ('new', 'changed')"
	if _, err := insertUnordered(ctx, tx, ins, batchArgs...); err != nil {
		return mergeCounts{}, fmt.Errorf("merge %s: %w", c.Name, err)
	}
	mc := mergeCounts{changed: map[string]int64{}}
	aggs := []string{"count(*) FILTER (fate = 'new')", "count(*) FILTER (fate = 'changed')", "count(*) FILTER (fate = 'same')"}
	for i := range chNames {
		aggs = append(aggs, "count(*) FILTER (fate = 'changed' AND _ch"+itoa(i)+")")
	}
	per := make([]int64, len(chNames))
	dest := []any{&mc.loaded, &mc.updated, &mc.unchanged}
	for i := range per {
		dest = append(dest, &per[i])
	}
	if err := scanSQL(ctx, tx, "SELECT "+strings.Join(aggs, ", ")+" FROM _md_fate", nil, dest...); err != nil {
		return mergeCounts{}, err
	}
	for i, name := range chNames {
		if per[i] > 0 {
			mc.changed[strings.TrimSpace(m.Headers[m.Source[name]])] = per[i]
		}
	}
	return mc, nil
}

// insertUnordered runs the merge's INSERT without preserving insertion order: each row carries
// its line in _source_row, so the table's physical order means nothing, and in order DuckDB
// writes each batch of the source (the typing query's CSV buffers, ~196 k patrol rows) as a full
// row group and a partial one. Those partial row groups are not written with the insert: they
// go to the WAL and are compressed at the next checkpoint, which then cost more than the insert
// (12 CPU-s at one commit of the province set, 9 at close). Unordered, each thread fills whole
// row groups and leaves one partial group. The setting is the database's, so it is restored
// before anything else runs on the connection.
func insertUnordered(ctx context.Context, tx *sql.Tx, ins string, args ...any) (sql.Result, error) {
	if _, err := execSQL(ctx, tx, "SET preserve_insertion_order = false"); err != nil {
		return nil, err
	}
	res, err := execSQL(ctx, tx, ins, args...)
	if _, rerr := execSQL(ctx, tx, "RESET preserve_insertion_order"); err == nil && rerr != nil {
		return nil, rerr
	}
	return res, err
}

// keysOverlap tells whether the table may hold a key of the file's good rows: whether some row
// has every key column within the file's range for it. Files come by period (ids and dates of
// one year), so the range test usually says no from the zone maps alone; the exact join, which
// builds a hash table of every key of the file, then runs only when it says yes.
func keysOverlap(ctx context.Context, tx *sql.Tx, c datasets.Contract) (bool, error) {
	var aggs, conds []string
	for _, k := range c.Key {
		aggs = append(aggs, "min("+qi(k)+")", "max("+qi(k)+")")
		typ := "VARCHAR"
		for _, col := range c.Columns {
			if col.Name == k {
				typ = col.Type.SQLType()
			}
		}
		conds = append(conds, qi(k)+" BETWEEN CAST(? AS "+typ+") AND CAST(? AS "+typ+")")
	}
	bounds := make([]any, len(aggs))
	ptrs := make([]any, len(aggs))
	for i := range bounds {
		ptrs[i] = &bounds[i]
	}
	if err := scanSQL(ctx, tx, "SELECT "+strings.Join(aggs, ", ")+" FROM _md_typed WHERE _status = 'ok'", nil, ptrs...); err != nil {
		return false, err
	}
	for _, b := range bounds {
		if b == nil {
			// No good row has this key column: nothing is inserted by key equality.
			return false, nil
		}
	}
	var found bool
	err := scanSQL(ctx, tx, "SELECT EXISTS (SELECT 1 FROM "+qi(c.Name)+" WHERE "+strings.Join(conds, " AND ")+")", bounds, &found)
	return found, err
}

// summaryRowPattern matches the first cell of a row that is no record but a line under (or
// inside) a table: totals, notes, who made it and when. Such rows are skipped and counted.
const summaryRowPattern = `^((合计|小计|总计|共计|累计)|((备注|附注|注|说明|填表说明|制表人|制表|制表单位|制表日期|填报人|填表人|填报单位|填报日期|填表日期|报送日期|审核人|审核|审批人|负责人|单位负责人|统计人|经办人|联系人|联系电话)\s*([:：]|$)))`

// summaryLeads are the first characters of the words summaryRowPattern starts with.
func summaryLeads() []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.FieldsFunc(summaryRowPattern, func(r rune) bool { return r < 0x80 }) {
		if lead := string([]rune(w)[:1]); !seen[lead] {
			seen[lead] = true
			out = append(out, lead)
		}
	}
	return out
}

// personalHeaders are the normalised headers of every personal column of every contract, with
// their kind: a file column under such a header holds personal values even where the dataset
// has no such column.
var personalHeaders = func() map[string]datasets.Personal {
	out := map[string]datasets.Personal{}
	for _, c := range datasets.All() {
		for _, col := range c.Columns {
			if col.Personal == datasets.NotPersonal {
				continue
			}
			for _, h := range col.Headers() {
				if k := NormalizeHeader(h); k != "" {
					if _, taken := out[k]; !taken {
						out[k] = col.Personal
					}
				}
			}
		}
	}
	return out
}()

// personalHeader tells whether a header names personal values, and which kind.
func personalHeader(h string) (datasets.Personal, bool) {
	k, ok := personalHeaders[NormalizeHeader(h)]
	return k, ok
}

// maskExpr masks a personal value for rejects: a name keeps its first character (杨*), an ID
// number its first and last four (3201**********2938), a phone number its first three and last
// four (138****8000), an employee number its first and last character (E**1).
func maskExpr(kind datasets.Personal, v string) string {
	switch kind {
	case datasets.PersonName:
		return "md_mask_keep(" + v + ", 1, 0)"
	case datasets.IDNumber:
		return "md_mask_keep(" + v + ", 4, 4)"
	case datasets.PhoneNumber:
		return "md_mask_keep(" + v + ", 3, 4)"
	}
	return "md_mask_keep(" + v + ", 1, 1)"
}

package ingest

import (
	"context"
	"database/sql"
	"fmt"
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
	// singleBase, when > 0, is the one base of _md_lines (row = k + base for every record),
	// which spares the typing query a join.
	singleBase int64
	// extraCol says _md_raw has the column extraCol after the header's columns, holding what a
	// row has beyond them (CSV): such a row is refused rather than silently cut.
	extraCol bool
}

// extraColName is the staging column for fields beyond the header.
const extraColName = "_cx"

// setupConn prepares a pinned connection: macros, the enum and reason tables.
func setupConn(ctx context.Context, conn *sql.Conn) error {
	for _, s := range macroSQL() {
		if _, err := execSQL(ctx, conn, s); err != nil {
			return fmt.Errorf("prepare ingest connection: %w", err)
		}
	}
	var vals []string
	var args []any
	for _, c := range datasets.All() {
		for _, col := range c.Columns {
			seen := map[string]bool{}
			for _, v := range col.Values {
				for _, k := range append([]string{v.Code, v.Label.Zh, v.Label.En}, v.Aliases...) {
					key := enumKey(k)
					if key == "" || seen[key] {
						continue
					}
					seen[key] = true
					vals = append(vals, "(?, ?, ?, ?)")
					args = append(args, c.Name, col.Name, key, v.Code)
				}
			}
		}
	}
	_, err := execSQL(ctx, conn, "INSERT INTO _md_enum VALUES "+strings.Join(vals, ", "), args...)
	return err
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

// cleanExpr is the SQL that cleans (folds and trims) raw text column i; trimExpr only trims.
func (st *stagedPart) cleanExpr(i int) string {
	if st.plain {
		return "nullif(trim(r." + rawCol(i) + "), '')"
	}
	return "md_clean(r." + rawCol(i) + ")"
}

func (st *stagedPart) trimExpr(i int) string {
	if st.plain {
		return "nullif(trim(r." + rawCol(i) + "), '')"
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
func pseudoRef(i int) string   { return "ps" + itoa(i) + ".p" }

// pseudoSQL builds the statements that pseudonymise each personal column's distinct cleaned
// values once (the keyed hash runs in Go, a call per value): a file names the same person on
// many rows, and the typing query joins the pseudonyms back.
func pseudoSQL(m *Mapping, st *stagedPart, pseudo string) []string {
	var out []string
	for i, kind := range personalColumns(m) {
		out = append(out, "CREATE OR REPLACE TEMP TABLE "+pseudoTable(i)+" AS SELECT v, "+pseudo+"("+quoteLit(string(kind))+", v) AS p FROM (SELECT DISTINCT "+
			st.cleanExpr(i)+" AS v FROM _md_raw r) WHERE v IS NOT NULL")
	}
	return out
}

// typedSQL builds the statement that creates _md_typed from _md_raw: the raw text, the cleaned
// text, every contract column typed, _blank, and _err (the first fault of the row).
func typedSQL(m *Mapping, st *stagedPart, pseudo string) string {
	c := m.Contract
	n := len(st.headers)
	// Level 1: raw text (personal columns replaced by their pseudonym), cleaned text per column.
	var l1 []string
	if st.singleBase > 0 {
		l1 = append(l1, "r._k", "r._k + "+strconv.FormatInt(st.singleBase, 10)+" AS _line")
	} else {
		l1 = append(l1, "r._k", "r._k + l.base AS _line")
	}
	personalAt := personalColumns(m)
	var blank []string
	for i := 0; i < n; i++ {
		blank = append(blank, st.cleanExpr(i)+" IS NULL")
		if kind, ok := personalAt[i]; ok && pseudo != "" {
			l1 = append(l1, pseudoRef(i)+" AS "+rawCol(i))
			if kind == datasets.IDNumber {
				v := st.cleanExpr(i)
				// In a workbook a text cell keeps every digit, so 18 digits with a wrong check digit
				// are a number Excel has rounded; elsewhere only the scientific form says so.
				sci := "regexp_full_match(" + v + ", '[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+')"
				if st.numericCells {
					sci = "(" + sci + " OR (regexp_full_match(" + v + ", '[0-9]{18}') AND " + idCheckSQL(v) + "))"
				}
				l1 = append(l1, sci+" AS _idsci_"+itoa(i))
				l1 = append(l1, "(regexp_full_match("+v+", '[0-9]{17}[0-9Xx]') AND "+idCheckSQL(v)+") OR NOT regexp_full_match("+v+", '[0-9]{17}[0-9Xx]|[0-9]{15}') AS _idbad_"+itoa(i))
			}
		} else {
			l1 = append(l1, "r."+rawCol(i))
		}
	}
	if st.extraCol {
		l1 = append(l1, "r."+extraColName)
		blank = append(blank, "nullif(trim(r."+extraColName+"), '') IS NULL")
	}
	if len(blank) == 0 {
		blank = []string{"true"}
	}
	l1 = append(l1, "("+strings.Join(blank, " AND ")+") AS _blank")
	for _, col := range c.Columns {
		i, ok := m.Source[col.Name]
		if !ok {
			continue
		}
		expr := st.trimExpr(i)
		if folded(c, col) {
			expr = st.cleanExpr(i)
		}
		if col.Personal != datasets.NotPersonal && pseudo != "" {
			expr = pseudoRef(i)
		}
		l1 = append(l1, expr+" AS "+sCol(col.Name))
	}
	from1 := "(SELECT rowid AS _k, * FROM _md_raw) r ASOF LEFT JOIN _md_lines l ON r._k >= l.k"
	if st.singleBase > 0 {
		from1 = "(SELECT rowid AS _k, * FROM _md_raw) r"
	}
	if pseudo != "" {
		for i := 0; i < n; i++ {
			if _, ok := personalAt[i]; ok {
				from1 += " LEFT JOIN " + pseudoTable(i) + " ps" + itoa(i) + " ON ps" + itoa(i) + ".v = " + st.cleanExpr(i)
			}
		}
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
		switch col.Type {
		case datasets.TypeInteger:
			e = "md_int(" + s + ")"
		case datasets.TypeNumber:
			e = "md_num(" + s + ")"
		case datasets.TypeDate:
			e = "md_date(" + s + ", " + base + ")"
		case datasets.TypeBool:
			e = "md_bool(" + s + ")"
		case datasets.TypeEnum:
			// A CASE over the contract's spellings: faster than a join for a few dozen values.
			var whens []string
			seen := map[string]bool{}
			for _, v := range col.Values {
				for _, k := range append([]string{v.Code, v.Label.Zh, v.Label.En}, v.Aliases...) {
					if key := enumKey(k); key != "" && !seen[key] {
						seen[key] = true
						whens = append(whens, "WHEN "+quoteLit(key)+" THEN "+quoteLit(v.Code))
					}
				}
			}
			e = "(CASE lower(" + s + ") " + strings.Join(whens, " ") + " END)"
		default:
			e = s
		}
		l2 = append(l2, e+" AS "+qi(col.Name))
	}

	// Level 3: the first fault, in column order; fields beyond the header come first, since
	// they mean the row's fields are misaligned and every other message would mislead.
	var errs, conds []string
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
		add := func(code, cond string) {
			conds = append(conds, cond)
			errs = append(errs, "CASE WHEN "+cond+" THEN "+errStruct(col.Name, code, rawCol(i), "NULL")+" END")
		}
		if col.Required {
			add("missing_required", s+" IS NULL")
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
			add("bad_date", "(year("+v+") < 1900 OR year("+v+") > 2100)")
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
	keep := []string{"_k", "_line"}
	for i := 0; i < n; i++ {
		keep = append(keep, rawCol(i))
	}
	keep = append(keep, "_blank")
	for _, col := range c.Columns {
		keep = append(keep, qi(col.Name))
	}
	errExpr := "CAST(NULL AS STRUCT(col VARCHAR, code VARCHAR, raw VARCHAR, info VARCHAR))"
	if len(errs) > 0 {
		// Most rows have no fault: one OR over the conditions finds the few that do, and only
		// those build the struct (each CASE of the coalesce, run on every row, made a vector of
		// NULL structs: a fifth of the typing query).
		errExpr = "CASE WHEN _blank THEN NULL WHEN (" + strings.Join(conds, ") OR (") + ") THEN coalesce(" + strings.Join(errs, ", ") + ") END"
	}
	return "CREATE OR REPLACE TEMP TABLE _md_typed AS WITH s AS (SELECT " + strings.Join(l1, ", ") + " FROM " + from1 +
		"), t AS (SELECT " + strings.Join(l2, ", ") + " FROM s " + strings.Join(joins, " ") +
		"), e AS (SELECT *, " + errExpr + " AS _err FROM t) SELECT " + strings.Join(keep, ", ") + ", _err, CASE WHEN _blank THEN 'blank' WHEN _err IS NOT NULL THEN 'reject' ELSE 'ok' END AS _status FROM e"
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

// refView lists the rows a reference can point at, with the name and the scope (unit, branch)
// used to resolve a name.
var refViews = map[string]string{
	"units":        `SELECT unit_id AS key, name, unit_id AS unit, CAST(NULL AS VARCHAR) AS branch FROM units`,
	"branches":     `SELECT branch_id AS key, name, unit_id AS unit, branch_id AS branch FROM branches`,
	"party_groups": `SELECT g.group_id AS key, g.name, b.unit_id AS unit, g.branch_id AS branch FROM party_groups g LEFT JOIN branches b ON b.branch_id = g.branch_id`,
	"teams":        `SELECT team_id AS key, name, unit_id AS unit, CAST(NULL AS VARCHAR) AS branch FROM teams`,
}

func datasetIndex(name string) int {
	for i, n := range datasets.Names() {
		if n == name {
			return i
		}
	}
	return len(datasets.Names())
}

// resolveRefs checks every reference of the rows still good, resolving names to codes.
func resolveRefs(ctx context.Context, tx *sql.Tx, m *Mapping) error {
	c := m.Contract
	refs := append([]datasets.Ref(nil), c.Refs...)
	// Resolve in load order, so a unit given by name is a code before a team is scoped by it.
	for i := 1; i < len(refs); i++ {
		for j := i; j > 0 && datasetIndex(refs[j].Dataset) < datasetIndex(refs[j-1].Dataset); j-- {
			refs[j], refs[j-1] = refs[j-1], refs[j]
		}
	}
	for _, r := range refs {
		mapped := true
		for _, col := range r.Columns {
			if _, ok := m.Source[col]; !ok {
				mapped = false
			}
		}
		if !mapped {
			continue
		}
		x := r.Columns[0]
		raw := rawCol(m.Source[x])
		view, byName := refViews[r.Dataset]
		if len(r.Columns) == 1 && byName && r.NameColumn != "" {
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
			good := "_md_typed._err IS NULL AND NOT _md_typed._blank AND "
			stmts := []string{"CREATE OR REPLACE TEMP TABLE _md_ref AS SELECT key, name, md_clean(name) AS cname, unit, branch FROM (" + view + ")",
				"CREATE OR REPLACE TEMP TABLE _md_res AS SELECT d.*, list_sort(list(DISTINCT r.key)) AS cands FROM (SELECT DISTINCT " + strings.Join(sel, ", ") +
					" FROM _md_typed WHERE _err IS NULL AND NOT _blank AND " + X + " IS NOT NULL AND " + X + " NOT IN (SELECT key FROM _md_ref)) d JOIN _md_ref r ON r.cname = d." + X +
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
			if err := updateIfAny(ctx, tx, "UPDATE _md_typed SET _status = 'reject', _err = "+errStruct(x, "unknown_reference", raw, "NULL"),
				" WHERE _err IS NULL AND NOT _blank AND "+X+" IS NOT NULL AND "+X+" NOT IN (SELECT key FROM _md_ref)"); err != nil {
				return fmt.Errorf("resolve %s: %w", x, err)
			}
			continue
		}
		var conds, dConds, notNull, cols []string
		for k, col := range r.Columns {
			conds = append(conds, "x."+qi(r.To[k])+" = _md_typed."+qi(col))
			dConds = append(dConds, "x."+qi(r.To[k])+" = d."+qi(col))
			notNull = append(notNull, qi(col)+" IS NOT NULL")
			cols = append(cols, qi(col))
		}
		good := " WHERE _err IS NULL AND NOT _blank AND " + strings.Join(notNull, " AND ")
		// The file's distinct keys are few (1.7 M attendance rows name ~100 k meetings): the
		// anti-join runs on them, and the UPDATE over every row only when one is missing.
		var found bool
		if err := scanSQL(ctx, tx, "SELECT EXISTS (SELECT 1 FROM (SELECT DISTINCT "+strings.Join(cols, ", ")+" FROM _md_typed"+good+") d WHERE NOT EXISTS (SELECT 1 FROM "+
			qi(r.Dataset)+" x WHERE "+strings.Join(dConds, " AND ")+"))", nil, &found); err != nil {
			return fmt.Errorf("check reference %s: %w", x, err)
		}
		if !found {
			continue
		}
		where := good + " AND NOT EXISTS (SELECT 1 FROM " + qi(r.Dataset) + " x WHERE " + strings.Join(conds, " AND ") + ")"
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

// applyChecks rejects rows where a contract check is false.
func applyChecks(ctx context.Context, tx *sql.Tx, c datasets.Contract) error {
	for _, ch := range c.Checks {
		if err := updateIfAny(ctx, tx, "UPDATE _md_typed SET _status = 'reject', _err = "+errStruct("", "check:"+ch.Name, "", "NULL"),
			" WHERE _err IS NULL AND NOT _blank AND NOT coalesce(("+ch.SQL+"), true)"); err != nil {
			return fmt.Errorf("check %s: %w", ch.Name, err)
		}
	}
	return nil
}

// markDuplicates marks later rows with the key of an earlier good row: exact copies become
// duplicates (loaded once), differing rows are rejected naming the earlier row.
func markDuplicates(ctx context.Context, tx *sql.Tx, m *Mapping) error {
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
		"CREATE OR REPLACE TEMP TABLE _md_first AS SELECT _k, first_value(_k) OVER (PARTITION BY " + strings.Join(keys, ", ") + " ORDER BY _k) AS first_k FROM _md_typed WHERE _status = 'ok'",
		"CREATE OR REPLACE TEMP TABLE _md_dup AS SELECT f._k, row(" + strings.Join(aCols, ", ") + ") IS NOT DISTINCT FROM row(" + strings.Join(bCols, ", ") + ") AS same, b._line AS first_line, " +
			raw + " AS raw FROM _md_first f JOIN _md_typed a ON a._k = f._k JOIN _md_typed b ON b._k = f.first_k WHERE f._k <> f.first_k",
		"UPDATE _md_typed SET _status = 'dup' FROM _md_dup d WHERE _md_typed._k = d._k AND d.same",
		"UPDATE _md_typed SET _status = 'reject', _err = " + errStruct(k0, "duplicate_key", "d.raw", "d.first_line") + " FROM _md_dup d WHERE _md_typed._k = d._k AND NOT d.same",
	}
	for _, s := range stmts {
		if _, err := execSQL(ctx, tx, s); err != nil {
			return fmt.Errorf("duplicates: %w", err)
		}
	}
	return nil
}

// writeRejects copies every rejected row, whole, into _rejects with its reason.
func writeRejects(ctx context.Context, tx *sql.Tx, batch int64, m *Mapping, path, sheet string, st *stagedPart) error {
	args := []any{batch, m.Contract.Name, path, nullable(sheet)}
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
		pairs = append(pairs, "?", "t."+rawCol(i))
	}
	rowData := "json_object(" + strings.Join(pairs, ", ") + ")"
	if len(pairs) == 0 {
		rowData = "json_object()"
	}
	s := "INSERT INTO _rejects SELECT ?, ?, ?, ?, t._line, t._err.col, t._err.raw, t._err.code, " +
		"format(coalesce(r.zh, t._err.code), coalesce(t._err.raw, ''), coalesce(t._err.info, '')), " +
		"format(coalesce(r.en, t._err.code), coalesce(t._err.raw, ''), coalesce(t._err.info, '')), " + rowData +
		" FROM _md_typed t LEFT JOIN _md_reason r ON r.col IS NOT DISTINCT FROM t._err.col AND r.code = t._err.code WHERE t._status = 'reject' ORDER BY t._k"
	_, err := execSQL(ctx, tx, s, args...)
	return err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// mergeCounts are what a merge did.
type mergeCounts struct{ loaded, updated, unchanged int64 }

// merge writes the good rows into the dataset table by natural key.
func merge(ctx context.Context, tx *sql.Tx, batch int64, c datasets.Contract) (mergeCounts, error) {
	T := qi(c.Name)
	var on, gCols, tCols, cols, delOn []string
	for _, k := range c.Key {
		on = append(on, "t."+qi(k)+" = g."+qi(k))
		delOn = append(delOn, T+"."+qi(k)+" = g."+qi(k))
	}
	for _, col := range c.Columns {
		cols = append(cols, qi(col.Name))
		gCols = append(gCols, "g."+qi(col.Name))
		tCols = append(tCols, "t."+qi(col.Name))
	}
	stmts := []string{
		"CREATE OR REPLACE TEMP TABLE _md_fate AS SELECT g._k, CASE WHEN t." + qi(c.Key[0]) + " IS NULL THEN 'new' WHEN row(" + strings.Join(gCols, ", ") +
			") IS NOT DISTINCT FROM row(" + strings.Join(tCols, ", ") + ") THEN 'same' ELSE 'changed' END AS fate FROM _md_typed g LEFT JOIN " + T + " t ON " +
			strings.Join(on, " AND ") + " WHERE g._status = 'ok'",
		"DELETE FROM " + T + " USING _md_typed g, _md_fate f WHERE f._k = g._k AND f.fate = 'changed' AND " + strings.Join(delOn, " AND "),
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
			strings.Join(gCols, ", ") + ", ?, g._line FROM _md_typed g WHERE g._status = 'ok'"
		res, err := execSQL(ctx, tx, ins, batch)
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
		strings.Join(gCols, ", ") + ", ?, g._line FROM _md_typed g JOIN _md_fate f ON f._k = g._k WHERE f.fate IN ('new', 'changed')"
	if _, err := execSQL(ctx, tx, ins, batch); err != nil {
		return mergeCounts{}, fmt.Errorf("merge %s: %w", c.Name, err)
	}
	var mc mergeCounts
	err := scanSQL(ctx, tx, "SELECT count(*) FILTER (fate = 'new'), count(*) FILTER (fate = 'changed'), count(*) FILTER (fate = 'same') FROM _md_fate", nil, &mc.loaded, &mc.updated, &mc.unchanged)
	return mc, err
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

package queries

import (
	"bufio"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries/sqlscan"
)

//go:embed sql/*.sql sql/fragments/*.sql
var embedded embed.FS

// ErrUnknownQuery is returned for a query name that is not in the registry.
var ErrUnknownQuery = errors.New("unknown query")

// ErrParam is wrapped by every error about a parameter value (bad period, from after to, ...).
var ErrParam = errors.New("invalid query parameter")

// paramErrorf is a bad parameter value in both languages, wrapping ErrParam: zh and en take
// the same args.
func paramErrorf(zh, en string, args ...any) error {
	e := datasets.Errorf(zh, en, args...)
	e.Err = ErrParam
	return e
}

// paramError is paramErrorf of texts already made (a list joined with 、 in Chinese).
func paramError(zh, en string) error {
	return &datasets.Error{Err: ErrParam, Text: datasets.T(zh, en)}
}

// Querier is what a query runs on: a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Query is one named query: its header and its SQL with the fragments it uses prepended as
// common table expressions.
type Query struct {
	Name          string
	DescriptionZh string
	DescriptionEn string
	Params        []string // named parameters, in header order ($name in the SQL)
	Uses          []string // fragments, in the order they are prepended
	SQL           string   // the full statement, ready to run
	File          string   // the .sql file it came from

	// For a Session: the fragments (in order) and body SQL is composed from, and the shared
	// tables the query reads (see Session).
	frags  []fragment
	body   string
	shared []*sharedCTE
}

// Description returns the description in the language ("en" or anything else for Chinese).
func (q Query) Description(lang string) string {
	if lang == "en" {
		return q.DescriptionEn
	}
	return q.DescriptionZh
}

// Registry holds the named queries loaded from an fs.FS: NAME.sql files at its root (one query
// each, with a comment header) and fragments/NAME.sql (common table expressions shared by
// queries, listed in a query's "-- uses:" line, dependencies first).
//
// Header lines (at the top of the file, in any order):
//
//	-- name: group_activity
//	-- description_zh: …
//	-- description_en: …
//	-- params: period, from, to, unit
//	-- uses: calendar, groups, activity
//
// A query's body is either a SELECT or starts with its own WITH; the fragments it uses are
// joined in front as further common table expressions. Parameters are DuckDB named parameters
// ($name), always bound, never spliced into the text.
type Registry struct {
	queries map[string]Query
}

type fragment struct {
	name   string
	uses   []string
	params []string
	body   string
	ctes   []cte        // body split into its common table expressions
	shared []*sharedCTE // the CTEs its "-- shared:" header names
}

// cte is one common table expression of a fragment: its name and its whole text
// ("name AS (...)", with the comments before it), at [start, end) of the fragment's body.
type cte struct {
	name       string
	start, end int
}

// A sharedCTE is a fragment's CTE that a Session computes once per set of parameter values into
// a temporary table (the fragment's "-- shared: NAME" header): one whose result several queries
// of a report read, and which costs enough to compute that once is worth a table.
type sharedCTE struct {
	name     string
	fragment string
	// parts are the CTEs its statement defines, in composition order, itself last: those it
	// reads, directly or through each other, except what only a shared CTE it reads needs.
	parts []sharedPart
	deps  []*sharedCTE // the shared CTEs it reads: their tables stand in for them
	// params are the $names its statement binds; key the parameters its rows depend on (its
	// own and its deps'), so a query whose other parameters differ still finds the table.
	params, key []string
}

// sharedPart is one CTE of a shared CTE's statement: its text, or dep when another shared
// CTE's table stands in for it.
type sharedPart struct {
	fragment, name, text string
	dep                  *sharedCTE
}

// statement is the SQL computing sh, with tables[d] read for each shared CTE d it reads.
func (sh *sharedCTE) statement(tables map[*sharedCTE]string) string {
	var b strings.Builder
	b.WriteString("WITH ")
	for i, pt := range sh.parts {
		if i > 0 {
			b.WriteString(",\n")
		}
		if i == 0 || pt.fragment != sh.parts[i-1].fragment {
			b.WriteString("-- fragment " + pt.fragment + "\n")
		}
		if pt.dep != nil {
			b.WriteString(pt.name + " AS (SELECT * FROM temp." + tables[pt.dep] + ")")
		} else {
			b.WriteString(pt.text)
		}
	}
	b.WriteString("\nSELECT * FROM " + sh.name)
	return b.String()
}

var paramRe = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// LoadRegistry reads every query and fragment from fsys (see Registry for the layout).
func LoadRegistry(fsys fs.FS) (*Registry, error) {
	frags := map[string]fragment{}
	fragFiles, err := fs.Glob(fsys, "fragments/*.sql")
	if err != nil {
		return nil, err
	}
	for _, f := range fragFiles {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("queries: read %s: %w", f, err)
		}
		h, body := parseHeader(string(b))
		name := h["fragment"]
		if name == "" {
			return nil, fmt.Errorf("queries: %s: missing '-- fragment:' header", f)
		}
		if _, dup := frags[name]; dup {
			return nil, fmt.Errorf("queries: fragment %q defined twice", name)
		}
		fr := fragment{name: name, uses: splitList(h["uses"]), params: splitList(h["params"]), body: strings.TrimSpace(body)}
		if fr.ctes, err = splitCTEs(fr.body); err != nil {
			return nil, fmt.Errorf("queries: %s: %w", f, err)
		}
		frags[name] = fr
	}
	if err := resolveShared(fragFiles, fsys, frags); err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	r := &Registry{queries: map[string]Query{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("queries: read %s: %w", f, err)
		}
		h, body := parseHeader(string(b))
		q := Query{
			Name: h["name"], DescriptionZh: h["description_zh"], DescriptionEn: h["description_en"],
			Params: splitList(h["params"]), File: f,
		}
		if q.Name == "" || q.DescriptionZh == "" || q.DescriptionEn == "" {
			return nil, fmt.Errorf("queries: %s: the header needs name, description_zh and description_en", f)
		}
		if want := strings.TrimSuffix(path.Base(f), ".sql"); q.Name != want {
			return nil, fmt.Errorf("queries: %s: name %q does not match the file name", f, q.Name)
		}
		if _, dup := r.queries[q.Name]; dup {
			return nil, fmt.Errorf("queries: query %q defined twice", q.Name)
		}
		order, err := resolve(splitList(h["uses"]), frags)
		if err != nil {
			return nil, fmt.Errorf("queries: %s: %w", f, err)
		}
		q.Uses = order
		q.body = strings.TrimSpace(body)
		q.SQL = compose(order, frags, q.body, nil)
		for _, n := range order {
			q.frags = append(q.frags, frags[n])
		}
		q.shared = readsShared(q)
		if err := checkParams(q); err != nil {
			return nil, fmt.Errorf("queries: %s: %w", f, err)
		}
		r.queries[q.Name] = q
	}
	return r, nil
}

// parseHeader reads the leading "-- key: value" comment lines.
func parseHeader(text string) (map[string]string, string) {
	h := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	consumed := 0
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		rest, ok := strings.CutPrefix(trimmed, "--")
		if !ok {
			break
		}
		consumed += len(line) + 1
		k, v, found := strings.Cut(rest, ":")
		if !found {
			continue
		}
		k = strings.TrimSpace(k)
		if _, seen := h[k]; !seen && !strings.Contains(k, " ") {
			h[k] = strings.TrimSpace(v)
		}
	}
	if consumed > len(text) {
		consumed = len(text)
	}
	return h, text[consumed:]
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// resolve orders the fragments a query uses, dependencies first, each once.
func resolve(uses []string, frags map[string]fragment) ([]string, error) {
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("fragment %q depends on itself", n)
		case 2:
			return nil
		}
		f, ok := frags[n]
		if !ok {
			return fmt.Errorf("unknown fragment %q", n)
		}
		state[n] = 1
		for _, d := range f.uses {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[n] = 2
		order = append(order, n)
		return nil
	}
	for _, u := range uses {
		if err := visit(u); err != nil {
			return nil, err
		}
	}
	return order, nil
}

var leadingWith = regexp.MustCompile(`(?is)^with\s`)

// compose joins the fragments of order in front of body as common table expressions. replace
// maps a CTE's name to the text that stands in for its definition (a Session's temporary table).
func compose(order []string, frags map[string]fragment, body string, replace map[string]string) string {
	if len(order) == 0 {
		return body
	}
	var b strings.Builder
	b.WriteString("WITH ")
	for i, n := range order {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "-- fragment %s\n%s", n, frags[n].replaced(replace))
	}
	if loc := leadingWith.FindStringIndex(body); loc != nil {
		b.WriteString(",\n")
		b.WriteString(body[loc[1]:])
	} else {
		b.WriteString("\n")
		b.WriteString(body)
	}
	return b.String()
}

// replaced is the fragment's body with the CTEs named in replace given their stand-in text.
func (f fragment) replaced(replace map[string]string) string {
	if len(replace) == 0 {
		return f.body
	}
	var b strings.Builder
	at := 0
	for _, c := range f.ctes {
		if r, ok := replace[c.name]; ok {
			b.WriteString(f.body[at:c.start])
			b.WriteString(r)
			at = c.end
		}
	}
	b.WriteString(f.body[at:])
	return b.String()
}

var cteHead = regexp.MustCompile(`(?is)^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*([a-z_][a-z0-9_]*)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(`)

// splitCTEs splits a fragment's body into its common table expressions.
func splitCTEs(body string) ([]cte, error) {
	items, ok := sqlscan.SplitList(body)
	if !ok {
		return nil, errors.New("the fragment's parentheses, quotes or comments do not close")
	}
	var out []cte
	at := 0
	for _, it := range items {
		m := cteHead.FindStringSubmatch(it)
		if m == nil {
			return nil, fmt.Errorf("not a common table expression (name AS (...)): %.60q", it)
		}
		i := strings.Index(body[at:], it)
		if i < 0 {
			return nil, fmt.Errorf("common table expression %s not found in the body", m[1])
		}
		out = append(out, cte{name: strings.ToLower(m[1]), start: at + i, end: at + i + len(it)})
		at += i + len(it)
	}
	return out, nil
}

// resolveShared reads each fragment's "-- shared:" header and works out what computes each
// shared CTE: the CTEs before it (in its fragment and the fragments it uses) that it reads,
// directly or through each other. A shared CTE among them is read from its own table, so its
// statement keeps none of what only that one reads, and its parameters are not bound twice.
func resolveShared(files []string, fsys fs.FS, frags map[string]fragment) error {
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return fmt.Errorf("queries: read %s: %w", f, err)
		}
		h, _ := parseHeader(string(b))
		fr := frags[h["fragment"]]
		for _, name := range splitList(h["shared"]) {
			if !slices.ContainsFunc(fr.ctes, func(c cte) bool { return c.name == name }) {
				return fmt.Errorf("queries: %s: shared %q is not one of its common table expressions", f, name)
			}
			fr.shared = append(fr.shared, &sharedCTE{name: name, fragment: fr.name})
		}
		frags[fr.name] = fr
	}
	for _, fr := range frags {
		order, err := resolve(fr.uses, frags)
		if err != nil {
			return fmt.Errorf("queries: fragment %s: %w", fr.name, err)
		}
		// Every CTE a shared one of fr may read, in composition order.
		var before []sharedPart
		for _, n := range order {
			before = append(before, partsOf(frags[n])...)
		}
		own := partsOf(fr)
		for _, sh := range fr.shared {
			i := slices.IndexFunc(own, func(pt sharedPart) bool { return pt.name == sh.name })
			avail := append(slices.Clip(before), own[:i+1]...)
			sh.parts, sh.deps = readClosure(avail)
			text := sh.statement(nil)
			sh.params = paramNames(text)
			sh.key = sh.params
		}
	}
	// The keys include the deps' keys: a table's rows depend on what its deps' rows depend on.
	// A dep lies earlier in composition order, so at most as many passes as shared CTEs.
	for changed := true; changed; {
		changed = false
		for _, fr := range frags {
			for _, sh := range fr.shared {
				key := slices.Clone(sh.key)
				for _, d := range sh.deps {
					key = append(key, d.key...)
				}
				slices.Sort(key)
				if key = slices.Compact(key); !slices.Equal(key, sh.key) {
					sh.key, changed = key, true
				}
			}
		}
	}
	return nil
}

// partsOf lists f's CTEs as parts, with the shared one marked by its sharedCTE (f's own
// objects, so every fragment that reads them points at the same ones).
func partsOf(f fragment) []sharedPart {
	out := make([]sharedPart, len(f.ctes))
	for i, c := range f.ctes {
		out[i] = sharedPart{fragment: f.name, name: c.name, text: f.body[c.start:c.end]}
		for _, sh := range f.shared {
			if sh.name == c.name {
				out[i].dep = sh
			}
		}
	}
	return out
}

// readClosure keeps of avail (CTEs in composition order, the one to compute last) what the last
// one reads, directly or through the others; a shared CTE it reads is kept as a dep, its text not
// followed. The last one itself is kept as text.
func readClosure(avail []sharedPart) ([]sharedPart, []*sharedCTE) {
	idx := map[string]int{}
	for i, pt := range avail {
		idx[pt.name] = i
	}
	keep := make([]bool, len(avail))
	last := len(avail) - 1
	keep[last] = true
	var visit func(text string)
	visit = func(text string) {
		for _, w := range wordRe.FindAllString(stripComments(text), -1) {
			i, ok := idx[strings.ToLower(w)]
			if !ok || keep[i] {
				continue
			}
			keep[i] = true
			if avail[i].dep == nil {
				visit(avail[i].text)
			}
		}
	}
	visit(avail[last].text)
	var parts []sharedPart
	var deps []*sharedCTE
	for i, pt := range avail {
		if !keep[i] {
			continue
		}
		if i == last {
			pt.dep = nil
		} else if pt.dep != nil {
			deps = append(deps, pt.dep)
		}
		parts = append(parts, pt)
	}
	return parts, deps
}

var wordRe = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// readsShared lists the shared CTEs q reads: those its body reads, directly or through the
// CTEs it reads (a CTE only defined, never read, is not worth a table).
func readsShared(q Query) []*sharedCTE {
	type node struct {
		text   string
		shared *sharedCTE
	}
	defs := map[string]node{}
	for _, f := range q.frags {
		for _, c := range f.ctes {
			n := node{text: f.body[c.start:c.end]}
			for _, sh := range f.shared {
				if sh.name == c.name {
					n.shared = sh
				}
			}
			defs[c.name] = n
		}
	}
	var out []*sharedCTE
	seen := map[string]bool{}
	var visit func(text string)
	visit = func(text string) {
		for _, w := range wordRe.FindAllString(stripComments(text), -1) {
			w = strings.ToLower(w)
			n, ok := defs[w]
			if !ok || seen[w] {
				continue
			}
			seen[w] = true
			if n.shared != nil {
				out = append(out, n.shared) // its table stands in for it and what it reads
				continue
			}
			visit(n.text)
		}
	}
	visit(q.body)
	return out
}

// checkParams makes the header's params list exactly the $names used by the composed SQL.
func checkParams(q Query) error {
	used := paramNames(q.SQL)
	declared := map[string]bool{}
	for _, p := range q.Params {
		declared[p] = true
	}
	var missing, extra []string
	for _, u := range used {
		if !declared[u] {
			missing = append(missing, u)
		}
	}
	usedSet := map[string]bool{}
	for _, u := range used {
		usedSet[u] = true
	}
	for _, p := range q.Params {
		if !usedSet[p] {
			extra = append(extra, p)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		return fmt.Errorf("params header %v does not match the SQL (undeclared %v, unused %v)", q.Params, missing, extra)
	}
	return nil
}

func paramNames(sqlText string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range paramRe.FindAllStringSubmatch(stripComments(sqlText), -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// Get returns the query named name.
func (r *Registry) Get(name string) (Query, error) {
	q, ok := r.queries[name]
	if !ok {
		cause := fmt.Errorf("%w: %q", ErrUnknownQuery, name)
		if near := Nearest(name, r.Names(), 3); len(near) > 0 {
			return Query{}, &datasets.Error{Err: cause, Text: datasets.T(
				fmt.Sprintf("没有名为“%s”的查询；最接近的是：%s（全部查询见 mingdeng query --list）", name, strings.Join(near, "、")),
				fmt.Sprintf("no query named %q; the closest: %s (mingdeng query --list shows them all)", name, strings.Join(near, ", ")))}
		}
		return Query{}, &datasets.Error{Err: cause, Text: datasets.T(
			fmt.Sprintf("没有名为“%s”的查询；全部查询见 mingdeng query --list", name),
			fmt.Sprintf("no query named %q; mingdeng query --list shows them all", name))}
	}
	return q, nil
}

// Nearest is up to n of names closest to s, for a "did you mean" line: names that contain s or
// are contained in it first, then those within a few edits (a third of the length, at least
// two), nearest first; none when nothing is close.
func Nearest(s string, names []string, n int) []string {
	type cand struct {
		name string
		rank int
	}
	s = strings.ToLower(strings.TrimSpace(s))
	var cs []cand
	for _, name := range names {
		l := strings.ToLower(name)
		switch d := editDistance(s, l); {
		case s != "" && (strings.Contains(l, s) || strings.Contains(s, l)):
			cs = append(cs, cand{name, -1})
		case d <= max(2, len([]rune(s))/3):
			cs = append(cs, cand{name, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].rank < cs[j].rank })
	var out []string
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b in characters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Names lists the query names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.queries))
	for n := range r.queries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// List returns every query, sorted by name.
func (r *Registry) List() []Query {
	out := make([]Query, 0, len(r.queries))
	for _, n := range r.Names() {
		out = append(out, r.queries[n])
	}
	return out
}

var (
	defaultOnce sync.Once
	defaultReg  *Registry
	defaultErr  error
)

// Default returns the registry of the queries embedded in this package (queries/sql).
func Default() (*Registry, error) {
	defaultOnce.Do(func() {
		sub, err := fs.Sub(embedded, "sql")
		if err != nil {
			defaultErr = err
			return
		}
		defaultReg, defaultErr = LoadRegistry(sub)
	})
	return defaultReg, defaultErr
}

// Periods are the period grains a query accepts.
var Periods = []string{"month", "quarter", "half", "year"}

// Params are the values bound to a query's named parameters. Only the parameters a query
// declares are bound. Zero values mean the default: Period "half"; From/To the whole years
// covered by the activity and outcome records; Unit all units; Lags "0,1"; Config the defaults.
type Params struct {
	Period string    // month, quarter, half or year
	From   time.Time // first day (inclusive); zero: start of the first year with records
	To     time.Time // last day (inclusive); zero: end of the last year with records
	Unit   string    // unit code; empty: every unit
	Year   int       // the assessment year (assessment_totals)
	Lags   []int     // lags in periods (panel)
	Config *Config   // thresholds, cadences, defect limits; nil: DefaultConfig()
}

// Validate checks the parameter values.
func (p Params) Validate() error {
	if p.Period != "" && !validPeriod(p.Period) {
		zh, en := oneOf(Periods...)
		return paramError(fmt.Sprintf("期间粒度 period 的值“%s”无效，应为 %s", p.Period, zh),
			fmt.Sprintf("period %q: expected %s", p.Period, en))
	}
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		return paramErrorf("截止日期 to（%s）早于起始日期 from（%s）", "to %s is before from %s", p.To.Format(time.DateOnly), p.From.Format(time.DateOnly))
	}
	for _, l := range p.Lags {
		if l < 0 || l > 40 {
			return paramErrorf("滞后期 lag 的值 %d 无效，应为 0 到 40", "lag %d: expected 0 to 40", l)
		}
	}
	if p.Config != nil {
		if err := p.Config.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func validPeriod(s string) bool {
	for _, p := range Periods {
		if s == p {
			return true
		}
	}
	return false
}

// args returns the named arguments for q.
func (p Params) args(q Query) ([]any, error) {
	cfg := DefaultConfig()
	if p.Config != nil {
		cfg = *p.Config
	}
	period := p.Period
	if period == "" {
		period = "half"
	}
	lags := p.Lags
	if len(lags) == 0 {
		lags = []int{0, 1}
	}
	var out []any
	for _, name := range q.Params {
		var v any
		switch name {
		case "period":
			v = period
		case "from":
			v = dateOrNil(p.From)
		case "to":
			v = dateOrNil(p.To)
		case "unit":
			if p.Unit != "" {
				v = p.Unit
			}
		case "year":
			v = p.Year
		case "lags":
			parts := make([]string, len(lags))
			for i, l := range lags {
				parts[i] = fmt.Sprint(l)
			}
			v = strings.Join(parts, ",")
		case "model_post_kinds":
			v = strings.Join(cfg.ModelPostKinds, ",")
		case "limit_general":
			v = cfg.DefectLimits.General
		case "limit_serious":
			v = cfg.DefectLimits.Serious
		case "limit_critical":
			v = cfg.DefectLimits.Critical
		case "excellent":
			v = cfg.Assessment.Grades.Excellent
		case "cadences":
			s, err := cfg.cadencesJSON()
			if err != nil {
				return nil, err
			}
			v = s
		default:
			return nil, fmt.Errorf("queries: %s: no value for parameter %q", q.Name, name)
		}
		out = append(out, sql.Named(name, v))
	}
	return out, nil
}

func dateOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

// Run runs the named query with p bound and collects the result (at most maxRows rows when
// maxRows > 0).
func (r *Registry) Run(ctx context.Context, db Querier, name string, p Params, maxRows int) (*Table, error) {
	q, err := r.Get(name)
	if err != nil {
		return nil, err
	}
	return RunQuery(ctx, db, q, p, maxRows)
}

// RunQuery runs q with p bound.
func RunQuery(ctx context.Context, db Querier, q Query, p Params, maxRows int) (*Table, error) {
	text, args, err := statement(ctx, db, q, p)
	if err != nil {
		return nil, err
	}
	span := StartTrace()
	defer func() { span.End("%s (period %s)", q.Name, p.Period) }()
	rows, err := db.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", q.Name, err)
	}
	t, err := Collect(rows, maxRows)
	if err != nil {
		return t, fmt.Errorf("query %s: %w", q.Name, err)
	}
	return t, nil
}

// Run runs the named query of the embedded registry.
func Run(ctx context.Context, db Querier, name string, p Params) (*Table, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	return r.Run(ctx, db, name, p, 0)
}

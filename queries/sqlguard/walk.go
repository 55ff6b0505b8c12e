package sqlguard

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/mingdeng/mingdeng/datasets"
)

// The walker reads DuckDB's parse tree (json_serialize_sql) with allow-lists: every query
// node, table reference and expression class it meets must be one it knows, and every name
// in FROM must resolve, by SQL's scoping, to a common table expression visible at that spot
// or to a table or view the policy allows. Anything else is refused, so a construct DuckDB
// adds in a later version is refused until it is looked at, not let through.

// queryNodes are the query shapes a web query may have. RECURSIVE_CTE_NODE is left out on
// purpose: a recursive CTE can grow a value without bound (each step doubling a string)
// inside one operator, beyond the reach of the time limit and the memory watch.
var queryNodes = map[string]bool{"SELECT_NODE": true, "SET_OPERATION_NODE": true}

// tableRefs are the FROM items a web query may use. SHOW_REF (SHOW, DESCRIBE, SUMMARIZE)
// lists columns of any table, person-level ones included, and is not here.
var tableRefs = map[string]bool{
	"BASE_TABLE": true, "SUBQUERY": true, "JOIN": true, "EMPTY": true,
	"TABLE_FUNCTION": true, "EXPRESSION_LIST": true, "PIVOT": true,
}

// expressionClasses are the expression kinds a web query may use.
var expressionClasses = map[string]bool{
	"BETWEEN": true, "CASE": true, "CAST": true, "COLLATE": true, "COLUMN_REF": true,
	"COMPARISON": true, "CONJUNCTION": true, "CONSTANT": true, "FUNCTION": true,
	"LAMBDA": true, "LAMBDA_REF": true, "OPERATOR": true, "PARAMETER": true,
	"POSITIONAL_REFERENCE": true, "STAR": true, "SUBQUERY": true, "WINDOW": true,
}

// clauseTypes are the other typed parts of a parse tree: result modifiers and orderings.
var clauseTypes = map[string]bool{
	"ORDER_MODIFIER": true, "LIMIT_MODIFIER": true, "LIMIT_PERCENT_MODIFIER": true, "DISTINCT_MODIFIER": true,
	"ORDER_DEFAULT": true, "ORDER_ASCENDING": true, "ORDER_DESCENDING": true,
	"ASCENDING": true, "DESCENDING": true,
}

// environmentFunctions are DuckDB built-ins that read the session, the settings or the
// catalog rather than the data (temp_directory and other settings hold absolute paths; the
// database name is the file's name), or change connection state in a pooled connection.
var environmentFunctions = map[string]bool{
	"current_setting": true, "getvariable": true, "current_database": true, "current_catalog": true,
	"current_schema": true, "current_schemas": true, "in_search_path": true, "current_user": true,
	"current_role": true, "session_user": true, "user": true, "get_block_size": true,
	"current_connection_id": true, "current_query_id": true, "current_transaction_id": true,
	"txid_current": true, "version": true, "platform": true, "nextval": true, "currval": true,
	"setseed": true, "write_log": true, "sleep_ms": true, "parse_duckdb_log_message": true,
	"json_execute_serialized_sql": true,
}

// sizeFunctions build a value whose size is set by an argument rather than by the data
// (repeat('x', 1500000000) is 1.5 GB from a 30-byte query, allocated in one call that no
// time limit or memory limit interrupts). Their numeric arguments must be constants of at
// most maxSizeArg; printf and format may not ask for a width above it.
var sizeFunctions = map[string]bool{
	"repeat": true, "lpad": true, "rpad": true, "list_resize": true, "array_resize": true,
	"bar": true, "to_base": true, "range": true, "generate_series": true, "printf": true, "format": true,
}

// maxSizeArg bounds the size arguments of sizeFunctions: a value of at most 1 MB.
const maxSizeArg = 1_000_000

// plainName is what a table, view or CTE name of this warehouse looks like. A name with a
// slash, dot, quote, colon or space is a file path or URL DuckDB would open (FROM 'x.duckdb'
// attaches a database file; FROM 'x.csv' reads one), never one of our tables.
var plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// scope is one level of visible CTE names: a query node's WITH, seen by that node and by the
// queries nested in it, not by its siblings or the query around it.
type scope struct {
	names  map[string]bool
	parent *scope
}

func (s *scope) has(name string) bool {
	for ; s != nil; s = s.parent {
		if s.names[name] {
			return true
		}
	}
	return false
}

type walker struct {
	policy   Policy
	builtins map[string]bool
}

// queryNode checks one query node (SELECT, set operation) under the CTEs of sc.
func (w *walker) queryNode(n any, sc *scope) error {
	m, ok := n.(map[string]any)
	if !ok {
		return unreadable("node")
	}
	typ, _ := m["type"].(string)
	if typ == "RECURSIVE_CTE_NODE" {
		return refuse(Recursive, "", "网页查询不能使用递归公用表表达式（WITH RECURSIVE）",
			"recursive common table expressions (WITH RECURSIVE) cannot run here")
	}
	if !queryNodes[typ] {
		return unreadable(typ)
	}
	inner := &scope{names: map[string]bool{}, parent: sc}
	if cm, ok := m["cte_map"].(map[string]any); ok {
		entries, _ := cm["map"].([]any)
		for _, e := range entries {
			em, _ := e.(map[string]any)
			name, _ := em["key"].(string)
			lower := strings.ToLower(name)
			if !plainName.MatchString(name) {
				return pathLike(name)
			}
			if !w.policy.Tables[lower] && isKnownTable(lower) {
				return refuse(ShadowingCTE, name, fmt.Sprintf("公用表表达式不能与受保护的表同名：%s", name),
					fmt.Sprintf("a CTE may not take the name of a protected table: %s", name))
			}
			val, _ := em["value"].(map[string]any)
			q, _ := val["query"].(map[string]any)
			// A CTE's body sees the CTEs before it and those around the query, not itself.
			if err := w.queryNode(q["node"], inner); err != nil {
				return err
			}
			if err := w.generic(val["key_targets"], inner); err != nil {
				return err
			}
			inner.names[lower] = true
		}
	}
	for _, k := range sortedKeys(m) {
		if k == "cte_map" || k == "type" {
			continue
		}
		if err := w.part(k, m[k], inner); err != nil {
			return err
		}
	}
	return nil
}

// part checks a member of a query node or table reference by what its key holds.
func (w *walker) part(key string, v any, sc *scope) error {
	switch key {
	case "from_table", "left", "right", "source":
		if m, ok := v.(map[string]any); ok {
			if _, isExpr := m["class"]; !isExpr {
				if t, _ := m["type"].(string); queryNodes[t] || t == "RECURSIVE_CTE_NODE" {
					return w.queryNode(m, sc)
				}
				return w.tableRef(m, sc)
			}
		}
	}
	return w.generic(v, sc)
}

// tableRef checks one FROM item.
func (w *walker) tableRef(m map[string]any, sc *scope) error {
	typ, _ := m["type"].(string)
	if !tableRefs[typ] {
		if typ == "SHOW_REF" {
			return refuse(Metadata, "SHOW", "网页查询不能列出表和列（SHOW、DESCRIBE、SUMMARIZE）；可用的表见工作台说明",
				"SHOW, DESCRIBE and SUMMARIZE cannot run here; the workbench lists the tables you can read")
		}
		return unreadable(typ)
	}
	switch typ {
	case "BASE_TABLE":
		if at := m["at_clause"]; at != nil {
			return unreadable("AT")
		}
		return w.table(m, sc)
	case "SUBQUERY":
		sq, _ := m["subquery"].(map[string]any)
		if err := w.queryNode(sq["node"], sc); err != nil {
			return err
		}
		return w.generic(m["sample"], sc)
	case "TABLE_FUNCTION":
		name, schema := functionName(m["function"]), functionSchema(m["function"])
		if schema != "" || !w.policy.TableFunctions[strings.ToLower(name)] {
			return refuse(ForbiddenFunc, name, fmt.Sprintf("不允许调用表函数 %s", name),
				fmt.Sprintf("the table function %s is not allowed", name))
		}
		// The function's name is checked above as a table function; its arguments are
		// ordinary expressions. range and generate_series as table functions stream their
		// rows, so their size is the time limit's and the row cap's to bound.
		f, _ := m["function"].(map[string]any)
		if err := w.generic(f["children"], sc); err != nil {
			return err
		}
		return w.generic(m["subquery"], sc)
	}
	for _, k := range sortedKeys(m) {
		if k == "type" {
			continue
		}
		if err := w.part(k, m[k], sc); err != nil {
			return err
		}
	}
	return nil
}

// generic walks any other part of the tree: expressions, modifiers, lists.
func (w *walker) generic(v any, sc *scope) error {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if err := w.generic(e, sc); err != nil {
				return err
			}
		}
	case map[string]any:
		if class, ok := x["class"].(string); ok {
			return w.expression(class, x, sc)
		}
		if typ, ok := x["type"].(string); ok {
			switch {
			case queryNodes[typ] || typ == "RECURSIVE_CTE_NODE":
				return w.queryNode(x, sc)
			case tableRefs[typ] || typ == "SHOW_REF":
				return w.tableRef(x, sc)
			case !clauseTypes[typ] && !strings.HasSuffix(typ, "_TYPE_INFO"):
				return unreadable(typ)
			}
		}
		for _, k := range sortedKeys(x) {
			if err := w.part(k, x[k], sc); err != nil {
				return err
			}
		}
	}
	return nil
}

// expression checks one expression and what it contains.
func (w *walker) expression(class string, x map[string]any, sc *scope) error {
	if !expressionClasses[class] {
		return unreadable(class)
	}
	switch class {
	case "FUNCTION", "WINDOW":
		name := strings.ToLower(functionName(x))
		schema := strings.ToLower(functionSchema(x))
		catalog, _ := x["catalog"].(string)
		allowed := w.policy.Functions[name] || (w.builtins[name] && !environmentFunctions[name])
		if catalog != "" || (schema != "" && schema != "main") || !allowed {
			full := strings.Trim(strings.Join([]string{catalog, schema, name}, "."), ".")
			if environmentFunctions[name] || schema == "pg_catalog" || catalog != "" {
				return refuse(Metadata, full, fmt.Sprintf("网页查询不能调用 %s：它读取的是会话、设置或目录信息，而不是数据", full),
					fmt.Sprintf("%s reads the session, settings or catalog rather than data and cannot run here", full))
			}
			return refuse(ForbiddenFunc, full, fmt.Sprintf("不允许调用函数 %s", full),
				fmt.Sprintf("the function %s is not allowed", full))
		}
		if err := w.sizeArgs(name, x["children"]); err != nil {
			return err
		}
	case "SUBQUERY":
		sq, _ := x["subquery"].(map[string]any)
		if err := w.queryNode(sq["node"], sc); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(x) {
		if k == "subquery" && class == "SUBQUERY" {
			continue
		}
		if err := w.generic(x[k], sc); err != nil {
			return err
		}
	}
	return nil
}

var wideFormat = regexp.MustCompile(`[0-9]{7,}|\*|\{[^}]*\{`)

// sizeArgs refuses a size function whose size is not a small constant.
func (w *walker) sizeArgs(name string, children any) error {
	if !sizeFunctions[name] {
		return nil
	}
	args, _ := children.([]any)
	tooLarge := func() error {
		return refuse(TooLarge, name, fmt.Sprintf("%s 的长度或个数参数须为不超过 %d 的常数", name, maxSizeArg),
			fmt.Sprintf("the length or count arguments of %s must be constants of at most %d", name, maxSizeArg))
	}
	for i, a := range args {
		am, _ := a.(map[string]any)
		class, _ := am["class"].(string)
		if (name == "printf" || name == "format") && i == 0 {
			if class != "CONSTANT" {
				return tooLarge()
			}
			if s, ok := constantValue(am).(string); !ok || wideFormat.MatchString(s) {
				return tooLarge()
			}
			continue
		}
		if i == 0 && name != "range" && name != "generate_series" && name != "to_base" && name != "bar" {
			continue // the value being padded or repeated: its size is the data's
		}
		if class != "CONSTANT" {
			if name == "bar" || name == "printf" || name == "format" || name == "to_base" {
				continue // their other arguments are values; only constants can be widths
			}
			return tooLarge()
		}
		switch v := constantValue(am).(type) {
		case float64:
			if math.Abs(v) > maxSizeArg {
				return tooLarge()
			}
		case string:
			if name != "printf" && name != "format" && name != "lpad" && name != "rpad" && name != "repeat" {
				return tooLarge() // a date or interval range: its length is not bounded here
			}
		}
	}
	if (name == "range" || name == "generate_series") && len(args) >= 2 {
		lo, _ := constantValue(args[0].(map[string]any)).(float64)
		hi, _ := constantValue(args[1].(map[string]any)).(float64)
		if math.Abs(hi-lo) > maxSizeArg {
			return tooLarge()
		}
	}
	return nil
}

// constantValue is a CONSTANT expression's value as JSON decoded it.
func constantValue(m map[string]any) any {
	v, _ := m["value"].(map[string]any)
	return v["value"]
}

// table resolves one name in FROM: a CTE in scope, else an allowed table or view.
func (w *walker) table(x map[string]any, sc *scope) error {
	catalog, _ := x["catalog_name"].(string)
	schema, _ := x["schema_name"].(string)
	name, _ := x["table_name"].(string)
	lower := strings.ToLower(name)
	if catalog != "" || (schema != "" && !strings.EqualFold(schema, "main")) {
		full := strings.Trim(strings.Join([]string{catalog, schema, name}, "."), ".")
		return refuse(ForeignCatalog, full, fmt.Sprintf("只能读取本数据仓库的表，不能读取 %s", full),
			fmt.Sprintf("only this warehouse's tables can be read, not %s", full))
	}
	if !plainName.MatchString(name) {
		return pathLike(name)
	}
	if schema == "" && sc.has(lower) {
		return nil
	}
	if w.policy.Tables[lower] {
		return nil
	}
	if c, err := datasets.Lookup(lower); err == nil && c.PersonLevel {
		return refuse(ForbiddenTable, name, fmt.Sprintf("%s（%s）是个人层面的明细数据，网页查询不能读取；按党小组汇总的指标见 metric_ 开头的指标视图（工作台“表和列”中列出）", name, c.Label.Zh),
			fmt.Sprintf("%s (%s) holds person-level rows and cannot be read from the web; the metrics aggregated per party group are in the metric_ views (listed under the workbench's tables and columns)", name, c.Label.En))
	}
	return refuse(ForbiddenTable, name, fmt.Sprintf("不能读取 %s：它不是网页查询可用的表或视图", name),
		fmt.Sprintf("%s is not a table or view that web queries may read", name))
}

func pathLike(name string) *Refusal {
	return refuse(PathLike, name, fmt.Sprintf("%q 像是文件路径或网址；网页查询只能读取本数据仓库中允许的表和视图", name),
		fmt.Sprintf("%q looks like a file path or address; web queries read only the allowed tables and views of this warehouse", name))
}

func unreadable(what string) *Refusal {
	return refuse(UnreadableQuery, what, fmt.Sprintf("这种查询写法（%s）不能在网页上执行，请改用普通的 SELECT 写法", what),
		fmt.Sprintf("this form of query (%s) cannot run here; write it as a plain SELECT", what))
}

// isKnownTable reports whether name is a dataset or a system table, which a CTE must not
// impersonate.
func isKnownTable(name string) bool {
	if _, err := datasets.Lookup(name); err == nil {
		return true
	}
	return strings.HasPrefix(name, "_") || strings.HasPrefix(name, "duckdb_") || strings.HasPrefix(name, "information_schema") ||
		strings.HasPrefix(name, "pg_") || strings.HasPrefix(name, "sqlite_")
}

func functionSchema(f any) string {
	if m, ok := f.(map[string]any); ok {
		if s, ok := m["schema"].(string); ok {
			return s
		}
	}
	return ""
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// A fixed order makes the first refusal reported stable.
	sort.Strings(keys)
	return keys
}

var (
	builtinsMu sync.Mutex
	builtins   map[string]bool
)

// builtinFunctions lists DuckDB's own scalar, aggregate and window functions and the macros
// of its main schema (not pg_catalog's, which read the catalog). They depend on the DuckDB
// build, not on the file, so they are read once per process.
func builtinFunctions(ctx context.Context, db Querier) (map[string]bool, error) {
	builtinsMu.Lock()
	defer builtinsMu.Unlock()
	if builtins != nil {
		return builtins, nil
	}
	var list string
	err := db.QueryRowContext(ctx, `SELECT string_agg(DISTINCT function_name, ',') FROM duckdb_functions()
		WHERE internal AND schema_name = 'main' AND function_type IN ('scalar', 'aggregate', 'macro')`).Scan(&list)
	if err != nil {
		return nil, fmt.Errorf("list DuckDB's functions: %w", err)
	}
	// unnest and unlist are table functions that may also stand in a select list.
	m := map[string]bool{"unnest": true, "unlist": true}
	for _, f := range strings.Split(list, ",") {
		m[strings.ToLower(f)] = true
	}
	builtins = m
	return m, nil
}

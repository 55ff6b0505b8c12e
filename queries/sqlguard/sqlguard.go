// Package sqlguard decides whether a query typed into the web workbench may run. It accepts
// exactly one SELECT statement that reads only allowed tables and views of the main schema
// and calls no table function outside a short allowlist; everything else (COPY, ATTACH,
// INSTALL/LOAD, SET/PRAGMA, writes, stacked statements, read_csv and friends, files named in
// FROM, other catalogs, person-level tables, settings and catalog metadata) is refused with a
// message saying why. It relies on DuckDB's own parser (json_serialize_sql), not on pattern
// matching, and reads the tree with allow-lists (walk.go): names resolve by SQL's scoping, and
// a node, table reference or expression kind it does not know is refused. It is one layer: the
// server also runs web queries on a read-only connection with external access disabled and
// the configuration locked, with a row cap and a time limit.
package sqlguard

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries/sqlscan"
)

// Policy lists what web queries may read.
type Policy struct {
	Tables         map[string]bool // tables and views of the main schema, lower case
	TableFunctions map[string]bool // table functions, lower case
	// Functions are scalar functions or macros allowed beyond DuckDB's own (for instance
	// macros the server defines), lower case.
	Functions map[string]bool
}

// DefaultPolicy allows every dataset that is not person-level, the enum labels, the given
// extra views (e.g. metric views), and the harmless generators range, generate_series and
// unnest. A server that adds views or macros extends the policy it returns (AllowView).
func DefaultPolicy(extraViews ...string) Policy {
	p := Policy{Tables: map[string]bool{"_labels": true}, Functions: map[string]bool{}, TableFunctions: map[string]bool{
		"range": true, "generate_series": true, "unnest": true,
	}}
	for _, c := range datasets.All() {
		if !c.PersonLevel {
			p.Tables[c.Name] = true
		}
	}
	for _, v := range extraViews {
		p.AllowView(v)
	}
	return p
}

// AllowView lets web queries read one more view (or table) of the main schema by its plain
// name. The view's own definition is not checked: only views the server itself created
// (aggregates that show no person) may be allowed.
func (p Policy) AllowView(name string) { p.Tables[strings.ToLower(name)] = true }

// Reason says why a query was refused; callers branch on it (errors.Is on *Refusal works
// with the sentinel values below).
type Reason string

const (
	Empty           Reason = "empty"
	Stacked         Reason = "stacked"
	NotSelect       Reason = "not_select"
	Syntax          Reason = "syntax"
	ForbiddenTable  Reason = "forbidden_table"
	ForbiddenFunc   Reason = "forbidden_function"
	ForeignCatalog  Reason = "foreign_catalog"
	ShadowingCTE    Reason = "shadowing_cte"
	UnreadableQuery Reason = "unreadable"
	PathLike        Reason = "path_like" // a name in FROM that is a file path or address
	Metadata        Reason = "metadata"  // settings, session or catalog information
	Recursive       Reason = "recursive" // WITH RECURSIVE
	TooLarge        Reason = "too_large" // a size argument that would build a huge value
)

// Refusal is a refused query.
type Refusal struct {
	Reason Reason
	Detail string // the statement kind, table or function named
	Text   datasets.Text
}

func (r *Refusal) Error() string { return "query refused: " + r.Text.En }

// Message is the user-facing text.
func (r *Refusal) Message(lang datasets.Lang) string {
	return datasets.T("查询被拒绝：", "query refused: ").In(lang) + r.Text.In(lang)
}

// Is lets errors.Is(err, &Refusal{Reason: X}) match by reason.
func (r *Refusal) Is(target error) bool {
	t, ok := target.(*Refusal)
	return ok && t.Reason == r.Reason
}

func refuse(reason Reason, detail, zh, en string) *Refusal {
	return &Refusal{Reason: reason, Detail: detail, Text: datasets.T(zh, en)}
}

// Querier is what the guard needs from the database: its parser, through one query.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Check returns the single statement of query when policy allows it, or a *Refusal.
func Check(ctx context.Context, db Querier, query string, policy Policy) (string, error) {
	stmts, _ := sqlscan.Split(query)
	switch len(stmts) {
	case 0:
		return "", refuse(Empty, "", "没有语句", "there is no statement")
	case 1:
	default:
		return "", refuse(Stacked, fmt.Sprint(len(stmts)),
			fmt.Sprintf("一次只能执行一条语句（发现 %d 条）", len(stmts)),
			fmt.Sprintf("one statement at a time (found %d)", len(stmts)))
	}
	stmt := stmts[0].Text
	var raw string
	if err := db.QueryRowContext(ctx, `SELECT json_serialize_sql(?::VARCHAR)::VARCHAR`, stmt).Scan(&raw); err != nil {
		return "", fmt.Errorf("parse query: %w", err)
	}
	var tree struct {
		Error        bool              `json:"error"`
		ErrorType    string            `json:"error_type"`
		ErrorMessage string            `json:"error_message"`
		Statements   []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(raw), &tree); err != nil {
		return "", fmt.Errorf("parse query: %w", err)
	}
	if tree.Error {
		if kind := firstKeyword(stmt); kind != "SELECT" && kind != "WITH" && kind != "FROM" && kind != "(" {
			return "", refuse(NotSelect, kind, fmt.Sprintf("只允许查询（SELECT）语句，%s 语句不能在网页上执行", kind),
				fmt.Sprintf("only SELECT queries may run here; %s statements may not", kind))
		}
		if tree.ErrorType == "not implemented" {
			return "", refuse(UnreadableQuery, "", "这种查询写法不能在网页上执行，请改用普通的 SELECT 写法",
				"this form of query cannot run here; write it as a plain SELECT")
		}
		return "", refuse(Syntax, "", "语法错误："+tree.ErrorMessage, "syntax error: "+tree.ErrorMessage)
	}
	if len(tree.Statements) != 1 {
		return "", refuse(Stacked, fmt.Sprint(len(tree.Statements)), "一次只能执行一条语句", "one statement at a time")
	}
	var st map[string]any
	if err := json.Unmarshal(tree.Statements[0], &st); err != nil {
		return "", fmt.Errorf("parse query: %w", err)
	}
	funcs, err := builtinFunctions(ctx, db)
	if err != nil {
		return "", err
	}
	w := walker{policy: policy, builtins: funcs}
	if err := w.queryNode(st["node"], nil); err != nil {
		return "", err
	}
	return stmt, nil
}

func functionName(f any) string {
	if m, ok := f.(map[string]any); ok {
		if s, ok := m["function_name"].(string); ok {
			return s
		}
	}
	return "?"
}

// firstKeyword is the statement's first word, upper case, after comments.
func firstKeyword(stmt string) string {
	s := strings.TrimSpace(stmt)
	for {
		switch {
		case strings.HasPrefix(s, "--"):
			if i := strings.IndexByte(s, '\n'); i >= 0 {
				s = strings.TrimSpace(s[i+1:])
				continue
			}
			return ""
		case strings.HasPrefix(s, "/*"):
			if i := strings.Index(s, "*/"); i >= 0 {
				s = strings.TrimSpace(s[i+2:])
				continue
			}
			return ""
		}
		break
	}
	if strings.HasPrefix(s, "(") {
		return "("
	}
	end := strings.IndexFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') })
	if end < 0 {
		end = len(s)
	}
	return strings.ToUpper(s[:end])
}

// ReasonCode is the refusal's reason as a stable string for APIs.
func (r *Refusal) ReasonCode() string { return string(r.Reason) }

package queries

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// A Session runs the queries of one report or analyze run on one pinned connection and computes
// each shared table there once. A shared table is a fragment's CTE named in its "-- shared:"
// header (the survey cells, the activity and the outcomes per group and period, the patrols and
// defects per team and month): several queries of a report read it with the same parameters,
// and at province scale it is the largest part of each. The first query that reads it with a
// given set of values of the parameters it depends on stores its rows in a temporary table (a
// connection's own, never written to the warehouse file, so a read-only warehouse can have it);
// that query and every later one with the same values read the table instead of the CTE, and so
// does a shared CTE that reads it (the outcomes by month and by half read one patrol table).
// The rows are the CTE's, so every result is the same as without the Session.
//
// A Session is a Querier: pass it where a *sql.DB goes (Analyze, RunQuery, Assess, ...) and
// every statement runs on its connection. Close drops the tables and gives the connection back.
// It is for one run's queries on a warehouse that does not change meanwhile (a report reads a
// read-only warehouse); not for a long-lived server connection, whose tables would go stale.
type Session struct {
	conn   *sql.Conn
	mu     sync.Mutex
	tables map[string]string // shared CTE and parameter values → temporary table
}

// NewSession pins one connection of db for a run.
func NewSession(ctx context.Context, db *sql.DB) (*Session, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("queries: pin a connection: %w", err)
	}
	return &Session{conn: c, tables: map[string]string{}}, nil
}

// QueryContext runs query on the session's connection.
func (s *Session) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.conn.QueryContext(ctx, query, args...)
}

// Tables is the number of shared tables the session holds (computed and not yet dropped).
func (s *Session) Tables() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tables)
}

// Close drops the session's tables and returns its connection to the pool. When a table cannot
// be dropped the connection is discarded instead, so no later user of the pool holds its rows.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	// Not the run's context: a cancelled run still drops its tables.
	ctx := context.Background()
	var errs []error
	for _, t := range s.tables {
		if _, err := s.conn.ExecContext(ctx, "DROP TABLE IF EXISTS temp."+t); err != nil {
			errs = append(errs, fmt.Errorf("queries: drop %s: %w", t, err))
		}
	}
	clear(s.tables)
	if len(errs) > 0 {
		_ = s.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	errs = append(errs, s.conn.Close())
	s.conn = nil
	return errors.Join(errs...)
}

// statement is q's SQL and arguments for p on db: on a Session, with the shared CTEs q reads
// replaced by their tables (computed first when this is their first use with these values).
func statement(ctx context.Context, db Querier, q Query, p Params) (string, []any, error) {
	if err := p.Validate(); err != nil {
		return "", nil, err
	}
	args, err := p.args(q)
	if err != nil {
		return "", nil, err
	}
	s, ok := db.(*Session)
	if !ok || len(q.shared) == 0 {
		return q.SQL, args, nil
	}
	replace := map[string]string{}
	for _, sh := range q.shared {
		t, err := s.table(ctx, q, sh, p)
		if err != nil {
			return "", nil, err
		}
		replace[sh.name] = sh.name + " AS (SELECT * FROM temp." + t + ")"
	}
	order := make([]string, len(q.frags))
	frags := make(map[string]fragment, len(q.frags))
	for i, f := range q.frags {
		order[i], frags[f.name] = f.name, f
	}
	return compose(order, frags, q.body, replace), args, nil
}

// namedStatement is the embedded registry's query name and its statement for p on db, for a
// caller that reads the rows itself.
func namedStatement(ctx context.Context, db Querier, name string, p Params) (Query, string, []any, error) {
	r, err := Default()
	if err != nil {
		return Query{}, "", nil, err
	}
	q, err := r.Get(name)
	if err != nil {
		return Query{}, "", nil, err
	}
	text, args, err := statement(ctx, db, q, p)
	return q, text, args, err
}

// table is the temporary table of sh for p's values, computed on first use (after the tables of
// the shared CTEs it reads).
func (s *Session) table(ctx context.Context, q Query, sh *sharedCTE, p Params) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return "", errors.New("queries: the session is closed")
	}
	return s.tableLocked(ctx, q, sh, p)
}

func (s *Session) tableLocked(ctx context.Context, q Query, sh *sharedCTE, p Params) (string, error) {
	name := q.Name + " (" + sh.name + ")"
	// Keyed by the values of the parameters its rows depend on only: the outcomes by half and
	// by month read the same patrols per team and month.
	keyArgs, err := p.args(Query{Name: name, Params: sh.key})
	if err != nil {
		return "", err
	}
	var key strings.Builder
	key.WriteString(sh.fragment + "." + sh.name)
	for _, a := range keyArgs {
		na := a.(sql.NamedArg)
		fmt.Fprintf(&key, "\x00%s=%T:%v", na.Name, na.Value, na.Value)
	}
	if t, ok := s.tables[key.String()]; ok {
		return t, nil
	}
	deps := map[*sharedCTE]string{}
	for _, d := range sh.deps {
		t, err := s.tableLocked(ctx, q, d, p)
		if err != nil {
			return "", err
		}
		deps[d] = t
	}
	args, err := p.args(Query{Name: name, Params: sh.params})
	if err != nil {
		return "", err
	}
	t := fmt.Sprintf("_md_shared_%s_%d", sh.name, len(s.tables)+1)
	span := StartTrace()
	defer span.End("shared table %s for %s", t, q.Name)
	if _, err := s.conn.ExecContext(ctx, "CREATE TEMP TABLE "+t+" AS "+sh.statement(deps), args...); err != nil {
		return "", fmt.Errorf("query %s: shared table %s: %w", q.Name, sh.name, err)
	}
	s.tables[key.String()] = t
	return t, nil
}

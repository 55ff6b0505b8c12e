package ingest

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/mingdeng/mingdeng/datasets"
)

// Normalizer runs single values through the same SQL that types bulk rows, for tests, fuzzing
// and tools that want to show how a cell would be read. It holds one connection.
type Normalizer struct {
	conn *sql.Conn
}

// NewNormalizer takes a connection from db and prepares it.
func NewNormalizer(ctx context.Context, db *sql.DB) (*Normalizer, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := setupConn(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	return &Normalizer{conn: conn}, nil
}

// Close returns the connection.
func (n *Normalizer) Close() error { return n.conn.Close() }

// Value reads raw as a cell of type typ (dates with the 1900 serial system): nil when it is
// empty or not readable as that type. Enum and text values come back cleaned, not mapped.
func (n *Normalizer) Value(ctx context.Context, typ datasets.Type, raw string) (any, error) {
	var expr string
	switch typ {
	case datasets.TypeInteger:
		expr = "md_int(md_clean(?))"
	case datasets.TypeNumber:
		expr = "md_num(md_clean(?))"
	case datasets.TypeDate:
		expr = "md_date(md_clean(?), DATE '" + base1900 + "')"
	case datasets.TypeBool:
		expr = "md_bool(md_clean(?))"
	case datasets.TypeText, datasets.TypeEnum:
		expr = "md_clean(?)"
	default:
		return nil, fmt.Errorf("unknown type %q", typ)
	}
	var v any
	err := n.conn.QueryRowContext(ctx, "SELECT "+expr, raw).Scan(&v)
	return v, err
}

// Half reads raw as a half year the way the typing SQL does (2024年上半年 → 2024H1): "" when it
// is not one.
func (n *Normalizer) Half(ctx context.Context, raw string) (string, error) {
	var v sql.NullString
	err := n.conn.QueryRowContext(ctx, "SELECT md_half(md_clean(?))", raw).Scan(&v)
	return v.String, err
}

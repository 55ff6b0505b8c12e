package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"
	"golang.org/x/text/width"

	"github.com/mingdeng/mingdeng/datasets"
)

// PseudonymPrefix starts every pseudonym. A value that already is a pseudonym (for example in a
// rejects export being loaded again) is kept as it is.
const PseudonymPrefix = "p_"

var pseudonymRE = regexp.MustCompile(`^p_[0-9a-f]{16}$`)

// Pseudonym is the keyed pseudonym of a personal value: HMAC-SHA256 under key of the kind and
// the normalised value, shortened to 64 bits. The same person gets the same pseudonym in every
// file; without the key a pseudonym cannot be recomputed from a guessed name or number.
func Pseudonym(key []byte, kind datasets.Personal, value string) string {
	v := normalizePersonal(kind, value)
	if v == "" {
		return ""
	}
	if pseudonymRE.MatchString(v) {
		return v
	}
	// Names, employee numbers, ID numbers and phones share one space of pseudonyms per kind;
	// leader_id and person_id are both employee numbers, so they match each other.
	group := kind
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(group))
	mac.Write([]byte{0})
	mac.Write([]byte(v))
	return PseudonymPrefix + hex.EncodeToString(mac.Sum(nil)[:8])
}

// normalizePersonal makes the spellings of one value equal: full-width folded, spaces removed,
// ID numbers upper-cased, phone numbers without separators or +86.
func normalizePersonal(kind datasets.Personal, v string) string {
	v = width.Fold.String(strings.TrimSpace(v))
	if pseudonymRE.MatchString(v) {
		return v
	}
	v = strings.Join(strings.Fields(v), "")
	switch kind {
	case datasets.IDNumber, datasets.EmployeeNo:
		v = strings.ToUpper(v)
	case datasets.PhoneNumber:
		v = strings.NewReplacer("-", "", "(", "", ")", "").Replace(v)
		v = strings.TrimPrefix(strings.TrimPrefix(v, "+86"), "0086")
	}
	return v
}

var udfSeq atomic.Int64

// registerPseudonym registers a scalar function (kind, value) → pseudonym on conn and returns
// its name. The key stays in Go; SQL only sees the function.
func registerPseudonym(conn *sql.Conn, key []byte) (string, error) {
	name := fmt.Sprintf("md_pseudo_%d", udfSeq.Add(1))
	varchar, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		return "", err
	}
	k := append([]byte(nil), key...)
	f := &pseudoUDF{config: duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{varchar, varchar}, ResultTypeInfo: varchar},
		exec: duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
			kind, _ := values[0].(string)
			v, _ := values[1].(string)
			p := Pseudonym(k, datasets.Personal(kind), v)
			if p == "" {
				return nil, nil
			}
			return p, nil
		}}}
	if err := duckdb.RegisterScalarUDF(conn, name, f); err != nil {
		return "", fmt.Errorf("register pseudonym function: %w", err)
	}
	return name, nil
}

type pseudoUDF struct {
	config duckdb.ScalarFuncConfig
	exec   duckdb.ScalarFuncExecutor
}

func (p *pseudoUDF) Config() duckdb.ScalarFuncConfig     { return p.config }
func (p *pseudoUDF) Executor() duckdb.ScalarFuncExecutor { return p.exec }

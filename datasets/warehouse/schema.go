package warehouse

import (
	"fmt"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

// systemDDL creates the tables every warehouse has besides the datasets.
const systemDDL = `CREATE SEQUENCE _batch_seq START 1;

-- One row per source file (or sheet) ingested: what it was, what happened to its rows.
CREATE TABLE _batches (
	batch_id BIGINT PRIMARY KEY,
	dataset VARCHAR NOT NULL,
	path VARCHAR NOT NULL,
	sheet VARCHAR,
	format VARCHAR,
	encoding VARCHAR,
	size_bytes BIGINT,
	sha256 VARCHAR,
	rows_read BIGINT NOT NULL DEFAULT 0,
	loaded BIGINT NOT NULL DEFAULT 0,
	updated BIGINT NOT NULL DEFAULT 0,
	unchanged BIGINT NOT NULL DEFAULT 0,
	rejected BIGINT NOT NULL DEFAULT 0,
	duplicates BIGINT NOT NULL DEFAULT 0,
	blank BIGINT NOT NULL DEFAULT 0,
	-- Summary rows under a table (合计, 小计, 备注, 制表人 …): recognised and not loaded.
	skipped BIGINT NOT NULL DEFAULT 0,
	unknown_columns VARCHAR[],
	-- Per column (the file's header) how many existing rows this batch changed.
	changed_columns JSON,
	-- Unit conversions applied, one sentence each (停电时长（小时）: × 60 → 分钟).
	conversions VARCHAR[],
	-- ID-number and phone patterns masked in free-text cells.
	masked BIGINT NOT NULL DEFAULT 0,
	status VARCHAR NOT NULL,
	message VARCHAR,
	started_at TIMESTAMP NOT NULL,
	finished_at TIMESTAMP
);

-- Every refused row, whole, with where it was and why, so a user can fix and reload it.
CREATE TABLE _rejects (
	batch_id BIGINT NOT NULL,
	dataset VARCHAR NOT NULL,
	path VARCHAR NOT NULL,
	sheet VARCHAR,
	source_row BIGINT NOT NULL,
	column_name VARCHAR,
	raw_value VARCHAR,
	reason_code VARCHAR NOT NULL,
	reason_zh VARCHAR NOT NULL,
	reason_en VARCHAR NOT NULL,
	row_data JSON
);

-- The fingerprint of the pseudonymisation key this warehouse's pseudonyms were made with (an
-- HMAC of a fixed text, which does not reveal the key): ingest refuses another key, and init
-- never makes a new key for a warehouse that has one.
CREATE TABLE _key (
	fingerprint VARCHAR NOT NULL,
	recorded_at TIMESTAMP NOT NULL
);

-- Labels of enum codes, so SQL users can show 党小组会 rather than group_meeting.
CREATE TABLE _labels (
	dataset VARCHAR NOT NULL,
	column_name VARCHAR NOT NULL,
	code VARCHAR NOT NULL,
	label_zh VARCHAR NOT NULL,
	label_en VARCHAR NOT NULL
);
`

// TableDDL is the CREATE TABLE statement for a contract: its columns in order, then the
// lineage columns. Required columns are NOT NULL; ranges and enums are checked by ingest, not
// by constraints, so one bad row becomes a reject instead of failing the file.
func TableDDL(c datasets.Contract) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- %s: %s\nCREATE TABLE %s (\n", c.Label.Zh, c.Label.En, QuoteIdent(c.Name))
	for _, col := range c.Columns {
		notNull := ""
		if col.Required {
			notNull = " NOT NULL"
		}
		fmt.Fprintf(&b, "\t%s %s%s,\n", QuoteIdent(col.Name), col.Type.SQLType(), notNull)
	}
	fmt.Fprintf(&b, "\t%s BIGINT NOT NULL,\n\t%s BIGINT NOT NULL\n);\n", datasets.BatchIDColumn, datasets.SourceRowColumn)
	return b.String()
}

// InitialSchema is the text of migration 0001: the system tables, one table per contract, and
// the enum labels. A test keeps migrations/0001_init.sql equal to it until the first release.
func InitialSchema(contracts []datasets.Contract) string {
	var b strings.Builder
	b.WriteString("-- Generated from the dataset contracts (go test ./datasets/warehouse -run TestInitialMigrationMatchesContracts -update).\n\n")
	b.WriteString(systemDDL)
	for _, c := range contracts {
		b.WriteString("\n")
		b.WriteString(TableDDL(c))
	}
	b.WriteString("\nINSERT INTO _labels VALUES\n")
	var rows []string
	for _, c := range contracts {
		for _, col := range c.Columns {
			for _, v := range col.Values {
				rows = append(rows, fmt.Sprintf("\t(%s, %s, %s, %s, %s)", quoteString(c.Name), quoteString(col.Name),
					quoteString(v.Code), quoteString(v.Label.Zh), quoteString(v.Label.En)))
			}
		}
	}
	b.WriteString(strings.Join(rows, ",\n"))
	b.WriteString(";\n")
	return b.String()
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

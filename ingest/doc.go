// Package ingest loads source files (CSV/TSV, XLSX, JSON arrays and NDJSON, Parquet) into the
// mingdeng warehouse. For each file it detects the format and the text encoding (UTF-8 with or
// without BOM, GB18030/GBK), finds the header row (title rows above it are skipped), recognises
// the dataset from the headers and the file name (or takes it from Options.Dataset), maps the
// headers to contract columns through their aliases, and types the rows in SQL on one pinned
// connection: a CSV file of single-line records is read by read_csv straight into typed columns
// (the text kept only for refused rows), and so is an XLSX sheet from the Arrow stream of its
// rows; other files are first staged as text in a temporary table. Typing and validation run in SQL: dates in every common
// form (Excel serials of the 1900 and 1904 systems included), numbers with thousand separators,
// full-width digits, percent and 万, enums by code or by Chinese or English label, 是/否; ranges,
// patterns, references by code or by name (resolved within the row's unit or branch), the
// contract's row checks, and duplicate natural keys. Personal identifiers are replaced by a keyed
// HMAC-SHA256 pseudonym. Bad rows go whole to _rejects with their row number as the user sees it;
// good rows are merged by natural key (new, updated, unchanged). Each file (or sheet) is one
// transaction recorded in _batches; a file already loaded (same SHA-256) is skipped unless
// Options.Force is set.
//
// Bulk data never goes through row-by-row INSERTs: CSV and JSON are read by DuckDB's own readers
// as text, XLSX rows are streamed by ingest/xlsxscan into Arrow record batches that DuckDB scans.
//
// The package does not define tables (datasets does), does not open the warehouse file (callers
// pass a *warehouse.Warehouse) and does not analyse anything (queries does).
package ingest

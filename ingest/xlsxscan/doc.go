// Package xlsxscan is a fast streaming reader for the cell values of XLSX worksheets.
//
// It opens the package with archive/zip, reads the small parts whole (workbook.xml and its
// relationships, sharedStrings.xml, styles.xml) and streams a worksheet's XML through a
// hand-written byte scanner instead of encoding/xml, which is where excelize spends most of its
// time. The values it yields are excelize's raw cell values (Options{RawCellValue: true}):
// shared and inline strings as text (rich-text runs joined, phonetic runs left out, _xHHHH_
// escapes decoded), numbers, booleans, errors and ISO dates as stored, formulas as their cached
// value. Rows are numbered as the user sees them in Excel: gaps in r= come back as empty rows,
// missing cells as empty values. A differential test holds the reader to excelize's results on
// every workbook under ingest/testdata and on the generator's output.
//
// It is a package of its own, not a file of package ingest, because it needs nothing from ingest
// and ingest's test binary links DuckDB: this package's differential test and fuzz target build
// and run in seconds without it.
//
// Where it departs from excelize on purpose: XML that is not well-formed (an unterminated
// element, an unknown entity, invalid UTF-8, a character XML forbids, a bad cell reference or row
// number) is an error, where excelize stops reading the sheet silently and loses the rest; a row
// missing from the XML is never reported hidden (excelize gives it the next stored row's
// options); namespaces are not checked (excelize refuses a shared string table outside the main
// namespace); a shared string index out of range is an empty cell whatever the table's size
// (excelize returns the index as text when the table was big enough to go to a temporary file);
// nothing but the sheet being read is inflated (excelize unpacks the whole package at open); a
// cell whose s= is not a number keeps its value with style 0 (excelize drops the cell's value
// and the attributes after s=); a row numbered at or before the row stored before it is the next
// row (excelize appends its cells to the row before).
//
// Limits: the sum of the declared uncompressed sizes of the package's entries is checked against
// Options.UnzipSizeLimit before anything is read, and every read counts the bytes it actually
// inflates against the same limit; a single XML token (a tag, or the text of a value) may not
// exceed Options.MaxTokenSize, so a hostile file cannot make a buffer grow without bound.
package xlsxscan

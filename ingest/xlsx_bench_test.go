package ingest_test

import (
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/ingest/xlsxscan"
)

// BenchmarkXLSXReaders measures, on one workbook in one run, excelize's streaming read (the
// reader ingest used before), xlsxscan's (the one it uses now) and the whole ingest.
// MINGDENG_BENCH_ROWS/5 rows (default 200,000).
func BenchmarkXLSXReaders(b *testing.B) {
	n := benchRows() / 5
	path := writeBenchXLSX(b, b.TempDir(), n)
	rate := func(b *testing.B) {
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	b.Run("excelize_rows", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f, err := excelize.OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			rows, _ := f.Rows("Sheet1")
			count := 0
			for rows.Next() {
				if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
					b.Fatal(err)
				}
				count++
			}
			rows.Close()
			f.Close()
			if count != n+1 {
				b.Fatalf("%d rows", count)
			}
		}
		rate(b)
	})
	b.Run("xlsxscan_rows", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			wb, err := xlsxscan.Open(path, xlsxscan.Options{})
			if err != nil {
				b.Fatal(err)
			}
			rows, _ := wb.Rows("Sheet1")
			count := 0
			for rows.Next() {
				_ = rows.Cells()
				count++
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			rows.Close()
			wb.Close()
			if count != n+1 {
				b.Fatalf("%d rows", count)
			}
		}
		rate(b)
	})
	b.Run("ingest", func(b *testing.B) { benchIngest(b, path, n) })
}

package xlsxscan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/ingest/xlsxscan"
)

// benchRows is the size of the benchmark workbook: a fifth of MINGDENG_BENCH_ROWS (default
// 1,000,000), as in ingest's BenchmarkXLSXReaders.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("MINGDENG_BENCH_ROWS")); err == nil && n > 0 {
		return n / 5
	}
	return 200_000
}

var (
	benchOnce sync.Once
	benchPath string
	benchDir  string
)

// benchWorkbook writes the same patrol rows as ingest's benchmark (9 columns, text and numbers
// as text, through excelize's stream writer) once per process.
// MINGDENG_BENCH_XLSX names another workbook to read instead (a file saved by Excel or
// LibreOffice, with shared strings and typed cells); its first sheet is read.
func benchWorkbook(b *testing.B) string {
	if p := os.Getenv("MINGDENG_BENCH_XLSX"); p != "" {
		return p
	}
	benchOnce.Do(func() {
		benchDir, _ = os.MkdirTemp("", "xlsxscan-bench")
		benchPath = filepath.Join(benchDir, "巡视记录.xlsx")
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		header := []any{"巡视编号", "班组", "线路名称", "电压等级", "巡视日期", "巡视类型", "巡视里程", "计划内", "发现缺陷数"}
		sw.SetRow("A1", header)
		for i := 0; i < benchRows(); i++ {
			row := []any{fmt.Sprintf("P%08d", i), "T0" + strconv.Itoa(1+i%2), "龙潭线", "220kV", fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28), "正常巡视",
				strconv.Itoa(i%30) + ".5", "是", strconv.Itoa(i % 3)}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			sw.SetRow(cell, row)
		}
		sw.Flush()
		if err := f.SaveAs(benchPath); err != nil {
			b.Fatal(err)
		}
	})
	return benchPath
}

func BenchmarkReadXLSX(b *testing.B) {
	path := benchWorkbook(b)
	n := benchRows() + 1
	sheet := "Sheet1"
	if os.Getenv("MINGDENG_BENCH_XLSX") != "" {
		wb, err := xlsxscan.Open(path, xlsxscan.Options{})
		if err != nil {
			b.Fatal(err)
		}
		sheet, n = wb.Sheets[0].Name, 0
		rows, _ := wb.Rows(sheet)
		for rows.Next() {
			n++
		}
		rows.Close()
		wb.Close()
	}
	b.Run("excelize_rows", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f, err := excelize.OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			rows, _ := f.Rows(sheet)
			count := 0
			for rows.Next() {
				if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
					b.Fatal(err)
				}
				count++
			}
			rows.Close()
			f.Close()
			if count != n {
				b.Fatalf("%d rows", count)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("xlsxscan_cells", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			wb, err := xlsxscan.Open(path, xlsxscan.Options{})
			if err != nil {
				b.Fatal(err)
			}
			rows, _ := wb.Rows(sheet)
			count, bytes := 0, 0
			for rows.Next() {
				for _, c := range rows.Cells() {
					bytes += len(c.V)
				}
				count++
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			rows.Close()
			wb.Close()
			if count != n {
				b.Fatalf("%d rows", count)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("xlsxscan_values", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			wb, err := xlsxscan.Open(path, xlsxscan.Options{})
			if err != nil {
				b.Fatal(err)
			}
			rows, _ := wb.Rows(sheet)
			count := 0
			for rows.Next() {
				_ = rows.Values()
				count++
			}
			rows.Close()
			wb.Close()
			if count != n {
				b.Fatalf("%d rows", count)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

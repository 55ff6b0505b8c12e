package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
)

// benchRows is the size of the benchmark files (MINGDENG_BENCH_ROWS, default 1,000,000 CSV
// rows; XLSX files get a fifth of that).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("MINGDENG_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

var patrolHeader = []string{"巡视编号", "班组", "线路名称", "电压等级", "巡视日期", "巡视类型", "巡视里程", "计划内", "发现缺陷数"}

func patrolRow(i int) []string {
	return []string{fmt.Sprintf("P%08d", i), "T0" + strconv.Itoa(1+i%2), "龙潭线", "220kV", fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28), "正常巡视",
		strconv.Itoa(i%30) + ".5", "是", strconv.Itoa(i % 3)}
}

func writeBenchCSV(b *testing.B, dir string, n int) string {
	p := filepath.Join(dir, "巡视记录.csv")
	f, _ := os.Create(p)
	w := bufio.NewWriterSize(f, 1<<20)
	for i := -1; i < n; i++ {
		row := patrolHeader
		if i >= 0 {
			row = patrolRow(i)
		}
		for j, c := range row {
			if j > 0 {
				w.WriteByte(',')
			}
			w.WriteString(c)
		}
		w.WriteByte('\n')
	}
	w.Flush()
	f.Close()
	return p
}

func writeBenchXLSX(b *testing.B, dir string, n int) string {
	p := filepath.Join(dir, "巡视记录.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	for i := -1; i < n; i++ {
		row := patrolHeader
		if i >= 0 {
			row = patrolRow(i)
		}
		vals := make([]any, len(row))
		for j, c := range row {
			vals[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, vals)
	}
	sw.Flush()
	if err := f.SaveAs(p); err != nil {
		b.Fatal(err)
	}
	return p
}

// freshOrg is a new warehouse holding the two teams the benchmark rows refer to.
func freshOrg(b *testing.B) *warehouse.Warehouse {
	dir := b.TempDir()
	writeFiles(&testing.T{}, dir, map[string]string{
		"单位.csv": "单位编码,单位名称\nU01,线路工区\n",
		"班组.csv": "班组编码,班组名称,单位\nT01,运行一班,U01\nT02,检修一班,U01\n",
	})
	w, err := warehouse.Open(context.Background(), filepath.Join(dir, "b.duckdb"), warehouse.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ingest.Ingest(context.Background(), w, []string{dir}, ingest.Options{}); err != nil {
		b.Fatal(err)
	}
	return w
}

// BenchmarkIngestCSV compares ingest with DuckDB's bare CREATE TABLE AS read_csv on one file.
func BenchmarkIngestCSV(b *testing.B) {
	n := benchRows()
	path := writeBenchCSV(b, b.TempDir(), n)
	b.Run("duckdb_ctas", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			w := freshOrg(b)
			b.StartTimer()
			if _, err := w.DB().Exec("CREATE TABLE bare AS SELECT * FROM read_csv(?)", path); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			w.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("ingest", func(b *testing.B) { benchIngest(b, path, n) })
}

// benchIngest times ingest of one file of n rows into a warehouse holding the organisation
// (so references resolve), a new one each iteration, and reports rows/s.
func benchIngest(b *testing.B, path string, n int) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := freshOrg(b)
		b.StartTimer()
		sum, err := ingest.Ingest(context.Background(), w, []string{path}, ingest.Options{})
		if err != nil || sum.Err() != nil || sum.Files[0].Loaded != int64(n) {
			b.Fatalf("%v %+v", err, sum)
		}
		b.StopTimer()
		w.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

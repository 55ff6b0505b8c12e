package reports

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"

	"github.com/mingdeng/mingdeng/queries"
)

// What a page shows when the data are large. A province has thousands of party groups and
// hundreds of units: a heatmap row or a scatter point for each would make a page of tens of
// megabytes that a browser takes minutes to draw, and no reader can use a 6,000-row heatmap.
// Above these sizes a page shows what a reader can act on (the groups needing attention, a
// per-unit summary, a sample of points) and says so; the XLSX beside it keeps every row.
const (
	// pageGroupLimit is the most groups a per-group heatmap draws; above it the page shows the
	// attentionRows least compliant groups and each unit's yearly figure instead.
	pageGroupLimit = 500
	attentionRows  = 40
	// maxScatterPoints is the most points a scatter plot draws; above it, a fixed pseudo-random
	// sample (by a hash of each point's label, so the same data draw the same points).
	maxScatterPoints = 3000
	// maxRadarUnits is the most units one radar chart overlays; above it a heatmap of units ×
	// dimensions takes its place.
	maxRadarUnits = 24
	// captionScopes is how many units the awards caption names among those concentrated beyond
	// chance; it counts the rest (the ranking table lists every unit).
	captionScopes = 10
)

// samplePoints keeps n of the points, chosen by the hash of their labels (stable across runs
// and independent of row order), in their original order.
func samplePoints(ps []Point, n int) []Point {
	if len(ps) <= n {
		return ps
	}
	type hp struct {
		h uint64
		i int
	}
	hs := make([]hp, len(ps))
	for i, p := range ps {
		f := fnv.New64a()
		f.Write([]byte(p.Label))
		hs[i] = hp{f.Sum64(), i}
	}
	slices.SortFunc(hs, func(a, b hp) int {
		if a.h != b.h {
			if a.h < b.h {
				return -1
			}
			return 1
		}
		return a.i - b.i
	})
	idx := make([]int, n)
	for k := range idx {
		idx[k] = hs[k].i
	}
	slices.Sort(idx)
	out := make([]Point, n)
	for k, i := range idx {
		out[k] = ps[i]
	}
	return out
}

// topRows is the first n rows of g (its least compliant groups: g is sorted that way).
func topRows(g *HeatGrid, n int) *HeatGrid {
	n = min(n, len(g.Rows))
	out := &HeatGrid{Rows: g.Rows[:n], Cols: g.Cols, Values: g.Values[:n], Src: g.Src}
	if g.Units != nil {
		out.Units = g.Units[:n]
	}
	return out
}

// unitYearGrid averages a groups × months grid into units × years: the share of the unit's
// group-months (those with a value) in which the group met. The least compliant unit first.
func unitYearGrid(g *HeatGrid) *HeatGrid {
	if g.Units == nil {
		return nil
	}
	var years []string
	yearOf := make([]int, len(g.Cols))
	for j, c := range g.Cols {
		y := c
		if len(c) >= 4 {
			y = c[:4]
		}
		k := slices.Index(years, y)
		if k < 0 {
			k = len(years)
			years = append(years, y)
		}
		yearOf[j] = k
	}
	type acc struct{ sum, n []float64 }
	by := map[string]*acc{}
	var units []string
	for i, row := range g.Values {
		u := g.Units[i]
		a := by[u]
		if a == nil {
			a = &acc{make([]float64, len(years)), make([]float64, len(years))}
			by[u] = a
			units = append(units, u)
		}
		for j, v := range row {
			if !math.IsNaN(v) {
				a.sum[yearOf[j]] += v
				a.n[yearOf[j]]++
			}
		}
	}
	out := &HeatGrid{Cols: years, Src: g.Src}
	vals := map[string][]float64{}
	for _, u := range units {
		a := by[u]
		v := make([]float64, len(years))
		for k := range v {
			v[k] = math.NaN()
			if a.n[k] > 0 {
				v[k] = a.sum[k] / a.n[k]
			}
		}
		vals[u] = v
	}
	means := make(map[string]float64, len(units))
	for _, u := range units {
		means[u] = mean(vals[u])
	}
	sort.SliceStable(units, func(i, j int) bool { return lessNaNLast(means[units[i]], means[units[j]]) })
	for _, u := range units {
		out.Rows = append(out.Rows, u)
		out.Values = append(out.Values, vals[u])
	}
	return out
}

// gridTable is the whole grid as a table (with each row's unit when known), for the XLSX.
func gridTable(g *HeatGrid, rowName string, lang Lang) *queries.Table {
	tb := &queries.Table{Columns: []queries.Column{col(rowName, queries.Text)}}
	if g.Units != nil {
		tb.Columns = append(tb.Columns, col(t(lang, "单位", "unit"), queries.Text))
	}
	for _, c := range g.Cols {
		tb.Columns = append(tb.Columns, col(c, queries.Float))
	}
	tb.Rows = make([][]any, len(g.Rows))
	for i, r := range g.Rows {
		row := make([]any, 0, len(tb.Columns))
		row = append(row, r)
		if g.Units != nil {
			row = append(row, g.Units[i])
		}
		for _, v := range g.Values[i] {
			row = append(row, nanToNil(v))
		}
		tb.Rows[i] = row
	}
	return tb
}

// fileOnlyNote tells the reader where rows left out of the page are.
// moreRowsNote is under a table a page cuts short: how many rows more, and the sheet of the XLSX
// that holds them all (a report's workbook has dozens of sheets).
func moreRowsNote(lang Lang, more int, sheet string) string {
	return fmt.Sprintf(t(lang, "另有 %d 行，见同目录 XLSX 文件的工作表 %s。", "%d more rows: all are in sheet %s of the XLSX file beside this page."), more, sheet)
}

func fileOnlyNote(lang Lang, rows int, sheet string) string {
	return fmt.Sprintf(t(lang, "共 %d 行，完整数据见同目录 XLSX 文件的工作表 %s。", "%d rows: all of them are in sheet %s of the XLSX file beside this page."), rows, sheet)
}

// gridFloor is the tenth at or below the grid's lowest value (0 when there is none): unit
// shares of group-months cluster near 1, and a 0–1 colour scale would paint them all alike.
func gridFloor(g *HeatGrid) float64 {
	lo := math.Inf(1)
	for _, row := range g.Values {
		for _, v := range row {
			if !math.IsNaN(v) {
				lo = math.Min(lo, v)
			}
		}
	}
	if math.IsInf(lo, 1) || lo < 0 {
		return 0
	}
	return min(math.Floor(lo*10)/10, 0.9) // a scale from 0.9 to 1 even when every unit met every month
}

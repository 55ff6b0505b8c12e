package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// The parts of the evaluation report made from group_surveys, member_counts with
// queries.Concentration, and assessment_totals.

// SurveyFromTable averages the group_surveys cells of each unit and dimension over its groups
// and periods, weighted by respondents. Only cells the query shows are used: a suppressed cell
// (fewer than 5 respondents, or its complement) has no score and counts for nothing, and a unit
// and dimension with fewer than 5 shown respondents in all is itself suppressed (NaN).
func SurveyFromTable(tb *queries.Table, lang Lang, src Source) *SurveyRadar {
	if tb == nil || len(tb.Rows) == 0 {
		return nil
	}
	ui, di, ti, si, ri := colIndex(tb, "unit_id"), colIndex(tb, "dimension"), colIndex(tb, "is_total"), colIndex(tb, "score"), colIndex(tb, "respondents")
	ai := colIndex(tb, "audience_zh")
	if lang == "en" {
		ai = colIndex(tb, "audience_en")
	}
	if ui < 0 || di < 0 || si < 0 || ri < 0 {
		return nil
	}
	names := unitNames(tb)
	type acc struct{ sum, n float64 }
	var units, dims []string
	seenU, seenD := map[string]bool{}, map[string]bool{}
	audiences := map[string]bool{}
	cells := map[[2]string]*acc{}
	key := func(row []any) string {
		d := FormatValue(row[di])
		if ai >= 0 && row[ai] != nil {
			return FormatValue(row[ai]) + "·" + d
		}
		return d
	}
	for _, row := range tb.Rows {
		if (ti >= 0 && row[ti] == true) || row[di] == nil {
			continue
		}
		u, d := names[FormatValue(row[ui])], key(row)
		if ai >= 0 {
			audiences[FormatValue(row[ai])] = true
		}
		if !seenU[u] {
			seenU[u] = true
			units = append(units, u)
		}
		if !seenD[d] {
			seenD[d] = true
			dims = append(dims, d)
		}
		c := cells[[2]string{u, d}]
		if c == nil {
			c = &acc{}
			cells[[2]string{u, d}] = c
		}
		score, n := queries.Number(row[si]), queries.Number(row[ri])
		if row[si] == nil || math.IsNaN(score) || math.IsNaN(n) || n <= 0 {
			continue
		}
		c.sum += score * n
		c.n += n
	}
	if len(dims) == 0 {
		return nil
	}
	sort.Strings(units)
	sort.Strings(dims)
	r := &SurveyRadar{Dimensions: dims, Src: src}
	for _, u := range units {
		s := NamedSeries{Name: u, Values: make([]float64, len(dims))}
		for i, d := range dims {
			s.Values[i] = math.NaN()
			if c := cells[[2]string{u, d}]; c != nil && c.n >= 5 {
				s.Values[i] = math.Round(c.sum/c.n*100) / 100
			}
		}
		r.Units = append(r.Units, s)
	}
	return r
}

// AwardsFromTables is the Lorenz curve of awards over member-years (member_counts) with the
// Gini and top-10% results of queries.Concentration for awards (as `mingdeng analyze
// --concentration --format json` gives them), the latest year of each unit.
func AwardsFromTables(counts *queries.Table, results []stats.Result, src Source) *Concentration {
	if counts == nil || len(counts.Rows) == 0 {
		return nil
	}
	ai := colIndex(counts, "awards")
	if ai < 0 {
		return nil
	}
	var xs []float64
	total := 0.0
	for _, row := range counts.Rows {
		v := queries.Number(row[ai])
		if math.IsNaN(v) || v < 0 {
			continue
		}
		xs = append(xs, v)
		total += v
	}
	if len(xs) == 0 || total == 0 {
		return nil
	}
	sort.Float64s(xs)
	// At most 101 points: the share held by the bottom k% of member-years.
	steps := min(len(xs), 100)
	lorenz := make([]float64, steps+1)
	cum := make([]float64, len(xs)+1)
	for i, v := range xs {
		cum[i+1] = cum[i] + v
	}
	for k := 0; k <= steps; k++ {
		lorenz[k] = cum[k*len(xs)/steps] / total
	}
	return &Concentration{Lorenz: lorenz, Results: latestAwardResults(results), Src: src}
}

// latestAwardResults keeps the awards results of each unit's latest year (scope UNIT/YEAR).
func latestAwardResults(rs []stats.Result) []stats.Result {
	latest := map[string]string{}
	for _, r := range rs {
		if r.Activity != "awards" || len(r.Scope) < 5 {
			continue
		}
		unit, year := r.Scope[:len(r.Scope)-5], r.Scope[len(r.Scope)-4:]
		if year > latest[unit] {
			latest[unit] = year
		}
	}
	var out []stats.Result
	for _, r := range rs {
		if r.Activity != "awards" || len(r.Scope) < 5 {
			continue
		}
		if latest[r.Scope[:len(r.Scope)-5]] == r.Scope[len(r.Scope)-4:] {
			out = append(out, r)
		}
	}
	return out
}

// RankedAssessments ranks groups by their mean assessment total over the halves of the year
// (sustained records rather than one assessment), best first.
func RankedAssessments(tb *queries.Table, lang Lang, src Source) *RankedTable {
	if tb == nil || len(tb.Rows) == 0 {
		return nil
	}
	gi, ti, ui := colIndex(tb, "group_id"), colIndex(tb, "total"), colIndex(tb, "unit_id")
	if gi < 0 || ti < 0 {
		return nil
	}
	type agg struct {
		name, unit string
		sum        float64
		n          int
		lowest     float64
	}
	by := map[string]*agg{}
	var order []string
	for _, row := range tb.Rows {
		v := queries.Number(row[ti])
		if math.IsNaN(v) {
			continue
		}
		id := FormatValue(row[gi])
		a := by[id]
		if a == nil {
			a = &agg{name: groupLabel(tb, row), lowest: math.Inf(1)}
			if ui >= 0 {
				a.unit = unitLabel(tb, row) // the name where the table has one
			}
			by[id] = a
			order = append(order, id)
		}
		a.sum += v
		a.n++
		a.lowest = math.Min(a.lowest, v)
	}
	if len(order) == 0 {
		return nil
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := by[order[i]], by[order[j]]
		if ma, mb := a.sum/float64(a.n), b.sum/float64(b.n); ma != mb {
			return ma > mb
		}
		return order[i] < order[j]
	})
	out := &queries.Table{Columns: []queries.Column{col(t(lang, "名次", "rank"), queries.Integer), col(t(lang, "党小组", "group"), queries.Text),
		col(t(lang, "单位", "unit"), queries.Text), col(t(lang, "平均分", "mean score"), queries.Float),
		col(t(lang, "最低分", "lowest"), queries.Float), col(t(lang, "考评次数", "assessments"), queries.Integer)}}
	for i, id := range order {
		a := by[id]
		out.Rows = append(out.Rows, []any{int64(i + 1), a.name, a.unit, math.Round(a.sum/float64(a.n)*100) / 100, a.lowest, int64(a.n)})
	}
	title := t(lang, "党小组考评平均分排名（全年各次考评的平均）", "Groups ranked by mean assessment score (all assessments of the year)")
	if hi := colIndex(tb, "half"); hi >= 0 {
		// Name the year: "全年" alone leaves the reader to guess which.
		if h := FormatValue(tb.Rows[0][hi]); len(h) >= 4 && isYear(h[:4]) {
			title = fmt.Sprintf(t(lang, "党小组考评平均分排名（%s 年各次半年考评的平均）", "Groups ranked by mean assessment score (the half-yearly assessments of %s)"), h[:4])
		}
	}
	return &RankedTable{ID: "eval-rank-assessment", Title: title,
		TableData: TableData{Table: out, Src: src}}
}

// RankedConcentration ranks units by the Gini coefficient of awards in their latest year, most
// concentrated first.
func RankedConcentration(c *Concentration, lang Lang) *RankedTable {
	if c == nil {
		return nil
	}
	order, by := c.byScope()
	if len(order) == 0 {
		return nil
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := by[order[i]].gini, by[order[j]].gini
		if math.IsNaN(a) != math.IsNaN(b) {
			return !math.IsNaN(a)
		}
		return a > b
	})
	tb := &queries.Table{Columns: []queries.Column{col(t(lang, "名次", "rank"), queries.Integer), col(t(lang, "单位", "unit"), queries.Text),
		col(t(lang, "年度", "year"), queries.Text),
		col(t(lang, "基尼系数", "Gini"), queries.Float), col(t(lang, "随机分配的基尼系数", "Gini by chance"), queries.Float), col(t(lang, "高出随机", "above chance"), queries.Float),
		col("p", queries.Float), col(t(lang, "判断", "reading"), queries.Text),
		shareCol(t(lang, "前 10% 人员所占份额", "top-10% share")), col(t(lang, "党员数", "members"), queries.Integer)}}
	// Units by name; the code only tells apart units that share one.
	named := map[string]int{}
	for _, s := range order {
		unit, _ := splitScope(s)
		named[c.unitName(unit)]++
	}
	for i, s := range order {
		x := by[s]
		unit, year := splitScope(s)
		name := c.unitName(unit)
		if named[name] > 1 && name != unit {
			name += t(lang, "（"+unit+"）", " ("+unit+")")
		}
		reading := ""
		if !math.IsNaN(x.p) {
			reading = t(lang, "与随机分配相当", "as chance gives")
			if x.p < 0.05 {
				reading = t(lang, "集中于少数人", "concentrated")
			}
		}
		tb.Rows = append(tb.Rows, []any{int64(i + 1), name, year, nanToNil(x.gini), nanToNil(x.chance), nanToNil(shownDiff(x.gini, x.chance)), nanToNil(x.p), reading, nanToNil(x.top), int64(x.n)})
	}
	return &RankedTable{ID: "eval-rank-awards", Title: t(lang, "奖项集中程度排名（各单位最近一年，按基尼系数从高到低；与随机分配比较见“判断”）", "Units ranked by concentration of awards (latest year, highest Gini first)"),
		TableData: TableData{Table: tb, Src: c.Src}}
}

// splitScope splits a concentration scope UNIT/YEAR.
func splitScope(s string) (unit, year string) {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// unitName is the unit's name when known, else its code.
func (c *Concentration) unitName(code string) string {
	if n := c.Units[code]; n != "" {
		return n
	}
	return code
}

// unitNames maps each unit code of a table to the label a reader sees: its name (unit_name)
// when the table has one, else the code; a name two units share gets the code added.
func unitNames(tables ...*queries.Table) map[string]string {
	out := map[string]string{}
	for _, tb := range tables {
		if tb == nil {
			continue
		}
		ui := colIndex(tb, "unit_id")
		if ui < 0 {
			continue
		}
		var last any
		for _, row := range tb.Rows {
			if row[ui] == last && last != nil {
				continue // rows come sorted by unit: look each run up once
			}
			last = row[ui]
			code := FormatValue(row[ui])
			if _, ok := out[code]; !ok {
				out[code] = unitLabel(tb, row)
			}
		}
	}
	codesOf := map[string]int{}
	for _, name := range out {
		codesOf[name]++
	}
	for code, name := range out {
		if codesOf[name] > 1 && name != code {
			out[code] = name + "（" + code + "）"
		}
	}
	return out
}

// UnitNames maps the unit codes of the tables (their unit_id and unit_name columns) to the
// names the reports show.
func UnitNames(tables ...*queries.Table) map[string]string { return unitNames(tables...) }

package reports

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/stats"
)

// The award-spread sentences of the annual write-up read as sentences: every link is a figure
// (a number, or a p-value written whole as "p = 0.001" the way the rest of the report writes
// it), never a run of words starting with a space or a bare "= 1".
func TestAwardSpreadSentencesReadAsSentences(t *testing.T) {
	spread := []queries.AwardSpread{
		{Kind: "awards", Year: 2024, Members: 2100, Total: 96, Tally: [4]int{2004, 96, 0, 0}, HasAny: true,
			Chance: stats.Chance{Members: 2100, Total: 96, Observed: 0.954, Expected: 0.956, P: 1, Draws: 999}},
		{Kind: "awards", Year: 0, Members: 2100, Total: 395, Tally: [4]int{1821, 214, 34, 31}, HasAny: true,
			Chance: stats.Chance{Members: 2100, Total: 395, Observed: 0.9, Expected: 0.843, P: 0.001, Draws: 999}},
	}
	cases := []struct {
		lang  Lang
		wants []string
	}{
		{"zh", []string{
			"2024 年，2100 名党员共获得表彰 96 次：未获得的 2004 人，获得一次的 96 人，两次的 0 人，三次及以上的 0 人。基尼系数为 0.95，而把同样数量的奖项随机分给同样这些人，基尼系数平均为 0.96（p = 1）：基尼系数高是因为奖项少、多数人本来就没有，并不说明集中在少数人身上。",
			"历年累计，2100 名党员共获得表彰 395 次：未获得的 1821 人，获得一次的 214 人，两次的 34 人，三次及以上的 31 人。基尼系数为 0.9，而把同样数量的奖项随机分给同样这些人，基尼系数平均为 0.84，实际高出 0.06（随机分配达到这一集中程度的概率 p = 0.001），确实集中在少数人身上。",
			"[p = 0.001](#src-", "[p = 1](#src-",
		}},
		{"en", []string{
			"In 2024, 2,100 members received 96 awards: 2,004 with none, 96 with one, 0 with two, 0 with three or more. The Gini coefficient is 0.95; handing the same number at random to the same people gives 0.96 on average (p = 1): the Gini is high because awards are rare, not because they go to the same people.",
			"Over all years, 2,100 members received 395 awards: 1,821 with none, 214 with one, 34 with two, 31 with three or more. The Gini coefficient is 0.9; handing the same number at random to the same people gives 0.84 on average, and the actual value is 0.06 higher (the chance that random allocation concentrates them as much: p = 0.001): the awards do go to the same few people.",
		}},
	}
	badLink := regexp.MustCompile(`\[(\s|[=<>：:，,。.]|[^\]]*[\p{Han}a-z]{3,}[^\]]*\]\(#src)`)
	for _, c := range cases {
		t.Run(string(c.lang), func(t *testing.T) {
			d := fixtureAnnual()
			d.Spread, d.SpreadSrc = spread, src("award_spread", "--year 2024")
			md := renderMD(t, BuildAnnual(d, c.lang))
			plain := plainMD(md)
			for _, w := range c.wants {
				in := plain
				if strings.Contains(w, "](#src-") {
					in = md
				}
				if !strings.Contains(in, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, line := range strings.Split(md, "\n") {
				if !strings.Contains(line, "基尼系数为") && !strings.Contains(line, "Gini coefficient is") && !strings.Contains(line, "两组走势的检验") {
					continue
				}
				for _, m := range mdLinkRe.FindAllStringSubmatch(line, -1) {
					if strings.HasPrefix(m[1], " ") || strings.HasPrefix(m[1], "=") || strings.HasPrefix(m[1], "<") || (badLink.MatchString(m[0]) && !strings.HasPrefix(m[1], "p ")) {
						t.Errorf("link %q is not a figure, in: %s", m[0], line)
					}
				}
			}
		})
	}
}

// A year with no record of a kind shows 无记录 in the spread table, not 2,100 members with none:
// an unloaded year and a year without awards look the same.
func TestAwardSpreadYearWithoutRecordsIsNoRecord(t *testing.T) {
	d := fixtureAnnual()
	d.Spread = []queries.AwardSpread{
		{Kind: "awards", Year: 2019, Members: 2100, Tally: [4]int{2100, 0, 0, 0}},
		{Kind: "awards", Year: 2024, Members: 2100, Total: 96, Tally: [4]int{2004, 96, 0, 0}, HasAny: true,
			Chance: stats.Chance{Members: 2100, Total: 96, Observed: 0.954, Expected: 0.956, P: 1, Draws: 999}},
	}
	d.SpreadSrc = src("award_spread", "")
	md := plainMD(renderMD(t, BuildAnnual(d, "zh")))
	for _, w := range []string{"| 表彰 | 2019 | 2100 | 无记录 | 无记录 | 无记录 | 无记录 | 无记录 | 无记录 | 无记录 | 无记录 | 无记录 |",
		"| 表彰 | 2024 | 2100 | 2004 | 96 | 0 | 0 |"} {
		if !strings.Contains(md, w) {
			t.Errorf("the spread table lacks the row %q", w)
		}
	}
}

// The above-chance column of the award tables is the difference of the Ginis as the table
// prints them, so a reader subtracting the two printed Ginis gets the printed excess (0.524
// against 0.5 is 0.024, although the raw values differ by 0.0232), in the annual and the
// evaluation spread table and in the evaluation's ranking of units.
func TestAboveChanceIsThePrintedGinisDifference(t *testing.T) {
	chance := []stats.Chance{
		{Observed: 0.5236, Expected: 0.5004, P: 0.001}, // 0.524 − 0.5 = 0.024 (raw 0.0232)
		{Observed: 0.9006, Expected: 0.8434, P: 0.001}, // 0.901 − 0.843 = 0.058 (raw 0.0572)
		{Observed: 0.9544, Expected: 0.9546, P: 0.6},   // 0.954 − 0.955 = −0.001 (raw −0.0002)
		{Observed: 0.9541, Expected: 0.9544, P: 0.7},   // both 0.954: 0, not −0.0003 or −0
	}
	var spread []queries.AwardSpread
	conc := &Concentration{Units: map[string]string{}, Src: src("award_concentration", "")}
	for i, c := range chance {
		c.Members, c.Total, c.Draws = 2100, 300, 999
		spread = append(spread, queries.AwardSpread{Kind: "awards", Year: 2021 + i, Members: 2100, Total: 300, Tally: [4]int{1900, 150, 30, 20}, HasAny: true, Chance: c})
		unit := fmt.Sprintf("U%02d", i)
		conc.Units[unit] = "单位" + unit
		scope := unit + "/2024"
		conc.Results = append(conc.Results,
			stats.Result{Method: stats.MethodGini, Activity: "awards", Scope: scope, N: 2100, Estimate: c.Observed},
			stats.Result{Method: stats.MethodGiniChance, Activity: "awards", Scope: scope, N: 2100, Statistic: c.Expected, Estimate: c.Excess(), P: c.P})
	}
	for _, lang := range []Lang{"zh", "en"} {
		annual := fixtureAnnual()
		annual.Spread, annual.SpreadSrc = spread, src("award_spread", "")
		eval := fixtureEvaluation()
		eval.Spread, eval.SpreadSrc = spread, src("award_spread", "")
		rank := RankedConcentration(conc, lang)
		eval.Ranked = append(eval.Ranked, *rank)
		for name, r := range map[string]*Report{"annual": BuildAnnual(annual, lang), "evaluation": BuildEvaluation(eval, lang)} {
			rows := aboveChanceRows(t, plainMD(renderMD(t, r)), lang)
			want := len(chance)
			if name == "evaluation" {
				want *= 2 // the spread table and the ranking
			}
			if len(rows) != want {
				t.Fatalf("%s %s: %d rows with Ginis and their excess, want %d", name, lang, len(rows), want)
			}
			for _, row := range rows {
				obs, exp, excess := decimalOf(t, row[0]), decimalOf(t, row[1]), decimalOf(t, row[2])
				if obs-exp != excess || strings.HasPrefix(row[2], "-0") && excess == 0 {
					t.Errorf("%s %s: Gini %s, by chance %s, above chance %s: the printed Ginis differ by %.3f",
						name, lang, row[0], row[1], row[2], float64(obs-exp)/1000)
				}
			}
		}
	}
}

// aboveChanceRows are the Gini, chance and excess cells of every Markdown table row that has
// them.
func aboveChanceRows(t *testing.T, md string, lang Lang) [][3]string {
	t.Helper()
	names := [3]string{"基尼系数", "随机分配的基尼系数", "高出随机"}
	if lang == "en" {
		names = [3]string{"Gini", "Gini by chance", "above chance"}
	}
	var out [][3]string
	var at [3]int
	in := false
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			in = false
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if !in {
			found := 0
			for i, c := range cells {
				for k, n := range names {
					if c == n {
						at[k] = i
						found++
					}
				}
			}
			in = found == 3
			continue
		}
		if strings.HasPrefix(cells[0], "---") || strings.HasPrefix(cells[0], ":--") {
			continue
		}
		out = append(out, [3]string{cells[at[0]], cells[at[1]], cells[at[2]]})
	}
	return out
}

// decimalOf reads a printed figure of at most 3 decimals as thousandths, exactly.
func decimalOf(t *testing.T, s string) int64 {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if len(frac) > 3 {
		t.Fatalf("%q has more than the table's 3 decimals", s)
	}
	n, err := strconv.ParseInt(whole+(frac + "000")[:3], 10, 64)
	if err != nil {
		t.Fatalf("%q is no figure: %v", s, err)
	}
	if neg {
		n = -n
	}
	return n
}

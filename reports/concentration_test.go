package reports

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries"
)

// unitAwards is one unit-year of member_counts: 40 members, the first holding top awards and
// each of the next `each` holding one.
type unitAwards struct {
	unit, name string
	year       int64
	top, each  int
}

// awardsFrom runs the concentration statistics (with their draws against chance) on
// member_counts rows built from us, as the report builder does, and names the units.
func awardsFrom(t *testing.T, us []unitAwards) *Concentration {
	t.Helper()
	tb := &queries.Table{Columns: []queries.Column{{Name: "unit_id", Type: queries.Text}, {Name: "year", Type: queries.Integer},
		{Name: "person_id", Type: queries.Text}, {Name: "awards", Type: queries.Integer}, {Name: "model_posts", Type: queries.Integer}}}
	names := map[string]string{}
	for _, u := range us {
		names[u.unit] = u.name
		for m := range 40 {
			a := 0
			switch {
			case m == 0:
				a = u.top
			case m <= u.each:
				a = 1
			}
			tb.Rows = append(tb.Rows, []any{u.unit, u.year, fmt.Sprintf("%s-P%02d", u.unit, m), int64(a), int64(0)})
		}
	}
	rs, err := queries.ConcentrationOf(tb)
	if err != nil {
		t.Fatal(err)
	}
	c := AwardsFromTables(tb, rs, src("concentration", "analyze --concentration"))
	if c == nil {
		t.Fatal("no concentration")
	}
	c.Units = names
	return c
}

// awardsCaption renders the evaluation report with c (and its ranking) and returns the awards
// chart's caption as read, and the Markdown.
func awardsCaption(t *testing.T, c *Concentration, lang Lang) (string, string, *Report) {
	t.Helper()
	d := fixtureEvaluation()
	d.Awards = c
	if rk := RankedConcentration(c, lang); rk != nil {
		d.Ranked = append(d.Ranked, *rk)
	}
	r := BuildEvaluation(d, lang)
	md := plainMD(renderMD(t, r))
	lead := t2(lang, "曲线越偏离对角线", "The further the curve bows")
	for _, line := range strings.Split(md, "\n") {
		if i := strings.Index(line, lead); i >= 0 {
			return line[i:], md, r
		}
	}
	t.Fatalf("no awards caption in:\n%s", md)
	return "", "", nil
}

// The awards caption sums the units up: it names the units whose awards are concentrated
// beyond chance and counts the rest, with the year, and says plainly when none is.
func TestAwardsCaptionSumsUpUnits(t *testing.T) {
	even := func(unit, name string) unitAwards { return unitAwards{unit: unit, name: name, year: 2024, each: 20} }
	few := []unitAwards{
		{unit: "U1", name: "城东供电所", year: 2023, each: 20}, // an earlier year: the latest one counts
		{unit: "U1", name: "城东供电所", year: 2024, top: 30},
		even("U2", "城西供电所"), even("U3", "城南供电所"),
		{unit: "U4", name: "城北供电所", year: 2024}, // nobody has an award
	}
	cases := []struct {
		name  string
		us    []unitAwards
		lang  Lang
		wants []string
		not   []string
	}{
		{"none concentrated", []unitAwards{even("U2", "城西供电所"), even("U3", "城南供电所")}, "zh",
			[]string{"各单位最近一年（2024 年）：没有单位的奖项比随机分配更集中，2 个单位均与随机分配相当。各单位的数值见“排名”一节。"},
			[]string{"城西供电所", "城南供电所", "显著"}},
		{"none concentrated en", []unitAwards{even("U2", "城西供电所"), even("U3", "城南供电所")}, "en",
			[]string{"Each unit's latest year (2024): no unit's awards are more concentrated than random allocation gives; all 2 units are in line with it. Every unit's figures are in the rankings section."},
			nil},
		{"one unit", []unitAwards{even("U2", "城西供电所")}, "zh",
			[]string{"各单位最近一年（2024 年）：没有单位的奖项比随机分配更集中，这 1 个单位与随机分配相当。"}, []string{"均"}},
		{"a few", few, "zh",
			[]string{"各单位最近一年（2024 年）：1 个单位的奖项显著比随机分配集中在少数人身上：城东供电所（基尼系数 0.97，随机分配为 0.57，p = 0.005）；其余 2 个单位与随机分配相当；另有 1 个单位的表彰无记录。各单位的数值见“排名”一节。"},
			[]string{"城西供电所", "城北供电所", "2023"}},
		{"a few en", few, "en",
			[]string{"Each unit's latest year (2024): awards are significantly more concentrated than random allocation gives in 1 unit: 城东供电所 (Gini 0.97 against 0.57 by chance, p = 0.005); in the other 2 units they are in line with random allocation; no award records in 1 more unit. Every unit's figures are in the rankings section."},
			nil},
		{"no records in the latest year", []unitAwards{{unit: "U4", name: "城北供电所", year: 2023, top: 3}, {unit: "U4", name: "城北供电所", year: 2024}}, "zh",
			[]string{"各单位最近一年（2024 年）：各单位的表彰均无记录。"}, []string{"相当"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			capt, _, _ := awardsCaption(t, awardsFrom(t, c.us), c.lang)
			checkText(t, "the caption "+capt+"\n", capt, c.wants, c.not)
		})
	}
}

// At province scale (more units than the caption names) the caption names the units furthest
// above chance, counts the others, and states the span of years; the ranking lists every unit.
func TestAwardsCaptionAtProvinceScale(t *testing.T) {
	var us []unitAwards
	for i := 1; i <= 40; i++ {
		u := unitAwards{unit: fmt.Sprintf("U%02d", i), name: fmt.Sprintf("第%02d供电所", i), year: 2024, each: 20}
		if i <= 14 {
			// More awards to the one member: chance spreads them wider, so the excess grows with i.
			u.each, u.top = 0, 10+i
		}
		if i == 40 {
			u.year = 2023 // a unit whose latest year is earlier
		}
		us = append(us, u)
	}
	c := awardsFrom(t, us)
	for _, lang := range []Lang{"zh", "en"} {
		t.Run(string(lang), func(t *testing.T) {
			capt, md, r := awardsCaption(t, c, lang)
			want := t2(lang, "各单位最近一年（2023—2024 年）：14 个单位的奖项显著比随机分配集中在少数人身上，高出随机最多的 10 个是第14供电所 2024 年（基尼系数 0.97，",
				"Each unit's latest year (2023–2024): awards are significantly more concentrated than random allocation gives in 14 units; the 10 furthest above chance are 第14供电所 2024 (Gini 0.97 against")
			if !strings.Contains(capt, want) {
				t.Errorf("the caption lacks %q:\n%s", want, capt)
			}
			rest := t2(lang, "；其余 26 个单位与随机分配相当。各单位的数值见“排名”一节。", "; in the other 26 units they are in line with random allocation. Every unit's figures are in the rankings section.")
			if !strings.Contains(capt, rest) {
				t.Errorf("the caption lacks %q:\n%s", rest, capt)
			}
			named := regexp.MustCompile(`第\d\d供电所`).FindAllString(capt, -1)
			if len(named) != captionScopes {
				t.Errorf("the caption names %d units, want %d: %v", len(named), captionScopes, named)
			}
			for _, n := range named {
				var i int
				fmt.Sscanf(n, "第%02d供电所", &i)
				if i < 5 || i > 14 {
					t.Errorf("the caption names %s, not among the 10 furthest above chance", n)
				}
			}
			// Every unit is in the ranking (the Markdown shows the first rows; the table has all).
			rk := RankedConcentration(c, lang)
			if len(rk.Table.Rows) != 40 {
				t.Errorf("the ranking has %d units, want 40", len(rk.Table.Rows))
			}
			if !strings.Contains(md, "| 1 | 第") {
				t.Errorf("no ranking in the report")
			}
			// The page shows 30 of them and names the sheet with all 40, which the XLSX holds.
			sheet := SheetNames(r)[rk.ID]
			more := t2(lang, "另有 10 行，见同目录 XLSX 文件的工作表 "+sheet+"。", "10 more rows: all are in sheet "+sheet+" of the XLSX file beside this page.")
			if !strings.Contains(md, more) {
				t.Errorf("the ranking does not say where the rest is: want %q", more)
			}
			f := openXLSX(t, r)
			defer f.Close()
			if rows, err := f.GetRows(sheet); err != nil || len(rows) != 41 {
				t.Errorf("sheet %q has %d rows (%v), want the header and 40 units", sheet, len(rows), err)
			}
		})
	}
}

package build_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/build"
	"github.com/mingdeng/mingdeng/reports/zhtext"
)

// The annual write-up and the evaluation's 主要结论 read as documents: tested on what the
// reader gets (the Markdown and HTML files) for the package's company (seed 7) and for the
// company of `mingdeng demo` (seed 1, with the messy files of real hand-overs).
func TestWriteupReadsAsADocument(t *testing.T) {
	dir, err := os.MkdirTemp("", "mingdeng-writeup-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	demoDB, err := ingestGenerated(dir, synth.Options{Scale: synth.ScaleCompany, Seed: 1, Messy: true, Format: synth.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, db string }{{"seed 7", companyDB}, {"demo, seed 1", demoDB}} {
		t.Run(c.name, func(t *testing.T) {
			w := openDB(t, c.db)
			ctx := context.Background()
			annual, err := build.Build(ctx, w, build.Request{Kind: build.Annual})
			if err != nil {
				t.Fatal(err)
			}
			eval, err := build.Build(ctx, w, build.Request{Kind: build.Evaluation})
			if err != nil {
				t.Fatal(err)
			}
			amd, ahtml := markdown(t, annual.Report), page(t, annual.Report)
			emd, ehtml := markdown(t, eval.Report), page(t, eval.Report)

			checkOutline(t, amd, []string{"一、基本情况", "二、存在的主要问题", "三、主要做法", "四、初步成效", "五、下一步建议", "六、结语"})
			checkOutline(t, emd, []string{"一、主要结论"})
			for _, h := range []string{"<h2>一、基本情况</h2>", `<h3 class="md-h2">（一）调研范围和期间</h3>`, "<h2>六、结语</h2>"} {
				if !strings.Contains(ahtml, h) {
					t.Errorf("annual HTML lacks %s", h)
				}
			}
			if !strings.Contains(ehtml, "<h2>一、主要结论</h2>") {
				t.Error("evaluation HTML does not open with 一、主要结论")
			}
			for name, text := range map[string]string{"annual.md": prose(amd), "evaluation.md": prose(emd), "annual.html": htmlText(ahtml), "evaluation.html": htmlText(ehtml)} {
				checkText(t, name, text)
			}
			checkLinked(t, annual.Report)
			checkLinked(t, eval.Report)
			checkWording(t, amd, emd, ahtml, ehtml, annual.Report, eval.Report)
			checkYoY(t, w.DB(), prose(amd), annual.Report)
			// The evaluation's findings name the year and carry 同比; its headline says 月均.
			if !regexp.MustCompile(`以下结论为 20\d\d 年全年的情况，同比与 20\d\d 年相比`).MatchString(prose(emd)) || !strings.Contains(emd, "百人违章数（月均）") {
				t.Errorf("evaluation conclusions: %.600s", emd[strings.Index(emd, "## 一、"):])
			}
		})
	}
}

func openDB(t *testing.T, path string) *warehouse.Warehouse {
	t.Helper()
	w, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func page(t *testing.T, r *reports.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := reports.WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var (
	mdLink  = regexp.MustCompile(`\]\(#src-S\d+\)`)
	tagRe   = regexp.MustCompile(`<[^>]+>`)
	scriptR = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<table.*?</table>|<p class="md-more">.*?</p>`)
)

// prose is the Markdown a reader reads as sentences: links unwrapped, without tables, the
// data-source list and the metadata list.
func prose(md string) string {
	if i := strings.Index(md, "\n## 数据来源"); i >= 0 {
		md = md[:i]
	}
	var out []string
	for _, line := range strings.Split(md, "\n") {
		// Tables and their "N more rows in the XLSX" notes are not sentences of the text.
		if strings.HasPrefix(line, "|") || strings.HasPrefix(line, "另有 ") || strings.HasPrefix(line, "- ") && strings.Contains(line, "：") && len(out) < 12 {
			continue
		}
		line = mdLink.ReplaceAllString(line, "")
		line = strings.NewReplacer(`\[`, "", "[", "", "&lt;", "<", "&gt;", ">", "&amp;", "&", `\*`, "*", `\_`, "_").Replace(line)
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// htmlText is the page's visible text outside tables and scripts.
func htmlText(page string) string {
	page = page[strings.Index(page, "<main>"):]
	if i := strings.Index(page, `id="md-sources"`); i >= 0 {
		page = page[:i]
	}
	page = scriptR.ReplaceAllString(page, "")
	page = strings.NewReplacer("</p>", "\n", "</h2>", "\n", "</h3>", "\n", "</h4>", "\n", "</h5>", "\n", "</li>", "\n", "</div>", "\n").Replace(page)
	page = tagRe.ReplaceAllString(page, "")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(page)
}

var (
	h2Re = regexp.MustCompile(`^## (.*)$`)
	h3Re = regexp.MustCompile(`^### （([一二三四五六七八九十]+)）`)
)

// checkOutline: the sections come in order with their 公文 numbers, and the （一）（二）… under
// each section count up from 一 with no gap.
func checkOutline(t *testing.T, md string, want []string) {
	t.Helper()
	var got []string
	sub := 0
	for _, line := range strings.Split(md, "\n") {
		if m := h2Re.FindStringSubmatch(line); m != nil {
			if m[1] == "数据完整性" {
				continue // the unnumbered preface every report opens with
			}
			got = append(got, m[1])
			sub = 0
			continue
		}
		if m := h3Re.FindStringSubmatch(line); m != nil {
			sub++
			if m[1] != reports.ChineseNumeral(sub) {
				t.Errorf("%q: heading number %s, want （%s）", line, m[1], reports.ChineseNumeral(sub))
			}
		}
	}
	if len(got) < len(want) || strings.Join(got[:len(want)], "|") != strings.Join(want, "|") {
		t.Errorf("sections %v, want %v first", got, want)
	}
}

var (
	perUnitRe   = regexp.MustCompile(`每增加 ?1 ?个单位|每多 1 个单位`)
	giniRe      = regexp.MustCompile(`基尼系数[^。]*?\d`)
	sentenceEnd = regexp.MustCompile(`[。！？\n]`)
)

// checkText: no repeated sentence, no broken punctuation, no effect "per unit" of a share, and
// no Gini figure without its chance baseline in the same sentence.
func checkText(t *testing.T, name, text string) {
	t.Helper()
	for _, p := range zhtext.Check(text) {
		t.Errorf("%s: %s: %q", name, p.Kind, p.Text)
	}
	if m := perUnitRe.FindString(text); m != "" {
		t.Errorf("%s: %q", name, m)
	}
	for _, s := range sentenceEnd.Split(text, -1) {
		if giniRe.MatchString(s) && !strings.Contains(s, "随机") {
			t.Errorf("%s: a Gini without its chance baseline: %q", name, s)
		}
	}
}

// plainNumber is a number allowed outside a link: dates and years, and the fixed numbers of the
// method's wording (95% intervals, the 5% level, 10 percentage points, the 0.2 rule, 0 on the axis).
var (
	digits      = regexp.MustCompile(`\d`)
	plainNumber = regexp.MustCompile(`\d{4} ?年(\d{1,2}月(\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|\d{4}H[12]|95%|5%|10 个百分点|每多 1 |每提高 1 分|0\.2 条|（0）|p < 0\.05|p 小于 0\.05|0 为人人相同|区间包含 0|3 次及以上|1 次的|2 次的|少于 5 人|附录[一二三]|第[一二三四五六]部分|20\d\d-\d\d(-\d\d)?`)
)

// checkLinked: in the paragraphs a reader reads, every number from the data is a link to its
// source.
func checkLinked(t *testing.T, r *reports.Report) {
	t.Helper()
	for _, s := range r.Sections {
		for _, b := range s.Blocks {
			p, ok := b.(reports.Paragraph)
			if !ok {
				continue
			}
			for _, sp := range p.Spans {
				if sp.Ref != "" {
					continue
				}
				if rest := plainNumber.ReplaceAllString(sp.Text, ""); digits.MatchString(rest) {
					t.Errorf("%s / %s: unlinked number in %q", r.Kind, s.Title, sp.Text)
				}
			}
		}
	}
}

var (
	meetingsRe = regexp.MustCompile(`全年召开党小组会 (\d+) 次，同比(增加|减少) (\d+) 次（上年 (\d+) 次`)
	demoRe     = regexp.MustCompile(`示范日活动全年开展 (\d+) 次，同比(增加|减少) (\d+) 次（上年 (\d+) 次`)
	postsRe    = regexp.MustCompile(`全年新设示范岗、责任区等 (\d+) 个，同比(增加|减少) (\d+) 个（上年 (\d+) 个`)
	groupsRe   = regexp.MustCompile(`个单位的 (\d+) 个党小组开展组织生活，(?:同比(?:增加|减少) \d+ 个（上年 (\d+) 个|与上年持平（上年 (\d+) 个)`)
)

// checkYoY: the write-up's figures and their 同比 equal counts taken straight from the tables
// with SQL of the test's own, for the write-up's year and the year before.
func checkYoY(t *testing.T, db *sql.DB, text string, r *reports.Report) {
	t.Helper()
	year := 0
	fmt.Sscanf(r.Title[strings.LastIndex(r.Title, " ")+1:], "%d", &year)
	if year == 0 {
		t.Fatalf("no year in the title %q", r.Title)
	}
	count := func(q string, y int) int {
		var n int
		if err := db.QueryRow(q, y).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		name string
		re   *regexp.Regexp
		sql  string
	}{
		{"group meetings", meetingsRe, `SELECT count(*) FROM meetings m JOIN party_groups g USING (group_id)
			WHERE m.kind = 'group_meeting' AND year(m.held_on) = ?`},
		{"demonstration days", demoRe, `SELECT count(*) FROM meetings m JOIN party_groups g USING (group_id)
			WHERE m.kind = 'demo_day' AND year(m.held_on) = ?`},
		{"model posts awarded", postsRe, `SELECT count(*) FROM model_posts WHERE year(awarded_on) = ?`},
	} {
		m := c.re.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s: no sentence with 同比 matching %s", c.name, c.re)
			continue
		}
		cur, _ := strconv.Atoi(m[1])
		diff, _ := strconv.Atoi(m[3])
		prev, _ := strconv.Atoi(m[4])
		if m[2] == "减少" {
			diff = -diff
		}
		wantCur, wantPrev := count(c.sql, year), count(c.sql, year-1)
		if cur != wantCur || prev != wantPrev || cur-prev != diff {
			t.Errorf("%s: report says %d, 同比 %+d, last year %d; the tables give %d and %d", c.name, cur, diff, prev, wantCur, wantPrev)
		}
	}
	// Groups that met the monthly rule's scope: those existing in at least one full month.
	m := groupsRe.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no group count with 同比 in %.400s", text)
	}
	groups := `SELECT count(DISTINCT g.group_id) FROM party_groups g, range(1, 13) m(mo)
		WHERE coalesce(g.formed_on, DATE '0001-01-01') <= make_date(?::INT, mo::INT, 1)
		  AND coalesce(g.dissolved_on, DATE '9999-12-31') >= last_day(make_date(?::INT, mo::INT, 1))`
	var wantCur, wantPrev int
	if err := db.QueryRow(groups, year, year).Scan(&wantCur); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(groups, year-1, year-1).Scan(&wantPrev); err != nil {
		t.Fatal(err)
	}
	prev := m[2] + m[3]
	if m[1] != strconv.Itoa(wantCur) || prev != strconv.Itoa(wantPrev) {
		t.Errorf("groups: report says %s (last year %s), the tables give %d (%d)", m[1], prev, wantCur, wantPrev)
	}
}

var (
	machineHalf = regexp.MustCompile(`\d{4}H[12]`)
	declaredRe  = regexp.MustCompile(`预先设定的 \d+ 项假设（于 \d{4}年\d{1,2}月\d{1,2}日 设定）`)
	mdeRe       = regexp.MustCompile(`以现有数据，只有当效应大于 [\d.]+ ?[^（]*（按[^）]+计）时才能发现`)
)

// checkWording: what the reader sees says what is compared and when. Markdown shows "p <"
// (no HTML entity); periods read 2024年上半年 in text and charts; the primary hypotheses are
// named with the date they were set, each one not supported says how large an effect the
// data could find; the model-post comparison is of teams; every forest plot of the
// evaluation says whether it shows hypotheses set in advance or exploratory estimates.
func checkWording(t *testing.T, amd, emd, ahtml, ehtml string, annual, eval *reports.Report) {
	t.Helper()
	for name, text := range map[string]string{"annual.md": amd, "evaluation.md": emd} {
		if strings.Contains(text, "&lt;") || strings.Contains(text, "&gt;") || strings.Contains(text, "&amp;") {
			t.Errorf("%s shows HTML entities", name)
		}
	}
	if !strings.Contains(emd, "p < 0.001") {
		t.Error("evaluation.md: no p < 0.001")
	}
	for name, text := range map[string]string{"annual.md": prose(amd), "evaluation.md": prose(emd), "annual.html": htmlText(ahtml), "evaluation.html": htmlText(ehtml)} {
		if m := machineHalf.FindString(text); m != "" {
			t.Errorf("%s writes the half as %s", name, m)
		}
	}
	for _, r := range []*reports.Report{annual, eval} {
		for _, c := range r.Charts() {
			j, err := reports.OptionJSON(c)
			if err != nil {
				t.Fatal(err)
			}
			if m := machineHalf.Find(j); m != nil {
				t.Errorf("%s chart %s shows %s", r.Kind, c.ID, m)
			}
		}
	}
	ap, ep := prose(amd), prose(emd)
	for name, text := range map[string]string{"annual": ap, "evaluation": ep} {
		if !declaredRe.MatchString(text) {
			t.Errorf("%s: no 预先设定的 N 项假设（于 … 设定）", name)
		}
		if strings.Contains(text, "事先确定") {
			t.Errorf("%s: still says 事先确定", name)
		}
	}
	results := ap[strings.Index(ap, "## 四、"):strings.Index(ap, "## 五、")]
	if ns, mde := strings.Count(results, "未得到数据支持（估计"), len(mdeRe.FindAllString(results, -1)); ns != mde {
		t.Errorf("annual: %d primary hypotheses not supported but %d sentences on the effect the data could find", ns, mde)
	}
	if strings.Contains(ap, "双重差分）：") && (!strings.Contains(ap, "把采取了该举措的班组与同期尚未采取的班组对照比较") || !strings.Contains(ap, "相对于对照班组") || strings.Contains(ap, "对照党小组")) {
		t.Error("annual: the difference in differences does not say it compares teams")
	}
	primary := 0
	for _, c := range eval.Charts() {
		switch {
		case strings.HasPrefix(c.ID, "eval-primary"):
			primary++
			if !strings.HasPrefix(c.Title, "预先设定的假设") {
				t.Errorf("evaluation: primary plot %s titled %q", c.ID, c.Title)
			}
		case strings.HasPrefix(c.ID, "eval-effects") && primary > 0:
			if !strings.HasPrefix(c.Title, "探索性估计") {
				t.Errorf("evaluation: exploratory plot %s titled %q", c.ID, c.Title)
			}
		}
	}
	if primary == 0 {
		t.Error("evaluation: no forest plot of the hypotheses set in advance")
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/reports/tabular"
)

// What an analyst reads in the CLI's tables and messages: datasets named by their label with
// the table name beside it, 无记录 rather than 0 or blank, errors naming the value and what was
// expected, periods as a reader writes them; each in the language asked for.

// lineOf is the first line of out that contains all of words, or "".
func lineOf(out string, words ...string) string {
	for _, l := range strings.Split(out, "\n") {
		all := true
		for _, w := range words {
			all = all && strings.Contains(l, w)
		}
		if all {
			return l
		}
	}
	return ""
}

func TestStatusAndDatasetsNameDatasetsByLabel(t *testing.T) {
	db := smallWarehouse(t) // units, meetings … hold rows; people, patrols … none
	tests := []struct {
		args []string
		want []*regexp.Regexp // each must match one line
		not  []string
	}{
		{[]string{"status", "--db", db}, []*regexp.Regexp{
			regexp.MustCompile(`^数据集\s+表名\s+行数$`),
			regexp.MustCompile(`^组织生活记录\s+meetings\s+2$`),
			regexp.MustCompile(`^人员\s+people\s+无记录$`),
			regexp.MustCompile(`^巡视记录\s+patrols\s+无记录$`),
		}, []string{" 0\n"}},
		{[]string{"status", "--db", db, "--lang", "en"}, []*regexp.Regexp{
			regexp.MustCompile(`^dataset\s+table\s+rows$`),
			regexp.MustCompile(`^Meetings\s+meetings\s+2$`),
			regexp.MustCompile(`^People\s+people\s+no records$`),
		}, []string{"人员", " 0\n"}},
		{[]string{"datasets"}, []*regexp.Regexp{
			regexp.MustCompile(`^数据集\s+表名\s+类别`),
			regexp.MustCompile(`^组织生活记录\s+meetings\s+党小组活动\s+14\s+meeting_id$`),
			regexp.MustCompile(`mingdeng datasets show 表名`),
		}, nil},
		{[]string{"datasets", "--lang", "en"}, []*regexp.Regexp{
			regexp.MustCompile(`^dataset\s+table\s+group`),
			regexp.MustCompile(`^Meetings\s+meetings\s+Party-group activity\s+14\s+meeting_id$`),
		}, []string{"组织生活记录"}},
		// the label a table shows is also a name show takes
		{[]string{"datasets", "show", "组织生活记录"}, []*regexp.Regexp{regexp.MustCompile(`^组织生活记录（表名 meetings）$`)}, nil},
		{[]string{"datasets", "show", "meetings", "--lang", "en"}, []*regexp.Regexp{regexp.MustCompile(`^Meetings \(table meetings\)$`)}, nil},
	}
	for _, tc := range tests {
		t.Run(argsName(tc.args), func(t *testing.T) {
			r := mingdeng(t, tc.args...)
			if r.code != 0 {
				t.Fatalf("%+v", r)
			}
			for _, re := range tc.want {
				found := false
				for _, l := range strings.Split(r.stdout, "\n") {
					found = found || re.MatchString(strings.TrimRight(l, " "))
				}
				if !found {
					t.Errorf("no line matches %s:\n%s", re, r.stdout)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(r.stdout, s) {
					t.Errorf("output has %q:\n%s", s, r.stdout)
				}
			}
		})
	}
}

// argsName names a subtest by its command line without the warehouse's temporary path.
func argsName(args []string) string {
	var out []string
	for i, a := range args {
		if a == "--db" || i > 0 && args[i-1] == "--db" {
			continue
		}
		out = append(out, a)
	}
	return strings.Join(out, " ")
}

// Errors of query, assess and analyze name the value and what was expected, in the user's
// language; an empty result says 无记录 with the scope asked for; --unit takes a name as well
// as a code, and a name that is unknown or shared lists the candidates.
func TestQueryMessagesInTheUsersLanguage(t *testing.T) {
	db := smallWarehouse(t)
	two := smallWarehouse(t)
	if r := mingdeng(t, "sql", "--db", two, `INSERT INTO units VALUES ('U2', '线路工区', 'work_area', NULL, 1, 2)`); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	year := []string{"--from", "2024-01-01", "--to", "2024-12-31"}
	tests := []struct {
		args       []string
		code       int
		zh, en     string // in stdout (code 0) or stderr
		notZh      string // must not be in the Chinese output
		exactLines int    // when > 0, the number of stdout lines (header, rule, rows)
	}{
		{args: []string{"query", "group_complianc", "--db", db}, code: 2,
			zh: "错误：没有名为“group_complianc”的查询；最接近的是：group_compliance（全部查询见 mingdeng query --list）",
			en: `error: no query named "group_complianc"; the closest: group_compliance (mingdeng query --list shows them all)`, notZh: "unknown"},
		{args: []string{"query", "compliance", "--db", db}, code: 2,
			zh: "最接近的是：cadence_compliance、group_compliance", en: "the closest: cadence_compliance, group_compliance"},
		{args: []string{"query", "nosuch", "--db", db}, code: 2,
			zh: "错误：没有名为“nosuch”的查询；全部查询见 mingdeng query --list", en: `no query named "nosuch"; mingdeng query --list shows them all`},
		{args: []string{"query", "group_activity", "--db", db, "--period", "week"}, code: 2,
			zh: "期间粒度 period 的值“week”无效，应为 month、quarter、half 或 year 之一", en: `period "week": expected one of month, quarter, half or year`, notZh: "invalid"},
		{args: []string{"query", "group_activity", "--db", db, "--from", "2024-06-01", "--to", "2024-01-01"}, code: 2,
			zh: "截止日期 to（2024-01-01）早于起始日期 from（2024-06-01）", en: "to 2024-01-01 is before from 2024-06-01"},
		{args: []string{"assess", "--db", db, "--year", "1999"}, code: 2,
			zh: "考评年度 1999 无效，应为 2000 到 2100 之间的年份", en: "assessment year 1999: expected a year from 2000 to 2100"},
		{args: []string{"analyze", "--db", db, "--activity", "nope"}, code: 2,
			zh: "没有名为“nope”的活动指标；可用：meetings_held、", en: `unknown activity metric "nope" (known: meetings_held, `},
		// empty results
		{args: []string{"query", "assessment_totals", "--db", db, "--year", "2030", "--unit", "U1"}, code: 0,
			zh: "无记录（查询 assessment_totals，2030 年度，单位 线路工区（U1））。", en: "no records (query assessment_totals, year 2030, unit 线路工区 (U1))."},
		{args: append([]string{"query", "group_surveys", "--db", db}, "--from", "2021-01-01", "--to", "2021-12-31"), code: 0,
			zh: "无记录（查询 group_surveys，2021-01-01 至 2021-12-31，全部单位）。", en: "no records (query group_surveys, 2021-01-01 to 2021-12-31, all units)."},
		{args: []string{"query", "group_surveys", "--db", db, "--unit", "U1"}, code: 0,
			zh: "无记录（查询 group_surveys，有记录的全部年份，单位 线路工区（U1））。", en: "no records (query group_surveys, every year with records, unit 线路工区 (U1))."},
		{args: []string{"assess", "--db", db, "--year", "2030"}, code: 0,
			zh: "无记录（考评，2030 年度，全部单位）。", en: "no records (assessment, year 2030, all units)."},
		// --unit by name, as report and check take it
		{args: append([]string{"query", "group_compliance", "--db", db, "--unit", "线路工区", "--period", "year"}, year...), code: 0,
			zh: "运行党小组", en: "运行党小组", exactLines: 3},
		{args: []string{"assess", "--db", db, "--year", "2024", "--unit", "线路工区"}, code: 0, zh: "不合格", en: "Unqualified"},
		{args: []string{"query", "group_compliance", "--db", db, "--unit", "线路"}, code: 1,
			zh: "错误：--unit \"线路\"：没有这个单位（名称或代码）。最接近的是：U1 线路工区", en: `error: --unit "线路": no such unit (name or code). The closest: U1 线路工区`},
		{args: []string{"assess", "--db", db, "--year", "2024", "--unit", "线路"}, code: 1, zh: "没有这个单位", en: "no such unit"},
		{args: []string{"analyze", "--db", db, "--unit", "U9"}, code: 1, zh: "没有这个单位", en: "no such unit"},
		{args: []string{"query", "group_compliance", "--db", two, "--unit", "线路工区"}, code: 1,
			zh: "--unit \"线路工区\" 对应 2 个单位：U1 线路工区；U2 线路工区。请用代码指定（例如 --unit U1）", en: `--unit "线路工区" matches 2 units: U1 线路工区; U2 线路工区. Give the code (e.g. --unit U1)`},
	}
	for _, tc := range tests {
		for _, lang := range []string{"zh", "en"} {
			t.Run(lang+" "+argsName(tc.args), func(t *testing.T) {
				r := mingdeng(t, append(tc.args, "--lang", lang)...)
				out := r.stdout
				if tc.code != 0 {
					out = r.stderr
				}
				want := map[string]string{"zh": tc.zh, "en": tc.en}[lang]
				if r.code != tc.code || !strings.Contains(out, want) {
					t.Fatalf("exit %d (want %d), output lacks %q:\n%s%s", r.code, tc.code, want, r.stdout, r.stderr)
				}
				if lang == "zh" && tc.notZh != "" && strings.Contains(out, tc.notZh) {
					t.Errorf("Chinese output has %q: %s", tc.notZh, out)
				}
				if n := strings.Count(strings.TrimSpace(r.stdout), "\n") + 1; tc.exactLines > 0 && n != tc.exactLines {
					t.Errorf("%d lines, want %d:\n%s", n, tc.exactLines, r.stdout)
				}
			})
		}
	}
}

// Periods read as a reader writes them in the readers' formats (the reports' words: 2024年上半年,
// 2024年第一季度, 2024年3月; 2024 H1, Mar 2024); CSV and JSON keep the machine labels.
func TestPeriodsInReadersWords(t *testing.T) {
	db := smallWarehouse(t)
	year := []string{"--db", db, "--from", "2024-01-01", "--to", "2024-12-31"}
	tests := []struct {
		args   []string
		zh, en []string // each in one line of stdout
		not    string   // in neither language
	}{
		{append([]string{"query", "group_compliance", "--period", "half"}, year...), []string{"2024年上半年", "2024年下半年"}, []string{"2024 H1", "2024 H2"}, "2024H"},
		{append([]string{"query", "group_activity", "--period", "quarter"}, year...), []string{"2024年第一季度", "2024年第四季度"}, []string{"2024 Q1", "2024 Q4"}, "2024Q"},
		{append([]string{"query", "group_compliance", "--period", "month"}, year...), []string{"2024年3月", "2024年12月"}, []string{"Mar 2024", "Dec 2024"}, "2024-03 "},
		{append([]string{"query", "group_compliance", "--period", "year"}, year...), []string{"运行党小组  2024年 "}, []string{"运行党小组   2024 "}, ""},
		{append([]string{"query", "group_compliance", "--period", "half", "--format", "markdown"}, year...), []string{"| 2024年上半年 |"}, []string{"| 2024 H1 |"}, "2024H"},
		{[]string{"assess", "--db", db, "--year", "2024"}, []string{"2024年上半年", "2024年下半年"}, []string{"2024 H1", "2024 H2"}, "2024H"},
		{append([]string{"check"}, year...), []string{"数据完整性：全部单位，2024年1月至2024年12月"}, []string{"data completeness: all units, Jan 2024 to Dec 2024"}, "2024-01"},
	}
	for _, tc := range tests {
		for _, lang := range []string{"zh", "en"} {
			t.Run(lang+" "+argsName(tc.args), func(t *testing.T) {
				r := mingdeng(t, append(tc.args, "--lang", lang)...)
				if r.code != 0 {
					t.Fatalf("%+v", r)
				}
				for _, want := range map[string][]string{"zh": tc.zh, "en": tc.en}[lang] {
					if lineOf(r.stdout, want) == "" {
						t.Errorf("no line has %q:\n%s", want, r.stdout)
					}
				}
				if tc.not != "" && strings.Contains(r.stdout, tc.not) {
					t.Errorf("machine label %q shown:\n%s", tc.not, r.stdout)
				}
			})
		}
	}
	r := mingdeng(t, append([]string{"query", "group_compliance", "--period", "half", "--format", "csv"}, year...)...)
	if r.code != 0 || !strings.Contains(r.stdout, ",2024H1,") || strings.Contains(r.stdout, "上半年") {
		t.Errorf("CSV keeps the machine labels:\n%+v", r)
	}
}

// Every command's help names flag values in the user's language (--db 文件, --from 日期; --db
// file), never by pflag's Go type, keeps the descriptions in one column however wide the
// placeholders, and writes the usage line's arguments in that language.
func TestHelpPlaceholdersInTheUsersLanguage(t *testing.T) {
	commands := [][]string{{}, {"init"}, {"status"}, {"check"}, {"datasets"}, {"datasets", "show"}, {"sql"}, {"chart"}, {"serve"}, {"start"},
		{"report"}, {"demo"}, {"gen"}, {"ingest"}, {"rejects"}, {"query"}, {"assess"}, {"analyze"}}
	goTypes := regexp.MustCompile(`--[a-z-]+ (string|int|uint|stringArray|duration|float)\b`)
	flagLine := regexp.MustCompile(`^  (-h, |    )--`)
	for _, lang := range []string{"zh", "en"} {
		for _, c := range commands {
			args := append(append([]string{}, c...), "--help", "--lang", lang)
			t.Run(lang+" "+strings.Join(c, " "), func(t *testing.T) {
				r := mingdeng(t, args...)
				if r.code != 0 {
					t.Fatalf("%+v", r)
				}
				if m := goTypes.FindAllString(r.stdout, -1); m != nil {
					t.Errorf("Go type names as placeholders: %q\n%s", m, r.stdout)
				}
				// within each block of flags, every description starts in the same column
				col := -1
				for _, l := range strings.Split(r.stdout, "\n") {
					if !flagLine.MatchString(l) {
						col = -1
						continue
					}
					dash := strings.Index(l, "--")
					i := dash + strings.Index(l[dash:], "   ")
					for i < len(l) && l[i] == ' ' {
						i++
					}
					c := tabular.DisplayWidth(l[:i])
					if col >= 0 && c != col {
						t.Errorf("description of %q starts at column %d, not %d:\n%s", l, c, col, r.stdout)
					}
					col = c
				}
				han := regexp.MustCompile(`\p{Han}`)
				if use := lineOf(r.stdout, "mingdeng "); lang == "en" && han.MatchString(use) {
					t.Errorf("Chinese in the English usage line %q", use)
				}
			})
		}
	}
	for _, tc := range []struct{ lang, want string }{
		{"zh", "      --db 文件     数据仓库文件（环境变量 MINGDENG_DB）（默认 \"mingdeng.duckdb\"）"},
		{"en", "      --db file     warehouse file (env MINGDENG_DB) (default \"mingdeng.duckdb\")"},
	} {
		r := mingdeng(t, "query", "--help", "--lang", tc.lang)
		if !strings.Contains(r.stdout, tc.want) {
			t.Errorf("%s: query --help lacks %q:\n%s", tc.lang, tc.want, r.stdout)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"query", "--help"}, "mingdeng query 查询名称 [选项]"},
		{[]string{"query", "--help", "--lang", "en"}, "mingdeng query NAME [flags]"},
		{[]string{"assess", "--help"}, "      --year 年份"},
		{[]string{"serve", "--help"}, "      --timeout 时长"},
		{[]string{"report", "--help"}, "      --param 名称=值"},
		{[]string{"gen", "--help"}, "mingdeng gen --out 目录 [选项]"},
		{[]string{"ingest", "--help"}, "mingdeng ingest 文件或文件夹... [选项]"},
		{[]string{"analyze", "--help"}, "输出格式：table、json（csv、markdown、xlsx 也可用）"},
	} {
		if r := mingdeng(t, tc.args...); !strings.Contains(r.stdout, tc.want) {
			t.Errorf("%v lacks %q:\n%s", tc.args, tc.want, r.stdout)
		}
	}
}

// A mistake in mingdeng.yaml names the file, the line, the key, the value and what was
// expected, in the user's language; an unknown key is refused, not left to keep its default.
func TestConfigErrorsNameFileLineKeyAndValue(t *testing.T) {
	db := smallWarehouse(t)
	dir := t.TempDir()
	tests := []struct {
		name, yaml string
		zh, en     string
	}{
		{"misspelt key", "assessment:\n  grades:\n    excelent: 90\n",
			"第 3 行：没有“assessment.grades.excelent”这一配置项；是否想写 excellent？assessment.grades 下可用的配置项：excellent、qualified、basic",
			`line 3: unknown key "assessment.grades.excelent"; did you mean excellent? the keys under assessment.grades are: excellent, qualified, basic`},
		{"unknown top-level key", "cadence: []\n",
			"第 1 行：没有“cadence”这一配置项；是否想写 cadences？顶层可用的配置项：assessment、cadences、",
			`line 1: unknown key "cadence"; did you mean cadences? the keys at the top level are: assessment, cadences, `},
		{"text for a number", "defect_limits:\n  general: 30\n  serious: 一周\n",
			"第 3 行：defect_limits.serious 的值“一周”无效，应为 整数", `line 3: defect_limits.serious "一周" is not valid: expected a whole number`},
		{"bad enum", "assessment:\n  advanced_scope: team\n",
			"第 2 行：assessment.advanced_scope 的值“team”无效，应为 unit、branch 或 company 之一", `line 2: assessment.advanced_scope "team" is not valid: expected one of unit, branch or company`},
		{"bad list item", "cadences:\n  - kind: group_meeting\n    every: month\n    min: 1\n  - kind: party_lecture\n    every: week\n    min: 1\n",
			"第 6 行：cadences[2].every 的值“week”无效，应为 month、quarter、half 或 year 之一", `line 6: cadences[2].every "week" is not valid: expected one of month, quarter, half or year`},
		{"a kind twice", "cadences:\n  - {kind: group_meeting, every: month, min: 1}\n  - {kind: group_meeting, every: quarter, min: 2}\n",
			"第 3 行：cadences[2].kind 的值“group_meeting”无效，应为 cadences 中尚未列出的会议类型（每种只写一次）", `line 3: cadences[2].kind "group_meeting" is not valid: expected a kind not listed earlier in cadences (each kind once)`},
		{"thresholds out of order", "assessment:\n  grades:\n    excellent: 90\n    qualified: 95\n",
			"第 2 行：assessment.grades 的值“excellent 90, qualified 95, basic 60”无效，应为 0 ≤ basic ≤ qualified ≤ excellent ≤ 100", `line 2: assessment.grades "excellent 90, qualified 95, basic 60" is not valid`},
		{"a list for a mapping", "assessment: [1, 2]\n",
			"第 1 行：assessment 的值“[1, 2]”无效，应为 “键: 值”形式的一组配置项", `line 1: assessment "[1, 2]" is not valid: expected a mapping of keys to values`},
		{"not YAML", "assessment:\n  grades:\n   x: : 1\n",
			"第 3 行：不是合法的 YAML（解析器的说明：", "line 3: not valid YAML (the parser says: "},
	}
	for i, tc := range tests {
		path := filepath.Join(dir, fmt.Sprintf("c%d.yaml", i))
		if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"zh", "en"} {
			t.Run(lang+" "+tc.name, func(t *testing.T) {
				r := mingdeng(t, "assess", "--db", db, "--year", "2024", "--config", path, "--lang", lang)
				want := map[string]string{"zh": "错误：配置文件 " + path + " " + tc.zh, "en": "error: " + path + " " + tc.en}[lang]
				if r.code != 1 || !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
					t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
				}
			})
		}
	}
}

// A batch's row in status adds up to the rows read: duplicates, blank and summary rows are
// counted as ingest counts them, not left for the reader to wonder about.
func TestStatusBatchRowAddsUp(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "x.duckdb")
	mingdeng(t, "init", "--db", db)
	writeTree(t, dir, map[string]string{"单位.csv": "单位编码,单位名称,单位类型\nU01,线路工区,工区\nU01,线路工区,工区\nU02,,工区\n,,\n合计,,\n"})
	if r := mingdeng(t, "ingest", "--db", db, dir); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	for _, tc := range []struct {
		lang string
		re   *regexp.Regexp
	}{
		{"zh", regexp.MustCompile(`读取\s+新增\s+更新\s+未变\s+拒绝\s+重复\s+空行\s+汇总行\s+时间\n.*\n.*单位\s+\S*单位\.csv\s+已导入\s+5\s+1\s+0\s+0\s+1\s+1\s+1\s+1\s`)},
		{"en", regexp.MustCompile(`read\s+loaded\s+updated\s+unchanged\s+rejected\s+duplicates\s+blank\s+summary rows\s+started\n.*\n.*Units\s+\S*单位\.csv\s+loaded\s+5\s+1\s+0\s+0\s+1\s+1\s+1\s+1\s`)},
	} {
		if r := mingdeng(t, "status", "--db", db, "--lang", tc.lang); !tc.re.MatchString(r.stdout) {
			t.Errorf("%s: no row matches %s:\n%s", tc.lang, tc.re, r.stdout)
		}
	}
}

package main

import (
	"regexp"
	"strings"
	"testing"
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
		{[]string{"datasets", "show", "组织生活记录"}, []*regexp.Regexp{regexp.MustCompile(`^组织生活记录 \(meetings\)$`)}, nil},
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

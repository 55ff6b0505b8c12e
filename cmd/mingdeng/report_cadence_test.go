package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The group-meeting figures of the reports follow the cadence of mingdeng.yaml: the grid's
// slots, the count required, the captions, sentences and tables, in HTML and Markdown, in
// Chinese and English; with no group-meeting cadence they say nothing is checked.
func TestReportsFollowTheConfiguredMeetingCadence(t *testing.T) {
	db := ingestedTiny(t)
	type want struct {
		file        string // the report's Markdown; its HTML is checked for the same phrases
		has, hasNot []string
	}
	for _, c := range []struct {
		name   string
		config string // under testdata/cadence; "" for the defaults
		args   [][]string
		want   []want
	}{
		{"default", "", [][]string{{"evaluation"}, {"annual"}, {"group", "--group", "运行党小组"}}, []want{
			{"evaluation.md", []string{"党小组按月开会情况（党小组 × 月）", "mingdeng.yaml 规定每月至少召开一次党小组会。每格为该党小组该月是否达到这一要求", "| 2024-01 |", "全年逐月计，达到“每月至少召开一次党小组会”的占 "}, []string{"季度"}},
			{"annual.md", []string{"组织生活按 mingdeng.yaml 的规定核对：每月至少召开一次党小组会，党小组存续的每个整月"}, nil},
			{"group-XZ00001.md", []string{"每月党小组会次数", "按 mingdeng.yaml 的规定，每月至少召开一次党小组会；有记录的 "}, nil},
		}},
		{"quarterly", "quarterly.yaml", [][]string{{"evaluation"}, {"evaluation", "--lang", "en"}, {"annual"}, {"group", "--group", "运行党小组"}}, []want{
			{"evaluation.md", []string{"党小组按季度开会情况（党小组 × 季度）", "mingdeng.yaml 规定每季度至少召开 2 次党小组会。每格为该党小组该季度是否达到这一要求",
				"| 2023Q1 | 2023Q2 |", "全年逐季度计，达到“每季度至少召开 2 次党小组会”的占 ", "mingdeng query group_compliance --period quarter"},
				[]string{"按月开会情况", "每月至少召开"}},
			{"evaluation-en.md", []string{"Group meetings held each quarter (group × quarter)", "mingdeng.yaml sets at least 2 group meetings a quarter. Each cell shows whether the group met it that quarter"},
				[]string{"a month.", "%!"}},
			{"annual.md", []string{"组织生活按 mingdeng.yaml 的规定核对：每季度至少召开 2 次党小组会，党小组存续的每个整季度"}, []string{"每月至少召开"}},
			{"group-XZ00001.md", []string{"每季度党小组会次数", "按 mingdeng.yaml 的规定，每季度至少召开 2 次党小组会；有记录的 8 个季度中", "| 2024年第一季度 |"}, []string{"每月"}},
		}},
		{"three a month", "monthly-3.yaml", [][]string{{"annual"}}, []want{
			{"annual.md", []string{"### （一）部分党小组未做到每月至少召开 3 次党小组会", "按照每月至少召开 3 次党小组会的要求，全年有 ",
				"**未达到“每月至少召开 3 次党小组会”的党小组（未达到的月数最多的 20 个）**", "| 党小组 | 单位 | 未达到要求的月数 | 应开会月数 |", "一是落实每月至少召开 3 次党小组会的制度。"},
				[]string{"每月至少召开一次"}},
		}},
		{"no group-meeting cadence", "no-group-meeting.yaml", [][]string{{"evaluation"}}, []want{
			{"evaluation.md", []string{"mingdeng.yaml 未规定党小组会的频次，本报告不核对党小组会是否按规定召开。"}, []string{"每月至少召开", "按月开会情况"}},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			for _, a := range c.args {
				args := append([]string{"report"}, a...)
				args = append(args, "--db", db, "--out", out)
				if c.config != "" {
					args = append(args, "--config", filepath.Join("testdata", "cadence", c.config))
				}
				if r := mingdeng(t, args...); r.code != 0 {
					t.Fatalf("%v: %+v", a, r)
				}
			}
			for _, w := range c.want {
				md, err := os.ReadFile(filepath.Join(out, w.file))
				if err != nil {
					t.Fatal(err)
				}
				html, err := os.ReadFile(filepath.Join(out, strings.TrimSuffix(w.file, ".md")+".html"))
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range w.has {
					if !strings.Contains(string(md), s) {
						t.Errorf("%s lacks %q", w.file, s)
					}
					// The HTML has the same words without the Markdown marks.
					if h := strings.Trim(strings.TrimLeft(s, "# "), "*"); !strings.HasPrefix(s, "|") && !strings.Contains(string(html), h) {
						t.Errorf("the HTML of %s lacks %q", w.file, s)
					}
				}
				for _, s := range w.hasNot {
					if strings.Contains(string(md), s) {
						t.Errorf("%s says %q", w.file, s)
					}
				}
			}
		})
	}
}

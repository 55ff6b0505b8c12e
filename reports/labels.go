package reports

import "github.com/mingdeng/mingdeng/datasets"

// gradeLabels are the assessment grades (the reference 考评办法), best first.
var gradeLabels = []struct {
	Code string
	Text datasets.Text
}{
	{"excellent", datasets.T("优秀", "excellent")},
	{"qualified", datasets.T("合格", "qualified")},
	{"basic", datasets.T("基本合格", "basically qualified")},
	{"unqualified", datasets.T("不合格", "unqualified")},
}

// GradeLabel names a grade code (excellent, qualified, basic, unqualified); other values are shown as they are.
func GradeLabel(code string, lang Lang) string {
	for _, g := range gradeLabels {
		if g.Code == code || g.Text.Zh == code {
			return g.Text.In(lang)
		}
	}
	return code
}

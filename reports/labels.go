package reports

import "github.com/mingdeng/mingdeng/queries"

// GradeLabel names a grade code (excellent, qualified, basic, unqualified) as the contract
// labels it (queries.GradeLabel); other values are shown as they are.
func GradeLabel(code string, lang Lang) string { return queries.GradeLabel(code, lang) }

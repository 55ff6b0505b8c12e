package build

import (
	"context"
	"fmt"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
)

// RequestError is a request that cannot be built as asked: an unknown kind, a missing
// --group, a bad period or spec. The CLI shows it as a usage error (exit 2).
type RequestError struct{ Err error }

func (e *RequestError) Error() string { return e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

// Message is the text in lang when the cause carries both languages.
func (e *RequestError) Message(lang datasets.Lang) string {
	if l, ok := e.Err.(interface{ Message(datasets.Lang) string }); ok {
		return l.Message(lang)
	}
	return e.Err.Error()
}

func requestErrorf(zh, en string, args ...any) error {
	return &RequestError{datasets.Errorf(zh, en, args...)}
}

// ScopeError is a --unit or --group that names no unit or group, or more than one: Matches
// holds the candidates (Ambiguous) or the closest names (unknown). The CLI exits 1.
type ScopeError struct {
	What      string // "unit" or "group"
	Text      string // what the user gave
	Ambiguous bool
	Matches   []queries.Match
}

func (e *ScopeError) Error() string { return e.Message(datasets.En) }

// Message names the candidates, code first, so the user can repeat the command with a code.
func (e *ScopeError) Message(lang datasets.Lang) string {
	what := map[string]datasets.Text{"unit": datasets.T("单位", "unit"), "group": datasets.T("党小组", "party group")}[e.What].In(lang)
	flag := "--" + e.What
	var list []string
	for _, m := range e.Matches {
		s := m.Code + " " + m.Name
		if m.Where != "" {
			s += datasets.T("（"+m.Where+"）", " ("+m.Where+")").In(lang)
		}
		list = append(list, s)
	}
	sep := datasets.T("；", "; ").In(lang)
	switch {
	case e.Ambiguous:
		hint := ""
		if e.What == "group" {
			hint = datasets.T("，或用 --unit 给出所在单位", ", or name its unit with --unit").In(lang)
		}
		return datasets.T(
			fmt.Sprintf("%s %q 对应 %d 个%s：%s。请用代码指定（例如 %s %s）%s", flag, e.Text, len(e.Matches), what, strings.Join(list, sep), flag, e.Matches[0].Code, hint),
			fmt.Sprintf("%s %q matches %d %ss: %s. Give the code (e.g. %s %s)%s", flag, e.Text, len(e.Matches), what, strings.Join(list, sep), flag, e.Matches[0].Code, hint)).In(lang)
	case len(list) == 0:
		return datasets.T(fmt.Sprintf("%s %q：数据仓库中没有任何%s", flag, e.Text, what),
			fmt.Sprintf("%s %q: the warehouse holds no %s", flag, e.Text, what)).In(lang)
	}
	return datasets.T(
		fmt.Sprintf("%s %q：没有这个%s（名称或代码）。最接近的是：%s", flag, e.Text, what, strings.Join(list, sep)),
		fmt.Sprintf("%s %q: no such %s (name or code). The closest: %s", flag, e.Text, what, strings.Join(list, sep))).In(lang)
}

// Resolve is the lookup behind --unit and --group (and serve's unit box): the unit (what "unit") or group ("group", within unit when given)
// that text names by code or name, or a *ScopeError.
func Resolve(ctx context.Context, db queries.Querier, what, text, unit string) (queries.Match, error) {
	var ms []queries.Match
	var err error
	if what == "unit" {
		ms, err = queries.FindUnits(ctx, db, text)
	} else {
		ms, err = queries.FindGroups(ctx, db, text, unit)
	}
	if err != nil {
		return queries.Match{}, err
	}
	if len(ms) == 1 && ms[0].Exact {
		return ms[0], nil
	}
	return queries.Match{}, &ScopeError{What: what, Text: text, Ambiguous: len(ms) > 1 && ms[0].Exact, Matches: ms}
}

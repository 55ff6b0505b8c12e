package tabular

import (
	"fmt"
	"strings"
	"unicode"
)

// MaxSheetName is Excel's limit on a sheet name, in characters.
const MaxSheetName = 31

// SheetNamer hands out the sheet names of one workbook. Excel refuses a name longer than 31
// characters or holding any of : \ / ? * [ ], and takes two names that differ only in case for
// the same sheet: excelize then writes the second table over the first without a word. A title
// is shortened by a rule a reader can follow, not cut wherever the 31st character falls: a
// trailing qualifier in brackets goes first (“奖项集中程度排名（各单位最近一年…）” is
// “奖项集中程度排名”), then the title is cut at the last word or clause boundary and marked
// with “…”; a name already given gets “(2)”, “(3)”, ….
type SheetNamer struct {
	used map[string]bool // lower-cased: Excel compares names without case
}

// NewSheetNamer is a namer for which the reserved names are already taken (e.g. a contents
// sheet written separately).
func NewSheetNamer(reserved ...string) *SheetNamer {
	n := &SheetNamer{used: map[string]bool{"history": true}} // Excel keeps History for itself
	for _, r := range reserved {
		n.used[strings.ToLower(r)] = true
	}
	return n
}

// Name is a valid sheet name for title, unique in the workbook; "Sheet" when title has nothing
// usable.
func (n *SheetNamer) Name(title string) string {
	clean := cleanSheetName(title)
	if clean == "" {
		clean = "Sheet"
	}
	name := shortenSheetName(clean, MaxSheetName)
	for i := 2; n.used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf("(%d)", i)
		name = shortenSheetName(clean, MaxSheetName-len(suffix)) + suffix
	}
	n.used[strings.ToLower(name)] = true
	return name
}

// cleanSheetName replaces what Excel refuses in a name: brackets become parentheses, the
// separators : / \ a dash, ? and * go, runs of white space and control characters are one
// space, and a name may not start or end with an apostrophe.
func cleanSheetName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '[':
			r = '('
		case r == ']':
			r = ')'
		case r == ':' || r == '/' || r == '\\':
			r = '-'
		case r == '?' || r == '*':
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return strings.Trim(b.String(), "' ")
}

// shortenSheetName brings s within max characters: without its trailing bracketed qualifier
// if that is enough, else cut at the last word or clause boundary in the second half of the
// allowance (or at the allowance itself), marked with “…”.
func shortenSheetName(s string, max int) string {
	if len([]rune(s)) <= max {
		return s
	}
	if i := strings.IndexAny(s, "（(【〔"); i > 0 {
		if head := strings.TrimRight(s[:i], " ：:—-，,、"); head != "" && len([]rune(head)) <= max {
			return head
		}
	}
	rs := []rune(s)
	cut := max - 1 // room for the “…”
	for i := cut; i > max/2; i-- {
		if isSheetBreak(rs[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(rs[:cut]), func(c rune) bool { return unicode.IsSpace(c) || isSheetBreak(c) }) + "…"
}

// isSheetBreak reports whether a title may be cut before c: a space or a clause mark.
func isSheetBreak(c rune) bool {
	return unicode.IsSpace(c) || strings.ContainsRune("，、；：,;（(—-", c)
}

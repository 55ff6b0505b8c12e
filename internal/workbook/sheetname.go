package workbook

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
)

// MaxSheetName is Excel's limit on a sheet name, in characters (UTF-16 units).
const MaxSheetName = 31

// SheetNamer hands out the sheet names of one workbook. Excel refuses a name longer than 31
// characters or holding any of : \ / ? * [ ], and takes two names that differ only in case for
// the same sheet: excelize then writes the second table over the first without a word. A title
// is shortened by a rule a reader can follow, not cut wherever the 31st character falls:
// bracketed qualifiers go first (“预先设定的假设：固定效应估计（点为估计值…）：百人违章数”
// is “预先设定的假设：固定效应估计：百人违章数”); if that is not enough the title is cut at
// a word or clause boundary and marked with “…”, keeping a short last clause such as a year
// (“Assessment grades per…, 2024”); a name already given gets “(2)”, “(3)”, ….
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
func (n *SheetNamer) Name(title string) string { return n.name(cleanSheetName(title)) }

// Names names the sheets of titles as Name does, and alike: titles of one family (the same
// words before a bracket, such as one estimate's plot per outcome) all lose their brackets when
// one of them has to, rather than one sheet keeping a qualifier its sibling lost.
func (n *SheetNamer) Names(titles []string) []string {
	cleans := make([]string, len(titles))
	shortened := map[string]bool{}
	for i, t := range titles {
		cleans[i] = cleanSheetName(t)
		if f := bracketFamily(cleans[i]); f != "" && runes(cleans[i]) > MaxSheetName {
			shortened[f] = true
		}
	}
	out := make([]string, len(titles))
	for i, c := range cleans {
		if shortened[bracketFamily(c)] {
			if bare := dropBrackets(c); bare != "" {
				c = bare
			}
		}
		out[i] = n.name(c)
	}
	return out
}

// bracketFamily is the words of a title before its first bracket; "" when it has none.
func bracketFamily(s string) string {
	if i := strings.IndexAny(s, "（(【〔"); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return ""
}

func (n *SheetNamer) name(clean string) string {
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

// cleanSheetName replaces what Excel refuses in a name: brackets become parentheses, a colon a
// dash (“a: b” is “a - b”), a slash the full-width ／, a backslash a dash, ? and * go; runs of
// white space and control characters are one space, and a name may not start or end with an
// apostrophe.
func cleanSheetName(s string) string {
	s = strings.ReplaceAll(s, ": ", " - ")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '[':
			r = '('
		case r == ']':
			r = ')'
		case r == ':' || r == '\\':
			r = '-'
		case r == '/':
			r = '／'
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

// shortenSheetName brings s within max characters: without its bracketed qualifiers if that is
// enough, else cut (see cutSheetName).
func shortenSheetName(s string, max int) string {
	if runes(s) <= max {
		return s
	}
	if bare := dropBrackets(s); bare != "" {
		if runes(bare) <= max {
			return bare
		}
		s = bare
	}
	return cutSheetName(s, max)
}

// cutSheetName cuts s to limit characters with “…”. A short last clause (a year, a metric after
// “：”) is what tells a title from its neighbours, so it stays: the cut falls before it.
func cutSheetName(s string, limit int) string {
	last := -1
	for _, sep := range []string{"：", " - ", "，", ", "} {
		last = max(last, strings.LastIndex(s, sep))
	}
	if last > 0 {
		tail := s[last:]
		if room := limit - runes(tail) - 1; runes(tail) <= 11 && room >= 12 {
			if head := cutAt(s[:last], room); head != "" {
				return head + "…" + tail
			}
		}
	}
	return cutAt(s, limit-1) + "…"
}

// cutAt is s cut to at most n characters, at the last space or clause mark in the second half
// of them if there is one, with no space or mark left at the end.
func cutAt(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	rs := []rune(s)
	// fit: how many runes fill at most n characters as Excel counts them.
	fit, w := 0, 0
	for fit < len(rs) && w+runes(string(rs[fit])) <= n {
		w += runes(string(rs[fit]))
		fit++
	}
	cut := fit
	for i := fit; i > fit/2; i-- {
		if isSheetBreak(rs[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(rs[:cut]), func(c rune) bool { return unicode.IsSpace(c) || isSheetBreak(c) })
}

// dropBrackets is s without its bracketed parts (（…） and (…), outermost pairs), spaces
// around them closed up.
func dropBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '（', '(', '【', '〔':
			depth++
			continue
		case '）', ')', '】', '〕':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	if depth > 0 {
		return "" // unbalanced: not a qualifier to drop
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	for _, p := range []string{"：", "，", "、", "；", ",", ";"} {
		out = strings.ReplaceAll(out, " "+p, p)
	}
	return strings.TrimRight(out, " ：:—-，,、；;")
}

// isSheetBreak reports whether a title may be cut before c: a space or a clause mark.
func isSheetBreak(c rune) bool {
	return unicode.IsSpace(c) || strings.ContainsRune("，、；：,;（(—-／", c)
}

// runes is the length of s as Excel counts a sheet name's characters: in UTF-16 units, so a
// character beyond the Basic Multilingual Plane (a rare CJK character, an emoji) counts twice.
func runes(s string) int { return len(utf16.Encode([]rune(s))) }

package zhtext

import (
	"strings"
	"unicode/utf8"
)

// brokenPairs are punctuation runs that never belong in Chinese prose: a sentence end doubled
// or preceded by a pause, and empty brackets.
var brokenPairs = []string{"。。", "，。", "；。", "：。", "、。", "，，", "、、", "；；", "。，", "。；", "，；", "；，", "（）", "()", "“”", "，）", "、）", "（，", "（。"}

// Problem is a fault found in a text.
type Problem struct {
	Kind string // "punctuation" or "repeated"
	Text string // the offending run or sentence
}

// Check returns the broken punctuation runs and the repeated sentences of text (see
// BrokenPunctuation and RepeatedSentences).
func Check(text string) []Problem {
	var out []Problem
	for _, b := range BrokenPunctuation(text) {
		out = append(out, Problem{Kind: "punctuation", Text: b})
	}
	for _, s := range RepeatedSentences(text) {
		out = append(out, Problem{Kind: "repeated", Text: s})
	}
	return out
}

// BrokenPunctuation lists each broken punctuation run found in text, with a few characters of
// context before it.
func BrokenPunctuation(text string) []string {
	var out []string
	for _, p := range brokenPairs {
		for off := 0; ; {
			i := strings.Index(text[off:], p)
			if i < 0 {
				break
			}
			at := off + i
			out = append(out, context(text, at, len(p)))
			off = at + len(p)
		}
	}
	return out
}

func context(s string, at, n int) string {
	start := at
	for k := 0; k < 8 && start > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
	}
	return s[start : at+n]
}

// Sentences splits text into sentences at 。！？ and line ends, trimmed; empty ones dropped.
func Sentences(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if s := strings.TrimSpace(b.String()); s != "" {
			out = append(out, s)
		}
		b.Reset()
	}
	for _, r := range text {
		switch r {
		case '。', '！', '？':
			b.WriteRune(r)
			flush()
		case '\n':
			flush()
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return out
}

// RepeatedSentences lists sentences of at least minRunes characters that occur more than once
// in text (each once). Short ones ("无记录。") may rightly repeat in a table or list.
func RepeatedSentences(text string) []string {
	const minRunes = 12
	seen := map[string]int{}
	var out []string
	for _, s := range Sentences(text) {
		if utf8.RuneCountInString(s) < minRunes {
			continue
		}
		seen[s]++
		if seen[s] == 2 {
			out = append(out, s)
		}
	}
	return out
}

// Package sqlscan splits SQL text into statements at semicolons that are outside string
// literals, quoted identifiers, dollar-quoted strings and comments. The CLI uses it to run
// exactly one statement (DuckDB's driver would silently run every statement but the last while
// preparing) and to tell when a shell line completes a statement. It does not parse SQL
// grammar: deciding what a statement may do is the database's job.
package sqlscan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Statement is one statement's text (trimmed, without its semicolon) and the line it starts on.
type Statement struct {
	Text string
	Line int
}

// Split returns the non-empty statements of text. Comments stay in the statement text;
// a statement that is only comments is dropped. complete is false when text ends inside a
// string, quoted identifier, dollar quote or block comment, or when its last statement has no
// terminating semicolon.
func Split(text string) (stmts []Statement, complete bool) {
	s := scanner{src: text, line: 1}
	start, startLine := 0, 1
	for s.pos < len(s.src) {
		if s.src[s.pos] == ';' {
			stmts = appendStatement(stmts, text[start:s.pos], startLine)
			s.pos++
			start, startLine = s.pos, s.line
			continue
		}
		if !s.skipToken() {
			// Unterminated quote or comment: the rest belongs to an unfinished statement.
			stmts = appendStatement(stmts, text[start:], startLine)
			return stmts, false
		}
	}
	rest := text[start:]
	stmts = appendStatement(stmts, rest, startLine)
	return stmts, onlyComments(rest)
}

func appendStatement(stmts []Statement, text string, line int) []Statement {
	// Report the line of the first non-blank character.
	trimmedLeft := strings.TrimLeftFunc(text, unicode.IsSpace)
	line += strings.Count(text[:len(text)-len(trimmedLeft)], "\n")
	if onlyComments(trimmedLeft) {
		return stmts
	}
	return append(stmts, Statement{Text: strings.TrimSpace(trimmedLeft), Line: line})
}

// onlyComments reports whether text holds nothing but blanks and comments.
func onlyComments(text string) bool {
	s := scanner{src: text, line: 1}
	for s.pos < len(s.src) {
		r, size := utf8.DecodeRuneInString(s.src[s.pos:])
		switch {
		case unicode.IsSpace(r):
			s.advance(size)
		case strings.HasPrefix(s.src[s.pos:], "--") || strings.HasPrefix(s.src[s.pos:], "/*"):
			if !s.skipToken() {
				return true
			}
		default:
			return false
		}
	}
	return true
}

type scanner struct {
	src  string
	pos  int
	line int
}

func (s *scanner) advance(n int) {
	s.line += strings.Count(s.src[s.pos:s.pos+n], "\n")
	s.pos += n
}

// skipToken moves past one character, or one whole quoted string, identifier or comment.
// It returns false when a quote or comment is not closed before the end.
func (s *scanner) skipToken() bool {
	rest := s.src[s.pos:]
	switch {
	case rest[0] == '\'' || rest[0] == '"':
		return s.skipQuoted(rest[0])
	case strings.HasPrefix(rest, "--"):
		end := strings.IndexByte(rest, '\n')
		if end < 0 {
			s.advance(len(rest))
			return true
		}
		s.advance(end + 1)
		return true
	case strings.HasPrefix(rest, "/*"):
		end := strings.Index(rest[2:], "*/")
		if end < 0 {
			s.advance(len(rest))
			return false
		}
		s.advance(end + 4)
		return true
	case rest[0] == '$':
		if tag, ok := dollarTag(rest); ok {
			end := strings.Index(rest[len(tag):], tag)
			if end < 0 {
				s.advance(len(rest))
				return false
			}
			s.advance(len(tag) + end + len(tag))
			return true
		}
	}
	s.advance(1)
	return true
}

// skipQuoted moves past a quoted string or identifier; a doubled quote is an escaped quote.
func (s *scanner) skipQuoted(q byte) bool {
	i := s.pos + 1
	for i < len(s.src) {
		if s.src[i] == q {
			if i+1 < len(s.src) && s.src[i+1] == q {
				i += 2
				continue
			}
			s.advance(i + 1 - s.pos)
			return true
		}
		i++
	}
	s.advance(len(s.src) - s.pos)
	return false
}

// dollarTag recognises $$ or $tag$ at the start of s. A $1-style parameter is not a tag.
func dollarTag(s string) (string, bool) {
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == '$' {
			return s[:i+1], true
		}
		isLetter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		isDigit := c >= '0' && c <= '9'
		if !(isLetter || (isDigit && i > 1)) {
			return "", false
		}
	}
	return "", false
}

// SplitList splits text at the commas that are outside parentheses, string literals, quoted
// identifiers, dollar quotes and comments: the items of a WITH list or a select list. Items
// keep their comments and are trimmed; empty items are kept, so the count is the commas plus
// one. ok is false when a quote or comment is not closed or the parentheses do not balance.
func SplitList(text string) (items []string, ok bool) {
	s := scanner{src: text, line: 1}
	start, depth := 0, 0
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return nil, false
			}
		case ',':
			if depth == 0 {
				items = append(items, strings.TrimSpace(text[start:s.pos]))
				s.pos++
				start = s.pos
				continue
			}
		}
		if !s.skipToken() {
			return nil, false
		}
	}
	return append(items, strings.TrimSpace(text[start:])), depth == 0
}

package reports

import (
	"fmt"
	"strings"
)

// 公文 heading numbers. A Chinese document numbers its four heading levels 一、 /（一）/ 1. /
// （1）, restarting each level under a new heading of the level above; English reports use
// 1. / 1.1 / 1.1.1 / (a). Numbers are written into the model (Section.Number, Heading.Number)
// so every writer — HTML, Markdown, DOCX — shows the same ones.

// MaxHeadingLevel is the deepest heading a report (and a report spec) may have.
const MaxHeadingLevel = 4

// NumberHeadings numbers the report's sections and headings in order; Plain ones keep no
// number and do not advance the count.
func NumberHeadings(r *Report) {
	var c [MaxHeadingLevel + 1]int
	for i := range r.Sections {
		s := &r.Sections[i]
		s.Number = ""
		if !s.Plain {
			c[1]++
			c[2], c[3], c[4] = 0, 0, 0
			s.Number = headingNumber(r.Lang, c[:], 1)
		}
		for j, b := range s.Blocks {
			h, ok := b.(Heading)
			if !ok {
				continue
			}
			h.Number = ""
			if !h.Plain && h.Level >= 2 && h.Level <= MaxHeadingLevel {
				c[h.Level]++
				for k := h.Level + 1; k <= MaxHeadingLevel; k++ {
					c[k] = 0
				}
				h.Number = headingNumber(r.Lang, c[:], h.Level)
			}
			s.Blocks[j] = h
		}
	}
}

// headingNumber is the number of a heading at level with the counters c[1..level].
func headingNumber(lang Lang, c []int, level int) string {
	if lang == "en" {
		switch level {
		case 1:
			return fmt.Sprintf("%d. ", c[1])
		case 2:
			return fmt.Sprintf("%d.%d ", c[1], c[2])
		case 3:
			return fmt.Sprintf("%d.%d.%d ", c[1], c[2], c[3])
		}
		return "(" + string(rune('a'+(c[4]-1)%26)) + ") "
	}
	switch level {
	case 1:
		return ChineseNumeral(c[1]) + "、"
	case 2:
		return "（" + ChineseNumeral(c[2]) + "）"
	case 3:
		return fmt.Sprintf("%d.", c[3])
	}
	return fmt.Sprintf("（%d）", c[4])
}

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// ChineseNumeral writes 1–99 as 一 … 九十九 (十, 十一, 二十); other numbers in digits.
func ChineseNumeral(n int) string {
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return cnDigits[n]
	}
	tens, ones := n/10, n%10
	s := "十"
	if tens > 1 {
		s = cnDigits[tens] + s
	}
	if ones > 0 {
		s += cnDigits[ones]
	}
	return s
}

// hasOwnNumber reports whether a title already starts with a 公文 number (一、 （一） 1. （1）),
// so a spec author who numbered by hand is not numbered twice.
func hasOwnNumber(title string) bool {
	rest := title
	paren := false
	for _, open := range []string{"（", "("} {
		if strings.HasPrefix(rest, open) {
			rest, paren = rest[len(open):], true
			break
		}
	}
	digits := 0
	for _, r := range rest {
		if (r >= '0' && r <= '9') || strings.ContainsRune("一二三四五六七八九十", r) {
			digits++
			continue
		}
		if digits == 0 {
			return false
		}
		if paren {
			return r == '）' || r == ')'
		}
		return r == '、' || r == '.' || r == '．'
	}
	return false
}

package xlsxscan

import (
	"strconv"
	"strings"
)

// readStyles records, for each cell format (cellXfs index, the s= of a cell), whether its number
// format shows a date or a time.
func (wb *Workbook) readStyles(s *scanner) error {
	custom := map[int]string{}
	var xfIDs []int
	inXfs := false
	for k := s.next(false); k != tokEOF; k = s.next(false) {
		switch k {
		case tokStart:
			switch string(s.name) {
			case "numFmt":
				id, code := -1, ""
				it := attrIter{s.attrs}
				for _, local, v, ok := it.next(); ok; _, local, v, ok = it.next() {
					switch string(local) {
					case "numFmtId":
						id, _ = strconv.Atoi(string(v))
					case "formatCode":
						code, _ = attrString(v)
					}
				}
				if id >= 0 {
					custom[id] = code
				}
			case "cellXfs":
				inXfs = !s.selfClose
			case "xf":
				if inXfs {
					id := 0
					it := attrIter{s.attrs}
					for _, local, v, ok := it.next(); ok; _, local, v, ok = it.next() {
						if string(local) == "numFmtId" {
							id, _ = strconv.Atoi(string(v))
						}
					}
					xfIDs = append(xfIDs, id)
					if len(xfIDs) > 1<<20 {
						return ErrTooLarge
					}
				}
			}
		case tokEnd:
			if string(s.name) == "cellXfs" {
				inXfs = false
			}
		}
	}
	wb.dateXF = make([]bool, len(xfIDs))
	for i, id := range xfIDs {
		if code, ok := custom[id]; ok {
			wb.dateXF[i] = IsDateFormat(code)
		} else {
			wb.dateXF[i] = IsBuiltInDateFormat(id)
		}
	}
	return nil
}

// IsDateStyle tells whether cells of the style index s (a cell's s=) show dates or times.
func (wb *Workbook) IsDateStyle(s int) bool {
	return s >= 0 && s < len(wb.dateXF) && wb.dateXF[s]
}

// IsBuiltInDateFormat tells whether a built-in number format shows a date or time: 14–22 and
// 45–47 everywhere, and the East Asian built-ins 27–36 and 50–58 (年月日 forms in zh-CN Excel).
func IsBuiltInDateFormat(id int) bool {
	return id >= 14 && id <= 22 || id >= 45 && id <= 47 || id >= 27 && id <= 36 || id >= 50 && id <= 58
}

// IsDateFormat tells whether a custom number format code shows a date or time: outside quoted
// text, escaped characters and bracketed colours, conditions and locales, it holds one of the
// tokens y m d h s or aaa (the CJK weekday), or an elapsed time [h] [mm] [ss]. Only the first
// section (positive numbers) is examined.
func IsDateFormat(code string) bool {
	if sec := firstSection(code); sec != "" {
		code = sec
	}
	lc := strings.ToLower(code)
	for i := 0; i < len(lc); i++ {
		c := lc[i]
		switch c {
		case '"':
			j := strings.IndexByte(lc[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal (or padding)
		case '[':
			j := strings.IndexByte(lc[i+1:], ']')
			if j < 0 {
				return false
			}
			inner := lc[i+1 : i+1+j]
			if inner != "" && strings.Trim(inner, "hms") == "" {
				return true // elapsed time [h]:mm
			}
			i += j + 1
		case 'y', 'm', 'd', 'h', 's':
			return true
		case 'a':
			if strings.HasPrefix(lc[i:], "aaa") {
				return true // aaa, aaaa: the weekday in Chinese and Japanese Excel
			}
		}
	}
	return false
}

func firstSection(code string) string {
	inQuote := false
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			inQuote = !inQuote
		case '\\':
			i++
		case ';':
			if !inQuote {
				return code[:i]
			}
		}
	}
	return code
}

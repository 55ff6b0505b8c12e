package ingest

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/mingdeng/mingdeng/datasets"
)

// Conversion is a unit written in a file's header that differs from the contract's: values are
// multiplied by Factor on ingest (0 when the unit cannot be converted, and the file is refused).
type Conversion struct {
	Header string  `json:"header"` // the header as the file writes it
	From   string  `json:"from"`   // the unit in the header
	To     string  `json:"to"`     // the contract's unit
	Factor float64 `json:"factor"`
}

// Text states the conversion for the batch record and the summary, in lang.
func (c Conversion) Text(lang datasets.Lang) string {
	f := strconv.FormatFloat(c.Factor, 'g', -1, 64)
	return datasets.T(fmt.Sprintf("“%s”按 1 %s = %s %s换算", c.Header, c.From, f, c.To),
		fmt.Sprintf("%q converted at 1 %s = %s %s", c.Header, c.From, f, c.To)).In(lang)
}

// A unit: its dimension and its size in the dimension's base unit.
type unitSize struct {
	dim  string
	size float64
}

// units are the spellings of units offices write in headers, compared lower-case and
// half-width. 分 is minutes for a time column and points for a score: dimension first.
var units = map[string][]unitSize{
	"秒": {{"time", 1.0 / 60}}, "s": {{"time", 1.0 / 60}}, "sec": {{"time", 1.0 / 60}}, "秒钟": {{"time", 1.0 / 60}},
	"分钟": {{"time", 1}}, "min": {{"time", 1}}, "mins": {{"time", 1}}, "minute": {{"time", 1}}, "minutes": {{"time", 1}},
	"分":  {{"time", 1}, {"points", 1}},
	"小时": {{"time", 60}}, "时": {{"time", 60}}, "h": {{"time", 60}}, "hr": {{"time", 60}}, "hrs": {{"time", 60}}, "hour": {{"time", 60}}, "hours": {{"time", 60}},
	"天": {{"time", 1440}}, "日": {{"time", 1440}}, "day": {{"time", 1440}}, "days": {{"time", 1440}},
	"学时": {{"time", 60}}, "课时": {{"time", 60}},
	"千米": {{"distance", 1}}, "公里": {{"distance", 1}}, "km": {{"distance", 1}},
	"米": {{"distance", 0.001}}, "m": {{"distance", 0.001}},
	"元": {{"money", 1}}, "千元": {{"money", 1000}}, "万元": {{"money", 10000}}, "亿元": {{"money", 1e8}},
	"人": {{"count", 1}}, "名": {{"count", 1}}, "人次": {{"count", 1}}, "people": {{"count", 1}},
	"points": {{"points", 1}}, "分值": {{"points", 1}},
}

// trailingUnits are the units recognised written straight after a column's name, without
// brackets (停电时长小时), longest first so that 分钟 is cut before 分.
var trailingUnits = []string{"分钟", "小时", "公里", "千米", "万元", "千元", "学时", "秒", "米", "元"}

// HeaderUnit returns the unit a header gives in brackets at its end (停电时长（小时）, 里程(km))
// or after a slash (时长/分钟), normalised; "" when there is none.
func HeaderUnit(h string) string {
	h = strings.TrimSpace(width.Fold.String(h))
	if loc := unitSuffix.FindStringIndex(h); loc != nil {
		inner := strings.TrimSpace(h[loc[0]:loc[1]])
		// Drop the brackets (one rune each end).
		r := []rune(inner)
		if len(r) >= 2 {
			return normUnit(string(r[1 : len(r)-1]))
		}
	}
	if i := strings.LastIndexAny(h, "/"); i >= 0 && i < len(h)-1 {
		return normUnit(h[i+1:])
	}
	return ""
}

func normUnit(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	u = strings.TrimPrefix(u, "单位:")
	u = strings.TrimPrefix(u, "单位")
	return strings.TrimSpace(u)
}

// contractUnits are the contract units by their Chinese spelling.
var contractUnits = map[string]unitSize{
	"分钟": {"time", 1}, "学时": {"time", 60}, "千米": {"distance", 1}, "人": {"count", 1}, "分": {"points", 1}, "元": {"money", 1}, "万元": {"money", 10000},
}

// convert gives the conversion from unit (as HeaderUnit returns it) to col's unit. known is
// false when unit is not a unit at all (a note such as 必填, 是/否), or col has no unit: the
// header is then read as it is.
func convert(col datasets.Column, unit string) (c Conversion, known bool) {
	to, ok := contractUnits[col.Unit.Zh]
	if !ok {
		return c, false
	}
	sizes, ok := units[unit]
	if !ok {
		return c, false
	}
	c = Conversion{From: unit, To: col.Unit.Zh}
	for _, s := range sizes {
		if s.dim == to.dim {
			c.Factor = s.size / to.size
			return c, true
		}
	}
	return c, true // a unit of another kind: Factor 0, refused
}

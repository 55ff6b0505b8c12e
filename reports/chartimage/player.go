package chartimage

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/fogleman/gg"
)

func decodeOps(s string) ([][]any, error) {
	var ops [][]any
	if err := json.Unmarshal([]byte(s), &ops); err != nil {
		return nil, fmt.Errorf("chartimage: recorded drawing: %w", err)
	}
	return ops, nil
}

// matrix is a canvas transform: x' = a·x + c·y + e, y' = b·x + d·y + f.
type matrix struct{ a, b, c, d, e, f float64 }

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

func (m matrix) mul(n matrix) matrix { // m × n: n applied first
	return matrix{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m matrix) scale() float64 { return math.Sqrt(math.Abs(m.a*m.d - m.b*m.c)) }

// style is a fill or stroke: a colour or a gradient in user space.
type style struct {
	col      color.NRGBA
	gradient string // "", linear, radial
	args     []float64
	stops    [][2]any
	m        matrix // the transform when the gradient is used
}

type state struct {
	m                matrix
	fill, stroke     style
	lineWidth, alpha float64
	font             string
	align, baseline  string
	cap, join        string
	dash             []float64
	dashOffset       float64
	mask             *image.Alpha // the clip, nil for none
}

// segment is one path command in device space.
type segment struct {
	op  byte // M L Q C Z
	pts []float64
}

type player struct {
	dc    *gg.Context
	fonts *Fonts
	st    state
	stack []state
	path  []segment
	cx    float64 // current point, user space (for arcs joined to the path)
	cy    float64
	has   bool
}

func newPlayer(dc *gg.Context, f *Fonts) *player {
	return &player{dc: dc, fonts: f, st: state{m: identity, fill: style{col: color.NRGBA{0, 0, 0, 255}},
		stroke: style{col: color.NRGBA{0, 0, 0, 255}}, lineWidth: 1, alpha: 1, font: "10px sans-serif",
		align: "start", baseline: "alphabetic", cap: "butt", join: "miter"}}
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func nums(op []any) []float64 {
	out := make([]float64, len(op)-1)
	for i, v := range op[1:] {
		out[i] = num(v)
	}
	return out
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func (p *player) play(ops [][]any) error {
	for _, op := range ops {
		if len(op) == 0 {
			continue
		}
		name, _ := op[0].(string)
		a := nums(op)
		arg := func(i int) float64 {
			if i < len(a) {
				return a[i]
			}
			return 0
		}
		switch name {
		case "set":
			p.set(op)
		case "setLineDash":
			p.st.dash = nil
			if len(op) > 1 {
				if xs, ok := op[1].([]any); ok {
					for _, x := range xs {
						p.st.dash = append(p.st.dash, num(x))
					}
				}
			}
		case "save":
			p.stack = append(p.stack, p.st)
		case "restore":
			// gg's own Push/Pop keep the clip, which canvas restores: the clip is ours.
			if n := len(p.stack); n > 0 {
				p.st = p.stack[n-1]
				p.stack = p.stack[:n-1]
				if p.st.mask == nil {
					p.dc.ResetClip()
				} else {
					_ = p.dc.SetMask(p.st.mask)
				}
			}
		case "setTransform":
			p.st.m = matrix{arg(0), arg(1), arg(2), arg(3), arg(4), arg(5)}
		case "resetTransform":
			p.st.m = identity
		case "transform":
			p.st.m = p.st.m.mul(matrix{arg(0), arg(1), arg(2), arg(3), arg(4), arg(5)})
		case "translate":
			p.st.m = p.st.m.mul(matrix{1, 0, 0, 1, arg(0), arg(1)})
		case "scale":
			p.st.m = p.st.m.mul(matrix{arg(0), 0, 0, arg(1), 0, 0})
		case "rotate":
			s, c := math.Sincos(arg(0))
			p.st.m = p.st.m.mul(matrix{c, s, -s, c, 0, 0})
		case "beginPath":
			p.path, p.has = p.path[:0], false
		case "closePath":
			p.path = append(p.path, segment{op: 'Z'})
		case "moveTo":
			p.moveTo(arg(0), arg(1))
		case "lineTo":
			p.lineTo(arg(0), arg(1))
		case "quadraticCurveTo":
			x1, y1 := p.st.m.apply(arg(0), arg(1))
			x2, y2 := p.st.m.apply(arg(2), arg(3))
			p.ensureStart(arg(0), arg(1))
			p.path = append(p.path, segment{op: 'Q', pts: []float64{x1, y1, x2, y2}})
			p.cx, p.cy = arg(2), arg(3)
		case "bezierCurveTo":
			x1, y1 := p.st.m.apply(arg(0), arg(1))
			x2, y2 := p.st.m.apply(arg(2), arg(3))
			x3, y3 := p.st.m.apply(arg(4), arg(5))
			p.ensureStart(arg(0), arg(1))
			p.path = append(p.path, segment{op: 'C', pts: []float64{x1, y1, x2, y2, x3, y3}})
			p.cx, p.cy = arg(4), arg(5)
		case "arc":
			p.ellipse(arg(0), arg(1), arg(2), arg(2), 0, arg(3), arg(4), len(op) > 6 && num(op[6]) != 0)
		case "ellipse":
			p.ellipse(arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6), len(op) > 8 && num(op[8]) != 0)
		case "arcTo":
			p.lineTo(arg(0), arg(1)) // rounded corners are drawn square
		case "rect":
			p.rect(arg(0), arg(1), arg(2), arg(3))
		case "fill":
			p.fillPath()
		case "stroke":
			p.strokePath()
		case "clip":
			p.clip()
		case "fillRect":
			saved := p.path
			p.path = nil
			p.rect(arg(0), arg(1), arg(2), arg(3))
			p.fillPath()
			p.path = saved
		case "strokeRect":
			saved := p.path
			p.path = nil
			p.rect(arg(0), arg(1), arg(2), arg(3))
			p.strokePath()
			p.path = saved
		case "clearRect":
			saved, fill, alpha := p.path, p.st.fill, p.st.alpha
			p.path, p.st.fill, p.st.alpha = nil, style{col: color.NRGBA{255, 255, 255, 255}}, 1
			p.rect(arg(0), arg(1), arg(2), arg(3))
			p.fillPath()
			p.path, p.st.fill, p.st.alpha = saved, fill, alpha
		case "fillText":
			if len(op) > 3 {
				p.text(str(op[1]), num(op[2]), num(op[3]))
			}
		}
	}
	return nil
}

func (p *player) set(op []any) {
	if len(op) < 3 {
		return
	}
	prop := str(op[1])
	switch prop {
	case "fillStyle", "strokeStyle":
		var s style
		if len(op) >= 5 {
			s.gradient = str(op[2])
			if xs, ok := op[3].([]any); ok {
				for _, x := range xs {
					s.args = append(s.args, num(x))
				}
			}
			if xs, ok := op[4].([]any); ok {
				for _, x := range xs {
					if pair, ok := x.([]any); ok && len(pair) == 2 {
						s.stops = append(s.stops, [2]any{num(pair[0]), str(pair[1])})
					}
				}
			}
		} else {
			c, ok := parseColor(str(op[2]))
			if !ok {
				return
			}
			s.col = c
		}
		if prop == "fillStyle" {
			p.st.fill = s
		} else {
			p.st.stroke = s
		}
	case "lineWidth":
		if w := num(op[2]); w > 0 {
			p.st.lineWidth = w
		}
	case "globalAlpha":
		if a := num(op[2]); a >= 0 && a <= 1 {
			p.st.alpha = a
		}
	case "font":
		p.st.font = str(op[2])
	case "textAlign":
		p.st.align = str(op[2])
	case "textBaseline":
		p.st.baseline = str(op[2])
	case "lineCap":
		p.st.cap = str(op[2])
	case "lineJoin":
		p.st.join = str(op[2])
	case "lineDashOffset":
		p.st.dashOffset = num(op[2])
	}
}

func (p *player) ensureStart(x, y float64) {
	if !p.has {
		p.moveTo(x, y)
	}
}

func (p *player) moveTo(x, y float64) {
	dx, dy := p.st.m.apply(x, y)
	p.path = append(p.path, segment{op: 'M', pts: []float64{dx, dy}})
	p.cx, p.cy, p.has = x, y, true
}

func (p *player) lineTo(x, y float64) {
	if !p.has {
		p.moveTo(x, y)
		return
	}
	dx, dy := p.st.m.apply(x, y)
	p.path = append(p.path, segment{op: 'L', pts: []float64{dx, dy}})
	p.cx, p.cy = x, y
}

func (p *player) rect(x, y, w, h float64) {
	p.moveTo(x, y)
	p.lineTo(x+w, y)
	p.lineTo(x+w, y+h)
	p.lineTo(x, y+h)
	p.path = append(p.path, segment{op: 'Z'})
	p.moveTo(x, y)
}

// ellipse adds an arc as short line segments (canvas semantics: joined to the current point).
func (p *player) ellipse(x, y, rx, ry, rot, a0, a1 float64, ccw bool) {
	if rx < 0 || ry < 0 {
		return
	}
	sweep := a1 - a0
	if !ccw {
		if sweep >= 2*math.Pi {
			sweep = 2 * math.Pi
		} else {
			sweep = math.Mod(sweep, 2*math.Pi)
			if sweep < 0 {
				sweep += 2 * math.Pi
			}
		}
	} else {
		if -sweep >= 2*math.Pi {
			sweep = -2 * math.Pi
		} else {
			sweep = math.Mod(sweep, 2*math.Pi)
			if sweep > 0 {
				sweep -= 2 * math.Pi
			}
		}
	}
	r := math.Max(rx, ry) * p.st.m.scale()
	n := int(math.Ceil(math.Abs(sweep) * math.Max(r, 1) / 2))
	if n < 4 {
		n = 4
	}
	if n > 720 {
		n = 720
	}
	sr, cr := math.Sincos(rot)
	for i := 0; i <= n; i++ {
		t := a0 + sweep*float64(i)/float64(n)
		ex, ey := rx*math.Cos(t), ry*math.Sin(t)
		px, py := x+ex*cr-ey*sr, y+ex*sr+ey*cr
		if i == 0 && !p.has {
			p.moveTo(px, py)
		} else {
			p.lineTo(px, py)
		}
	}
}

func (p *player) replay() {
	dc := p.dc
	dc.ClearPath()
	dc.Identity()
	for _, s := range p.path {
		switch s.op {
		case 'M':
			dc.MoveTo(s.pts[0], s.pts[1])
		case 'L':
			dc.LineTo(s.pts[0], s.pts[1])
		case 'Q':
			dc.QuadraticTo(s.pts[0], s.pts[1], s.pts[2], s.pts[3])
		case 'C':
			dc.CubicTo(s.pts[0], s.pts[1], s.pts[2], s.pts[3], s.pts[4], s.pts[5])
		case 'Z':
			dc.ClosePath()
		}
	}
}

// clip intersects the clip with the current path.
func (p *player) clip() {
	w, h := p.dc.Width(), p.dc.Height()
	tmp := gg.NewContext(w, h)
	saved := p.dc
	p.dc = tmp
	p.replay()
	p.dc = saved
	tmp.SetRGBA(0, 0, 0, 1)
	tmp.SetFillRuleWinding()
	tmp.Fill()
	m := tmp.AsMask()
	if old := p.st.mask; old != nil {
		for i := range m.Pix {
			m.Pix[i] = uint8(uint16(m.Pix[i]) * uint16(old.Pix[i]) / 255)
		}
	}
	p.st.mask = m
	_ = p.dc.SetMask(m)
}

func (p *player) pattern(s style) (gg.Pattern, bool) {
	if s.gradient == "" {
		c := s.col
		c.A = uint8(math.Round(float64(c.A) * p.st.alpha))
		if c.A == 0 {
			return nil, false
		}
		return gg.NewSolidPattern(c), true
	}
	var g gg.Gradient
	m := p.st.m
	switch {
	case s.gradient == "linear" && len(s.args) == 4:
		x0, y0 := m.apply(s.args[0], s.args[1])
		x1, y1 := m.apply(s.args[2], s.args[3])
		g = gg.NewLinearGradient(x0, y0, x1, y1)
	case s.gradient == "radial" && len(s.args) == 6:
		x0, y0 := m.apply(s.args[0], s.args[1])
		x1, y1 := m.apply(s.args[3], s.args[4])
		g = gg.NewRadialGradient(x0, y0, s.args[2]*m.scale(), x1, y1, s.args[5]*m.scale())
	default:
		return nil, false
	}
	for _, st := range s.stops {
		c, ok := parseColor(st[1].(string))
		if !ok {
			continue
		}
		c.A = uint8(math.Round(float64(c.A) * p.st.alpha))
		g.AddColorStop(st[0].(float64), c)
	}
	return g, true
}

func (p *player) fillPath() {
	pat, ok := p.pattern(p.st.fill)
	if !ok || len(p.path) == 0 {
		return
	}
	p.replay()
	p.dc.SetFillStyle(pat)
	p.dc.SetFillRuleWinding()
	p.dc.Fill()
}

func (p *player) strokePath() {
	pat, ok := p.pattern(p.st.stroke)
	if !ok || len(p.path) == 0 {
		return
	}
	p.replay()
	dc := p.dc
	sc := p.st.m.scale()
	dc.SetStrokeStyle(pat)
	dc.SetLineWidth(p.st.lineWidth * sc)
	switch p.st.cap {
	case "round":
		dc.SetLineCapRound()
	case "square":
		dc.SetLineCapSquare()
	default:
		dc.SetLineCapButt()
	}
	if p.st.join == "round" {
		dc.SetLineJoinRound()
	} else {
		dc.SetLineJoinBevel()
	}
	var dash []float64
	for _, d := range p.st.dash {
		dash = append(dash, d*sc)
	}
	dc.SetDash(dash...)
	dc.SetDashOffset(p.st.dashOffset * sc)
	dc.Stroke()
	dc.SetDash()
}

// text draws fillText: rotation and translation from the transform, size from its scale.
func (p *player) text(s string, x, y float64) {
	if s == "" {
		return
	}
	c := p.st.fill.col
	if p.st.fill.gradient != "" && len(p.st.fill.stops) > 0 {
		c, _ = parseColor(p.st.fill.stops[0][1].(string))
	}
	c.A = uint8(math.Round(float64(c.A) * p.st.alpha))
	if c.A == 0 {
		return
	}
	m := p.st.m
	sc := math.Hypot(m.a, m.b)
	if sc == 0 {
		return
	}
	size := fontSize(p.st.font) * sc
	fc := p.fonts.face(size)
	if fc == nil {
		return
	}
	dc := p.dc
	dc.SetFontFace(fc)
	w, _ := dc.MeasureString(s)
	met := fc.Metrics()
	asc, desc := float64(met.Ascent)/64, float64(met.Descent)/64
	ux, uy := x*sc, y*sc
	switch p.st.align {
	case "center":
		ux -= w / 2
	case "right", "end":
		ux -= w
	}
	switch p.st.baseline {
	case "top", "hanging":
		uy += asc
	case "middle":
		uy += (asc - desc) / 2
	case "bottom", "ideographic":
		uy -= desc
	}
	dc.Push()
	dc.Identity()
	dc.Translate(m.e, m.f)
	dc.Rotate(math.Atan2(m.b, m.a))
	dc.SetColor(c)
	dc.DrawString(s, ux, uy)
	dc.Pop()
}

var named = map[string]color.NRGBA{
	"black": {0, 0, 0, 255}, "white": {255, 255, 255, 255}, "red": {255, 0, 0, 255}, "green": {0, 128, 0, 255},
	"blue": {0, 0, 255, 255}, "gray": {128, 128, 128, 255}, "grey": {128, 128, 128, 255}, "orange": {255, 165, 0, 255},
	"yellow": {255, 255, 0, 255}, "transparent": {0, 0, 0, 0}, "none": {0, 0, 0, 0},
}

// parseColor reads the CSS colours ECharts emits: #rgb, #rrggbb, #rrggbbaa, rgb(), rgba(), names.
func parseColor(s string) (color.NRGBA, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if c, ok := named[s]; ok {
		return c, true
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 || len(h) == 4 {
			var b strings.Builder
			for _, r := range h {
				b.WriteRune(r)
				b.WriteRune(r)
			}
			h = b.String()
		}
		if len(h) != 6 && len(h) != 8 {
			return color.NRGBA{}, false
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return color.NRGBA{}, false
		}
		if len(h) == 6 {
			return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, true
		}
		return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}, true
	}
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		parts := strings.Split(s[i+1:len(s)-1], ",")
		if len(parts) < 3 {
			return color.NRGBA{}, false
		}
		var v [4]float64
		v[3] = 1
		for k := 0; k < len(parts) && k < 4; k++ {
			t := strings.TrimSpace(parts[k])
			pct := strings.HasSuffix(t, "%")
			f, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
			if err != nil {
				return color.NRGBA{}, false
			}
			if pct {
				if k == 3 {
					f /= 100
				} else {
					f = f * 255 / 100
				}
			}
			v[k] = f
		}
		cl := func(f, hi float64) float64 { return math.Max(0, math.Min(hi, f)) }
		return color.NRGBA{uint8(cl(v[0], 255)), uint8(cl(v[1], 255)), uint8(cl(v[2], 255)), uint8(math.Round(cl(v[3], 1) * 255))}, true
	}
	return color.NRGBA{}, false
}

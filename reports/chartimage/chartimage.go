// Package chartimage draws an ECharts option as a PNG without a browser, for documents that
// hold pictures (DOCX). It runs the pinned ECharts script itself in a JavaScript engine written
// in Go (goja) on a recording Canvas 2D context, and replays the recorded drawing with a Go
// rasteriser (gg), so the picture comes from the same option JSON, drawn by the same ECharts
// code, as the chart on the HTML page.
//
// It is for the chart kinds the reports use (line, bar, scatter, heatmap, radar, pie, mark
// lines and areas, visual maps); shadows, images and composite modes are not drawn. It does not
// know reports: it takes option JSON and returns image bytes.
package chartimage

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"image/png"
	"math"
	"sync"

	"github.com/dop251/goja"
	"github.com/fogleman/gg"
)

//go:embed shim.js
var shimJS string

// render is the entry point run for each chart: the option gets the page's font, no animation
// and no progressive drawing (a still picture is drawn in one pass), and no interactive slider.
const renderJS = `
echarts.setPlatformAPI({ measureText: function (text, font) { return { width: __measure(font || "12px sans-serif", String(text)) }; } });
function __render(optJSON, w, h, dpr, fontFamily) {
  __ops = [];
  var c = __canvas(w * dpr, h * dpr);
  var chart = echarts.init(c, null, { renderer: "canvas", width: w, height: h, devicePixelRatio: dpr });
  try {
    var opt = JSON.parse(optJSON);
    opt.animation = false;
    opt.textStyle = { fontFamily: fontFamily };
    if (opt.backgroundColor == null) { opt.backgroundColor = "#ffffff"; }
    (opt.series || []).forEach(function (s) { s.progressive = 0; s.animation = false; });
    (opt.dataZoom || []).forEach(function (d) { if (d.type === "slider") { d.show = false; } });
    chart.setOption(opt);
    // Taken before dispose, which clears the canvas.
    return JSON.stringify(__ops);
  } finally {
    chart.dispose();
  }
}
`

var (
	compileOnce sync.Once
	programs    [3]*goja.Program
	compileErr  error
)

// Renderer draws charts one at a time (it holds one JavaScript runtime; not for concurrent use).
type Renderer struct {
	vm     *goja.Runtime
	render goja.Callable
	fonts  *Fonts
}

// New loads ECharts (the text of echarts.min.js) into a fresh runtime.
func New(echartsJS []byte, fonts *Fonts) (*Renderer, error) {
	if len(echartsJS) == 0 {
		return nil, errors.New("chartimage: no ECharts script")
	}
	compileOnce.Do(func() {
		for i, src := range []struct{ name, text string }{{"shim.js", shimJS}, {"echarts.min.js", string(echartsJS)}, {"render.js", renderJS}} {
			if programs[i], compileErr = goja.Compile(src.name, src.text, false); compileErr != nil {
				compileErr = fmt.Errorf("chartimage: compile %s: %w", src.name, compileErr)
				return
			}
		}
	})
	if compileErr != nil {
		return nil, compileErr
	}
	vm := goja.New()
	r := &Renderer{vm: vm, fonts: fonts}
	if err := vm.Set("__measure", func(font, text string) float64 { return fonts.measure(font, text) }); err != nil {
		return nil, err
	}
	// The UMD bundle sees no module system and no window, so it defines the global echarts.
	if _, err := vm.RunString("var self = this; var window = undefined;"); err != nil {
		return nil, err
	}
	for _, p := range programs {
		if _, err := vm.RunProgram(p); err != nil {
			return nil, fmt.Errorf("chartimage: load ECharts: %w", err)
		}
	}
	fn, ok := goja.AssertFunction(vm.Get("__render"))
	if !ok {
		return nil, errors.New("chartimage: render function missing")
	}
	r.render = fn
	return r, nil
}

// PNG draws the option at width × height CSS pixels, scale device pixels per CSS pixel.
func (r *Renderer) PNG(optionJSON []byte, width, height int, scale float64) ([]byte, error) {
	if width <= 0 || height <= 0 || scale <= 0 {
		return nil, fmt.Errorf("chartimage: bad size %d×%d×%g", width, height, scale)
	}
	res, err := r.render(goja.Undefined(), r.vm.ToValue(string(optionJSON)), r.vm.ToValue(width), r.vm.ToValue(height),
		r.vm.ToValue(scale), r.vm.ToValue(r.fonts.Family))
	if err != nil {
		return nil, fmt.Errorf("chartimage: ECharts: %w", err)
	}
	ops, err := decodeOps(res.String())
	if err != nil {
		return nil, err
	}
	dc := gg.NewContext(int(math.Ceil(float64(width)*scale)), int(math.Ceil(float64(height)*scale)))
	dc.SetRGB(1, 1, 1)
	dc.Clear()
	p := newPlayer(dc, r.fonts)
	if err := p.play(ops); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, dc.Image()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

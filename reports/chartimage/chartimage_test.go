package chartimage

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"
)

func renderer(t *testing.T) *Renderer {
	t.Helper()
	js, err := os.ReadFile("../assets/dist/echarts.min.js")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ECharts asset missing: %v (run make assets)", err)
		}
		t.Skipf("ECharts asset missing: %v (run make assets)", err)
	}
	f, err := FindFonts()
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(js, f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// colourShare is the share of pixels within a small distance of the colour #rrggbb.
func colourShare(img image.Image, r0, g0, b0 int) float64 {
	b := img.Bounds()
	n, hit := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			d := abs(int(r>>8)-r0) + abs(int(g>>8)-g0) + abs(int(bl>>8)-b0)
			if d < 24 {
				hit++
			}
			n++
		}
	}
	return float64(hit) / float64(n)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// The golden options of the reports draw as pictures of the right size holding their series'
// colours (the first palette colour, #b8262b, and the heatmap's green #2e8b57), with text.
func TestGoldenOptionsDraw(t *testing.T) {
	r := renderer(t)
	cases := []struct {
		file     string
		r, g, b  int
		minShare float64
	}{
		{"eval-trends.json", 0xb8, 0x26, 0x2b, 0.002},                            // line with mark areas and legend
		{"eval-grades.json", 0x2e, 0x8b, 0x57, 0.01},                             // stacked bars
		{"eval-compliance.json", 0x2e, 0x8b, 0x57, 0.2},                          // heatmap with visual map and data zoom
		{"eval-effects-violations_per_100_staff.json", 0x5b, 0x67, 0x70, 0.0005}, // forest: lines and scatter, mark line
		{"eval-survey.json", 0xb8, 0x26, 0x2b, 0.001},                            // radar
		{"adhoc-pie.json", 0xb8, 0x26, 0x2b, 0.01},                               // pie
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			opt, err := os.ReadFile("../testdata/golden/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			b, err := r.PNG(opt, 640, 360, 1.5)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got.X != 960 || got.Y != 540 {
				t.Fatalf("size %v, want 960×540", got)
			}
			if s := colourShare(img, c.r, c.g, c.b); s < c.minShare {
				t.Errorf("colour #%02x%02x%02x covers %.4f of the picture, want ≥ %.4f", c.r, c.g, c.b, s, c.minShare)
			}
			// Text and axes are grey (#6E7079 labels): a blank or half-drawn picture has none.
			if s := colourShare(img, 0x6e, 0x70, 0x79); s < 0.0005 && c.file != "eval-survey.json" && c.file != "adhoc-pie.json" {
				t.Errorf("axis label grey covers %.5f: no labels drawn", s)
			}
		})
	}
}

func TestBadOptionIsAnError(t *testing.T) {
	r := renderer(t)
	if _, err := r.PNG([]byte(`{"series":[`), 100, 100, 1); err == nil {
		t.Fatal("broken JSON drew a picture")
	}
	if _, err := r.PNG([]byte(`{"series":[]}`), 0, 100, 1); err == nil {
		t.Fatal("zero width drew a picture")
	}
}

func TestColours(t *testing.T) {
	for in, want := range map[string][4]uint8{"#fff": {255, 255, 255, 255}, "#b8262b": {0xb8, 0x26, 0x2b, 255},
		"rgba(227,155,45,0.16)": {227, 155, 45, 41}, "rgb(1, 2, 3)": {1, 2, 3, 255}, "transparent": {0, 0, 0, 0}} {
		c, ok := parseColor(in)
		if !ok || [4]uint8{c.R, c.G, c.B, c.A} != want {
			t.Errorf("%s: %v %v, want %v", in, c, ok, want)
		}
	}
	if _, ok := parseColor("url(#x)"); ok {
		t.Error("url() read as a colour")
	}
}

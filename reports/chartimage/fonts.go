package chartimage

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// FontEnv names a font file (TTF, OTF or TTC) to draw chart text with, before the system's.
const FontEnv = "MINGDENG_CHART_FONT"

// ErrNoFont is returned when no font with Chinese glyphs is found.
var ErrNoFont = errors.New("no font with Chinese characters found for chart pictures")

// fontCandidates are files that hold Chinese glyphs on common systems, best first: Windows
// (Microsoft YaHei, SimHei, SimSun), Debian/Ubuntu (Noto CJK, WenQuanYi, Droid), macOS.
var fontCandidates = map[string][]string{
	"windows": {`msyh.ttc`, `msyh.ttf`, `simhei.ttf`, `simsun.ttc`, `Deng.ttf`},
	"linux": {
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
	},
	"darwin": {"/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Medium.ttc", "/Library/Fonts/Arial Unicode.ttf"},
}

// Fonts is the font chart text is drawn and measured with.
type Fonts struct {
	Path   string // the file it came from
	Family string // the CSS family list handed to ECharts (it only matters for measuring)
	font   *sfnt.Font
	mu     sync.Mutex
	faces  map[float64]font.Face
}

// FindFonts opens the font named by MINGDENG_CHART_FONT, or the first system font with Chinese
// glyphs.
func FindFonts() (*Fonts, error) {
	var tried []string
	if p := os.Getenv(FontEnv); p != "" {
		f, err := OpenFonts(p)
		if err != nil {
			return nil, fmt.Errorf("%s=%s: %w", FontEnv, p, err)
		}
		return f, nil
	}
	paths := fontCandidates[runtime.GOOS]
	if runtime.GOOS == "windows" {
		dir := filepath.Join(os.Getenv("WINDIR"), "Fonts")
		if os.Getenv("WINDIR") == "" {
			dir = `C:\Windows\Fonts`
		}
		for i, p := range paths {
			paths[i] = filepath.Join(dir, p)
		}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			tried = append(tried, p)
			continue
		}
		if f, err := OpenFonts(p); err == nil {
			return f, nil
		}
		tried = append(tried, p)
	}
	return nil, fmt.Errorf("%w (tried %s); install one (Debian: apt-get install fonts-noto-cjk) or set %s to a .ttf/.ttc file",
		ErrNoFont, strings.Join(tried, ", "), FontEnv)
}

// OpenFonts reads a font file; in a collection (TTC) it takes the Simplified Chinese face when
// it can tell, else the first.
func OpenFonts(path string) (*Fonts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	coll, err := opentype.ParseCollection(b)
	if err != nil {
		return nil, fmt.Errorf("read font %s: %w", path, err)
	}
	var pick *sfnt.Font
	for i := 0; i < coll.NumFonts(); i++ {
		f, err := coll.Font(i)
		if err != nil {
			continue
		}
		if pick == nil {
			pick = f
		}
		name, _ := f.Name(nil, sfnt.NameIDFamily)
		if strings.Contains(name, " SC") || strings.Contains(name, "YaHei") || strings.Contains(name, "SimHei") {
			pick = f
			break
		}
	}
	if pick == nil {
		return nil, fmt.Errorf("read font %s: no face in it", path)
	}
	var buf sfnt.Buffer
	if gi, err := pick.GlyphIndex(&buf, '党'); err != nil || gi == 0 {
		return nil, fmt.Errorf("font %s has no Chinese glyphs", path)
	}
	family, _ := pick.Name(nil, sfnt.NameIDFamily)
	return &Fonts{Path: path, Family: strconv.Quote(family) + ",sans-serif", font: pick, faces: map[float64]font.Face{}}, nil
}

// face returns the face at a size in device pixels.
func (f *Fonts) face(px float64) font.Face {
	px = math.Round(px*4) / 4
	f.mu.Lock()
	defer f.mu.Unlock()
	if fc, ok := f.faces[px]; ok {
		return fc
	}
	fc, err := opentype.NewFace(f.font, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	f.faces[px] = fc
	return fc
}

var fontSizeRE = regexp.MustCompile(`(\d+(?:\.\d+)?)px`)

// fontSize reads the pixel size from a CSS font shorthand ("bold 14px sans-serif").
func fontSize(css string) float64 {
	if m := fontSizeRE.FindStringSubmatch(css); m != nil {
		if v, err := strconv.ParseFloat(m[1], 64); err == nil && v > 0 {
			return v
		}
	}
	return 12
}

// measure is the advance width of text in CSS pixels.
func (f *Fonts) measure(css, text string) float64 {
	size := fontSize(css)
	fc := f.face(size)
	if fc == nil {
		return float64(len([]rune(text))) * size
	}
	return float64(font.MeasureString(fc, text)) / 64
}

package reports

import (
	"bytes"
	"embed"
	"errors"
	"io/fs"
)

// The folder holds a committed README and, after `make assets`, echarts.min.js (git-ignored), so
// the package compiles on a fresh clone and fails only when an HTML report is written.
//
//go:embed assets/dist
var assetFS embed.FS

// ErrAssetMissing is returned when the binary was built without the ECharts script.
var ErrAssetMissing = errors.New("ECharts asset missing: run make (make assets copies echarts.min.js into reports/assets/dist, then rebuild)")

// EChartsVersion is the ECharts release pinned in reports/assets/package.json.
const EChartsVersion = "5.6.0"

// echartsJS returns the embedded ECharts script.
func echartsJS() ([]byte, error) {
	b, err := fs.ReadFile(assetFS, "assets/dist/echarts.min.js")
	if err != nil || len(b) == 0 {
		return nil, ErrAssetMissing
	}
	// The script is inlined in a <script> element: it must not close it.
	if bytes.Contains(bytes.ToLower(b), []byte("</script")) {
		return nil, errors.New("ECharts asset contains </script and cannot be inlined")
	}
	return b, nil
}

// EChartsScript is the pinned ECharts script, for a page that loads it rather than inlining
// it (serve's workbench).
func EChartsScript() ([]byte, error) { return loadECharts() }

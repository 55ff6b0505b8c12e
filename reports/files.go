package reports

import (
	"fmt"
	"os"
	"path/filepath"
)

// Files are the paths WriteFiles wrote.
type Files struct {
	HTML, Markdown, XLSX string
}

// WriteFiles writes r into dir as NAME.html, NAME.md and NAME.xlsx, NAME being r.Kind (or the
// given base name). Files are written to a temporary name and renamed, so a failed run leaves
// no half-written report.
func WriteFiles(dir, base string, r *Report) (Files, error) {
	if base == "" {
		base = r.Kind
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Files{}, err
	}
	f := Files{HTML: filepath.Join(dir, base+".html"), Markdown: filepath.Join(dir, base+".md"), XLSX: filepath.Join(dir, base+".xlsx")}
	if err := writeFile(f.HTML, func(w *os.File) error { return WriteHTML(w, r) }); err != nil {
		return Files{}, err
	}
	if err := writeFile(f.Markdown, func(w *os.File) error { return WriteMarkdown(w, r) }); err != nil {
		return Files{}, err
	}
	if err := writeFile(f.XLSX, func(w *os.File) error { return WriteXLSX(w, r) }); err != nil {
		return Files{}, err
	}
	return f, nil
}

func writeFile(path string, write func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/pdf"
)

// Files are the paths WriteFiles (and WriteDocuments) wrote.
type Files struct {
	HTML, Markdown, XLSX string
	DOCX, PDF            string
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
	spanHTML := queries.StartTrace()
	if err := writeFile(f.HTML, func(w *os.File) error { return WriteHTML(w, r) }); err != nil {
		return Files{}, err
	}
	spanHTML.End("write HTML")
	spanMarkdown := queries.StartTrace()
	if err := writeFile(f.Markdown, func(w *os.File) error { return WriteMarkdown(w, r) }); err != nil {
		return Files{}, err
	}
	spanMarkdown.End("write Markdown")
	spanXLSX := queries.StartTrace()
	if err := writeFile(f.XLSX, func(w *os.File) error { return WriteXLSX(w, r) }); err != nil {
		return Files{}, err
	}
	spanXLSX.End("write XLSX")
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

// Documents chooses the documents WriteDocuments writes beside the page.
type Documents struct {
	DOCX, PDF bool
	Pictures  *Pictures     // chart pictures for the DOCX; nil: made here
	Timeout   time.Duration // for the browser that prints the PDF; 0: two minutes
}

// ErrNoBrowser is returned (wrapped) when a PDF was asked for and no browser is found.
var ErrNoBrowser = pdf.ErrNoBrowser

// WriteDocuments writes NAME.docx (no browser needed) and NAME.pdf (printed from the HTML page
// WriteFiles wrote, by a headless Chromium or Edge) into the folder of files.HTML. A missing
// browser is returned as an error wrapping ErrNoBrowser after the DOCX is written.
func WriteDocuments(ctx context.Context, r *Report, files *Files, opt Documents) error {
	if files.HTML == "" {
		return fmt.Errorf("write documents: no HTML page written")
	}
	base := strings.TrimSuffix(files.HTML, ".html")
	if opt.DOCX {
		pics := opt.Pictures
		if pics == nil {
			var err error
			if pics, err = NewPictures(); err != nil {
				return fmt.Errorf("DOCX chart pictures: %w", err)
			}
		}
		path := base + ".docx"
		if err := writeFile(path, func(w *os.File) error { return WriteDOCX(w, r, pics) }); err != nil {
			return err
		}
		files.DOCX = path
	}
	if opt.PDF {
		timeout := opt.Timeout
		if timeout == 0 {
			timeout = 2 * time.Minute
		}
		path := base + ".pdf"
		if err := pdf.Print(ctx, files.HTML, path, timeout); err != nil {
			return err
		}
		files.PDF = path
	}
	return nil
}

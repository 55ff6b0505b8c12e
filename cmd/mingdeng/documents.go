package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/mingdeng/mingdeng/reports"
)

// documentFlags ask for the Word document and the PDF beside a report's page.
type documentFlags struct {
	docx, pdf bool
	pics      *reports.Pictures // chart pictures shared by the reports of one run; nil: made per report
}

// writeDocuments writes the report's DOCX and PDF beside its page and names them. A machine
// without a browser still gets the DOCX; the missing PDF is said on stderr, not an error.
func (a *app) writeDocuments(ctx context.Context, rep *reports.Report, files *reports.Files, f documentFlags) error {
	if !f.docx && !f.pdf {
		return nil
	}
	err := reports.WriteDocuments(ctx, rep, files, reports.Documents{DOCX: f.docx, PDF: f.pdf, Pictures: f.pics})
	if errors.Is(err, reports.ErrNoBrowser) {
		fmt.Fprintln(a.stderr, a.t(
			"未生成 PDF：本机未找到 Chromium、Chrome 或 Edge（Word 文档不需要浏览器）。请安装 Chromium（Debian：apt-get install chromium）或 Microsoft Edge，或用环境变量 MINGDENG_BROWSER 指明浏览器程序。",
			"no PDF written: no Chromium, Chrome or Edge found on this machine (the DOCX needs none). Install Chromium (Debian: apt-get install chromium) or Microsoft Edge, or set MINGDENG_BROWSER to its executable."))
		err = nil
	}
	if err != nil {
		return err
	}
	for _, p := range []string{files.DOCX, files.PDF} {
		if p != "" {
			fmt.Fprintf(a.stdout, "  %s\n", p)
		}
	}
	return nil
}

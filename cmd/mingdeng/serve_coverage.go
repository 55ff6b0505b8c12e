package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/build"
	"github.com/mingdeng/mingdeng/reports/web"
)

// Coverage is the page's answer to "is the data complete?": the table of `mingdeng check`
// over every unit and the whole years holding records (web.CoverageLister).
func (b *webBackend) Coverage(ctx context.Context, lang datasets.Lang) (*web.CoverageView, error) {
	c, err := queries.LoadCoverage(ctx, b.w.DB(), queries.Params{})
	if err != nil {
		return nil, err
	}
	tr := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	if len(c.Datasets) == 0 || c.From.IsZero() {
		return &web.CoverageView{Title: tr("数据仓库中没有带日期的记录。", "the warehouse has no dated records.")}, nil
	}
	tb, gaps := coverageTable(c, lang)
	v := &web.CoverageView{
		Title: fmt.Sprintf(tr("数据完整性：全部单位，%s至%s（按各数据集记录自身的日期统计记录数）", "data completeness: all units, %s to %s (records counted by each dataset's own date)"),
			monthInFull(c.From, lang), monthInFull(c.To, lang)),
		Table: tb, Gaps: gaps, Legend: coverageLegend.In(lang), Missing: tr("无", "none"),
	}
	if len(gaps) == 0 {
		v.Summary = tr("每个数据集在其应有频次的每个时段都有记录。", "every dataset has records in every slot of its expected frequency.")
	} else {
		v.Summary = tr("无记录的月份（报告中不计为问题，只在“数据完整性”中列出）：", "months without records (reports list them under data completeness and never count them as findings):")
	}
	return v, nil
}

// groupsByUnitSQL lists every party group with its unit, for the page's pickers.
const groupsByUnitSQL = `SELECT b.unit_id, g.group_id, g.name FROM party_groups g JOIN branches b USING (branch_id)
ORDER BY b.unit_id, g.group_id`

// Scopes lists the units with party groups and their groups by name (web.ScopeLister).
func (b *webBackend) Scopes(ctx context.Context) ([]web.UnitScope, error) {
	units, err := queries.UnitsWithGroups(ctx, b.w.DB())
	if err != nil {
		return nil, err
	}
	out := make([]web.UnitScope, len(units))
	at := map[string]int{}
	for i, u := range units {
		out[i] = web.UnitScope{Code: u.Code, Name: u.Name}
		at[u.Code] = i
	}
	rows, err := b.w.DB().QueryContext(ctx, groupsByUnitSQL)
	if err != nil {
		return nil, fmt.Errorf("list party groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit, code, name string
		if err := rows.Scan(&unit, &code, &name); err != nil {
			return nil, fmt.Errorf("list party groups: %w", err)
		}
		if i, ok := at[unit]; ok {
			out[i].Groups = append(out[i].Groups, web.UnitInfo{Code: code, Name: name})
		}
	}
	return out, rows.Err()
}

// Formats are the files `mingdeng report` writes (with --docx and --pdf).
func (b *webBackend) Formats() []string { return []string{"html", "md", "xlsx", "docx", "pdf"} }

// Download builds the report as serve's page does and writes it with the CLI's writers into a
// scratch folder, returning the one file asked for.
func (b *webBackend) Download(ctx context.Context, name string, params url.Values, lang datasets.Lang, format string) (string, []byte, error) {
	req, err := build.FromValues(name, params)
	if err != nil {
		return "", nil, err
	}
	req.Lang, req.Config = lang, &b.cfg
	res, err := build.Build(ctx, b.w, req)
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "mingdeng-download-")
	if err != nil {
		return "", nil, err
	}
	defer os.RemoveAll(dir)
	files, err := reports.WriteFiles(dir, res.Name, res.Report)
	if err != nil {
		return "", nil, err
	}
	if format == "docx" || format == "pdf" {
		err := reports.WriteDocuments(ctx, res.Report, &files, reports.Documents{DOCX: format == "docx", PDF: format == "pdf"})
		if errors.Is(err, reports.ErrNoBrowser) {
			return "", nil, noBrowserError{}
		}
		if err != nil {
			return "", nil, err
		}
	}
	path := map[string]string{"html": files.HTML, "md": files.Markdown, "xlsx": files.XLSX, "docx": files.DOCX, "pdf": files.PDF}[format]
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	return filepath.Base(path), data, nil
}

// noBrowserError is a PDF asked for on a machine without a browser to print it.
type noBrowserError struct{}

func (noBrowserError) Error() string { return noBrowserError{}.Message(datasets.En) }

func (noBrowserError) Message(lang datasets.Lang) string {
	return datasets.T("无法生成 PDF：本机未找到 Chromium、Chrome 或 Edge；请下载 Word 文档，或安装浏览器后重试",
		"cannot make the PDF: no Chromium, Chrome or Edge on this machine; download the Word document, or install a browser and try again").In(lang)
}

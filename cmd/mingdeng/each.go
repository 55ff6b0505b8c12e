package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/build"
)

// runEachUnit writes the report once per unit that has party groups, named KIND-UNITCODE,
// into DIR/units/, and an index page DIR/KIND-units.html linking each unit's files. A unit
// whose report cannot be built (no records in the period) is listed with the reason; the run
// fails only when no unit's report could be written.
func (a *app) runEachUnit(ctx context.Context, kind string, f reportFlags) error {
	start := time.Now()
	if kind != string(build.Evaluation) && kind != string(build.Annual) {
		return usageError{datasets.Errorf("--each unit 只用于 evaluation 和 annual 报告", "--each unit is for the evaluation and annual reports only")}
	}
	if f.unit != "" {
		return usageError{datasets.Errorf("--each unit 与 --unit 只能二选一", "give either --each unit or --unit, not both")}
	}
	w, err := a.openWarehouse(ctx, warehouse.Options{ReadOnly: true, MemoryLimit: reportMemoryLimit})
	if err != nil {
		return err
	}
	defer w.Close()
	units, err := queries.UnitsWithGroups(ctx, w.DB())
	if err != nil {
		return err
	}
	if len(units) == 0 {
		return datasets.Errorf("数据仓库中没有设有党小组的单位，无法按单位生成报告", "no unit in the warehouse has party groups: there is no report per unit to write")
	}
	if f.docs.docx {
		// ECharts is loaded into the JavaScript engine once for every unit's pictures.
		if f.docs.pics, err = reports.NewPictures(); err != nil {
			return fmt.Errorf("DOCX chart pictures: %w", err)
		}
	}
	dir := filepath.Join(f.out, "units")
	ix := &reports.Index{Lang: a.lang}
	written := 0
	for i, u := range units {
		req, err := a.request(build.Kind(kind), f)
		if err != nil {
			return err
		}
		req.Unit = u.Code
		entry := reports.IndexEntry{Name: u.Name, Code: u.Code}
		res, err := build.Build(ctx, w, req)
		if err != nil {
			var msg interface{ Message(datasets.Lang) string }
			if errors.As(err, &msg) {
				entry.Note = a.t("未生成：", "not written: ") + msg.Message(a.lang)
			} else {
				entry.Note = a.t("未生成：", "not written: ") + err.Error()
			}
			ix.Entries = append(ix.Entries, entry)
			fmt.Fprintf(a.stderr, "%s %s: %s\n", u.Code, u.Name, entry.Note)
			continue
		}
		if ix.Title == "" {
			ix.Title = strings.TrimSpace(a.t("各单位", "By unit: ") + reportKindTitle(res.Report))
			ix.Subtitle = a.t(fmt.Sprintf("共 %d 个单位，每个单位一份报告。", len(units)), fmt.Sprintf("%d units, one report each.", len(units)))
		}
		name := strings.Replace(res.Name, kind, kind+"-"+safeFileName(u.Code), 1)
		files, err := reports.WriteFiles(dir, name, res.Report)
		if err != nil {
			return err
		}
		if err := a.writeDocuments(ctx, res.Report, &files, f.docs); err != nil {
			return err
		}
		for _, p := range []struct{ label, path string }{{"HTML", files.HTML}, {"Word", files.DOCX}, {"PDF", files.PDF}, {"Excel", files.XLSX}, {"Markdown", files.Markdown}} {
			if p.path != "" {
				entry.Files = append(entry.Files, reports.IndexFile{Label: p.label, Href: "units/" + filepath.Base(p.path)})
			}
		}
		ix.Entries = append(ix.Entries, entry)
		written++
		fmt.Fprintf(a.stdout, a.t("%d/%d %s %s → %s\n", "%d/%d %s %s → %s\n"), i+1, len(units), u.Code, u.Name, files.HTML)
	}
	if written == 0 {
		return datasets.Errorf("没有一个单位的报告能够生成（原因见上）", "no unit's report could be written (reasons above)")
	}
	index := filepath.Join(f.out, kind+"-units.html")
	if a.lang == datasets.En {
		index = filepath.Join(f.out, kind+"-units-en.html")
	}
	out, err := os.Create(index)
	if err != nil {
		return err
	}
	if err := reports.WriteIndex(out, ix); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	abs, _ := filepath.Abs(index)
	fmt.Fprintf(a.stdout, a.t("%d 个单位的报告已写出（%.1f 秒），目录页：\n  %s\n", "reports of %d units written (%.1f s); index page:\n  %s\n"),
		written, time.Since(start).Seconds(), abs)
	return nil
}

// reportKindTitle is the report's title without the scope before it ("示例供电公司 …").
func reportKindTitle(r *reports.Report) string {
	if i := strings.LastIndex(r.Title, " "); i >= 0 {
		return r.Title[i+1:]
	}
	return r.Title
}

// safeFileName keeps a code usable as part of a file name on Windows and Linux.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?* `, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
}

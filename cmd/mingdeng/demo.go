package main

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets/synth"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
)

func newDemoCmd(a *app) *cobra.Command {
	var out, scale, format string
	var seed uint64
	cmd := &cobra.Command{
		Use:   "demo",
		Short: a.t("演示：生成示例数据、导入数据仓库，并写出评估报告和年度调研课题报告", "demo: make sample data, ingest it, and write the evaluation and annual reports"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			start := time.Now()
			sc, err := synth.ParseScale(scale)
			if err != nil {
				return usageError{err}
			}
			ff, err := synth.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			src := filepath.Join(out, "source")
			fmt.Fprintf(a.stdout, a.t("1/3 生成示例数据（%s 规模，%s 格式，含常见问题）→ %s\n", "1/3 making sample data (%s scale, %s, messy) → %s\n"), sc, ff, src)
			m, err := synth.Generate(ctx, synth.Options{Scale: sc, Seed: seed, Format: ff, Messy: true, Out: src}, nil)
			if err != nil {
				return err
			}
			_ = m
			dbPath := filepath.Join(out, "mingdeng.duckdb")
			if _, err := warehouse.EnsureKey(dbPath); err != nil {
				return err
			}
			key, err := warehouse.LoadKey(dbPath)
			if err != nil {
				return err
			}
			var paths []string
			err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && d.Name() != "manifest.json" {
					paths = append(paths, p)
				}
				return nil
			})
			if err != nil {
				return err
			}
			sort.Strings(paths)
			fmt.Fprintf(a.stdout, a.t("2/3 导入 %d 个文件 → %s\n", "2/3 ingesting %d files → %s\n"), len(paths), dbPath)
			w, err := warehouse.Open(ctx, dbPath, warehouse.Options{Create: true})
			if err != nil {
				return err
			}
			if err := recordDeclaredHypotheses(ctx, a, w, ""); err != nil {
				w.Close()
				return err
			}
			sum, err := ingest.Ingest(ctx, w, paths, ingest.Options{Key: key})
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			if err == nil && sum != nil && sum.Err() != nil {
				err = ingestFailed{sum}
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, a.t("3/3 写出报告", "3/3 writing the reports"))
			a.dbPath = dbPath
			for _, kind := range []string{"evaluation", "annual"} {
				if err := a.runReport(ctx, kind, reportFlags{out: out, period: "half", docs: documentFlags{docx: true, pdf: true}}); err != nil {
					return err
				}
			}
			abs, _ := filepath.Abs(filepath.Join(out, "evaluation.html"))
			fmt.Fprintf(a.stdout, a.t("\n完成（%.0f 秒）。用浏览器打开：\n  %s\n", "\ndone (%.0f s). Open in a browser:\n  %s\n"), time.Since(start).Seconds(), abs)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "mingdeng-demo", a.t("输出目录", "output folder"))
	cmd.Flags().StringVar(&scale, "scale", "company", a.t("规模：tiny 或 company", "scale: tiny or company"))
	cmd.Flags().StringVar(&format, "format", "mixed", a.t("文件格式：csv、xlsx、ndjson 或 mixed（混合）", "file format: csv, xlsx, ndjson or mixed"))
	cmd.Flags().Uint64Var(&seed, "seed", 1, a.t("随机种子", "random seed"))
	return cmd
}

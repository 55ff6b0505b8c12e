package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/mingdeng/mingdeng/datasets/synth"
)

func newGenCmd(a *app) *cobra.Command {
	var opt synth.Options
	var scale, format, encoding, headers string
	cmd := &cobra.Command{
		Use:   a.t("gen --out 目录", "gen --out DIR"),
		Short: a.t("生成带已知植入效应的示例数据文件（含 manifest.json）", "generate sample source files with documented planted effects (and manifest.json)"),
		Long: a.t(
			"按供电公司实际移交的样子生成全部数据集的源文件：中文表头、按年份分文件、部分文件按名称引用党小组和班组。\n相同参数生成的文件逐字节相同。模型与植入效应见 docs/GENERATOR.md。",
			"Writes source files for every dataset as a power-supply company hands them over: Chinese headers, one file per\nyear, some files naming groups and teams instead of codes. The same arguments give byte-identical files.\nThe model and its planted effects are described in docs/GENERATOR.md."),
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opt.Scale, err = synth.ParseScale(scale); err != nil {
				return usageError{err}
			}
			if opt.Format, err = synth.ParseFormat(format); err != nil {
				return usageError{err}
			}
			if opt.Encoding, err = synth.ParseEncoding(encoding); err != nil {
				return usageError{err}
			}
			if opt.Headers, err = synth.ParseHeaders(headers); err != nil {
				return usageError{err}
			}
			if opt.Out == "" {
				return usageError{errors.New(a.t("请用 --out 指定输出目录", "--out DIR is required"))}
			}
			var progress func(done, total int64)
			if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				progress = func(done, total int64) {
					pct := 100 * float64(done) / float64(max(total, 1))
					fmt.Fprintf(a.stderr, "\r%s %5.1f%%  %d / %d", a.t("生成中", "generating"), pct, done, total)
				}
			}
			start := time.Now()
			m, err := synth.Generate(cmd.Context(), opt, progress)
			if progress != nil {
				fmt.Fprintln(a.stderr)
			}
			if err != nil {
				if errors.Is(err, synth.ErrOptions) {
					return usageError{err}
				}
				return err
			}
			return a.printGenSummary(m, opt.Out, time.Since(start))
		},
	}
	f := cmd.Flags()
	f.StringVar(&scale, "scale", "tiny", a.t("规模：tiny（单个工区）、company（约 20 个单位）或 province（约 6000 个党小组）", "scale: tiny (one unit), company (~20 units) or province (~6,000 groups)"))
	f.Uint64Var(&opt.Seed, "seed", 1, a.t("随机种子：相同种子生成相同文件", "random seed: the same seed gives the same files"))
	f.StringVar(&opt.Out, "out", "", a.t("输出目录", "output folder"))
	f.StringVar(&format, "format", "csv", a.t("文件格式：csv、xlsx、ndjson 或 mixed（混合）", "file format: csv, xlsx, ndjson or mixed"))
	f.StringVar(&encoding, "encoding", "utf8", a.t("CSV 编码：utf8 或 gb18030", "CSV encoding: utf8 or gb18030"))
	f.StringVar(&headers, "headers", "zh", a.t("表头语言：zh 或 en", "header language: zh or en"))
	f.BoolVar(&opt.Messy, "messy", false, a.t("加入真实文件常见的问题（日期格式混杂、全角数字、重复行、坏行等），逐项计入 manifest.json", "add the faults real files have (mixed date formats, full-width digits, duplicates, bad rows, ...), each counted in manifest.json"))
	return cmd
}

func (a *app) printGenSummary(m *synth.Manifest, out string, took time.Duration) error {
	names := make([]string, 0, len(m.Datasets))
	var rows, bad, dups int
	for name, d := range m.Datasets {
		names = append(names, name)
		rows += d.Rows
		bad += d.BadRows
		dups += d.DuplicateRows
	}
	sort.Strings(names)
	for _, name := range names {
		d := m.Datasets[name]
		fmt.Fprintf(a.stdout, a.t("%-18s %3d 个文件 %10d 行\n", "%-18s %3d files %10d rows\n"), name, d.Files, d.Rows)
	}
	fmt.Fprintf(a.stdout, a.t("已在 %s 生成 %d 个文件、%d 行（坏行 %d，重复行 %d），用时 %.1f 秒；说明见 %s/manifest.json\n",
		"wrote %d files, %d rows (%d bad, %d duplicates) to %s in %.1f s; see %s/manifest.json\n"),
		genArgs(a, out, len(m.Files), rows, bad, dups, took.Seconds())...)
	return nil
}

// genArgs orders the summary's values for the language's sentence.
func genArgs(a *app, out string, files, rows, bad, dups int, secs float64) []any {
	if a.t("zh", "en") == "zh" {
		return []any{out, files, rows, bad, dups, secs, out}
	}
	return []any{files, rows, bad, dups, out, secs, out}
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/ingest"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

func newIngestCmd(a *app) *cobra.Command {
	var opts ingest.Options
	var encoding, format string
	cmd := &cobra.Command{
		Use:   a.t("ingest 文件或文件夹...", "ingest PATH..."),
		Short: a.t("导入文件或文件夹（CSV/TSV、XLSX、JSON、NDJSON、Parquet）到数据仓库", "load files or folders (CSV/TSV, XLSX, JSON, NDJSON, Parquet) into the warehouse"),
		Long: a.t(
			"导入文件或文件夹（递归）。根据表头和文件名识别数据集（或用 --dataset 指定），自动识别 UTF-8 与 GB18030 编码。\n"+
				"有问题的行整行存入被拒绝记录（mingdeng rejects 查看），其余行照常导入；同一文件再次导入不会重复。",
			"Load files or folders (recursively). The dataset is recognised from the headers and the file name (or given with\n"+
				"--dataset); UTF-8 and GB18030 are detected. Bad rows are kept whole as rejects (see mingdeng rejects) and the\n"+
				"rest loads; loading the same file again changes nothing."),
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{datasets.Errorf("%s：请给出要导入的文件或文件夹", "%s: expected at least one file or folder", cmd.CommandPath())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			enc, err := ingest.ParseEncoding(encoding)
			if err != nil {
				return usageError{err}
			}
			opts.Encoding = enc
			if opts.Dataset != "" {
				if _, err := datasets.Lookup(opts.Dataset); err != nil {
					return usageError{unknownDataset(opts.Dataset)}
				}
			}
			if format != "table" && format != "json" {
				return usageError{datasets.Errorf("--format %q 应为 table 或 json", "--format %q: expected table or json", format)}
			}
			t0 := time.Now()
			w, err := a.openWarehouse(cmd.Context(), warehouse.Options{})
			if err != nil {
				return err
			}
			ingest.Trace("open", t0)
			defer func() {
				t0 := time.Now()
				w.Close()
				ingest.Trace("close", t0)
			}()
			// No key is fine for files without personal columns (ingest refuses the others); a
			// key that is there but too short is refused at once.
			if key, err := warehouse.LoadKey(a.dbPath); err == nil {
				opts.Key = key
			} else if !errors.Is(err, warehouse.ErrNoKey) {
				return err
			}
			// The hypotheses of ./mingdeng.yaml go on record before the data they are tested on.
			if err := recordDeclaredHypotheses(cmd.Context(), a, w, ""); err != nil {
				return err
			}
			bar := a.progressBar()
			opts.Progress = bar.update
			sum, err := ingest.Ingest(cmd.Context(), w, args, opts)
			bar.finish()
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(sum); err != nil {
					return err
				}
			} else if err := a.printIngestSummary(sum); err != nil {
				return err
			}
			if err := sum.Err(); err != nil {
				return ingestFailed{sum}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Dataset, "dataset", "", a.t("指定数据集（不自动识别）", "the dataset the files hold (skip recognition)"))
	f.StringVar(&opts.Sheet, "sheet", "", a.t("只导入 XLSX 的这个工作表", "only this XLSX sheet"))
	f.StringVar(&encoding, "encoding", "", a.t("文本编码：utf8 或 gb18030（默认自动识别）", "text encoding: utf8 or gb18030 (default: detect)"))
	f.BoolVar(&opts.Force, "force", false, a.t("即使内容相同也重新读取", "read files again even when their content was loaded before"))
	f.BoolVar(&opts.Strict, "strict", false, a.t("有任何一行被拒绝就整个文件不导入", "refuse a whole file when any row is rejected"))
	f.StringVar(&format, "format", "table", a.t("汇总格式：table 或 json", "summary format: table or json"))
	return cmd
}

// ingestFailed is returned when some files failed; each was already reported in the summary.
type ingestFailed struct{ sum *ingest.Summary }

func (e ingestFailed) Error() string { return e.Message(datasets.En) }

// Message names each failed file's reason once: a full disk fails every file after it with
// the same engine error, which is one message, and repeated reasons are counted, not repeated.
func (e ingestFailed) Message(lang datasets.Lang) string {
	var msgs []string
	count := map[string]int{}
	failed, full := 0, 0
	for _, f := range e.sum.Files {
		if f.Err == nil {
			continue
		}
		failed++
		if diskFull(f.Err) {
			full++
			continue
		}
		msg := f.Err.Error()
		if l, ok := f.Err.(interface{ Message(datasets.Lang) string }); ok {
			msg = l.Message(lang)
		}
		if count[msg] == 0 {
			msgs = append(msgs, msg)
		}
		count[msg]++
	}
	for i, m := range msgs {
		if n := count[m]; n > 1 {
			msgs[i] = m + datasets.T(fmt.Sprintf("（%d 个文件）", n), fmt.Sprintf(" (%d files)", n)).In(lang)
		}
	}
	if full > 0 {
		msgs = append([]string{datasets.T(
			fmt.Sprintf("磁盘空间不足，%d 个文件未能写入数据仓库（已导入的文件不受影响）；请清理数据仓库所在磁盘或临时目录后重新运行 mingdeng ingest", full),
			fmt.Sprintf("the disk is full: %d file(s) could not be written to the warehouse (files loaded before are intact); free space on the warehouse's disk or the temporary folder and run mingdeng ingest again", full)).In(lang)}, msgs...)
	}
	return datasets.T(fmt.Sprintf("%d 个文件未导入：", failed), fmt.Sprintf("%d file(s) not loaded: ", failed)).In(lang) + strings.Join(msgs, "; ")
}

// diskFull reports whether err is the file system's "no space left" (from Go or as DuckDB's
// text, which does not wrap the errno).
func diskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "disk is full") || strings.Contains(msg, "not enough space on the disk")
}

// ingestTable is the per-file summary of an ingest, as the CLI prints it and serve's page
// shows it after an upload, and the number of rows rejected. Datasets are named by their
// labels; --format json keeps the codes, for scripts.
func ingestTable(sum *ingest.Summary, lang datasets.Lang) (*queries.Table, int64) {
	tr := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	t := &queries.Table{Columns: []queries.Column{
		{Name: tr("文件", "file"), Type: queries.Text},
		{Name: tr("数据集", "dataset"), Type: queries.Text},
		{Name: tr("状态", "status"), Type: queries.Text},
		{Name: tr("读取", "read"), Type: queries.Integer},
		{Name: tr("新增", "loaded"), Type: queries.Integer},
		{Name: tr("更新", "updated"), Type: queries.Integer},
		{Name: tr("未变", "unchanged"), Type: queries.Integer},
		{Name: tr("拒绝", "rejected"), Type: queries.Integer},
		{Name: tr("重复", "duplicates"), Type: queries.Integer},
		{Name: tr("空行", "blank"), Type: queries.Integer},
		{Name: tr("汇总行", "summary rows"), Type: queries.Integer},
		{Name: tr("秒", "seconds"), Type: queries.Float},
	}}
	var rejected int64
	for _, f := range sum.Files {
		name := f.Path
		if f.Sheet != "" {
			name += " [" + f.Sheet + "]"
		}
		row := []any{name, datasetLabel(f.Dataset, lang), batchStatus(f.Status, lang), f.RowsRead, f.Loaded, f.Updated, f.Unchanged, f.Rejected, f.Duplicates, f.Blank,
			f.Skipped, float64(int(f.Seconds*100)) / 100}
		if f.Status == ingest.StatusFailed {
			// Nothing of a failed file was kept: its counts of what was read would read as
			// loaded rows.
			for i := 3; i <= 10; i++ {
				row[i] = nil
			}
		}
		t.Rows = append(t.Rows, row)
		if f.Status != ingest.StatusFailed {
			rejected += f.Rejected
		}
	}
	return t, rejected
}

// datasetLabel names a dataset as the user knows it (人员, not people); a code that is no
// dataset's (none recognised) stays as it is.
func datasetLabel(code string, lang datasets.Lang) string {
	if c, err := datasets.Lookup(code); err == nil {
		return c.Label.In(lang)
	}
	return code
}

// batchStatus is a file's or batch's status in the user's language.
func batchStatus(status string, lang datasets.Lang) string {
	t, ok := map[string]datasets.Text{
		ingest.StatusLoaded: datasets.T("已导入", "loaded"), ingest.StatusSkipped: datasets.T("已跳过", "skipped"),
		ingest.StatusRefused: datasets.T("已拒绝", "refused"), ingest.StatusFailed: datasets.T("失败", "failed"), ingest.StatusIgnored: datasets.T("忽略", "ignored"),
	}[status]
	if !ok {
		return status
	}
	return t.In(lang)
}

func (a *app) printIngestSummary(sum *ingest.Summary) error {
	t, rejected := ingestTable(sum, a.lang)
	if err := tabular.Write(a.stdout, t, tabular.Text, tabular.Options{}); err != nil {
		return err
	}
	if notes := a.ingestNotes(sum); len(notes) > 0 {
		fmt.Fprintln(a.stdout, a.t("\n说明：", "\nnotes:"))
		for _, n := range notes {
			fmt.Fprintln(a.stdout, "  "+n)
		}
	}
	if rejected > 0 {
		fmt.Fprintf(a.stdout, a.t("\n共有 %d 行被拒绝：用 mingdeng rejects 查看原因，或 mingdeng rejects --format xlsx --out 拒绝.xlsx 导出修改后重新导入。\n",
			"\n%d rows were rejected: see mingdeng rejects, or export them with mingdeng rejects --format xlsx --out rejects.xlsx, fix and load again.\n"), rejected)
	}
	return nil
}

// ingestNotes says, per file, what the table's counts do not: which columns of how many rows
// changed, columns not recognised, unit conversions, masked numbers, and why a file was
// skipped or ignored. Failures are reported by the error that follows.
func (a *app) ingestNotes(sum *ingest.Summary) []string { return ingestNotes(sum, a.lang) }

// ingestNotes is (*app).ingestNotes in lang (serve's page has the request's language).
func ingestNotes(sum *ingest.Summary, lang datasets.Lang) []string {
	tr := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	var out []string
	for _, f := range sum.Files {
		name := f.Path
		if f.Sheet != "" {
			name += " [" + f.Sheet + "]"
		}
		add := func(s string) { out = append(out, name+tr("：", ": ")+s) }
		if f.Status == ingest.StatusLoaded && f.Updated > 0 {
			var cols []string
			keys := make([]string, 0, len(f.ChangedColumns))
			for k := range f.ChangedColumns {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				cols = append(cols, fmt.Sprintf(tr("%s %d 行", "%s %d rows"), k, f.ChangedColumns[k]))
			}
			add(fmt.Sprintf(tr("更新 %d 行，改动的列：%s；文件中没有的列保持不变", "updated %d rows, columns changed: %s; columns the file lacks were left as they were"),
				f.Updated, strings.Join(cols, tr("、", ", "))))
		}
		if len(f.UnknownColumns) > 0 && f.Status != ingest.StatusFailed {
			add(tr("未识别的列（未导入）：", "columns not recognised (not loaded): ") + strings.Join(f.UnknownColumns, tr("、", ", ")))
		}
		for _, c := range f.Conversions {
			add(c.Text(lang))
		}
		if f.Masked > 0 {
			add(fmt.Sprintf(tr("自由文本中有 %d 处身份证号或手机号，已遮蔽后导入", "%d ID or phone numbers in free text were masked on ingest"), f.Masked))
		}
		if f.Skipped > 0 {
			add(fmt.Sprintf(tr("%d 行是合计、备注或制表人等汇总行，已跳过", "%d rows are totals, notes or sign-off lines: skipped"), f.Skipped))
		}
		if (f.Status == ingest.StatusSkipped || f.Status == ingest.StatusIgnored || f.Status == ingest.StatusLoaded) && f.Message != "" {
			zh, en, _ := strings.Cut(f.Message, " / ")
			add(tr(zh, en))
		}
	}
	return out
}

// progressBar draws one line per file on a terminal; it is silent otherwise.
type progressBar struct {
	a       *app
	on      bool
	path    string
	started time.Time
	last    time.Time
}

func (a *app) progressBar() *progressBar {
	f, ok := a.stderr.(*os.File)
	return &progressBar{a: a, on: ok && term.IsTerminal(int(f.Fd()))}
}

func (b *progressBar) update(p ingest.Progress) {
	if !b.on {
		return
	}
	now := time.Now()
	if p.Path != b.path {
		if b.path != "" {
			fmt.Fprintln(b.a.stderr)
		}
		b.path, b.started = p.Path, now
	}
	if p.Phase != "done" && now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = now
	secs := now.Sub(b.started).Seconds()
	const width = 24
	frac := 0.0
	if p.Total > 0 {
		frac = float64(p.Bytes) / float64(p.Total)
	}
	if p.Phase != "read" {
		frac = 1
	}
	n := int(frac * width)
	bar := strings.Repeat("█", n) + strings.Repeat("░", width-n)
	rate := ""
	if p.Rows > 0 && secs > 0 {
		rate = fmt.Sprintf(b.a.t(" %.0f 行/秒", " %.0f rows/s"), float64(p.Rows)/secs)
	}
	phase := map[string]string{"read": b.a.t("读取", "reading"), "check": b.a.t("校验", "checking"), "done": b.a.t("完成", "done")}[p.Phase]
	name := p.Path
	if p.Sheet != "" {
		name += " [" + p.Sheet + "]"
	}
	fmt.Fprintf(b.a.stderr, "\r\033[K%s %s %s%s", bar, phase, name, rate)
}

func (b *progressBar) finish() {
	if b.on && b.path != "" {
		fmt.Fprintln(b.a.stderr)
	}
}

// unknownDataset names the datasets --dataset accepts, each with its label in both languages.
func unknownDataset(name string) error {
	var zh, en []string
	for _, c := range datasets.All() {
		zh = append(zh, c.Name+"（"+c.Label.Zh+"）")
		en = append(en, c.Name+" ("+c.Label.En+")")
	}
	return &datasets.Error{Err: datasets.ErrUnknownDataset, Text: datasets.T(fmt.Sprintf("没有名为“%s”的数据集；可用：%s", name, strings.Join(zh, "、")),
		fmt.Sprintf("unknown dataset %q; known: %s", name, strings.Join(en, ", ")))}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// app is what every subcommand shares: the streams, the warehouse path and the language.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	dbPath string
	lang   datasets.Lang
	// serveConfig is serve's --config (its rules are read once, at start).
	serveConfig string
	// serve's bounds (0: the defaults in servemem.go)
	serveMemory, serveMaxBytes int64
	// openURL opens a page in the browser for start; nil is the system's default browser.
	openURL func(url string) error
}

// t picks the text for the chosen language.
func (a *app) t(zh, en string) string { return datasets.T(zh, en).In(a.lang) }

// openWarehouse opens the warehouse named by --db.
func (a *app) openWarehouse(ctx context.Context, opts warehouse.Options) (*warehouse.Warehouse, error) {
	return warehouse.Open(ctx, a.dbPath, opts)
}

// run executes one mingdeng command line; main turns its error into an exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, lang: langFromArgs(args)}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && strings.HasPrefix(err.Error(), "unknown command") {
		if m := unknownCommand.FindStringSubmatch(err.Error()); m != nil {
			return usageError{&datasets.Error{Err: err, Text: datasets.T("没有这个命令："+m[1], err.Error())}}
		}
		return usageError{err}
	}
	return err
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "mingdeng",
		Short: a.t("明灯：党小组工作与安全生产成效的数据分析", "mingdeng: does party-group work show up in safety and production results?"),
		Long: a.t(
			"明灯（mingdeng）把党小组活动记录、巡视与安全记录、满意度调查导入本地 DuckDB 数据仓库，\n分析党建活动与生产成效之间的关系，并生成可离线打开的图表报告。",
			"mingdeng loads party-group activity records, patrol and safety records and surveys into a local\nDuckDB warehouse, relates activity to production outcomes, and renders reports that open offline."),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	defaultDB := warehouse.DefaultPath
	if env := os.Getenv("MINGDENG_DB"); env != "" {
		defaultDB = env
	}
	var langFlag string
	root.PersistentFlags().StringVar(&a.dbPath, "db", defaultDB, a.t("数据仓库文件（环境变量 MINGDENG_DB）", "warehouse file (env MINGDENG_DB)"))
	root.PersistentFlags().StringVar(&langFlag, "lang", string(a.lang), a.t("界面语言：zh 或 en", "language of messages and reports: zh or en"))
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		lang, err := datasets.ParseLang(langFlag)
		if err != nil {
			return usageError{err}
		}
		a.lang = lang
		return nil
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{flagError(err)} })
	for _, cmd := range []*cobra.Command{
		newInitCmd(a),
		newStatusCmd(a),
		newCheckCmd(a),
		newDatasetsCmd(a),
		newSQLCmd(a),
		newChartCmd(a),
		newServeCmd(a),
		newStartCmd(a),
		newReportCmd(a),
		newDemoCmd(a),
		newGenCmd(a),
		newIngestCmd(a),
		newRejectsCmd(a),
		newQueryCmd(a),
		newAssessCmd(a),
		newAnalyzeCmd(a),
	} {
		root.AddCommand(cmd)
	}
	localizeHelp(root, a)
	return root
}

// localizeHelp puts cobra's own help words (Usage, Flags, help for …, (default …), the help and
// completion commands) in the user's language; in English they stay as cobra writes them.
func localizeHelp(root *cobra.Command, a *app) {
	root.PersistentFlags().BoolP("help", "h", false, a.t("显示帮助", "help for this command"))
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetHelpCommand(&cobra.Command{
		Use:   a.t("help [命令]", "help [command]"),
		Short: a.t("显示某个命令的帮助", "Help about any command"),
		RunE: func(c *cobra.Command, args []string) error {
			cmd, _, err := c.Root().Find(args)
			if cmd == nil || err != nil {
				return usageError{datasets.Errorf("没有这个命令：%s", "unknown help topic: %s", strings.Join(args, " "))}
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	})
	cobra.AddTemplateFunc("flagUsages", flagUsages)
	if a.lang != datasets.Zh {
		root.SetUsageTemplate(enUsageTemplate)
		return
	}
	cobra.AddTemplateFunc("zhUseLine", func(s string) string { return strings.ReplaceAll(s, "[flags]", "[选项]") })
	root.SetUsageTemplate(zhUsageTemplate)
}

// enUsageTemplate is cobra's usage template (without command groups, which mingdeng does not
// use) with the flag lists of flagUsages.
const enUsageTemplate = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Available Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{flagUsages .LocalFlags "en"}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{flagUsages .InheritedFlags "en"}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`

// zhUsageTemplate is enUsageTemplate with its headings in Chinese.
const zhUsageTemplate = `用法：{{if .Runnable}}
  {{zhUseLine .UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

可用命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{flagUsages .LocalFlags "zh"}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{flagUsages .InheritedFlags "zh"}}{{end}}{{if .HasAvailableSubCommands}}

用 "{{.CommandPath}} [命令] --help" 查看命令的详细说明。{{end}}
`

// langFromArgs reads --lang before cobra parses, so help texts are already in that language.
func langFromArgs(args []string) datasets.Lang {
	value := os.Getenv("MINGDENG_LANG")
	for i, arg := range args {
		if arg == "--lang" && i+1 < len(args) {
			value = args[i+1]
		} else if v, ok := strings.CutPrefix(arg, "--lang="); ok {
			value = v
		}
	}
	lang, err := datasets.ParseLang(value)
	if err != nil {
		return datasets.Zh
	}
	return lang
}

// usageError marks a mistake in the command line itself (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// args validators that report a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{datasets.Errorf("%s 需要 %d 个参数，给出了 %d 个", "%s: expected %d argument(s), got %d", cmd.CommandPath(), n, len(args))}
		}
		return nil
	}
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usageError{datasets.Errorf("%s 最多接受 %d 个参数，给出了 %d 个", "%s: expected at most %d argument(s), got %d", cmd.CommandPath(), n, len(args))}
		}
		return nil
	}
}

// localized is implemented by errors that carry their message in both languages.
type localized interface {
	Message(datasets.Lang) string
}

// exitCode prints err as one line in the user's language and maps it to the exit code:
// 0 ok, 1 failure, 2 usage.
func exitCode(err error, args []string, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	lang := langFromArgs(args)
	msg := err.Error()
	var l localized
	var pe *fs.PathError
	switch {
	case errors.As(err, &l):
		msg = l.Message(lang)
	case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
		// The operating system's words (stat x.csv: no such file or directory) are English.
		msg = datasets.T("找不到文件或文件夹：", "no such file or folder: ").In(lang) + pe.Path
	case errors.As(err, &pe) && errors.Is(err, fs.ErrPermission):
		msg = datasets.T("没有权限访问：", "permission denied: ").In(lang) + pe.Path
	}
	if errors.Is(err, context.Canceled) {
		msg = datasets.T("已取消", "cancelled").In(lang)
	}
	// One line: driver errors carry a caret diagram on later lines that breaks log readers.
	msg = strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
	prefix := datasets.T("错误：", "error: ").In(lang)
	var u usageError
	if errors.As(err, &u) {
		fmt.Fprintf(stderr, "%s%s\n%s\n", prefix, msg, datasets.T("用法见 mingdeng --help", "see mingdeng --help").In(lang))
		return 2
	}
	fmt.Fprintf(stderr, "%s%s\n", prefix, msg)
	return 1
}

var unknownCommand = regexp.MustCompile(`^unknown command "(.*)" for "`)

var badFlagValue = regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: `)

// flagError says the flag parser's usual complaints (written in English by pflag) in both
// languages; others pass as they are.
func flagError(err error) error {
	msg := err.Error()
	if m := badFlagValue.FindStringSubmatch(msg); m != nil {
		return datasets.Errorf("选项 %[2]s 的值“%[1]s”无效", "invalid value %[1]q for %[2]s", m[1], m[2])
	}
	for _, c := range []struct{ prefix, zh string }{
		{"unknown flag: ", "没有这个选项："},
		{"unknown shorthand flag: ", "没有这个选项："},
		{"flag needs an argument: ", "选项需要一个值："},
	} {
		if rest, ok := strings.CutPrefix(msg, c.prefix); ok {
			return &datasets.Error{Err: err, Text: datasets.T(c.zh+rest, msg)}
		}
	}
	return err
}

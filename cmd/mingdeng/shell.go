package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/sqlscan"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// lineReader is where the shell's input lines come from: a terminal with line editing and
// history, or plain lines from a pipe or script.
type lineReader interface {
	ReadLine(prompt string) (string, error)
	Close()
}

// runShell reads statements until EOF or .quit. A statement may span lines and ends at a
// semicolon outside quotes; each one runs on its own, so an error stops only that statement.
func (a *app) runShell(ctx context.Context, w *warehouse.Warehouse, format tabular.Format) error {
	if format == parquetFormat || format == tabular.XLSX {
		format = tabular.Text
	}
	in := a.newLineReader()
	defer in.Close()
	interactive := isTerminal(a.stdin)
	if interactive {
		fmt.Fprintln(a.stdout, a.t("mingdeng SQL 命令行。语句以分号结束；输入 .help 查看命令，.quit 退出。",
			"mingdeng SQL shell. End statements with a semicolon; .help lists commands, .quit leaves."))
	}
	sh := &shell{app: a, w: w, format: format}
	var pending strings.Builder
	for {
		prompt := "mingdeng> "
		if pending.Len() > 0 {
			prompt = "     ...> "
		}
		line, err := in.ReadLine(prompt)
		if errors.Is(err, io.EOF) {
			if rest := strings.TrimSpace(pending.String()); rest != "" {
				sh.runStatements(ctx, rest)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if pending.Len() == 0 && strings.HasPrefix(strings.TrimSpace(line), ".") {
			if quit := sh.dotCommand(ctx, strings.Fields(strings.TrimSpace(line))); quit {
				return nil
			}
			continue
		}
		pending.WriteString(line)
		pending.WriteString("\n")
		if _, complete := sqlscan.Split(pending.String()); complete {
			sh.runStatements(ctx, pending.String())
			pending.Reset()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

type shell struct {
	app    *app
	w      *warehouse.Warehouse
	format tabular.Format
}

func (sh *shell) runStatements(ctx context.Context, text string) {
	a := sh.app
	stmts, _ := sqlscan.Split(text)
	for _, st := range stmts {
		err := checkStoredView(st.Text)
		var rows *sql.Rows
		if err == nil {
			rows, err = sh.w.DB().QueryContext(ctx, st.Text)
		}
		if err == nil {
			var t *queries.Table
			if t, err = queries.Collect(rows, 0); err == nil {
				err = tabular.Write(a.stdout, t, sh.format, tabular.Options{Null: "NULL"})
				if sh.format == tabular.Text {
					fmt.Fprintf(a.stdout, a.t("（%d 行）\n", "(%d rows)\n"), len(t.Rows))
				}
			}
		}
		if err != nil {
			msg := err.Error()
			var l localized
			if errors.As(err, &l) {
				msg = l.Message(a.lang)
			}
			fmt.Fprintf(a.stdout, "%s%s\n", a.t("错误：", "error: "), msg)
		}
	}
}

// dotCommand runs a shell command; it reports whether the shell should end.
func (sh *shell) dotCommand(ctx context.Context, fields []string) bool {
	a := sh.app
	switch fields[0] {
	case ".quit", ".exit", ".q":
		return true
	case ".help":
		fmt.Fprintln(a.stdout, a.t(`.tables          列出数据表及行数
.schema 名称     显示数据表的列；数据集附中文说明和可识别的表头
.mode 格式       输出格式：table、csv、json、markdown
.quit            退出
语句以分号结束，可跨多行。`, `.tables          list the tables and their row counts
.schema NAME     show a table's columns; datasets with their descriptions and recognised headers
.mode FORMAT     output format: table, csv, json, markdown
.quit            leave
End statements with a semicolon; they may span lines.`))
	case ".tables":
		sh.tables(ctx)
	case ".schema":
		if len(fields) != 2 {
			fmt.Fprintln(a.stdout, a.t("用法：.schema 名称", "usage: .schema NAME"))
			break
		}
		sh.schema(ctx, fields[1])
	case ".mode":
		if len(fields) != 2 {
			fmt.Fprintf(a.stdout, a.t("当前格式：%s\n", "current format: %s\n"), sh.format)
			break
		}
		f, err := tabular.ParseFormat(fields[1])
		if err != nil || f == tabular.XLSX {
			fmt.Fprintln(a.stdout, a.t("格式应为 table、csv、json 或 markdown", "the format must be table, csv, json or markdown"))
			break
		}
		sh.format = f
	default:
		fmt.Fprintf(a.stdout, a.t("未知命令 %s；输入 .help 查看命令\n", "unknown command %s; .help lists commands\n"), fields[0])
	}
	return false
}

func (sh *shell) tables(ctx context.Context) {
	a := sh.app
	s, err := sh.w.Summary(ctx, 0)
	if err != nil {
		fmt.Fprintf(a.stdout, "%s%s\n", a.t("错误：", "error: "), err)
		return
	}
	t := &queries.Table{Columns: []queries.Column{
		{Name: a.t("表", "table"), Type: queries.Text}, {Name: a.t("名称", "name"), Type: queries.Text}, {Name: a.t("行数", "rows"), Type: queries.Integer},
	}}
	for _, tc := range s.Tables {
		c, _ := datasets.Lookup(tc.Dataset)
		t.Rows = append(t.Rows, []any{tc.Dataset, c.Label.In(a.lang), tc.Rows})
	}
	tabular.Write(a.stdout, t, tabular.Text, tabular.Options{})
}

// schema shows a dataset's contract, or for any other table or view its columns from the
// catalogue.
func (sh *shell) schema(ctx context.Context, name string) {
	a := sh.app
	if c, err := datasets.Lookup(name); err == nil {
		a.showContract(c)
		return
	}
	rows, err := sh.w.DB().QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_name = ? ORDER BY ordinal_position`, name)
	if err == nil {
		var t *queries.Table
		if t, err = queries.Collect(rows, 0); err == nil {
			if len(t.Rows) == 0 {
				fmt.Fprintf(a.stdout, a.t("没有名为 %s 的表\n", "no table named %s\n"), name)
				return
			}
			tabular.Write(a.stdout, t, tabular.Text, tabular.Options{})
			return
		}
	}
	fmt.Fprintf(a.stdout, "%s%s\n", a.t("错误：", "error: "), err)
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (a *app) newLineReader() lineReader {
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if r, err := newTermReader(f, a.stdout); err == nil {
			return r
		}
	}
	return &plainReader{sc: bufio.NewScanner(a.stdin)}
}

// plainReader reads lines from a pipe or file; there is no prompt to show.
type plainReader struct{ sc *bufio.Scanner }

func (p *plainReader) ReadLine(string) (string, error) {
	if p.sc.Scan() {
		return p.sc.Text(), nil
	}
	if err := p.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

func (p *plainReader) Close() {}

// termReader edits lines on a terminal, with history kept in ~/.mingdeng_history.
type termReader struct {
	t       *term.Terminal
	fd      int
	state   *term.State
	history *os.File
}

func newTermReader(f *os.File, out io.Writer) (*termReader, error) {
	fd := int(f.Fd())
	state, err := term.MakeRaw(fd)
	if err != nil {
		return nil, err
	}
	r := &termReader{t: term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{f, out}, ""), fd: fd, state: state}
	if home, err := os.UserHomeDir(); err == nil {
		path := filepath.Join(home, ".mingdeng_history")
		if b, err := os.ReadFile(path); err == nil {
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			for _, l := range lines[max(0, len(lines)-500):] {
				if l != "" {
					r.t.History.Add(l)
				}
			}
		}
		r.history, _ = os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	}
	return r, nil
}

func (r *termReader) ReadLine(prompt string) (string, error) {
	r.t.SetPrompt(prompt)
	line, err := r.t.ReadLine()
	if err == nil && r.history != nil && strings.TrimSpace(line) != "" {
		fmt.Fprintln(r.history, line)
	}
	return line, err
}

func (r *termReader) Close() {
	term.Restore(r.fd, r.state)
	if r.history != nil {
		r.history.Close()
	}
}

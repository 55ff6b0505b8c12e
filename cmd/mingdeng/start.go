package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
)

// defaultAddr is where start listens first: a fixed port, so the page can be bookmarked.
const defaultAddr = "127.0.0.1:8080"

// commandLine is the command line main runs. With no arguments, a Windows program started by a
// double-click runs start (platform_windows.go); elsewhere it shows the help, as a terminal user
// expects. doubleClick says the console window is the program's own, so an error must wait for
// Enter before the window closes with it.
func commandLine(args []string) (_ []string, doubleClick bool) {
	if len(args) == 0 && startWithoutArgs {
		return []string{"start"}, true
	}
	return args, false
}

// waitForEnter keeps a double-clicked program's console window open after an error, so the
// message can be read.
func waitForEnter(stdin io.Reader, stderr io.Writer, lang datasets.Lang) {
	fmt.Fprint(stderr, datasets.T("按回车键关闭此窗口。", "Press Enter to close this window.").In(lang))
	bufio.NewReader(stdin).ReadString('\n')
}

func newStartCmd(a *app) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use: "start",
		Short: a.t("打开本地网页：创建（如无）并打开数据仓库，启动 serve，并用默认浏览器打开（双击 mingdeng.exe 即运行此命令）",
			"open the local pages: create the warehouse if there is none, serve it and open the default browser (what double-clicking mingdeng.exe does)"),
		Long: a.t("数据仓库默认在"+startFolderZh+"（可用 --db 或环境变量 MINGDENG_DB 指定），化名密钥文件在它旁边。\n只在本机（127.0.0.1）监听，先试 8080 端口，被占用时换一个空闲端口。",
			"The warehouse is by default in "+startFolderEn+" (--db or env MINGDENG_DB to change), its pseudonymisation key file beside it.\nListens on this machine only (127.0.0.1): port 8080, or a free port when 8080 is taken."),
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if !cmd.Flags().Changed("db") && os.Getenv("MINGDENG_DB") == "" {
				dir, err := startFolder()
				if err != nil {
					return err
				}
				a.dbPath = filepath.Join(dir, warehouse.DefaultPath)
			}
			_, statErr := os.Stat(a.dbPath)
			created := errors.Is(statErr, os.ErrNotExist)
			if err := a.initWarehouse(ctx); err != nil {
				return err
			}
			srv, link, err := a.startServer(ctx, freeAddr(addr), nil, 30*time.Second, 10000)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, a.t("\nmingdeng 网页已启动：%s\n", "\nmingdeng is serving at %s\n"), link)
			if created {
				fmt.Fprintf(a.stdout, a.t("这是新建的空数据仓库。导入数据：在打开的网页“导入文件”中选择或拖入文件；看演示：停止本程序后在命令行运行 %[1]s demo\n",
					"This is a new, empty warehouse. To load data, choose or drop files under \"Load files\" in the page that opens; for a demonstration, stop this program and run %[1]s demo in a console\n"), exeName)
			}
			open := a.openURL
			if open == nil {
				open = openBrowser
			}
			if err := open(link); err != nil {
				fmt.Fprintf(a.stdout, a.t("未能自动打开浏览器（%v）；请在浏览器中打开上面的地址。\n", "could not open the browser (%v); open the address above in a browser.\n"), err)
			}
			fmt.Fprintln(a.stdout, a.t(stopHintZh, stopHintEn))
			<-ctx.Done()
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return srv.Shutdown(shutdown)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", defaultAddr, a.t("先尝试的监听地址（被占用时改用本机的空闲端口）", "address to try first (a free port on this machine when it is taken)"))
	return cmd
}

// freeAddr is addr when it can be listened on now, else a free port on loopback: an office PC
// may already run something on 8080, and a second start must not fail for it.
func freeAddr(addr string) string {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "127.0.0.1:0"
	}
	ln.Close()
	return addr
}

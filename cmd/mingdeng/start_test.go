package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
)

// TestStartServesANewWarehouseAndOpensTheBrowser runs start as a double-click does on Windows:
// a new warehouse and key in the folder (a Chinese name with a space), the page on loopback
// even when the first port is taken, the browser sent to it, and a word on how to stop.
func TestStartServesANewWarehouseAndOpensTheBrowser(t *testing.T) {
	for _, tc := range []struct {
		name  string
		useDB bool // --db given; otherwise the folder start chooses (the working folder off Windows)
	}{
		{"db flag", true},
		{"default folder", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "党建 数据")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			busy, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer busy.Close()
			args := []string{"start", "--addr", busy.Addr().String()}
			if tc.useDB {
				args = append(args, "--db", filepath.Join(dir, "mingdeng.duckdb"))
			} else {
				t.Setenv("MINGDENG_DB", "")
				t.Chdir(dir)
			}
			opened := make(chan string, 1)
			var out bytes.Buffer
			a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &out, lang: datasets.Zh,
				openURL: func(u string) error { opened <- u; return nil }}
			root := newRootCmd(a)
			root.SetArgs(args)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- root.ExecuteContext(ctx) }()
			var link string
			select {
			case link = <-opened:
			case err := <-done:
				t.Fatalf("start ended before opening the browser: %v\n%s", err, out.String())
			case <-time.After(2 * time.Minute):
				t.Fatal("start did not open the browser")
			}
			u, err := url.Parse(link)
			if err != nil {
				t.Fatal(err)
			}
			if u.Hostname() != "127.0.0.1" || u.Host == busy.Addr().String() {
				t.Errorf("opened %s: want loopback on a free port, not the taken %s", link, busy.Addr())
			}
			resp, err := http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "明灯") {
				t.Errorf("GET %s: %d, page without 明灯:\n%.300s", link, resp.StatusCode, page)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("start after Ctrl+C: %v", err)
			}
			for _, f := range []string{"mingdeng.duckdb", "mingdeng.duckdb.key"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("%s not created beside the data: %v", f, err)
				}
			}
			text := out.String()
			for _, want := range []string{"mingdeng 网页已启动：" + link, "新建的空数据仓库", "“导入文件”", "按 Ctrl+C 停止"} {
				if !strings.Contains(text, want) {
					t.Errorf("console text lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

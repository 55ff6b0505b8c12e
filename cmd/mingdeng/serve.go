package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/sqlguard"
	"github.com/mingdeng/mingdeng/reports/build"
	"github.com/mingdeng/mingdeng/reports/web"
)

// webSettings lock down the connection serve uses: no file or network access from SQL, no
// extension loading, and no SET that could undo any of it.
var webSettings = map[string]string{
	"enable_external_access":     "false",
	"allow_community_extensions": "false",
	"lock_configuration":         "true",
}

func newServeCmd(a *app) *cobra.Command {
	var addr string
	var hosts []string
	var timeout time.Duration
	var maxRows int
	cmd := &cobra.Command{
		Use:   "serve",
		Short: a.t("启动本地网页：浏览和生成报告、SQL 工作台", "start the local web pages: reports and a SQL workbench"),
		Long: a.t("默认只在本机（127.0.0.1）监听。绑定到其他地址时，每个请求都必须带启动时显示的访问令牌。\n网页查询只读、只能执行一条 SELECT 语句、不能读取文件和个人明细表，并有行数和时间上限。",
			"Listens on this machine only (127.0.0.1) by default. Bound to any other address, every request needs the access token printed at start.\nWeb queries are read-only, one SELECT at a time, cannot read files or person-level tables, and have a row cap and a time limit."),
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			srv, url, err := a.startServer(ctx, addr, hosts, timeout, maxRows)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, a.t("mingdeng 网页已启动：%s\n按 Ctrl+C 停止。\n", "mingdeng is serving at %s\nPress Ctrl+C to stop.\n"), url)
			<-ctx.Done()
			shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return srv.Shutdown(shutdown)
		},
	}
	cmd.Flags().StringVar(&a.serveConfig, "config", "", a.t("配置文件（默认 ./mingdeng.yaml，不存在时用默认规则）", "configuration file (default ./mingdeng.yaml; the defaults when absent)"))
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", a.t("监听地址", "address to listen on"))
	cmd.Flags().StringArrayVar(&hosts, "allow-host", nil, a.t("额外接受的主机名（Host 头），可重复", "another host name to accept in the Host header (repeatable)"))
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, a.t("每个查询的时间上限", "time limit of each query"))
	cmd.Flags().IntVar(&maxRows, "max-rows", 10000, a.t("每个查询最多返回的行数", "most rows a query returns"))
	return cmd
}

// startServer opens the warehouse read-only and locked down, listens, and serves in the
// background until ctx ends. It returns the address to open, with the token when one is
// required.
func (a *app) startServer(ctx context.Context, addr string, hosts []string, timeout time.Duration, maxRows int) (*http.Server, string, error) {
	rules, err := loadConfig(a, a.serveConfig)
	if err != nil {
		return nil, "", err
	}
	w, err := a.openWarehouse(ctx, warehouse.Options{ReadOnly: true, Settings: webSettings, MemoryLimit: reportMemoryLimit})
	if err != nil {
		return nil, "", err
	}
	token, err := web.NewToken()
	if err != nil {
		w.Close()
		return nil, "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		w.Close()
		return nil, "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	bound := ln.Addr().String()
	loopback := web.IsLoopback(bound)
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" && !net.ParseIP(host).IsUnspecified() {
		hosts = append(hosts, host)
	}
	cfg := web.Config{Lang: a.lang, Token: token, RequireToken: !loopback, Hosts: hosts, QueryTimeout: timeout, MaxRows: maxRows}
	srv := web.NewServer(bound, web.NewHandler(&webBackend{w: w, policy: sqlguard.DefaultPolicy(), cfg: rules}, cfg), timeout)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(a.stderr, err)
		}
	}()
	srv.RegisterOnShutdown(func() { w.Close() })
	link := "http://" + bound + "/"
	if !loopback {
		link += "?token=" + token
	} else {
		fmt.Fprintf(a.stdout, a.t("访问令牌（绑定到非本机地址时需要）：%s\n", "access token (needed when bound beyond loopback): %s\n"), token)
	}
	return srv, link, nil
}

// webBackend runs the pages' requests on the locked-down warehouse.
type webBackend struct {
	w      *warehouse.Warehouse
	policy sqlguard.Policy
	cfg    queries.Config // the rules in force, read at start as report reads them
}

func (b *webBackend) Query(ctx context.Context, q string, maxRows int) (*queries.Table, bool, error) {
	stmt, err := sqlguard.Check(ctx, b.w.DB(), q, b.policy)
	if err != nil {
		return nil, false, err
	}
	rows, err := b.w.DB().QueryContext(ctx, stmt)
	if err != nil {
		return nil, false, err
	}
	t, err := queries.Collect(rows, maxRows)
	if errors.Is(err, queries.ErrTooManyRows) {
		return t, true, nil
	}
	return t, false, err
}

func (b *webBackend) Reports() []web.ReportInfo { return build.WebReports }

// Units lists the units with party groups, for serve's page of one report per unit.
func (b *webBackend) Units(ctx context.Context) ([]web.UnitInfo, error) {
	ms, err := queries.UnitsWithGroups(ctx, b.w.DB())
	if err != nil {
		return nil, err
	}
	out := make([]web.UnitInfo, len(ms))
	for i, m := range ms {
		out[i] = web.UnitInfo{Code: m.Code, Name: m.Name}
	}
	return out, nil
}

func (b *webBackend) RenderReport(ctx context.Context, name string, params url.Values, lang datasets.Lang) ([]byte, error) {
	return build.Page(ctx, b.w, name, params, lang, &b.cfg)
}

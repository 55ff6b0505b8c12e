package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
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
	// Give memory back after a big query: DuckDB's allocator otherwise keeps what a query
	// freed (a 600 MB result left serve at 1.1 GB until some later query).
	"allocator_background_threads": "true",
	"allocator_flush_threshold":    "32MB",
}

func newServeCmd(a *app) *cobra.Command {
	var addr string
	var hosts []string
	var timeout time.Duration
	var maxRows int
	cmd := &cobra.Command{
		Use:   "serve",
		Short: a.t("启动本地网页：导入文件、查看数据完整性、生成和下载报告、SQL 工作台", "start the local web pages: load files, see completeness, make and download reports, a SQL workbench"),
		Long: a.t("默认只在本机（127.0.0.1）监听。绑定到其他地址时，每个请求都必须带启动时显示的访问令牌。\n网页查询只读、只能执行一条 SELECT 语句、不能读取文件和个人明细表，并有行数和时间上限。\n网页上传的文件与 mingdeng ingest 一样导入，保存在数据仓库旁的 mingdeng-uploads 文件夹；serve 运行时命令行的只读命令（status、query、report、rejects 等）照常可用，导入请在网页中进行。\nSQL 工作台列出可查询的表和列（含中文名和说明）与按党小组和月份计算的指标视图（metric_group_activity 等），已保存的查询存放在数据仓库旁的“<数据仓库文件名>.queries”文件夹，每个查询一个 .sql 文件。",
			"Listens on this machine only (127.0.0.1) by default. Bound to any other address, every request needs the access token printed at start.\nWeb queries are read-only, one SELECT at a time, cannot read files or person-level tables, and have a row cap and a time limit.\nFiles uploaded in the page load as with mingdeng ingest and are kept in the mingdeng-uploads folder beside the warehouse; while serve runs the CLI's read commands (status, query, report, rejects …) work beside it, and files are loaded in the page.\nThe SQL workbench lists the readable tables and columns (with their names and descriptions) and the metric views per party group and month (metric_group_activity …); saved queries are kept as one .sql file each in the \"<warehouse file>.queries\" folder beside the warehouse."),
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
	cmd.Flags().Int64Var(&a.serveMemory, "memory-bound", defaultServeMemory, a.t("服务常驻内存上限（字节）；超过时停止正在运行的网页查询", "resident memory serve keeps under (bytes); running web queries are stopped past it"))
	cmd.Flags().Int64Var(&a.serveMaxBytes, "max-reply-bytes", defaultServeMaxBytes, a.t("每个查询结果最多的字节数（超过时截断）", "most bytes of values in one query result (truncated past it)"))
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
	w, err := a.openServed(ctx, &rules)
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
	cfg := web.Config{Lang: a.lang, Token: token, RequireToken: !loopback, Hosts: hosts, QueryTimeout: timeout, MaxRows: maxRows,
		SavedDir: savedQueriesDir(w.Path())}
	memBound, maxBytes := a.serveMemory, a.serveMaxBytes
	if memBound <= 0 {
		memBound = defaultServeMemory
	}
	if maxBytes <= 0 {
		maxBytes = defaultServeMaxBytes
	}
	// The Go side's share: results and their encodings are garbage once a reply is written, and
	// a soft limit makes the runtime collect and return them instead of keeping the peak.
	debug.SetMemoryLimit(memBound / 4)
	watchCtx, stopWatch := context.WithCancel(context.Background())
	backend := &webBackend{w: w, policy: servedPolicy(), cfg: rules, mem: newMemoryWatch(watchCtx, memBound), maxBytes: maxBytes}
	srv := web.NewServer(bound, web.NewHandler(a.withLoader(backend), cfg), timeout)
	srv.RegisterOnShutdown(stopWatch)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(a.stderr, err)
		}
	}()
	srv.RegisterOnShutdown(func() { backend.w.Close() }) // an upload may have reopened it
	link := "http://" + bound + "/"
	if !loopback {
		link += "?token=" + token
	} else {
		fmt.Fprintf(a.stdout, a.t("访问令牌（绑定到非本机地址时需要）：%s\n", "access token (needed when bound beyond loopback): %s\n"), token)
	}
	return srv, link, nil
}

// openServed opens the warehouse as serve reads it: read-only and locked down, with the metric
// views (queries.MetricViews, under the rules in force) on every connection. The views are
// temporary: the file never holds them (`mingdeng sql` defines the same ones for itself).
func (a *app) openServed(ctx context.Context, rules *queries.Config) (*warehouse.Warehouse, error) {
	views, err := queries.MetricViewStatements(rules)
	if err != nil {
		return nil, err
	}
	return a.openWarehouse(ctx, warehouse.Options{ReadOnly: true, Settings: webSettings, MemoryLimit: reportMemoryLimit, ConnInit: views})
}

// servedPolicy is what web queries may read: the tables that are not person-level, the enum
// labels and the metric views, nothing else.
func servedPolicy() sqlguard.Policy { return sqlguard.DefaultPolicy(queries.MetricViewNames()...) }

// withLoader adds the page's upload to b (web.Loader).
func (a *app) withLoader(b *webBackend) web.Backend {
	return loadingBackend{b, &webLoader{a: a, b: b, open: func(ctx context.Context) (*warehouse.Warehouse, error) { return a.openServed(ctx, &b.cfg) }}}
}

type loadingBackend struct {
	*webBackend
	*webLoader
}

// webBackend runs the pages' requests on the locked-down warehouse.
type webBackend struct {
	w        *warehouse.Warehouse
	policy   sqlguard.Policy
	cfg      queries.Config // the rules in force, read at start as report reads them
	mem      *memoryWatch
	maxBytes int64 // of values in one reply
}

func (b *webBackend) Query(ctx context.Context, q string, maxRows int) (*queries.Table, bool, error) {
	b.mem.waitBelow(ctx)
	ctx, done := b.mem.track(ctx)
	defer done()
	t, truncated, err := b.query(ctx, q, maxRows)
	if err != nil && isDuckDBOutOfMemory(err) && ctx.Err() == nil && b.mem.waitAlone(ctx) {
		// DuckDB's memory_limit is shared by every query: a small query fails when a big one
		// holds the memory. It runs again once the others are done, so one client's big query
		// does not fail everyone else's.
		t, truncated, err = b.query(ctx, q, maxRows)
	}
	if err != nil && (errors.Is(context.Cause(ctx), errMemoryBound) || isDuckDBOutOfMemory(err)) {
		// Stopped by the watch, or by DuckDB's own memory_limit: one message either way.
		return nil, false, &memoryError{bound: b.mem.boundBytes()}
	}
	return t, truncated, err
}

// errValueTooLarge is raised inside DuckDB (error()) for a row whose values pass the byte cap.
const errValueTooLarge = "mingdeng: value larger than the reply cap"

// valueTooLarge is a web query refused because one row is larger than a whole reply may be.
type valueTooLarge struct{ cap int64 }

func (e *valueTooLarge) Error() string      { return e.Message(datasets.En) }
func (e *valueTooLarge) ReasonCode() string { return "too_large" }
func (e *valueTooLarge) Message(lang datasets.Lang) string {
	return datasets.T(fmt.Sprintf("结果中有一行的值超过了单次结果的上限（%d MiB），已停止；请只查询需要的部分（例如 left(列, 1000) 或 length(列)）", e.cap>>20),
		fmt.Sprintf("a row of the result is larger than a whole reply may be (%d MiB) and was stopped; select only what you need (left(col, 1000), length(col))", e.cap>>20)).In(lang)
}

// bounded wraps a guarded statement so DuckDB, not the Go side, enforces the caps. The driver
// materialises a whole result before the first row is read, and copies each value into Go
// before the collector can count it: so the LIMIT makes DuckDB stop one row past the row cap,
// and a row whose text, blob or nested values pass the byte cap raises an error inside DuckDB
// instead of crossing into Go (a 500 MB string_agg would otherwise be copied whole). The
// columns are renamed positionally and given back their names, so repeated names survive.
// The wrapped text is checked by the guard again: the wrapping cannot change what runs.
func (b *webBackend) bounded(ctx context.Context, stmt string, maxRows int) (string, error) {
	rows, err := b.w.DB().QueryContext(ctx, "DESCRIBE "+stmt+"\n")
	if err != nil {
		return "", err
	}
	var names, types []string
	for rows.Next() {
		vals := make([]any, 6)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		cols, _ := rows.Columns()
		if err := rows.Scan(ptrs[:len(cols)]...); err != nil {
			rows.Close()
			return "", err
		}
		names = append(names, fmt.Sprint(vals[0]))
		types = append(types, fmt.Sprint(vals[1]))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	var alias, outer, size []string
	for i, n := range names {
		c := fmt.Sprintf("c%d", i+1)
		alias = append(alias, c)
		outer = append(outer, c+" AS "+warehouse.QuoteIdent(n))
		switch t := types[i]; {
		case t == "VARCHAR":
			size = append(size, "coalesce(strlen("+c+"), 0)")
		case t == "BLOB" || t == "BIT":
			size = append(size, "coalesce(octet_length("+c+"), 0)")
		case strings.ContainsAny(t, "[]()") || strings.HasPrefix(t, "STRUCT") || strings.HasPrefix(t, "MAP") || strings.HasPrefix(t, "UNION") || t == "JSON":
			size = append(size, "coalesce(strlen(CAST("+c+" AS VARCHAR)), 0)")
		}
	}
	q := "SELECT " + strings.Join(outer, ", ") + " FROM (\n" + stmt + "\n) AS result(" + strings.Join(alias, ", ") + ")"
	if len(size) > 0 && b.maxBytes > 0 {
		q += fmt.Sprintf(" WHERE CASE WHEN %s > %d THEN error('%s') ELSE true END", strings.Join(size, " + "), b.maxBytes, errValueTooLarge)
	}
	if maxRows > 0 {
		q += fmt.Sprintf(" LIMIT %d", maxRows+1)
	}
	return sqlguard.Check(ctx, b.w.DB(), q, b.policy)
}

func isDuckDBOutOfMemory(err error) bool { return strings.Contains(err.Error(), "Out of Memory Error") }

func (b *webBackend) query(ctx context.Context, q string, maxRows int) (*queries.Table, bool, error) {
	stmt, err := sqlguard.Check(ctx, b.w.DB(), q, b.policy)
	if err != nil {
		return nil, false, err
	}
	if stmt, err = b.bounded(ctx, stmt, maxRows); err != nil {
		return nil, false, err
	}
	rows, err := b.w.DB().QueryContext(ctx, stmt)
	if err != nil && strings.Contains(err.Error(), errValueTooLarge) {
		return nil, false, &valueTooLarge{cap: b.maxBytes}
	}
	if err != nil {
		return nil, false, err
	}
	t, err := queries.CollectCapped(rows, maxRows, b.maxBytes)
	if err != nil && strings.Contains(err.Error(), errValueTooLarge) {
		return nil, false, &valueTooLarge{cap: b.maxBytes}
	}
	if errors.Is(err, queries.ErrTooManyRows) || errors.Is(err, queries.ErrTooManyBytes) {
		return t, true, nil
	}
	return t, false, err
}

// Reports are the reports of build.WebReports and one party group's drill-down, whose form
// asks for the group.
func (b *webBackend) Reports() []web.ReportInfo {
	return append(append([]web.ReportInfo(nil), build.WebReports...), web.ReportInfo{Name: string(build.Group), ForGroup: true,
		Title:       datasets.T("党小组档案", "Party-group drill-down"),
		Description: datasets.T("一个党小组逐月的活动、各时段的成效和考评，与全公司平均对照。", "One party group: activity month by month, results and assessments by period, beside the company means.")})
}

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

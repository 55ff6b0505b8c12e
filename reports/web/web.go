// Package web is the HTTP face of `mingdeng serve`: a page listing the reports, report pages
// rendered with the user's filters, and a SQL workbench (editor, result table, CSV/XLSX
// export). It guards the door — loopback by default, an access token, Host header checks
// against DNS rebinding, cross-origin POSTs refused, server timeouts, a time limit covering a
// query and the encoding of its reply, and a row cap on every query — but it neither opens
// the database nor decides which SQL is safe: the Backend it is given does that (cmd/mingdeng
// wires the warehouse, queries/sqlguard, the byte cap and the memory watch).
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries/table"
	"github.com/mingdeng/mingdeng/reports"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// Backend runs what the pages ask for.
type Backend interface {
	// Query runs one guarded, read-only statement and returns at most maxRows rows; truncated
	// says more existed. A refusal implements Message(datasets.Lang).
	Query(ctx context.Context, sql string, maxRows int) (t *table.Table, truncated bool, err error)
	// Reports lists the reports that can be rendered.
	Reports() []ReportInfo
	// RenderReport renders one report as a self-contained HTML page.
	RenderReport(ctx context.Context, name string, params url.Values, lang datasets.Lang) ([]byte, error)
}

// ReportInfo names a report for the index page.
type ReportInfo struct {
	Name        string
	Title       datasets.Text
	Description datasets.Text
	// ForGroup is set for a report of one party group (its form asks for the group; else
	// for an optional unit).
	ForGroup bool
}

// Config is the server's behaviour.
type Config struct {
	Lang datasets.Lang
	// Token is required on every request when RequireToken is set (the server is bound
	// beyond loopback); it can be given once as ?token=, which sets a cookie.
	Token        string
	RequireToken bool
	// Hosts are the Host header values accepted besides localhost, 127.0.0.1 and [::1].
	Hosts        []string
	QueryTimeout time.Duration
	MaxRows      int
	// SavedDir is the folder of the workbench's saved queries (one NAME.sql each); empty: the
	// page offers none.
	SavedDir string
}

// NewToken makes a random access token.
func NewToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// IsLoopback reports whether addr (host:port) listens on loopback only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NewServer wraps h in an http.Server with timeouts, so a slow or stuck client cannot hold
// a connection open forever.
func NewServer(addr string, h http.Handler, queryTimeout time.Duration) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      queryTimeout + 60*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

type server struct {
	b   Backend
	cfg Config
	// mu lets an upload's ingest have the warehouse alone: every other request holds it for
	// reading, the ingest for writing (the Loader may reopen the warehouse meanwhile).
	mu sync.RWMutex
}

const tokenCookie = "mingdeng_token"

// maxBody bounds a request body: a query text, not a file upload.
const maxBody = 1 << 20

// NewHandler builds the routes.
func NewHandler(b Backend, cfg Config) http.Handler {
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 30 * time.Second
	}
	if cfg.MaxRows <= 0 {
		cfg.MaxRows = 10000
	}
	s := &server{b: b, cfg: cfg}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /reports/{name}", s.report)
	mux.HandleFunc("GET /reports/{name}/units", s.unitIndex)
	mux.HandleFunc("GET /reports/{name}/download", s.download)
	mux.HandleFunc("POST /api/query", s.query)
	mux.HandleFunc("POST /api/export", s.export)
	mux.HandleFunc("POST /api/chart", s.chart)
	mux.HandleFunc("POST /api/upload", s.upload)
	mux.HandleFunc("GET /api/rejects", s.rejects)
	mux.HandleFunc("GET /api/coverage", s.coverage)
	mux.HandleFunc("GET /api/saved", s.savedList)
	mux.HandleFunc("POST /api/saved", s.savedSave)
	mux.HandleFunc("DELETE /api/saved", s.savedDelete)
	mux.HandleFunc("GET /assets/echarts.min.js", s.echarts)
	return s.guard(s.shared(mux))
}

// guard checks, in order: the Host header (DNS rebinding), the token, and for state-changing
// methods that the request is not cross-origin.
func (s *server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "no-referrer")
		lang := s.lang(r)
		if !s.hostAllowed(r.Host) {
			http.Error(w, datasets.T("拒绝访问：主机名不被接受", "forbidden: host not accepted").In(lang), http.StatusMisdirectedRequest)
			return
		}
		if s.cfg.RequireToken && !s.tokenOK(w, r) {
			http.Error(w, datasets.T("需要访问令牌：请使用启动时显示的地址（含 ?token=）", "access token required: open the address printed at start (with ?token=)").In(lang), http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(r) {
			http.Error(w, datasets.T("拒绝跨站请求", "cross-origin request refused").In(lang), http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// shared holds the warehouse for reading during every request but an upload, which takes
// it for writing once its files are received.
func (s *server) shared(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/upload" {
			s.mu.RLock()
			defer s.mu.RUnlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (s *server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(strings.ToLower(host), "[]")
	switch host {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	for _, h := range s.cfg.Hosts {
		if strings.EqualFold(strings.Trim(h, "[]"), host) {
			return true
		}
	}
	return false
}

// tokenOK accepts the token from the cookie, a bearer header or ?token= (which sets the
// cookie, so the address bar can drop it).
func (s *server) tokenOK(w http.ResponseWriter, r *http.Request) bool {
	want := []byte(s.cfg.Token)
	if len(want) == 0 {
		return false
	}
	match := func(got string) bool { return subtle.ConstantTimeCompare([]byte(got), want) == 1 }
	if c, err := r.Cookie(tokenCookie); err == nil && match(c.Value) {
		return true
	}
	if auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && match(auth) {
		return true
	}
	if t := r.URL.Query().Get("token"); t != "" && match(t) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		return true
	}
	return false
}

// sameOrigin refuses browser requests sent from another site: by Sec-Fetch-Site when the
// browser sends it, else by Origin against Host. Non-browser clients send neither.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

func (s *server) lang(r *http.Request) datasets.Lang {
	if l := r.URL.Query().Get("lang"); l != "" {
		if lang, err := datasets.ParseLang(l); err == nil {
			return lang
		}
	}
	if s.cfg.Lang == "" {
		return datasets.Zh
	}
	return s.cfg.Lang
}

//go:embed workbench.html
var workbenchHTML string

var workbench = template.Must(template.New("workbench").Parse(workbenchHTML))

func (s *server) index(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	type link struct {
		Href, Download, Title, Description string
		ForGroup                           bool
	}
	var links []link
	for _, rep := range s.b.Reports() {
		href := "/reports/" + url.PathEscape(rep.Name)
		links = append(links, link{Href: href, Download: href + "/download", Title: rep.Title.In(lang), Description: rep.Description.In(lang), ForGroup: rep.ForGroup})
	}
	pick, err := s.pickers(r, lang)
	if err != nil {
		status, msg := s.failure(err, lang)
		http.Error(w, msg, status)
		return
	}
	schema, err := s.schema(r, lang)
	if err != nil {
		status, msg := s.failure(err, lang)
		http.Error(w, msg, status)
		return
	}
	t := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; form-action 'self'")
	// Rendered whole before the first byte goes out, so a failing template is a clean 500 and a
	// client gone mid-page is not answered with a second status line.
	var page bytes.Buffer
	err = workbench.Execute(&page, map[string]any{
		"Lang": string(lang), "Reports": links, "MaxRows": s.cfg.MaxRows, "Pick": pick,
		"Schema": schema, "Closed": closedList(schema, lang), "Saved": s.cfg.SavedDir != "",
		"T": map[string]string{
			"title": t("明灯 · 数据工作台", "mingdeng · workbench"), "reports": t("报告", "Reports"),
			"unit": t("单位名称或代码", "unit name or code"), "from": t("起始日期", "from"), "to": t("截止日期", "to"),
			"open": t("生成", "open"), "sql": t("SQL 查询", "SQL query"), "run": t("运行（Ctrl+Enter）", "Run (Ctrl+Enter)"),
			"csv": t("导出 CSV", "Export CSV"), "xlsx": t("导出 Excel", "Export Excel"),
			"hint": t("只能执行一条 SELECT 语句；个人明细表不可读取；结果最多显示 "+fmt.Sprint(s.cfg.MaxRows)+" 行。",
				"One SELECT statement at a time; person-level tables are not readable; at most "+fmt.Sprint(s.cfg.MaxRows)+" rows are shown."),
			"rows": t("行", "rows"), "truncated": t("结果已截断", "result truncated"), "running": t("正在运行…", "running…"),
			"empty": t("（无结果行）", "(no rows)"),
			"chart": t("画图", "Chart"), "bar": t("柱状图", "bar"), "line": t("折线图", "line"),
			"load":     t("导入文件", "Load files"),
			"allUnits": t("全部单位", "all units"), "unitPick": t("单位", "unit"), "groupPick": t("党小组", "party group"),
			"download": t("下载：", "download:"),
			"coverage": t("数据完整性", "Data completeness"), "coverageShow": t("查看各数据集每月的记录数", "Show each dataset's records per month"),
			"dropHint": t("把 CSV、Excel、JSON 或 Parquet 文件拖到这里（可同时多个），或选择文件后点“导入”。与命令行 mingdeng ingest 相同：有问题的行存为被拒绝记录，其余照常导入；改正后再次上传即可。",
				"Drop CSV, Excel, JSON or Parquet files here (several at once), or choose them and press Load. As mingdeng ingest: bad rows are kept as rejects and the rest loads; upload the corrected file again."),
			"choose": t("选择文件", "Choose files"), "upload": t("导入", "Load"),
			"sending": t("正在上传…", "uploading…"), "loading": t("正在导入（其他请求稍候）…", "loading (other requests wait)…"),
			"loaded": t("导入完成", "loaded"), "nofiles": t("没有选择文件", "no files chosen"),
			"rejected":   t("共有 %d 行被拒绝。下载被拒绝记录（含原因，改正后可直接重新上传）：", "%d rows were rejected. Download them (with the reasons; fix and upload again):"),
			"rejectsAll": t("全部被拒绝记录", "all rejects"), "batch": t("批次 %d.xlsx", "batch %d.xlsx"),
			"example": t("SELECT unit_name AS 单位, period AS 月份, sum(meetings_held) AS 党小组会次数\nFROM metric_group_activity\nGROUP BY 1, 2 ORDER BY 1, 2",
				"SELECT unit_name AS unit, period AS month, sum(meetings_held) AS meetings\nFROM metric_group_activity\nGROUP BY 1, 2 ORDER BY 1, 2"),
			"nav": t("本页", "On this page"), "sqlLabel": t("SQL 语句（Ctrl+Enter 运行）", "SQL statement (Ctrl+Enter runs it)"),
			"resultLabel": t("查询结果", "query result"), "chartType": t("图表类型", "Chart type"),
			"schema": t("表和列", "Tables and columns"), "schemaHint": t("展开表名查看各列的中文名和说明；“查询此表”把示例语句放进编辑器。标有“指标视图”的是按党小组和月份计算好的指标。", "Open a table for its columns' names and descriptions; “Query this table” puts a statement in the editor. Those marked “metric view” hold the metrics computed per party group and month."),
			"view": t("指标视图", "metric view"), "queryThis": t("查询此表", "Query this table"),
			"colName": t("列名", "column"), "colLabel": t("名称和说明", "name and description"), "colType": t("类型", "type"),
			"closed": t("以下个人层面的表不能在网页查询（只在报告中汇总显示）：", "These person-level tables cannot be queried here (reports show them aggregated only): "),
			"saved":  t("已保存的查询", "Saved queries"), "savedNone": t("还没有保存的查询：在编辑器下方输入名称并保存。", "No saved queries yet: type a name under the editor and save."),
			"saveName": t("查询名称", "Query name"), "save": t("保存当前查询", "Save this query"),
			"run1": t("运行", "Run"), "del": t("删除", "Delete"), "runSaved": t("运行已保存的查询：%s", "Run the saved query %s"), "delSaved": t("删除已保存的查询：%s", "Delete the saved query %s"),
			"confirmDel": t("删除已保存的查询“%s”？", "Delete the saved query “%s”?"), "confirmReplace": t("已有名为“%s”的查询，用当前语句替换它？", "A query named “%s” exists. Replace it with this statement?"),
			"savedOK": t("已保存：%s", "saved: %s"), "deleted": t("已删除：%s", "deleted: %s"),
			"x": t("横轴", "x"), "y": t("数值", "y"), "series": t("分组", "series"), "none": t("（不分组）", "(none)"), "other": t("English", "中文"), "otherLang": map[bool]string{true: "en", false: "zh"}[lang == datasets.Zh],
		},
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(page.Bytes())
}

func (s *server) report(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	name := r.PathValue("name")
	known := false
	for _, rep := range s.b.Reports() {
		known = known || rep.Name == name
	}
	if !known {
		http.Error(w, datasets.T("没有这个报告", "no such report").In(lang), http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 4*s.cfg.QueryTimeout)
	defer cancel()
	page, err := s.b.RenderReport(ctx, name, r.URL.Query(), lang)
	if err != nil {
		status, msg := s.failure(err, lang)
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page)
}

// UnitLister is a Backend that can list the units a report can be scoped to; serve then has a
// page per report linking each unit's report (/reports/NAME/units).
type UnitLister interface {
	Units(ctx context.Context) ([]UnitInfo, error)
}

// UnitInfo is a unit a report can be scoped to.
type UnitInfo struct{ Code, Name string }

// unitIndex lists one report per unit: each unit's name links to the report scoped to it.
func (s *server) unitIndex(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	name := r.PathValue("name")
	var title datasets.Text
	for _, rep := range s.b.Reports() {
		if rep.Name == name {
			title = rep.Title
		}
	}
	ul, ok := s.b.(UnitLister)
	if title.Zh == "" || !ok {
		http.Error(w, datasets.T("没有这个报告", "no such report").In(lang), http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
	defer cancel()
	units, err := ul.Units(ctx)
	if err != nil {
		status, msg := s.failure(err, lang)
		http.Error(w, msg, status)
		return
	}
	t := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	ix := &reports.Index{Lang: lang, Title: t("各单位", "By unit: ") + title.In(lang),
		Subtitle: fmt.Sprintf(t("共 %d 个单位，点击打开该单位的报告。", "%d units: open a unit's report."), len(units))}
	for _, u := range units {
		q := url.Values{"unit": {u.Code}, "lang": {string(lang)}}
		for _, k := range []string{"from", "to", "period"} {
			if v := r.URL.Query().Get(k); v != "" {
				q.Set(k, v)
			}
		}
		ix.Entries = append(ix.Entries, reports.IndexEntry{Name: u.Name, Code: u.Code,
			Files: []reports.IndexFile{{Label: t("打开报告", "open the report"), Href: "/reports/" + url.PathEscape(name) + "?" + q.Encode()}}})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := reports.WriteIndex(w, ix); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

type queryRequest struct {
	SQL string `json:"sql"`
	// The chart button's choices (POST /api/chart).
	Type   string `json:"type,omitempty"`
	X      string `json:"x,omitempty"`
	Y      string `json:"y,omitempty"`
	Series string `json:"series,omitempty"`
	Title  string `json:"title,omitempty"`
}

type queryResponse struct {
	Columns   []table.Column    `json:"columns"`
	Rows      []json.RawMessage `json:"rows"`
	Truncated bool              `json:"truncated"`
	Millis    int64             `json:"elapsed_ms"`
}

// readQuery takes the statement from a JSON body. Requiring JSON also means a plain HTML form
// on another site cannot post here without a CORS preflight, which this server never grants.
func (s *server) readQuery(w http.ResponseWriter, r *http.Request) (string, bool) {
	req, ok := s.readRequest(w, r)
	return req.SQL, ok
}

func (s *server) readRequest(w http.ResponseWriter, r *http.Request) (queryRequest, bool) {
	lang := s.lang(r)
	var req queryRequest
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "content_type", datasets.T("请求须为 JSON", "the request must be JSON").In(lang))
		return req, false
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil || strings.TrimSpace(req.SQL) == "" {
		writeError(w, http.StatusBadRequest, "bad_request", datasets.T("请求中没有 SQL 语句", "the request holds no SQL statement").In(lang))
		return req, false
	}
	return req, true
}

// chart runs the statement like /api/query and draws the result with the report's chart
// builders: ?format=option gives the ECharts option, its title and caption as JSON (the
// workbench draws it in the page), otherwise one self-contained chart page.
// chart answers POST /api/chart with the chart the report builders make of the query's result:
// by default (format=option) the ECharts option with its title and caption as JSON, which the
// workbench draws; format=html the one-chart page. Any other format is refused before the query
// runs, naming the formats accepted.
func (s *server) chart(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "option"
	}
	if format != "option" && format != "html" {
		writeError(w, http.StatusBadRequest, "format", datasets.T(
			fmt.Sprintf("不支持的格式 format=%q：可用 option（图表配置 JSON，默认）或 html（单图页面）", format),
			fmt.Sprintf("unknown format=%q: use option (the chart's option as JSON, the default) or html (a one-chart page)", format)).In(lang))
		return
	}
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	ctx, cancel := s.deadline(r)
	defer cancel()
	t, truncated, _, err := s.run(ctx, req.SQL)
	if err != nil {
		status, msg := s.failure(err, lang)
		writeError(w, status, reasonOf(err), msg)
		return
	}
	spec := reports.ChartSpec{ID: "chart", Type: req.Type, X: req.X, Y: req.Y, Series: req.Series, Title: req.Title}
	rep, err := reports.BuildChartReport(t, spec, reports.ChartPage{SQL: req.SQL}, lang)
	if err != nil {
		var se *reports.SpecError
		if errors.As(err, &se) {
			writeError(w, http.StatusUnprocessableEntity, "chart", se.Message(lang))
			return
		}
		writeError(w, http.StatusInternalServerError, "error", err.Error())
		return
	}
	c := rep.Charts()[0]
	if truncated {
		c.Caption += datasets.T(fmt.Sprintf("结果已截断：只画出前 %d 行。", s.cfg.MaxRows), fmt.Sprintf(" The result was truncated: only the first %d rows are drawn.", s.cfg.MaxRows)).In(lang)
	}
	if format == "option" {
		// The workbench draws it in the page: the option and its words, no report around it.
		opt, err := reports.OptionJSON(c)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "error", err.Error())
			return
		}
		points := 0
		if c.Data != nil {
			points = len(c.Data.Rows)
		}
		var body bytes.Buffer
		json.NewEncoder(&body).Encode(map[string]any{"option": json.RawMessage(opt), "title": c.Title, "caption": c.Caption, "points": points})
		if err := late(ctx); err != nil {
			status, msg := s.failure(err, lang)
			writeError(w, status, reasonOf(err), msg)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body.Bytes())
		return
	}
	var page bytes.Buffer
	if err := reports.WriteHTML(&page, rep); err != nil {
		writeError(w, http.StatusInternalServerError, "error", err.Error())
		return
	}
	if err := late(ctx); err != nil {
		status, msg := s.failure(err, lang)
		writeError(w, status, reasonOf(err), msg)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page.Bytes())
}

// run runs query under ctx, whose deadline (deadline) covers the query and the encoding of its
// reply: a handler encodes into a buffer and sends nothing once the deadline has passed.
func (s *server) run(ctx context.Context, query string) (*table.Table, bool, time.Duration, error) {
	start := time.Now()
	t, truncated, err := s.b.Query(ctx, query, s.cfg.MaxRows)
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		err = errTimeout
	}
	return t, truncated, time.Since(start), err
}

// deadline is the context of one query request: the time limit from its arrival.
func (s *server) deadline(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
}

// late turns a reply finished after the deadline into the timeout error.
func late(ctx context.Context) error {
	if ctx.Err() != nil {
		return errTimeout
	}
	return nil
}

var errTimeout = errors.New("query time limit exceeded")

func (s *server) query(w http.ResponseWriter, r *http.Request) {
	query, ok := s.readQuery(w, r)
	if !ok {
		return
	}
	ctx, cancel := s.deadline(r)
	defer cancel()
	t, truncated, elapsed, err := s.run(ctx, query)
	if err != nil {
		status, msg := s.failure(err, s.lang(r))
		writeError(w, status, reasonOf(err), msg)
		return
	}
	// Encoding stops at the deadline; late() below answers with the timeout.
	resp := queryResponse{Columns: t.Columns, Truncated: truncated, Millis: elapsed.Milliseconds(), Rows: jsonRows(ctx, t)}
	var body bytes.Buffer
	json.NewEncoder(&body).Encode(resp)
	if err := late(ctx); err != nil {
		status, msg := s.failure(err, s.lang(r))
		writeError(w, status, reasonOf(err), msg)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body.Bytes())
}

func (s *server) export(w http.ResponseWriter, r *http.Request) {
	format, err := tabular.ParseFormat(r.URL.Query().Get("format"))
	if err != nil || (format != tabular.CSV && format != tabular.XLSX) {
		writeError(w, http.StatusBadRequest, "format", datasets.T("导出格式须为 csv 或 xlsx", "export format must be csv or xlsx").In(s.lang(r)))
		return
	}
	query, ok := s.readQuery(w, r)
	if !ok {
		return
	}
	ctx, cancel := s.deadline(r)
	defer cancel()
	t, _, _, err := s.run(ctx, query)
	if err != nil {
		status, msg := s.failure(err, s.lang(r))
		writeError(w, status, reasonOf(err), msg)
		return
	}
	var body bytes.Buffer
	if err := tabular.Write(&body, t, format, tabular.Options{BOM: true, SheetName: "result"}); err != nil {
		writeError(w, http.StatusInternalServerError, "error", err.Error())
		return
	}
	if err := late(ctx); err != nil {
		status, msg := s.failure(err, s.lang(r))
		writeError(w, status, reasonOf(err), msg)
		return
	}
	name := "mingdeng-" + time.Now().Format("20060102-150405") + "." + string(format)
	if format == tabular.CSV {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(body.Bytes())
}

type localized interface{ Message(datasets.Lang) string }

type reasoned interface{ ReasonCode() string }

// failure maps an error to a status and a message in lang.
func (s *server) failure(err error, lang datasets.Lang) (int, string) {
	var l localized
	switch {
	case errors.Is(err, errTimeout):
		return http.StatusRequestTimeout, datasets.T(
			fmt.Sprintf("查询超过时间限制（%s），已停止", s.cfg.QueryTimeout),
			fmt.Sprintf("the query exceeded the time limit (%s) and was stopped", s.cfg.QueryTimeout)).In(lang)
	case errors.As(err, &l):
		return http.StatusUnprocessableEntity, l.Message(lang)
	}
	return http.StatusBadRequest, err.Error()
}

func reasonOf(err error) string {
	var r reasoned
	switch {
	case errors.Is(err, errTimeout):
		return "timeout"
	case errors.As(err, &r):
		return r.ReasonCode()
	}
	return "error"
}

func writeError(w http.ResponseWriter, status int, reason, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg, "reason": reason})
}

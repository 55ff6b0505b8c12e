package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries/table"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// Loader is a Backend that can load files into the warehouse while serve runs (the page's
// upload) and hand back the rejected rows as the fix-and-reimport workbook. The web package
// only receives the files and keeps them in Dir; the Loader runs the same ingest as the CLI.
type Loader interface {
	// UploadDir is the folder the received files are kept in (one sub-folder per upload), so
	// the names ingest records, and the rejects workbook shows, are real files the office keeps.
	UploadDir() string
	// Load ingests the files. It is called with no other request running (the server holds
	// every other request back meanwhile), so it may reopen the warehouse for writing.
	Load(ctx context.Context, paths []string, lang datasets.Lang) (*LoadResult, error)
	// ExportRejects writes the rejected rows of a batch (0: all) as the XLSX workbook of
	// `mingdeng rejects --format xlsx`.
	ExportRejects(ctx context.Context, batch int64, w io.Writer, lang datasets.Lang) error
}

// LoadResult is what the page shows after an upload: the CLI's per-file table, its notes,
// and which batches hold rejected rows.
type LoadResult struct {
	Table    *table.Table
	Notes    []string
	Errors   []string // files not loaded, each message naming its file
	Rejected int64
	Batches  []int64 // the batches with rejected rows
}

// maxUpload bounds one upload (all its files together).
const maxUpload = 512 << 20

// uploadHeader must be on every upload: a form on another site can post multipart data
// without a preflight, but not with a custom header, and this server grants no CORS.
const uploadHeader = "X-Mingdeng-Upload"

type uploadResponse struct {
	Columns  []table.Column    `json:"columns"`
	Rows     []json.RawMessage `json:"rows"`
	Notes    []string          `json:"notes"`
	Errors   []string          `json:"errors"`
	Rejected int64             `json:"rejected"`
	Batches  []int64           `json:"batches"`
	Millis   int64             `json:"elapsed_ms"`
}

func (s *server) upload(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	l, ok := s.b.(Loader)
	if !ok {
		writeError(w, http.StatusNotFound, "no_upload", datasets.T("此服务不能导入文件", "this server cannot load files").In(lang))
		return
	}
	if r.Header.Get(uploadHeader) != "1" {
		writeError(w, http.StatusForbidden, "upload_header", datasets.T("拒绝导入：请从本页面上传文件", "upload refused: upload files from this page").In(lang))
		return
	}
	// A large file over an office network takes longer than the server's read timeout.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(15 * time.Minute))
	rc.SetWriteDeadline(time.Now().Add(30 * time.Minute))
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", datasets.T("请求中没有文件（须为 multipart/form-data）", "the request holds no files (multipart/form-data expected)").In(lang))
		return
	}
	dir := filepath.Join(l.UploadDir(), time.Now().Format("20060102-150405.000"))
	paths, err := saveParts(mr, dir, maxUpload)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || errors.Is(err, errUploadTooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_big", datasets.T(
				fmt.Sprintf("上传的文件合计超过 %d MB；请分批上传，或用命令行 mingdeng ingest（先停止 serve）", maxUpload>>20),
				fmt.Sprintf("the files uploaded exceed %d MB together; upload them in parts, or stop serve and use mingdeng ingest", maxUpload>>20)).In(lang))
			return
		}
		writeError(w, http.StatusBadRequest, "bad_request", datasets.T("读取上传的文件失败：", "reading the uploaded files failed: ").In(lang)+err.Error())
		return
	}
	if len(paths) == 0 {
		writeError(w, http.StatusBadRequest, "no_files", datasets.T("没有选择文件", "no files chosen").In(lang))
		return
	}
	// Every other request waits while ingest has the warehouse (the upload itself was
	// received without the lock, so a slow upload holds nobody up).
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	res, err := l.Load(r.Context(), paths, lang)
	if err != nil {
		status, msg := s.failure(err, lang)
		if status == http.StatusBadRequest {
			status = http.StatusInternalServerError
		}
		writeError(w, status, reasonOf(err), msg)
		return
	}
	resp := uploadResponse{Columns: res.Table.Columns, Rows: jsonRows(r.Context(), res.Table), Notes: res.Notes, Errors: res.Errors,
		Rejected: res.Rejected, Batches: res.Batches, Millis: time.Since(start).Milliseconds()}
	if resp.Notes == nil {
		resp.Notes = []string{}
	}
	if resp.Errors == nil {
		resp.Errors = []string{}
	}
	if resp.Batches == nil {
		resp.Batches = []int64{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(resp)
}

var errUploadTooBig = errors.New("upload too big")

// saveParts writes each file part into dir under its own base name (recognition reads the
// file name), numbering repeats; the names come from the client, so only the base name is
// kept and it may not start with a dot.
func saveParts(mr *multipart.Reader, dir string, limit int64) ([]string, error) {
	var paths []string
	used := map[string]bool{}
	var total int64
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return paths, nil
		}
		if err != nil {
			return paths, err
		}
		name := safeName(p.FileName())
		if p.FormName() != "files" || name == "" {
			p.Close()
			continue
		}
		for i := 2; used[name]; i++ {
			ext := filepath.Ext(name)
			name = strings.TrimSuffix(name, ext) + "(" + strconv.Itoa(i) + ")" + ext
		}
		used[name] = true
		if len(paths) == 0 {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return paths, err
		}
		n, err := io.Copy(f, io.LimitReader(p, limit-total+1))
		total += n
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil && total > limit {
			err = errUploadTooBig
		}
		if err != nil {
			os.Remove(path)
			return paths, err
		}
		paths = append(paths, path)
	}
}

// safeName is the base name of a client's file name, or "" when nothing usable is left.
func safeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`<>:"|?*`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(name, ".")
	if name == "" || name == "/" {
		return ""
	}
	return name
}

// rejects downloads the fix-and-reimport workbook of one batch (?batch=N) or of all.
func (s *server) rejects(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	l, ok := s.b.(Loader)
	if !ok {
		http.Error(w, datasets.T("此服务不能导入文件", "this server cannot load files").In(lang), http.StatusNotFound)
		return
	}
	var batch int64
	if v := r.URL.Query().Get("batch"); v != "" {
		b, err := strconv.ParseInt(v, 10, 64)
		if err != nil || b < 0 {
			http.Error(w, datasets.T("batch 须为导入批次号", "batch must be a batch number").In(lang), http.StatusBadRequest)
			return
		}
		batch = b
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
	defer cancel()
	var buf bytes.Buffer
	if err := l.ExportRejects(ctx, batch, &buf, lang); err != nil {
		status, msg := s.failure(err, lang)
		http.Error(w, msg, status)
		return
	}
	name := datasets.T("拒绝记录", "rejects").In(lang)
	if batch > 0 {
		name += "-" + strconv.FormatInt(batch, 10)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", contentDisposition(name+".xlsx"))
	w.Write(buf.Bytes())
}

// contentDisposition names a download; the Chinese name goes in filename* (RFC 6266), an
// ASCII one beside it for old clients.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r > 0x7e || r < 0x20 || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, name)
	if strings.TrimSuffix(ascii, filepath.Ext(ascii)) == "" || strings.HasPrefix(ascii, "-") {
		ascii = "mingdeng" + ascii
	}
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + pathEscape(name)
}

func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// jsonRows encodes a table's rows as JSON arrays of cells, as /api/query sends them; it stops
// early (leaving the rest empty) once ctx is done.
func jsonRows(ctx context.Context, t *table.Table) []json.RawMessage {
	out := make([]json.RawMessage, len(t.Rows))
	for i, row := range t.Rows {
		if i%256 == 0 && ctx.Err() != nil {
			break
		}
		cells := make([]json.RawMessage, len(row))
		for j, v := range row {
			b, err := tabular.JSONValue(v)
			if err != nil {
				b = []byte("null")
			}
			cells[j] = b
		}
		out[i], _ = json.Marshal(cells)
	}
	return out
}

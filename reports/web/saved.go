package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mingdeng/mingdeng/datasets"
)

// Saved queries are the workbench's named SQL, kept as one NAME.sql file per query in a folder
// beside the warehouse (Config.SavedDir), so they survive a restart, can be copied to another
// office with the warehouse, and can be written by hand. The name is the title the page shows.

// savedExt is the extension of a saved query's file.
const savedExt = ".sql"

// maxSavedName bounds a query's name, in characters.
const maxSavedName = 60

// SavedQuery is one saved query.
type SavedQuery struct {
	Name     string    `json:"name"`
	SQL      string    `json:"sql"`
	Modified time.Time `json:"modified"`
}

// NameError is a saved query's name that cannot be a file name in the folder.
type NameError struct {
	Name string
	Text datasets.Text
}

func (e *NameError) Error() string      { return e.Message(datasets.En) }
func (e *NameError) ReasonCode() string { return "bad_name" }

// Message is the error in lang.
func (e *NameError) Message(lang datasets.Lang) string {
	return fmt.Sprintf(datasets.T("查询名称 %q 不可用：", "the query name %q cannot be used: ").In(lang), e.Name) + e.Text.In(lang)
}

// windowsReserved are names Windows gives to devices, whatever the extension.
var windowsReserved = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

// CheckSavedName accepts a name that is one plain file name on Windows and Linux alike: no
// separators or characters Windows refuses, no leading dot or trailing dot or space, not a
// device name, at most 60 characters. Chinese and other letters are fine.
func CheckSavedName(name string) error {
	bad := func(zh, en string) error { return &NameError{Name: name, Text: datasets.T(zh, en)} }
	switch {
	case strings.TrimSpace(name) == "":
		return bad("名称为空", "the name is empty")
	case !utf8.ValidString(name):
		return bad("名称不是有效的文字", "the name is not valid text")
	case utf8.RuneCountInString(name) > maxSavedName:
		return bad(fmt.Sprintf("名称最多 %d 个字", maxSavedName), fmt.Sprintf("at most %d characters", maxSavedName))
	case strings.ContainsAny(name, `/\:*?"<>|`) || strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) }) >= 0:
		return bad(`名称不能含有 / \ : * ? " < > | 或控制字符`, `a name may not hold / \ : * ? " < > | or control characters`)
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, " "):
		return bad("名称不能以点或空格开头", "a name may not start with a dot or a space")
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return bad("名称不能以点或空格结尾", "a name may not end with a dot or a space")
	case windowsReserved[strings.ToUpper(strings.SplitN(name, ".", 2)[0])]:
		return bad("这是 Windows 保留的设备名", "it is a device name Windows reserves")
	}
	return nil
}

// savedStore reads and writes the folder through an os.Root, so even a name the checks
// missed cannot reach outside it.
type savedStore struct{ dir string }

func (st savedStore) root(create bool) (*os.Root, error) {
	if create {
		if err := os.MkdirAll(st.dir, 0o755); err != nil {
			return nil, fmt.Errorf("create the saved-query folder: %w", err)
		}
	}
	return os.OpenRoot(st.dir)
}

// list reads every NAME.sql of the folder, by name; a missing folder is no queries.
func (st savedStore) list() ([]SavedQuery, error) {
	r, err := st.root(false)
	if errors.Is(err, fs.ErrNotExist) {
		return []SavedQuery{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	entries, err := fs.ReadDir(r.FS(), ".")
	if err != nil {
		return nil, err
	}
	out := []SavedQuery{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), savedExt)
		if !ok || !e.Type().IsRegular() || CheckSavedName(name) != nil {
			continue
		}
		b, err := fs.ReadFile(r.FS(), e.Name())
		if err != nil {
			return nil, err
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		out = append(out, SavedQuery{Name: name, SQL: string(b), Modified: info.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

var errSavedExists = errors.New("a saved query of that name exists")

// save writes the query, replacing one of the same name only when replace is set; the file is
// written beside and renamed, so a reader never sees half of it.
func (st savedStore) save(name, sql string, replace bool) error {
	if err := CheckSavedName(name); err != nil {
		return err
	}
	r, err := st.root(true)
	if err != nil {
		return err
	}
	defer r.Close()
	file := name + savedExt
	if _, err := r.Stat(file); err == nil && !replace {
		return errSavedExists
	}
	tmp := ".saving-" + fmt.Sprint(time.Now().UnixNano()) + savedExt
	if err := r.WriteFile(tmp, []byte(sql), 0o644); err != nil {
		return err
	}
	if err := r.Rename(tmp, file); err != nil {
		r.Remove(tmp)
		return err
	}
	return nil
}

func (st savedStore) remove(name string) error {
	if err := CheckSavedName(name); err != nil {
		return err
	}
	r, err := st.root(false)
	if err != nil {
		return err
	}
	defer r.Close()
	return r.Remove(name + savedExt)
}

type savedRequest struct {
	Name    string `json:"name"`
	SQL     string `json:"sql"`
	Replace bool   `json:"replace"`
}

func (s *server) savedStore(w http.ResponseWriter, lang datasets.Lang) (savedStore, bool) {
	if s.cfg.SavedDir == "" {
		writeError(w, http.StatusNotFound, "no_saved", datasets.T("此服务不保存查询", "this server keeps no saved queries").In(lang))
		return savedStore{}, false
	}
	return savedStore{dir: s.cfg.SavedDir}, true
}

// savedList answers GET /api/saved: every saved query with its SQL.
func (s *server) savedList(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	st, ok := s.savedStore(w, lang)
	if !ok {
		return
	}
	qs, err := st.list()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "error", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(map[string]any{"queries": qs})
}

// savedSave answers POST /api/saved {name, sql, replace}.
func (s *server) savedSave(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	st, ok := s.savedStore(w, lang)
	if !ok {
		return
	}
	var req savedRequest
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "content_type", datasets.T("请求须为 JSON", "the request must be JSON").In(lang))
		return
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil || strings.TrimSpace(req.SQL) == "" {
		writeError(w, http.StatusBadRequest, "bad_request", datasets.T("请求中没有 SQL 语句", "the request holds no SQL statement").In(lang))
		return
	}
	req.Name = strings.TrimSpace(req.Name)
	err := st.save(req.Name, req.SQL, req.Replace)
	var ne *NameError
	switch {
	case errors.As(err, &ne):
		writeError(w, http.StatusUnprocessableEntity, ne.ReasonCode(), ne.Message(lang))
		return
	case errors.Is(err, errSavedExists):
		writeError(w, http.StatusConflict, "exists", fmt.Sprintf(datasets.T("已有名为 %q 的查询", "a query named %q exists").In(lang), req.Name))
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, "error", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(map[string]string{"name": req.Name})
}

// savedDelete answers DELETE /api/saved?name=NAME.
func (s *server) savedDelete(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	st, ok := s.savedStore(w, lang)
	if !ok {
		return
	}
	name := r.URL.Query().Get("name")
	err := st.remove(name)
	var ne *NameError
	switch {
	case errors.As(err, &ne):
		writeError(w, http.StatusUnprocessableEntity, ne.ReasonCode(), ne.Message(lang))
		return
	case errors.Is(err, fs.ErrNotExist):
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf(datasets.T("没有名为 %q 的查询", "no query named %q").In(lang), name))
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, "error", err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

package build

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/queries/sqlscan"
	"github.com/mingdeng/mingdeng/reports"
)

// buildSpec parses a report spec, runs each of its sql blocks (one statement each, with the
// parameters it declares) and builds the report; the name is the spec's file stem.
func buildSpec(ctx context.Context, w *warehouse.Warehouse, req Request) (*Result, error) {
	if req.Spec == nil {
		return nil, requestErrorf("没有给出报告定义文件", "no report spec given")
	}
	file := filepath.Base(req.Spec.File)
	spec, err := reports.ParseSpec(req.Spec.Text)
	if err != nil {
		var se *reports.SpecError
		if errors.As(err, &se) {
			se.File = file
		}
		return nil, &RequestError{err}
	}
	given := map[string]string{}
	for _, p := range req.Spec.Params {
		k, v, ok := strings.Cut(p, "=")
		k = strings.TrimPrefix(strings.TrimSpace(k), "$")
		if !ok || k == "" {
			return nil, requestErrorf("--param %q 格式应为 名称=值", "--param %q: expected name=value", p)
		}
		if _, dup := given[k]; dup {
			return nil, requestErrorf("--param %s 重复给出", "--param %s given twice", k)
		}
		given[k] = v
	}
	used := map[string]bool{}
	for _, q := range spec.Queries {
		for _, p := range q.Params {
			used[p.Name] = true
		}
	}
	for k := range given {
		if !used[k] {
			return nil, requestErrorf("--param %s 没有被 %s 中的任何 sql 块使用（在 params= 中声明）", "--param %s is not used by any sql block of %s (declare it in params=)", k, file)
		}
	}
	t := func(zh, en string) string { return datasets.T(zh, en).In(req.Lang) }
	results := map[string]reports.SpecResult{}
	for _, q := range spec.Queries {
		stmt, err := SingleStatement(q.SQL)
		if err != nil {
			zh := err.Error()
			var de *datasets.Error
			if errors.As(err, &de) {
				zh = de.Message(datasets.Zh)
			}
			return nil, &RequestError{&reports.SpecError{File: file, Line: q.Line, Zh: q.Name + "：" + zh, En: q.Name + ": " + err.Error()}}
		}
		var pairs, cmdArgs []string
		for _, p := range q.Params {
			v, ok := given[p.Name]
			if !ok && !p.HasDefault {
				return nil, &RequestError{&reports.SpecError{File: file, Line: q.Line,
					Zh: fmt.Sprintf("sql 块 %s 需要参数 %s：请用 --param %s=… 给出，或在 params= 中写默认值", q.Name, p.Name, p.Name),
					En: fmt.Sprintf("sql block %s needs parameter %s: give --param %s=… or a default in params=", q.Name, p.Name, p.Name)}}
			}
			if !ok {
				v = p.Default
			}
			pairs = append(pairs, p.Name+"="+v)
			cmdArgs = append(cmdArgs, "--param "+shellWord(p.Name+"="+v))
		}
		bound, err := BindParams(pairs)
		if err != nil {
			return nil, &RequestError{err}
		}
		rows, err := w.DB().QueryContext(ctx, stmt, bound...)
		if err != nil {
			return nil, fmt.Errorf(t("%s 第 %d 行 sql 块 %s：%w", "%s line %d, sql block %s: %w"), file, q.Line, q.Name, err)
		}
		tb, err := queries.Collect(rows, 0)
		if err != nil {
			return nil, fmt.Errorf(t("%s 第 %d 行 sql 块 %s：%w", "%s line %d, sql block %s: %w"), file, q.Line, q.Name, err)
		}
		results[q.Name] = reports.SpecResult{Table: tb, Src: reports.Source{Query: q.Name, Params: strings.Join(pairs, " "),
			Command: strings.TrimSpace("mingdeng sql " + shellWord(stmt) + " " + strings.Join(cmdArgs, " "))}}
	}
	meta := []reports.KV{{Key: t("报告定义", "Spec"), Value: file}}
	if len(given) > 0 {
		meta = append(meta, reports.KV{Key: t("参数", "Parameters"), Value: strings.Join(req.Spec.Params, " ")})
	}
	meta = append(meta, reports.KV{Key: t("生成时间", "Generated"), Value: req.Generated.Format("2006-01-02 15:04")},
		reports.KV{Key: t("数据仓库", "Warehouse"), Value: filepath.Base(w.Path())})
	name := strings.TrimSuffix(file, filepath.Ext(file))
	rep, err := reports.BuildSpecReport(spec, name, results, meta, req.Lang)
	if err != nil {
		var se *reports.SpecError
		if errors.As(err, &se) {
			se.File = file
			return nil, &RequestError{err}
		}
		return nil, err
	}
	if req.Lang == datasets.En {
		name += "-en"
	}
	return &Result{Report: rep, Name: name}, nil
}

// SingleStatement refuses text with more than one statement: DuckDB's driver would run all
// but the last while preparing, without returning their results or errors in order.
func SingleStatement(text string) (string, error) {
	stmts, _ := sqlscan.Split(text)
	switch len(stmts) {
	case 0:
		return "", datasets.Errorf("没有找到语句（只有注释）", "no statement found (only comments)")
	case 1:
		return stmts[0].Text, nil
	}
	return "", datasets.Errorf("一次只能执行一条语句：发现 %d 条（第二条从第 %d 行开始）；请分开执行，或使用交互式命令行 mingdeng sql",
		"one statement at a time: found %d (the second starts on line %d); run them separately or use the shell (mingdeng sql)", len(stmts), stmts[1].Line)
}

// BindParams turns name=value pairs (--param) into named arguments. Values that read as
// integers, decimals or true/false are bound with that type so comparisons with typed columns
// work.
func BindParams(pairs []string) ([]any, error) {
	var out []any
	seen := map[string]bool{}
	for _, p := range pairs {
		name, value, ok := strings.Cut(p, "=")
		name = strings.TrimPrefix(strings.TrimSpace(name), "$")
		if !ok || name == "" {
			return nil, datasets.Errorf("--param %q 格式应为 名称=值", "--param %q: expected name=value", p)
		}
		if seen[name] {
			return nil, datasets.Errorf("--param %s 重复给出", "--param %s given twice", name)
		}
		seen[name] = true
		var v any = value
		if i, err := strconv.ParseInt(value, 10, 64); err == nil {
			v = i
		} else if f, err := strconv.ParseFloat(value, 64); err == nil {
			v = f
		} else if b, err := strconv.ParseBool(value); err == nil && (value == "true" || value == "false") {
			v = b
		}
		out = append(out, sql.Named(name, v))
	}
	return out, nil
}

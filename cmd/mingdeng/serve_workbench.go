package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/queries"
	"github.com/mingdeng/mingdeng/reports/web"
)

// savedQueriesDir is the folder of the workbench's saved queries: beside the warehouse, named
// after its file, so the queries travel with the warehouse they were written for.
func savedQueriesDir(dbPath string) string { return dbPath + ".queries" }

// Schema lists what the page's queries may read (web.SchemaLister): the metric views first,
// then every table the guard allows, with the contracts' names and descriptions of their
// columns in lang; the person-level tables are named as closed.
func (b *webBackend) Schema(ctx context.Context, lang datasets.Lang) (*web.Schema, error) {
	sc := &web.Schema{}
	for _, v := range queries.MetricViews {
		if !b.policy.Tables[v.Name] {
			continue
		}
		cols, err := b.viewColumns(ctx, v.Name)
		if err != nil {
			return nil, err
		}
		t := web.SchemaTable{Name: v.Name, Label: v.Label.In(lang), Description: v.Description.In(lang), View: true}
		for _, c := range cols {
			t.Columns = append(t.Columns, web.SchemaColumn{Name: c[0], Type: c[1], Label: queries.ColumnLabel(c[0], lang)})
		}
		sc.Tables = append(sc.Tables, t)
	}
	sep := datasets.T("、", ", ").In(lang)
	for _, c := range datasets.All() {
		if c.PersonLevel {
			sc.Closed = append(sc.Closed, c.Name+datasets.T("（", " (").In(lang)+c.Label.In(lang)+datasets.T("）", ")").In(lang))
			continue
		}
		if !b.policy.Tables[c.Name] {
			continue
		}
		t := web.SchemaTable{Name: c.Name, Label: c.Label.In(lang), Description: c.Description.In(lang)}
		for _, col := range c.Columns {
			desc := col.Description.In(lang)
			if len(col.Values) > 0 {
				// The stored codes are what a WHERE compares with.
				var vs []string
				for _, v := range col.Values {
					vs = append(vs, v.Code+" "+v.Label.In(lang))
				}
				desc = strings.TrimSpace(desc + " " + datasets.T("取值：", "values: ").In(lang) + strings.Join(vs, sep))
			}
			t.Columns = append(t.Columns, web.SchemaColumn{Name: col.Name, Label: col.Label.In(lang), Description: desc,
				Type: col.Type.SQLType(), Unit: col.Unit.In(lang)})
		}
		t.Columns = append(t.Columns,
			web.SchemaColumn{Name: datasets.BatchIDColumn, Type: "BIGINT", Label: datasets.T("导入批次", "load batch").In(lang),
				Description: datasets.T("导入这一行的批次（mingdeng status 列出各批次的文件）", "the batch that loaded the row (mingdeng status lists each batch's file)").In(lang)},
			web.SchemaColumn{Name: datasets.SourceRowColumn, Type: "BIGINT", Label: datasets.T("源文件行号", "source row").In(lang),
				Description: datasets.T("这一行在源文件中的行号（与表格软件显示的一致）", "the row's number in its source file, as a spreadsheet shows it").In(lang)})
		sc.Tables = append(sc.Tables, t)
	}
	if b.policy.Tables["_labels"] {
		sc.Tables = append(sc.Tables, web.SchemaTable{Name: "_labels", Label: datasets.T("代码对照", "Code labels").In(lang),
			Description: datasets.T("各数据集枚举列的代码及其中英文名称，可与表连接显示名称。", "Each enum column's codes with their Chinese and English labels, to join for names.").In(lang),
			Columns: []web.SchemaColumn{
				{Name: "dataset", Type: "VARCHAR", Label: datasets.T("数据集", "dataset").In(lang)},
				{Name: "column_name", Type: "VARCHAR", Label: datasets.T("列名", "column").In(lang)},
				{Name: "code", Type: "VARCHAR", Label: datasets.T("代码", "code").In(lang)},
				{Name: "label_zh", Type: "VARCHAR", Label: datasets.T("中文名称", "Chinese label").In(lang)},
				{Name: "label_en", Type: "VARCHAR", Label: datasets.T("英文名称", "English label").In(lang)},
			}})
	}
	return sc, nil
}

// viewColumns are a view's columns and types, as DuckDB describes them.
func (b *webBackend) viewColumns(ctx context.Context, view string) ([][2]string, error) {
	rows, err := b.w.DB().QueryContext(ctx, "DESCRIBE "+view)
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", view, err)
	}
	t, err := queries.Collect(rows, 0)
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", view, err)
	}
	names, err := t.Strings("column_name")
	if err != nil {
		return nil, err
	}
	types, err := t.Strings("column_type")
	if err != nil {
		return nil, err
	}
	out := make([][2]string, len(names))
	for i := range names {
		out[i] = [2]string{names[i], types[i]}
	}
	return out, nil
}

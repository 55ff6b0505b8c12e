package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/internal/workbook"
	"github.com/mingdeng/mingdeng/queries/table"
)

// Reject is one refused row as _rejects holds it.
type Reject struct {
	BatchID  int64           `json:"batch_id"`
	Dataset  string          `json:"dataset"`
	Path     string          `json:"path"`
	Sheet    string          `json:"sheet,omitempty"`
	Row      int64           `json:"row"`
	Column   string          `json:"column,omitempty"`
	Value    string          `json:"value,omitempty"`
	Code     string          `json:"reason_code"`
	ReasonZh string          `json:"reason_zh"`
	ReasonEn string          `json:"reason_en"`
	RowData  json.RawMessage `json:"row_data"`
}

// ListRejects returns the refused rows of one batch (batch 0: every batch), in file order;
// limit 0 means all.
func ListRejects(ctx context.Context, db *sql.DB, batch int64, limit int) ([]Reject, error) {
	q := `SELECT batch_id, dataset, path, coalesce(sheet, ''), source_row, coalesce(column_name, ''), coalesce(raw_value, ''), reason_code,
		reason_zh, reason_en, coalesce(CAST(row_data AS VARCHAR), '{}') FROM _rejects WHERE (? = 0 OR batch_id = ?) ORDER BY batch_id, source_row`
	args := []any{batch, batch}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Reject{}
	for rows.Next() {
		var r Reject
		var data string
		if err := rows.Scan(&r.BatchID, &r.Dataset, &r.Path, &r.Sheet, &r.Row, &r.Column, &r.Value, &r.Code, &r.ReasonZh, &r.ReasonEn, &data); err != nil {
			return nil, err
		}
		r.RowData = json.RawMessage(data)
		out = append(out, r)
	}
	return out, rows.Err()
}

// RejectsTable lays rejects out for text, CSV or Markdown output, reasons in lang.
func RejectsTable(rs []Reject, lang datasets.Lang) *table.Table {
	t := func(zh, en string) string { return datasets.T(zh, en).In(lang) }
	tb := &table.Table{Columns: []table.Column{
		{Name: t("批次", "batch"), Type: table.Integer},
		{Name: t("文件", "file"), Type: table.Text},
		{Name: t("工作表", "sheet"), Type: table.Text},
		{Name: t("行", "row"), Type: table.Integer},
		{Name: t("列", "column"), Type: table.Text},
		{Name: t("原值", "value"), Type: table.Text},
		{Name: t("原因", "reason"), Type: table.Text},
	}}
	for _, r := range rs {
		reason := r.ReasonZh
		if lang == datasets.En {
			reason = r.ReasonEn
		}
		tb.Rows = append(tb.Rows, []any{r.BatchID, r.Path, r.Sheet, r.Row, r.Column, r.Value, reason})
	}
	return tb
}

// orderedKeys lists the keys of a JSON object in the order written.
func orderedKeys(raw []byte) ([]string, map[string]string) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	vals := map[string]string{}
	var keys []string
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, vals
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		k, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		keys = append(keys, k)
		switch x := v.(type) {
		case nil:
		case string:
			vals[k] = x
		default:
			b, _ := json.Marshal(x)
			vals[k] = string(b)
		}
	}
	return keys, vals
}

// ExportRejects writes the refused rows of a batch (0: all) as a workbook: one sheet per
// dataset with the file's original columns, then the reason, the source file and its row. The
// sheet can be corrected and loaded again; the extra columns are ignored by ingest.
func ExportRejects(ctx context.Context, db *sql.DB, batch int64, w io.Writer, lang datasets.Lang) error {
	rs, err := ListRejects(ctx, db, batch, 0)
	if err != nil {
		return err
	}
	f := workbook.NewFile()
	defer f.Close()
	// Sheets are named by the dataset's label, or its code when the contracts no longer know it:
	// the namer keeps each within Excel's rules and apart from the others.
	namer := workbook.NewSheetNamer()
	type sheet struct {
		name string
		cols []string
		seen map[string]bool
		rows []Reject
	}
	var order []string
	sheets := map[string]*sheet{}
	for _, r := range rs {
		s, ok := sheets[r.Dataset]
		if !ok {
			name := r.Dataset
			if c, err := datasets.Lookup(r.Dataset); err == nil {
				name = c.Label.In(lang)
			}
			s = &sheet{name: namer.Name(name), seen: map[string]bool{}}
			sheets[r.Dataset] = s
			order = append(order, r.Dataset)
		}
		keys, _ := orderedKeys(r.RowData)
		for _, k := range keys {
			if !s.seen[k] {
				s.seen[k] = true
				s.cols = append(s.cols, k)
			}
		}
		s.rows = append(s.rows, r)
	}
	if len(order) == 0 {
		order = append(order, "")
		sheets[""] = &sheet{name: namer.Name(datasets.T("被拒绝的行", "Rejects").In(lang))}
	}
	extra := []string{datasets.T("拒绝原因", "Reject reason").In(lang), datasets.T("来源文件", "Source file").In(lang), datasets.T("原行号", "Source row").In(lang)}
	for i, ds := range order {
		s := sheets[ds]
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			return err
		}
		header := make([]any, 0, len(s.cols)+len(extra))
		for _, c := range append(append([]string{}, s.cols...), extra...) {
			header = append(header, c)
		}
		if err := sw.SetRow("A1", header); err != nil {
			return err
		}
		for j, r := range s.rows {
			_, vals := orderedKeys(r.RowData)
			row := make([]any, 0, len(header))
			for _, c := range s.cols {
				if v, ok := vals[c]; ok {
					row = append(row, excelize.Cell{Value: v})
				} else {
					row = append(row, nil)
				}
			}
			reason := r.ReasonZh
			if lang == datasets.En {
				reason = r.ReasonEn
			}
			src := r.Path
			if r.Sheet != "" {
				src += " [" + r.Sheet + "]"
			}
			row = append(row, excelize.Cell{Value: reason}, excelize.Cell{Value: src}, r.Row)
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("rejects sheet %s: %w", s.name, err)
		}
	}
	_, err = f.WriteTo(w)
	return err
}

package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

func noHeaderText() datasets.Text {
	return datasets.T("在文件开头找不到表头行（没有一行能对应到任何数据集的列名）；请检查表头，或用 --dataset 指定数据集",
		"no header row found near the top of the file (no row names the columns of any dataset); check the headers, or give --dataset")
}

// readErrorText says why a file could not be read in the user's words. The reader's own text
// (DuckDB's English, which may quote a source line holding names or ID numbers) stays in the
// wrapped error for developers and never reaches the message.
func readErrorText(err error) datasets.Text {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return datasets.T("文件不存在，或在读取时被移走", "the file does not exist, or was moved while it was read")
	case errors.Is(err, fs.ErrPermission):
		return datasets.T("没有读取这个文件的权限", "no permission to read the file")
	}
	return datasets.T("无法读取文件：文件已损坏，或内容与其格式（扩展名）不符；请用 Excel/WPS 打开后另存为 .xlsx 或 .csv 再导入",
		"cannot read the file: it is damaged, or its content does not match its format (extension); open it in Excel or WPS and save it as .xlsx or .csv")
}

// csvReadErrorText is readErrorText for DuckDB's CSV reader, naming the cause it can tell.
func csvReadErrorText(err error) datasets.Text {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "utf-8") || strings.Contains(msg, "unicode"):
		return datasets.T("文件中有不合法的 UTF-8 字节，未导入（请确认文件编码，或用 --encoding 指定 utf8 / gb18030）",
			"the file has bytes that are not valid UTF-8: not loaded (check its encoding, or give --encoding utf8 or gb18030)")
	case strings.Contains(msg, "line size") || strings.Contains(msg, "maximum line"):
		return datasets.T(fmt.Sprintf("文件中有一行超过 %d MiB 的上限，未导入", maxLineSize>>20),
			fmt.Sprintf("a row of the file is longer than the %d MiB limit: not loaded", maxLineSize>>20))
	case strings.Contains(msg, "quote"):
		return datasets.T("文件中的引号不成对，无法按 CSV 读取，未导入；请检查以双引号开头的值是否有结束引号",
			"the file's quotes do not pair up, so it cannot be read as CSV: not loaded; check that every value opened with a double quote is closed")
	}
	return readErrorText(err)
}

func formatError(path string, head []byte) error {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".ods", ".fods", ".xlsb", ".numbers", ".et", ".ett":
		return &FileError{Kind: ErrFormat, File: path, Text: datasets.T(
			fmt.Sprintf("这是 %s 格式的表格，无法直接读取：请在 Excel/WPS/LibreOffice 中打开，另存为 .xlsx 后再导入", ext),
			fmt.Sprintf("this is a %s spreadsheet, which cannot be read directly: open it in Excel, WPS or LibreOffice and save it as .xlsx", ext))}
	}
	if len(head) >= 4 && string(head[:4]) == "\xd0\xcf\x11\xe0" {
		return &FileError{Kind: ErrFormat, File: path, Text: datasets.T(
			"这是旧版 Excel（.xls）或加密的工作簿，无法读取：请在 Excel/WPS 中打开，另存为 .xlsx（不设密码）后再导入",
			"this is an old Excel .xls or an encrypted workbook, which cannot be read: save it as .xlsx (without a password)")}
	}
	return &FileError{Kind: ErrFormat, File: path, Text: datasets.T(
		"不支持的文件格式（支持 CSV/TSV、XLSX、JSON、NDJSON、Parquet）",
		"unsupported file format (CSV/TSV, XLSX, JSON, NDJSON and Parquet are supported)")}
}

func unknownDatasetError(file string, p *part, forced string) error {
	found := joinNames(trimmed(p.headers))
	// A file that names several columns of one dataset but lacks a required one is that
	// dataset with columns missing.
	var best *Mapping
	bestScore := 0
	for _, c := range datasets.All() {
		m := indexes[c.Name].match(p.headers)
		score := 2 * len(m.Source)
		for _, h := range c.FileHints {
			if strings.Contains(strings.ToLower(file), strings.ToLower(h)) {
				score++
				break
			}
		}
		if score > bestScore && len(m.Source) > 0 {
			best, bestScore = m, score
		} else if score == bestScore {
			best = nil
		}
	}
	if best != nil && bestScore >= 3 {
		if miss := best.missingRequired(); len(miss) > 0 {
			return missingColumnsError(file, p, best, miss)
		}
	}
	all := rank(p.headers, file)
	cands := strong(all)
	if len(cands) > 1 && cands[0].score == cands[1].score {
		var zh, en []string
		for _, c := range cands {
			if c.score == cands[0].score {
				zh = append(zh, "“"+c.mapping.Contract.Label.Zh+"”（"+c.mapping.Contract.Name+"）")
				en = append(en, c.mapping.Contract.Label.En+" ("+c.mapping.Contract.Name+")")
			}
		}
		name := cands[0].mapping.Contract.Name
		return &FileError{Kind: ErrUnknownDataset, File: file, Sheet: p.sheet, Text: datasets.T(
			fmt.Sprintf("无法确定文件属于哪个数据集：表头同样符合 %s；请用 --dataset 指定其一，例如 --dataset %s", strings.Join(zh, "、"), name),
			fmt.Sprintf("cannot tell which dataset the file holds: its headers fit %s equally; name one with --dataset, e.g. --dataset %s", strings.Join(en, ", "), name))}
	}
	if len(cands) == 0 {
		var weak []candidate
		for _, c := range all {
			if c.weak {
				weak = append(weak, c)
			}
		}
		if len(weak) > 0 {
			var zh, en, matched []string
			for _, c := range weak {
				zh = append(zh, "“"+c.mapping.Contract.Label.Zh+"”（--dataset "+c.mapping.Contract.Name+"）")
				en = append(en, c.mapping.Contract.Label.En+" (--dataset "+c.mapping.Contract.Name+")")
			}
			for i, h := range p.headers {
				for _, j := range weak[0].mapping.Source {
					if j == i {
						matched = append(matched, strings.TrimSpace(h))
					}
				}
			}
			return &FileError{Kind: ErrUnknownDataset, File: file, Sheet: p.sheet, Text: datasets.T(
				fmt.Sprintf("无法认定文件属于哪个数据集：表头中与数据集相符的只有 %s，工资表、通讯录等文件也有这些列，不足以认定；候选：%s；如确属其一，请用 --dataset 指定（其余列：%s）",
					strings.Join(matched, "、"), strings.Join(zh, "、"), orNone(trimmed(weak[0].mapping.Unknown), "、", "无")),
				fmt.Sprintf("cannot tell which dataset the file holds: the only headers that match are %s, which payroll and contact lists carry too; candidates: %s; if it is one of them, name it with --dataset (other columns: %s)",
					strings.Join(matched, ", "), strings.Join(en, ", "), orNone(trimmed(weak[0].mapping.Unknown), ", ", "none")))}
		}
	}
	return &FileError{Kind: ErrUnknownDataset, File: file, Sheet: p.sheet, Text: datasets.T(
		"无法识别文件属于哪个数据集；找到的表头："+found+"（用 mingdeng datasets 查看各数据集的列，或用 --dataset 指定）",
		"cannot tell which dataset the file holds; headers found: "+found+" (see mingdeng datasets for the columns, or give --dataset)")}
}

// orNone joins names with sep, or says none.
func orNone(names []string, sep, none string) string {
	if len(names) == 0 {
		return none
	}
	return strings.Join(names, sep)
}

func missingColumnsError(file string, p *part, m *Mapping, miss []string) error {
	var zh, en []string
	for _, name := range miss {
		col, _ := m.Contract.Column(name)
		zh = append(zh, col.Label.Zh)
		en = append(en, col.Label.En+" ("+name+")")
	}
	found := joinNames(trimmed(p.headers))
	return &FileError{Kind: ErrMissingColumns, File: file, Sheet: p.sheet, Text: datasets.T(
		fmt.Sprintf("作为“%s”缺少必填列：%s；文件中的表头：%s", m.Contract.Label.Zh, strings.Join(zh, "、"), found),
		fmt.Sprintf("as %s, required columns are missing: %s; headers in the file: %s", m.Contract.Label.En, strings.Join(en, ", "), found))}
}

func trimmed(hs []string) []string {
	var out []string
	for _, h := range hs {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

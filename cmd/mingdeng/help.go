package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/reports/tabular"
)

// The flag lists of --help. pflag writes a value's placeholder as its Go type (--db string,
// --year int) and aligns the descriptions by bytes, so Chinese placeholders would push them
// out of line; flagUsages names each value by what it is (--db 文件, --from 日期; --db file in
// English) and aligns by display width. A backquoted word in a flag's usage still names its
// placeholder, as in pflag.

// placeholders name a flag's value by the flag's name, in Chinese and English.
var placeholders = map[string]datasets.Text{
	"activity": datasets.T("指标", "metrics"), "outcome": datasets.T("指标", "metrics"),
	"addr": datasets.T("地址", "addr"), "allow-host": datasets.T("主机名", "host"),
	"batch": datasets.T("批次号", "batch"), "dataset": datasets.T("数据集", "dataset"),
	"config": datasets.T("文件", "file"), "db": datasets.T("文件", "file"), "file": datasets.T("文件", "file"), "spec": datasets.T("文件", "file"),
	"each": datasets.T("范围", "scope"), "encoding": datasets.T("编码", "encoding"), "format": datasets.T("格式", "format"),
	"from": datasets.T("日期", "date"), "to": datasets.T("日期", "date"),
	"group": datasets.T("党小组", "group"), "unit": datasets.T("单位", "unit"),
	"headers": datasets.T("表头", "headers"), "lag": datasets.T("期数", "lags"), "lang": datasets.T("语言", "lang"),
	"last": datasets.T("个数", "n"), "limit": datasets.T("行数", "n"), "max-rows": datasets.T("行数", "n"),
	"max-reply-bytes": datasets.T("字节数", "bytes"), "memory-bound": datasets.T("字节数", "bytes"),
	"out": datasets.T("路径", "path"), "param": datasets.T("名称=值", "name=value"), "period": datasets.T("粒度", "grain"),
	"scale": datasets.T("规模", "scale"), "seed": datasets.T("整数", "n"), "series": datasets.T("列", "column"),
	"x": datasets.T("列", "column"), "y": datasets.T("列", "column"), "sheet": datasets.T("工作表", "sheet"),
	"sql": datasets.T("查询语句", "query"), "timeout": datasets.T("时长", "time"), "title": datasets.T("标题", "title"),
	"type": datasets.T("图表类型", "type"), "year": datasets.T("年份", "year"),
}

// typePlaceholders name the value of a flag not in placeholders by its type.
var typePlaceholders = map[string]datasets.Text{
	"string": datasets.T("文本", "text"), "stringArray": datasets.T("文本", "text"), "stringSlice": datasets.T("列表", "list"),
	"int": datasets.T("整数", "n"), "int64": datasets.T("整数", "n"), "uint": datasets.T("整数", "n"),
	"float64": datasets.T("数值", "number"), "duration": datasets.T("时长", "time"),
}

// placeholder is the word that stands for f's value in the help ("" for a switch).
func placeholder(f *pflag.Flag, lang datasets.Lang) string {
	name, _ := pflag.UnquoteUsage(f)
	if name == "" || strings.Contains(f.Usage, "`") {
		return name // a switch, or a placeholder the usage names itself
	}
	if p, ok := placeholders[f.Name]; ok {
		return p.In(lang)
	}
	if p, ok := typePlaceholders[f.Value.Type()]; ok {
		return p.In(lang)
	}
	return name
}

// zeroDefaults are the defaults pflag leaves unsaid.
var zeroDefaults = map[string]bool{"": true, "0": true, "false": true, "[]": true, "0s": true, "<nil>": true}

// flagUsages is the flag list of a help page in lang, as pflag lays it out: the flag and its
// placeholder, then the description and a non-zero default, the descriptions in one column.
func flagUsages(fs *pflag.FlagSet, lang string) string {
	l := datasets.Lang(lang)
	type line struct{ left, right string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		if p := placeholder(f, l); p != "" {
			left += " " + p
		}
		_, usage := pflag.UnquoteUsage(f)
		if !zeroDefaults[f.DefValue] {
			def := f.DefValue
			if f.Value.Type() == "string" {
				def = fmt.Sprintf("%q", def)
			}
			usage += datasets.T("（默认 "+def+"）", " (default "+def+")").In(l)
		}
		lines = append(lines, line{left, usage})
		width = max(width, tabular.DisplayWidth(left))
	})
	var b strings.Builder
	for _, ln := range lines {
		b.WriteString(ln.left + strings.Repeat(" ", width-tabular.DisplayWidth(ln.left)+3) + ln.right + "\n")
	}
	return strings.TrimRight(b.String(), " \n")
}

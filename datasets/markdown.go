package datasets

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the dataset reference (docs/datasets.md) in lang: every contract with its
// columns, types, rules and the headers real files may carry.
func WriteMarkdown(w io.Writer, contracts []Contract, lang Lang) error {
	var b strings.Builder
	l := func(zh, en string) string { return T(zh, en).In(lang) }
	fmt.Fprintf(&b, "# %s\n\n", l("数据集参考", "Dataset reference"))
	fmt.Fprintf(&b, "%s\n\n", l("本文件由数据契约自动生成（`mingdeng datasets --markdown`），请勿手工编辑。",
		"Generated from the dataset contracts (`mingdeng datasets --markdown`); do not edit by hand."))
	group := Group(0)
	for _, c := range contracts {
		if c.Group != group {
			group = c.Group
			fmt.Fprintf(&b, "## %s\n\n", group.Label().In(lang))
		}
		fmt.Fprintf(&b, "### %s `%s`\n\n%s\n\n", c.Label.In(lang), c.Name, c.Description.In(lang))
		fmt.Fprintf(&b, "- %s: %s\n", l("自然键", "Natural key"), codeList(c.Key))
		if c.PersonLevel {
			fmt.Fprintf(&b, "- %s\n", l("个人层面数据：网页查询不可读取，报告中只以汇总形式出现。", "Person-level data: not readable from web queries; reports show it only aggregated."))
		}
		for _, r := range c.Refs {
			byName := ""
			if r.NameColumn != "" {
				byName = l("（也可按名称填写）", " (or by name)")
			}
			fmt.Fprintf(&b, "- %s: %s → `%s`%s%s\n", l("引用", "Reference"), codeList(r.Columns), r.Dataset, codeList(r.To), byName)
		}
		for _, ch := range c.Checks {
			fmt.Fprintf(&b, "- %s: %s (`%s`)\n", l("检查", "Check"), ch.Message.In(lang), ch.SQL)
		}
		fmt.Fprintf(&b, "\n| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n",
			l("列", "Column"), l("名称", "Name"), l("类型", "Type"), l("必填", "Required"), l("规则", "Rules"), l("可识别的表头", "Headers recognised"))
		for _, col := range c.Columns {
			req := ""
			if col.Required {
				req = l("是", "yes")
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", col.Name, col.Label.In(lang), col.Type, req,
				escapeCell(strings.Join(col.Rules(lang), "; ")), escapeCell(strings.Join(col.Headers(), ", ")))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Headers lists every header that names this column: its own name, labels and aliases.
func (c *Column) Headers() []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range append([]string{c.Name, c.Label.Zh, c.Label.En}, c.Aliases...) {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// Rules describes the column's unit, range, allowed values, pattern and privacy treatment.
func (c *Column) Rules(lang Lang) []string {
	l := func(zh, en string) string { return T(zh, en).In(lang) }
	var rules []string
	if c.Unit.Zh != "" {
		rules = append(rules, l("单位 ", "unit ")+c.Unit.In(lang))
	}
	switch {
	case c.Range.Min != nil && c.Range.Max != nil:
		rules = append(rules, fmt.Sprintf("%g–%g", *c.Range.Min, *c.Range.Max))
	case c.Range.Min != nil:
		rules = append(rules, fmt.Sprintf("≥ %g", *c.Range.Min))
	case c.Range.Max != nil:
		rules = append(rules, fmt.Sprintf("≤ %g", *c.Range.Max))
	}
	if len(c.Values) > 0 {
		vals := make([]string, len(c.Values))
		for i, v := range c.Values {
			vals[i] = fmt.Sprintf("`%s` %s", v.Code, v.Label.In(lang))
		}
		rules = append(rules, l("取值 ", "one of ")+strings.Join(vals, ", "))
	}
	if c.Pattern != "" {
		rules = append(rules, l("格式 ", "pattern ")+"`"+c.Pattern+"`")
	}
	if c.Personal != NotPersonal {
		rules = append(rules, l("入库时化名", "pseudonymised on ingest"))
	}
	if c.Description.Zh != "" {
		rules = append(rules, c.Description.In(lang))
	}
	return rules
}

func codeList(names []string) string {
	return "`" + strings.Join(names, "`, `") + "`"
}

func escapeCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/mingdeng/mingdeng/datasets"
)

// escBraces makes constant text safe inside a DuckDB format() template.
func escBraces(s string) string {
	return strings.NewReplacer("{", "{{", "}", "}}").Replace(s)
}

// reasonTemplates are the reject reasons of one mapping, per column and code, in both
// languages, with the file's own header of the column; {0} is the raw value, {1} extra
// information (candidates, the earlier row, a converted value).
func reasonTemplates(m *Mapping) [][5]string {
	c := m.Contract
	var out [][5]string
	hdr := ""
	add := func(col, code, zh, en string) { out = append(out, [5]string{col, code, zh, en, hdr}) }
	for _, col := range c.Columns {
		i, ok := m.Source[col.Name]
		if !ok {
			continue
		}
		hdr = strings.TrimSpace(m.Headers[i])
		nameZh, nameEn := "“"+escBraces(hdr)+"”", "\""+escBraces(hdr)+"\""
		if NormalizeHeader(hdr) != NormalizeHeader(col.Label.Zh) {
			nameZh += "（" + escBraces(col.Label.Zh) + "）"
		}
		if NormalizeHeader(hdr) != NormalizeHeader(col.Label.En) {
			nameEn += " (" + escBraces(col.Label.En) + ")"
		}
		conv, converted := m.Units[col.Name]
		if converted {
			f := strconv.FormatFloat(conv.Factor, 'g', -1, 64)
			nameZh += "（按 1 " + escBraces(conv.From) + " = " + f + " " + escBraces(conv.To) + "换算）"
			nameEn += " (converted at 1 " + escBraces(conv.From) + " = " + f + " " + escBraces(conv.To) + ")"
		}
		v := "“{0}”"
		ve := "\"{0}\""
		add(col.Name, "missing_required", "必填列"+nameZh+"为空", "required column "+nameEn+" is empty")
		add(col.Name, "bad_date", nameZh+"的值"+v+"不是有效日期，应为如 2024-03-05、2024/3/5 或 2024年3月5日 的日期（1900–2100 年）",
			nameEn+": "+ve+" is not a valid date; expected a date such as 2024-03-05 (years 1900-2100)")
		add(col.Name, "bad_number", nameZh+"的值"+v+"不是数字", nameEn+": "+ve+" is not a number")
		if converted {
			add(col.Name, "bad_integer", nameZh+"的值"+v+"换算后为 {1} "+escBraces(conv.To)+"，不是整数", nameEn+": "+ve+" is {1} "+escBraces(conv.To)+" when converted, not a whole number")
		} else {
			add(col.Name, "bad_integer", nameZh+"的值"+v+"不是整数", nameEn+": "+ve+" is not a whole number")
		}
		add(col.Name, "bad_bool", nameZh+"的值"+v+"应为“是”或“否”", nameEn+": "+ve+" is not yes or no (是/否)")
		if col.Type == datasets.TypeEnum {
			var zh, en []string
			for _, val := range col.Values {
				zh = append(zh, val.Label.Zh)
				en = append(en, val.Label.En)
			}
			add(col.Name, "bad_enum", nameZh+"的值"+v+"不是允许的取值（"+escBraces(strings.Join(zh, "、"))+"）",
				nameEn+": "+ve+" is not one of the allowed values ("+escBraces(strings.Join(en, ", "))+")")
		}
		rz, re := rangeText(col.Range)
		if converted {
			rz, re = "换算后为 {1} "+escBraces(conv.To)+"，"+rz, "{1} "+escBraces(conv.To)+" when converted; "+re
		}
		add(col.Name, "out_of_range", nameZh+"的值"+v+"超出允许范围（"+rz+"）", nameEn+": "+ve+" is out of range ("+re+")")
		// The expected form in words (the column's description), never the pattern itself.
		add(col.Name, "bad_pattern", nameZh+"的值"+v+"格式不符："+escBraces(col.Description.Zh), nameEn+": "+ve+" is not in the expected form: "+escBraces(col.Description.En))
		add(col.Name, "masked_value", nameZh+"的值"+v+"是遮蔽后的值（含 *），请填写完整的原值后重新导入", nameEn+": "+ve+" is a masked value (it has *): enter the full value and load again")
		add(col.Name, "id_as_number", nameZh+"被保存为数字（"+v+"），末几位已被 Excel 舍入；请把该列设为文本后重新录入",
			nameEn+" was stored as a number ("+ve+"): Excel has rounded its last digits; format the column as text and enter it again")
		add(col.Name, "bad_id_number", nameZh+"不是有效的身份证号（18 位且校验位正确，或 15 位）", nameEn+" is not a valid ID number (18 characters with a correct check character, or 15 digits)")
		for _, r := range c.Refs {
			if r.Columns[0] != col.Name {
				continue
			}
			target, _ := datasets.Lookup(r.Dataset)
			tz, te := escBraces(target.Label.Zh), escBraces(target.Label.En)
			if r.NameColumn != "" && len(r.Columns) == 1 {
				add(col.Name, "unknown_reference", nameZh+"的值"+v+"在"+tz+"中找不到（既不是编码也不是名称）",
					nameEn+": "+ve+" is neither the code nor the name of any of "+strings.ToLower(te))
				add(col.Name, "ambiguous_reference", nameZh+"的名称"+v+"对应多个"+tz+"：{1}；请改填编码，或填写所属单位/支部",
					nameEn+": the name "+ve+" matches several of "+strings.ToLower(te)+": {1}; give the code, or the unit or branch")
				add(col.Name, "out_of_scope", nameZh+"的名称"+v+"在所填的单位或支部下没有，但在别处有：{1}；请核对所属单位/支部，或改填编码",
					nameEn+": the name "+ve+" is not under the unit or branch given, but exists elsewhere: {1}; check the unit or branch, or give the code")
			} else {
				// The same words whether or not the referenced dataset is loaded yet: when it is,
				// the value itself is wrong, and "load it first" would send the user astray.
				add(col.Name, "unknown_reference", nameZh+"的值"+v+"在"+tz+"中找不到（请核对该值；如"+tz+"尚未导入，导入后再导入本文件即可，无需 --force）",
					nameEn+": "+ve+" is not found in "+strings.ToLower(te)+" (check the value; if "+strings.ToLower(te)+" are not loaded yet, load them, then this file again; no --force needed)")
			}
		}
		// A reference of several columns whose first part exists: the last part is at fault
		// (the survey exists, its item does not).
		for _, r := range c.Refs {
			if len(r.Columns) < 2 || r.Columns[len(r.Columns)-1] != col.Name {
				continue
			}
			target, _ := datasets.Lookup(r.Dataset)
			first, _ := c.Column(r.Columns[0])
			tz, te := escBraces(target.Label.Zh), escBraces(target.Label.En)
			add(col.Name, "unknown_reference_part", nameZh+"的值"+v+"不在"+escBraces(first.Label.Zh)+"“{1}”的"+tz+"中（请核对该值；如该"+tz+"尚未导入，导入后再导入本文件即可，无需 --force）",
				nameEn+": "+ve+" is not among the "+strings.ToLower(te)+" of "+escBraces(first.Label.En)+" \"{1}\" (check the value; if they are not loaded yet, load them, then this file again; no --force needed)")
		}
	}
	hdr = ""
	var keyZh, keyEn []string
	for _, k := range c.Key {
		col, _ := c.Column(k)
		keyZh = append(keyZh, col.Label.Zh)
		keyEn = append(keyEn, col.Label.En)
	}
	if i, ok := m.Source[c.Key[0]]; ok {
		hdr = strings.TrimSpace(m.Headers[i])
	}
	add(c.Key[0], "duplicate_key", "与第 {1} 行的"+escBraces(strings.Join(keyZh, "+"))+"相同（"+"{0}"+"），但其他内容不同",
		"same "+escBraces(strings.Join(keyEn, "+"))+" as row {1} ("+"{0}"+") with different values")
	hdr = ""
	for _, ch := range c.Checks {
		if ch.Ref != "" {
			// A check against the referenced row fills {0} and {1} itself.
			hdr = ""
			if i, ok := m.Source[ch.Column]; ok {
				hdr = strings.TrimSpace(m.Headers[i])
			}
			add(ch.Column, "check:"+ch.Name, ch.Message.Zh, ch.Message.En)
			continue
		}
		hdr = ""
		add("", "check:"+ch.Name, escBraces(ch.Message.Zh), escBraces(ch.Message.En))
	}
	n := strconv.Itoa(len(m.Headers))
	add("", "extra_fields", "这一行的字段比表头多（表头共 "+n+" 列），多出的内容“{0}”没有对应的列；请检查是否有未加引号的逗号或多余的分隔符",
		"this row has more fields than the header ("+n+" columns): the extra content \"{0}\" has no column; check for an unquoted comma or a stray delimiter")
	return out
}

func rangeText(r datasets.Range) (string, string) {
	f := func(p *float64) string { return strconv.FormatFloat(*p, 'g', -1, 64) }
	switch {
	case r.Min != nil && r.Max != nil:
		return "应在 " + f(r.Min) + " 到 " + f(r.Max) + " 之间", "expected " + f(r.Min) + " to " + f(r.Max)
	case r.Min != nil:
		return "应 ≥ " + f(r.Min), "expected >= " + f(r.Min)
	case r.Max != nil:
		return "应 ≤ " + f(r.Max), "expected <= " + f(r.Max)
	}
	return "", ""
}

func writeReasons(ctx context.Context, tx *sql.Tx, m *Mapping) error {
	if _, err := execSQL(ctx, tx, "DELETE FROM _md_reason"); err != nil {
		return err
	}
	rows := reasonTemplates(m)
	var vals []string
	var args []any
	for _, r := range rows {
		vals = append(vals, "(?, ?, ?, ?, ?)")
		args = append(args, nullable(r[0]), r[1], r[2], r[3], nullable(r[4]))
	}
	if len(vals) == 0 {
		return nil
	}
	if _, err := execSQL(ctx, tx, "INSERT INTO _md_reason VALUES "+strings.Join(vals, ", "), args...); err != nil {
		return fmt.Errorf("reasons: %w", err)
	}
	return nil
}

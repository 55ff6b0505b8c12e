package queries

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mingdeng/mingdeng/datasets"
)

// ConfigError is a mistake in mingdeng.yaml, said so that the user can find and fix it: the
// file (set by the caller that read it), the line, the key (a dotted path such as
// assessment.grades.excellent or cadences[2].every, items counted from 1), the value as
// written and what was expected. An unknown key is one too: a misspelt key silently keeping
// its default would be a rule the user believes in force and is not.
type ConfigError struct {
	File  string
	Line  int // 0 when not known (a Config built in code)
	Key   string
	Value string
	// Unknown is set for a key the configuration does not have; Want then lists the keys
	// allowed where it stands.
	Unknown bool
	// Syntax is set for a file the YAML parser cannot read; Want is the parser's words.
	Syntax bool
	Want   datasets.Text
}

func (e *ConfigError) Error() string { return e.Message(datasets.En) }

// Unwrap makes every ConfigError an ErrConfig.
func (e *ConfigError) Unwrap() error { return ErrConfig }

// Message is the error in lang, one line.
func (e *ConfigError) Message(lang datasets.Lang) string {
	file := e.File
	if file == "" {
		file = "mingdeng.yaml"
	}
	where := datasets.T("配置文件 "+file, file)
	if e.Line > 0 {
		where = datasets.T(fmt.Sprintf("配置文件 %s 第 %d 行", file, e.Line), fmt.Sprintf("%s line %d", file, e.Line))
	}
	if e.Syntax {
		return datasets.T(fmt.Sprintf("%s：不是合法的 YAML（解析器的说明：%s）", where.Zh, e.Want.Zh),
			fmt.Sprintf("%s: not valid YAML (the parser says: %s)", where.En, e.Want.En)).In(lang)
	}
	if e.Unknown {
		return datasets.T(fmt.Sprintf("%s：没有“%s”这一配置项；%s", where.Zh, e.Key, e.Want.Zh),
			fmt.Sprintf("%s: unknown key %q; %s", where.En, e.Key, e.Want.En)).In(lang)
	}
	return datasets.T(fmt.Sprintf("%s：%s 的值“%s”无效，应为 %s", where.Zh, e.Key, e.Value, e.Want.Zh),
		fmt.Sprintf("%s: %s %q is not valid: expected %s", where.En, e.Key, e.Value, e.Want.En)).In(lang)
}

// configErr is a bad value of key, wanting want (Chinese, English).
func configErr(key, value, wantZh, wantEn string) *ConfigError {
	return &ConfigError{Key: key, Value: value, Want: datasets.T(wantZh, wantEn)}
}

// oneOf is "a、b 或 c 之一" / "one of a, b or c".
func oneOf(vals ...string) (string, string) {
	if len(vals) == 1 {
		return vals[0], vals[0]
	}
	head := vals[:len(vals)-1]
	last := vals[len(vals)-1]
	return strings.Join(head, "、") + " 或 " + last + " 之一", "one of " + strings.Join(head, ", ") + " or " + last
}

// configNodes checks the document's shape against the type dst decodes into, before it is
// decoded: every key must be one of the struct's yaml keys, every value of the kind its field
// takes. It returns the line of every key path, for errors found after decoding.
func configNodes(doc *yaml.Node, dst reflect.Type) (map[string]int, error) {
	lines := map[string]int{}
	if doc.Kind == 0 || doc.Kind == yaml.DocumentNode && len(doc.Content) == 0 {
		return lines, nil // an empty file (or only comments): the defaults
	}
	if doc.Kind == yaml.DocumentNode {
		doc = doc.Content[0]
	}
	return lines, walkConfig(doc, dst, "", lines)
}

func walkConfig(n *yaml.Node, t reflect.Type, path string, lines map[string]int) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // left out: the default stays
	}
	bad := func(zh, en string) error {
		e := configErr(path, nodeText(n), zh, en)
		e.Line = n.Line
		return e
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return bad("“键: 值”形式的一组配置项", "a mapping of keys to values")
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if name != "" && name != "-" {
				fields[name] = t.Field(i).Type
				names = append(names, name)
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			if path != "" {
				key = path + "." + k.Value
			}
			ft, ok := fields[k.Value]
			if !ok {
				where := datasets.T("顶层", "at the top level")
				if path != "" {
					where = datasets.T(path+" 下", "under "+path)
				}
				want := datasets.T(fmt.Sprintf("%s可用的配置项：%s", where.Zh, strings.Join(names, "、")),
					fmt.Sprintf("the keys %s are: %s", where.En, strings.Join(names, ", ")))
				if near := Nearest(k.Value, names, 1); len(near) > 0 {
					want = datasets.T(fmt.Sprintf("是否想写 %s？", near[0])+want.Zh, fmt.Sprintf("did you mean %s? ", near[0])+want.En)
				}
				return &ConfigError{Line: k.Line, Key: key, Unknown: true, Want: want}
			}
			lines[key] = k.Line
			if err := walkConfig(v, ft, key, lines); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return bad("列表（每项一行，以“- ”开头）", "a list (one item a line, starting with \"- \")")
		}
		for i, item := range n.Content {
			key := fmt.Sprintf("%s[%d]", path, i+1)
			lines[key] = item.Line
			if err := walkConfig(item, t.Elem(), key, lines); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return bad("文本", "text")
		}
	case reflect.Int:
		if _, err := strconv.ParseInt(n.Value, 0, 64); n.Kind != yaml.ScalarNode || err != nil {
			return bad("整数", "a whole number")
		}
	case reflect.Float64:
		if _, err := strconv.ParseFloat(n.Value, 64); n.Kind != yaml.ScalarNode || err != nil {
			return bad("数值", "a number")
		}
	}
	return nil
}

// nodeText is a value as the user wrote it, shortened for a one-line message.
func nodeText(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	b, err := yaml.Marshal(n)
	s := strings.Join(strings.Fields(string(b)), " ")
	if err != nil {
		s = ""
	}
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return s
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// syntaxError is a document the YAML parser cannot read: its line and the parser's words.
func syntaxError(err error) *ConfigError {
	e := &ConfigError{Syntax: true, Want: datasets.T(err.Error(), err.Error())}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Want = datasets.T(m[2], m[2])
	}
	return e
}

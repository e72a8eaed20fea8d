package knowledge

import (
	"bytes"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/banban-gov/banban"
)

// meta holds the front-matter keys of FORMATS.md section 1 as written. Unknown
// keys are ignored: the format allows extensions.
type meta struct {
	ID         string             `yaml:"id"`
	Kind       string             `yaml:"kind"`
	Title      string             `yaml:"title"`
	Aliases    stringList         `yaml:"aliases"`
	Code       string             `yaml:"code"`
	Department string             `yaml:"department"`
	Region     string             `yaml:"region"`
	Updated    string             `yaml:"updated"`
	Effective  string             `yaml:"effective"`
	Expires    string             `yaml:"expires"`
	URL        string             `yaml:"url"`
	Items      stringList         `yaml:"items"`
	Form       []banban.FormField `yaml:"form"`
}

// stringList accepts a YAML list of strings or, as editors often write for a
// single alias, one bare string.
type stringList []string

// UnmarshalYAML implements yaml.Unmarshaler.
func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if s := strings.TrimSpace(n.Value); s != "" && n.Tag != "!!null" {
			*l = stringList{s}
		}
		return nil
	}
	var ss []string
	if err := n.Decode(&ss); err != nil {
		return err
	}
	*l = ss
	return nil
}

// splitFrontMatter separates a Markdown file's YAML front matter from its
// body. ok is false when the file has no front matter.
func splitFrontMatter(p, text string) (fm, body string, ok bool, err error) {
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimRight(first, " \t") != "---" {
		return "", text, false, nil
	}
	var b strings.Builder
	for rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if t := strings.TrimRight(line, " \t"); t == "---" || t == "..." {
			return b.String(), rest, true, nil
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return "", "", false, invalidf(p, "front matter 没有结束行 “---”")
}

// decodeMeta parses YAML metadata (front matter or a sidecar). where names
// the place for messages: "front matter" or the sidecar's file name.
func decodeMeta(p, where, src string) (meta, error) {
	var m meta
	var node yaml.Node
	if err := yaml.Unmarshal([]byte(src), &node); err != nil {
		return m, invalidWrap(p, err, "%s 不是合法的 YAML：%s", where, yamlReason(err))
	}
	if len(node.Content) == 0 {
		return m, nil // empty document
	}
	if node.Content[0].Kind != yaml.MappingNode {
		return m, invalidf(p, "%s 应当是“键: 值”的列表", where)
	}
	if err := node.Content[0].Decode(&m); err != nil {
		return m, invalidWrap(p, err, "%s 中有值的类型不对：%s", where, yamlReason(err))
	}
	return m, nil
}

// yamlReason shortens a yaml.v3 error for an editor. Its line numbers count
// from the start of the YAML, and are kept as yaml.v3 gives them.
func yamlReason(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "；")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// toDocument validates m and copies it into a Document. defaultID is the path
// without extension; defaultKind is "" for Markdown, which must name its kind.
func (m meta) toDocument(p, defaultID string, defaultKind banban.Kind) (banban.Document, error) {
	doc := banban.Document{
		ID:         strings.TrimSpace(m.ID),
		Kind:       banban.Kind(strings.ToLower(strings.TrimSpace(m.Kind))),
		Title:      strings.TrimSpace(m.Title),
		Aliases:    trimList(m.Aliases),
		Code:       strings.TrimSpace(m.Code),
		Department: strings.TrimSpace(m.Department),
		Region:     strings.TrimSpace(m.Region),
		URL:        strings.TrimSpace(m.URL),
		Items:      trimList(m.Items),
		Form:       m.Form,
		Source:     p,
	}
	if doc.ID == "" {
		doc.ID = defaultID
	}
	if strings.ContainsAny(doc.ID, "#\n\r\t") {
		return doc, invalidf(p, "id “%s” 不能含有 # 或换行符", doc.ID)
	}
	if err := checkKind(p, &doc, defaultKind); err != nil {
		return doc, err
	}
	if err := m.parseDates(p, &doc); err != nil {
		return doc, err
	}
	if err := checkRequired(p, &doc); err != nil {
		return doc, err
	}
	return doc, checkForm(p, doc.Form)
}

func checkKind(p string, doc *banban.Document, defaultKind banban.Kind) error {
	switch {
	case doc.Kind == "" && defaultKind == "":
		return invalidf(p, "front matter 缺少 kind（应为 item、bundle、policy 或 faq）")
	case doc.Kind == "":
		doc.Kind = defaultKind
	case !doc.Kind.Valid():
		return invalidf(p, "kind “%s” 无效，应为 item、bundle、policy 或 faq", doc.Kind)
	case defaultKind != "" && doc.Kind != defaultKind:
		return invalidf(p, "kind “%s” 无效：Markdown 以外的文件只能是 policy", doc.Kind)
	}
	return nil
}

func checkRequired(p string, doc *banban.Document) error {
	if (doc.Kind == banban.KindItem || doc.Kind == banban.KindBundle) && doc.Title == "" {
		return invalidf(p, "缺少 title（%s 必须写明名称）", doc.Kind)
	}
	if doc.Kind == banban.KindBundle && len(doc.Items) == 0 {
		return invalidf(p, "缺少 items（bundle 必须列出所含事项的 id）")
	}
	if doc.Kind != banban.KindItem && len(doc.Form) > 0 {
		return invalidf(p, "只有 item 可以有 form")
	}
	return nil
}

func (m meta) parseDates(p string, doc *banban.Document) error {
	for _, d := range []struct {
		key, value string
		out        *time.Time
	}{
		{"updated", m.Updated, &doc.Updated},
		{"effective", m.Effective, &doc.Effective},
		{"expires", m.Expires, &doc.Expires},
	} {
		v := strings.TrimSpace(d.value)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return invalidWrap(p, err, "%s 的日期“%s”格式不对，应为 YYYY-MM-DD，例如 2025-01-31", d.key, v)
		}
		*d.out = t
	}
	if !doc.Effective.IsZero() && !doc.Expires.IsZero() && doc.Expires.Before(doc.Effective) {
		return invalidf(p, "expires（%s）早于 effective（%s）", m.Expires, m.Effective)
	}
	return nil
}

// formTypes are the form field types of FORMATS.md section 1.
var formTypes = map[string]bool{
	"text": true, "number": true, "date": true, "phone": true, "id_card": true,
	"uscc": true, "address": true, "enum": true,
}

func checkForm(p string, form []banban.FormField) error {
	seen := map[string]bool{}
	for i := range form {
		f := &form[i]
		f.Name, f.Label, f.Type = strings.TrimSpace(f.Name), strings.TrimSpace(f.Label), strings.TrimSpace(f.Type)
		switch {
		case f.Name == "":
			return invalidf(p, "form 第 %d 项缺少 name", i+1)
		case seen[f.Name]:
			return invalidf(p, "form 中 name “%s” 重复", f.Name)
		case f.Type == "":
			f.Type = "text"
		case !formTypes[f.Type]:
			return invalidf(p, "form 字段“%s”的 type “%s” 无效，应为 %s", f.Name, f.Type, formTypeList)
		}
		if f.Type == "enum" && len(f.Options) == 0 {
			return invalidf(p, "form 字段“%s”是 enum，必须给出 options", f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

const formTypeList = "text、number、date、phone、id_card、uscc、address 或 enum"

func trimList(l []string) []string {
	var out []string
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// decodeText turns file bytes into text: it refuses invalid UTF-8, drops a
// byte-order mark and normalises line ends to "\n".
func decodeText(p string, data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return "", invalidf(p, "不是 UTF-8 编码的文本，请用 UTF-8 编码另存后再导入")
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n"), nil
}

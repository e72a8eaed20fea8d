package knowledge

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/banban-gov/banban"
)

func TestParseFileErrors(t *testing.T) {
	pdf, err := os.ReadFile("testdata/pdf/residence.pdf")
	if err != nil {
		t.Fatal(err)
	}
	item := func(fm string) *fstest.MapFile { return mdFile("---\n" + fm + "---\n## 受理条件\n无。\n") }
	tests := []struct {
		name string
		file *fstest.MapFile
		path string
		side *fstest.MapFile // sidecar PATH.meta.yaml
		code string
		want string // the message starts with this
	}{
		{"malformed front matter", item("kind: item\ntitle: [未闭合\n"), "items/a.md", nil,
			banban.EINVALID, "items/a.md: front matter 不是合法的 YAML："},
		{"front matter without its end", mdFile("---\nkind: faq\n## 问\n答\n"), "a.md", nil,
			banban.EINVALID, "a.md: front matter 没有结束行 “---”"},
		{"front matter that is not a mapping", item("- kind\n- item\n"), "a.md", nil,
			banban.EINVALID, "a.md: front matter 应当是“键: 值”的列表"},
		{"value of the wrong type", item("kind: item\ntitle: {a: b}\n"), "a.md", nil,
			banban.EINVALID, "a.md: front matter 中有值的类型不对："},
		{"unknown kind", item("kind: guide\ntitle: 甲\n"), "a.md", nil,
			banban.EINVALID, "a.md: kind “guide” 无效，应为 item、bundle、policy 或 faq"},
		{"markdown without kind", mdFile("# 标题\n正文\n"), "a.md", nil,
			banban.EINVALID, "a.md: front matter 缺少 kind（应为 item、bundle、policy 或 faq）"},
		{"item without title", item("kind: item\n"), "a.md", nil,
			banban.EINVALID, "a.md: 缺少 title（item 必须写明名称）"},
		{"bundle without items", item("kind: bundle\ntitle: 一件事\n"), "a.md", nil,
			banban.EINVALID, "a.md: 缺少 items（bundle 必须列出所含事项的 id）"},
		{"date not YYYY-MM-DD", item("kind: item\ntitle: 甲\nupdated: 2025/3/1\n"), "a.md", nil,
			banban.EINVALID, "a.md: updated 的日期“2025/3/1”格式不对，应为 YYYY-MM-DD"},
		{"expires before effective", item("kind: item\ntitle: 甲\neffective: 2025-03-01\nexpires: 2025-01-01\n"), "a.md", nil,
			banban.EINVALID, "a.md: expires（2025-01-01）早于 effective（2025-03-01）"},
		{"unknown form field type", item("kind: item\ntitle: 甲\nform:\n  - {name: x, type: money}\n"), "a.md", nil,
			banban.EINVALID, "a.md: form 字段“x”的 type “money” 无效"},
		{"enum form field without options", item("kind: item\ntitle: 甲\nform:\n  - {name: x, type: enum}\n"), "a.md", nil,
			banban.EINVALID, "a.md: form 字段“x”是 enum，必须给出 options"},
		{"id with #", item("id: a#b\nkind: item\ntitle: 甲\n"), "a.md", nil,
			banban.EINVALID, "a.md: id “a#b” 不能含有 # 或换行符"},
		{"faq without questions", mdFile("---\nkind: faq\n---\n只有说明，没有问题。\n"), "a.md", nil,
			banban.EINVALID, "a.md: faq 中没有问题"},
		{"policy without text", mdFile("---\nkind: policy\ntitle: 空\n---\n# 只有标题\n"), "a.md", nil,
			banban.EINVALID, "a.md: policy 没有正文"},
		{"empty file", mdFile(""), "empty.md", nil, banban.EINVALID, "empty.md: 文件为空"},
		{"blank file", mdFile(" \n\t\n"), "blank.txt", nil, banban.EINVALID, "blank.txt: 文件为空"},
		{"invalid UTF-8 markdown", &fstest.MapFile{Data: []byte("---\nkind: faq\n---\n## \xc4\xe3\xba\xc3\n")}, "gbk.md", nil,
			banban.EINVALID, "gbk.md: 不是 UTF-8 编码的文本，请用 UTF-8 编码另存后再导入"},
		{"invalid UTF-8 text", &fstest.MapFile{Data: []byte("\xd5\xfe\xb2\xdf")}, "gbk.txt", nil,
			banban.EINVALID, "gbk.txt: 不是 UTF-8 编码的文本"},
		{"not a zip", mdFile("这不是 Word 文件"), "a.docx", nil,
			banban.EINVALID, "a.docx: 无法读取 Word 文件：不是有效的 .docx 文件"},
		{"zip without document.xml", &fstest.MapFile{Data: makeDOCXParts(t, map[string]string{"word/other.xml": "<x/>"})}, "a.docx", nil,
			banban.EINVALID, "a.docx: 无法读取 Word 文件：缺少 word/document.xml"},
		{"broken document.xml", &fstest.MapFile{Data: makeDOCXParts(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"})}, "a.docx", nil,
			banban.EINVALID, "a.docx: 无法读取 Word 文件：正文已损坏"},
		{"docx without text", &fstest.MapFile{Data: makeDOCX(t, docxStyles, "<w:p/>")}, "a.docx", nil,
			banban.EINVALID, "a.docx: 没有可提取的文字"},
		{"not a pdf", mdFile("%PDF-1.4 残缺"), "x.pdf", nil, banban.EINVALID, "x.pdf: 无法读取 PDF 文件："},
		{"truncated pdf", &fstest.MapFile{Data: pdf[:len(pdf)/2]}, "x.pdf", nil, banban.EINVALID, "x.pdf: 无法读取 PDF 文件："},
		{"unsupported type", mdFile("内容"), "a.doc", nil, banban.EINVALID, "a.doc: 不支持的文件类型"},
		{"sidecar with bad YAML", mdFile("正文"), "p/a.txt", mdFile("title: [\n"), banban.EINVALID,
			"p/a.txt: a.txt.meta.yaml 不是合法的 YAML："},
		{"sidecar giving a non-policy kind", mdFile("正文"), "a.txt", mdFile("kind: item\ntitle: 甲\n"), banban.EINVALID,
			"a.txt: kind “item” 无效：Markdown 以外的文件只能是 policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{tt.path: tt.file}
			if tt.side != nil {
				fsys[tt.path+".meta.yaml"] = tt.side
			}
			doc, err := ParseFile(fsys, tt.path, 0)
			if err == nil {
				t.Fatalf("ParseFile(%s) = %+v, want an error", tt.path, doc)
			}
			if code := banban.ErrorCode(err); code != tt.code {
				t.Errorf("code = %q, want %q (error %v)", code, tt.code, err)
			}
			if msg := banban.ErrorMessage(err); !strings.HasPrefix(msg, tt.want) {
				t.Errorf("message = %q, want it to start with %q", msg, tt.want)
			}
		})
	}
}

// makeDOCXParts writes a zip holding exactly the given parts.
func makeDOCXParts(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var list []string
	for name, data := range parts {
		list = append(list, name+"\x00"+data)
	}
	return zipParts(t, list)
}

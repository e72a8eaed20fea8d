package knowledge

import (
	"io"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/banban-gov/banban"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseFile(t *testing.T) {
	kb := os.DirFS("testdata/kb")
	tests := []struct {
		name string
		fsys fs.FS
		path string
		want banban.Document
	}{
		{
			name: "item with every key and text before the first heading",
			fsys: kb, path: "items/residence-permit.md",
			want: banban.Document{
				ID: "residence-permit", Kind: banban.KindItem, Title: "居住证申领",
				Aliases: []string{"办居住证", "居住证办理"}, Code: "440300-000-01",
				Department: "示例市公安局", Region: "示例市", Updated: date("2025-03-01"),
				Effective: date("2025-01-01"), URL: "https://example.gov.cn/items/residence-permit",
				Form: []banban.FormField{
					{Name: "name", Label: "姓名", Type: "text", Required: true},
					{Name: "id_number", Label: "身份证号", Type: "id_card", Required: true},
					{Name: "district", Label: "居住区", Type: "enum", Options: []string{"东区", "西区"}},
				},
				Sections: []banban.Section{
					{Heading: "", Text: "来本市居住半年以上的人员可以申领居住证。"},
					{Heading: "受理条件", Text: "在本市居住半年以上，有合法稳定就业、合法稳定住所或者连续就读之一。"},
					{Heading: "申请材料", Text: "1. 居民身份证原件\n2. 近期一寸白底照片\n3. 居住证明（租房合同或房产证）"},
					{Heading: "办理时限", Text: "15个工作日"},
					{Heading: "收费标准", Text: "不收费\n\n### 说明\n首次申领不收费，补领每张收费20元。"},
					{Heading: "咨询电话", Text: "0755-12345678"},
				},
			},
		},
		{
			name: "bundle",
			fsys: kb, path: "bundles/newborn.md",
			want: banban.Document{
				ID: "newborn", Kind: banban.KindBundle, Title: "新生儿出生一件事",
				Department: "示例市政务服务数据管理局", Items: []string{"birth-certificate", "residence-permit"},
				Sections: []banban.Section{{Heading: "办理流程", Text: "在线填写一张表，出生医学证明、户口登记、医保参保一次办好。"}},
			},
		},
		{
			name: "faq keeps a question without an answer; id defaults to the path",
			fsys: kb, path: "faq/housing-fund.md",
			want: banban.Document{
				ID: "faq/housing-fund", Kind: banban.KindFAQ, Title: "住房公积金常见问题",
				Department: "示例市住房公积金管理中心",
				Sections: []banban.Section{
					{Heading: "住房公积金每年可以提取几次？", Text: "租房提取每年可以办理一次，购房提取按合同办理。"},
					{Heading: "离职后公积金怎么办？", Text: "离职后账户封存，新单位可以办理转移接续。"},
					{Heading: "还没有答案的问题"},
				},
			},
		},
		{
			name: "traditional policy is kept as written",
			fsys: kb, path: "policies/traditional.md",
			want: banban.Document{
				ID: "policies/traditional", Kind: banban.KindPolicy, Title: "示例市長者乘車優惠辦法", Region: "示例市",
				Sections: []banban.Section{{Heading: "示例市長者乘車優惠辦法", Text: "第一章 總則\n\n第一條 為照顧長者出行，制定本辦法。\n\n" +
					"第二章 優惠內容\n\n第二條 年滿六十五歲的長者乘坐公共汽車免費。\n\n第三條 長者憑長者卡乘車，每月可享優惠六十次。"}},
			},
		},
		{
			name: "text with a NAME.txt.meta.yaml sidecar",
			fsys: kb, path: "policies/subsidy.txt",
			want: banban.Document{
				ID: "policies/subsidy", Kind: banban.KindPolicy, Title: "示例市高校毕业生租房补贴办法",
				Department: "示例市人力资源和社会保障局", Region: "示例市",
				Effective: date("2024-07-01"), Expires: date("2027-06-30"),
				Sections: []banban.Section{{Text: "示例市高校毕业生租房补贴办法\n\n一、补贴对象\n毕业五年内来本市就业的全日制高校毕业生。\n" +
					"二、补贴标准\n本科每人每月500元，硕士每人每月800元，博士每人每月1000元。\n三、申请方式\n通过示例市政务服务网提交申请。"}},
			},
		},
		{
			name: "html with a NAME.meta.yaml sidecar; title from the first heading",
			fsys: kb, path: "policies/talent.html",
			want: banban.Document{
				ID: "talent-policy", Kind: banban.KindPolicy, Title: "示例市人才引进实施办法",
				Department: "示例市人才工作局", Updated: date("2025-02-01"),
				Sections: []banban.Section{
					{Heading: "示例市人才引进实施办法", Text: "发布日期：2025-02-01"},
					{Heading: "第一章 总则", Text: "第一条 为吸引各类人才来本市创新创业，制定本办法。"},
					{Heading: "第二章 引进待遇", Text: "第二条 引进的博士给予一次性生活补贴10万元。\n住房保障\n子女入学\n类别 补贴\n硕士 5万元"},
				},
			},
		},
		{
			name: "docx heading styles become headings",
			fsys: kb, path: "policies/work-permit.docx",
			want: banban.Document{
				ID: "policies/work-permit", Kind: banban.KindPolicy, Title: "示例市灵活就业登记办法",
				Sections: []banban.Section{
					{Heading: "示例市灵活就业登记办法", Text: "本办法自发布之日起施行。"},
					{Heading: "第一章 登记条件", Text: "第一条 在本市从事灵活就业的人员，可以办理就业登记。\n第二条 登记不收费。"},
					{Heading: "第二章 办理方式", Text: "线上\n政务服务网\n窗口\t各区政务服务中心"},
					{Heading: "附则", Text: "本办法由示例市人力资源和社会保障局负责解释。"},
				},
			},
		},
		{
			name: "docx without styles.xml falls back to style ids",
			fsys: fstest.MapFS{"p.docx": {Data: makeDOCX(t, "", para("Heading1", "总则"), para("", "正文。"))}},
			path: "p.docx",
			want: banban.Document{ID: "p", Kind: banban.KindPolicy, Title: "总则",
				Sections: []banban.Section{{Heading: "总则", Text: "正文。"}}},
		},
		{
			name: "pdf printed by Chromium, title from the first line",
			fsys: os.DirFS("testdata/pdf"), path: "residence.pdf",
			want: banban.Document{
				ID: "residence", Kind: banban.KindPolicy, Title: "示例市居住证办理暂行办法",
				Sections: []banban.Section{{Text: "示例市居住证办理暂行办法\n第一章 总则\n" +
					"第一条 为保障来本市居住人员的合法权益，促进本市经济社会协调发展，根据国家有关规定，结合本市实际，制定本办法。" +
					"本办法适用于本市行政区域内居住证的申领、签发和管理工作，各区人民政府应当为居住证持有人提供基本公共服务和便利，并逐步扩大服务范围。\n" +
					"第二条 在本市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的人员，可以申请办理居住证。\n" +
					"第二章 申请材料\n第三条 申请人应当提交居民身份证、近期一寸照片和居住证明。\n" +
					"第四条 申請人可以到居住地派出所辦理，也可以通過網上辦事大廳提交申請。"}},
			},
		},
		{
			name: "policy markdown keeps every heading level; title from the first heading",
			fsys: fstest.MapFS{"p.md": mdFile("---\nkind: policy\n---\n前言。\n# 办法\n## 第一章 总则\n### 第一条\n内容。\n```\n# 代码里不是标题\n```\n")},
			path: "p.md",
			want: banban.Document{ID: "p", Kind: banban.KindPolicy, Title: "办法", Sections: []banban.Section{
				{Text: "前言。"}, {Heading: "办法"}, {Heading: "第一章 总则"},
				{Heading: "第一条", Text: "内容。\n```\n# 代码里不是标题\n```"},
			}},
		},
		{
			name: "BOM, CRLF, single-string aliases, upper-case kind and unknown keys",
			fsys: fstest.MapFS{"x.md": mdFile("\ufeff---\r\nkind: Item\r\ntitle: 事项\r\naliases: 俗称\r\nowner: 某人\r\n---\r\n## 受理条件 ##\r\n无。\r\n")},
			path: "x.md",
			want: banban.Document{ID: "x", Kind: banban.KindItem, Title: "事项", Aliases: []string{"俗称"},
				Sections: []banban.Section{{Heading: "受理条件", Text: "无。"}}},
		},
		{
			name: "text title is cut from a long first line",
			fsys: fstest.MapFS{"t.txt": mdFile(strings.Repeat("很长的第一行", 20) + "\n正文")},
			path: "t.txt",
			want: banban.Document{ID: "t", Kind: banban.KindPolicy, Title: strings.Repeat("很长的第一行", 10) + "…",
				Sections: []banban.Section{{Text: strings.Repeat("很长的第一行", 20) + "\n正文"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFile(tt.fsys, tt.path, 0)
			if err != nil {
				t.Fatalf("ParseFile(%s) error: %v", tt.path, err)
			}
			if len(got.Hash) != 64 {
				t.Errorf("Hash = %q, want 64 hex digits", got.Hash)
			}
			tt.want.Source, tt.want.Hash = tt.path, got.Hash
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseFile(%s)\n got %#v\nwant %#v", tt.path, got, tt.want)
			}
		})
	}
}

// TestParseFileHash checks that the hash covers the file and its sidecar.
func TestParseFileHash(t *testing.T) {
	fsys := fstest.MapFS{"a.txt": mdFile("正文"), "a.txt.meta.yaml": mdFile("title: 甲\n")}
	first, err := ParseFile(fsys, "a.txt", 0)
	if err != nil {
		t.Fatal(err)
	}
	fsys["a.txt.meta.yaml"] = mdFile("title: 乙\n")
	second, err := ParseFile(fsys, "a.txt", 0)
	if err != nil {
		t.Fatal(err)
	}
	if first.Hash == second.Hash || second.Title != "乙" {
		t.Errorf("sidecar change: hash %s -> %s, title %q", first.Hash, second.Hash, second.Title)
	}
}

// TestPDFMatchesHTML compares the PDF's text with the page it was printed from.
func TestPDFMatchesHTML(t *testing.T) {
	fsys := os.DirFS("testdata/pdf")
	flat := func(path string) string {
		doc, err := ParseFile(fsys, path, 0)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, s := range doc.Sections {
			b.WriteString(s.Heading + s.Text)
		}
		return strings.Join(strings.Fields(b.String()), "")
	}
	if pdf, html := flat("residence.pdf"), flat("residence.html"); pdf != html {
		t.Errorf("PDF text differs from its HTML source:\n pdf %s\nhtml %s", pdf, html)
	}
}

// hugeFS holds one file, big.pdf, whose Stat reports 50 MB and whose
// content must never be read.
type hugeFS struct{ t *testing.T }

func (h hugeFS) Open(name string) (fs.File, error) {
	if name != "big.pdf" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return hugeFile{h.t}, nil
}

type hugeFile struct{ t *testing.T }

func (f hugeFile) Stat() (fs.FileInfo, error) { return hugeInfo{}, nil }

func (f hugeFile) Read([]byte) (int, error) {
	f.t.Error("the content of a file over the size limit was read")
	return 0, io.EOF
}

func (f hugeFile) Close() error { return nil }

type hugeInfo struct{}

func (hugeInfo) Name() string       { return "big.pdf" }
func (hugeInfo) Size() int64        { return 50 << 20 }
func (hugeInfo) IsDir() bool        { return false }
func (hugeInfo) Mode() fs.FileMode  { return 0o644 }
func (hugeInfo) ModTime() time.Time { return time.Time{} }
func (hugeInfo) Sys() any           { return nil }

func TestParseFileTooLarge(t *testing.T) {
	_, err := ParseFile(hugeFS{t}, "big.pdf", 20<<20)
	if banban.ErrorCode(err) != banban.ETOOLARGE || banban.ErrorMessage(err) != "big.pdf: 文件过大（50 MB），上限为 20 MB" {
		t.Errorf("ParseFile(50 MB) = %v (code %q), want ETOOLARGE naming the sizes", err, banban.ErrorCode(err))
	}
	small := fstest.MapFS{"a.md": mdFile("---\nkind: faq\n---\n## 问\n答")}
	if _, err := ParseFile(small, "a.md", 10); banban.ErrorCode(err) != banban.ETOOLARGE {
		t.Errorf("ParseFile over a 10-byte limit = %v, want ETOOLARGE", err)
	}
}

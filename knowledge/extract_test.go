package knowledge

import (
	"reflect"
	"testing"

	"github.com/banban-gov/banban"
)

func TestExtractHTML(t *testing.T) {
	tests := []struct {
		name string
		html string
		want []banban.Section
	}{
		{
			name: "no headings: one section of lines",
			html: "<p>第一段。</p><div>第二段<br>换行</div>",
			want: []banban.Section{{Text: "第一段。\n第二段\n换行"}},
		},
		{
			name: "headings of every level start sections; inline markup joins",
			html: "<h1>办法</h1><p>前言</p><h3>第一条 <em>适用</em>范围</h3><p>本市。</p><h6>附则</h6>",
			want: []banban.Section{{Heading: "办法", Text: "前言"}, {Heading: "第一条 适用范围", Text: "本市。"}, {Heading: "附则"}},
		},
		{
			name: "scripts, styles, head, navigation and forms controls are dropped",
			html: "<head><title>网站</title><style>p{}</style></head><nav>首页</nav><script>x()</script><p>正文</p><button>打印</button>",
			want: []banban.Section{{Text: "正文"}},
		},
		{
			name: "a line break between Chinese characters is not a space; between words it is",
			html: "<p>创新\n  创业 and\nmore　全角空格保留</p>",
			want: []banban.Section{{Text: "创新创业 and more　全角空格保留"}},
		},
		{
			name: "entities decoded, preformatted text kept",
			html: "<p>A &amp; B &gt; C&nbsp;D</p><pre>第一行\n  缩进行</pre>",
			want: []banban.Section{{Text: "A & B > C\u00a0D\n第一行\n缩进行"}},
		},
		{
			name: "table rows become lines",
			html: "<table><tr><th>类别</th><th>金额</th></tr><tr><td>本科</td><td>500元</td></tr></table>",
			want: []banban.Section{{Text: "类别 金额\n本科 500元"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := extractHTML("a.html", []byte(tt.html))
			if err != nil {
				t.Fatalf("extractHTML: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("extractHTML\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestExtractDOCX(t *testing.T) {
	tests := []struct {
		name   string
		styles string
		body   []string
		want   []banban.Section
	}{
		{
			name:   "Chinese Word heading style ids, a style based on a heading, and an outline level",
			styles: docxStyles,
			body: []string{para("1", "办法"), para("a", "正文。"), para("ChapterTitle", "第一章 总则"),
				`<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>附则</w:t></w:r></w:p>`,
				`<w:p><w:pPr><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>正文级别</w:t></w:r></w:p>`},
			want: []banban.Section{{Heading: "办法", Text: "正文。"}, {Heading: "第一章 总则"}, {Heading: "附则", Text: "正文级别"}},
		},
		{
			name:   "Title style counts as a heading",
			styles: `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:styleId="T"><w:name w:val="Title"/></w:style></w:styles>`,
			body:   []string{para("T", "标题"), para("", "内容")},
			want:   []banban.Section{{Heading: "标题", Text: "内容"}},
		},
		{
			name:   "deleted text, field codes and tab stop definitions are not text; tabs and breaks are",
			styles: docxStyles,
			body: []string{`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>` +
				`<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r>` +
				`<w:del><w:r><w:delText>删掉</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>`},
			want: []banban.Section{{Text: "甲\t乙\n丙"}},
		},
		{
			name:   "paragraphs in a text box come out whole",
			styles: docxStyles,
			body: []string{`<w:p><w:r><w:t>外</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p>` +
				`</w:txbxContent></w:pict></w:r><w:r><w:t>段</w:t></w:r></w:p>`},
			want: []banban.Section{{Text: "框内\n外段"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := extractDOCX("a.docx", makeDOCX(t, tt.styles, tt.body...))
			if err != nil {
				t.Fatalf("extractDOCX: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("extractDOCX\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

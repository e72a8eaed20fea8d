package knowledge

import (
	"reflect"
	"testing"

	"github.com/banban-gov/banban"
)

func TestMarkdownSections(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		allLevels bool
		want      []banban.Section
	}{
		{
			name: "only level-2 headings split an item; deeper ones stay text",
			body: "# 总标题\n引言\n## 受理条件\n条件\n### 细则\n细则内容\n## 申请材料\n材料",
			want: []banban.Section{{Text: "# 总标题\n引言"}, {Heading: "受理条件", Text: "条件\n### 细则\n细则内容"}, {Heading: "申请材料", Text: "材料"}},
		},
		{
			name:      "every level splits a policy",
			body:      "# 办法\n## 第一章\n### 第一条\n内容",
			allLevels: true,
			want:      []banban.Section{{Heading: "办法"}, {Heading: "第一章"}, {Heading: "第一条", Text: "内容"}},
		},
		{
			name: "a heading needs a space after its #s; closing #s are dropped",
			body: "##不是标题\n## 是标题 ##\n####### 七个井号不是标题\n## C# 语言",
			want: []banban.Section{{Text: "##不是标题"}, {Heading: "是标题", Text: "####### 七个井号不是标题"}, {Heading: "C# 语言"}},
		},
		{
			name: "headings in fenced code are text",
			body: "## 示例\n```\n## 不是标题\n```\n~~~\n## 也不是\n~~~",
			want: []banban.Section{{Heading: "示例", Text: "```\n## 不是标题\n```\n~~~\n## 也不是\n~~~"}},
		},
		{
			name: "blank body",
			body: "\n  \n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := markdownSections(tt.body, tt.allLevels); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("markdownSections\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

package knowledge

import (
	"reflect"
	"strings"
	"testing"

	"github.com/banban-gov/banban"
)

// sec builds a section.
func sec(heading, text string) banban.Section { return banban.Section{Heading: heading, Text: text} }

func TestSegment(t *testing.T) {
	long := strings.Repeat("长", 30) // 30 characters
	tests := []struct {
		name     string
		kind     banban.Kind
		maxRunes int
		sections []banban.Section
		want     []piece // section and text of each chunk
	}{
		{
			name: "item: one chunk per section, text before the first heading has no section",
			kind: banban.KindItem,
			sections: []banban.Section{
				sec("", "来本市居住的人员可以申领。"), sec("受理条件", " 居住半年以上。 "),
				sec("收费标准", "  \n "), sec("申请材料", "1. 身份证\n2. 照片"),
			},
			want: []piece{{"", "来本市居住的人员可以申领。"}, {"受理条件", "居住半年以上。"}, {"申请材料", "1. 身份证\n2. 照片"}},
		},
		{
			name: "item: a section up to 2*MaxRunes stays whole",
			kind: banban.KindItem, maxRunes: 20,
			sections: []banban.Section{sec("申请材料", long+"\n"+strings.Repeat("短", 9))},
			want:     []piece{{"申请材料", long + "\n" + strings.Repeat("短", 9)}},
		},
		{
			name: "item: a longer section is split at line boundaries",
			kind: banban.KindItem, maxRunes: 20,
			sections: []banban.Section{sec("申请材料", "1. 居民身份证原件一份\n2. 户口簿原件和复印件\n3. 近期一寸白底照片两张\n4. 租房合同或者房产证明")},
			want: []piece{
				{"申请材料", "1. 居民身份证原件一份"}, {"申请材料", "2. 户口簿原件和复印件"},
				{"申请材料", "3. 近期一寸白底照片两张"}, {"申请材料", "4. 租房合同或者房产证明"},
			},
		},
		{
			name: "item: a long line is split at sentence ends",
			kind: banban.KindItem, maxRunes: 10,
			sections: []banban.Section{sec("办理流程", "网上提交申请材料。窗口工作人员审核！审核通过后制证？领取证件；完成。")},
			want: []piece{
				{"办理流程", "网上提交申请材料。"}, {"办理流程", "窗口工作人员审核！"},
				{"办理流程", "审核通过后制证？"}, {"办理流程", "领取证件；完成。"},
			},
		},
		{
			name:     "bundle is segmented like an item",
			kind:     banban.KindBundle,
			sections: []banban.Section{sec("办理流程", "一次办好。")},
			want:     []piece{{"办理流程", "一次办好。"}},
		},
		{
			name: "faq: one chunk per question, unanswered questions skipped",
			kind: banban.KindFAQ,
			sections: []banban.Section{
				sec("公积金每年能提取几次？", "租房提取每年一次。"), sec("没有答案的问题", ""),
				sec("离职后怎么办？", "账户封存。\n新单位办理转移。"),
			},
			want: []piece{{"公积金每年能提取几次？", "租房提取每年一次。"}, {"离职后怎么办？", "账户封存。\n新单位办理转移。"}},
		},
		{
			name: "faq: a very long answer is split under its question",
			kind: banban.KindFAQ, maxRunes: 10,
			sections: []banban.Section{sec("怎么办？", strings.Repeat("第一步先在网上预约。", 3))},
			want: []piece{
				{"怎么办？", "第一步先在网上预约。"}, {"怎么办？", "第一步先在网上预约。"}, {"怎么办？", "第一步先在网上预约。"},
			},
		},
		{
			name: "policy: chapters and articles label their chunks",
			kind: banban.KindPolicy, maxRunes: 30,
			sections: []banban.Section{sec("", "第一章 总则\n第一条 为了规范居住证管理，制定本办法。\n"+
				"第二章 申请条件\n第五条 在本市居住半年以上的人员可以申请居住证。")},
			want: []piece{
				{"第一章 总则 第一条", "第一章 总则\n第一条 为了规范居住证管理，制定本办法。"},
				{"第二章 申请条件 第五条", "第二章 申请条件\n第五条 在本市居住半年以上的人员可以申请居住证。"},
			},
		},
		{
			name: "policy: small articles under one chapter merge, named by the first and last",
			kind: banban.KindPolicy, maxRunes: 60,
			sections: []banban.Section{sec("", "第二章 申请条件\n第五条 年满十六周岁。\n第六条 有合法住所。\n第七条 有稳定就业。\n"+
				"第三章 附则\n第八条 本办法自公布之日起施行。")},
			want: []piece{
				{"第二章 申请条件 第五条至第七条", "第二章 申请条件\n第五条 年满十六周岁。\n第六条 有合法住所。\n第七条 有稳定就业。"},
				{"第三章 附则 第八条", "第三章 附则\n第八条 本办法自公布之日起施行。"},
			},
		},
		{
			name: "policy: sections (节) join the chapter in the label",
			kind: banban.KindPolicy, maxRunes: 100,
			sections: []banban.Section{sec("", "第三章 管理\n第一节 登记\n第九条 当日登记。")},
			want:     []piece{{"第三章 管理 第一节 登记 第九条", "第三章 管理\n第一节 登记\n第九条 当日登记。"}},
		},
		{
			name: "policy: a long article is split at sentence ends, never inside a sentence",
			kind: banban.KindPolicy, maxRunes: 20,
			sections: []banban.Section{sec("", "第三条 申请人应当如实填写申请表。受理机关应当当场审核材料；材料齐全的当场受理。不予受理的应当说明理由！")},
			want: []piece{
				{"第三条", "第三条 申请人应当如实填写申请表。"}, {"第三条", "受理机关应当当场审核材料；"},
				{"第三条", "材料齐全的当场受理。"}, {"第三条", "不予受理的应当说明理由！"},
			},
		},
		{
			name: "policy: a sentence over the cap stays whole",
			kind: banban.KindPolicy, maxRunes: 10,
			sections: []banban.Section{sec("", "短句。"+long+"。")},
			want:     []piece{{"", "短句。"}, {"", long + "。"}},
		},
		{
			name: "policy: a sentence over 4*MaxRunes is cut at commas",
			kind: banban.KindPolicy, maxRunes: 10,
			sections: []banban.Section{sec("", "一二三四五六七，一二三四五六七，一二三四五六七，一二三四五六七，一二三四五六七，一二三四五六七。")},
			want: []piece{
				{"", "一二三四五六七，"}, {"", "一二三四五六七，"}, {"", "一二三四五六七，"},
				{"", "一二三四五六七，"}, {"", "一二三四五六七，"}, {"", "一二三四五六七。"},
			},
		},
		{
			name: "policy: a sentence over 4*MaxRunes without commas is cut at the cap",
			kind: banban.KindPolicy, maxRunes: 10,
			sections: []banban.Section{sec("", strings.Repeat("字", 45))},
			want: []piece{
				{"", strings.Repeat("字", 10)}, {"", strings.Repeat("字", 10)}, {"", strings.Repeat("字", 10)},
				{"", strings.Repeat("字", 10)}, {"", strings.Repeat("字", 5)},
			},
		},
		{
			name: "policy: text without structure is split at sentence ends into even chunks",
			kind: banban.KindPolicy, maxRunes: 25,
			sections: []banban.Section{sec("", "各区应当做好服务保障工作。各部门应当加强协作。对困难企业给予帮扶。请认真贯彻执行。")},
			want: []piece{
				{"", "各区应当做好服务保障工作。各部门应当加强协作。"}, {"", "对困难企业给予帮扶。请认真贯彻执行。"},
			},
		},
		{
			name: "policy: numbered items run together on one line are split, and titled",
			kind: banban.KindPolicy, maxRunes: 30,
			sections: []banban.Section{sec("", "为支持企业发展，提出以下措施。 一、加大金融支持 银行不得抽贷断贷，对受影响企业给予展期。"+
				"\u3000\u3000二、减轻企业负担 对受影响企业减免房租三个月，并缓缴社会保险费。")},
			want: []piece{
				{"", "为支持企业发展，提出以下措施。"},
				{"一、加大金融支持", "一、加大金融支持 银行不得抽贷断贷，对受影响企业给予展期。"},
				{"二、减轻企业负担", "二、减轻企业负担 对受影响企业减免房租三个月，并缓缴社会保险费。"},
			},
		},
		{
			name: "policy: 一、 and （一） items merge under their heading up to the cap",
			kind: banban.KindPolicy, maxRunes: 40,
			sections: []banban.Section{sec("补贴标准", "一、本科生\n（一）每月500元。\n（二）最长三年。\n二、硕士研究生\n（一）每月800元。")},
			want: []piece{
				{"补贴标准 一、本科生", "一、本科生\n（一）每月500元。\n（二）最长三年。"},
				{"补贴标准 二、硕士研究生", "二、硕士研究生\n（一）每月800元。"},
			},
		},
		{
			name: "policy: small items of different numbered headings merge, labelled by what they share",
			kind: banban.KindPolicy, maxRunes: 100,
			sections: []banban.Section{sec("补贴标准", "一、本科生\n（一）每月500元。\n二、硕士研究生\n（一）每月800元。")},
			want: []piece{
				{"补贴标准", "一、本科生\n（一）每月500元。\n二、硕士研究生\n（一）每月800元。"},
			},
		},
		{
			name: "policy: document headings are never merged across",
			kind: banban.KindPolicy, maxRunes: 100,
			sections: []banban.Section{sec("", "前言。"), sec("补贴对象", "高校毕业生。"), sec("补贴标准", "每月500元。"), sec("空标题", "")},
			want:     []piece{{"", "前言。"}, {"补贴对象", "高校毕业生。"}, {"补贴标准", "每月500元。"}},
		},
		{
			name: "policy: a first line repeating the title travels with the text",
			kind: banban.KindPolicy, maxRunes: 100,
			sections: []banban.Section{sec("", "示例办法\n第一章 总则\n第一条 制定本办法。")},
			want:     []piece{{"第一章 总则 第一条", "示例办法\n第一章 总则\n第一条 制定本办法。"}},
		},
		{
			name: "policy: traditional characters are kept",
			kind: banban.KindPolicy, maxRunes: 20,
			sections: []banban.Section{sec("", "第一章 總則\n第一條 為照顧長者出行，制定本辦法。\n第二章 優惠內容\n第二條 長者乘車免費。")},
			want: []piece{
				{"第一章 總則 第一條", "第一章 總則\n第一條 為照顧長者出行，制定本辦法。"},
				{"第二章 優惠內容 第二條", "第二章 優惠內容\n第二條 長者乘車免費。"},
			},
		},
		{
			name: "policy: a reference to an article inside a sentence is not a boundary",
			kind: banban.KindPolicy, maxRunes: 100,
			sections: []banban.Section{sec("", "第九条 违反本办法第五条规定的，责令改正。")},
			want:     []piece{{"第九条", "第九条 违反本办法第五条规定的，责令改正。"}},
		},
		{
			name:     "whitespace-only body gives no chunks",
			kind:     banban.KindPolicy,
			sections: []banban.Section{sec("标题", " \n\n ")},
			want:     nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := banban.Document{ID: "d", Kind: tt.kind, Title: "示例办法", Sections: tt.sections}
			var got []piece
			for _, c := range Segment(doc, SegmentOptions{MaxRunes: tt.maxRunes}) {
				got = append(got, piece{c.Section, c.Text})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Segment\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSegmentChunkFields(t *testing.T) {
	doc := banban.Document{
		ID: "items/a", Kind: banban.KindItem, Title: "居住证申领", Department: "公安局", Region: "示例市",
		Effective: date("2025-01-01"), Expires: date("2026-12-31"),
		Sections: []banban.Section{sec("受理条件", "居住半年。"), sec("办理时限", "15个工作日")},
	}
	want := []banban.Chunk{
		{ID: "items/a#0", DocID: "items/a", Ordinal: 0, Kind: banban.KindItem, Title: "居住证申领", Section: "受理条件",
			Text: "居住半年。", Department: "公安局", Region: "示例市", Effective: date("2025-01-01"), Expires: date("2026-12-31")},
		{ID: "items/a#1", DocID: "items/a", Ordinal: 1, Kind: banban.KindItem, Title: "居住证申领", Section: "办理时限",
			Text: "15个工作日", Department: "公安局", Region: "示例市", Effective: date("2025-01-01"), Expires: date("2026-12-31")},
	}
	if got := Segment(doc, SegmentOptions{}); !reflect.DeepEqual(got, want) {
		t.Errorf("Segment\n got %+v\nwant %+v", got, want)
	}
}

func TestSegmentDefaultMaxRunes(t *testing.T) {
	text := strings.Repeat("这是一个完整的句子。", 120) // 1,200 characters
	doc := banban.Document{ID: "p", Kind: banban.KindPolicy, Sections: []banban.Section{sec("", text)}}
	chunks := Segment(doc, SegmentOptions{})
	if len(chunks) != 3 {
		t.Fatalf("got %d chunks, want 3 of at most %d characters", len(chunks), DefaultMaxRunes)
	}
	checkChunks(t, doc, chunks, DefaultMaxRunes)
}

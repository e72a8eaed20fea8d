package bot

import (
	"strings"
	"testing"
)

// Two sources as a prompt would number them.
var verifySources = []string{
	"1. 男女双方本人有效的居民身份证原件各1份（身份证过期或遗失的，可用有效的临时身份证代替）。\n" +
		"2. 双方近期2寸半身免冠合影照片3张，红色背景。\n" +
		"3. 《申请结婚登记声明书》，由双方现场填写。",
	"材料齐全的，20个工作日内办结；需要核实的，在三十日内作出决定。\n" +
		"咨询电话：0999-86012303。办公时间：周一至周五上午9:00—12:00。\n" +
		"现场拍照每套30元，按1.5倍计收。本办法自2026-03-18起施行。\n" +
		"3. 24小时自助服务区在一楼。",
}

func TestVerifierUnsupported(t *testing.T) {
	v := newVerifier(verifySources, []string{"结婚登记", "领结婚证"}, len(verifySources))
	tests := []struct {
		name     string
		sentence string
		want     string // the unsupported fact, "" when all check out
	}{
		{"count as written", "需要男女双方的居民身份证原件各1份[1]。", ""},
		{"invented count", "需要身份证原件各2份[1]。", "2份"},
		{"days as written", "一般20个工作日内办结[2]。", ""},
		{"days in Chinese numerals", "一般二十个工作日内办结[2]。", ""},
		{"digits for Chinese numerals", "需要核实的，在30日内作出决定[2]。", ""},
		{"invented days", "一般5个工作日内办结[2]。", "5个工作日"},
		{"invented days in Chinese numerals", "一般十五个工作日内办结。", "十五个工作日"},
		{"part of a larger figure", "一般0个工作日内办结。", "0个工作日"},
		{"phone as written", "咨询电话是0999-86012303[2]。", ""},
		{"full-width phone", "咨询电话：０９９９－８６０１２３０３[2]。", ""},
		{"traditional characters", "諮詢電話是0999-86012303[2]。", ""},
		{"invented phone", "咨询电话是0999-86012304。", "0999-86012304"},
		{"invented mobile", "也可拨打13812345678咨询。", "13812345678"},
		{"range with another dash", "办公时间为上午9:00-12:00[2]。", ""},
		{"invented time", "办公时间为上午8:30-12:00。", "8:30-12:00"},
		{"space before unit", "拍照每套30 元[2]。", ""},
		{"invented fee", "拍照费用120元。", "120元"},
		{"invented percentage", "可报销60%。", "60%"},
		{"decimal", "按1.5倍计收[2]。", ""},
		{"part of a decimal", "按5倍计收。", "5倍"},
		{"date in another form", "本办法自2026年3月18日起施行[2]。", ""},
		{"invented date", "本办法自2026年3月19日起施行。", "19日"},
		{"form in title marks", "3. 《申请结婚登记声明书》[1]", ""},
		{"document title", "这是《结婚登记》的材料清单[1]。", ""},
		{"invented form", "还需要《婚前医学检查证明》。", "《婚前医学检查证明》"},
		{"material list item", "1. 居民身份证原件[1]", ""},
		{"material after 的", "2. 双方的合影照片3张[1]", ""},
		{"material after a verb", "- 携带临时身份证[1]", ""},
		{"invented material", "2. 户口簿原件", "户口簿原件"},
		{"invented material in a pair", "1. 居民身份证和户口簿", "户口簿"},
		{"step, not a material", "2. 现场填写：由双方签名[1]", ""},
		{"marker of no source", "以资料为准[3]。", "[3]"},
		{"一 in a word", "同一天可以办完[1]。", ""},
		{"figure after a list number in the sources", "自助服务区24小时开放[2]。", ""},
		{"no facts", "办理时需双方本人到场[1]。", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := v.unsupported(tt.sentence); got != tt.want {
				t.Errorf("unsupported(%q) = %q, want %q", tt.sentence, got, tt.want)
			}
		})
	}
}

func TestSmallNumber(t *testing.T) {
	tests := []struct {
		in     string
		want   int
		wantOK bool
	}{
		{"七", 7, true}, {"两", 2, true}, {"零", 0, true}, {"十", 10, true}, {"十五", 15, true},
		{"二十", 20, true}, {"三十五", 35, true}, {"三百零五", 305, true}, {"一千二百", 1200, true},
		{"一千零二十", 1020, true},
		{"一百五", 0, false}, {"一二", 0, false}, {"二〇二六", 0, false}, {"百", 0, false}, {"十十", 0, false},
	}
	for _, tt := range tests {
		got, ok := smallNumber(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("smallNumber(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestSegmenter(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		want   []string
	}{
		{"sentences across chunks", []string{"需要身份", "证[1]。办理", "不收费[1]。"}, []string{"需要身份证[1]。", "办理不收费[1]。"}},
		{"list lines", []string{"材料如下：\n1. 身份证\n2. 照", "片\n"}, []string{"材料如下：\n", "1. 身份证\n", "2. 照片\n"}},
		{"blank lines held back", []string{"\n\n第一句。\n\n", "第二句。\n\n"}, []string{"第一句。", "\n\n第二句。"}},
		{"unfinished last sentence", []string{"第一句。第二", "句没有句号  "}, []string{"第一句。", "第二句没有句号"}},
		{"nothing", []string{" \n", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s segmenter
			var got []string
			for _, c := range tt.chunks {
				got = append(got, s.push(c)...)
			}
			got = append(got, s.finish()...)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("sentences = %q, want %q", got, tt.want)
			}
			if s.text() != strings.Join(got, "") {
				t.Errorf("text() = %q, want the sentences joined %q", s.text(), strings.Join(got, ""))
			}
		})
	}
}

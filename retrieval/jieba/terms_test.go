package jieba

import (
	"slices"
	"sync"
	"testing"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

var (
	sharedOnce sync.Once
	sharedTok  *Tokenizer
	sharedErr  error
)

// newShared returns one Tokenizer with the default dictionaries for the
// whole test binary: loading jieba takes about a second.
func newShared(t *testing.T) *Tokenizer {
	t.Helper()
	sharedOnce.Do(func() { sharedTok, sharedErr = New(Config{}) })
	if sharedErr != nil {
		t.Fatalf("New(Config{}): %v", sharedErr)
	}
	return sharedTok
}

// checkTerms reports the wanted terms missing from got and the unwanted ones
// present in it.
func checkTerms(t *testing.T, text string, got, want, unwanted []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("Terms(%q) = %v, missing %q", text, got, w)
		}
	}
	for _, u := range unwanted {
		if slices.Contains(got, u) {
			t.Errorf("Terms(%q) = %v, should not hold %q", text, got, u)
		}
	}
}

func TestTermsColloquialQuestions(t *testing.T) {
	tok := newShared(t)
	tests := []struct {
		name     string
		text     string
		want     []string
		unwanted []string
	}{
		{"restaurant licence", "我想开个小饭馆需要办什么证",
			[]string{"餐饮", "证"}, []string{"我", "想", "需要", "办", "什么", "个"}},
		{"newborn registration", "生孩子以后怎么上户口",
			[]string{"新生儿出生", "户口登记", "户口"}, []string{"怎么", "生孩子", "上户口"}},
		{"company how long", "开公司要多久",
			[]string{"企业开办", "时限"}, []string{"要", "开公司", "多久"}},
		{"permit endorsement fee", "港澳通行证签注多少钱",
			[]string{"往来港澳通行证", "签注", "收费"}, []string{"港澳居民来往内地通行证", "多少", "多少钱"}},
		{"marriage materials", "结婚登记需要带什么材料?",
			[]string{"结婚登记", "材料"}, []string{"需要", "什么", "?", "需要带什么"}},
		{"licence renewal place", "驾照到期了在哪里换",
			[]string{"机动车驾驶证", "驾驶证换证", "地点"}, []string{"了", "驾照"}},
		{"lost card", "社保卡丢了怎么补办",
			[]string{"社会保障卡", "补办"}, []string{"了", "怎么", "社保卡"}},
		{"follow-up fee", "那要收费吗?",
			[]string{"收费"}, []string{"那", "那要", "吗"}},
		{"long term holds a long part", "城乡居民基本医疗保险怎么交",
			[]string{"城乡居民基本医疗保险", "基本医疗保险", "医疗保险"}, nil},
		{"self-employed insurance", "自由职业者怎么交社保",
			[]string{"灵活就业人员", "社会保险"}, []string{"怎么"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkTerms(t, tt.text, tok.Terms(tt.text), tt.want, tt.unwanted)
		})
	}
}

func TestTermsTraditionalEqualsSimplified(t *testing.T) {
	tok := newShared(t)
	tests := []struct {
		name, traditional, simplified string
	}{
		{"lost card", "社會保障卡遺失了怎麼補辦？", "社会保障卡遗失了怎么补办?"},
		{"marriage", "結婚登記需要帶什麼材料", "结婚登记需要带什么材料"},
		{"restaurant", "開飯店要辦什麼證", "开饭店要办什么证"},
		{"licence", "駕照到期在哪裡換", "驾照到期在哪里换"},
		{"generated", textnorm.ToTraditional("灵活就业人员养老保险缴费基数"), "灵活就业人员养老保险缴费基数"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := tok.Terms(tt.traditional), tok.Terms(tt.simplified)
			if !slices.Equal(got, want) {
				t.Errorf("Terms(%q) = %v, want %v as for %q", tt.traditional, got, want, tt.simplified)
			}
		})
	}
}

func TestTermsSynonymsBothWays(t *testing.T) {
	tok := newShared(t)
	tests := []struct {
		name, a, b, shared string
	}{
		{"social security card", "社保卡", "社会保障卡", "社会保障卡"},
		{"housing fund", "公积金", "住房公积金", "住房公积金"},
		{"subsistence allowance", "低保", "最低生活保障", "最低生活保障"},
		{"driving licence", "驾照", "机动车驾驶证", "机动车驾驶证"},
		{"start a company", "注册公司", "企业开办", "企业开办"},
		{"household registration", "报户口", "户口登记", "户口登记"},
		{"household register", "户口本", "户口簿", "户口簿"},
		{"how long", "要多久", "办理时限", "时限"},
		{"where", "在哪办", "办理地点", "地点"},
		{"how much", "多少钱", "收费标准", "收费"},
		{"phone", "联系方式", "咨询电话", "电话"},
		{"traditional member", "社保卡", "社會保障卡", "社会保障卡"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, text := range []string{tt.a, tt.b} {
				if got := tok.Terms(text); !slices.Contains(got, tt.shared) {
					t.Errorf("Terms(%q) = %v, missing shared term %q", text, got, tt.shared)
				}
			}
		})
	}
}

func TestTermsKeepsDifferentThingsApart(t *testing.T) {
	tok := newShared(t)
	a, b := tok.Terms("往来港澳通行证"), tok.Terms("回乡证")
	for _, term := range a {
		if slices.Contains(b, term) {
			t.Errorf("Terms(往来港澳通行证) = %v and Terms(回乡证) = %v share %q", a, b, term)
		}
	}
}

func TestTermsStopWords(t *testing.T) {
	tok := newShared(t)
	tests := []struct {
		name     string
		text     string
		want     []string
		unwanted []string
	}{
		{"only fillers", "请问我想问一下怎么办吗", nil,
			[]string{"请问", "我", "想", "问", "一下", "怎么", "怎么办", "吗"}},
		{"particles", "的了吗呢啊吧", nil, []string{"的", "了", "吗", "呢", "啊", "吧"}},
		{"content words kept", "申请补贴的条件和费用", []string{"申请", "补贴", "条件", "收费"}, []string{"的", "和", "费用"}},
		{"kept from jieba's list", "本人到本地窗口办理", []string{"本人", "本地", "窗口"}, []string{"到", "办理"}},
		{"synonym beats stop list", "设定依据在哪里", []string{"依据", "地点"}, []string{"哪里", "在哪里"}},
		{"punctuation and spaces", "社保卡 ， 补办！", []string{"社会保障卡", "补办"}, []string{" ", "，", ",", "!"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tok.Terms(tt.text)
			checkTerms(t, tt.text, got, tt.want, tt.unwanted)
			if tt.want == nil && len(got) != 0 {
				t.Errorf("Terms(%q) = %v, want none", tt.text, got)
			}
		})
	}
}

func TestTermsNumbersAndLatin(t *testing.T) {
	tok := newShared(t)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"phone number", "咨询电话：020-12345", []string{"020", "12345", "电话"}},
		{"date", "2024年7月1日起施行", []string{"2024", "7", "1"}},
		{"single digit", "第3条", []string{"3"}},
		{"latin word", "ETC卡办理", []string{"etc", "卡"}},
		{"full-width latin", "ＡＰＰ下载", []string{"app", "下载"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkTerms(t, tt.text, tok.Terms(tt.text), tt.want, nil)
		})
	}
}

func TestWords(t *testing.T) {
	tok := newShared(t)
	tests := []struct {
		name     string
		text     string
		want     []string
		unwanted []string
	}{
		{"keeps stop words", "我想办社保卡", []string{"我", "想", "办", "社保卡"}, []string{"社会保障卡"}},
		{"drops punctuation", "你好，世界！", []string{"你好", "世界"}, []string{"，", ",", "!"}},
		{"normalises", "社會保障卡", []string{"社会保障卡"}, []string{"社會保障卡"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkTerms(t, tt.text, tok.Words(tt.text), tt.want, tt.unwanted)
		})
	}
}

func TestIDF(t *testing.T) {
	tok := newShared(t)
	m := tok.median
	if m < 5 || m > 20 {
		t.Fatalf("median IDF = %v, want a value in jieba's usual range", m)
	}
	tests := []struct {
		name, term string
		want       func(float64) bool
		wantDesc   string
	}{
		{"common word", "社会", func(v float64) bool { return v > 0 && v < tok.IDF("签注") }, "positive, below IDF(签注)"},
		{"unknown word, an HMM guess", "房想", func(v float64) bool { return v == m/3 }, "a third of the median"},
		{"user-dictionary word", "一件事", func(v float64) bool { return v == m || v == tok.idf["一件事"] }, "the median or its table value"},
		{"number", "12345", func(v float64) bool { return v == m }, "the median"},
		{"domain term", "社会保障卡", func(v float64) bool { return v == m }, "the median"},
		{"stop word", "的", func(v float64) bool { return v == 0 }, "0"},
		{"filler", "请问", func(v float64) bool { return v == 0 }, "0"},
		{"synonym on jieba's stop list", "哪里", func(v float64) bool { return v > 0 }, "positive"},
		{"single character", "证", func(v float64) bool { return v == m/2 }, "half the median"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tok.IDF(tt.term); !tt.want(got) {
				t.Errorf("IDF(%q) = %v, want %s", tt.term, got, tt.wantDesc)
			}
		})
	}
}

func TestTermsEmpty(t *testing.T) {
	tok := newShared(t)
	for _, text := range []string{"", "   ", "？！。"} {
		if got := tok.Terms(text); len(got) != 0 {
			t.Errorf("Terms(%q) = %v, want none", text, got)
		}
		if got := tok.Words(text); len(got) != 0 {
			t.Errorf("Words(%q) = %v, want none", text, got)
		}
	}
}

func BenchmarkTerms(b *testing.B) {
	tok, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer tok.Close()
	text := "申请人持本人居民身份证、户口簿到户籍所在地派出所办理。" +
		"灵活就业人员可以按月缴纳基本养老保险费，缴费基数在上年度全省全口径城镇单位就业人员平均工资的60%至300%之间选择。" +
		"办理时限为5个工作日，不收费。咨询电话：020-12345。"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tok.Terms(text)
	}
}

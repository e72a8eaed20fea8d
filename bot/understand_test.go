package bot

import (
	"slices"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
)

func TestDetectSectionOneCharacterCue(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		words []string
		want  string
	}{
		{"费 as a word", "那要交什么费", []string{"交", "费"}, banban.SecFees},
		{"费 inside 缴费期", "过了集中缴费期才交居民医保能报销吗", []string{"集中", "缴费", "期", "居民医保", "报销"}, ""},
		{"no words given", "过了集中缴费期才交", nil, banban.SecFees},
	}
	for _, tt := range tests {
		if got := detectSection(tt.in, tt.words); got != tt.want {
			t.Errorf("%s: detectSection(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestAnswerPattern(t *testing.T) {
	tests := []struct {
		name     string
		question string
		sentence string
		want     bool
	}{
		{"amount", "政府每月最多给补多少", "每人每月最高不超过560元", true},
		{"amount missing", "政府每月最多给补多少", "补贴实行先缴后补", false},
		{"years", "补贴能享受几年", "补贴期限最长不超过3年", true},
		{"a date is no duration", "补贴能享受几年", "本办法自2026年4月1日起施行", false},
		{"when", "每个季度啥时候申报", "次月的1日至20日内提出申请", true},
		{"share", "住院能报销几成", "三级定点医疗机构60%", true},
	}
	for _, tt := range tests {
		p := answerPattern(tt.question)
		if p == nil {
			t.Errorf("%s: answerPattern(%q) = nil, want a pattern", tt.name, tt.question)
			continue
		}
		if got := p.MatchString(tt.sentence); got != tt.want {
			t.Errorf("%s: pattern for %q matches %q = %v, want %v", tt.name, tt.question, tt.sentence, got, tt.want)
		}
	}
	if p := answerPattern("结婚登记要带什么材料"); p != nil {
		t.Errorf("answerPattern(结婚登记要带什么材料) = %v, want nil", p)
	}
}

func TestStatesOtherYear(t *testing.T) {
	tests := []struct {
		body, year string
		want       bool
	}{
		{"2026年度个人缴费标准为每人每年400元", "2027", true},
		{"2027年度个人缴费标准为每人每年410元", "2027", false},
		{"个人缴费标准为每人每年400元", "2027", false},
		{"2026年度个人缴费标准为每人每年400元", "", false},
	}
	for _, tt := range tests {
		if got := statesOtherYear(tt.body, tt.year); got != tt.want {
			t.Errorf("statesOtherYear(%q, %q) = %v, want %v", tt.body, tt.year, got, tt.want)
		}
	}
}

// hitsOf returns the hits of one document of the given kind.
func hitsOf(kind banban.Kind) []retrieval.Hit {
	return []retrieval.Hit{{Hit: banban.Hit{Chunk: banban.Chunk{Kind: kind}}}}
}

func TestPolicyOverNamed(t *testing.T) {
	item := docHits{id: "item", name: "低保", topic: 0.5, hits: hitsOf(banban.KindItem)}
	tests := []struct {
		name string
		docs []docHits
		want int
	}{
		{"policy covers far more", []docHits{item, {id: "pol", topic: 0.9, hits: hitsOf(banban.KindPolicy)}}, 1},
		{"policy covers a little more", []docHits{item, {id: "pol", topic: 0.55, hits: hitsOf(banban.KindPolicy)}}, 0},
		{"guide covers far more", []docHits{item, {id: "faq", topic: 0.9, hits: hitsOf(banban.KindFAQ)}}, 0},
		{"nothing named", []docHits{{id: "a", topic: 0.3, hits: hitsOf(banban.KindItem)},
			{id: "pol", topic: 0.9, hits: hitsOf(banban.KindPolicy)}}, 0},
		{"first of equals", []docHits{item, {id: "p1", topic: 0.9, hits: hitsOf(banban.KindPolicy)},
			{id: "p2", topic: 0.9, hits: hitsOf(banban.KindPolicy)}}, 1},
	}
	for _, tt := range tests {
		if got := policyOverNamed(tt.docs, 0); got != tt.want {
			t.Errorf("%s: policyOverNamed = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestClearlyBetter(t *testing.T) {
	tests := []struct {
		name string
		docs []docHits
		want int
	}{
		{"runner-up holds the topic", []docHits{{id: "a", topic: 0.3}, {id: "b", topic: 1}, {id: "c", topic: 1}}, 1},
		{"runner-up a little better", []docHits{{id: "a", topic: 0.5}, {id: "b", topic: 0.7}}, -1},
		{"top is named", []docHits{{id: "a", name: "结婚登记", topic: 0.2}, {id: "b", topic: 0.9}}, -1},
		{"too far down", []docHits{{id: "a", topic: 0.1}, {id: "b", topic: 0.1}, {id: "c", topic: 0.1}, {id: "d", topic: 1}}, -1},
	}
	for _, tt := range tests {
		if got := clearlyBetter(tt.docs, 0.4); got != tt.want {
			t.Errorf("%s: clearlyBetter = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestFallbackOrder(t *testing.T) {
	docs := []docHits{
		{id: "faq", hits: hitsOf(banban.KindFAQ)},
		{id: "item", hits: hitsOf(banban.KindItem)},
		{id: "pol", hits: hitsOf(banban.KindPolicy)},
	}
	tests := []struct {
		section string
		want    []string
	}{
		{"补贴标准", []string{"pol", "faq", "item"}},
		{banban.SecFees, []string{"faq", "item", "pol"}},
	}
	for _, tt := range tests {
		var got []string
		for _, d := range fallbackOrder(docs, tt.section) {
			got = append(got, d.id)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("fallbackOrder(%s) = %v, want %v", tt.section, got, tt.want)
		}
	}
}

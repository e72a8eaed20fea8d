package forms

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// typeName stands for the person-name text fields in keyword targets.
const typeName = "name"

// keyword is a word after which a citizen gives a field's value: a field's
// own label (申请人身份证号), or a generic word for a kind of field (电话,
// 我叫) resolved against the form when found.
type keyword struct {
	word  string
	field string // a field by name, or
	ftype string // a field type (or typeName) resolved in context
	// self means the word already links to the value (住在, 我叫); other
	// words need 是, 为 or a colon before text values.
	self bool
	// role is a bare role word (男方 陈刚): without a name after it, it is
	// no mention of the field (男方的身份证).
	role bool
}

// genericKeywords name kinds of fields the way citizens do.
var genericKeywords = []keyword{
	{word: "身份证号码", ftype: banban.FieldIDCard}, {word: "身份证号", ftype: banban.FieldIDCard},
	{word: "身份证", ftype: banban.FieldIDCard}, {word: "身份号码", ftype: banban.FieldIDCard},
	{word: "证件号码", ftype: banban.FieldIDCard}, {word: "证件号", ftype: banban.FieldIDCard},
	{word: "手机号码", ftype: banban.FieldPhone}, {word: "手机号", ftype: banban.FieldPhone},
	{word: "手机", ftype: banban.FieldPhone}, {word: "电话号码", ftype: banban.FieldPhone},
	{word: "联系电话", ftype: banban.FieldPhone}, {word: "联系方式", ftype: banban.FieldPhone},
	{word: "电话", ftype: banban.FieldPhone},
	{word: "统一社会信用代码", ftype: banban.FieldUSCC}, {word: "社会信用代码", ftype: banban.FieldUSCC},
	{word: "信用代码", ftype: banban.FieldUSCC}, {word: "统一代码", ftype: banban.FieldUSCC},
	{word: "详细地址", ftype: banban.FieldAddress}, {word: "地址", ftype: banban.FieldAddress},
	{word: "住址", ftype: banban.FieldAddress}, {word: "居住在", ftype: banban.FieldAddress, self: true},
	{word: "住在", ftype: banban.FieldAddress, self: true}, {word: "家住", ftype: banban.FieldAddress, self: true},
	{word: "邮寄到", ftype: banban.FieldAddress, self: true}, {word: "寄到", ftype: banban.FieldAddress, self: true},
	{word: "送到", ftype: banban.FieldAddress, self: true}, {word: "寄往", ftype: banban.FieldAddress, self: true},
	{word: "我叫", ftype: typeName, self: true}, {word: "名叫", ftype: typeName, self: true},
	{word: "叫做", ftype: typeName, self: true}, {word: "名字", ftype: typeName}, {word: "姓名", ftype: typeName},
}

// typeWords are the words that name a field's kind inside its label; what
// comes before them is the field's role (男方, 申报人).
var typeWords = []string{"公民身份号码", "身份证号码", "身份证号", "联系电话", "电话", "姓名", "地址"}

var parenRe = regexp.MustCompile(`[（(].*?[）)]`)

// baseLabel is a label without its parenthetical note, normalised.
func baseLabel(f banban.FormField) string {
	return textnorm.Normalize(strings.TrimSpace(parenRe.ReplaceAllString(f.Label, "")))
}

// role is what a label says before its kind word: 男方 in 男方身份证号.
func role(f banban.FormField) string {
	b := baseLabel(f)
	for _, w := range typeWords {
		if r, ok := strings.CutSuffix(b, w); ok {
			return r
		}
	}
	return ""
}

// roleSynonyms are other words citizens use for a role.
var roleSynonyms = map[string][]string{
	"新生儿": {"孩子", "宝宝", "小孩", "婴儿"},
	"男方":  {"男的", "新郎", "丈夫", "老公"},
	"女方":  {"女的", "新娘", "妻子", "老婆"},
}

// keywords lists the form's words, longest first: each field's label and
// base label, the endings of its label no other field shares (身份证号 of
// 申请人身份证号 in a form with one ID), its role for person names (男方叫),
// then the generic words.
func keywords(fields []banban.FormField) []keyword {
	count := map[string]int{}
	for _, f := range fields {
		count[baseLabel(f)]++
		for _, s := range suffixes(baseLabel(f)) {
			count[s]++
		}
	}
	var ks []keyword
	for _, f := range fields {
		ks = append(ks, keyword{word: textnorm.Normalize(f.Label), field: f.Name}, keyword{word: baseLabel(f), field: f.Name})
		for _, s := range suffixes(baseLabel(f)) {
			if count[s] == 1 {
				ks = append(ks, keyword{word: s, field: f.Name})
			}
		}
		if r := role(f); isPersonName(f) && utf8.RuneCountInString(r) >= 2 {
			ks = append(ks, keyword{word: r + "叫", field: f.Name, self: true}, keyword{word: r + "的名字", field: f.Name},
				keyword{word: r, field: f.Name, role: true})
			for _, syn := range roleSynonyms[r] {
				ks = append(ks, keyword{word: syn + "叫", field: f.Name, self: true})
			}
		}
	}
	ks = append(ks, genericKeywords...)
	sort.SliceStable(ks, func(i, j int) bool { return len(ks[i].word) > len(ks[j].word) })
	return ks
}

// suffixes are the endings of s from two characters, s itself excluded.
func suffixes(s string) []string {
	rs := []rune(s)
	var out []string
	for i := 1; i+2 <= len(rs); i++ {
		out = append(out, string(rs[i:]))
	}
	return out
}

// connectors link a word to its value: 电话是…, 姓名：…, 改成….
var connectors = []string{"应该是", "更正为", "正确的是", "改成", "改为", "换成", "应为", "号码是", "号码", "是", "为", ":", "叫", "填", "写", "="}

// correctionRe rewrites 身份证号写错了，改成… as 身份证号是….
var correctionRe = regexp.MustCompile(`(?:写错了|填错了|写错|填错|搞错了|错了|有误|不对)[,，。.!！\s]*(?:应该是|应为|正确的是|改成|改为|换成|更正为|是)?`)

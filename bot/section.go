package bot

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// sectionCues map what citizens say to the item section that answers it.
// Specific cues name the thing asked about (条件, 材料, 费用); generic ones
// only the kind of question (要什么, 怎么办). A specific cue anywhere in the
// question beats a generic one, so 需要什么条件 asks for 受理条件; within a
// tier the first entry found wins, so 补贴 and 额度 come before 收费.
// headings are words of non-standard headings that answer the same question
// when a guide has no section of the standard name (贷款额度和利率).
var sectionCues = []struct {
	section  string
	specific []string
	generic  []string
	headings []string
}{
	{"补贴标准", []string{"补贴标准", "补贴多少", "补多少", "补助多少", "补助标准", "发多少", "补贴金额", "资助标准",
		"领多少", "拿多少", "有多少钱", "待遇", "一个月多少", "每月多少", "每个月多少", "怎么算", "怎么计算", "如何计算",
		"计算方法"}, []string{"有多少"},
		[]string{"补贴", "补助", "资助", "津贴", "待遇", "保障标准", "发放标准", "领取标准", "金额"}},
	{"提取额度", []string{"提取额度", "能取多少", "可以取多少", "提多少", "额度", "贷多少", "能贷"}, nil,
		[]string{"额度"}},
	{banban.SecFees, []string{"收费", "收不收费", "费用", "多少钱", "要钱", "花钱", "交钱", "收钱", "付费", "免费", "工本费", "几块钱", "登记费"},
		[]string{"费", "交多少"}, []string{"收费", "费用"}},
	{banban.SecTimeLimit, []string{"多久", "多长时间", "几天", "多少天", "时限", "多快", "啥时候能拿", "什么时候能拿", "什么时候能办好", "办结", "期限", "几个工作日", "当场"}, nil,
		[]string{"时限", "期限"}},
	{banban.SecHours, []string{"几点", "上班时间", "办公时间", "工作时间", "周末", "星期六", "星期天", "周六", "周日", "礼拜", "节假日", "什么时间", "啥时间", "开门", "营业时间", "办理时间", "上班"}, nil,
		[]string{"时间"}},
	{banban.SecPlace, []string{"在哪", "哪里办", "哪儿", "地点", "地址", "去哪", "哪个窗口", "什么地方", "啥地方", "窗口", "网上办", "线上办"},
		[]string{"哪里"}, []string{"地点", "地址"}},
	{banban.SecPhone, []string{"电话", "热线", "联系方式", "咨询方式", "打给谁", "号码"}, nil, []string{"电话"}},
	{banban.SecMaterials, []string{"材料", "资料", "证件", "带什么", "带啥", "准备什么", "准备啥", "提交什么", "提供什么"},
		[]string{"需要什么", "要什么", "要啥"}, []string{"材料"}},
	{banban.SecConditions, []string{"条件", "资格", "能不能办", "可以办吗", "能办吗", "符合", "谁可以", "哪些人", "什么人", "多大", "多少岁", "年龄"},
		[]string{"要求"}, []string{"条件", "对象"}},
	{banban.SecBasis, []string{"依据", "法律", "法规", "根据什么"}, []string{"规定"}, []string{"依据"}},
	{banban.SecProcess, []string{"流程", "步骤", "程序", "怎么申请", "如何申请", "办理方式"},
		[]string{"怎么办", "如何办", "怎么弄", "咋办", "咋弄", "怎么操作", "怎么领", "如何领", "怎么交", "怎么补", "怎么换", "怎么开"}, []string{"流程", "程序"}},
}

// amountSubjects and amountAsks ask for 补贴标准 together even when other
// words stand between them (补贴每月最高多少), where no single cue matches.
var (
	amountSubjects = []string{"补贴", "补助", "津贴", "资助", "标准"}
	amountAsks     = []string{"多少", "最高", "最多"}
	// feeWords keep a fee a fee (收费标准是多少).
	feeWords = []string{"收费", "费用", "工本费", "缴费", "交费", "交多少", "缴多少"}
)

// paidAmount reports a question about an amount paid out that says 多少钱
// (低保标准是多少钱一个月), which would otherwise ask for a fee.
func paidAmount(norm string) bool {
	return containsAny(norm, amountSubjects) && containsAny(norm, amountAsks) && !containsAny(norm, feeWords)
}

// detectSection returns the section a normalised question asks about, or "".
// words are the question's terms; a one-character generic cue counts only
// when it is a word of its own, so the 费 of 缴费期 (the premium period) does
// not ask for 收费标准. Nil words match every cue as a substring.
func detectSection(norm string, words []string) string {
	for _, sc := range sectionCues {
		if containsAny(norm, sc.specific) {
			if sc.section == banban.SecFees && paidAmount(norm) {
				return "补贴标准" // 低保标准是多少钱: an amount paid, not a fee
			}
			return sc.section
		}
	}
	if containsAny(norm, amountSubjects) && containsAny(norm, amountAsks) {
		return "补贴标准"
	}
	for _, sc := range sectionCues {
		for _, c := range sc.generic {
			if strings.Contains(norm, c) && (words == nil || utf8.RuneCountInString(c) > 1 || slices.Contains(words, c)) {
				return sc.section
			}
		}
	}
	return ""
}

// findSection returns the document's section answering the asked one: the
// section of that name, or else one whose heading holds one of the asked
// section's heading words.
func findSection(doc banban.Document, name string) (banban.Section, bool) {
	if s, ok := doc.Section(name); ok && strings.TrimSpace(s.Text) != "" {
		return s, true
	}
	for _, sc := range sectionCues {
		if sc.section != name {
			continue
		}
		for _, s := range doc.Sections {
			if s.Heading != "" && strings.TrimSpace(s.Text) != "" && containsAny(s.Heading, sc.headings) {
				return s, true
			}
		}
	}
	return banban.Section{}, false
}

// bundleCues ask for everything to be done about a life event at once,
// which is what a 一件事 bundle answers.
var bundleCues = []string{
	"哪几件事", "哪些事", "几件事", "一起办", "一块办", "一次办", "一并办", "一件事", "要办哪些", "哪些手续",
	"什么手续", "都要办", "一共要办", "全部手续",
}

// fillerWords carry no topic: a question made only of them and section cues
// is a follow-up on the conversation's focus (那要收费吗? 在哪办?).
var fillerWords = []string{
	"那么", "那", "还", "要", "需要", "吗", "呢", "吧", "啊", "呀", "的", "了", "是", "请问", "我", "想", "问",
	"一下", "这个", "这", "它", "该", "怎么", "什么", "哪些", "如何", "办理", "办", "去", "能", "可以", "么",
	"有", "没有", "不", "都", "得", "应该", "可", "多少", "几", "个", "具体", "再", "又", "呗", "咋", "啥",
	"到", "在", "给", "交", "带", "准备", "提供", "多", "要求",
}

// isBareFollowUp reports whether a normalised question names no topic of its
// own: only section cues, fillers and punctuation remain.
func isBareFollowUp(norm string) bool {
	rest := norm
	for _, sc := range sectionCues {
		for _, c := range append(sc.specific, sc.generic...) {
			rest = strings.ReplaceAll(rest, c, "")
		}
	}
	for _, f := range fillerWords {
		rest = strings.ReplaceAll(rest, f, "")
	}
	rest = strings.Trim(rest, " ,.!?~，。！？～、:：;；")
	return rest == ""
}

// isElliptical reports whether a question continues the previous one with a
// new topic but the old question (那居住证呢?).
func isElliptical(norm string) bool {
	t := strings.TrimRight(norm, " ?？!！。.")
	return strings.HasPrefix(t, "那") || strings.HasSuffix(t, "呢") || strings.HasPrefix(t, "还有")
}

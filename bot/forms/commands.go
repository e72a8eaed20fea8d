package forms

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// command is a message reduced for matching short replies: normalised,
// without spaces and punctuation, without trailing particles.
func command(text string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, textnorm.Normalize(text))
	for _, p := range []string{"吧", "啊", "呀", "哈", "哦", "了吧"} {
		if rest, ok := strings.CutSuffix(s, p); ok && rest != "" {
			s = rest
		}
	}
	return s
}

func oneOf(s string, words ...string) bool {
	for _, w := range words {
		if s == w {
			return true
		}
	}
	return false
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// wantsToApply reports a wish to apply or fill in the form (我要办, 帮我填表)
// that is not a question about applying (我要办社保卡需要什么材料?).
func wantsToApply(text string) bool {
	s := command(text)
	return containsAny(s, "我要办", "我想办", "帮我办", "我要申请", "我想申请", "帮我申请", "帮我填", "我要填",
		"我想填", "填表", "填申请表", "填写申请", "在线申请", "网上申请", "开始申请", "开始填", "一表申请", "预填",
		"现在就办", "马上办", "我要办理", "我想办理", "帮我办理", "帮我预约", "我要预约", "我想预约", "给我预约",
		"帮我登记", "我要登记") && (!isQuestion(text) || isRequest(s))
}

// isRequest reports a wish to apply put as a polite question (可以帮我填一下
// 吗, 能不能帮我申请): it asks Banban to do it, not how it is done.
func isRequest(s string) bool {
	return containsAny(s, "帮我填", "帮我办", "帮我申请", "帮我预约", "帮我登记", "替我填", "给我填") &&
		!containsAny(s, "什么", "怎么", "哪里", "哪些", "哪个", "多少", "如何", "为什么", "多久", "几天")
}

// isQuestion reports a question (about the item, not an answer to ours),
// which the bot should answer.
func isQuestion(text string) bool {
	s := textnorm.Normalize(text)
	return strings.ContainsAny(s, "?？") || strings.HasSuffix(command(text), "吗") ||
		containsAny(s, "什么", "怎么", "哪里", "哪些", "哪个", "多少", "如何", "为什么", "能不能", "是否",
			"需不需要", "要不要", "多久", "几天", "可不可以")
}

// wantsHuman reports a request for staff, which the desk handles.
func wantsHuman(text string) bool {
	s := command(text)
	return s == "人工" || containsAny(s, "转人工", "人工客服", "人工服务", "找人工", "要人工", "真人", "客服", "转接")
}

func isCancel(s string) bool {
	return oneOf(s, "取消", "算了", "不要了", "退出", "停止", "不弄了", "不搞了") ||
		containsAny(s, "不办了", "不填了", "取消申请", "取消填写", "取消办理", "取消填表", "不申请了", "不想办了",
			"先不办", "暂时不办", "不想填了", "不用填了")
}

func isConfirm(s string) bool {
	if oneOf(s, "确认", "确认无误", "无误", "确定", "对", "对的", "是的", "是", "没问题", "没错", "正确", "可以",
		"好", "好的", "行", "提交", "确认提交", "ok", "都对", "都对的", "信息无误", "没有问题", "对了", "嗯", "嗯嗯", "准确") {
		return true
	}
	if containsAny(s, "不", "错", "改") {
		return false
	}
	return strings.HasPrefix(s, "确认") || strings.HasPrefix(s, "没问题") || strings.HasPrefix(s, "都对") ||
		strings.HasPrefix(s, "信息无误") || strings.HasPrefix(s, "确定") || onlyWords(s, confirmWords)
}

// confirmWords are the words a confirmation is made of (对，提交吧 → 对提交).
var confirmWords = []string{"确认无误", "确认提交", "信息无误", "没有问题", "没问题", "确认", "确定", "提交", "对的", "是的",
	"没错", "正确", "可以", "好的", "都对", "无误", "帮我", "请", "对", "是", "好", "行", "嗯", "了"}

// onlyWords reports whether s is made only of words (longest first).
func onlyWords(s string, words []string) bool {
	for s != "" {
		cut := false
		for _, w := range words {
			if rest, ok := strings.CutPrefix(s, w); ok {
				s, cut = rest, true
				break
			}
		}
		if !cut {
			return false
		}
	}
	return true
}

func isSkip(s string) bool {
	return oneOf(s, "跳过", "不填", "没有", "无", "不需要", "暂无", "不用", "略过", "空着", "先跳过", "这个跳过",
		"没有的", "不要", "不用了", "这项跳过", "这个不填", "不需要填", "没") || strings.HasPrefix(s, "跳过")
}

// isLooseSkip reports a short reply that declines a field in other words
// (不用填, 没有监护人); it is a skip only when every field asked is
// optional, since for a required one it may be the value (没有工作).
func isLooseSkip(s string) bool {
	return utf8.RuneCountInString(s) <= 5 && hasAnyPrefix(s, "不用", "不需要", "不填", "不写", "无需", "免填", "没有", "暂时没有")
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// onlyApplyWish reports a message that only repeats the wish to apply
// (帮我填, 我要申请一下) and gives no value.
func onlyApplyWish(s string) bool {
	return onlyWords(s, applyWords)
}

var applyWords = []string{"我要办理", "我想办理", "帮我办理", "填申请表", "填写申请", "开始申请", "开始填", "一表申请", "我要申请",
	"我想申请", "帮我申请", "我要办", "我想办", "帮我办", "帮我填", "我要填", "我想填", "填表", "预填", "一下", "这个", "表", "请", "吧", "好"}

func isDeny(s string) bool {
	return containsAny(s, "不对", "有误", "错了", "要改", "修改", "不正确", "改一下", "不是")
}

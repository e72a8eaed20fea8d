package bot

import (
	"strings"
	"unicode/utf8"
)

// intent is what a message asks for, before any search.
type intent int

const (
	intentQuestion  intent = iota
	intentHuman            // asks for a person
	intentComplaint        // complains; staff should take it
	intentInjection        // tries to change the bot's instructions
	intentGreeting
	intentThanks
)

// Phrase lists, matched on normalised (simplified, lower-case) text.
var (
	humanPhrases = []string{
		"转人工", "人工客服", "人工服务", "找人工", "要人工", "接人工", "真人", "找客服", "人工坐席",
		"工作人员", "找个人", "找人帮", "帮办员", "人工帮办", "人工回复", "人工处理",
	}
	complaintPhrases = []string{
		"投诉", "举报", "态度差", "态度恶劣", "太慢了", "不作为", "刁难", "乱收费", "要求赔偿",
	}
	injectionPhrases = []string{
		"忽略之前", "忽略以上", "忽略上面", "忽略前面", "忽略你的", "忽略所有", "无视之前", "无视以上", "无视你的",
		"忘记之前", "忘掉之前", "忘记你的", "系统提示", "提示词", "system prompt", "prompt", "ignore previous",
		"ignore all", "ignore the above", "jailbreak", "越狱", "开发者模式", "developer mode", "没有限制的ai",
		"不受限制", "扮演", "你现在是", "从现在开始你是", "角色扮演", "你的配置", "你的设定", "你的指令",
		"api key", "apikey", "密钥", "输出你的", "泄露", "dan模式",
	}
	greetingPhrases = []string{"你好", "您好", "hello", "hi", "在吗", "在不在", "早上好", "下午好", "晚上好", "嗨", "哈喽"}
	thanksPhrases   = []string{"谢谢", "多谢", "感谢", "thanks", "thank you", "好的", "明白了", "知道了", "ok"}
)

// classify finds the intent of a normalised message.
func classify(norm string) intent {
	switch {
	case containsAny(norm, injectionPhrases):
		return intentInjection
	case containsAny(norm, complaintPhrases):
		return intentComplaint
	case containsAny(norm, humanPhrases):
		return intentHuman
	case isSmallTalk(norm, greetingPhrases):
		return intentGreeting
	case isSmallTalk(norm, thanksPhrases):
		return intentThanks
	}
	return intentQuestion
}

// isSmallTalk reports whether the message is only a greeting or thanks, not
// a greeting followed by a question.
func isSmallTalk(norm string, phrases []string) bool {
	rest := norm
	for _, p := range phrases {
		rest = strings.ReplaceAll(rest, p, "")
	}
	rest = strings.Trim(rest, " ,.!?~，。！？～啊呀呢哈了的")
	return rest != norm && utf8.RuneCountInString(rest) <= 1
}

func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

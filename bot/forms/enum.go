package forms

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// ordinalRe reads a choice by number: 2, 第二个, 选2, 第2项.
var ordinalRe = regexp.MustCompile(`^(?:选|选择|第)?\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:个|项|种|条|号)?$`)

// Enum matches s to one of options: by number (2, 第二个), by the option's
// text (exactly, contained in s, or s contained in one option), by an
// abbreviation (工行 for 工商银行) or by the longest shared part (本市户口 for
// 本市户籍). It returns the option's text; no match or a tie is an error
// listing the options.
func Enum(options []string, s string) (string, error) {
	s = strings.TrimSpace(s)
	norm := normOption(s)
	if m := ordinalRe.FindStringSubmatch(norm); m != nil {
		if n := dateNum(m[1]); n >= 1 && n <= len(options) {
			return options[n-1], nil
		}
	}
	if o, ok := matchOption(options, norm); ok {
		return o, nil
	}
	if alt := optionWords.Replace(norm); alt != norm {
		if o, ok := matchOption(options, alt); ok {
			return o, nil
		}
	}
	if o, ok := distinctive(options, norm); ok {
		return o, nil
	}
	return "", reason("请从以下选项中选择：%s", strings.Join(options, "、"))
}

// optionWords rewrites everyday words into the words options use
// (第一次办 → 首次办 for 首次申请, 寄到家里 → 邮寄家里 for 邮寄送证, 按季度 →
// 按季 for 按季提取).
var optionWords = strings.NewReplacer(
	"外地", "非本市", "外省", "非本市", "外市", "非本市", "本地", "本市", "户口", "户籍",
	"夫妻", "家庭", "两口子", "家庭", "一家人", "家庭", "家里人", "家庭", "全家", "家庭",
	"一个人", "个人", "我自己", "个人", "自己干", "个人", "独自", "个人",
	"跟妈妈", "随母", "跟爸爸", "随父", "妈妈", "母", "母亲", "母", "爸爸", "父", "父亲", "父", "跟", "随",
	"一年一次", "按年", "一年", "按年", "一个月一次", "按月", "三个月", "按季",
	"第一次", "首次", "头一次", "首次", "初次", "首次", "季度", "季",
	"每个月", "按月", "每月", "按月", "每季", "按季", "每年", "按年",
	"快递", "邮寄", "邮递", "邮寄", "寄到", "邮寄", "寄回", "邮寄", "寄给", "邮寄",
	"自己去拿", "窗口领取", "自己去取", "窗口领取", "自己拿", "窗口领取", "去窗口", "窗口", "现场领", "窗口领",
)

func matchOption(options []string, s string) (string, bool) {
	if s == "" {
		return "", false
	}
	for _, o := range options {
		if normOption(o) == s {
			return o, true
		}
	}
	tests := []func(o string) int{
		func(o string) int { return containedLen(s, o) },
		func(o string) int { return prefixScore(o, s) },
		func(o string) int { return boolScore(abbreviates(s, o)) },
		func(o string) int { return commonScore(o, s) },
	}
	for _, score := range tests {
		if o, ok := best(options, score); ok {
			return o, true
		}
	}
	return "", false
}

// distinctive matches s to the one option whose own part (what is left
// without the ending all options share: 新区 of 新区婚姻登记处) s contains
// (新区那个登记处).
func distinctive(options []string, s string) (string, bool) {
	if len(options) < 2 {
		return "", false
	}
	norms := make([][]rune, len(options))
	for i, o := range options {
		norms[i] = []rune(normOption(o))
	}
	common := len(norms[0])
	for _, n := range norms[1:] {
		k := 0
		for k < len(n) && k < len(norms[0]) && n[len(n)-1-k] == norms[0][len(norms[0])-1-k] {
			k++
		}
		common = min(common, k)
	}
	if common == 0 {
		return "", false
	}
	return best(options, func(o string) int {
		own := []rune(o)
		own = own[:len(own)-common]
		if len(own) < 2 {
			return 0
		}
		return containedLen(s, string(own))
	})
}

// best returns the option with the highest positive score, if no other
// option ties with it.
func best(options []string, score func(o string) int) (string, bool) {
	top, n, pick := 0, 0, ""
	for _, o := range options {
		switch v := score(normOption(o)); {
		case v > top:
			top, n, pick = v, 1, o
		case v == top && v > 0:
			n++
		}
	}
	return pick, n == 1
}

// containedLen scores an option found in s by its length, so that 非本市户籍
// wins over 本市户籍 inside "非本市户籍".
func containedLen(s, o string) int {
	if strings.Contains(s, o) {
		return utf8.RuneCountInString(o)
	}
	return 0
}

// prefixScore scores s found in an option, preferring options it starts.
func prefixScore(o, s string) int {
	switch {
	case strings.HasPrefix(o, s):
		return 2
	case strings.Contains(o, s):
		return 1
	}
	return 0
}

// abbreviates reports whether s takes the option's first character and
// then some of its others in order (工行: 工商银行, 建行: 建设银行).
func abbreviates(s, o string) bool {
	sr, or := []rune(s), []rune(o)
	if len(sr) < 2 || len(sr) >= len(or) || sr[0] != or[0] {
		return false
	}
	j := 1
	for _, r := range or[1:] {
		if j < len(sr) && r == sr[j] {
			j++
		}
	}
	return j == len(sr)
}

// commonScore is the length of the longest run shared by o and s, counted
// from two characters, with a bonus when the run starts the option.
func commonScore(o, s string) int {
	or, sr := []rune(o), []rune(s)
	bestLen, bonus := 0, 0
	for i := range or {
		for j := range sr {
			k := 0
			for i+k < len(or) && j+k < len(sr) && or[i+k] == sr[j+k] {
				k++
			}
			if k > bestLen || k == bestLen && i == 0 {
				bestLen, bonus = k, boolScore(i == 0)
			}
		}
	}
	if bestLen < 2 {
		return 0
	}
	return bestLen*2 + bonus
}

func boolScore(b bool) int {
	if b {
		return 1
	}
	return 0
}

// normOption folds width, case and traditional characters and drops spaces
// and punctuation, for comparing a reply with an option.
func normOption(s string) string {
	s = textnorm.Normalize(s)
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(" ,.;:!?，。；：！？、\"'“”‘’()（）", r) {
			return -1
		}
		return r
	}, s)
}

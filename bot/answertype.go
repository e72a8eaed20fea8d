package bot

import (
	"regexp"
	"strings"
)

// answerTypes say what kind of figure a question asks for and how such a
// figure is written in a policy. A question that asks 几年 is answered by a
// sentence holding a number of years; of the sentences that share the
// question's words, it is the one to quote. Cues are matched on the
// normalised question, in order; the first type found wins.
var answerTypes = []struct {
	cues    []string
	pattern *regexp.Regexp
}{
	{[]string{"几成", "比例", "百分之", "百分比"}, regexp.MustCompile(`[0-9]+(\.[0-9]+)?%`)},
	{[]string{"啥时候", "什么时候", "几号", "哪天", "何时", "哪几天", "几月"},
		regexp.MustCompile(`(^|[^0-9])[0-9]{1,2}(月|日|号)`)},
	{[]string{"几年", "多少年", "多少个月", "几个月", "多少天", "几天", "多久", "多长时间"},
		// One to three digits: a duration (3年, 158天), not a date (2026年).
		regexp.MustCompile(`(^|[^0-9])[0-9]{1,3}(年|个月|天|个工作日)`)},
	{[]string{"多大面积", "多少平", "面积"}, regexp.MustCompile(`[0-9]+(\.[0-9]+)?平方米`)},
	{[]string{"多少钱", "补多少", "给多少", "发多少", "领多少", "交多少", "贷多少", "拿多少", "几块钱",
		"多少元", "金额", "补贴多少", "补助多少", "能取多少", "提多少", "最多"},
		regexp.MustCompile(`[0-9]+(\.[0-9]+)?万?元`)},
}

// answerPattern returns how the figure a normalised question asks for is
// written, or nil when it asks for no figure.
func answerPattern(norm string) *regexp.Regexp {
	for _, at := range answerTypes {
		for _, c := range at.cues {
			if strings.Contains(norm, c) {
				return at.pattern
			}
		}
	}
	return nil
}

// answerBoost multiplies the score of a passage whose first sentences hold
// the kind of figure asked for: enough to lift it over a passage that
// shares a word more with the question but gives no figure, not enough to
// prefer a figure on another matter.
const answerBoost = 1.5

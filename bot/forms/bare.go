package forms

import (
	"slices"
	"strings"
	"unicode"

	"github.com/banban-gov/banban"
)

// Delimiters end a clause; names also end at a space or an enumeration comma.
const (
	clauseDelims = ",，。；;！!？?\n"
	nameDelims   = clauseDelims + " 、"
)

// nameStops are words that end a name written without punctuation
// (我叫张三想办社保卡).
var nameStops = []string{"想", "要", "今年", "的", "在", "来", "申请", "办", "身份", "电话", "手机", "住", "家"}

// bare reads what is left of the message as the answer to the question
// asked: as one value when one field is open, otherwise piece by piece
// (split at punctuation), each piece going to the first open field that
// accepts it, or that it looks meant for (so that its error is shown).
func (x *extractor) bare() {
	var open []banban.FormField
	for _, name := range x.asking {
		if f, ok := x.field(name); ok && !x.taken[name] {
			open = append(open, f)
		}
	}
	if len(open) == 0 {
		return
	}
	pieces := x.pieces()
	if len(open) == 1 {
		if whole, ok := x.whole(); ok {
			pieces = []string{whole}
		}
	}
	for _, p := range pieces {
		x.assign(open, p)
	}
}

func (x *extractor) assign(open []banban.FormField, piece string) {
	for _, f := range open {
		if _, err := Validate(f, piece, x.now); err == nil && !x.taken[f.Name] {
			x.add(f, piece)
			return
		}
	}
	for _, f := range open {
		if !x.taken[f.Name] && plausible(f, piece) {
			x.add(f, piece)
			return
		}
	}
}

// pieces splits the unused text at punctuation and used runs.
func (x *extractor) pieces() []string {
	var out []string
	var cur []rune
	flush := func() {
		if p := trimFillers(strings.TrimSpace(string(cur))); p != "" {
			out = append(out, p)
		}
		cur = cur[:0]
	}
	for i, r := range x.norm {
		if x.used[i] && slices.Contains(labelModifiers, string(cur)) {
			cur = cur[:0] // 店面 of 店面地址: part of the label, not a value
		}
		if x.used[i] || strings.ContainsRune(nameDelims, r) {
			flush()
			continue
		}
		cur = append(cur, x.orig[i])
	}
	flush()
	return out
}

// labelModifiers are words said right before a label (店面地址, 户籍地址,
// 家庭住址), which belong to it and answer nothing.
var labelModifiers = []string{"店面", "店铺", "门店", "家庭", "家里", "户籍", "户口", "居住", "现", "现在", "通讯",
	"收件", "经营", "公司", "单位", "老家", "本人", "我的", "我", "孩子", "家长", "联系"}

// whole is the unused text as one value, when no used run interrupts it.
func (x *extractor) whole() (string, bool) {
	first, last := -1, -1
	for i, r := range x.norm {
		if !x.used[i] && !strings.ContainsRune(nameDelims, r) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || x.isUsed(first, last+1) {
		return "", false
	}
	s := trimFillers(strings.TrimSpace(string(x.orig[first : last+1])))
	return s, s != "" && !slices.Contains(labelModifiers, s)
}

// wantsWholeText reports whether the question asked for one free-text or
// address field, whose answer is taken whole.
func (x *extractor) wantsWholeText() bool {
	if len(x.asking) != 1 {
		return false
	}
	f, ok := x.field(x.asking[0])
	if !ok {
		return false
	}
	return f.Type == banban.FieldAddress || f.Type == banban.FieldText && !isPersonName(f) && !isCodeField(f)
}

// clauseEnd is where the clause starting at p ends.
func clauseEnd(rs []rune, p, limit int) int {
	for i := p; i < limit; i++ {
		if strings.ContainsRune(clauseDelims, rs[i]) {
			return i
		}
	}
	return limit
}

// textEnd is where a text value starting at p ends: its clause, or for a
// person's name also a space or a following word (想, 身份证…).
func textEnd(rs []rune, p, limit int, f banban.FormField) int {
	if isCodeField(f) {
		return codeEnd(rs, p, clauseEnd(rs, p, limit))
	}
	if !isPersonName(f) {
		return clauseEnd(rs, p, limit)
	}
	for i := p; i < limit; i++ {
		if strings.ContainsRune(nameDelims, rs[i]) {
			return i
		}
		if i >= p+2 {
			for _, w := range nameStops {
				if hasPrefixAt(rs[:limit], i, []rune(w)) {
					return i
				}
			}
		}
	}
	return limit
}

// codeEnd is where a code starting at p ends: its first group, then
// only groups of digits (6222 0212 3456), so that 档案编号 350100998877 C1
// leaves C1 to the next field.
func codeEnd(rs []rune, p, limit int) int {
	for p < limit && rs[p] == ' ' {
		p++
	}
	end, first := p, true
	for i := p; i <= limit; i++ {
		if i < limit && rs[i] != ' ' {
			continue
		}
		group := string(rs[p:i])
		if group != "" {
			if !first && !isDigits(group) {
				return end
			}
			end, first = i, false
		}
		p = i + 1
	}
	return end
}

var (
	leadFillers  = []string{"嗯嗯", "嗯", "呃", "哦", "好的", "那个", "我的是", "我的", "我是", "就是", "是"}
	trailFillers = []string{"吧", "呢", "啊", "哦", "呀", "哈", "吗", "嘛"}
)

// trimFillers drops spoken fillers around a value (嗯，是…吧).
func trimFillers(s string) string {
	for changed := true; changed; {
		changed = false
		s = strings.TrimFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(clauseDelims+"、", r)
		})
		for _, w := range leadFillers {
			if rest, ok := strings.CutPrefix(s, w); ok && rest != "" {
				s, changed = rest, true
				break
			}
		}
		for _, w := range trailFillers {
			if rest, ok := strings.CutSuffix(s, w); ok {
				s, changed = rest, true
				break
			}
		}
	}
	return s
}

// plausible reports whether raw looks meant for f, so that a failed check
// is shown rather than the text ignored.
func plausible(f banban.FormField, raw string) bool {
	digits := 0
	for _, r := range raw {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	switch f.Type {
	case banban.FieldIDCard:
		return digits >= 14
	case banban.FieldUSCC:
		return len(stripSpaces(raw)) >= 15 && digits >= 6
	case banban.FieldPhone:
		return digits >= 7 && digits <= 14
	case banban.FieldDate:
		return digits > 0 || dateShape.MatchString(raw)
	case banban.FieldNumber:
		return numberRe.MatchString(raw)
	case banban.FieldAddress:
		return strings.ContainsAny(raw, addressMarks)
	case banban.FieldText:
		if isPersonName(f) {
			return digits == 0
		}
		return !isCodeField(f) || digits > 0
	}
	return true
}

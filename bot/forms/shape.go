package forms

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// Shapes of values in normalised (lower-case, half-width) text.
var (
	idShape    = regexp.MustCompile(`\d{17}[\dx]`)
	usccShape  = regexp.MustCompile(`[0-9a-z]{18}`)
	phoneShape = regexp.MustCompile(`(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}|0\d{2,3}-\d{7,8}`)
	dateShape  = regexp.MustCompile(fullDateRe.String() + `|` + monthDayRe.String() + `|` + weekdayRe.String() +
		`|` + daysLaterRe.String() + `|大后天|后天|明天|明日|今天|今日|昨天|前天`)
	moneyShape = regexp.MustCompile(`(?:\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万点]*)\s*(?:万元|万块|万|千元|千块|千|元|块钱|块)`)
	countShape = regexp.MustCompile(`(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:口人|个人|口|人)`)
	areaShape  = regexp.MustCompile(`(?:\d+(?:\.\d+)?|[一二两三四五六七八九十][零〇一二两三四五六七八九十百点]*)\s*(?:平方米|平米|平方|㎡|m2|m²)`)
)

// shapeOf is the pattern a labelled value of the field's type is looked
// for with.
func shapeOf(f banban.FormField) *regexp.Regexp {
	switch f.Type {
	case banban.FieldIDCard:
		return idShape
	case banban.FieldUSCC:
		return usccShape
	case banban.FieldPhone:
		return phoneShape
	case banban.FieldDate:
		return dateShape
	case banban.FieldNumber:
		return numberRe
	}
	return nil
}

func shaped(f banban.FormField) bool { return shapeOf(f) != nil }

// findShape finds the field's shape in norm[start:limit].
func (x *extractor) findShape(f banban.FormField, start, limit int) (int, int, bool) {
	for _, m := range x.matches(shapeOf(f), start, limit) {
		return m[0], m[1], true
	}
	return 0, 0, false
}

// matches returns the unused rune spans of re in norm[start:limit]; number
// shapes must not touch other letters or digits (a bank card is not a
// phone number).
func (x *extractor) matches(re *regexp.Regexp, start, limit int) [][2]int {
	s := string(x.norm[start:limit])
	var out [][2]int
	for _, m := range re.FindAllStringIndex(s, -1) {
		a := start + utf8.RuneCountInString(s[:m[0]])
		b := a + utf8.RuneCountInString(s[m[0]:m[1]])
		if x.isUsed(a, b) || alnumAt(x.norm, a-1) && alnumAt(x.norm, a) || alnumAt(x.norm, b) && alnumAt(x.norm, b-1) {
			continue
		}
		out = append(out, [2]int{a, b})
	}
	return out
}

func alnumAt(rs []rune, i int) bool {
	if i < 0 || i >= len(rs) {
		return false
	}
	r := rs[i]
	return r < 0x80 && (unicode.IsDigit(r) || unicode.IsLetter(r))
}

// shaped finds values by their shape anywhere in the message. Strong shapes
// (credit codes, ID and phone numbers) come first; weak ones (dates,
// amounts, people, areas) are left alone while a single free-text
// answer is expected, so that 申请理由 keeps its numbers.
func (x *extractor) shaped(wholeText bool) {
	x.shapes(usccShape, func(raw string) (banban.FormField, bool) {
		if !strings.ContainsAny(raw[:17], "abcdefghjklmnpqrtuwxy") {
			return banban.FormField{}, false
		}
		return x.resolve(x.candidates(banban.FieldUSCC), 0, true)
	})
	x.shapes(idShape, func(string) (banban.FormField, bool) {
		if len(x.candidates(banban.FieldIDCard)) == 0 || x.asksOnly(banban.FieldUSCC) {
			return x.resolve(x.candidates(banban.FieldUSCC), 0, true)
		}
		return x.resolve(x.candidates(banban.FieldIDCard), 0, true)
	})
	x.shapes(phoneShape, x.kind(banban.FieldPhone, true))
	if wholeText {
		return
	}
	x.shapes(dateShape, x.kind(banban.FieldDate, false))
	x.shapes(moneyShape, x.numbers(isMoneyField))
	x.shapes(countShape, x.numbers(isCountField))
	x.shapes(areaShape, x.numbers(isAreaField))
}

// shapes claims each unused match of re for the field pick returns.
func (x *extractor) shapes(re *regexp.Regexp, pick func(raw string) (banban.FormField, bool)) {
	for _, m := range x.matches(re, 0, len(x.norm)) {
		raw := string(x.norm[m[0]:m[1]])
		f, ok := pick(raw)
		if !ok || x.taken[f.Name] {
			continue
		}
		x.mark(m[0], m[1])
		x.add(f, raw)
	}
}

func (x *extractor) kind(ftype string, strong bool) func(string) (banban.FormField, bool) {
	return func(string) (banban.FormField, bool) {
		return x.resolve(x.candidates(ftype), 0, strong)
	}
}

// numbers picks among number fields of one sort (money, people, area).
func (x *extractor) numbers(sort func(banban.FormField) bool) func(string) (banban.FormField, bool) {
	return func(string) (banban.FormField, bool) {
		var cands []banban.FormField
		for _, f := range x.candidates(banban.FieldNumber) {
			if sort(f) {
				cands = append(cands, f)
			}
		}
		return x.resolve(cands, 0, false)
	}
}

// asksOnly reports whether the question asked for a field of this type and
// none for an ID (an all-digit credit code then is one).
func (x *extractor) asksOnly(ftype string) bool {
	asked := false
	for _, name := range x.asking {
		f, _ := x.field(name)
		switch f.Type {
		case ftype:
			asked = true
		case banban.FieldIDCard:
			return false
		}
	}
	return asked
}

// options claims enum options written out in full (邮寄送证, 城市低保),
// longest first so that 非本市户籍 is not read as 本市户籍. One-character
// options (男, 女) are taken only as answers to their question, or by the
// words that say them (是个女孩).
func (x *extractor) options() {
	type opt struct {
		field banban.FormField
		text  string
		norm  []rune
	}
	var opts []opt
	for _, f := range x.candidates(banban.FieldEnum) {
		for _, o := range f.Options {
			if n := []rune(normOption(o)); len(n) >= 2 {
				opts = append(opts, opt{f, o, n})
			}
			for _, w := range oneCharWords[o] {
				opts = append(opts, opt{f, o, []rune(w)})
			}
		}
	}
	for i := range opts {
		for j := i + 1; j < len(opts); j++ {
			if len(opts[j].norm) > len(opts[i].norm) {
				opts[i], opts[j] = opts[j], opts[i]
			}
		}
	}
	for _, o := range opts {
		ps := slices.DeleteFunc(x.find(o.norm), func(p int) bool {
			return alnumAt(x.norm, p-1) && alnumAt(x.norm, p) || alnumAt(x.norm, p+len(o.norm)) && alnumAt(x.norm, p+len(o.norm)-1)
		})
		if len(ps) == 0 || x.taken[o.field.Name] || x.filled[o.field.Name] && !x.isAsked(o.field.Name) && !x.onlyOwner(o.text) {
			continue
		}
		x.mark(ps[0], ps[0]+len(o.norm))
		x.add(o.field, o.text)
	}
}

// oneCharWords are words that give a one-character option anywhere in a
// message.
var oneCharWords = map[string][]string{
	"男": {"男孩", "男宝", "儿子", "男婴", "男性"},
	"女": {"女孩", "女宝", "女儿", "女婴", "女性"},
}

// onlyOwner reports whether exactly one enum field offers this option, so a
// message naming it changes that field (改成邮寄送证).
func (x *extractor) onlyOwner(option string) bool {
	n := 0
	for _, f := range x.candidates(banban.FieldEnum) {
		for _, o := range f.Options {
			if o == option {
				n++
			}
		}
	}
	return n == 1
}

func isMoneyField(f banban.FormField) bool {
	return strings.ContainsAny(f.Label, "元") || strings.Contains(f.Label, "收入") || strings.Contains(f.Label, "租金") || strings.Contains(f.Label, "金额")
}

func isAreaField(f banban.FormField) bool {
	return strings.Contains(f.Label, "面积") || strings.Contains(f.Label, "平方米")
}

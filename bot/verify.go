package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// verifier checks the sentences a model generated against the sources it
// was given. A citizen acts on figures, phone numbers and material names, so
// each of them must be found in the sources as written; the wording around
// them may differ. Comparison is on normalised text (simplified characters,
// half-width digits and punctuation), and small Chinese numerals before a
// unit match their digits (二十个工作日 = 20个工作日).
type verifier struct {
	corpus  string // canonical text of the sources, their labels and the document's names
	digits  string // corpus with small Chinese numerals before units in digits
	names   map[string]bool
	sources int
}

// newVerifier builds a verifier for n numbered sources whose texts and
// labels are given, from a document with the given names.
func newVerifier(texts, names []string, n int) *verifier {
	v := &verifier{names: make(map[string]bool), sources: n}
	parts := make([]string, 0, len(texts)+len(names))
	for _, t := range texts {
		parts = append(parts, canonical(t))
	}
	for _, name := range names {
		c := canonical(name)
		v.names[c] = true
		parts = append(parts, c)
	}
	// The separator keeps text from two sources from forming a fact
	// that neither holds.
	v.corpus = strings.Join(parts, "|")
	v.digits = quantityRe.ReplaceAllStringFunc(v.corpus, func(m string) string {
		num, unit := splitQuantity(m)
		if n, ok := smallNumber(num); ok {
			return strconv.Itoa(n) + unit
		}
		return m
	})
	return v
}

// unsupported returns the first fact in sentence that the sources do not
// hold (a citation marker that names no source counts), or "" when every
// fact checks out.
func (v *verifier) unsupported(sentence string) string {
	s := textnorm.Normalize(sentence)
	s, bad := v.stripMarkers(s)
	if bad != "" {
		return bad
	}
	if f := v.unsupportedName(s); f != "" {
		return f
	}
	c := canonical(stripListNumber(s))
	if f := v.unsupportedQuantity(c); f != "" {
		return f
	}
	return v.unsupportedNumber(c)
}

// markerRe matches citation markers: [1], and 【1】 which models also write.
var markerRe = regexp.MustCompile(`[\[【](\d+)[\]】]`)

// stripMarkers removes citation markers, returning the first that names no
// source.
func (v *verifier) stripMarkers(s string) (string, string) {
	for _, m := range markerRe.FindAllStringSubmatch(s, -1) {
		if n, err := strconv.Atoi(m[1]); err != nil || n < 1 || n > v.sources {
			return s, m[0]
		}
	}
	return markerRe.ReplaceAllString(s, ""), ""
}

// quotedRe matches names in title marks and corner brackets.
var quotedRe = regexp.MustCompile(`《([^》]{1,60})》|「([^」]{1,60})」`)

// unsupportedName checks the names of forms and documents: those quoted in
// 《》 or 「」, and list items that name a material (身份证原件, 户口簿).
func (v *verifier) unsupportedName(s string) string {
	for _, m := range quotedRe.FindAllStringSubmatch(s, -1) {
		name := canonical(m[1] + m[2])
		if name != "" && !v.names[name] && !strings.Contains(v.corpus, name) {
			return m[0]
		}
	}
	item, ok := listItem(s)
	if !ok {
		return ""
	}
	for _, part := range materialParts(item) {
		if !v.hasMaterial(part) {
			return part
		}
	}
	return ""
}

// hasMaterial reports whether a material name is in the sources: as
// written, after its last 的 (双方的身份证 -> 身份证), or without a leading
// verb (提交身份证 -> 身份证).
func (v *verifier) hasMaterial(name string) bool {
	c := canonical(name)
	if strings.Contains(v.corpus, c) {
		return true
	}
	if i := strings.LastIndex(c, "的"); i >= 0 && utf8.RuneCountInString(c[i+len("的"):]) >= 2 {
		if strings.Contains(v.corpus, c[i+len("的"):]) {
			return true
		}
	}
	for _, verb := range materialVerbs {
		if rest, ok := strings.CutPrefix(c, verb); ok && utf8.RuneCountInString(rest) >= 2 {
			return strings.Contains(v.corpus, rest)
		}
	}
	return false
}

var materialVerbs = []string{"提交", "提供", "携带", "带上", "准备", "出示", "需要", "带"}

// materialSuffixes end the names of documents a citizen brings: 身份证,
// 申请书, 登记表, 营业执照, 照片, 社保卡, 户口簿, 证明, 复印件, 清单, 委托函, 收据.
const materialSuffixes = "证书表照片卡簿明件单函据"

// materialParts returns the material names in a list item: its head (up to
// the first clause punctuation), cut after the last character that ends a
// document name, and split at conjunctions. Parts that do not end like a
// document name are not materials and are left out.
func materialParts(item string) []string {
	head := item
	if i := strings.IndexAny(head, ",.;:(。，；：（"); i >= 0 {
		head = head[:i]
	}
	i := strings.LastIndexFunc(head, func(r rune) bool { return strings.ContainsRune(materialSuffixes, r) })
	if i < 0 {
		return nil
	}
	_, size := utf8.DecodeRuneInString(head[i:])
	head = head[:i+size]
	var out []string
	for _, p := range strings.FieldsFunc(head, func(r rune) bool { return strings.ContainsRune("和及与、或/", r) }) {
		p = strings.TrimSpace(p)
		last, _ := utf8.DecodeLastRuneInString(p)
		if utf8.RuneCountInString(p) >= 2 && strings.ContainsRune(materialSuffixes, last) {
			out = append(out, p)
		}
	}
	return out
}

// listNumberRe matches the number or bullet that starts a list item.
var listNumberRe = regexp.MustCompile(`^\s*(?:\d{1,2}[.、)]|\(\d{1,2}\)|[-*•·])\s*`)

// listItem returns the text of a list item, without its number or bullet.
func listItem(s string) (string, bool) {
	loc := listNumberRe.FindStringIndex(s)
	if loc == nil {
		return "", false
	}
	rest := s[loc[1]:]
	// 1.5倍 is a figure, not item 1.
	if r, _ := utf8.DecodeRuneInString(rest); unicode.IsDigit(r) && !strings.ContainsAny(s[:loc[1]], " \t") {
		return "", false
	}
	return rest, true
}

func stripListNumber(s string) string {
	if item, ok := listItem(s); ok {
		return item
	}
	return s
}

// units follow the figures that are checked with their unit (5个工作日,
// 120元, 60%), longest first so that 个工作日 wins over 日.
const units = `个工作日|工作日|个自然日|自然日|个月|周岁|万元|元|%|岁|年|月|日|天|周|小时|分钟|张|份|寸|平方米|公里|号|倍|套|次|人`

const chineseNumerals = "零〇一二两三四五六七八九十百千"

var (
	quantityRe = regexp.MustCompile(`(?:\d+(?:\.\d+)?|[` + chineseNumerals + `]+)(?:` + units + `)`)
	numberRe   = regexp.MustCompile(`\d+(?:[.:\-/]\d+)*`)
)

// splitQuantity splits a quantityRe match into its number and unit.
func splitQuantity(m string) (string, string) {
	i := strings.IndexFunc(m, func(r rune) bool {
		return !unicode.IsDigit(r) && r != '.' && !strings.ContainsRune(chineseNumerals, r)
	})
	if i < 0 {
		return m, ""
	}
	return m[:i], m[i:]
}

// oneWords end words in which 一 is not a figure (同一天, 每一次, 第一次).
const oneWords = "同统唯每第任万之"

// unsupportedQuantity checks figures with units.
func (v *verifier) unsupportedQuantity(c string) string {
	for _, loc := range quantityRe.FindAllStringIndex(c, -1) {
		m := c[loc[0]:loc[1]]
		num, unit := splitQuantity(m)
		if unicode.IsDigit(rune(num[0])) {
			if !hasBounded(v.corpus, m) && !hasBounded(v.digits, m) {
				return m
			}
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(c[:loc[0]])
		if num == "一" && strings.ContainsRune(oneWords, prev) {
			continue
		}
		if hasChinese(v.corpus, m) {
			continue
		}
		if n, ok := smallNumber(num); !ok || !hasBounded(v.digits, strconv.Itoa(n)+unit) {
			return m
		}
	}
	return ""
}

// unsupportedNumber checks every other number: phone numbers, times, codes.
// A range or date written with a dash or slash the sources write otherwise
// (9:00-12:00 for 9:00—12:00) passes when each of its parts is found.
func (v *verifier) unsupportedNumber(c string) string {
	for _, tok := range numberRe.FindAllString(c, -1) {
		if v.hasNumber(tok) {
			continue
		}
		for _, part := range strings.FieldsFunc(tok, func(r rune) bool { return r == '-' || r == '/' }) {
			if !v.hasNumber(part) {
				return tok
			}
		}
	}
	return ""
}

func (v *verifier) hasNumber(tok string) bool {
	return hasBounded(v.corpus, tok) || hasBounded(v.digits, tok)
}

// hasBounded reports whether s holds fact neither continuing a number
// before it nor, when fact ends in a digit, after it: 5个工作日 is not in
// 15个工作日, nor 5 in 0.5.
func hasBounded(s, fact string) bool {
	last, _ := utf8.DecodeLastRuneInString(fact)
	for i := 0; ; {
		j := strings.Index(s[i:], fact)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(fact)
		prev, _ := utf8.DecodeLastRuneInString(s[:start])
		next, _ := utf8.DecodeRuneInString(s[end:])
		if !unicode.IsDigit(prev) && prev != '.' && !(unicode.IsDigit(last) && unicode.IsDigit(next)) {
			return true
		}
		i = start + 1
	}
}

// hasChinese reports whether s holds a figure in Chinese numerals, not as
// the end of a longer one (五个工作日 is not in 十五个工作日).
func hasChinese(s, fact string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], fact)
		if j < 0 {
			return false
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:i+j])
		if !strings.ContainsRune(chineseNumerals, prev) {
			return true
		}
		i += j + 1
	}
}

var cnDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var cnUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

// smallNumber reads a Chinese numeral below 10000 in its standard form
// (七, 十五, 二十, 三百零五, 一千二百). Colloquial short forms whose value
// is ambiguous (一百五) are refused, so they are compared as written.
func smallNumber(s string) (int, bool) {
	total, digit, have, zero, last := 0, 0, false, false, 10000
	for i, r := range []rune(s) {
		if d, ok := cnDigits[r]; ok {
			if have {
				return 0, false
			}
			if d == 0 {
				zero = true
				continue
			}
			digit, have = d, true
			continue
		}
		u := cnUnits[r]
		if u == 0 || u >= last || (!have && !(u == 10 && i == 0)) {
			return 0, false
		}
		if !have {
			digit = 1
		}
		total += digit * u
		digit, have, zero, last = 0, false, false, u
	}
	if have {
		if last > 10 && last < 10000 && !zero {
			return 0, false
		}
		total += digit
	}
	return total, s != ""
}

// dateRe matches dates written with 年月日 or with dashes, slashes or dots.
var dateRe = regexp.MustCompile(`(\d{4})(?:年|[-/.])(\d{1,2})(?:月|[-/.])(\d{1,2})日?`)

// canonical is the form facts are compared in: normalised, without the
// spaces models and editors put around figures (30 元), and with dates in
// one form (2026-03-18 and 2026年3月18日 are 2026年3月18日).
func canonical(s string) string {
	s = textnorm.Normalize(s)
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if !unicode.IsSpace(rs[i]) {
			b.WriteRune(rs[i])
			continue
		}
		j := i
		for j < len(rs) && unicode.IsSpace(rs[j]) {
			j++
		}
		// Two numbers stay apart, and so do a list number and a figure
		// (3. 24小时 is not 3.24小时).
		if i > 0 && j < len(rs) && (unicode.IsDigit(rs[i-1]) || rs[i-1] == '.') && unicode.IsDigit(rs[j]) {
			b.WriteByte(' ')
		}
		i = j - 1
	}
	return dateRe.ReplaceAllStringFunc(b.String(), func(m string) string {
		p := dateRe.FindStringSubmatch(m)
		y, _ := strconv.Atoi(p[1])
		mo, _ := strconv.Atoi(p[2])
		d, _ := strconv.Atoi(p[3])
		return fmt.Sprintf("%d年%d月%d日", y, mo, d)
	})
}

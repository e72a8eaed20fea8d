package forms

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// CST is China Standard Time (UTC+8, no daylight saving), the zone in which
// relative dates (明天, 下周一) and birth dates are read. A fixed zone keeps
// results the same on machines without tzdata.
var CST = time.FixedZone("CST", 8*3600)

// Value is a checked value: its normalised text and, when a check failed
// softly, a warning for staff.
type Value struct {
	Text    string
	Warning string
}

// Validate checks raw as a value of field f, read at time now. An invalid
// value is an EINVALID *banban.Error whose message the citizen may read; it
// names the field and what is wrong.
func Validate(f banban.FormField, raw string, now time.Time) (Value, error) {
	raw = strings.TrimSpace(fold(raw))
	if raw == "" {
		return Value{}, banban.Errorf(banban.EINVALID, msgEmptyValue, f.Label)
	}
	v, err := check(f, raw, now)
	if err != nil {
		return Value{}, banban.Errorf(banban.EINVALID, msgInvalid, f.Label, banban.ErrorMessage(err))
	}
	return v, nil
}

func check(f banban.FormField, raw string, now time.Time) (Value, error) {
	var s string
	var err error
	switch f.Type {
	case banban.FieldIDCard:
		s, err = IDCard(raw, now)
	case banban.FieldUSCC:
		return USCC(raw)
	case banban.FieldPhone:
		s, err = Phone(raw)
	case banban.FieldDate:
		s, err = Date(raw, now, isBirthField(f))
	case banban.FieldNumber:
		s, err = Number(raw, isCountField(f))
	case banban.FieldEnum:
		s, err = Enum(f.Options, raw)
	case banban.FieldAddress:
		s, err = Address(raw)
	default:
		s, err = Text(f, raw)
	}
	return Value{Text: s}, err
}

func reason(format string, args ...any) error { return banban.Errorf(banban.EINVALID, format, args...) }

// idWeights are the GB 11643-1999 weights 2^(17-i) mod 11 of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck maps the weighted sum mod 11 to the check character.
const idCheck = "10X98765432"

var idRe = regexp.MustCompile(`^\d{17}[\dX]$`)

// IDCard checks an 18-character 居民身份证号 (GB 11643-1999): its format, its
// province code, its birth date (a real day, not after now) and its check
// character. It returns the number with a capital X.
func IDCard(s string, now time.Time) (string, error) {
	s = strings.ToUpper(stripSpaces(fold(s)))
	switch {
	case len(s) == 15 && isDigits(s):
		return "", reason("15位旧身份证号已停用，请提供18位居民身份证号")
	case !idRe.MatchString(s):
		return "", reason("居民身份证号应为18位，由数字和末位的X组成")
	case !provinces[s[:2]]:
		return "", reason("前两位地区码不存在")
	}
	birth, err := time.ParseInLocation("20060102", s[6:14], CST)
	if err != nil || birth.Year() < 1900 || birth.After(now.In(CST)) {
		return "", reason("其中的出生日期不正确")
	}
	if idCheckChar(s[:17]) != s[17] {
		return "", reason("校验位不正确，可能有数字输错了")
	}
	return s, nil
}

// idCheckChar computes the GB 11643 check character of 17 digits.
func idCheckChar(d string) byte {
	sum := 0
	for i := range 17 {
		sum += int(d[i]-'0') * idWeights[i]
	}
	return idCheck[sum%11]
}

// provinces are the first two digits of GB/T 2260 codes that ID numbers
// start with (71 Taiwan, 81 Hong Kong, 82 Macao, 83 Taiwan residence permits).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// usccChars are the 31 characters of GB 32100-2015 (no I, O, S, V, Z), in
// the order of their values.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var (
	usccRe      = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$`)
	usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
)

// USCC checks a 统一社会信用代码 (GB 32100-2015). A wrong format is an error;
// a check character that does not match is only a warning, because some
// codes issued early in the reform fail the check yet are legitimate.
func USCC(s string) (Value, error) {
	s = strings.ToUpper(stripSpaces(fold(s)))
	if !usccRe.MatchString(s) {
		return Value{}, reason("统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、S、V、Z）")
	}
	if usccCheckChar(s[:17]) != s[17] {
		return Value{Text: s, Warning: warnUSCC}, nil
	}
	return Value{Text: s}, nil
}

// usccCheckChar computes the GB 32100 check character of 17 characters.
func usccCheckChar(c string) byte {
	sum := 0
	for i := range 17 {
		sum += strings.IndexByte(usccChars, c[i]) * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31]
}

var (
	mobileRe   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRe = regexp.MustCompile(`^0\d{9,11}$`)
)

// Phone checks a mainland mobile number (11 digits from 13 to 19, an
// optional +86 dropped) or a landline with its area code, returned as
// 0591-87654321.
func Phone(s string) (string, error) {
	s = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", "（", "", "）", "").Replace(fold(s))
	for _, p := range []string{"+86", "0086", "86"} {
		if rest, ok := strings.CutPrefix(s, p); ok && len(rest) == 11 {
			s = rest
		}
	}
	switch {
	case mobileRe.MatchString(s):
		return s, nil
	case landlineRe.MatchString(s):
		return landline(s)
	case strings.HasPrefix(s, "1") && isDigits(s):
		return "", reason("手机号应为11位数字")
	}
	return "", reason("请提供11位手机号，或带区号的固定电话")
}

// landline splits a landline with its area code (010 and 02x have three
// digits, the others four) from the local number (7 or 8 digits, not
// starting with 0 or 1).
func landline(s string) (string, error) {
	n := 4
	if s[1] == '1' || s[1] == '2' {
		n = 3
	}
	local := s[n:]
	if s[1] == '0' || s[1] == '1' && s[2] != '0' || len(local) < 7 || len(local) > 8 || local[0] < '2' {
		return "", reason("固定电话号码不正确，请提供区号和7至8位号码")
	}
	return s[:n] + "-" + local, nil
}

// addressMarks are characters a usable address contains at least one of.
const addressMarks = "省市区县旗镇乡村街路道巷弄号栋幢楼室组屯里苑园"

// Address checks that s looks like a usable address: at least five
// characters with an administrative or street marker. A short lead-in
// (户口在, 店开在, 租的房子在, 地址是) is dropped.
func Address(s string) (string, error) {
	s = addressLead(strings.TrimSpace(s))
	n := utf8.RuneCountInString(s)
	if n > 120 {
		return "", reason("地址过长，请控制在120字以内")
	}
	if n < 5 || !strings.ContainsAny(s, addressMarks) {
		return "", reason("请提供详细地址，包括区县、街道（乡镇）和门牌号")
	}
	return s, nil
}

// Text checks free text: a person's name for fields labelled 姓名, a
// number-like code for 编号/账号/卡号 fields, anything short otherwise.
func Text(f banban.FormField, s string) (string, error) {
	switch {
	case isPersonName(f):
		return personName(s)
	case isCodeField(f):
		return code(s)
	}
	if utf8.RuneCountInString(s) > 300 {
		return "", reason("内容过长，请控制在300字以内")
	}
	return labelLead(f, s), nil
}

// leadLinks are the words between a lead-in and the value it introduces.
var leadLinks = []string{"在", "是", "为", "：", ":"}

// addressLead drops a lead-in of up to eight characters before the
// address it introduces (户口在, 现在住, 落户到, 地址是): what precedes the
// last 在/住/到/是/： ahead of the first address marker.
func addressLead(s string) string {
	rs := []rune(s)
	cut := -1
	for i := 0; i < len(rs) && i <= 8; i++ {
		if strings.ContainsRune(addressMarks, rs[i]) {
			break
		}
		if rs[i] == '住' || rs[i] == '到' || slices.Contains(leadLinks, string(rs[i])) {
			cut = i
		}
	}
	if cut < 0 {
		return s
	}
	if rest := strings.TrimSpace(string(rs[cut+1:])); strings.ContainsAny(rest, addressMarks) {
		return rest
	}
	return s
}

// labelLead drops the field's own name said before a free-text value
// (经营者是示例市好味道餐饮店 for 经营者名称): a lead-in of two or more
// characters that the label starts with or contains, then 是/为/：.
func labelLead(f banban.FormField, s string) string {
	label := baseLabel(f)
	rs := []rune(s)
	for i := 2; i < len(rs)-1 && i <= 8; i++ {
		if !slices.Contains(leadLinks, string(rs[i])) || rs[i] == '在' {
			continue
		}
		if lead := textnorm.Normalize(string(rs[:i])); strings.Contains(label, lead) {
			return strings.TrimSpace(string(rs[i+1:]))
		}
	}
	return s
}

func personName(s string) (string, error) {
	s = nameLead(strings.TrimSpace(s))
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 20 {
		return "", reason("姓名应为2至20个汉字或字母")
	}
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) && !strings.ContainsRune("·• ", r) {
			return "", reason("姓名只能包含汉字、字母和间隔号")
		}
	}
	return s, nil
}

// nameLead drops who is named before 叫/是/： (孩子叫周小川, 他的名字是…).
func nameLead(s string) string {
	rs := []rune(s)
	for i := len(rs) - 3; i >= 1; i-- {
		if i <= 6 && strings.ContainsRune("叫是：:", rs[i]) {
			return strings.TrimSpace(string(rs[i+1:]))
		}
	}
	return s
}

var codeRe = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z-]{3,31}$`)

func code(s string) (string, error) {
	s = stripSpaces(s)
	if !codeRe.MatchString(s) || !strings.ContainsAny(s, "0123456789") {
		return "", reason("应为4至32位数字或字母")
	}
	return strings.ToUpper(s), nil
}

func isPersonName(f banban.FormField) bool { return strings.Contains(f.Label, "姓名") }

func isCodeField(f banban.FormField) bool {
	return strings.Contains(f.Label, "编号") || strings.Contains(f.Label, "账号") || strings.Contains(f.Label, "卡号")
}

// isBirthField reports a date that cannot be in the future (出生日期).
func isBirthField(f banban.FormField) bool {
	return strings.Contains(f.Label, "出生") || strings.Contains(f.Name, "birth")
}

// isCountField reports a number of people, which must be a whole number.
func isCountField(f banban.FormField) bool {
	return strings.Contains(f.Label, "人数") || strings.Contains(f.Label, "人口")
}

func stripSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// fold maps full-width digits, letters, + and - to half-width and the
// ideographic space to a space, keeping case, Chinese punctuation and every
// other character (so rune offsets match textnorm.Normalize).
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '＋', r == '－':
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

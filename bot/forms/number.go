package forms

import (
	"math/big"
	"regexp"
	"strings"
)

// numberRe finds one number: Arabic digits (thousands commas allowed) or a
// run of Chinese numerals, with an optional 万/千/百 multiplier after digits.
var numberRe = regexp.MustCompile(`(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|千|百)?|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*`)

// numeralPhrases are words containing numerals that are not the number
// asked for (一家三口, 一个月3000元).
var numeralPhrases = strings.NewReplacer("一家", "", "一共", "", "一个月", "", "每个月", "", "统一", "", "一起", "")

var hanDigits = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

var hanUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000, '万': 10000, '亿': 100000000}

// Number reads an amount or a count written with Arabic or Chinese numerals
// and units (3万元, 1.5万, 三千五, 3口人, 45平方米) and returns it as a plain
// decimal ("30000", "15000", "3500"). whole requires a whole number of at
// most 99 (people in a household). More than one number is refused.
func Number(s string, whole bool) (string, error) {
	if strings.ContainsAny(s, "-负") {
		return "", reason("不能为负数")
	}
	found := numberRe.FindAllStringSubmatch(numeralPhrases.Replace(s), -1)
	if len(found) == 0 {
		return "", reason("请提供一个数字，如“3000元”或“3人”")
	}
	if len(found) > 1 {
		return "", reason("请只提供一个数字")
	}
	v, ok := parseNumber(found[0])
	if !ok {
		return "", reason("数字无法识别，请用阿拉伯数字填写")
	}
	switch {
	case v.Cmp(big.NewRat(1e12, 1)) > 0:
		return "", reason("数字过大，请核对")
	case whole && (!v.IsInt() || v.Sign() <= 0 || v.Cmp(big.NewRat(99, 1)) > 0):
		return "", reason("应为1至99之间的整数")
	}
	return ratString(v), nil
}

func parseNumber(m []string) (*big.Rat, bool) {
	if m[1] == "" {
		return parseHan([]rune(m[0]))
	}
	v, ok := new(big.Rat).SetString(strings.ReplaceAll(m[1], ",", ""))
	if !ok {
		return nil, false
	}
	if m[2] != "" {
		v.Mul(v, big.NewRat(hanUnits[[]rune(m[2])[0]], 1))
	}
	return v, true
}

// parseHan reads Chinese numerals: positional (三千五百, 一万二), digit by
// digit (二零二六) and with a decimal point (一点五万).
func parseHan(rs []rune) (*big.Rat, bool) {
	var intPart, fracPart []rune
	if i := indexRune(rs, '点'); i >= 0 {
		intPart, fracPart = rs[:i], rs[i+1:]
	} else {
		intPart = rs
	}
	mult := int64(1)
	if n := len(fracPart); n > 0 && hanUnits[fracPart[n-1]] >= 10000 {
		mult, fracPart = hanUnits[fracPart[n-1]], fracPart[:n-1]
	}
	v, ok := hanInt(intPart)
	if !ok {
		return nil, false
	}
	r := new(big.Rat).SetInt64(v)
	scale := int64(10)
	for _, c := range fracPart {
		d, ok := hanDigits[c]
		if !ok {
			return nil, false
		}
		r.Add(r, big.NewRat(d, scale))
		scale *= 10
	}
	return r.Mul(r, big.NewRat(mult, 1)), true
}

// hanInt reads a positional Chinese integer; trailing digits after a unit
// are the colloquial next place (三千五 = 3500, 一万二 = 12000).
func hanInt(rs []rune) (int64, bool) {
	if len(rs) == 0 {
		return 0, false
	}
	if !hasUnit(rs) {
		return hanDigitString(rs)
	}
	var total, section, num, last int64
	for _, c := range rs {
		if d, ok := hanDigits[c]; ok {
			if d == 0 {
				last = 0
			}
			num = d
			continue
		}
		u := hanUnits[c]
		if u >= 10000 {
			total = (total + section + num) * u
			section, num = 0, 0
		} else {
			if num == 0 && u == 10 {
				num = 1 // 十五 = 15
			}
			section += num * u
			num = 0
		}
		last = u
	}
	if num > 0 && last >= 100 {
		num *= last / 10
	}
	return total + section + num, true
}

func hanDigitString(rs []rune) (int64, bool) {
	var v int64
	for _, c := range rs {
		d, ok := hanDigits[c]
		if !ok || v > 1e15 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

func hasUnit(rs []rune) bool {
	for _, c := range rs {
		if _, ok := hanUnits[c]; ok {
			return true
		}
	}
	return false
}

func indexRune(rs []rune, r rune) int {
	for i, c := range rs {
		if c == r {
			return i
		}
	}
	return -1
}

// ratString writes v as a plain decimal without trailing zeros.
func ratString(v *big.Rat) string {
	if v.IsInt() {
		return v.Num().String()
	}
	s := strings.TrimRight(v.FloatString(4), "0")
	return strings.TrimSuffix(s, ".")
}

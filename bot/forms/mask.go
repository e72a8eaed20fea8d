package forms

import (
	"maps"
	"regexp"
	"strings"

	"github.com/banban-gov/banban"
)

// MaskValue masks a value for a summary the citizen reads back or a page
// others may see: ID numbers as 110***********1234, mobile numbers as
// 138****8000, landlines, credit codes and account or card numbers keeping
// only their ends. Other values are returned as they are.
func MaskValue(f banban.FormField, v string) string {
	switch {
	case v == "":
		return v
	case f.Type == banban.FieldIDCard, f.Type == banban.FieldPhone && mobileRe.MatchString(v):
		return banban.MaskPII(v)
	case f.Type == banban.FieldPhone:
		if area, num, ok := strings.Cut(v, "-"); ok && len(num) > 4 {
			return area + "-" + strings.Repeat("*", len(num)-4) + num[len(num)-4:]
		}
		return maskMiddle(v, 0, 4)
	case f.Type == banban.FieldUSCC:
		return maskMiddle(v, 4, 4)
	case f.Type == banban.FieldText && isCodeField(f):
		return maskMiddle(v, 2, 4)
	}
	return v
}

// maskMiddle keeps head and tail characters of an ASCII value, or only the
// tail of a short one.
func maskMiddle(v string, head, tail int) string {
	if len(v) <= head+tail+2 {
		head = 0
	}
	if len(v) <= tail {
		return strings.Repeat("*", len(v))
	}
	return v[:head] + strings.Repeat("*", len(v)-head-tail) + v[len(v)-tail:]
}

// numberRunRe finds runs of letters and digits, single spaces allowed
// between groups (138 0013 8000).
var numberRunRe = regexp.MustCompile(`[0-9A-Za-z]+(?: [0-9A-Za-z]+)*`)

// MaskText masks personal numbers in free text, such as a citizen's message
// kept in a transcript: ID and mobile numbers as banban.MaskPII does, and
// any other run of seven or more letters and digits (spaces between groups
// allowed) with at least five digits, keeping its first three and last two
// characters.
func MaskText(s string) string {
	s = banban.MaskPII(fold(s))
	return numberRunRe.ReplaceAllStringFunc(s, func(m string) string {
		alnum := len(m) - strings.Count(m, " ")
		if alnum < 7 || countDigits(m) < 5 {
			return m
		}
		b := []byte(m)
		seen := 0
		for i, c := range b {
			if c == ' ' {
				continue
			}
			if seen >= 3 && seen < alnum-2 {
				b[i] = '*'
			}
			seen++
		}
		return string(b)
	})
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// Masked returns a copy of d whose values are masked with MaskValue.
func Masked(d *banban.FormDraft) *banban.FormDraft {
	c := *d
	c.Values = make(map[string]string, len(d.Values))
	for _, f := range d.Fields {
		if v, ok := d.Values[f.Name]; ok {
			c.Values[f.Name] = MaskValue(f, v)
		}
	}
	c.Warnings = maps.Clone(d.Warnings)
	c.Sealed = nil
	return &c
}

package banban

import "regexp"

// Patterns of personal data that must never reach a log line in full.
var (
	idCardRe = regexp.MustCompile(`[1-9]\d{16}[0-9Xx]`)
	mobileRe = regexp.MustCompile(`(1[3-9]\d)\d{4}(\d{4})`)
)

// MaskPII masks resident ID numbers (110***********1234) and mobile numbers
// (138****5678) in s.
func MaskPII(s string) string {
	s = idCardRe.ReplaceAllStringFunc(s, func(m string) string {
		return m[:3] + "***********" + m[len(m)-4:]
	})
	return mobileRe.ReplaceAllString(s, "$1****$2")
}

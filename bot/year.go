package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// relativeYears are the words citizens use for a year relative to this one,
// with its offset.
var relativeYears = []struct {
	word   string
	offset int
}{
	{"前年", -2}, {"去年", -1}, {"今年", 0}, {"明年", 1}, {"后年", 2},
}

// yearPattern finds a year written out (2027年, 2027年度).
var yearPattern = regexp.MustCompile(`(20[0-9]{2})\s*年`)

// askedYear returns the year a question asks about, written out or said
// relative to now (明年 in 2026 is 2027), or "". derived tells whether it
// came from a relative word, so the year is not in the question's text.
// Words are looked for among the question's terms, so 以后年度 does not
// read as 后年.
func (b *Bot) askedYear(text string, now time.Time) (year string, derived bool) {
	if m := yearPattern.FindStringSubmatch(text); m != nil {
		return m[1], false
	}
	terms := make(map[string]bool)
	for _, t := range b.tok.Terms(text) {
		terms[t] = true
	}
	for _, r := range relativeYears {
		if terms[r.word] {
			return strconv.Itoa(now.Year() + r.offset), true
		}
	}
	return "", false
}

// matchText is the text an answer's passage is matched against: the
// question, with the year it means written out when it said 明年 or 今年, so
// that the sentence stating that year's figures is chosen. Search itself
// uses the question as said: a year every document may mention would pull
// in unrelated ones.
func (t turn) matchText() string {
	if t.year != "" && t.yearDerived {
		return t.text + " " + t.year
	}
	return t.text
}

// statesOtherYear reports whether an answer gives figures for years other
// than the one asked about and none for it: 2026年度…400元 does not answer
// what the 2027 premium is.
func statesOtherYear(body, year string) bool {
	if year == "" || strings.Contains(body, year+"年") {
		return false
	}
	return yearPattern.MatchString(body)
}

package forms

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Numbers in dates are Arabic or Chinese (三月五号, 二〇二六年).
const (
	dnum = `\d{1,2}|[一二三四五六七八九十]{1,3}`
	ynum = `\d{4}|[零〇一二三四五六七八九]{4}`
)

var (
	fullDateRe  = regexp.MustCompile(`(` + ynum + `)\s*[年\-/.]\s*(` + dnum + `)\s*[月\-/.]\s*(` + dnum + `)\s*[日号]?`)
	monthDayRe  = regexp.MustCompile(`(` + dnum + `)\s*月\s*(` + dnum + `)\s*[日号]`)
	compactRe   = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	weekdayRe   = regexp.MustCompile(`(下下|下|这|本|上)?(?:周|星期|礼拜)([一二三四五六日天1-7])`)
	daysLaterRe = regexp.MustCompile(`(` + dnum + `)\s*天[以之]?后`)
	monthRelRe  = regexp.MustCompile(`(下下|下|这|本|上)个?月\s*(` + dnum + `)\s*[日号]`)
)

// relativeDays are words for a day counted from today.
var relativeDays = []struct {
	word string
	days int
}{{"大后天", 3}, {"后天", 2}, {"明天", 1}, {"明日", 1}, {"今天", 0}, {"今日", 0}, {"前天", -2}, {"昨天", -1}}

// Date reads a date, absolute (2026年3月5日, 2026-03-05, 20260305) or
// relative to now in China Standard Time (明天, 下周一, 下个月1号, 3月5日, 10天后),
// and returns it as 2006-01-02. A date without a year is the nearest one
// ahead, or behind for a past date (past: a birth date, which also may not
// be after today).
func Date(s string, now time.Time, past bool) (string, error) {
	today := dayOf(now)
	d, ok := parseDate(textnorm.Normalize(s), today, past)
	switch {
	case !ok:
		return "", reason("日期无法识别，请按“2026年3月5日”的格式提供")
	case d.Year() < 1900 || d.After(today.AddDate(10, 0, 0)):
		return "", reason("日期超出合理范围")
	case past && d.After(today):
		return "", reason("不能晚于今天")
	}
	return d.Format("2006-01-02"), nil
}

func dayOf(t time.Time) time.Time {
	t = t.In(CST)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, CST)
}

func parseDate(s string, today time.Time, past bool) (time.Time, bool) {
	if m := fullDateRe.FindStringSubmatch(s); m != nil {
		return makeDate(dateNum(m[1]), dateNum(m[2]), dateNum(m[3]))
	}
	if m := compactRe.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		return makeDate(dateNum(m[1]), dateNum(m[2]), dateNum(m[3]))
	}
	if m := monthDayRe.FindStringSubmatch(s); m != nil {
		return nearest(today, dateNum(m[1]), dateNum(m[2]), past)
	}
	return relativeDate(s, today)
}

func relativeDate(s string, today time.Time) (time.Time, bool) {
	if m := weekdayRe.FindStringSubmatch(s); m != nil {
		return weekday(today, m[1], m[2]), true
	}
	if m := monthRelRe.FindStringSubmatch(s); m != nil {
		months := map[string]int{"下下": 2, "下": 1, "这": 0, "本": 0, "上": -1}[m[1]]
		first := time.Date(today.Year(), today.Month()+time.Month(months), 1, 0, 0, 0, 0, CST)
		return makeDate(first.Year(), int(first.Month()), dateNum(m[2]))
	}
	if m := daysLaterRe.FindStringSubmatch(s); m != nil {
		return today.AddDate(0, 0, dateNum(m[1])), dateNum(m[1]) > 0
	}
	for _, r := range relativeDays {
		if strings.Contains(s, r.word) {
			return today.AddDate(0, 0, r.days), true
		}
	}
	return time.Time{}, false
}

// weekday resolves 下周一 (Monday of next week, weeks starting on Monday),
// 本周五 and a bare 周五 (the next Friday, today included).
func weekday(today time.Time, which, day string) time.Time {
	want := indexRune([]rune("一二三四五六日"), []rune(day)[0])
	switch {
	case day == "天":
		want = 6
	case day[0] >= '1' && day[0] <= '7':
		want = int(day[0] - '1')
	}
	cur := (int(today.Weekday()) + 6) % 7 // Monday = 0
	monday := today.AddDate(0, 0, -cur)
	switch which {
	case "下":
		return monday.AddDate(0, 0, 7+want)
	case "下下":
		return monday.AddDate(0, 0, 14+want)
	case "上":
		return monday.AddDate(0, 0, -7+want)
	case "这", "本":
		return monday.AddDate(0, 0, want)
	}
	if want < cur {
		want += 7
	}
	return monday.AddDate(0, 0, want)
}

// nearest places a month and day without a year in the current year, or the
// next (previous for past dates) when that day is already gone (not yet come).
func nearest(today time.Time, month, day int, past bool) (time.Time, bool) {
	d, ok := makeDate(today.Year(), month, day)
	if !ok {
		return d, false
	}
	switch {
	case past && d.After(today):
		return makeDate(today.Year()-1, month, day)
	case !past && d.Before(today):
		return makeDate(today.Year()+1, month, day)
	}
	return d, true
}

// makeDate builds a date, refusing days that do not exist (2月30日).
func makeDate(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, CST)
	return t, t.Year() == y && int(t.Month()) == m && t.Day() == d && m >= 1
}

// dateNum reads a date number in Arabic or Chinese numerals (二〇二六, 十二).
func dateNum(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	v, ok := hanInt([]rune(s))
	if !ok {
		return -1
	}
	return int(v)
}

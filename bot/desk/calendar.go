package desk

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// China has one time zone and no daylight saving time, so a fixed zone is
// exact and needs no tzdata in the container.
var chinaTime = time.FixedZone("CST", 8*3600)

// Calendar holds the business hours of the 帮办 staff: weekly opening hours,
// public holidays, and the weekend days worked in their place (调休).
type Calendar struct {
	// Open and Close are minutes after midnight on a working day.
	Open, Close int
	// Weekdays are the usual working days.
	Weekdays []time.Weekday
	// Holidays are dates (2006-01-02) closed although usually working.
	Holidays []string
	// Workdays are dates open although usually not (调休上班).
	Workdays []string
	// Location is the calendar's time zone (default China Standard Time).
	Location *time.Location
}

// DefaultCalendar is Monday to Friday, 9:00 to 17:30, China Standard Time.
func DefaultCalendar() *Calendar {
	return &Calendar{Open: 9 * 60, Close: 17*60 + 30, Location: chinaTime,
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}
}

// ParseHours reads opening hours written as "09:00-17:30".
func ParseHours(s string) (open, close int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return 0, 0, fmt.Errorf("hours %q: want HH:MM-HH:MM", s)
	}
	if open, err = parseClock(a); err != nil {
		return 0, 0, err
	}
	if close, err = parseClock(b); err != nil {
		return 0, 0, err
	}
	if close <= open {
		return 0, 0, fmt.Errorf("hours %q: closing time must come after opening time", s)
	}
	return open, close, nil
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

func (c *Calendar) loc() *time.Location {
	if c.Location != nil {
		return c.Location
	}
	return chinaTime
}

// WorkingDay reports whether t's date is a working day.
func (c *Calendar) WorkingDay(t time.Time) bool {
	date := t.In(c.loc()).Format(time.DateOnly)
	if slices.Contains(c.Workdays, date) {
		return true
	}
	if slices.Contains(c.Holidays, date) {
		return false
	}
	return slices.Contains(c.Weekdays, t.In(c.loc()).Weekday())
}

// IsOpen reports whether staff work at t.
func (c *Calendar) IsOpen(t time.Time) bool {
	t = t.In(c.loc())
	m := t.Hour()*60 + t.Minute()
	return c.WorkingDay(t) && m >= c.Open && m < c.Close
}

// NextOpen returns the next opening time at or after t (t itself when open).
// It looks a year ahead and returns the zero time if no day is open.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c.IsOpen(t) {
		return t
	}
	t = t.In(c.loc())
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc())
	for i := 0; i <= 366; i++ {
		d := day.AddDate(0, 0, i)
		opens := d.Add(time.Duration(c.Open) * time.Minute)
		if c.WorkingDay(d) && opens.After(t) {
			return opens
		}
	}
	return time.Time{}
}

// Describe says the hours in Chinese, for citizens.
func (c *Calendar) Describe() string {
	return fmt.Sprintf("%s %s-%s（法定节假日除外）", weekdaysLabel(c.Weekdays), clock(c.Open), clock(c.Close))
}

func clock(m int) string { return fmt.Sprintf("%d:%02d", m/60, m%60) }

var weekdayNames = []string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

func weekdaysLabel(days []time.Weekday) string {
	if slices.Equal(days, DefaultCalendar().Weekdays) {
		return "周一至周五"
	}
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = weekdayNames[d]
	}
	return strings.Join(names, "、")
}

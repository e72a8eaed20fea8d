package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/banban-gov/banban/bot/desk"
)

// calendar returns the business-hours calendar, starting from the default.
func (c *Config) calendar() *desk.Calendar {
	if c.Calendar == nil {
		c.Calendar = desk.DefaultCalendar()
	}
	return c.Calendar
}

// parseWeekdays reads "1-5" or "1,2,3,4,5,6" (1 = Monday, 7 = Sunday).
func parseWeekdays(v string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, part := range strings.Split(v, ",") {
		a, b, isRange := strings.Cut(strings.TrimSpace(part), "-")
		from, err := strconv.Atoi(a)
		to := from
		if isRange && err == nil {
			to, err = strconv.Atoi(b)
		}
		if err != nil || from < 1 || to > 7 || from > to {
			return nil, fmt.Errorf("want days 1-7 like 1-5 or 1,2,3")
		}
		for d := from; d <= to; d++ {
			out = append(out, time.Weekday(d%7))
		}
	}
	return out, nil
}

// parseDates reads comma-separated dates and date ranges (2026-10-01..2026-10-07).
func parseDates(v string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, isRange := strings.Cut(part, "..")
		from, err := time.Parse(time.DateOnly, a)
		to := from
		if isRange && err == nil {
			to, err = time.Parse(time.DateOnly, b)
		}
		if err != nil || to.Before(from) || to.Sub(from) > 366*24*time.Hour {
			return nil, fmt.Errorf("want dates like 2026-10-01 or 2026-10-01..2026-10-07")
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			out = append(out, d.Format(time.DateOnly))
		}
	}
	return out, nil
}

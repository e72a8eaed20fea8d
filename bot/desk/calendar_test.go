package desk_test

import (
	"testing"
	"time"

	"github.com/banban-gov/banban/bot/desk"
)

func TestCalendar(t *testing.T) {
	cal := desk.DefaultCalendar()
	cal.Holidays = []string{"2026-10-01", "2026-10-02"}
	cal.Workdays = []string{"2026-10-10"} // a Saturday worked in exchange
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name, at string
		open     bool
		next     string
	}{
		{"weekday morning", "2026-11-23 10:00", true, "2026-11-23 10:00"},
		{"before opening", "2026-11-23 08:59", false, "2026-11-23 09:00"},
		{"at closing", "2026-11-23 17:30", false, "2026-11-24 09:00"},
		{"friday evening", "2026-11-27 20:00", false, "2026-11-30 09:00"},
		{"holiday", "2026-10-01 10:00", false, "2026-10-05 09:00"},
		{"makeup saturday", "2026-10-10 10:00", true, "2026-10-10 10:00"},
		{"utc input", "2026-11-23 02:00", false, "2026-11-23 09:00"},
	}
	for _, tt := range tests {
		tm := at(tt.at)
		if tt.name == "utc input" {
			tm = time.Date(2026, 11, 22, 18, 0, 0, 0, time.UTC) // 02:00 in China
		}
		if got := cal.IsOpen(tm); got != tt.open {
			t.Errorf("%s: IsOpen = %v, want %v", tt.name, got, tt.open)
		}
		if got := cal.NextOpen(tm).In(cst).Format("2006-01-02 15:04"); got != tt.next {
			t.Errorf("%s: NextOpen = %s, want %s", tt.name, got, tt.next)
		}
	}
	if got := cal.Describe(); got != "周一至周五 9:00-17:30（法定节假日除外）" {
		t.Errorf("Describe = %q", got)
	}
}

func TestParseHours(t *testing.T) {
	tests := []struct {
		in          string
		open, close int
		ok          bool
	}{
		{"09:00-17:30", 540, 1050, true},
		{" 8:30 - 12:00 ", 510, 720, true},
		{"25:00-26:00", 0, 0, false},
		{"08:30-12:00", 510, 720, true},
		{"17:00-09:00", 0, 0, false},
		{"0900-1730", 0, 0, false},
	}
	for _, tt := range tests {
		o, c, err := desk.ParseHours(tt.in)
		if (err == nil) != tt.ok || (tt.ok && (o != tt.open || c != tt.close)) {
			t.Errorf("ParseHours(%q) = %d, %d, %v; want %d, %d, ok=%v", tt.in, o, c, err, tt.open, tt.close, tt.ok)
		}
	}
}

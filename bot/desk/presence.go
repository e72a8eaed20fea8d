package desk

import (
	"sort"
	"sync"
	"time"
)

// presence remembers when each staff member's console last reported, so
// citizens are told honestly when nobody is there to take a handoff.
type presence struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// Touch records that a staff member's console is open now.
func (d *Desk) Touch(username string) {
	d.presence.mu.Lock()
	defer d.presence.mu.Unlock()
	if d.presence.seen == nil {
		d.presence.seen = make(map[string]time.Time)
	}
	d.presence.seen[username] = d.Now()
}

// Leave records that a staff member signed out or closed the console.
func (d *Desk) Leave(username string) {
	d.presence.mu.Lock()
	defer d.presence.mu.Unlock()
	delete(d.presence.seen, username)
}

// Online returns the staff members whose console reported recently.
func (d *Desk) Online() []string {
	d.presence.mu.Lock()
	defer d.presence.mu.Unlock()
	now := d.Now()
	var out []string
	for u, at := range d.presence.seen {
		if now.Sub(at) <= d.cfg.PresenceTTL {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}

// Availability says whether a handoff can reach a human now.
type Availability struct {
	// Open is true within business hours.
	Open bool `json:"open"`
	// StaffOnline counts staff with the console open.
	StaffOnline int `json:"staff_online"`
	// NextOpen is the next opening time when closed.
	NextOpen time.Time `json:"next_open,omitzero"`
	// Hours describes the business hours in Chinese.
	Hours string `json:"hours"`
}

// Available reports whether citizens can reach a human now.
func (a Availability) Available() bool { return a.Open && a.StaffOnline > 0 }

// Availability reports business hours and staff presence now.
func (d *Desk) Availability() Availability {
	now := d.Now()
	cal := d.cfg.Calendar
	a := Availability{Open: cal.IsOpen(now), StaffOnline: len(d.Online()), Hours: cal.Describe()}
	if !a.Open {
		a.NextOpen = cal.NextOpen(now)
	}
	return a
}

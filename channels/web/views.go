package web

import (
	"context"
	"fmt"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/chatview"
)

// directory names staff and teams for display.
type directory struct {
	staff map[string]string // username -> display name
	teams map[string]string // id -> name
}

// directory reads the staff and team names.
func (s *Server) directory(ctx context.Context) (directory, error) {
	d := directory{staff: map[string]string{}, teams: map[string]string{}}
	staff, err := s.desk.StaffList(ctx)
	if err != nil {
		return d, fmt.Errorf("read staff: %w", err)
	}
	for _, st := range staff {
		d.staff[st.Username] = displayName(st)
	}
	teams, err := s.desk.Teams(ctx)
	if err != nil {
		return d, fmt.Errorf("read teams: %w", err)
	}
	for _, t := range teams {
		d.teams[t.ID] = t.Name
	}
	return d, nil
}

func (d directory) staffName(username string) string {
	if n := d.staff[username]; n != "" {
		return n
	}
	return username
}

func (d directory) teamName(id string) string {
	if n := d.teams[id]; n != "" {
		return n
	}
	return id
}

func displayName(st banban.Staff) string {
	if st.Name != "" {
		return st.Name
	}
	return st.Username
}

// view renders one message; the caller decides who may see private ones.
func (d directory) view(m banban.Message) chatview.Message { return chatview.Of(m, d.staffName) }

// publicMessages renders what the citizen sees: no private notes.
func (d directory) publicMessages(msgs []banban.Message, after int) []chatview.Message {
	return chatview.Public(msgs, after, d.staffName)
}

// allMessages renders every message, private notes included, for staff.
func (d directory) allMessages(msgs []banban.Message) []chatview.Message {
	out := make([]chatview.Message, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, d.view(m))
	}
	return out
}

// needsNames reports whether rendering msgs needs staff names.
func needsNames(msgs []banban.Message) bool {
	for _, m := range msgs {
		if m.Role == banban.RoleStaff {
			return true
		}
	}
	return false
}

// namesFor reads the directory only when msgs need it.
func (s *Server) namesFor(ctx context.Context, msgs []banban.Message) (directory, error) {
	if !needsNames(msgs) {
		return directory{}, nil
	}
	return s.directory(ctx)
}

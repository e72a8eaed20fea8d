package web

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/banban-gov/banban"
)

// messageView is a message as the pages render it (API.md "Message object").
type messageView struct {
	Seq     int           `json:"seq"`
	Role    banban.Role   `json:"role"`
	Text    string        `json:"text"`
	At      time.Time     `json:"at"`
	Author  string        `json:"author,omitempty"`
	Action  banban.Action `json:"action,omitempty"`
	Sources []sourceView  `json:"sources,omitempty"`
	Options []string      `json:"options,omitempty"`
	Private bool          `json:"private,omitempty"`
}

// sourceView is a citation with a link the citizen can open: always the
// document's page here, which links the official original when there is one,
// so a link works even when the original site is unreachable or moved.
type sourceView struct {
	Doc     string `json:"doc"`
	Title   string `json:"title"`
	Section string `json:"section"`
	URL     string `json:"url"`
	// Official is the document's own address on the government site.
	Official string  `json:"official,omitempty"`
	Updated  string  `json:"updated,omitempty"`
	Score    float64 `json:"score"`
}

func sourceViews(cits []banban.Citation) []sourceView {
	out := make([]sourceView, 0, len(cits))
	for _, c := range cits {
		v := sourceView{Doc: c.DocID, Title: c.Title, Section: c.Section, URL: docURL(c.DocID, c.Section),
			Official: c.URL, Score: c.Score}
		if !c.Updated.IsZero() {
			v.Updated = c.Updated.Format(time.DateOnly)
		}
		out = append(out, v)
	}
	return out
}

// docURL links the server-rendered page of a document, at a section.
func docURL(doc, section string) string {
	u := url.URL{Path: "/docs/" + doc, Fragment: section}
	return u.String()
}

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
func (d directory) view(m banban.Message) messageView {
	v := messageView{Seq: m.Seq, Role: m.Role, Text: m.Text, At: m.At, Private: m.Private}
	if m.Role == banban.RoleStaff {
		v.Author = d.staffName(m.Author)
	}
	if a := m.Answer; a != nil {
		v.Action, v.Options = a.Action, a.Options
		v.Sources = sourceViews(a.Citations)
	}
	return v
}

// publicMessages renders what the citizen sees: no private notes.
func (d directory) publicMessages(msgs []banban.Message, after int) []messageView {
	out := []messageView{}
	for _, m := range msgs {
		if m.Seq > after && !m.Private {
			out = append(out, d.view(m))
		}
	}
	return out
}

// allMessages renders every message, private notes included, for staff.
func (d directory) allMessages(msgs []banban.Message) []messageView {
	out := make([]messageView, 0, len(msgs))
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

// ticketOf is the latest handoff's ticket number, or "".
func ticketOf(c banban.Conversation) string {
	if c.Handoff == nil {
		return ""
	}
	return c.Handoff.Ticket
}

// lastSeq is the number of the conversation's last message.
func lastSeq(c banban.Conversation) int {
	if n := len(c.Messages); n > 0 {
		return c.Messages[n-1].Seq
	}
	return 0
}

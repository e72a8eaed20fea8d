package web

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/channels/chatview"
)

type teamView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// me describes the signed-in staff member and the console's data (GET
// /api/staff/me).
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	me := staffOf(r)
	teams, err := s.desk.Teams(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tv := make([]teamView, 0, len(teams))
	for _, t := range teams {
		tv = append(tv, teamView{ID: t.ID, Name: t.Name})
	}
	online := s.desk.Online()
	if online == nil {
		online = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"csrf": me.session.CSRF, "staff": viewStaff(me.staff),
		"teams": tv, "canned": s.desk.Canned(), "online": online})
}

// staffList lists every account (GET /api/staff/staff), for transfers.
func (s *Server) staffList(w http.ResponseWriter, r *http.Request) {
	list, err := s.desk.StaffList(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]staffView, 0, len(list))
	for _, st := range list {
		out = append(out, viewStaff(st))
	}
	writeJSON(w, http.StatusOK, map[string]any{"staff": out})
}

type queueView struct {
	ConversationID string           `json:"conversation_id"`
	State          banban.ConvState `json:"state"`
	StateLabel     string           `json:"state_label"`
	Team           string           `json:"team"`
	TeamName       string           `json:"team_name"`
	Assignee       string           `json:"assignee"`
	Channel        string           `json:"channel"`
	Ticket         string           `json:"ticket"`
	Reason         string           `json:"reason"`
	ReasonLabel    string           `json:"reason_label"`
	Summary        string           `json:"summary"`
	WaitingSeconds int              `json:"waiting_seconds"`
	Position       int              `json:"position"`
	LastMessage    string           `json:"last_message"`
	Updated        time.Time        `json:"updated"`
}

// queue lists what the staff member works on (GET /api/staff/queue):
// their teams' waiting conversations oldest first, then their own.
func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	entries, err := s.desk.Queue(r.Context(), staffOf(r).staff)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dir, err := s.directory(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]queueView, 0, len(entries))
	for _, e := range entries {
		out = append(out, dir.queueEntry(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out})
}

func (d directory) queueEntry(e desk.QueueEntry) queueView {
	c := e.Conversation
	v := queueView{ConversationID: c.ID, State: c.CurrentState(), StateLabel: c.CurrentState().Label(),
		Team: c.Team, TeamName: d.teamName(c.Team), Assignee: c.Assignee, Channel: c.Channel,
		WaitingSeconds: int(e.Waiting.Seconds()), Position: e.Position, Updated: c.Updated}
	if h := c.Handoff; h != nil {
		v.Ticket, v.Reason, v.ReasonLabel, v.Summary = h.Ticket, string(h.Reason), h.Reason.Label(), h.Summary
	}
	if n := len(c.Messages); n > 0 {
		v.LastMessage = clip(c.Messages[n-1].Text, 60)
	}
	return v
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

type handoffView struct {
	Ticket      string            `json:"ticket"`
	Reason      string            `json:"reason"`
	ReasonLabel string            `json:"reason_label"`
	Summary     string            `json:"summary"`
	Sources     []chatview.Source `json:"sources"`
	Message     string            `json:"message"`
	Contact     string            `json:"contact"`
	RequestedAt time.Time         `json:"requested_at"`
	DueAt       *time.Time        `json:"due_at"`
	Status      string            `json:"status"`
	StatusNote  string            `json:"status_note"`
	Team        string            `json:"team"`
	ClaimedAt   *time.Time        `json:"claimed_at"`
	ClosedAt    *time.Time        `json:"closed_at"`
}

// staffConversationView is a conversation as staff see it, private notes
// included.
type staffConversationView struct {
	ConversationID string             `json:"conversation_id"`
	Channel        string             `json:"channel"`
	State          banban.ConvState   `json:"state"`
	StateLabel     string             `json:"state_label"`
	Team           string             `json:"team"`
	TeamName       string             `json:"team_name"`
	Assignee       string             `json:"assignee"`
	AssigneeName   string             `json:"assignee_name"`
	Position       int                `json:"position"`
	Handoff        *handoffView       `json:"handoff"`
	Rating         *chatview.Rating   `json:"rating"`
	Events         []banban.Event     `json:"events"`
	Messages       []chatview.Message `json:"messages"`
	Draft          *staffDraftView    `json:"draft"`
	// ChannelWindow is set for channels that can reach the citizen only
	// for a while after their last message (WeChat's 48 hours).
	ChannelWindow *ChannelWindow `json:"channel_window,omitempty"`
}

// staffView renders c for staff.
func (s *Server) staffView(ctx context.Context, c banban.Conversation) (staffConversationView, error) {
	dir, err := s.directory(ctx)
	if err != nil {
		return staffConversationView{}, err
	}
	pos, err := s.desk.Position(ctx, c)
	if err != nil {
		return staffConversationView{}, err
	}
	v := staffConversationView{ConversationID: c.ID, Channel: c.Channel, State: c.CurrentState(),
		StateLabel: c.CurrentState().Label(), Team: c.Team, TeamName: dir.teamName(c.Team),
		Assignee: c.Assignee, Position: pos, Events: c.Events, Messages: dir.allMessages(c.Messages),
		Draft: staffDraftOf(c)}
	if c.Assignee != "" {
		v.AssigneeName = dir.staffName(c.Assignee)
	}
	if v.Events == nil {
		v.Events = []banban.Event{}
	}
	if s.cfg.ChannelWindow != nil {
		if w, ok := s.cfg.ChannelWindow(c); ok {
			v.ChannelWindow = &w
		}
	}
	if c.Rating != nil {
		v.Rating = chatview.RatingOf(c)
	}
	if h := c.Handoff; h != nil {
		v.Handoff = &handoffView{Ticket: h.Ticket, Reason: string(h.Reason), ReasonLabel: h.Reason.Label(),
			Summary: h.Summary, Sources: chatview.Sources(h.Sources), Message: h.Message, Contact: h.Contact,
			RequestedAt: h.RequestedAt, Status: h.Status, StatusNote: h.StatusNote, Team: h.Team}
		v.Handoff.DueAt, v.Handoff.ClaimedAt, v.Handoff.ClosedAt = timeOrNil(h.DueAt), timeOrNil(h.ClaimedAt), timeOrNil(h.ClosedAt)
	}
	return v, nil
}

// staffConversation returns one conversation (GET
// /api/staff/conversations/{id}).
func (s *Server) staffConversation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	noteConversation(r, id)
	c, err := s.desk.Conversation(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.staffView(r.Context(), c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// timeOrNil gives null in JSON for a zero time.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/channels/chatview"
)

// The citizen endpoints need no sign-in: the conversation id, 24 random hex
// characters from the server, is the bearer secret.

func (s *Server) availabilityNow() chatview.Availability {
	return chatview.AvailabilityOf(s.desk.Availability())
}

// availability tells whether a human can answer now (GET /api/availability).
func (s *Server) availability(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.availabilityNow())
}

func (s *Server) stateOf(ctx context.Context, c banban.Conversation) (chatview.State, error) {
	pos, err := s.desk.Position(ctx, c)
	if err != nil {
		return chatview.State{}, err
	}
	return chatview.StateOf(c, pos), nil
}

// conversation returns what the citizen sees of a conversation (GET
// /api/conversations/{id}).
func (s *Server) conversation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	noteConversation(r, id)
	c, err := s.desk.Conversation(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := chatview.Conversation{ConversationID: c.ID, Availability: s.availabilityNow(), Draft: draftRefOf(c),
		Rating: chatview.RatingOf(c)}
	if view.State, err = s.stateOf(r.Context(), c); err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.namesFor(r.Context(), c.Messages)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Messages = names.publicMessages(c.Messages, 0)
	writeJSON(w, http.StatusOK, view)
}

// citizenAction runs an action on the citizen's conversation after the
// conversation's limit, and writes what it returns.
func (s *Server) citizenAction(w http.ResponseWriter, r *http.Request, body any, act func(ctx context.Context, id string) (any, error)) {
	id := r.PathValue("id")
	noteConversation(r, id)
	if body != nil {
		if err := s.decode(w, r, body); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if !s.limitConversation(w, r, id) {
		return
	}
	v, err := act(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// handoff asks for a human (转人工, POST /api/conversations/{id}/handoff).
func (s *Server) handoff(w http.ResponseWriter, r *http.Request) {
	s.citizenAction(w, r, nil, func(ctx context.Context, id string) (any, error) {
		out, err := s.desk.RequestHuman(ctx, id)
		if err != nil {
			return nil, err
		}
		return chatview.Handoff{State: chatview.StateOf(out.Conversation, out.Position), OfferMessage: out.OfferMessage,
			Notices: chatview.Public(out.Notices, 0, nil)}, nil
	})
}

// cancel takes back a handoff nobody claimed (POST .../cancel).
func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	s.citizenAction(w, r, nil, func(ctx context.Context, id string) (any, error) {
		c, err := s.desk.CancelWait(ctx, id)
		if err != nil {
			return nil, err
		}
		return chatview.StateOf(c, 0), nil
	})
}

type leaveRequest struct {
	Text    string `json:"text"`
	Contact string `json:"contact"`
}

// leaveMessage leaves a message for staff when nobody can answer now (POST
// .../leave-message); it becomes a ticket.
func (s *Server) leaveMessage(w http.ResponseWriter, r *http.Request) {
	var req leaveRequest
	s.citizenAction(w, r, &req, func(ctx context.Context, id string) (any, error) {
		c, err := s.desk.LeaveMessage(ctx, id, req.Text, req.Contact)
		if err != nil {
			return nil, err
		}
		return chatview.StateOf(c, 0), nil
	})
}

type ratingRequest struct {
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

// rate stores the citizen's 好差评 (POST .../rating).
func (s *Server) rate(w http.ResponseWriter, r *http.Request) {
	var req ratingRequest
	s.citizenAction(w, r, &req, func(ctx context.Context, id string) (any, error) {
		if _, err := s.desk.Rate(ctx, id, req.Score, req.Comment); err != nil {
			return nil, err
		}
		return map[string]bool{"ok": true}, nil
	})
}

// conversationEvents streams the citizen's conversation (GET
// /api/conversations/{id}/events?after=N): every public message after N
// (or after Last-Event-ID), first the backlog and then live, and the state
// whenever it or the queue position changes.
func (s *Server) conversationEvents(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	noteConversation(r, id)
	// Subscribe before reading, so nothing between the read and the
	// subscription is missed.
	own, stopOwn := s.desk.Subscribe(id)
	defer stopOwn()
	all, stopAll := s.desk.Subscribe("")
	defer stopAll()
	c, err := s.desk.Conversation(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs := &citizenStream{s: s, e: newSSE(w), id: id, last: resumeAfter(r)}
	if err := cs.send(r.Context(), c); err != nil {
		noteError(r, err)
		return
	}
	ctx := r.Context()
	s.run(ctx, cs.e, streamLoop{own: own, all: all,
		update: func(u desk.Update) error { return cs.onUpdate(ctx, u) },
		beat:   func() error { return cs.reload(ctx) }})
}

// resumeAfter is the last message number the client has: the Last-Event-ID
// of a reconnecting EventSource, else the after parameter.
func resumeAfter(r *http.Request) int {
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("after")} {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return n
		}
	}
	return 0
}

// citizenStream is one citizen's event stream.
type citizenStream struct {
	s     *Server
	e     *sse
	id    string
	last  int            // last message number considered
	state chatview.State // last state sent
	sent  bool           // a state has been sent
}

// send sends the public messages after the last one and the state if it
// changed. Private notes are skipped, never sent.
func (cs *citizenStream) send(ctx context.Context, c banban.Conversation) error {
	var fresh []banban.Message
	for _, m := range c.Messages {
		if m.Seq > cs.last {
			fresh = append(fresh, m)
		}
	}
	names, err := cs.s.namesFor(ctx, fresh)
	if err != nil {
		return err
	}
	for _, m := range fresh {
		if !m.Private {
			if err := cs.e.event("message", m.Seq, names.view(m)); err != nil {
				return err
			}
		}
		cs.last = m.Seq
	}
	st, err := cs.s.stateOf(ctx, c)
	if err != nil || (cs.sent && st == cs.state) {
		return err
	}
	cs.state, cs.sent = st, true
	return cs.e.event("state", 0, st)
}

func (cs *citizenStream) reload(ctx context.Context) error {
	c, err := cs.s.desk.Conversation(ctx, cs.id)
	if err != nil {
		return err
	}
	return cs.send(ctx, c)
}

// onUpdate reloads on a change of this conversation, and on any change
// while waiting, since a claim, cancel or expiry elsewhere moves the queue.
func (cs *citizenStream) onUpdate(ctx context.Context, u desk.Update) error {
	if u.ConversationID != cs.id && cs.state.State != banban.StateWaiting {
		return nil
	}
	return cs.reload(ctx)
}

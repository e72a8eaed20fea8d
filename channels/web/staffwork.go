package web

import (
	"context"
	"net/http"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

// actionRequest holds the arguments any staff action may take.
type actionRequest struct {
	Text  string `json:"text"`
	Team  string `json:"team"`
	Staff string `json:"staff"`
}

// staffAction changes a conversation for a staff member.
type staffAction func(ctx context.Context, st banban.Staff, id string, req actionRequest) error

// staffActions are the POST /api/staff/conversations/{id}/{name} routes.
func (s *Server) staffActions() map[string]staffAction {
	d := s.desk
	return map[string]staffAction{
		"claim": func(ctx context.Context, st banban.Staff, id string, _ actionRequest) error {
			_, err := d.Claim(ctx, st, id)
			return err
		},
		"reply": func(ctx context.Context, st banban.Staff, id string, req actionRequest) error {
			_, err := d.Reply(ctx, st, id, req.Text)
			return err
		},
		"note": func(ctx context.Context, st banban.Staff, id string, req actionRequest) error {
			_, err := d.Note(ctx, st, id, req.Text)
			return err
		},
		"transfer": func(ctx context.Context, st banban.Staff, id string, req actionRequest) error {
			_, err := d.Transfer(ctx, st, id, req.Team, req.Staff)
			return err
		},
		"resolve": func(ctx context.Context, st banban.Staff, id string, _ actionRequest) error {
			_, err := d.Resolve(ctx, st, id)
			return err
		},
		"handback": func(ctx context.Context, st banban.Staff, id string, _ actionRequest) error {
			_, err := d.HandBack(ctx, st, id)
			return err
		},
	}
}

// act runs a staff action and answers with the conversation as staff see
// it afterwards.
func (s *Server) act(fn staffAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		noteConversation(r, id)
		var req actionRequest
		if err := s.decode(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := fn(r.Context(), staffOf(r).staff, id, req); err != nil {
			s.fail(w, r, err)
			return
		}
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
}

// queueEvent tells the console to refetch the queue, and the conversation
// it has open when it is this one ("" after connecting: refetch all).
type queueEvent struct {
	ConversationID string `json:"conversation_id"`
}

// staffEvents streams `queue` events whenever any conversation changes
// (GET /api/staff/events). While it is open the staff member counts as
// online; every heartbeat re-checks the session, so signing out or being
// disabled ends the stream.
func (s *Server) staffEvents(w http.ResponseWriter, r *http.Request) {
	me := staffOf(r)
	all, stop := s.desk.Subscribe("")
	defer stop()
	s.enter(me.staff.Username)
	defer s.exit(me.staff.Username)
	e := newSSE(w)
	if err := e.event("queue", 0, queueEvent{}); err != nil {
		return
	}
	ctx := r.Context()
	s.run(ctx, e, streamLoop{all: all,
		update: func(u desk.Update) error {
			return e.event("queue", 0, queueEvent{ConversationID: u.ConversationID})
		},
		beat: func() error {
			if _, _, err := s.desk.SessionStaff(ctx, me.token); err != nil {
				return err
			}
			s.desk.Touch(me.staff.Username)
			return nil
		}})
}

package web

import (
	"context"
	"net/http"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/desk"
)

type chatRequest struct {
	ConversationID string `json:"conversation_id"`
	Text           string `json:"text"`
}

// chatResponse is the answer to one citizen message. The first five fields
// are those of the earlier bot-only API.
type chatResponse struct {
	ConversationID string           `json:"conversation_id"`
	Action         banban.Action    `json:"action"`
	Answer         string           `json:"answer"`
	Sources        []sourceView     `json:"sources"`
	Options        []string         `json:"options"`
	State          banban.ConvState `json:"state"`
	StateLabel     string           `json:"state_label"`
	Position       int              `json:"position"`
	Ticket         string           `json:"ticket"`
	OfferMessage   bool             `json:"offer_message"`
	Notices        []messageView    `json:"notices"`
	// Seq is the conversation's last message number: the client opens the
	// event stream with after=Seq to get only what comes later.
	Seq int `json:"seq"`
	// Draft is the conversation's application form, without its values;
	// null when there is none.
	Draft *draftRef `json:"draft"`
}

// deltaView is one piece of a streamed answer.
type deltaView struct {
	Text  string `json:"text"`
	Reset bool   `json:"reset"`
}

// chat answers one citizen message (POST /api/chat).
func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	in, ok := s.readChat(w, r)
	if !ok {
		return
	}
	out, err := s.desk.Send(r.Context(), in, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	noteConversation(r, out.Conversation.ID)
	resp, err := s.chatResponse(r.Context(), out)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// chatStream answers one citizen message as an event stream (POST
// /api/chat/stream): `delta` events as the answer is written, then `done`
// with the chatResponse. Failures before the first event are plain JSON
// errors; later ones are an `error` event.
func (s *Server) chatStream(w http.ResponseWriter, r *http.Request) {
	in, ok := s.readChat(w, r)
	if !ok {
		return
	}
	e := newSSE(w)
	emit := func(d bot.Delta) error { return e.event("delta", 0, deltaView(d)) }
	out, err := s.desk.Send(r.Context(), in, emit)
	if err == nil {
		noteConversation(r, out.Conversation.ID)
		var resp chatResponse
		if resp, err = s.chatResponse(r.Context(), out); err == nil {
			_ = e.event("done", 0, resp)
			return
		}
	}
	if !e.started {
		s.fail(w, r, err)
		return
	}
	noteError(r, err)
	_ = e.event("error", 0, errorBody(err).Error)
}

// readChat decodes a chat request and applies the conversation's limit.
func (s *Server) readChat(w http.ResponseWriter, r *http.Request) (desk.Incoming, bool) {
	var req chatRequest
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return desk.Incoming{}, false
	}
	noteConversation(r, req.ConversationID)
	if !s.limitConversation(w, r, req.ConversationID) {
		return desk.Incoming{}, false
	}
	return desk.Incoming{ConversationID: req.ConversationID, Channel: Channel, Text: req.Text}, true
}

func (s *Server) chatResponse(ctx context.Context, out desk.Outcome) (chatResponse, error) {
	c := out.Conversation
	resp := chatResponse{ConversationID: c.ID, Sources: []sourceView{}, Options: []string{},
		State: c.CurrentState(), StateLabel: c.CurrentState().Label(), Position: out.Position,
		Ticket: ticketOf(c), OfferMessage: out.OfferMessage, Seq: lastSeq(c), Draft: draftRefOf(c)}
	if a := out.Answer; a != nil {
		resp.Action, resp.Answer, resp.Sources = a.Action, a.Text, sourceViews(a.Citations)
		if a.Options != nil {
			resp.Options = a.Options
		}
	}
	names, err := s.namesFor(ctx, out.Notices)
	if err != nil {
		return resp, err
	}
	resp.Notices = names.publicMessages(out.Notices, 0)
	return resp, nil
}

package web

import (
	"context"
	"net/http"

	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/channels/chatview"
)

type chatRequest struct {
	ConversationID string `json:"conversation_id"`
	Text           string `json:"text"`
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
		var resp chatview.Chat
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

func (s *Server) chatResponse(ctx context.Context, out desk.Outcome) (chatview.Chat, error) {
	c := out.Conversation
	names, err := s.namesFor(ctx, out.Notices)
	if err != nil {
		return chatview.Chat{}, err
	}
	return chatview.ChatOf(out, chatview.StateOf(c, out.Position), names.staffName, draftRefOf(c)), nil
}

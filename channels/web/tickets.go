package web

import (
	"encoding/json"
	"net/http"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/webhook"
)

type ticketStatusRequest struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

// ticketStatus records a ticket status reported by the outside system
// (12345 协同), POST /api/tickets/{ticket}/status. The request is signed
// like our own webhook deliveries: X-Banban-Timestamp and
// X-Banban-Signature over the raw body with TicketSecret.
func (s *Server) ticketStatus(w http.ResponseWriter, r *http.Request) {
	if s.cfg.TicketSecret == "" {
		s.fail(w, r, banban.Errorf(codeForbidden, msgNoCallback))
		return
	}
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = webhook.Verify(s.cfg.TicketSecret, r.Header.Get(webhook.HeaderTimestamp), string(body),
		r.Header.Get(webhook.HeaderSignature), s.now(), 0)
	if err != nil {
		s.fail(w, r, banban.WrapError(codeUnauthorized, err, msgBadSig))
		return
	}
	var req ticketStatusRequest
	if err := json.Unmarshal(body, &req); err != nil {
		s.fail(w, r, banban.WrapError(banban.EINVALID, err, msgBadJSON))
		return
	}
	c, err := s.desk.UpdateTicket(r.Context(), r.PathValue("ticket"), req.Status, req.Note)
	noteConversation(r, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

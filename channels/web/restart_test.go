package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRestartMidHandoff closes the store and the server while a staff
// member serves a citizen, opens them again, and expects both to carry on:
// the session, the conversation, its state and its ticket live in the store.
func TestRestartMidHandoff(t *testing.T) {
	h := newHarness(t)
	id := h.waiting()
	alice := h.login("alice")
	if st := alice.post("/api/staff/conversations/"+id+"/claim", nil, nil); st != http.StatusOK {
		t.Fatalf("claim: status %d", st)
	}
	var before convResp
	h.get("/api/conversations/"+id, &before)

	h.restart()

	if st := alice.get("/api/staff/me", nil); st != http.StatusOK {
		t.Fatalf("session after restart: status %d, want 200", st)
	}
	if r := h.chat(id, "我在东城区。"); r.State != "with_staff" || r.Action != "" {
		t.Errorf("citizen after restart: state %q action %q, want with_staff and the bot silent", r.State, r.Action)
	}
	var v staffConv
	if st := alice.post("/api/staff/conversations/"+id+"/reply", map[string]string{"text": "好的，请带好户口簿。"}, &v); st != http.StatusOK {
		t.Fatalf("reply after restart: status %d", st)
	}
	var after convResp
	h.get("/api/conversations/"+id, &after)
	if after.Ticket != before.Ticket || after.State != "with_staff" {
		t.Errorf("after restart: ticket %q state %q, want %q with_staff", after.Ticket, after.State, before.Ticket)
	}
	n := len(after.Messages)
	if n < 2 || !strings.Contains(after.Messages[n-2].Text, "东城区") || after.Messages[n-1].Author != "李敏" {
		t.Errorf("last messages = %+v, want the citizen's and alice's reply", after.Messages[max(0, n-2):])
	}
	// A new ticket keeps counting from where the old process stopped.
	other := h.waiting()
	var oc convResp
	h.get("/api/conversations/"+other, &oc)
	if oc.Ticket == before.Ticket || !strings.HasSuffix(oc.Ticket, "-0002") {
		t.Errorf("ticket after restart = %q, want the next number after %q", oc.Ticket, before.Ticket)
	}
}

package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStaffLogin(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, user, pass string
		want             int
	}{
		{"good password", "alice", password, http.StatusOK},
		{"bad password", "alice", "wrong-password", http.StatusUnauthorized},
		{"disabled account", "carol", password, http.StatusUnauthorized},
		{"unknown account", "mallory", password, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := h.newBrowser()
			var r struct {
				CSRF  string
				Staff struct{ Username, Name string }
				Error struct{ Code, Message string }
			}
			st, hdr := call(t, c, http.MethodPost, h.url("/api/staff/login"),
				map[string]string{"username": tt.user, "password": tt.pass}, nil, &r)
			if st != tt.want {
				t.Fatalf("status %d, want %d", st, tt.want)
			}
			cookie := hdr.Get("Set-Cookie")
			if tt.want != http.StatusOK {
				if cookie != "" || r.Error.Code != "unauthorized" || r.Error.Message == "" {
					t.Errorf("refused login: cookie %q error %+v", cookie, r.Error)
				}
				return
			}
			for _, attr := range []string{"banban_staff=", "HttpOnly", "SameSite=Strict", "Path=/"} {
				if !strings.Contains(cookie, attr) {
					t.Errorf("cookie %q lacks %s", cookie, attr)
				}
			}
			if r.CSRF == "" || r.Staff.Username != "alice" || r.Staff.Name != "李敏" {
				t.Errorf("login answer = %+v", r)
			}
			var me struct{ CSRF string }
			if st, _ := call(t, c, http.MethodGet, h.url("/api/staff/me"), nil, nil, &me); st != http.StatusOK || me.CSRF != r.CSRF {
				t.Errorf("me: status %d csrf %q, want 200 and the login's", st, me.CSRF)
			}
		})
	}
}

func TestStaffSessionRequired(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		cookie string
	}{
		{"no cookie", ""},
		{"forged cookie", "banban_staff=Zm9yZ2VkLXNlc3Npb24tdG9rZW4tdGhhdC1pcy1ub3QtcmVhbA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := http.Header{}
			if tt.cookie != "" {
				hdr.Set("Cookie", tt.cookie)
			}
			for _, path := range []string{"/api/staff/me", "/api/staff/queue", "/api/staff/events"} {
				var e apiError
				st, _ := call(t, http.DefaultClient, http.MethodGet, h.url(path), nil, hdr, &e)
				if st != http.StatusUnauthorized || e.Error.Code != "unauthorized" {
					t.Errorf("%s: status %d code %q, want 401 unauthorized", path, st, e.Error.Code)
				}
			}
		})
	}
}

func TestCSRFRefusedAndNothingChanged(t *testing.T) {
	h := newHarness(t)
	id := h.waiting()
	sc := h.login("alice")
	tests := []struct {
		name string
		hdr  http.Header
	}{
		{"missing token", http.Header{}},
		{"wrong token", http.Header{"X-Csrf-Token": {sc.csrf + "x"}}},
		{"cross-site", http.Header{"X-Csrf-Token": {sc.csrf}, "Sec-Fetch-Site": {"cross-site"}}},
		{"other origin", http.Header{"X-Csrf-Token": {sc.csrf}, "Origin": {"https://evil.example"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiError
			st, _ := call(t, sc.c, http.MethodPost, h.url("/api/staff/conversations/"+id+"/claim"), nil, tt.hdr, &e)
			if st != http.StatusForbidden || e.Error.Code != "forbidden" {
				t.Errorf("status %d code %q, want 403 forbidden", st, e.Error.Code)
			}
			if c := sc.conv(id); c.State != "waiting" || c.Assignee != "" {
				t.Errorf("after refused claim: state %q assignee %q, want waiting and nobody", c.State, c.Assignee)
			}
		})
	}
}

func TestStaffWorkflow(t *testing.T) {
	h := newHarness(t)
	id := h.waiting()
	alice, bob := h.login("alice"), h.login("bob")
	steps := []struct {
		name      string
		who       *staffClient
		action    string
		body      any
		want      int
		state     string
		assignee  string
		lastRole  string // role of the last message, when set
		lastPriv  bool
		lastMatch string
	}{
		{"bob may not claim another team's", bob, "claim", nil, http.StatusConflict, "waiting", "", "", false, ""},
		{"alice claims", alice, "claim", nil, http.StatusOK, "with_staff", "alice", "system", false, "李敏"},
		{"bob may not reply", bob, "reply", map[string]string{"text": "您好"}, http.StatusConflict, "with_staff", "alice", "", false, ""},
		{"alice replies", alice, "reply", map[string]string{"text": "您好，请问您在哪个区登记？"}, http.StatusOK, "with_staff", "alice", "staff", false, "哪个区"},
		{"alice notes", alice, "note", map[string]string{"text": "群众身份证已过期"}, http.StatusOK, "with_staff", "alice", "staff", true, "已过期"},
		{"empty reply", alice, "reply", map[string]string{"text": " "}, http.StatusBadRequest, "with_staff", "alice", "", false, ""},
		{"transfer to nowhere", alice, "transfer", map[string]string{}, http.StatusBadRequest, "with_staff", "alice", "", false, ""},
		{"transfer to general", alice, "transfer", map[string]string{"team": "general"}, http.StatusOK, "waiting", "", "system", false, "综合服务组"},
		{"bob claims", bob, "claim", nil, http.StatusOK, "with_staff", "bob", "system", false, "王强"},
		{"bob hands to alice", bob, "transfer", map[string]string{"staff": "alice"}, http.StatusOK, "with_staff", "alice", "system", false, "李敏"},
		{"alice resolves", alice, "resolve", nil, http.StatusOK, "resolved", "alice", "system", false, "评价"},
		{"resolve again", alice, "resolve", nil, http.StatusConflict, "resolved", "alice", "", false, ""},
	}
	for _, s := range steps {
		var v staffConv
		st := s.who.post("/api/staff/conversations/"+id+"/"+s.action, s.body, &v)
		if st != s.want {
			t.Fatalf("%s: status %d, want %d", s.name, st, s.want)
		}
		if st != http.StatusOK {
			v = alice.conv(id)
		}
		if v.State != s.state || v.Assignee != s.assignee {
			t.Fatalf("%s: state %q assignee %q, want %q %q", s.name, v.State, v.Assignee, s.state, s.assignee)
		}
		if s.lastRole != "" {
			m := v.Messages[len(v.Messages)-1]
			if m.Role != s.lastRole || m.Private != s.lastPriv || !strings.Contains(m.Text, s.lastMatch) {
				t.Errorf("%s: last message %+v, want %s private=%v containing %q", s.name, m, s.lastRole, s.lastPriv, s.lastMatch)
			}
		}
	}
}

// TestHandBackAfterResolve: after a resolve the citizen's next message goes
// to the bot again; a second handoff is handed back to the bot by staff.
func TestHandBackAfterResolve(t *testing.T) {
	h := newHarness(t)
	id := h.waiting()
	alice := h.login("alice")
	alice.post("/api/staff/conversations/"+id+"/claim", nil, nil)
	if st := alice.post("/api/staff/conversations/"+id+"/resolve", nil, nil); st != http.StatusOK {
		t.Fatalf("resolve: status %d", st)
	}
	if r := h.chat(id, "结婚登记需要什么材料?"); r.State != "bot" || r.Action != "answer" {
		t.Fatalf("after resolve: state %q action %q, want the bot answering", r.State, r.Action)
	}
	h.post("/api/conversations/"+id+"/handoff", nil, nil)
	alice.post("/api/staff/conversations/"+id+"/claim", nil, nil)
	if v := alice.conv(id); v.State != "with_staff" {
		t.Fatalf("second claim: state %q", v.State)
	}
	var v staffConv
	if st := alice.post("/api/staff/conversations/"+id+"/handback", nil, &v); st != http.StatusOK || v.State != "bot" {
		t.Errorf("handback: status %d state %q, want 200 bot", st, v.State)
	}
	if len(v.Events) < 6 || v.Events[len(v.Events)-1].Actor != "staff:alice" {
		t.Errorf("events = %+v, want every change recorded, the last by alice", v.Events)
	}
}

func TestStaffQueueAndLists(t *testing.T) {
	h := newHarness(t)
	id := h.waiting()
	alice := h.login("alice")
	var q struct {
		Entries []struct {
			ConversationID string `json:"conversation_id"`
			TeamName       string `json:"team_name"`
			ReasonLabel    string `json:"reason_label"`
			Ticket         string
			Position       int
			Summary        string
		}
	}
	if st := alice.get("/api/staff/queue", &q); st != http.StatusOK || len(q.Entries) != 1 {
		t.Fatalf("queue: status %d, %d entries, want 200 and 1", st, len(q.Entries))
	}
	e := q.Entries[0]
	if e.ConversationID != id || e.TeamName != "民政业务组" || e.Position != 1 || e.Ticket == "" || !strings.Contains(e.Summary, "结婚登记") {
		t.Errorf("entry = %+v", e)
	}
	var bq struct{ Entries []struct{} }
	if h.login("bob").get("/api/staff/queue", &bq); len(bq.Entries) != 0 {
		t.Errorf("bob's queue has %d entries, want none from another team", len(bq.Entries))
	}
	var list struct {
		Staff []struct {
			Username string
			Disabled bool
		}
	}
	if st := alice.get("/api/staff/staff", &list); st != http.StatusOK || len(list.Staff) != 3 || !list.Staff[2].Disabled {
		t.Errorf("staff list: status %d %+v, want 3 accounts with carol disabled", st, list.Staff)
	}
}

func TestStaffEventsKeepStaffOnline(t *testing.T) {
	h := newHarness(t)
	alice := h.login("alice")
	var a convResp
	h.get("/api/availability", &a.Availability)
	if a.Availability.StaffOnline != 0 {
		t.Fatalf("before the console opens: %d online", a.Availability.StaffOnline)
	}
	s := openStream(t, alice.c, h.url("/api/staff/events"), nil)
	s.until(2*time.Second, named("queue"))
	h.get("/api/availability", &a.Availability)
	if a.Availability.StaffOnline != 1 || !a.Availability.Available {
		t.Errorf("with the console open: %+v, want 1 online and available", a.Availability)
	}
	c := h.chat("", "结婚登记需要什么材料?")
	s.until(2*time.Second, func(ev event) bool {
		return ev.Name == "queue" && strings.Contains(ev.Data, c.ConversationID)
	})
	s.until(2*time.Second, named(":")) // the heartbeat
	s.cancel()
	deadline := time.Now().Add(2 * time.Second)
	for h.get("/api/availability", &a.Availability); a.Availability.StaffOnline != 0; h.get("/api/availability", &a.Availability) {
		if time.Now().After(deadline) {
			t.Fatalf("after the console closed: %d online, want 0", a.Availability.StaffOnline)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	h := newHarness(t)
	alice := h.login("alice")
	if st := alice.post("/api/staff/logout", nil, nil); st != http.StatusOK {
		t.Fatalf("logout: status %d", st)
	}
	if st := alice.get("/api/staff/me", nil); st != http.StatusUnauthorized {
		t.Errorf("after logout: status %d, want 401", st)
	}
}

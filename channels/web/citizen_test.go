package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCitizenStreamGetsStaffReplyLiveButNeverNotes(t *testing.T) {
	h := newHarness(t)
	id := h.waiting()
	s := openStream(t, http.DefaultClient, h.url("/api/conversations/"+id+"/events?after=0"), nil)
	backlog := s.until(2*time.Second, named("state"))
	if len(backlog) < 3 || backlog[0].ID != "1" || backlog[0].Name != "message" {
		t.Fatalf("backlog = %+v, want the messages from seq 1, then the state", backlog)
	}
	if st := decodeData[convResp](t, backlog[len(backlog)-1]); st.State != "waiting" || st.Position != 1 {
		t.Errorf("first state = %+v, want waiting at 1", st)
	}
	alice := h.login("alice")
	const note, reply = "内部备注：核对户籍", "您好，我是帮办李敏，请问有什么可以帮您？"
	for _, step := range []struct{ action, text string }{{"claim", ""}, {"note", note}, {"reply", reply}} {
		if st := alice.post("/api/staff/conversations/"+id+"/"+step.action, map[string]string{"text": step.text}, nil); st != http.StatusOK {
			t.Fatalf("%s: status %d", step.action, st)
		}
	}
	live := s.until(3*time.Second, func(ev event) bool { return strings.Contains(ev.Data, "请问有什么可以帮您") })
	for _, ev := range live {
		if strings.Contains(ev.Data, "核对户籍") || strings.Contains(ev.Data, `"private"`) {
			t.Errorf("citizen stream sent a private note: %+v", ev)
		}
	}
	got := decodeData[message](t, live[len(live)-1])
	if got.Role != "staff" || got.Author != "李敏" || got.Text != reply {
		t.Errorf("reply event = %+v, want alice's reply by name", got)
	}
	sawState := false
	for _, ev := range live {
		sawState = sawState || ev.Name == "state" && strings.Contains(ev.Data, `"with_staff"`)
	}
	if !sawState {
		t.Errorf("no state event for the claim in %+v", live)
	}
	var conv convResp
	h.get("/api/conversations/"+id, &conv)
	for _, m := range conv.Messages {
		if m.Private || strings.Contains(m.Text, "核对户籍") {
			t.Errorf("citizen conversation shows a private note: %+v", m)
		}
	}
}

func TestCitizenStreamResumesAfterLastEventID(t *testing.T) {
	h := newHarness(t)
	c := h.chat("", "结婚登记需要什么材料?")
	h.chat(c.ConversationID, "那要收费吗?")
	s := openStream(t, http.DefaultClient, h.url("/api/conversations/"+c.ConversationID+"/events?after=1"),
		http.Header{"Last-Event-Id": {strconv.Itoa(c.Seq)}})
	evs := s.until(2*time.Second, named("state"))
	if len(evs) != 3 || evs[0].ID != "3" || evs[1].ID != "4" {
		t.Errorf("events = %+v, want messages 3 and 4 then the state", evs)
	}
}

func TestStreamOfUnknownConversationIs404(t *testing.T) {
	h := newHarness(t)
	var e apiError
	if st := h.get("/api/conversations/0123456789abcdef01234567/events", &e); st != http.StatusNotFound || e.Error.Code != "not_found" {
		t.Errorf("status %d code %q, want 404 not_found", st, e.Error.Code)
	}
}

func TestServerCloseEndsStreams(t *testing.T) {
	h := newHarness(t)
	c := h.chat("", "你好")
	s := openStream(t, http.DefaultClient, h.url("/api/conversations/"+c.ConversationID+"/events"), nil)
	s.until(2*time.Second, named("state"))
	h.srv.Close()
	if !s.ended(2 * time.Second) {
		t.Error("stream still open after Server.Close")
	}
}

func TestOutsideHoursOffersToLeaveAMessage(t *testing.T) {
	h := newHarness(t, closed())
	h.desk.Touch("alice") // online, yet outside business hours
	c := h.chat("", "结婚登记需要什么材料?")
	r := h.chat(c.ConversationID, "转人工")
	if !r.OfferMessage || r.State != "bot" || r.Ticket != "" {
		t.Fatalf("handoff outside hours: offer %v state %q ticket %q, want an offer and no ticket", r.OfferMessage, r.State, r.Ticket)
	}
	if len(r.Notices) == 0 || !strings.Contains(r.Notices[0].Text, "非工作时间") {
		t.Errorf("notices = %+v, want the hours explained", r.Notices)
	}
	var left struct{ State, Ticket string }
	body := map[string]string{"text": "想咨询结婚登记预约，请回电。", "contact": "13812345678"}
	if st := h.post("/api/conversations/"+c.ConversationID+"/leave-message", body, &left); st != http.StatusOK {
		t.Fatalf("leave-message: status %d", st)
	}
	if left.State != "waiting" || left.Ticket == "" {
		t.Errorf("left message: %+v, want waiting with a ticket", left)
	}
	v := h.login("alice").conv(c.ConversationID)
	if v.Handoff == nil || v.Handoff.Reason != "message" || v.Handoff.Ticket != left.Ticket || v.Handoff.Contact != "13812345678" {
		t.Errorf("staff view of the message: %+v", v.Handoff)
	}
}

func TestRating(t *testing.T) {
	h := newHarness(t)
	id := h.chat("", "你好").ConversationID
	tests := []struct {
		name string
		body string
		want int
	}{
		{"too low", `{"score": 0}`, http.StatusBadRequest},
		{"too high", `{"score": 6}`, http.StatusBadRequest},
		{"not a number", `{"score": "好"}`, http.StatusBadRequest},
		{"good", `{"score": 5, "comment": "回答很清楚"}`, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if st := h.post("/api/conversations/"+id+"/rating", tt.body, nil); st != tt.want {
				t.Errorf("status %d, want %d", st, tt.want)
			}
		})
	}
	var conv convResp
	h.get("/api/conversations/"+id, &conv)
	if conv.Rating == nil || conv.Rating.Score != 5 || conv.Rating.Comment != "回答很清楚" {
		t.Errorf("stored rating = %+v, want 5 with the comment", conv.Rating)
	}
}

func TestBadRequests(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, method, path, body string
		want                     int
		code                     string
	}{
		{"oversized body", "POST", "/api/chat", `{"text": "` + strings.Repeat("办", 30000) + `"}`, 413, "too_large"},
		{"overlong message", "POST", "/api/chat", `{"text": "` + strings.Repeat("办", 2500) + `"}`, 413, "too_large"},
		{"broken json", "POST", "/api/chat", `{"text": `, 400, "invalid"},
		{"empty text", "POST", "/api/chat", `{"text": ""}`, 400, "invalid"},
		{"bad conversation id", "POST", "/api/chat", `{"conversation_id": "../x", "text": "你好"}`, 400, "invalid"},
		{"unknown conversation", "GET", "/api/conversations/0123456789abcdef01234567", "", 404, "not_found"},
		{"handoff of unknown", "POST", "/api/conversations/0123456789abcdef01234567/handoff", "", 404, "not_found"},
		{"unknown route", "GET", "/api/nothing", "", 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiError
			var body any
			if tt.body != "" {
				body = tt.body
			}
			st, hdr := call(t, http.DefaultClient, tt.method, h.url(tt.path), body, nil, &e)
			if st != tt.want || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("status %d %+v, want %d %s with a message", st, e.Error, tt.want, tt.code)
			}
			if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
		})
	}
	if r := h.chat("", "你好"); r.Action != "answer" {
		t.Errorf("after bad requests: %+v", r)
	}
}

func TestMarkupInMessagesComesBackAsText(t *testing.T) {
	h := newHarness(t)
	const text = `<script>alert("x")</script><img src=x onerror=alert(1)>结婚登记需要什么材料?`
	c := h.chat("", text)
	var conv convResp
	st, hdr := call(t, http.DefaultClient, http.MethodGet, h.url("/api/conversations/"+c.ConversationID), nil, nil, &conv)
	if st != http.StatusOK || len(conv.Messages) == 0 || conv.Messages[0].Text != text {
		t.Fatalf("status %d, first message %+v, want the text exactly as sent", st, conv.Messages)
	}
	if hdr.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Errorf("headers %v, want JSON with nosniff", hdr)
	}
}

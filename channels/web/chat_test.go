package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var convIDRe = regexp.MustCompile(`^[0-9a-f]{24}$`)

func TestChatAnswersWithSources(t *testing.T) {
	h := newHarness(t)
	first := h.chat("", "结婚登记需要什么材料?")
	if !convIDRe.MatchString(first.ConversationID) {
		t.Errorf("conversation_id = %q, want 24 hex characters", first.ConversationID)
	}
	if first.Action != "answer" || first.State != "bot" || first.Seq != 2 {
		t.Errorf("action %q state %q seq %d, want answer bot 2", first.Action, first.State, first.Seq)
	}
	if len(first.Sources) == 0 || first.Sources[0].Doc != "hy-marriage" || first.Sources[0].Section != "申请材料" {
		t.Fatalf("sources = %+v, want hy-marriage 申请材料 first", first.Sources)
	}
	if src := first.Sources[0]; src.URL == "" || src.Title != "结婚登记" {
		t.Errorf("source = %+v, want a title and a link", src)
	}
	second := h.chat(first.ConversationID, "那要收费吗?")
	if second.ConversationID != first.ConversationID {
		t.Errorf("follow-up conversation = %q, want %q", second.ConversationID, first.ConversationID)
	}
	if len(second.Sources) == 0 || second.Sources[0].Section != "收费标准" {
		t.Errorf("follow-up sources = %+v, want the fee section", second.Sources)
	}
	var conv convResp
	if st := h.get("/api/conversations/"+first.ConversationID, &conv); st != http.StatusOK || len(conv.Messages) != 4 {
		t.Fatalf("conversation: status %d, %d messages, want 200 and 4", st, len(conv.Messages))
	}
	if m := conv.Messages[1]; m.Role != "bot" || m.Action != "answer" || len(m.Sources) == 0 {
		t.Errorf("bot message = %+v, want an answer with sources", m)
	}
}

func TestSourceWithoutOwnURLLinksTheDocumentPage(t *testing.T) {
	h := newHarness(t)
	for _, q := range []string{"结婚登记需要什么材料?", "开个小饭馆要办啥证?", "医保怎么报销?"} {
		for _, s := range h.chat("", q).Sources {
			if !strings.HasPrefix(s.URL, "/docs/"+s.Doc) && !strings.HasPrefix(s.URL, "https://") {
				t.Errorf("%s: source url %q, want the document's own url or /docs/%s", q, s.URL, s.Doc)
			}
		}
	}
}

func TestChatStreamSendsDeltasThenDone(t *testing.T) {
	h := newHarness(t)
	body := strings.NewReader(`{"text": "结婚登记需要什么材料?"}`)
	req, _ := http.NewRequest(http.MethodPost, h.url("/api/chat/stream"), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") || resp.Header.Get("X-Accel-Buffering") != "no" {
		t.Errorf("headers: Content-Type %q X-Accel-Buffering %q", ct, resp.Header.Get("X-Accel-Buffering"))
	}
	s := &stream{t: t, events: make(chan event, 256), cancel: func() {}}
	go s.read(resp.Body)
	evs := s.until(10*time.Second, named("done"))
	var text strings.Builder
	deltas := 0
	for _, ev := range evs[:len(evs)-1] {
		if ev.Name != "delta" {
			t.Fatalf("event %q before done, want only deltas", ev.Name)
		}
		d := decodeData[struct {
			Text  string
			Reset bool
		}](t, ev)
		if d.Reset {
			text.Reset()
		}
		text.WriteString(d.Text)
		deltas++
	}
	done := decodeData[chatResp](t, evs[len(evs)-1])
	if deltas == 0 || done.Action != "answer" || text.String() != done.Answer {
		t.Errorf("%d deltas %q, done %q %q; want deltas adding up to the answer", deltas, text.String(), done.Action, done.Answer)
	}
	if len(done.Sources) == 0 || done.Sources[0].Doc != "hy-marriage" || done.ConversationID == "" {
		t.Errorf("done = %+v, want the conversation and hy-marriage sources", done)
	}
}

func TestChatStreamRefusesBadInputAsJSON(t *testing.T) {
	h := newHarness(t)
	var e apiError
	if st := h.post("/api/chat/stream", `{"text": "   "}`, &e); st != http.StatusBadRequest || e.Error.Code != "invalid" {
		t.Errorf("empty text: status %d code %q, want 400 invalid", st, e.Error.Code)
	}
}

func TestHandoffWaitsWithPositionAndTicket(t *testing.T) {
	h := newHarness(t)
	h.desk.Touch("alice")
	first := h.waiting()
	var conv convResp
	h.get("/api/conversations/"+first, &conv)
	if conv.State != "waiting" || conv.Position != 1 || !regexp.MustCompile(`^BB\d{6}-0001$`).MatchString(conv.Ticket) {
		t.Errorf("first: state %q position %d ticket %q, want waiting 1 BByymmdd-0001", conv.State, conv.Position, conv.Ticket)
	}
	// Asking in words (转人工) hands off too, behind the first.
	c := h.chat("", "结婚登记需要什么材料?")
	r := h.chat(c.ConversationID, "转人工")
	if r.Action != "handoff" || r.State != "waiting" || r.Position != 2 || r.Ticket == "" || r.Ticket == conv.Ticket {
		t.Fatalf("second: action %q state %q position %d ticket %q", r.Action, r.State, r.Position, r.Ticket)
	}
	if len(r.Notices) != 1 || !strings.Contains(r.Notices[0].Text, r.Ticket) || r.Notices[0].Role != "system" {
		t.Errorf("notices = %+v, want one system notice naming the ticket", r.Notices)
	}
	// While waiting, the bot stays silent.
	quiet := h.chat(c.ConversationID, "请问还要多久?")
	if quiet.Action != "" || quiet.Answer != "" || quiet.State != "waiting" || quiet.Position != 2 {
		t.Errorf("while waiting: %+v, want no answer, still waiting at 2", quiet)
	}
}

func TestCancelWaitReturnsToTheBot(t *testing.T) {
	h := newHarness(t)
	id := h.waiting()
	var r struct{ State string }
	if st := h.post("/api/conversations/"+id+"/cancel", nil, &r); st != http.StatusOK || r.State != "bot" {
		t.Errorf("cancel: status %d state %q, want 200 bot", st, r.State)
	}
	var e apiError
	if st := h.post("/api/conversations/"+id+"/cancel", nil, &e); st != http.StatusConflict || e.Error.Message == "" {
		t.Errorf("cancel again: status %d %+v, want 409 with a message", st, e)
	}
}

package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

const ticketSecret = "test-ticket-secret"

// The API's answers as the pages read them (API.md).
type source struct {
	Doc, Title, Section, URL, Updated string
}

type message struct {
	Seq                        int
	Role, Text, Author, Action string
	Sources                    []source
	Options                    []string
	Private                    bool
}

type chatResp struct {
	ConversationID string `json:"conversation_id"`
	Action, Answer string
	Sources        []source
	Options        []string
	State          string
	StateLabel     string `json:"state_label"`
	Position       int
	Ticket         string
	OfferMessage   bool `json:"offer_message"`
	Notices        []message
	Seq            int
}

type apiError struct {
	Error struct{ Code, Message string }
}

type convResp struct {
	ConversationID string `json:"conversation_id"`
	State          string
	Position       int
	Ticket         string
	Rating         *struct {
		Score   int
		Comment string
	}
	Availability struct {
		Open        bool
		StaffOnline int `json:"staff_online"`
		Available   bool
	}
	Messages []message
}

type staffConv struct {
	ConversationID string `json:"conversation_id"`
	State, Team    string
	Assignee       string
	Handoff        *struct {
		Ticket, Reason, Status, Message, Contact string
		StatusNote                               string `json:"status_note"`
	}
	Messages []message
	Events   []struct{ From, To, Actor, Reason string }
}

// call sends a request (a string body as is, anything else as JSON) and
// decodes the JSON answer into out when it is not nil.
func call(t *testing.T, c *http.Client, method, url string, body any, hdr http.Header, out any) (int, http.Header) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, url, data, err)
		}
	}
	return resp.StatusCode, resp.Header
}

func (h *harness) url(path string) string { return h.http.URL + path }

func (h *harness) post(path string, body, out any) int {
	h.t.Helper()
	st, _ := call(h.t, http.DefaultClient, http.MethodPost, h.url(path), body, nil, out)
	return st
}

func (h *harness) get(path string, out any) int {
	h.t.Helper()
	st, _ := call(h.t, http.DefaultClient, http.MethodGet, h.url(path), nil, nil, out)
	return st
}

// chat sends a citizen message and wants 200.
func (h *harness) chat(conv, text string) chatResp {
	h.t.Helper()
	var r chatResp
	if st := h.post("/api/chat", map[string]string{"conversation_id": conv, "text": text}, &r); st != http.StatusOK {
		h.t.Fatalf("chat %q: status %d", text, st)
	}
	return r
}

// waiting starts a conversation about marriage registration and asks for a
// human, with a staff member online; it returns the conversation id.
func (h *harness) waiting() string {
	h.t.Helper()
	h.desk.Touch("alice")
	c := h.chat("", "结婚登记需要什么材料?")
	var r chatResp
	if st := h.post("/api/conversations/"+c.ConversationID+"/handoff", nil, &r); st != http.StatusOK || r.State != "waiting" {
		h.t.Fatalf("handoff: status %d state %q", st, r.State)
	}
	return c.ConversationID
}

// staffClient is a signed-in staff browser: a cookie jar and the CSRF token.
type staffClient struct {
	h    *harness
	c    *http.Client
	csrf string
}

func (h *harness) newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

// login signs a staff member in and wants 200.
func (h *harness) login(user string) *staffClient {
	h.t.Helper()
	sc := &staffClient{h: h, c: h.newBrowser()}
	var r struct{ CSRF string }
	st, _ := call(h.t, sc.c, http.MethodPost, h.url("/api/staff/login"),
		map[string]string{"username": user, "password": password}, nil, &r)
	if st != http.StatusOK || r.CSRF == "" {
		h.t.Fatalf("login %s: status %d", user, st)
	}
	sc.csrf = r.CSRF
	return sc
}

func (sc *staffClient) post(path string, body, out any) int {
	sc.h.t.Helper()
	hdr := http.Header{"X-Csrf-Token": {sc.csrf}}
	st, _ := call(sc.h.t, sc.c, http.MethodPost, sc.h.url(path), body, hdr, out)
	return st
}

func (sc *staffClient) get(path string, out any) int {
	sc.h.t.Helper()
	st, _ := call(sc.h.t, sc.c, http.MethodGet, sc.h.url(path), nil, nil, out)
	return st
}

// conv reads a conversation as staff see it.
func (sc *staffClient) conv(id string) staffConv {
	sc.h.t.Helper()
	var v staffConv
	if st := sc.get("/api/staff/conversations/"+id, &v); st != http.StatusOK {
		sc.h.t.Fatalf("staff conversation: status %d", st)
	}
	return v
}

// event is one server-sent event; comments have Name ":".
type event struct {
	ID, Name, Data string
}

// stream reads an event stream in the background.
type stream struct {
	t      *testing.T
	events chan event
	cancel context.CancelFunc
	status int
}

// openStream opens an event stream and wants 200.
func openStream(t *testing.T, c *http.Client, url string, hdr http.Header) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("open stream %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		resp.Body.Close()
		t.Fatalf("open stream %s: status %d", url, resp.StatusCode)
	}
	s := &stream{t: t, events: make(chan event, 256), cancel: cancel, status: resp.StatusCode}
	go s.read(resp.Body)
	t.Cleanup(cancel)
	return s
}

func (s *stream) read(body io.ReadCloser) {
	defer close(s.events)
	defer body.Close()
	sc := bufio.NewScanner(body)
	var ev event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev != (event{}) {
				s.events <- ev
			}
			ev = event{}
		case strings.HasPrefix(line, ":"):
			ev.Name = ":"
		case strings.HasPrefix(line, "id: "):
			ev.ID = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.Name = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.Data = line[6:]
		}
	}
}

// until returns the events up to and including the first that match
// accepts; it fails the test when none comes within d.
func (s *stream) until(d time.Duration, match func(event) bool) []event {
	s.t.Helper()
	var seen []event
	timeout := time.After(d)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				s.t.Fatalf("stream ended after %d events without the one wanted", len(seen))
			}
			seen = append(seen, ev)
			if match(ev) {
				return seen
			}
		case <-timeout:
			s.t.Fatalf("no wanted event within %v; got %+v", d, seen)
		}
	}
}

// named matches events by name.
func named(name string) func(event) bool {
	return func(ev event) bool { return ev.Name == name }
}

// ended reports whether the stream closes within d.
func (s *stream) ended(d time.Duration) bool {
	timeout := time.After(d)
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

func decodeData[T any](t *testing.T, ev event) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(ev.Data), &v); err != nil {
		t.Fatalf("decode %s event %q: %v", ev.Name, ev.Data, err)
	}
	return v
}

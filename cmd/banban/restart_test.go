package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

// openAllHours keeps the help desk open whenever the tests run.
func openAllHours(cfg *Config) {
	cfg.Calendar = &desk.Calendar{Open: 0, Close: 24 * 60, Weekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}
}

// apiClient calls the JSON API with a cookie jar and the staff CSRF token.
type apiClient struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func newAPIClient(t *testing.T, base string) *apiClient {
	jar, _ := cookiejar.New(nil)
	return &apiClient{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// call sends a request and decodes the JSON reply into out, failing the test
// unless the status is 200.
func (c *apiClient) call(method, path string, body, out any) {
	c.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e map[string]any
		json.NewDecoder(resp.Body).Decode(&e)
		c.t.Fatalf("%s %s: status %d %v", method, path, resp.StatusCode, e)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			c.t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
}

// rebase points the client at a restarted server, keeping its cookies.
func (c *apiClient) rebase(base string) {
	jar := c.http.Jar
	old, _ := http.NewRequest("GET", c.base, nil)
	cookies := jar.Cookies(old.URL)
	c.base = base
	u, _ := http.NewRequest("GET", base, nil)
	jar.SetCookies(u.URL, cookies)
}

type convView struct {
	ConversationID string `json:"conversation_id"`
	State          string `json:"state"`
	Ticket         string `json:"ticket"`
	Messages       []struct {
		Role string `json:"role"`
		Text string `json:"text"`
	} `json:"messages"`
}

// TestRestartMidHandoff restarts `banban serve` while a staff member has a
// conversation, on each store: nothing is lost and both sides continue.
func TestRestartMidHandoff(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			desk.Iterations = 1000
			cfg := testConfig(t, store)
			openAllHours(&cfg)
			srv := launch(t, cfg)
			ctx := context.Background()
			if _, err := srv.App.Desk.AddStaff(ctx, "zhang", "张三", "password123", nil); err != nil {
				t.Fatal(err)
			}
			srv.App.Desk.Touch("zhang")
			citizen, staff := newAPIClient(t, srv.URL), newAPIClient(t, srv.URL)
			var chat struct {
				ConversationID string `json:"conversation_id"`
				Ticket         string `json:"ticket"`
				State          string `json:"state"`
			}
			citizen.call("POST", "/api/chat", map[string]string{"text": "开个体户要准备哪些材料？"}, &chat)
			id := chat.ConversationID
			citizen.call("POST", "/api/conversations/"+id+"/handoff", nil, &chat)
			var login struct {
				CSRF string `json:"csrf"`
			}
			staff.call("POST", "/api/staff/login", map[string]string{"username": "zhang", "password": "password123"}, &login)
			staff.csrf = login.CSRF
			staff.call("POST", "/api/staff/conversations/"+id+"/claim", nil, nil)
			staff.call("POST", "/api/staff/conversations/"+id+"/reply", map[string]string{"text": "您好，请问经营场所是租的吗？"}, nil)

			srv.stop()
			srv = launch(t, cfg)
			citizen.rebase(srv.URL)
			staff.rebase(srv.URL)

			citizen.call("POST", "/api/chat", map[string]string{"conversation_id": id, "text": "是租的"}, &chat)
			if chat.State != string(banban.StateWithStaff) {
				t.Fatalf("after restart the conversation is %q, want with_staff", chat.State)
			}
			staff.call("POST", "/api/staff/conversations/"+id+"/reply", map[string]string{"text": "好的，请带上租赁合同。"}, nil)
			var view convView
			citizen.call("GET", "/api/conversations/"+id, nil, &view)
			var got []string
			for _, m := range view.Messages {
				got = append(got, m.Role+":"+m.Text)
			}
			joined := strings.Join(got, "\n")
			for _, want := range []string{"citizen:开个体户要准备哪些材料？", "staff:您好，请问经营场所是租的吗？", "citizen:是租的", "staff:好的，请带上租赁合同。"} {
				if !strings.Contains(joined, want) {
					t.Errorf("transcript after restart lacks %q:\n%s", want, joined)
				}
			}
			if view.Ticket == "" || view.State != string(banban.StateWithStaff) {
				t.Errorf("after restart: ticket %q state %q", view.Ticket, view.State)
			}
		})
	}
}

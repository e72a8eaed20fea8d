package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/web"
	"github.com/banban-gov/banban/channels/webhook"
	"github.com/banban-gov/banban/knowledge/bolt"
)

func TestPages(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		path, ctype, frame, cache string
	}{
		{"/", "text/html", "frame-ancestors *", "no-cache"},
		{"/?embed=1", "text/html", "frame-ancestors *", "no-cache"},
		{"/staff", "text/html", "frame-ancestors 'none'", "no-cache"},
		{"/widget.js", "text/javascript", "", "max-age"},
		{"/static/app.js", "text/javascript", "", "max-age"},
		{"/static/style.css", "text/css", "", "max-age"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(h.url(tt.path))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			hd := resp.Header
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(hd.Get("Content-Type"), tt.ctype) {
				t.Fatalf("status %d type %q, want 200 %s", resp.StatusCode, hd.Get("Content-Type"), tt.ctype)
			}
			csp := hd.Get("Content-Security-Policy")
			if tt.frame != "" && (!strings.Contains(csp, tt.frame) || !strings.Contains(csp, "script-src 'self'")) {
				t.Errorf("CSP %q, want script-src 'self' and %s", csp, tt.frame)
			}
			if hd.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(hd.Get("Cache-Control"), tt.cache) {
				t.Errorf("nosniff %q cache %q, want nosniff and %s", hd.Get("X-Content-Type-Options"), hd.Get("Cache-Control"), tt.cache)
			}
			req, _ := http.NewRequest(http.MethodGet, h.url(tt.path), nil)
			req.Header.Set("If-None-Match", hd.Get("ETag"))
			again, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			again.Body.Close()
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("with its ETag: status %d, want 304", again.StatusCode)
			}
		})
	}
	if resp, _ := http.Get(h.url("/static/nothing.js")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing asset: status %d, want 404", resp.StatusCode)
	}
}

func getPage(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func TestDocumentPage(t *testing.T) {
	h := newHarness(t)
	st, body, hdr := getPage(t, h.url("/docs/hy-marriage"))
	if st != http.StatusOK || !strings.Contains(body, "<h1 class=\"doc-title\">结婚登记</h1>") || !strings.Contains(body, `id="申请材料"`) {
		t.Errorf("status %d, page lacks the title or the section anchor:\n%s", st, body)
	}
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("CSP %q", hdr.Get("Content-Security-Policy"))
	}
	st, body, _ = getPage(t, h.url("/docs/no-such-item"))
	if st != http.StatusNotFound || !strings.Contains(body, "未找到") {
		t.Errorf("missing document: status %d body %q, want a Chinese 404 page", st, body)
	}
}

func TestDocumentPageEscapesMarkup(t *testing.T) {
	h := newHarness(t)
	st, err := bolt.Open(filepath.Join(t.TempDir(), "docs.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	doc := banban.Document{ID: "evil", Kind: banban.KindFAQ, Title: `<script>alert(1)</script>问答`,
		URL: "javascript:alert(1)", Sections: []banban.Section{{Heading: `"><img src=x onerror=alert(1)>`, Text: "<b>粗体</b>"}}}
	if err := st.Put(context.Background(), []banban.Entry{{Doc: doc}}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	ts := httptest.NewServer(web.New(h.desk, st, web.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	defer ts.Close()
	code, body, _ := getPage(t, ts.URL+"/docs/evil")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, bad := range []string{"<script>alert", "<img", "<b>", "javascript:"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q unescaped:\n%s", bad, body)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, "&lt;b&gt;粗体") {
		t.Errorf("page lacks the escaped text:\n%s", body)
	}
}

// signed builds a ticket callback signed at the given time.
func signed(secret string, at time.Time, body string) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	return http.Header{webhook.HeaderTimestamp: {ts}, webhook.HeaderSignature: {webhook.Sign(secret, ts, []byte(body))},
		"Content-Type": {"application/json"}}
}

func TestTicketStatusCallback(t *testing.T) {
	h := newHarness(t)
	id := h.waiting()
	var conv convResp
	h.get("/api/conversations/"+id, &conv)
	body := `{"status": "已受理", "note": "转区民政局办理"}`
	now := time.Now()
	tests := []struct {
		name, ticket string
		hdr          http.Header
		want         int
	}{
		{"wrong secret", conv.Ticket, signed("guess", now, body), http.StatusUnauthorized},
		{"stale timestamp", conv.Ticket, signed(ticketSecret, now.Add(-time.Hour), body), http.StatusUnauthorized},
		{"unsigned", conv.Ticket, http.Header{}, http.StatusUnauthorized},
		{"unknown ticket", "BB000000-9999", signed(ticketSecret, now, body), http.StatusNotFound},
		{"good", conv.Ticket, signed(ticketSecret, now, body), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := call(t, http.DefaultClient, http.MethodPost, h.url("/api/tickets/"+tt.ticket+"/status"), body, tt.hdr, nil)
			if st != tt.want {
				t.Errorf("status %d, want %d", st, tt.want)
			}
		})
	}
	v := h.login("alice").conv(id)
	if v.Handoff == nil || v.Handoff.Status != "已受理" || v.Handoff.StatusNote != "转区民政局办理" {
		t.Errorf("handoff after callback = %+v", v.Handoff)
	}
	if last := v.Messages[len(v.Messages)-1]; !last.Private || !strings.Contains(last.Text, "已受理") {
		t.Errorf("staff see %+v last, want a private status note", last)
	}
	h.get("/api/conversations/"+id, &conv)
	if last := conv.Messages[len(conv.Messages)-1]; strings.Contains(last.Text, "已受理") {
		t.Errorf("citizen sees the status note %+v", last)
	}
}

func TestTicketCallbackOffWithoutSecret(t *testing.T) {
	h := newHarness(t, withConfig(web.Config{}))
	st, _ := call(t, http.DefaultClient, http.MethodPost, h.url("/api/tickets/BB000000-0001/status"), `{}`,
		signed("", time.Now(), `{}`), nil)
	if st != http.StatusForbidden {
		t.Errorf("status %d, want 403", st)
	}
}

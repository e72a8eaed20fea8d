package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// A citizen applying for 个体工商户设立登记 (evals/forms.jsonl f09).
const (
	draftID       = "350203199507182271"
	draftIDMasked = "350***********2271"
	draftPhone    = "13055556666"
	draftName     = "王强"
)

var draftTurns = []string{"开个体户要准备哪些材料？", "我要办", "我叫王强，身份证" + draftID + "，电话" + draftPhone,
	"家庭经营", "示例市东城区中山路88号一层", "小吃、饮品", "3人", "确认"}

type draftRefResp struct {
	State    string `json:"state"`
	Title    string `json:"title"`
	PrintURL string `json:"print_url"`
}

type draftExport struct {
	Doc, Title, State string
	PrintURL          string `json:"print_url"`
	Fields            []struct{ Name, Label, Value, Warning string }
}

// value is the value of the named field.
func (e draftExport) value(name string) string {
	for _, f := range e.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// confirmedDraft fills and confirms the form in the chat and returns the
// conversation id; every reply says where the draft stands, never a value.
func (h *harness) confirmedDraft() string {
	h.t.Helper()
	var id string
	var last struct {
		chatResp
		Draft *draftRefResp
	}
	for _, text := range draftTurns {
		if st := h.post("/api/chat", map[string]string{"conversation_id": id, "text": text}, &last); st != http.StatusOK {
			h.t.Fatalf("chat %q: status %d", text, st)
		}
		id = last.ConversationID
	}
	want := draftRefResp{State: "confirmed", Title: "个体工商户设立登记", PrintURL: "/conversations/" + id + "/draft/print"}
	if last.Draft == nil || *last.Draft != want {
		h.t.Fatalf("draft in the last reply = %+v (answer %q), want %+v", last.Draft, last.Answer, want)
	}
	return id
}

// fetch GETs a path with the client and returns status, headers and body.
func fetch(t *testing.T, c *http.Client, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

func TestCitizenDraft(t *testing.T) {
	h := newHarness(t)
	id := h.confirmedDraft()
	bare := h.chat("", "你好").ConversationID
	tests := []struct {
		name, path string
		status     int
		ctype      string
		want       []string // in the body
	}{
		{"masked export", "/api/conversations/" + id + "/draft", http.StatusOK, "application/json",
			[]string{draftIDMasked, "130****6666", draftName, `"state":"confirmed"`}},
		{"masked print page", "/conversations/" + id + "/draft/print", http.StatusOK, "text/html",
			[]string{draftIDMasked, "130****6666", draftName, "个体工商户设立登记申请表", "申请人已确认"}},
		{"conversation view", "/api/conversations/" + id, http.StatusOK, "application/json",
			[]string{`"print_url":"/conversations/` + id + `/draft/print"`, `"state":"confirmed"`}},
		{"export without a draft", "/api/conversations/" + bare + "/draft", http.StatusNotFound, "application/json",
			[]string{"该会话没有申请表"}},
		{"print page without a draft", "/conversations/" + bare + "/draft/print", http.StatusNotFound, "text/html",
			[]string{"该会话没有申请表", "返回帮办助手"}},
		{"export of an unknown conversation", "/api/conversations/0123456789abcdef01234567/draft", http.StatusNotFound,
			"application/json", []string{`"not_found"`}},
		{"print page of an unknown conversation", "/conversations/0123456789abcdef01234567/draft/print",
			http.StatusNotFound, "text/html", []string{"无法打开申请表"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, hdr, body := fetch(t, http.DefaultClient, h.url(tt.path))
			if st != tt.status || !strings.HasPrefix(hdr.Get("Content-Type"), tt.ctype) {
				t.Fatalf("status %d type %q, want %d %s; body %s", st, hdr.Get("Content-Type"), tt.status, tt.ctype, body)
			}
			if got := hdr.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			for _, full := range []string{draftID, draftPhone} {
				if strings.Contains(body, full) {
					t.Errorf("citizen body shows %s in full:\n%s", full, body)
				}
			}
			if tt.ctype == "text/html" {
				checkPrintHeaders(t, hdr, body)
			}
		})
	}
}

// checkPrintHeaders wants a printable page never framed, with a CSP that
// allows exactly its own inline style sheet.
func checkPrintHeaders(t *testing.T, hdr http.Header, body string) {
	t.Helper()
	csp := hdr.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") ||
		hdr.Get("X-Frame-Options") != "DENY" {
		t.Errorf("CSP %q X-Frame-Options %q, want the staff console's", csp, hdr.Get("X-Frame-Options"))
	}
	for _, m := range regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(body, -1) {
		sum := sha256.Sum256([]byte(m[1]))
		if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, hash) {
			t.Errorf("CSP %q does not allow the page's style sheet (%s)", csp, hash)
		}
	}
}

func TestStaffDraft(t *testing.T) {
	h := newHarness(t)
	id := h.confirmedDraft()
	bare := h.chat("", "你好").ConversationID
	alice := h.login("alice")
	anon := h.newBrowser()
	tests := []struct {
		name, path string
		client     *http.Client
		status     int
		want       []string
	}{
		{"export", "/api/staff/conversations/" + id + "/draft.json", alice.c, http.StatusOK,
			[]string{draftID, draftPhone, draftName, `"name": "operator_id"`, `"state": "confirmed"`}},
		{"print page", "/staff/conversations/" + id + "/draft/print", alice.c, http.StatusOK,
			[]string{draftID, draftPhone, draftName, "个体工商户设立登记申请表"}},
		{"export without a draft", "/api/staff/conversations/" + bare + "/draft.json", alice.c, http.StatusNotFound,
			[]string{"该会话没有申请表"}},
		{"print page without a draft", "/staff/conversations/" + bare + "/draft/print", alice.c, http.StatusNotFound,
			[]string{"该会话没有申请表"}},
		{"export signed out", "/api/staff/conversations/" + id + "/draft.json", anon, http.StatusUnauthorized,
			[]string{`"unauthorized"`}},
		{"print page signed out", "/staff/conversations/" + id + "/draft/print", anon, http.StatusUnauthorized,
			[]string{"请先登录", `href="/staff"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, hdr, body := fetch(t, tt.client, h.url(tt.path))
			if st != tt.status {
				t.Fatalf("status %d, want %d; body %s", st, tt.status, body)
			}
			if got := hdr.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			if tt.status != http.StatusOK && strings.Contains(body, draftID) {
				t.Errorf("refused answer shows the ID number:\n%s", body)
			}
			if strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
				checkPrintHeaders(t, hdr, body)
			}
		})
	}
}

func TestStaffConversationDraft(t *testing.T) {
	h := newHarness(t)
	id := h.confirmedDraft()
	bare := h.chat("", "你好").ConversationID
	alice := h.login("alice")
	var v struct{ Draft *draftExport }
	if st := alice.get("/api/staff/conversations/"+id, &v); st != http.StatusOK || v.Draft == nil {
		t.Fatalf("status %d draft %+v, want 200 and the draft", st, v.Draft)
	}
	got := map[string]string{"doc": v.Draft.Doc, "state": v.Draft.State, "print": v.Draft.PrintURL,
		"operator_id": v.Draft.value("operator_id"), "phone": v.Draft.value("phone"),
		"employees": v.Draft.value("employees")}
	want := map[string]string{"doc": "qy-getihu-register", "state": "confirmed",
		"print": "/staff/conversations/" + id + "/draft/print", "operator_id": draftID, "phone": draftPhone,
		"employees": "3"}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("staff draft %s = %q, want %q", k, got[k], want[k])
		}
	}
	var none map[string]json.RawMessage
	if st := alice.get("/api/staff/conversations/"+bare, &none); st != http.StatusOK || string(none["draft"]) != "null" {
		t.Errorf("conversation without a draft: status %d draft %s, want 200 null", st, none["draft"])
	}
}

// TestDraftSealedUnderAnotherKey restarts the desk with a new random key:
// the stored draft no longer opens, and nobody is shown empty values.
func TestDraftSealedUnderAnotherKey(t *testing.T) {
	h := newHarness(t)
	id := h.confirmedDraft()
	h.restart()
	alice := h.login("alice")
	var v map[string]json.RawMessage
	if st := alice.get("/api/staff/conversations/"+id, &v); st != http.StatusOK || string(v["draft"]) != "null" {
		t.Errorf("staff conversation: status %d draft %s, want 200 null", st, v["draft"])
	}
	for _, path := range []string{"/api/conversations/" + id + "/draft", "/conversations/" + id + "/draft/print"} {
		st, _, body := fetch(t, http.DefaultClient, h.url(path))
		if st != http.StatusNotFound || !strings.Contains(body, "无法读取") {
			t.Errorf("%s: status %d body %s, want 404 saying it cannot be read", path, st, body)
		}
	}
}

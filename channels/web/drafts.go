package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/forms"
	"github.com/banban-gov/banban/channels/chatview"
)

// Application-form drafts (一表申请) the desk filled from a conversation.
// Citizens get the masked draft: their link holds only the conversation id
// and may be shared or leak. Staff get the values in full.

// What readers see when a draft cannot be shown.
const (
	msgNoDraft         = "该会话没有申请表。"
	msgDraftUnreadable = "该申请表已无法读取，请在对话中重新填写。"
	msgDraftPageTitle  = "无法打开申请表"
)

// staffDraftView is a draft as staff see it: every value, with the links
// of its export and printable page.
type staffDraftView struct {
	forms.Export
	PrintURL string `json:"print_url"`
	JSONURL  string `json:"json_url"`
}

func citizenPrintURL(id string) string {
	return "/conversations/" + url.PathEscape(id) + "/draft/print"
}

func staffDraftURL(id, suffix string) string {
	return "/staff/conversations/" + url.PathEscape(id) + suffix
}

// draftRefOf is the citizen's reference to c's draft, or nil.
func draftRefOf(c banban.Conversation) *chatview.DraftRef {
	return chatview.DraftOf(c, citizenPrintURL(c.ID))
}

// staffDraftOf is c's draft for staff, or nil when there is none or it did
// not open (sealed under another key).
func staffDraftOf(c banban.Conversation) *staffDraftView {
	if c.Draft == nil || c.Draft.Values == nil {
		return nil
	}
	return &staffDraftView{Export: forms.Exported(c.Draft), PrintURL: staffDraftURL(c.ID, "/draft/print"),
		JSONURL: "/api" + staffDraftURL(c.ID, "/draft.json")}
}

// openedDraft loads the request's conversation and returns its readable
// draft; no draft, or one that did not open, is ENOTFOUND.
func (s *Server) openedDraft(r *http.Request) (*banban.FormDraft, error) {
	id := r.PathValue("id")
	noteConversation(r, id)
	c, err := s.desk.Conversation(r.Context(), id)
	switch {
	case err != nil:
		return nil, err
	case c.Draft == nil:
		return nil, banban.Errorf(banban.ENOTFOUND, msgNoDraft)
	case c.Draft.Values == nil:
		return nil, banban.Errorf(banban.ENOTFOUND, msgDraftUnreadable)
	}
	return c.Draft, nil
}

// citizenDraft returns the masked export of the conversation's draft (GET
// /api/conversations/{id}/draft).
func (s *Server) citizenDraft(w http.ResponseWriter, r *http.Request) {
	d, err := s.openedDraft(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, forms.Exported(forms.Masked(d)))
}

// citizenDraftPage renders the masked draft as a printable page (GET
// /conversations/{id}/draft/print).
func (s *Server) citizenDraftPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.openedDraft(r)
	if err != nil {
		s.draftPageFail(w, r, err)
		return
	}
	s.writeDraftPage(w, r, forms.Masked(d))
}

// staffDraftJSON returns the draft's export with every value (GET
// /api/staff/conversations/{id}/draft.json).
func (s *Server) staffDraftJSON(w http.ResponseWriter, r *http.Request) {
	d, err := s.openedDraft(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := forms.JSON(d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// staffDraftPage renders the draft in full as a printable page (GET
// /staff/conversations/{id}/draft/print).
func (s *Server) staffDraftPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.openedDraft(r)
	if err != nil {
		s.draftPageFail(w, r, err)
		return
	}
	s.writeDraftPage(w, r, d)
}

func (s *Server) writeDraftPage(w http.ResponseWriter, r *http.Request, d *banban.FormDraft) {
	var buf bytes.Buffer
	if err := forms.HTML(&buf, d); err != nil {
		s.draftPageFail(w, r, err)
		return
	}
	writePrintable(w, http.StatusOK, buf.Bytes())
}

type noticePage struct {
	Title, Text, Link, LinkText string
}

// draftPageFail answers a printable page's failure with a page in Chinese
// (the reader opened a link, not an API).
func (s *Server) draftPageFail(w http.ResponseWriter, r *http.Request, err error) {
	noteError(r, err)
	p := noticePage{Title: msgDraftPageTitle, Text: banban.ErrorMessage(err), Link: "/", LinkText: "返回帮办助手"}
	if code := banban.ErrorCode(err); code == codeUnauthorized || code == codeForbidden {
		p.Link, p.LinkText = "/staff", "前往帮办工作台登录"
	}
	var buf bytes.Buffer
	if err := docTemplates.ExecuteTemplate(&buf, "notice", p); err != nil {
		s.fail(w, r, err)
		return
	}
	writePrintable(w, statusFor(err), buf.Bytes())
}

// styleRe finds the inline style sheets of a rendered page. The templates
// escape every value, so only the templates' own <style> elements match.
var styleRe = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// printCSP is the staff console's policy, allowing the page's own inline
// style sheets by hash: a printable page carries its styles so that it
// also prints when saved and opened alone.
func printCSP(page []byte) string {
	styles := "'self'"
	for _, m := range styleRe.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		styles += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return "default-src 'self'; img-src 'self' data:; style-src " + styles +
		"; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
}

// writePrintable writes a page holding personal data: never cached, never
// framed.
func writePrintable(w http.ResponseWriter, status int, page []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", printCSP(page))
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = w.Write(page)
}

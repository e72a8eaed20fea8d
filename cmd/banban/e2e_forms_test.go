package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The citizen's application for 个体工商户设立登记, as in evals/forms.jsonl
// (f09), starting from e2eQuestion so the handoff routes as in TestE2EHandoff.
const (
	formID       = "350203199507182271"
	formIDMasked = "350***********2271"
	formPhone    = "13055556666"
)

var formTurns = []string{e2eQuestion, "我要办", "我叫王强，身份证" + formID + "，电话" + formPhone,
	"家庭经营", "示例市东城区中山路88号一层", "小吃、饮品", "3人", "确认"}

// TestE2EFormDraft fills an application form in the web chat, confirms it
// and opens the printable draft (masked), then asks for a human: the staff
// member who claims the conversation sees the draft in full and prints it.
// On each store, since the draft's sealed values make the round trip
// through it; the screenshots are the bolt run's.
func TestE2EFormDraft(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			shots := formDraftFlow(t, store)
			if store == "bolt" {
				t.Logf("screenshots:\n  %s", strings.Join(shots, "\n  "))
			}
		})
	}
}

func formDraftFlow(t *testing.T, store string) []string {
	srv := launchDesk(t, store)
	staff := newBrowser(t, "staff")
	signIn(t, staff, srv)
	citizen := newBrowser(t, "citizen")
	openChat(citizen, srv.URL)
	fillForm(citizen)
	id := evalJS[string](citizen, `localStorage.getItem("banban.conversation")`)
	shot := func(b *browser, name string) string {
		if store != "bolt" {
			return ""
		}
		return b.screenshot(name)
	}
	shots := []string{shot(citizen, "e2e-form-citizen.png")}
	checkCitizenPrint(t, citizen, id)
	shots = append(shots, shot(citizen, "e2e-form-print.png"))
	openChat(citizen, srv.URL)
	citizen.do("the print link after a reload", chromedp.WaitVisible(testid("draft-print")))
	requestHuman(t, citizen, srv, id)
	claimAndReply(staff, id)
	checkStaffDraft(t, staff, id)
	shots = append(shots, shot(staff, "e2e-form-staff.png"))
	openStaffPrint(t, staff, id)
	return shots
}

// fillForm sends the turns one by one, each after the bot answered the
// one before, and waits for the print link the confirmation brings.
func fillForm(citizen *browser) {
	citizen.t.Helper()
	for i, text := range formTurns {
		citizen.do("say "+text, chromedp.WaitEnabled(testid("send")), chromedp.SendKeys(testid("input"), text),
			chromedp.Click(testid("send")))
		citizen.waitJS("the bot's reply to "+text,
			`document.querySelectorAll('[data-testid="messages"] .msg[data-role="bot"]:not([data-seq=""])').length >= `+
				strconv.Itoa(i+1)+` && !document.querySelector('[data-testid="send"]').disabled`)
	}
	citizen.waitText("the confirmation", `[data-testid="messages"] .msg[data-role="bot"]`, "申请表已生成")
	citizen.do("the print link", chromedp.WaitVisible(testid("draft-print")))
	citizen.waitText("the draft banner", `[data-testid="draft-text"]`, "个体工商户设立登记")
}

// checkCitizenPrint follows the chat's print link: the page shows the ID
// number masked, never in full, styled (its CSP lets its own style in).
func checkCitizenPrint(t *testing.T, citizen *browser, id string) {
	t.Helper()
	link := evalJS[struct {
		Href   string `json:"href"`
		Target string `json:"target"`
	}](citizen, `(({href, target}) => ({href, target}))(document.querySelector('[data-testid="draft-print"]'))`)
	if !strings.HasSuffix(link.Href, "/conversations/"+id+"/draft/print") || link.Target != "_blank" {
		t.Errorf("print link %+v, want /conversations/%s/draft/print in a new tab", link, id)
	}
	citizen.do("open the printable draft", chromedp.Navigate(link.Href), chromedp.WaitVisible(chromedp.CSS("main table")))
	body := evalJS[string](citizen, `document.body.innerText`)
	for _, want := range []string{"个体工商户设立登记申请表", formIDMasked, "130****6666", "王强", "申请人已确认"} {
		if !strings.Contains(body, want) {
			t.Errorf("citizen's printable draft lacks %q:\n%s", want, body)
		}
	}
	for _, full := range []string{formID, formPhone} {
		if strings.Contains(body, full) {
			t.Errorf("citizen's printable draft shows %s in full", full)
		}
	}
	if w := evalJS[string](citizen, `getComputedStyle(document.querySelector("main")).maxWidth`); w != "760px" {
		t.Errorf("printable draft main max-width = %q, want 760px (its style sheet blocked?)", w)
	}
}

// checkStaffDraft wants the 申请表 panel with every value in full beside a
// transcript that shows the ID number only masked.
func checkStaffDraft(t *testing.T, staff *browser, id string) {
	t.Helper()
	staff.do("the draft panel", chromedp.WaitVisible(testid("draft")), chromedp.WaitVisible(testid("draft-print-staff")))
	staff.waitText("the full ID number", `[data-testid="draft-fields"] .draft-row`, formID)
	staff.waitText("the draft state", `[data-testid="draft-state"]`, "群众已确认")
	fields := evalJS[string](staff, `document.querySelector('[data-testid="draft-fields"]').innerText`)
	for _, want := range []string{"经营者身份证号", formPhone, "家庭经营", "示例市东城区中山路88号一层", "小吃、饮品"} {
		if !strings.Contains(fields, want) {
			t.Errorf("staff draft panel lacks %q:\n%s", want, fields)
		}
	}
	if tr := evalJS[string](staff, `document.querySelector('[data-testid="transcript"]').innerText`); strings.Contains(tr, formID) {
		t.Errorf("staff transcript shows the ID number in full:\n%s", tr)
	}
}

// openStaffPrint follows the panel's 打印 link: the staff's page has the
// full values.
func openStaffPrint(t *testing.T, staff *browser, id string) {
	t.Helper()
	href := evalJS[string](staff, `document.querySelector('[data-testid="draft-print-staff"]').href`)
	if !strings.HasSuffix(href, "/staff/conversations/"+id+"/draft/print") {
		t.Errorf("staff print link %q, want /staff/conversations/%s/draft/print", href, id)
	}
	staff.do("open the staff's printable draft", chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS("main table")))
	if body := evalJS[string](staff, `document.body.innerText`); !strings.Contains(body, formID) || !strings.Contains(body, formPhone) {
		t.Errorf("staff's printable draft lacks the full values:\n%s", body)
	}
}

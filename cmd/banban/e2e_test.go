package main

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/banban-gov/banban/bot/desk"
)

const (
	e2eQuestion = "开个体户要准备哪些材料？"
	e2eDoc      = "qy-getihu-register"
	e2eTitle    = "个体工商户设立登记"
	e2eReply    = "您好，我是帮办工作人员"
	e2eComment  = "回答很清楚，谢谢！"
)

// TestE2EHandoff drives the citizen chat and the staff console in two
// headless Chromiums, on each store: a cited answer, 转人工, a live queue,
// claim and reply, a reload, the hand-back and the rating.
func TestE2EHandoff(t *testing.T) {
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			srv := launchDesk(t, store)
			// Staff sign in first: their open console (its event stream)
			// is what makes them online, and with nobody online 转人工
			// only offers to leave a message.
			staff := newBrowser(t, "staff")
			signIn(t, staff, srv)
			citizen := newBrowser(t, "citizen")
			openChat(citizen, srv.URL)
			askForCitedAnswer(t, citizen, srv)
			id := evalJS[string](citizen, `localStorage.getItem("banban.conversation")`)
			requestHuman(t, citizen, srv, id)
			claimAndReply(staff, id)
			citizen.waitText("the staff reply, live", `[data-testid="messages"] .msg[data-role="staff"]`, e2eReply)
			checkReloadKeepsTranscript(t, citizen)
			handBackAndRate(staff, citizen)
			t.Logf("screenshots:\n  %s\n  %s", citizen.screenshot("e2e-"+store+"-citizen.png"),
				staff.screenshot("e2e-"+store+"-staff.png"))
			checkStoredOutcome(t, srv, id)
		})
	}
}

// TestBrowserShowsCitizenHTMLAsText sends markup as a question: the page
// shows it as text and never builds the element.
func TestBrowserShowsCitizenHTMLAsText(t *testing.T) {
	const payload = `<img src=x onerror=alert(1)>`
	srv := launch(t, testConfig(t, "bolt"))
	citizen := newBrowser(t, "citizen")
	openChat(citizen, srv.URL)
	var dialogs atomic.Int32
	err := chromedp.Listen(citizen.ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	citizen.do("ask", chromedp.SendKeys(testid("input"), payload), chromedp.Click(testid("send")))
	citizen.waitJS("the numbered citizen message and the bot's reply",
		`document.querySelector('[data-testid="messages"] .msg[data-role="citizen"]:not([data-seq=""])') &&
		 document.querySelector('[data-testid="messages"] .msg[data-role="bot"]:not([data-seq=""])')`)
	if got := evalJS[string](citizen, `document.querySelector('[data-testid="messages"] .msg[data-role="citizen"] .msg-text').textContent`); got != payload {
		t.Errorf("citizen message text = %q, want %q", got, payload)
	}
	if n := evalJS[int](citizen, `document.querySelectorAll('[data-testid="messages"] img').length`); n != 0 {
		t.Errorf("message list holds %d img elements, want 0", n)
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened, want none", n)
	}
}

// launchDesk serves Banban on store with the desk open around the clock
// (tests run at any hour) and one staff member, zhang.
func launchDesk(t *testing.T, store string) *server {
	t.Helper()
	desk.Iterations = 1000 // fast sign-in; production uses 600,000
	cfg := testConfig(t, store)
	openAllHours(&cfg)
	srv := launch(t, cfg)
	if _, err := srv.App.Desk.AddStaff(context.Background(), "zhang", "张三", "password123", nil); err != nil {
		t.Fatal(err)
	}
	return srv
}

// signIn signs zhang in on the staff console and waits until the console's
// event stream is connected, which marks them online.
func signIn(t *testing.T, staff *browser, srv *server) {
	t.Helper()
	staff.do("sign in", chromedp.Navigate(srv.URL+"/staff"),
		chromedp.WaitVisible(testid("login-username")),
		chromedp.SendKeys(testid("login-username"), "zhang"),
		chromedp.SendKeys(testid("login-password"), "password123"),
		chromedp.Click(testid("login-submit")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="live"][data-live="on"]`)))
	if online := srv.App.Desk.Online(); !slices.Contains(online, "zhang") {
		t.Fatalf("staff online = %v after signing in, want zhang", online)
	}
}

// openChat opens the citizen chat and waits for its script to take over.
func openChat(citizen *browser, base string) {
	citizen.t.Helper()
	citizen.do("open the chat", chromedp.Navigate(base+"/"), chromedp.WaitVisible(testid("welcome")))
}

// askForCitedAnswer asks the question and checks the answer cites the
// document, linking its own url or its page under /docs/.
func askForCitedAnswer(t *testing.T, citizen *browser, srv *server) {
	t.Helper()
	citizen.do("ask", chromedp.SendKeys(testid("input"), e2eQuestion), chromedp.Click(testid("send")))
	citizen.waitText("the bot's cited answer", `[data-testid="messages"] .msg[data-role="bot"] [data-testid="citation"]`,
		"依据：《"+e2eTitle+"》")
	doc, err := srv.App.Store.Document(context.Background(), e2eDoc)
	if err != nil {
		t.Fatal(err)
	}
	type link struct {
		Href string `json:"href"`
		Text string `json:"text"`
	}
	links := evalJS[[]link](citizen, `[...document.querySelectorAll('[data-testid="messages"] .msg[data-role="bot"] [data-testid="citation"]')]
		.map((a) => ({href: a.href, text: a.textContent}))`)
	for _, l := range links {
		if strings.Contains(l.Text, "《"+e2eTitle+"》") && (l.Href == doc.URL || strings.Contains(l.Href, "/docs/"+e2eDoc)) {
			return
		}
	}
	t.Errorf("citations %+v: none links 《%s》 to %s or /docs/%s", links, e2eTitle, doc.URL, e2eDoc)
}

// requestHuman clicks 转人工 and checks the queue banner: first in line,
// with the ticket number the desk gave.
func requestHuman(t *testing.T, citizen *browser, srv *server, id string) {
	t.Helper()
	citizen.do("ask for a human", chromedp.Click(testid("handoff")), chromedp.WaitVisible(testid("queue-banner")))
	citizen.waitText("the queue position", `[data-testid="queue-text"]`, "前面还有 0 位")
	conv, err := srv.App.Store.Conversation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if conv.Handoff == nil || conv.Handoff.Ticket == "" {
		t.Fatalf("conversation %s has no handoff ticket after 转人工: %+v", id, conv.Handoff)
	}
	banner := evalJS[string](citizen, `document.querySelector('[data-testid="queue-text"]').textContent`)
	if !strings.Contains(banner, conv.Handoff.Ticket) {
		t.Errorf("queue banner %q lacks the ticket %s", banner, conv.Handoff.Ticket)
	}
}

// claimAndReply finds the conversation in the live queue (no reload),
// claims it, checks the transcript and the bot's sources, and replies.
func claimAndReply(staff *browser, id string) {
	staff.t.Helper()
	item := chromedp.CSS(`[data-testid="queue-waiting"] [data-testid="queue-item"][data-conversation=` + cssString(id) + `]`)
	staff.do("claim the queued conversation", chromedp.WaitVisible(item), chromedp.Click(item),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="conversation"][data-conversation=`+cssString(id)+`]`)),
		chromedp.WaitEnabled(testid("claim")), chromedp.Click(testid("claim")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="conv-state"][data-state="with_staff"]`)))
	staff.waitText("the citizen's question", `[data-testid="transcript"] .tmsg[data-role="citizen"]`, e2eQuestion)
	staff.waitText("the bot's sources", `[data-testid="transcript"] .tmsg[data-role="bot"] [data-testid="sources"] a`, e2eTitle)
	staff.do("reply", chromedp.WaitEnabled(testid("send")), chromedp.SendKeys(testid("reply-input"), e2eReply),
		chromedp.Click(testid("send")))
	staff.waitText("the reply in the transcript", `[data-testid="transcript"] .tmsg[data-role="staff"]`, e2eReply)
}

// checkReloadKeepsTranscript reloads the chat: the whole transcript and the
// 人工服务中 banner come back, each message once.
func checkReloadKeepsTranscript(t *testing.T, citizen *browser) {
	t.Helper()
	citizen.do("reload", chromedp.Reload(), chromedp.WaitVisible(testid("welcome")))
	msgs := `[data-testid="messages"] .msg`
	citizen.waitText("the restored question", msgs+`[data-role="citizen"]`, e2eQuestion)
	citizen.waitText("the restored citation", msgs+`[data-role="bot"] [data-testid="citation"]`, e2eTitle)
	citizen.waitText("the restored staff reply", msgs+`[data-role="staff"]`, e2eReply)
	citizen.waitText("the 人工服务中 banner", `[data-testid="status-banner"]`, "人工服务中")
	if n := evalJS[int](citizen, `document.querySelectorAll('`+msgs+`[data-role="staff"]').length`); n != 1 {
		t.Errorf("after the reload the chat shows %d staff messages, want 1", n)
	}
}

// handBackAndRate hands the conversation back to the bot; the citizen sees
// the notice and the rating form, and gives 5 stars with a comment.
func handBackAndRate(staff, citizen *browser) {
	staff.t.Helper()
	staff.do("hand back to the bot", chromedp.WaitEnabled(testid("handback")), chromedp.Click(testid("handback")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="conv-state"][data-state="bot"]`)))
	citizen.waitText("the hand-back notice", `[data-testid="messages"] .msg[data-role="system"]`, "结束本次服务")
	citizen.do("rate", chromedp.WaitVisible(testid("rating-form")),
		chromedp.Click(chromedp.CSS(`[data-testid="rating-star"][data-score="5"]`)),
		chromedp.SendKeys(testid("rating-comment"), e2eComment),
		chromedp.WaitEnabled(testid("rating-submit")), chromedp.Click(testid("rating-submit")),
		chromedp.WaitVisible(testid("rating-thanks")))
}

// checkStoredOutcome reads the conversation back from the store: the rating
// and the claim and hand-back events are there.
func checkStoredOutcome(t *testing.T, srv *server, id string) {
	t.Helper()
	conv, err := srv.App.Store.Conversation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if conv.Rating == nil || conv.Rating.Score != 5 || conv.Rating.Comment != e2eComment {
		t.Errorf("stored rating = %+v, want 5 stars with %q", conv.Rating, e2eComment)
	}
	var reasons []string
	for _, e := range conv.Events {
		reasons = append(reasons, e.Reason)
	}
	for _, want := range []string{"claim", "handback"} {
		if !slices.Contains(reasons, want) {
			t.Errorf("stored events %v lack %q", reasons, want)
		}
	}
}

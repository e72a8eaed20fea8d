// Package chatview is the JSON every citizen client reads: the web chat and
// its widget (channels/web) and the mini-program (channels/wechat) get the
// same messages, sources and conversation state (README, "HTTP API"), so one
// front-end model serves them all.
package chatview

import (
	"net/url"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

// Message is a message as clients render it.
type Message struct {
	Seq     int           `json:"seq"`
	Role    banban.Role   `json:"role"`
	Text    string        `json:"text"`
	At      time.Time     `json:"at"`
	Author  string        `json:"author,omitempty"`
	Action  banban.Action `json:"action,omitempty"`
	Sources []Source      `json:"sources,omitempty"`
	Options []string      `json:"options,omitempty"`
	// Private marks a staff note; only staff views hold them.
	Private bool `json:"private,omitempty"`
}

// Source is a citation with a link the citizen can open: always the
// document's page on Banban, which links the official original when there
// is one, so a link works even when the original site is unreachable.
type Source struct {
	Doc     string `json:"doc"`
	Title   string `json:"title"`
	Section string `json:"section"`
	URL     string `json:"url"`
	// Official is the document's own address on the government site.
	Official string  `json:"official,omitempty"`
	Updated  string  `json:"updated,omitempty"`
	Score    float64 `json:"score"`
}

// State is where a conversation stands for the citizen.
type State struct {
	State      banban.ConvState `json:"state"`
	StateLabel string           `json:"state_label"`
	Position   int              `json:"position"`
	Ticket     string           `json:"ticket"`
}

// Availability says whether a human can answer now.
type Availability struct {
	Open        bool       `json:"open"`
	StaffOnline int        `json:"staff_online"`
	NextOpen    *time.Time `json:"next_open"`
	Hours       string     `json:"hours"`
	Available   bool       `json:"available"`
}

// Rating is the citizen's 好差评.
type Rating struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

// DraftRef tells the client that the conversation has an application
// form, without its values.
type DraftRef struct {
	State    string `json:"state"`
	Title    string `json:"title"`
	PrintURL string `json:"print_url,omitempty"`
}

// Chat is the reply to one citizen message.
type Chat struct {
	ConversationID string        `json:"conversation_id"`
	Action         banban.Action `json:"action"`
	Answer         string        `json:"answer"`
	Sources        []Source      `json:"sources"`
	Options        []string      `json:"options"`
	State
	OfferMessage bool      `json:"offer_message"`
	Notices      []Message `json:"notices"`
	// Seq is the conversation's last message number: the client asks for
	// what comes after it.
	Seq   int       `json:"seq"`
	Draft *DraftRef `json:"draft"`
}

// Conversation is what the citizen sees of a whole conversation.
type Conversation struct {
	ConversationID string `json:"conversation_id"`
	State
	Rating       *Rating      `json:"rating"`
	Availability Availability `json:"availability"`
	Messages     []Message    `json:"messages"`
	Draft        *DraftRef    `json:"draft"`
}

// Handoff is the reply to 转人工.
type Handoff struct {
	State
	OfferMessage bool      `json:"offer_message"`
	Notices      []Message `json:"notices"`
}

// Names gives a staff member's display name by username.
type Names func(username string) string

// Sources renders citations.
func Sources(cits []banban.Citation) []Source {
	out := make([]Source, 0, len(cits))
	for _, c := range cits {
		v := Source{Doc: c.DocID, Title: c.Title, Section: c.Section, URL: DocURL(c.DocID, c.Section),
			Official: c.URL, Score: c.Score}
		if !c.Updated.IsZero() {
			v.Updated = c.Updated.Format(time.DateOnly)
		}
		out = append(out, v)
	}
	return out
}

// DocURL links Banban's page of a document, at a section.
func DocURL(doc, section string) string {
	return (&url.URL{Path: "/docs/" + doc, Fragment: section}).String()
}

// Of renders one message; the caller decides who may see private ones. A
// nil names shows staff by username.
func Of(m banban.Message, names Names) Message {
	v := Message{Seq: m.Seq, Role: m.Role, Text: m.Text, At: m.At, Private: m.Private}
	if m.Role == banban.RoleStaff {
		v.Author = m.Author
		if names != nil {
			if n := names(m.Author); n != "" {
				v.Author = n
			}
		}
	}
	if a := m.Answer; a != nil {
		v.Action, v.Options, v.Sources = a.Action, a.Options, Sources(a.Citations)
	}
	return v
}

// Public renders what the citizen sees after seq `after`: no private notes.
func Public(msgs []banban.Message, after int, names Names) []Message {
	out := []Message{}
	for _, m := range msgs {
		if m.Seq > after && !m.Private {
			out = append(out, Of(m, names))
		}
	}
	return out
}

// StateOf is c's state with its queue position.
func StateOf(c banban.Conversation, position int) State {
	st := c.CurrentState()
	v := State{State: st, StateLabel: st.Label(), Position: position}
	if c.Handoff != nil {
		v.Ticket = c.Handoff.Ticket
	}
	return v
}

// AvailabilityOf renders the desk's availability.
func AvailabilityOf(a desk.Availability) Availability {
	v := Availability{Open: a.Open, StaffOnline: a.StaffOnline, Hours: a.Hours, Available: a.Available()}
	if !a.NextOpen.IsZero() {
		v.NextOpen = &a.NextOpen
	}
	return v
}

// RatingOf is c's rating, or nil.
func RatingOf(c banban.Conversation) *Rating {
	if c.Rating == nil {
		return nil
	}
	return &Rating{Score: c.Rating.Score, Comment: c.Rating.Comment}
}

// DraftOf refers to c's draft (printable at printURL, if any), or nil.
func DraftOf(c banban.Conversation, printURL string) *DraftRef {
	if c.Draft == nil {
		return nil
	}
	return &DraftRef{State: c.Draft.State, Title: c.Draft.Title, PrintURL: printURL}
}

// ChatOf renders the outcome of one citizen message, in state st.
func ChatOf(out desk.Outcome, st State, names Names, draft *DraftRef) Chat {
	c := out.Conversation
	resp := Chat{ConversationID: c.ID, Sources: []Source{}, Options: []string{}, State: st,
		OfferMessage: out.OfferMessage, Notices: Public(out.Notices, 0, names), Seq: LastSeq(c), Draft: draft}
	if a := out.Answer; a != nil {
		resp.Action, resp.Answer, resp.Sources = a.Action, a.Text, Sources(a.Citations)
		if a.Options != nil {
			resp.Options = a.Options
		}
	}
	return resp
}

// LastSeq is the number of the conversation's last message.
func LastSeq(c banban.Conversation) int {
	if n := len(c.Messages); n > 0 {
		return c.Messages[n-1].Seq
	}
	return 0
}

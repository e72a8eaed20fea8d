package wechat

import (
	"context"
	"net/url"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

// The mini-program reads the same JSON as the web chat (README, "HTTP
// API"), so one front-end model serves both; these views mirror
// channels/web's.

type messageView struct {
	Seq     int           `json:"seq"`
	Role    banban.Role   `json:"role"`
	Text    string        `json:"text"`
	At      time.Time     `json:"at"`
	Author  string        `json:"author,omitempty"`
	Action  banban.Action `json:"action,omitempty"`
	Sources []sourceView  `json:"sources,omitempty"`
	Options []string      `json:"options,omitempty"`
}

type sourceView struct {
	Doc      string  `json:"doc"`
	Title    string  `json:"title"`
	Section  string  `json:"section"`
	URL      string  `json:"url"`
	Official string  `json:"official,omitempty"`
	Updated  string  `json:"updated,omitempty"`
	Score    float64 `json:"score"`
}

type stateView struct {
	State      banban.ConvState `json:"state"`
	StateLabel string           `json:"state_label"`
	Position   int              `json:"position"`
	Ticket     string           `json:"ticket"`
}

type chatResponse struct {
	ConversationID string        `json:"conversation_id"`
	Action         banban.Action `json:"action"`
	Answer         string        `json:"answer"`
	Sources        []sourceView  `json:"sources"`
	Options        []string      `json:"options"`
	stateView
	OfferMessage bool          `json:"offer_message"`
	Notices      []messageView `json:"notices"`
	Seq          int           `json:"seq"`
}

type availabilityView struct {
	Open        bool       `json:"open"`
	StaffOnline int        `json:"staff_online"`
	NextOpen    *time.Time `json:"next_open"`
	Hours       string     `json:"hours"`
	Available   bool       `json:"available"`
}

type ratingView struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

type conversationView struct {
	ConversationID string `json:"conversation_id"`
	stateView
	Rating       *ratingView      `json:"rating"`
	Availability availabilityView `json:"availability"`
	Messages     []messageView    `json:"messages"`
}

type handoffResponse struct {
	stateView
	OfferMessage bool          `json:"offer_message"`
	Notices      []messageView `json:"notices"`
}

func sourceViews(cits []banban.Citation) []sourceView {
	out := make([]sourceView, 0, len(cits))
	for _, c := range cits {
		v := sourceView{Doc: c.DocID, Title: c.Title, Section: c.Section, Official: c.URL, Score: c.Score,
			URL: (&url.URL{Path: "/docs/" + c.DocID, Fragment: c.Section}).String()}
		if !c.Updated.IsZero() {
			v.Updated = c.Updated.Format(time.DateOnly)
		}
		out = append(out, v)
	}
	return out
}

// publicMessages renders what the citizen sees after seq `after`: no
// private notes, staff under their display names.
func (c *Channel) publicMessages(ctx context.Context, msgs []banban.Message, after int) []messageView {
	names := c.staffNames(ctx, msgs)
	out := []messageView{}
	for _, m := range msgs {
		if m.Seq <= after || m.Private {
			continue
		}
		v := messageView{Seq: m.Seq, Role: m.Role, Text: m.Text, At: m.At}
		if m.Role == banban.RoleStaff {
			if v.Author = names[m.Author]; v.Author == "" {
				v.Author = m.Author
			}
		}
		if a := m.Answer; a != nil {
			v.Action, v.Options, v.Sources = a.Action, a.Options, sourceViews(a.Citations)
		}
		out = append(out, v)
	}
	return out
}

func (c *Channel) stateOf(ctx context.Context, conv banban.Conversation, pos int) (stateView, error) {
	if pos == 0 {
		var err error
		if pos, err = c.desk.Position(ctx, conv); err != nil {
			return stateView{}, err
		}
	}
	st := conv.CurrentState()
	v := stateView{State: st, StateLabel: st.Label(), Position: pos}
	if conv.Handoff != nil {
		v.Ticket = conv.Handoff.Ticket
	}
	return v, nil
}

func (c *Channel) chatResponse(ctx context.Context, out desk.Outcome) (chatResponse, error) {
	conv := out.Conversation
	resp := chatResponse{ConversationID: conv.ID, Sources: []sourceView{}, Options: []string{},
		OfferMessage: out.OfferMessage, Seq: lastSeq(conv)}
	var err error
	if resp.stateView, err = c.stateOf(ctx, conv, out.Position); err != nil {
		return resp, err
	}
	if a := out.Answer; a != nil {
		resp.Action, resp.Answer, resp.Sources = a.Action, a.Text, sourceViews(a.Citations)
		if a.Options != nil {
			resp.Options = a.Options
		}
	}
	resp.Notices = c.publicMessages(ctx, out.Notices, 0)
	return resp, nil
}

func (c *Channel) availability() availabilityView {
	a := c.desk.Availability()
	v := availabilityView{Open: a.Open, StaffOnline: a.StaffOnline, Hours: a.Hours, Available: a.Available()}
	if !a.NextOpen.IsZero() {
		v.NextOpen = &a.NextOpen
	}
	return v
}

package banban

import (
	"slices"
	"time"
)

// ConvState is where a conversation is in the handoff state machine:
// bot -> waiting -> with_staff -> resolved, with ways back to the bot.
type ConvState string

// The conversation states.
const (
	// StateBot: the bot answers.
	StateBot ConvState = "bot"
	// StateWaiting: a human was asked for and nobody has claimed it; the bot
	// stays silent.
	StateWaiting ConvState = "waiting"
	// StateWithStaff: a staff member has it; the bot stays silent.
	StateWithStaff ConvState = "with_staff"
	// StateResolved: staff closed it; the next citizen message returns it to
	// the bot.
	StateResolved ConvState = "resolved"
)

// transitions lists the states each state may move to.
var transitions = map[ConvState][]ConvState{
	StateBot:       {StateWaiting, StateResolved},
	StateWaiting:   {StateWithStaff, StateBot, StateResolved, StateWaiting},
	StateWithStaff: {StateWaiting, StateBot, StateResolved, StateWithStaff},
	StateResolved:  {StateBot, StateWaiting},
}

// CanMove reports whether a conversation may move from one state to another.
// Waiting -> waiting and with_staff -> with_staff are transfers.
func CanMove(from, to ConvState) bool {
	return slices.Contains(transitions[from], to)
}

// Event is one state change of a conversation: who made it, when and why.
type Event struct {
	At   time.Time `json:"at"`
	From ConvState `json:"from"`
	To   ConvState `json:"to"`
	// Actor is "citizen", "bot", "system" or "staff:<username>".
	Actor string `json:"actor"`
	// Reason is a HandoffReason, or why staff acted (transfer, resolve,
	// handback, expired, cancelled).
	Reason string `json:"reason"`
	// Detail holds the team or colleague of a transfer, or a note.
	Detail string `json:"detail,omitempty"`
}

// Move changes the conversation's state and records the event. It returns
// ECONFLICT when the state machine does not allow the move.
func (c *Conversation) Move(to ConvState, actor, reason, detail string, at time.Time) error {
	from := c.CurrentState()
	if !CanMove(from, to) {
		return Errorf(ECONFLICT, "会话当前状态为%s，不能转为%s", from.Label(), to.Label())
	}
	c.State = to
	c.Events = append(c.Events, Event{At: at, From: from, To: to, Actor: actor, Reason: reason, Detail: detail})
	return nil
}

// Label is the state's name as staff read it.
func (s ConvState) Label() string {
	switch s {
	case StateBot, "":
		return "机器人服务中"
	case StateWaiting:
		return "排队等待人工"
	case StateWithStaff:
		return "人工服务中"
	case StateResolved:
		return "已办结"
	}
	return string(s)
}

// HandoffReason says why a conversation was handed to a human.
type HandoffReason string

// Handoff reasons.
const (
	ReasonRequested HandoffReason = "requested" // the citizen asked for a human
	ReasonFailed    HandoffReason = "failed"    // the bot could not help twice in a row
	ReasonComplaint HandoffReason = "complaint" // the citizen complained
	ReasonSensitive HandoffReason = "sensitive" // a sensitive topic (crisis)
	ReasonMessage   HandoffReason = "message"   // a message left outside hours
)

// Ticket statuses, as updated by an outside system (12345 协同) or staff.
const (
	TicketOpen     = "open"
	TicketAccepted = "accepted"
	TicketClosed   = "closed"
)

// Handoff is the record staff work from when a conversation goes to a human,
// and what the outward ticket (12345 协同) carries.
type Handoff struct {
	// Ticket is the number the citizen sees, unique across conversations.
	Ticket      string        `json:"ticket"`
	Reason      HandoffReason `json:"reason"`
	RequestedAt time.Time     `json:"requested_at"`
	// Team is the team it was first routed to.
	Team string `json:"team"`
	// Summary is a short summary for staff: what the citizen asked and what
	// the bot answered.
	Summary string `json:"summary"`
	// Sources are the documents the bot used in this conversation.
	Sources []Citation `json:"sources,omitempty"`
	// Message is the text a citizen left outside hours.
	Message string `json:"message,omitempty"`
	// Contact is how the citizen asked to be reached (masked in logs).
	Contact string `json:"contact,omitempty"`
	// DueAt is when staff should pick up a left message (the next working
	// day's opening time).
	DueAt time.Time `json:"due_at,omitzero"`
	// Status is the ticket status: TicketOpen, TicketAccepted, TicketClosed,
	// or what an outside system reports.
	Status     string    `json:"status"`
	StatusNote string    `json:"status_note,omitempty"`
	ClaimedAt  time.Time `json:"claimed_at,omitzero"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
}

// Rating is the citizen's 好差评 of a conversation.
type Rating struct {
	Score   int       `json:"score"` // 1 (very poor) to 5 (very good)
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

// Label is the reason as staff read it.
func (r HandoffReason) Label() string {
	switch r {
	case ReasonRequested:
		return "群众要求转人工"
	case ReasonFailed:
		return "机器人连续未能解答"
	case ReasonComplaint:
		return "投诉"
	case ReasonSensitive:
		return "敏感或紧急情况"
	case ReasonMessage:
		return "留言"
	}
	return string(r)
}

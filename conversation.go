package banban

import "time"

// Role says who wrote a message.
type Role string

// Message authors.
const (
	RoleCitizen Role = "citizen"
	RoleBot     Role = "bot"
	RoleStaff   Role = "staff"
	RoleSystem  Role = "system"
)

// Message is one turn of a conversation.
type Message struct {
	// Seq numbers a conversation's messages from 1, in order, so a client
	// can ask for what came after the last one it has.
	Seq    int       `json:"seq"`
	Role   Role      `json:"role"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
	Answer *Answer   `json:"answer,omitempty"`
	// Author is the staff member's username for staff messages and notes.
	Author string `json:"author,omitempty"`
	// Private marks a staff note: staff see it, the citizen never does.
	Private bool `json:"private,omitempty"`
	// Ref is the channel's own id of a citizen message (a WeCom kf msgid),
	// so that a message delivered twice is answered once.
	Ref string `json:"ref,omitempty"`
}

// Focus is what a conversation is currently about, so that follow-up
// questions (那要收费吗?) resolve against the right document and section.
type Focus struct {
	DocIDs  []string `json:"docs,omitempty"`
	Section string   `json:"section,omitempty"`
	// Options are the document ids offered in a pending clarification.
	Options []string `json:"options,omitempty"`
}

// Conversation is a dialogue between a citizen, Banban and 帮办 staff.
type Conversation struct {
	ID      string `json:"id"`
	Channel string `json:"channel"`
	// Citizen identifies the citizen within the channel (a WeChat openid, a
	// mini-program user); empty for anonymous web chats.
	Citizen  string    `json:"citizen,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Focus    Focus     `json:"focus"`
	Messages []Message `json:"messages"`

	// State is where the conversation is in the handoff state machine; the
	// zero value means StateBot.
	State ConvState `json:"state,omitempty"`
	// Team is the staff team the conversation is routed to while a human is
	// asked for or has it.
	Team string `json:"team,omitempty"`
	// Assignee is the username of the staff member who has it.
	Assignee string `json:"assignee,omitempty"`
	// Handoff is the latest handoff (or left message), kept after it ends.
	Handoff *Handoff `json:"handoff,omitempty"`
	// Rating is the citizen's satisfaction rating, once given.
	Rating *Rating `json:"rating,omitempty"`
	// Draft is the application form being filled, if any.
	Draft *FormDraft `json:"draft,omitempty"`
	// Failures counts the bot's consecutive declines, for the
	// two-failures-in-a-row handoff trigger.
	Failures int `json:"failures,omitempty"`
	// Events record every state change with who, when and why.
	Events []Event `json:"events,omitempty"`
	// Version is the stored version; ConversationStore.SaveConversation
	// refuses to overwrite a newer one.
	Version int64 `json:"version"`
}

// Append adds messages, numbering them after the last one.
func (c *Conversation) Append(msgs ...Message) {
	for _, m := range msgs {
		m.Seq = len(c.Messages) + 1
		c.Messages = append(c.Messages, m)
	}
}

// CurrentState is State with the zero value read as StateBot.
func (c *Conversation) CurrentState() ConvState {
	if c.State == "" {
		return StateBot
	}
	return c.State
}

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
	Role   Role      `json:"role"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
	Answer *Answer   `json:"answer,omitempty"`
}

// Focus is what a conversation is currently about, so that follow-up
// questions (那要收费吗?) resolve against the right document and section.
type Focus struct {
	DocIDs  []string `json:"docs,omitempty"`
	Section string   `json:"section,omitempty"`
	// Options are the document ids offered in a pending clarification.
	Options []string `json:"options,omitempty"`
}

// Conversation is a dialogue between a citizen and Banban (and later staff).
type Conversation struct {
	ID       string    `json:"id"`
	Channel  string    `json:"channel"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Focus    Focus     `json:"focus"`
	Messages []Message `json:"messages"`
}

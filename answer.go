package banban

import "time"

// Action is what the bot does with a question (FORMATS.md section 2).
type Action string

// The four actions.
const (
	ActionAnswer  Action = "answer"
	ActionClarify Action = "clarify"
	ActionHandoff Action = "handoff"
	ActionDecline Action = "decline"
)

// Citation names the document and section an answer was built from.
type Citation struct {
	DocID   string    `json:"doc"`
	Title   string    `json:"title"`
	Section string    `json:"section,omitempty"`
	Updated time.Time `json:"updated,omitzero"`
	URL     string    `json:"url,omitempty"`
	Score   float64   `json:"score"`
}

// Answer is the bot's reply to one question.
type Answer struct {
	Action Action `json:"action"`
	Text   string `json:"answer"`
	// Citations are ranked, best first.
	Citations []Citation `json:"sources"`
	// Options are quick replies offered with a clarify action.
	Options []string `json:"options,omitempty"`
	// Reason says why the bot declined or handed off, for staff and logs.
	Reason string `json:"reason,omitempty"`
}

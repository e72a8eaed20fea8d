package banban

import (
	"context"
	"time"
)

// ConversationQuery selects conversations. Zero fields do not filter.
type ConversationQuery struct {
	States   []ConvState
	Team     string
	Assignee string
	Channel  string
	Citizen  string
	// UpdatedBefore selects conversations idle since before it (expiry and
	// retention).
	UpdatedBefore time.Time
	// Limit caps the result (default 200).
	Limit int
}

// DeskStore keeps what the help desk needs beside the knowledge base:
// conversations with their handoffs, staff, teams, sessions and the outbox.
// Every implementation passes the desk suite in knowledge/storetest. Error
// contract as for Store, plus:
//   - SaveConversation with a Version other than the stored one returns
//     ECONFLICT and writes nothing (Version 0 means "new": ECONFLICT if the id
//     exists); on success it increments c.Version;
//   - messages are append-only (a transcript is a record): a save stores
//     the messages after those already stored, by count. A save holding
//     fewer messages than are stored, or whose message at the last stored
//     position has another Seq than the stored one, is EINVALID and writes
//     nothing; any other change to a stored message is ignored: the store
//     keeps the stored one (comparing every message would cost what
//     storing only the new ones saves);
//   - a missing conversation, ticket, staff member, team or session is
//     ENOTFOUND (an expired session too).
type DeskStore interface {
	// Conversation returns one conversation by id.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// ConversationByTicket returns the conversation holding a handoff ticket.
	ConversationByTicket(ctx context.Context, ticket string) (Conversation, error)
	// SaveConversation stores c (see the version rule above) and, in the
	// same transaction, adds the outbox items.
	SaveConversation(ctx context.Context, c *Conversation, out ...OutboxItem) error
	// Conversations returns the conversations q selects: waiting ones oldest
	// handoff first, then the rest most recently updated first.
	Conversations(ctx context.Context, q ConversationQuery) ([]Conversation, error)
	// DeleteConversations removes conversations; unknown ids are ignored.
	DeleteConversations(ctx context.Context, ids ...string) error
	// NextSeq returns the next value (from 1) of a named counter, for
	// ticket numbers; it never returns the same value twice.
	NextSeq(ctx context.Context, name string) (int64, error)

	// PutStaff creates or replaces a staff account.
	PutStaff(ctx context.Context, s Staff) error
	// StaffMember returns one account by username.
	StaffMember(ctx context.Context, username string) (Staff, error)
	// StaffList returns every account by username.
	StaffList(ctx context.Context) ([]Staff, error)
	// PutTeam creates or replaces a team.
	PutTeam(ctx context.Context, t Team) error
	// Teams returns every team by id.
	Teams(ctx context.Context) ([]Team, error)

	// PutSession stores a session.
	PutSession(ctx context.Context, s Session) error
	// Session returns an unexpired session by id (token hash).
	Session(ctx context.Context, id string, now time.Time) (Session, error)
	// DeleteSession removes a session; an unknown id is ignored.
	DeleteSession(ctx context.Context, id string) error

	// DueOutbox returns undelivered items whose NextAt is not after now,
	// oldest first, at most limit.
	DueOutbox(ctx context.Context, now time.Time, limit int) ([]OutboxItem, error)
	// UpdateOutbox records a delivery attempt (Attempts, NextAt, LastError,
	// Delivered) of an existing item.
	UpdateOutbox(ctx context.Context, it OutboxItem) error
}

package banban

import "time"

// Staff is a 帮办 staff account.
type Staff struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	// Teams are the ids of the teams whose queues the staff member works.
	Teams []string `json:"teams"`
	// PasswordHash is a self-describing password hash (algorithm, parameters,
	// salt and digest); never the password.
	PasswordHash string    `json:"password_hash"`
	Disabled     bool      `json:"disabled,omitempty"`
	Created      time.Time `json:"created"`
}

// Team is a group of staff (a department or a window group) that handoffs
// are routed to (精准派单).
type Team struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Departments are the document departments whose items route here.
	Departments []string `json:"departments,omitempty"`
	// General marks the team that takes whatever no other team takes.
	General bool `json:"general,omitempty"`
}

// Session is a signed-in staff member's session. Stores keep only the hash
// of the token the browser holds.
type Session struct {
	// ID is the hex SHA-256 of the session token.
	ID       string `json:"id"`
	Username string `json:"username"`
	// CSRF is the token every state-changing request must echo.
	CSRF    string    `json:"csrf"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// OutboxItem is a message to an outside system (the ticket webhook) kept
// until it is delivered, so a receiver that is down gets it once it is back.
type OutboxItem struct {
	// ID is unique and sent along, so the receiver can drop duplicates.
	ID      string    `json:"id"`
	Kind    string    `json:"kind"` // for example "ticket.created"
	Payload []byte    `json:"payload"`
	Created time.Time `json:"created"`
	// NextAt is when the next delivery attempt is due.
	NextAt    time.Time `json:"next_at"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	// Delivered is set once the receiver accepted it.
	Delivered time.Time `json:"delivered,omitzero"`
}

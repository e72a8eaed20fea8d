package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/banban-gov/banban"
)

// QueueEntry is a conversation in a staff member's queue.
type QueueEntry struct {
	Conversation banban.Conversation
	// Position is the place in its team's queue (0 when not waiting).
	Position int
	// Waiting is how long since the handoff was asked for.
	Waiting time.Duration
}

// Queue returns what a staff member works on: the conversations waiting in
// their teams' queues, oldest first, then those they have.
func (d *Desk) Queue(ctx context.Context, s banban.Staff) ([]QueueEntry, error) {
	waiting, err := d.store.Conversations(ctx, banban.ConversationQuery{States: []banban.ConvState{banban.StateWaiting}, Limit: 10000})
	if err != nil {
		return nil, fmt.Errorf("read queue: %w", err)
	}
	mine, err := d.store.Conversations(ctx, banban.ConversationQuery{States: []banban.ConvState{banban.StateWithStaff}, Assignee: s.Username})
	if err != nil {
		return nil, fmt.Errorf("read assigned: %w", err)
	}
	now := d.Now()
	var out []QueueEntry
	perTeam := map[string]int{}
	for _, c := range waiting {
		live := c.Handoff != nil && c.Handoff.Reason != banban.ReasonMessage
		if live {
			perTeam[c.Team]++
		}
		if !visible(s, c.Team) {
			continue
		}
		e := QueueEntry{Conversation: c}
		if live {
			e.Position = perTeam[c.Team]
		}
		if c.Handoff != nil {
			e.Waiting = now.Sub(c.Handoff.RequestedAt)
		}
		out = append(out, e)
	}
	for _, c := range mine {
		out = append(out, QueueEntry{Conversation: c})
	}
	return out, nil
}

// visible reports whether a staff member works a team's queue: staff in no
// team work every queue, and a conversation in no team is everyone's.
func visible(s banban.Staff, team string) bool {
	return len(s.Teams) == 0 || team == "" || slices.Contains(s.Teams, team)
}

func actor(s banban.Staff) string { return "staff:" + s.Username }

// Claim takes a waiting conversation.
func (d *Desk) Claim(ctx context.Context, s banban.Staff, id string) (banban.Conversation, error) {
	return d.changeOut(ctx, id, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		if c.CurrentState() != banban.StateWaiting {
			return nil, banban.Errorf(banban.ECONFLICT, errNotWaiting)
		}
		if !visible(s, c.Team) {
			return nil, banban.Errorf(banban.ECONFLICT, errNotTeam)
		}
		now := d.Now()
		if err := c.Move(banban.StateWithStaff, actor(s), "claim", "", now); err != nil {
			return nil, err
		}
		c.Assignee = s.Username
		c.Handoff.ClaimedAt, c.Handoff.Status = now, banban.TicketAccepted
		d.system(c, fmt.Sprintf(msgClaimed, displayName(s)))
		return nil, nil
	})
}

// Reply sends a staff member's message to the citizen.
func (d *Desk) Reply(ctx context.Context, s banban.Staff, id, text string) (banban.Message, error) {
	return d.staffMessage(ctx, s, id, text, false)
}

// Note adds a private note that only staff see.
func (d *Desk) Note(ctx context.Context, s banban.Staff, id, text string) (banban.Message, error) {
	return d.staffMessage(ctx, s, id, text, true)
}

func (d *Desk) staffMessage(ctx context.Context, s banban.Staff, id, text string, private bool) (banban.Message, error) {
	text = strings.TrimSpace(text)
	if err := d.checkText(text); err != nil {
		return banban.Message{}, err
	}
	c, err := d.changeOut(ctx, id, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		if private {
			if !visible(s, c.Team) && c.Assignee != s.Username {
				return nil, banban.Errorf(banban.ECONFLICT, errNotTeam)
			}
		} else if c.CurrentState() != banban.StateWithStaff || c.Assignee != s.Username {
			return nil, banban.Errorf(banban.ECONFLICT, errNotYours)
		}
		c.Append(banban.Message{Role: banban.RoleStaff, Text: text, At: d.Now(), Author: s.Username, Private: private})
		return nil, nil
	})
	if err != nil {
		return banban.Message{}, err
	}
	return c.Messages[len(c.Messages)-1], nil
}

// Transfer passes a conversation to another team's queue or straight to a
// colleague. Exactly one of team and colleague is set.
func (d *Desk) Transfer(ctx context.Context, s banban.Staff, id, team, colleague string) (banban.Conversation, error) {
	if (team == "") == (colleague == "") {
		return banban.Conversation{}, banban.Errorf(banban.EINVALID, errNoTarget)
	}
	target, err := d.transferTarget(ctx, team, colleague)
	if err != nil {
		return banban.Conversation{}, err
	}
	return d.changeOut(ctx, id, func(c *banban.Conversation) ([]banban.OutboxItem, error) {
		if err := d.mayAct(s, c); err != nil {
			return nil, err
		}
		now := d.Now()
		if colleague != "" {
			if err := c.Move(banban.StateWithStaff, actor(s), "transfer", colleague, now); err != nil {
				return nil, err
			}
			c.Assignee = colleague
			d.system(c, fmt.Sprintf(msgTransferTo, target))
			return nil, nil
		}
		if err := c.Move(banban.StateWaiting, actor(s), "transfer", team, now); err != nil {
			return nil, err
		}
		c.Team, c.Assignee = team, ""
		d.system(c, fmt.Sprintf(msgTransferTeam, target))
		return nil, nil
	})
}

// transferTarget checks the target and returns its display name.
func (d *Desk) transferTarget(ctx context.Context, team, colleague string) (string, error) {
	if colleague != "" {
		st, err := d.store.StaffMember(ctx, colleague)
		if err != nil || st.Disabled {
			return "", banban.Errorf(banban.ENOTFOUND, errNoStaff, colleague)
		}
		return displayName(st), nil
	}
	teams, err := d.store.Teams(ctx)
	if err != nil {
		return "", fmt.Errorf("read teams: %w", err)
	}
	for _, t := range teams {
		if t.ID == team {
			return t.Name, nil
		}
	}
	return "", banban.Errorf(banban.ENOTFOUND, errNoTeam, team)
}

// mayAct checks that a staff member has the conversation, or may take it
// from the queue of their team.
func (d *Desk) mayAct(s banban.Staff, c *banban.Conversation) error {
	switch c.CurrentState() {
	case banban.StateWithStaff:
		if c.Assignee != s.Username {
			return banban.Errorf(banban.ECONFLICT, errNotYours)
		}
	case banban.StateWaiting:
		if !visible(s, c.Team) {
			return banban.Errorf(banban.ECONFLICT, errNotTeam)
		}
	default:
		return banban.Errorf(banban.ECONFLICT, errNotWaiting)
	}
	return nil
}

func displayName(s banban.Staff) string {
	if s.Name != "" {
		return s.Name
	}
	return s.Username
}

package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
)

// defaultQueryLimit caps Conversations when the query sets no limit.
const defaultQueryLimit = 200

// Conversations returns the conversations q selects: waiting ones oldest
// handoff first, then the rest most recently updated first, ties by id.
// Only the query's conditions go into the statement, so that the planner
// sees the queue index's columns with their values.
func (s *Store) Conversations(ctx context.Context, q banban.ConversationQuery) ([]banban.Conversation, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultQueryLimit
	}
	where, args := queryConditions(&q, limit)
	sql := strings.Replace(deskQuery("conversations"), "{where}", where, 1)
	convs, err := readDocs[banban.Conversation](ctx, s, "query conversations", sql, args...)
	for i := range convs {
		utcConversation(&convs[i])
	}
	return convs, err
}

// queryConditions returns the WHERE clause of q and the arguments of the
// statement, the limit first.
func queryConditions(q *banban.ConversationQuery, limit int) (string, []any) {
	args := []any{limit}
	var conds []string
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if len(q.States) > 0 {
		states := make([]string, len(q.States))
		for i, st := range q.States {
			c := banban.Conversation{State: st}
			states[i] = string(c.CurrentState())
		}
		add("state = ANY($%d)", states)
	}
	for _, f := range []struct{ col, val string }{
		{"team", q.Team}, {"assignee", q.Assignee}, {"channel", q.Channel}, {"citizen", q.Citizen},
	} {
		if f.val != "" {
			add(f.col+" = $%d", f.val)
		}
	}
	if !q.UpdatedBefore.IsZero() {
		add("updated < $%d", q.UpdatedBefore)
	}
	if len(conds) == 0 {
		return "true", args
	}
	return strings.Join(conds, " AND "), args
}

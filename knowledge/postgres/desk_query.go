package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
	"github.com/jackc/pgx/v5"
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
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	where, args := queryConditions(&q, limit)
	sql := strings.Replace(deskQuery("conversations"), "{where}", where, 1)
	var convs []banban.Conversation
	// One snapshot for the records and their messages.
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, sql, args...)
		raws, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		convs = make([]banban.Conversation, len(raws))
		for i, raw := range raws {
			if err := json.Unmarshal(raw, &convs[i]); err != nil {
				return fmt.Errorf("decode conversation: %w", err)
			}
		}
		return attachMessages(ctx, tx, convs)
	})
	if err != nil {
		return nil, dbError(ctx, "query conversations", err)
	}
	for i := range convs {
		deskrec.UTCConversation(&convs[i])
	}
	return convs, nil
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

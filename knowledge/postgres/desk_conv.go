package postgres

import (
	"context"
	"errors"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

// Conversation returns one conversation by id.
func (s *Store) Conversation(ctx context.Context, id string) (banban.Conversation, error) {
	var c banban.Conversation
	err := s.readDoc(ctx, "read conversation", &c, banban.Errorf(banban.ENOTFOUND, "找不到会话 %s", id),
		deskQuery("conversation"), id)
	utcConversation(&c)
	return c, err
}

// ConversationByTicket returns the conversation holding a handoff ticket.
func (s *Store) ConversationByTicket(ctx context.Context, ticket string) (banban.Conversation, error) {
	var c banban.Conversation
	err := s.readDoc(ctx, "read conversation by ticket", &c, banban.Errorf(banban.ENOTFOUND, "找不到工单 %s", ticket),
		deskQuery("conversation_by_ticket"), ticket)
	utcConversation(&c)
	return c, err
}

// errStale makes a transaction roll back when the conversation's row was
// not written.
var errStale = errors.New("postgres: conversation version changed")

// SaveConversation stores c if its Version is the stored one (0: new) and,
// in the same transaction, adds the outbox items; on success it increments
// c.Version.
func (s *Store) SaveConversation(ctx context.Context, c *banban.Conversation, out ...banban.OutboxItem) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	sql, args, err := convArgs(c)
	if err != nil {
		return err
	}
	items, err := outboxBatch(out)
	if err != nil {
		return err
	}
	if err := s.saveRow(ctx, sql, args, items); err != nil {
		return saveError(ctx, c, err)
	}
	c.Version++
	return nil
}

// saveRow runs the statement that saves a conversation and, in the same
// transaction, the batch of outbox inserts. A statement that writes no
// row returns errStale.
func (s *Store) saveRow(ctx context.Context, sql string, args []any, items *pgx.Batch) error {
	if items.Len() == 0 {
		// One statement needs no transaction of its own.
		tag, err := s.pool.Exec(ctx, sql, args...)
		if err == nil && tag.RowsAffected() == 0 {
			return errStale
		}
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		if err == nil && tag.RowsAffected() == 0 {
			return errStale
		}
		if err != nil {
			return err
		}
		return tx.SendBatch(ctx, items).Close()
	})
}

// convArgs returns the statement that saves c, an insert or an update, and
// its arguments.
func convArgs(c *banban.Conversation) (string, []any, error) {
	if err := checkKey(c.ID, "会话编号"); err != nil {
		return "", nil, err
	}
	next := *c
	next.Version++
	doc, err := encodeDoc(&next, "会话 "+c.ID)
	if err != nil {
		return "", nil, err
	}
	var ticket string
	var requested any
	if h := c.Handoff; h != nil {
		ticket, requested = h.Ticket, nullTime(h.RequestedAt)
	}
	args := []any{c.ID, next.Version, c.Channel, c.Citizen, string(c.CurrentState()), c.Team, c.Assignee,
		nullText(ticket), requested, c.Updated, doc}
	if c.Version == 0 {
		return deskQuery("insert_conversation"), args, nil
	}
	return deskQuery("update_conversation"), append(args, c.Version), nil
}

// saveError gives a failed save its error code: a stale version, a ticket
// or outbox id already used are ECONFLICT.
func saveError(ctx context.Context, c *banban.Conversation, err error) error {
	switch {
	case errors.Is(err, errStale) && c.Version == 0:
		return banban.Errorf(banban.ECONFLICT, "会话 %s 已存在", c.ID)
	case errors.Is(err, errStale):
		return banban.Errorf(banban.ECONFLICT, "会话 %s 已被他人更新或已删除，请刷新后重试", c.ID)
	}
	switch uniqueViolation(err) {
	case "outbox_pkey":
		return banban.WrapError(banban.ECONFLICT, err, "外发消息编号重复")
	case "conversations_ticket_key":
		return banban.WrapError(banban.ECONFLICT, err, "工单号 %s 已被其他会话使用", c.Handoff.Ticket)
	}
	return dbError(ctx, "save conversation "+c.ID, err)
}

// DeleteConversations removes conversations; unknown ids are ignored.
func (s *Store) DeleteConversations(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return s.start(ctx)
	}
	_, err := s.exec(ctx, "delete conversations", deskQuery("delete_conversations"), ids)
	return err
}

// NextSeq returns the next value (from 1) of a named counter. The upsert
// takes the row's lock, so concurrent callers each get their own value.
func (s *Store) NextSeq(ctx context.Context, name string) (int64, error) {
	if err := s.start(ctx); err != nil {
		return 0, err
	}
	if err := checkKey(name, "计数器名称"); err != nil {
		return 0, err
	}
	var n int64
	err := s.pool.QueryRow(ctx, deskQuery("next_seq"), name).Scan(&n)
	return n, dbError(ctx, "next value of counter "+name, err)
}

package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

// Conversation returns one conversation by id.
func (s *Store) Conversation(ctx context.Context, id string) (banban.Conversation, error) {
	return s.readConversation(ctx, "read conversation", banban.Errorf(banban.ENOTFOUND, "找不到会话 %s", id),
		deskQuery("conversation"), id)
}

// ConversationByTicket returns the conversation holding a handoff ticket.
func (s *Store) ConversationByTicket(ctx context.Context, ticket string) (banban.Conversation, error) {
	return s.readConversation(ctx, "read conversation by ticket", banban.Errorf(banban.ENOTFOUND, "找不到工单 %s", ticket),
		deskQuery("conversation_by_ticket"), ticket)
}

// readConversation runs a query for one conversation's record and
// messages; no row returns notFound.
func (s *Store) readConversation(ctx context.Context, op string, notFound error, sql string, arg any) (banban.Conversation, error) {
	if err := s.start(ctx); err != nil {
		return banban.Conversation{}, err
	}
	var doc []byte
	var msgs [][]byte
	err := s.pool.QueryRow(ctx, sql, arg).Scan(&doc, &msgs)
	if errors.Is(err, pgx.ErrNoRows) {
		return banban.Conversation{}, notFound
	}
	if err != nil {
		return banban.Conversation{}, dbError(ctx, op, err)
	}
	c, err := decodeConversation(doc, msgs)
	if err != nil {
		return c, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return c, nil
}

// errStale makes a transaction roll back when the conversation's row was
// not written.
var errStale = errors.New("postgres: conversation version changed")

// SaveConversation stores c if its Version is the stored one (0: new) and,
// in the same transaction, adds the outbox items; on success it increments
// c.Version. It writes c's record and inserts the messages after the
// stored ones (see convSave).
func (s *Store) SaveConversation(ctx context.Context, c *banban.Conversation, out ...banban.OutboxItem) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	if err := checkKey(c.ID, "会话编号"); err != nil {
		return err
	}
	items, err := outboxBatch(out)
	if err != nil {
		return err
	}
	w, err := newConvSave(c)
	if err != nil {
		return err
	}
	if items.Len() == 0 {
		// One statement needs no transaction of its own.
		err = w.exec(ctx, s.pool)
	} else {
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if err := w.exec(ctx, tx); err != nil {
				return err
			}
			return tx.SendBatch(ctx, items).Close()
		})
	}
	if err != nil {
		return saveError(ctx, c, err)
	}
	c.Version++
	return nil
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

package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
	"github.com/jackc/pgx/v5"
)

// A conversation's messages are rows of conversation_messages, one each,
// so that a chat turn inserts its new messages and does not rewrite the
// transcript (messages are append-only, see banban.DeskStore). A row's seq
// is the message's position from 1, which is its Seq when
// Conversation.Append numbered it; the Seq itself is kept in the JSON.

// decodeConversation decodes a conversation's record and its messages, in
// order, and converts its times to UTC.
func decodeConversation(doc []byte, msgs [][]byte) (banban.Conversation, error) {
	var c banban.Conversation
	if err := json.Unmarshal(doc, &c); err != nil {
		return c, fmt.Errorf("decode conversation: %w", err)
	}
	if len(msgs) > 0 {
		c.Messages = make([]banban.Message, len(msgs))
	}
	for i, raw := range msgs {
		m, err := deskrec.DecodeMessage(raw)
		if err != nil {
			return c, fmt.Errorf("decode message %d of conversation %q: %w", i+1, c.ID, err)
		}
		c.Messages[i] = m
	}
	deskrec.UTCConversation(&c)
	return c, nil
}

// attachMessages reads the messages of convs, whose records are decoded,
// in one statement, and appends each to its conversation in order.
func attachMessages(ctx context.Context, tx pgx.Tx, convs []banban.Conversation) error {
	if len(convs) == 0 {
		return nil
	}
	ids := make([]string, len(convs))
	at := make(map[string]*banban.Conversation, len(convs))
	for i := range convs {
		ids[i], at[convs[i].ID] = convs[i].ID, &convs[i]
	}
	rows, _ := tx.Query(ctx, deskQuery("conversations_messages"), ids)
	var id string
	var raw []byte
	_, err := pgx.ForEachRow(rows, []any{&id, &raw}, func() error {
		c := at[id]
		m, err := deskrec.DecodeMessage(raw)
		if err != nil {
			return fmt.Errorf("decode message %d of conversation %q: %w", len(c.Messages)+1, id, err)
		}
		c.Messages = append(c.Messages, m)
		return nil
	})
	return err
}

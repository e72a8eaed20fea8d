package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

// A conversation's messages are rows of conversation_messages, one each,
// so that a chat turn inserts its new messages and does not rewrite the
// transcript (messages are append-only, see banban.DeskStore). A row's seq
// is the message's position from 1, which is its Seq when
// Conversation.Append numbered it; the Seq itself is kept in the JSON.

// messageRecord is a message as stored. A bot's answer usually repeats the
// message's text; then the stored answer leaves it out and AnswerIsText
// says to put it back, which halves what a turn writes.
type messageRecord struct {
	banban.Message
	AnswerIsText bool `json:"answer_is_text,omitempty"`
}

func encodeMessage(m *banban.Message) ([]byte, error) {
	r := messageRecord{Message: *m}
	if a := m.Answer; a != nil && a.Text == m.Text && a.Text != "" {
		compact := *a
		compact.Text = ""
		r.Answer, r.AnswerIsText = &compact, true
	}
	return json.Marshal(&r)
}

func decodeMessage(raw []byte) (banban.Message, error) {
	var r messageRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return banban.Message{}, err
	}
	if r.AnswerIsText && r.Answer != nil {
		r.Answer.Text = r.Text
	}
	return r.Message, nil
}

// encodeMessages encodes the messages of c after the first stored ones.
func encodeMessages(c *banban.Conversation, stored int) ([][]byte, error) {
	out := make([][]byte, 0, len(c.Messages)-stored)
	for i := stored; i < len(c.Messages); i++ {
		raw, err := encodeMessage(&c.Messages[i])
		if err != nil {
			return nil, banban.WrapError(banban.EINVALID, err, "会话 %s 的第 %d 条消息无法保存", c.ID, i+1)
		}
		out = append(out, raw)
	}
	return out, nil
}

// checkAppend refuses a save whose messages do not extend the stored
// ones: fewer of them, or another Seq at the last stored position.
func checkAppend(c *banban.Conversation, stored int, lastSeq int64) error {
	switch {
	case len(c.Messages) < stored:
		return banban.Errorf(banban.EINVALID, "会话 %s 已保存 %d 条消息，不能删除消息", c.ID, stored)
	case stored > 0 && int64(c.Messages[stored-1].Seq) != lastSeq:
		return banban.Errorf(banban.EINVALID, "会话 %s 已保存的消息不能修改", c.ID)
	}
	return nil
}

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
		m, err := decodeMessage(raw)
		if err != nil {
			return c, fmt.Errorf("decode message %d of conversation %q: %w", i+1, c.ID, err)
		}
		c.Messages[i] = m
	}
	utcConversation(&c)
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
		m, err := decodeMessage(raw)
		if err != nil {
			return fmt.Errorf("decode message %d of conversation %q: %w", len(c.Messages)+1, id, err)
		}
		c.Messages = append(c.Messages, m)
		return nil
	})
	return err
}

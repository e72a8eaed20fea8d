// Package deskrec holds the record formats and checks that both help-desk
// stores (knowledge/bolt and knowledge/postgres) share: how a message is
// encoded, the append-only rule for messages, and the conversion of stored
// times to UTC. Keeping them here keeps the two stores' bytes and errors
// the same.
package deskrec

import (
	"encoding/json"
	"time"

	"github.com/banban-gov/banban"
)

// messageRecord is a message as stored. A bot's answer usually repeats the
// message's text; then the stored answer leaves it out and AnswerIsText
// says to put it back, which halves what a turn writes.
type messageRecord struct {
	banban.Message
	AnswerIsText bool `json:"answer_is_text,omitempty"`
}

// EncodeMessage encodes one message for storage.
func EncodeMessage(m *banban.Message) ([]byte, error) {
	r := messageRecord{Message: *m}
	if a := m.Answer; a != nil && a.Text == m.Text && a.Text != "" {
		compact := *a
		compact.Text = ""
		r.Answer, r.AnswerIsText = &compact, true
	}
	return json.Marshal(&r)
}

// DecodeMessage decodes a message EncodeMessage encoded.
func DecodeMessage(raw []byte) (banban.Message, error) {
	var r messageRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return banban.Message{}, err
	}
	if r.AnswerIsText && r.Answer != nil {
		r.Answer.Text = r.Text
	}
	return r.Message, nil
}

// EncodeMessages encodes the messages of c after the first stored ones.
func EncodeMessages(c *banban.Conversation, stored int) ([][]byte, error) {
	out := make([][]byte, 0, len(c.Messages)-stored)
	for i := stored; i < len(c.Messages); i++ {
		raw, err := EncodeMessage(&c.Messages[i])
		if err != nil {
			return nil, banban.WrapError(banban.EINVALID, err, "会话 %s 的第 %d 条消息无法保存", c.ID, i+1)
		}
		out = append(out, raw)
	}
	return out, nil
}

// CheckAppend refuses a save whose messages do not extend the stored
// ones: fewer of them, or another Seq at the last stored position.
func CheckAppend(c *banban.Conversation, stored int, lastSeq int64) error {
	switch {
	case len(c.Messages) < stored:
		return banban.Errorf(banban.EINVALID, "会话 %s 已保存 %d 条消息，不能删除消息", c.ID, stored)
	case stored > 0 && int64(c.Messages[stored-1].Seq) != lastSeq:
		return banban.Errorf(banban.EINVALID, "会话 %s 已保存的消息不能修改", c.ID)
	}
	return nil
}

// UTCTimes converts times to UTC in place.
func UTCTimes(ts ...*time.Time) {
	for _, t := range ts {
		*t = t.UTC()
	}
}

// UTCConversation converts every time of c to UTC: JSON keeps the offset a
// time was written with, and the stores return UTC.
func UTCConversation(c *banban.Conversation) {
	UTCTimes(&c.Created, &c.Updated)
	for i := range c.Messages {
		m := &c.Messages[i]
		UTCTimes(&m.At)
		if m.Answer != nil {
			utcCitations(m.Answer.Citations)
		}
	}
	if h := c.Handoff; h != nil {
		UTCTimes(&h.RequestedAt, &h.DueAt, &h.ClaimedAt, &h.ClosedAt)
		utcCitations(h.Sources)
	}
	if c.Rating != nil {
		UTCTimes(&c.Rating.At)
	}
	if d := c.Draft; d != nil {
		UTCTimes(&d.Created, &d.Updated, &d.ConfirmedAt)
	}
	for i := range c.Events {
		UTCTimes(&c.Events[i].At)
	}
}

func utcCitations(cs []banban.Citation) {
	for i := range cs {
		UTCTimes(&cs[i].Updated)
	}
}

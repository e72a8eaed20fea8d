package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/banban-gov/banban"
	bbolt "go.etcd.io/bbolt"
)

// A conversation's messages are kept apart from its record, one key each,
// so that a chat turn writes its new messages and not the transcript again
// (messages are append-only, see banban.DeskStore). A message's key is its
// conversation's prefix, then its position from 1 as 4 bytes big-endian, so
// one cursor range reads a transcript in order. The position is the
// message's Seq when Conversation.Append numbered it; the Seq itself is
// kept in the value.

// msgPrefix is the common prefix of a conversation's message keys: the
// id's length as a uvarint, then the id. Lengths as uvarints are
// prefix-free, so no conversation's prefix starts another's, whatever
// bytes ids hold.
func msgPrefix(id []byte) []byte {
	k := make([]byte, 0, binary.MaxVarintLen64+len(id)+4)
	k = binary.AppendUvarint(k, uint64(len(id)))
	return append(k, id...)
}

// msgKey is the key of the message at pos (from 1) of the conversation
// whose prefix is given; it does not change prefix.
func msgKey(prefix []byte, pos int) []byte {
	return binary.BigEndian.AppendUint32(prefix[:len(prefix):len(prefix)], uint32(pos))
}

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

// putMessages stores msgs as the messages after the first stored ones.
func putMessages(b *bbolt.Bucket, id []byte, stored int, msgs [][]byte) error {
	prefix := msgPrefix(id)
	for i, raw := range msgs {
		if err := b.Put(msgKey(prefix, stored+1+i), raw); err != nil {
			return writeError(err)
		}
	}
	return nil
}

// readMessages returns the messages of a conversation in order, reading
// with c, a cursor of the messages bucket that callers may reuse from one
// conversation to the next.
func readMessages(c *bbolt.Cursor, id []byte) ([]banban.Message, error) {
	prefix := msgPrefix(id)
	var out []banban.Message
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		m, err := decodeMessage(v)
		if err != nil {
			return nil, fmt.Errorf("bolt: decode message %d of conversation %q: %w", len(out)+1, id, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// deleteMessages removes the messages of a conversation.
func deleteMessages(b *bbolt.Bucket, id []byte) error {
	prefix := msgPrefix(id)
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return writeError(err)
		}
	}
	return nil
}

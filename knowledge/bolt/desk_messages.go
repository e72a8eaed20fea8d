package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
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
		m, err := deskrec.DecodeMessage(v)
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

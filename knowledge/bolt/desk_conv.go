package bolt

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
	bbolt "go.etcd.io/bbolt"
)

// Conversation returns one conversation by id.
func (s *Store) Conversation(ctx context.Context, id string) (banban.Conversation, error) {
	if err := s.deskStart(ctx); err != nil {
		return banban.Conversation{}, err
	}
	var c banban.Conversation
	err := s.deskView(func(tx *bbolt.Tx) error {
		d := openDesk(tx)
		var err error
		c, err = readConversation(d, d.msgs.Cursor(), []byte(id))
		return err
	})
	return c, err
}

// ConversationByTicket returns the conversation holding a handoff ticket.
func (s *Store) ConversationByTicket(ctx context.Context, ticket string) (banban.Conversation, error) {
	if err := s.deskStart(ctx); err != nil {
		return banban.Conversation{}, err
	}
	var c banban.Conversation
	err := s.deskView(func(tx *bbolt.Tx) error {
		d := openDesk(tx)
		id := d.tickets.Get([]byte(ticket))
		if id == nil || ticket == "" {
			return banban.Errorf(banban.ENOTFOUND, "找不到工单 %s", ticket)
		}
		var err error
		c, err = readConversation(d, d.msgs.Cursor(), id)
		return err
	})
	return c, err
}

// readConversation returns a conversation with its messages, which it
// reads with cur, a cursor of the messages bucket.
func readConversation(d *desk, cur *bbolt.Cursor, id []byte) (banban.Conversation, error) {
	var c banban.Conversation
	raw := d.convs.Get(id)
	if raw == nil {
		return c, banban.Errorf(banban.ENOTFOUND, "找不到会话 %s", id)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("bolt: decode conversation %q: %w", id, err)
	}
	msgs, err := readMessages(cur, id)
	if err != nil {
		return c, err
	}
	c.Messages = msgs
	deskrec.UTCConversation(&c)
	return c, nil
}

// SaveConversation stores c if its Version is the stored one (0: new) and,
// in the same transaction, adds the outbox items; on success it increments
// c.Version. It writes c's record and the messages after the stored ones.
// Concurrent saves share commits (see deskBatch).
func (s *Store) SaveConversation(ctx context.Context, c *banban.Conversation, out ...banban.OutboxItem) error {
	if err := s.deskStart(ctx); err != nil {
		return err
	}
	if err := checkConversation(c); err != nil {
		return err
	}
	stored, err := s.storedMessages(c)
	if err != nil {
		return err
	}
	w, err := newConvWrite(c, out, stored)
	if err != nil {
		return err
	}
	var conflict error
	err = s.deskBatch(func(tx *bbolt.Tx) error {
		var err error
		conflict, err = w.apply(openDesk(tx))
		return err
	})
	if err != nil {
		return err
	}
	if conflict != nil {
		return conflict
	}
	c.Version++
	return nil
}

func checkConversation(c *banban.Conversation) error {
	if err := checkKey(c.ID, "会话编号"); err != nil {
		return err
	}
	if strings.IndexByte(string(c.State), 0) >= 0 {
		// The zero byte ends the state in the order bucket's keys.
		return banban.Errorf(banban.EINVALID, "会话状态 %q 含有非法字符", c.State)
	}
	return nil
}

// storedMessages returns how many of c's messages are stored. It checks,
// before the write and in a read transaction, which waits for no writer,
// that c's version is the stored one and that c's messages extend the
// stored ones, so that a refused save never joins a commit; the write
// checks again that nothing changed in between.
func (s *Store) storedMessages(c *banban.Conversation) (int, error) {
	if c.Version == 0 {
		return 0, nil
	}
	var old *convMeta
	err := s.deskView(func(tx *bbolt.Tx) error {
		var err error
		old, err = storedMeta(openDesk(tx), []byte(c.ID))
		return err
	})
	if err != nil {
		return 0, err
	}
	if conflict := versionConflict(c.ID, c.Version, old); conflict != nil {
		return 0, conflict
	}
	return int(old.messages), deskrec.CheckAppend(c, int(old.messages), old.lastSeq)
}

// convWrite is a conversation encoded for saving, with its outbox items.
type convWrite struct {
	id      []byte
	version int64 // the version the caller has; 0 for a new conversation
	doc     []byte
	meta    convMeta
	// stored is how many messages the store holds, msgs the ones after.
	stored int
	msgs   [][]byte
	out    []outboxWrite
}

func newConvWrite(c *banban.Conversation, out []banban.OutboxItem, stored int) (*convWrite, error) {
	msgs, err := deskrec.EncodeMessages(c, stored)
	if err != nil {
		return nil, err
	}
	next := *c
	next.Version++
	next.Messages = nil
	doc, err := json.Marshal(&next)
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, err, "会话 %s 无法保存", c.ID)
	}
	w := &convWrite{id: []byte(c.ID), version: c.Version, doc: doc, meta: metaOf(c, next.Version),
		stored: stored, msgs: msgs}
	seen := make(map[string]bool, len(out))
	for i := range out {
		o, err := newOutboxWrite(&out[i])
		if err != nil {
			return nil, err
		}
		if seen[out[i].ID] {
			return nil, outboxExists(out[i].ID)
		}
		seen[out[i].ID] = true
		w.out = append(w.out, o)
	}
	return w, nil
}

// apply writes w unless it conflicts with what d holds. It returns the
// conflict, having written nothing, or an error of the transaction.
func (w *convWrite) apply(d *desk) (conflict, err error) {
	old, conflict, err := w.check(d)
	if conflict != nil || err != nil {
		return conflict, err
	}
	id := string(w.id)
	if old != nil {
		if err := d.order.Delete(old.orderKey(id)); err != nil {
			return nil, writeError(err)
		}
		if t := old.ticket; t != "" && t != w.meta.ticket && string(d.tickets.Get([]byte(t))) == id {
			if err := d.tickets.Delete([]byte(t)); err != nil {
				return nil, writeError(err)
			}
		}
	}
	meta := w.meta.encode()
	err = putAll(entry{d.convs, w.id, w.doc}, entry{d.meta, w.id, meta}, entry{d.order, w.meta.orderKey(id), meta})
	if err != nil {
		return nil, err
	}
	if err := putMessages(d.msgs, w.id, w.stored, w.msgs); err != nil {
		return nil, err
	}
	if t := w.meta.ticket; t != "" {
		if err := d.tickets.Put([]byte(t), w.id); err != nil {
			return nil, writeError(err)
		}
	}
	for _, o := range w.out {
		if err := o.put(d); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// check returns the stored record of the conversation, or why w conflicts
// with what d holds.
func (w *convWrite) check(d *desk) (old *convMeta, conflict, err error) {
	old, err = storedMeta(d, w.id)
	if err != nil {
		return nil, nil, err
	}
	if conflict := versionConflict(string(w.id), w.version, old); conflict != nil {
		return nil, conflict, nil
	}
	if old != nil && old.messages != int64(w.stored) {
		// Deleted and created again since storedMessages looked.
		return nil, convUpdatedConflict(string(w.id)), nil
	}
	if t := w.meta.ticket; t != "" {
		if owner := d.tickets.Get([]byte(t)); owner != nil && string(owner) != string(w.id) {
			return nil, banban.Errorf(banban.ECONFLICT, "工单号 %s 已被会话 %s 使用", t, owner), nil
		}
	}
	for _, o := range w.out {
		if d.outbox.Get(o.id) != nil {
			return nil, outboxExists(string(o.id)), nil
		}
	}
	return old, nil, nil
}

// storedMeta returns the stored record of a conversation, nil if none.
func storedMeta(d *desk, id []byte) (*convMeta, error) {
	raw := d.meta.Get(id)
	if raw == nil {
		return nil, nil
	}
	m, err := decodeMeta(raw)
	if err != nil {
		return nil, fmt.Errorf("bolt: decode record of conversation %q: %w", id, err)
	}
	return &m, nil
}

// versionConflict returns why a save of the given version conflicts with
// old, the stored record (nil if none), or nil.
func versionConflict(id string, version int64, old *convMeta) error {
	switch {
	case version == 0 && old != nil:
		return banban.Errorf(banban.ECONFLICT, "会话 %s 已存在", id)
	case version != 0 && old == nil:
		return banban.Errorf(banban.ECONFLICT, "会话 %s 已不存在", id)
	case version != 0 && old.version != version:
		return convUpdatedConflict(id)
	}
	return nil
}

func convUpdatedConflict(id string) error {
	return banban.Errorf(banban.ECONFLICT, "会话 %s 已被他人更新，请刷新后重试", id)
}

// entry is a key and its value in a bucket.
type entry struct {
	b    *bbolt.Bucket
	k, v []byte
}

func putAll(es ...entry) error {
	for _, e := range es {
		if err := e.b.Put(e.k, e.v); err != nil {
			return writeError(err)
		}
	}
	return nil
}

func deleteAll(es ...entry) error {
	for _, e := range es {
		if err := e.b.Delete(e.k); err != nil {
			return writeError(err)
		}
	}
	return nil
}

// DeleteConversations removes conversations; unknown ids are ignored.
func (s *Store) DeleteConversations(ctx context.Context, ids ...string) error {
	if err := s.deskStart(ctx); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	return s.deskBatch(func(tx *bbolt.Tx) error {
		d := openDesk(tx)
		for _, id := range ids {
			if err := d.deleteConversation(id); err != nil {
				return err
			}
		}
		return nil
	})
}

func (d *desk) deleteConversation(id string) error {
	raw := d.meta.Get([]byte(id))
	if raw == nil {
		return nil
	}
	m, err := decodeMeta(raw)
	if err != nil {
		return fmt.Errorf("bolt: decode record of conversation %q: %w", id, err)
	}
	if m.ticket != "" && string(d.tickets.Get([]byte(m.ticket))) == id {
		if err := d.tickets.Delete([]byte(m.ticket)); err != nil {
			return writeError(err)
		}
	}
	err = deleteAll(entry{b: d.order, k: m.orderKey(id)}, entry{b: d.meta, k: []byte(id)}, entry{b: d.convs, k: []byte(id)})
	if err != nil {
		return err
	}
	return deleteMessages(d.msgs, []byte(id))
}

// NextSeq returns the next value (from 1) of a named counter.
func (s *Store) NextSeq(ctx context.Context, name string) (int64, error) {
	if err := s.deskStart(ctx); err != nil {
		return 0, err
	}
	if err := checkKey(name, "计数器名称"); err != nil {
		return 0, err
	}
	var n uint64
	err := s.deskBatch(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketCounters)
		n = 1
		if raw := b.Get([]byte(name)); len(raw) == 8 {
			n = binary.BigEndian.Uint64(raw) + 1
		}
		return writeError(b.Put([]byte(name), binary.BigEndian.AppendUint64(nil, n)))
	})
	return int64(n), err
}

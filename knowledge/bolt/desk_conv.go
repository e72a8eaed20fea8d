package bolt

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
	bbolt "go.etcd.io/bbolt"
)

// Conversation returns one conversation by id.
func (s *Store) Conversation(ctx context.Context, id string) (banban.Conversation, error) {
	if err := s.deskStart(ctx); err != nil {
		return banban.Conversation{}, err
	}
	var c banban.Conversation
	err := s.deskView(func(tx *bbolt.Tx) error {
		var err error
		c, err = readConversation(openDesk(tx), []byte(id))
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
		c, err = readConversation(d, id)
		return err
	})
	return c, err
}

func readConversation(d *desk, id []byte) (banban.Conversation, error) {
	var c banban.Conversation
	raw := d.convs.Get(id)
	if raw == nil {
		return c, banban.Errorf(banban.ENOTFOUND, "找不到会话 %s", id)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("bolt: decode conversation %q: %w", id, err)
	}
	utcConversation(&c)
	return c, nil
}

// SaveConversation stores c if its Version is the stored one (0: new) and,
// in the same transaction, adds the outbox items; on success it increments
// c.Version. Concurrent saves share commits (see deskBatch).
func (s *Store) SaveConversation(ctx context.Context, c *banban.Conversation, out ...banban.OutboxItem) error {
	if err := s.deskStart(ctx); err != nil {
		return err
	}
	w, err := newConvWrite(c, out)
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

// convWrite is a conversation encoded for saving, with its outbox items.
type convWrite struct {
	id      []byte
	version int64 // the version the caller has; 0 for a new conversation
	doc     []byte
	meta    convMeta
	out     []outboxWrite
}

func newConvWrite(c *banban.Conversation, out []banban.OutboxItem) (*convWrite, error) {
	if err := checkKey(c.ID, "会话编号"); err != nil {
		return nil, err
	}
	if strings.IndexByte(string(c.State), 0) >= 0 {
		// The zero byte ends the state in the order bucket's keys.
		return nil, banban.Errorf(banban.EINVALID, "会话状态 %q 含有非法字符", c.State)
	}
	next := *c
	next.Version++
	doc, err := json.Marshal(&next)
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, err, "会话 %s 无法保存", c.ID)
	}
	w := &convWrite{id: []byte(c.ID), version: c.Version, doc: doc, meta: metaOf(c, next.Version)}
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
	if raw := d.meta.Get(w.id); raw != nil {
		m, err := decodeMeta(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("bolt: decode record of conversation %q: %w", w.id, err)
		}
		old = &m
	}
	switch {
	case w.version == 0 && old != nil:
		return nil, banban.Errorf(banban.ECONFLICT, "会话 %s 已存在", w.id), nil
	case w.version != 0 && old == nil:
		return nil, banban.Errorf(banban.ECONFLICT, "会话 %s 已不存在", w.id), nil
	case w.version != 0 && old.version != w.version:
		return nil, banban.Errorf(banban.ECONFLICT, "会话 %s 已被他人更新，请刷新后重试", w.id), nil
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
	return deleteAll(entry{b: d.order, k: m.orderKey(id)}, entry{b: d.meta, k: []byte(id)}, entry{b: d.convs, k: []byte(id)})
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

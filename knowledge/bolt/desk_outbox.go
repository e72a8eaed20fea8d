package bolt

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
	bbolt "go.etcd.io/bbolt"
)

// outboxWrite is an outbox item encoded for storing.
type outboxWrite struct {
	id, doc []byte
	// dueKey and created are the item's key and value in the due bucket;
	// nil for a delivered item.
	dueKey, created []byte
}

func newOutboxWrite(it *banban.OutboxItem) (outboxWrite, error) {
	if err := checkKey(it.ID, "外发消息编号"); err != nil {
		return outboxWrite{}, err
	}
	doc, err := json.Marshal(it)
	if err != nil {
		return outboxWrite{}, banban.WrapError(banban.EINVALID, err, "外发消息 %s 无法保存", it.ID)
	}
	o := outboxWrite{id: []byte(it.ID), doc: doc}
	if it.Delivered.IsZero() {
		o.dueKey = dueKey(it.NextAt, it.ID)
		o.created = appendMicros(nil, it.Created.UnixMicro(), false)
	}
	return o, nil
}

func (o outboxWrite) put(d *desk) error {
	if err := putAll(entry{d.outbox, o.id, o.doc}); err != nil {
		return err
	}
	if o.dueKey == nil {
		return nil
	}
	return putAll(entry{d.due, o.dueKey, o.created})
}

// dueKey is an undelivered item's key in the due bucket: its next attempt
// time, then its id.
func dueKey(next time.Time, id string) []byte {
	return append(appendMicros(make([]byte, 0, 8+len(id)), next.UnixMicro(), false), id...)
}

func outboxExists(id string) error {
	return banban.Errorf(banban.ECONFLICT, "外发消息 %s 已存在", id)
}

// DueOutbox returns undelivered items whose NextAt is not after now, oldest
// first (ties by id), at most limit.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]banban.OutboxItem, error) {
	if err := s.deskStart(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, nil
	}
	var items []banban.OutboxItem
	err := s.deskView(func(tx *bbolt.Tx) error {
		d := openDesk(tx)
		refs := dueRefs(d.due, now)
		slices.SortFunc(refs, func(a, b dueRef) int {
			return cmp.Or(bytes.Compare(a.created, b.created), bytes.Compare(a.id, b.id))
		})
		for _, r := range refs[:min(limit, len(refs))] {
			it, err := readOutbox(d, r.id)
			if err != nil {
				return err
			}
			items = append(items, it)
		}
		return nil
	})
	return items, err
}

// dueRef is a due item's creation time (as appendMicros encodes it) and
// id, valid during the transaction.
type dueRef struct{ created, id []byte }

// dueRefs walks the due bucket up to now.
func dueRefs(due *bbolt.Bucket, now time.Time) []dueRef {
	end := appendMicros(nil, now.UnixMicro(), false)
	var refs []dueRef
	c := due.Cursor()
	for k, v := c.First(); k != nil && bytes.Compare(k[:8], end) <= 0; k, v = c.Next() {
		refs = append(refs, dueRef{created: v, id: k[8:]})
	}
	return refs
}

func readOutbox(d *desk, id []byte) (banban.OutboxItem, error) {
	var it banban.OutboxItem
	raw := d.outbox.Get(id)
	if raw == nil {
		return it, banban.Errorf(banban.ENOTFOUND, "找不到外发消息 %s", id)
	}
	if err := json.Unmarshal(raw, &it); err != nil {
		return it, fmt.Errorf("bolt: decode outbox item %q: %w", id, err)
	}
	deskrec.UTCTimes(&it.Created, &it.NextAt, &it.Delivered)
	return it, nil
}

// UpdateOutbox records a delivery attempt of an existing item: its
// Attempts, NextAt, LastError and Delivered; the rest stays as stored.
func (s *Store) UpdateOutbox(ctx context.Context, it banban.OutboxItem) error {
	if err := s.deskStart(ctx); err != nil {
		return err
	}
	var missing error
	err := s.deskBatch(func(tx *bbolt.Tx) error {
		d := openDesk(tx)
		old, err := readOutbox(d, []byte(it.ID))
		if missing = nil; banban.ErrorCode(err) == banban.ENOTFOUND {
			missing = err
			return nil
		}
		if err != nil {
			return err
		}
		if old.Delivered.IsZero() {
			if err := deleteAll(entry{b: d.due, k: dueKey(old.NextAt, old.ID)}); err != nil {
				return err
			}
		}
		old.Attempts, old.NextAt, old.LastError, old.Delivered = it.Attempts, it.NextAt, it.LastError, it.Delivered
		o, err := newOutboxWrite(&old)
		if err != nil {
			return err
		}
		return o.put(d)
	})
	if err != nil {
		return err
	}
	return missing
}

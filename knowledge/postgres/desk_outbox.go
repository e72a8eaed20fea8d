package postgres

import (
	"context"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
	"github.com/jackc/pgx/v5"
)

// outboxBatch queues the inserts of outbox items, for SaveConversation.
func outboxBatch(items []banban.OutboxItem) (*pgx.Batch, error) {
	b := &pgx.Batch{}
	for i := range items {
		it := &items[i]
		if err := checkKey(it.ID, "外发消息编号"); err != nil {
			return nil, err
		}
		doc, err := encodeDoc(it, "外发消息 "+it.ID)
		if err != nil {
			return nil, err
		}
		b.Queue(deskQuery("insert_outbox"), it.ID, it.Created, it.NextAt, nullTime(it.Delivered), doc)
	}
	return b, nil
}

// DueOutbox returns undelivered items whose NextAt is not after now, oldest
// first (ties by id), at most limit.
func (s *Store) DueOutbox(ctx context.Context, now time.Time, limit int) ([]banban.OutboxItem, error) {
	if limit <= 0 {
		return nil, s.start(ctx)
	}
	items, err := readDocs[banban.OutboxItem](ctx, s, "read due outbox items", deskQuery("due_outbox"), now, limit)
	for i := range items {
		it := &items[i]
		deskrec.UTCTimes(&it.Created, &it.NextAt, &it.Delivered)
	}
	return items, err
}

// deliveryFields are the fields of an outbox item's JSON that UpdateOutbox
// replaces, all of them always present so that a cleared one is cleared.
type deliveryFields struct {
	NextAt    time.Time `json:"next_at"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	Delivered time.Time `json:"delivered"`
}

// UpdateOutbox records a delivery attempt of an existing item: its
// Attempts, NextAt, LastError and Delivered; the rest stays as stored.
func (s *Store) UpdateOutbox(ctx context.Context, it banban.OutboxItem) error {
	patch, err := encodeDoc(deliveryFields{it.NextAt, it.Attempts, it.LastError, it.Delivered}, "外发消息 "+it.ID)
	if err != nil {
		return err
	}
	tag, err := s.exec(ctx, "update outbox item "+it.ID, deskQuery("update_outbox"), it.ID, it.NextAt, nullTime(it.Delivered), patch)
	if err == nil && tag.RowsAffected() == 0 {
		return banban.Errorf(banban.ENOTFOUND, "找不到外发消息 %s", it.ID)
	}
	return err
}

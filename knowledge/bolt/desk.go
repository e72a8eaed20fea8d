package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/banban-gov/banban"
	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var _ banban.DeskStore = (*Store)(nil)

// The help desk's buckets (banban.DeskStore). They sit beside the knowledge
// base's in the same file; Open adds any that are missing, so a file of the
// same format written before the desk existed opens as it is.
//
// A conversation's record is JSON under its id, without its messages,
// which have a bucket of their own (see desk_messages.go) and are written
// once each. Beside the record, a small binary one (convMeta) holds what
// queries filter on and what a save checks, so that neither decodes a
// conversation's JSON: under the id, and again in the order bucket under
// a key that sorts as Conversations returns them.
// Outbox items are JSON under their id; the undelivered ones also have a
// key in the due bucket that sorts by next attempt, so DueOutbox reads only
// the due ones.
var (
	bucketConvs     = []byte("desk/conversations") // id -> Conversation JSON without messages
	bucketConvMeta  = []byte("desk/conv-meta")     // id -> convMeta
	bucketConvOrder = []byte("desk/conv-order")    // orderKey -> convMeta
	bucketMessages  = []byte("desk/messages")      // msgKey -> message record (deskrec.EncodeMessage)
	bucketTickets   = []byte("desk/tickets")       // ticket -> conversation id
	bucketStaff     = []byte("desk/staff")         // username -> Staff JSON
	bucketTeams     = []byte("desk/teams")         // id -> Team JSON
	bucketSessions  = []byte("desk/sessions")      // id -> Session JSON
	bucketOutbox    = []byte("desk/outbox")        // id -> OutboxItem JSON
	bucketOutboxDue = []byte("desk/outbox-due")    // next attempt time, id -> creation time
	bucketCounters  = []byte("desk/counters")      // name -> uint64, big-endian

	deskBuckets = [][]byte{bucketConvs, bucketConvMeta, bucketConvOrder, bucketMessages, bucketTickets,
		bucketStaff, bucketTeams, bucketSessions, bucketOutbox, bucketOutboxDue, bucketCounters}
)

// deskBatchDelay is how long a desk write waits for others to share its
// commit (bbolt's MaxBatchDelay; the desk's writes are its only Batch
// callers). bbolt's default, 10 ms, is several commits on a disk whose
// fsync takes 0.5 to 4 ms: measured, 2 ms doubles the saves per second of
// 8 writers and keeps those of 200, and a lone writer's save waits 8 ms
// less.
const deskBatchDelay = 2 * time.Millisecond

// ensureDeskBuckets creates the desk buckets a file lacks and sets the
// desk's batch delay. Adding buckets keeps the file readable by the
// knowledge store as it was, so it needs no new format version.
func ensureDeskBuckets(db *bbolt.DB) error {
	db.MaxBatchDelay = deskBatchDelay
	missing := false
	err := db.View(func(tx *bbolt.Tx) error {
		for _, name := range deskBuckets {
			missing = missing || tx.Bucket(name) == nil
		}
		return nil
	})
	if err != nil || !missing {
		return err
	}
	return db.Update(func(tx *bbolt.Tx) error {
		for _, name := range deskBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %q: %w", name, err)
			}
		}
		return nil
	})
}

// errDeskClosed reports a desk call on a closed store.
func errDeskClosed() error {
	return banban.Errorf(banban.EUNAVAILABLE, "服务正在关闭，请稍后再试")
}

// deskStart checks what every desk call checks first: the context and the
// store.
func (s *Store) deskStart(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return errDeskClosed()
	}
	return nil
}

// deskView runs fn in a read transaction.
func (s *Store) deskView(fn func(*bbolt.Tx) error) error {
	return deskError(s.db.View(fn))
}

// deskBatch runs fn in a read-write transaction that bbolt may share with
// other callers', so that concurrent writers share one commit and its
// fsync: a help desk saves a conversation on every turn. bbolt may run fn
// more than once, so fn must start from the transaction alone; an outcome
// that is not a failure of the transaction (a version conflict, say) is
// recorded by fn, which then writes nothing and returns nil, lest it
// make bbolt roll back and rerun the other callers'.
func (s *Store) deskBatch(fn func(*bbolt.Tx) error) error {
	return deskError(s.db.Batch(fn))
}

func deskError(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return errDeskClosed()
	}
	return err
}

// checkKey refuses an empty id, which bbolt cannot store, with what names
// it for the error.
func checkKey(key, what string) error {
	if key == "" {
		return banban.Errorf(banban.EINVALID, "%s不能为空", what)
	}
	return nil
}

// appendMicros appends a time in microseconds since 1970 (the precision
// PostgreSQL keeps) as 8 bytes that sort as the times do: sign bit flipped,
// big-endian. With desc set, later times sort first.
func appendMicros(b []byte, us int64, desc bool) []byte {
	u := uint64(us) ^ 1<<63
	if desc {
		u = ^u
	}
	return binary.BigEndian.AppendUint64(b, u)
}

package bolt

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/banban-gov/banban"
	bbolt "go.etcd.io/bbolt"
)

// defaultQueryLimit caps Conversations when the query sets no limit.
const defaultQueryLimit = 200

// Conversations returns the conversations q selects: waiting ones oldest
// handoff first, then the rest most recently updated first, ties by id.
// It walks the order bucket one state at a time, each already in that
// order, so a queue query reads only the queue.
func (s *Store) Conversations(ctx context.Context, q banban.ConversationQuery) ([]banban.Conversation, error) {
	if err := s.deskStart(ctx); err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultQueryLimit
	}
	var out []banban.Conversation
	err := s.deskView(func(tx *bbolt.Tx) error {
		d := openDesk(tx)
		var hits []orderHit
		for _, state := range queryStates(d.order, q.States) {
			h, err := scanState(d.order, state, &q, limit)
			if err != nil {
				return err
			}
			hits = append(hits, h...)
		}
		slices.SortFunc(hits, compareHits)
		cur := d.msgs.Cursor()
		for _, h := range hits[:min(limit, len(hits))] {
			c, err := readConversation(d, cur, h.id)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// orderHit is a selected conversation: whether it waits, and the rest of
// its order key after the state, the sort time then the id, valid during
// the transaction.
type orderHit struct {
	waiting bool
	key, id []byte
}

// compareHits orders waiting conversations first, then by sort time and
// id, which is the order Conversations promises.
func compareHits(a, b orderHit) int {
	if a.waiting != b.waiting {
		if a.waiting {
			return -1
		}
		return 1
	}
	return bytes.Compare(a.key, b.key)
}

// queryStates returns the states to walk: the query's, the zero state
// read as StateBot, without repeats; or, for none, every state stored.
func queryStates(order *bbolt.Bucket, states []banban.ConvState) []string {
	var out []string
	for _, st := range states {
		if st == "" {
			st = banban.StateBot
		}
		if !slices.Contains(out, string(st)) {
			out = append(out, string(st))
		}
	}
	if len(states) > 0 {
		return out
	}
	c := order.Cursor()
	for k, _ := c.First(); k != nil; {
		st, _, _ := bytes.Cut(k, []byte{0})
		out = append(out, string(st))
		k, _ = c.Seek(append([]byte(string(st)), 1)) // past the state's keys; k is read-only
	}
	return out
}

// scanState returns up to limit conversations of one state that pass q,
// in order. Conversations not waiting are ordered by update, newest first,
// so an UpdatedBefore query starts at the first one old enough.
func scanState(order *bbolt.Bucket, state string, q *banban.ConversationQuery, limit int) ([]orderHit, error) {
	prefix := append([]byte(state), 0)
	start := prefix
	waiting := state == string(banban.StateWaiting)
	before := q.UpdatedBefore.UnixMicro()
	if !waiting && !q.UpdatedBefore.IsZero() {
		start = appendMicros(bytes.Clone(prefix), before-1, true)
	}
	var hits []orderHit
	c := order.Cursor()
	for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix) && len(hits) < limit; k, v = c.Next() {
		m, err := decodeMeta(v)
		if err != nil {
			return nil, fmt.Errorf("bolt: decode conversation record %q: %w", k, err)
		}
		if !q.UpdatedBefore.IsZero() && m.updated >= before || !matches(&m, q) {
			continue
		}
		rest := k[len(prefix):]
		hits = append(hits, orderHit{waiting: waiting, key: rest, id: rest[8:]})
	}
	return hits, nil
}

func matches(m *convMeta, q *banban.ConversationQuery) bool {
	for _, f := range [][2]string{{q.Team, m.team}, {q.Assignee, m.assignee}, {q.Channel, m.channel}, {q.Citizen, m.citizen}} {
		if f[0] != "" && f[0] != f[1] {
			return false
		}
	}
	return true
}

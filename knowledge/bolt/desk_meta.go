package bolt

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/banban-gov/banban"
	bbolt "go.etcd.io/bbolt"
)

// convMeta is what a save checks of a stored conversation and what a query
// filters on, kept apart from the conversation's JSON.
type convMeta struct {
	version int64
	// requested and updated are microseconds since 1970: the handoff's
	// request time (0001-01-01 without a handoff) and the last update.
	requested, updated int64
	// state is the current state, the zero value read as StateBot.
	state, ticket, team, assignee, channel, citizen string
}

func metaOf(c *banban.Conversation, version int64) convMeta {
	m := convMeta{version: version, requested: time.Time{}.UnixMicro(), updated: c.Updated.UnixMicro(),
		state: string(c.CurrentState()), team: c.Team, assignee: c.Assignee, channel: c.Channel, citizen: c.Citizen}
	if h := c.Handoff; h != nil {
		m.requested, m.ticket = h.RequestedAt.UnixMicro(), h.Ticket
	}
	return m
}

// encode encodes m: version and the two times as varints, then the
// strings, each a uvarint length and its bytes.
func (m *convMeta) encode() []byte {
	b := make([]byte, 0, 3*binary.MaxVarintLen64+6+len(m.state)+len(m.ticket)+len(m.team)+
		len(m.assignee)+len(m.channel)+len(m.citizen))
	b = binary.AppendVarint(b, m.version)
	b = binary.AppendVarint(b, m.requested)
	b = binary.AppendVarint(b, m.updated)
	for _, s := range []string{m.state, m.ticket, m.team, m.assignee, m.channel, m.citizen} {
		b = appendField(b, []byte(s))
	}
	return b
}

var errBadMeta = errors.New("malformed conversation record")

func decodeMeta(b []byte) (convMeta, error) {
	var m convMeta
	for _, v := range []*int64{&m.version, &m.requested, &m.updated} {
		n, w := binary.Varint(b)
		if w <= 0 {
			return m, errBadMeta
		}
		*v, b = n, b[w:]
	}
	for _, s := range []*string{&m.state, &m.ticket, &m.team, &m.assignee, &m.channel, &m.citizen} {
		f, rest, err := nextField(b)
		if err != nil {
			return m, errBadMeta
		}
		*s, b = string(f), rest
	}
	return m, nil
}

// orderKey is the conversation's key in the order bucket: the state, a zero
// byte, then for a waiting conversation its request time, for any other
// its update time reversed, then the id. Walking one state's keys in order
// lists its conversations as Conversations returns them.
func (m *convMeta) orderKey(id string) []byte {
	k := make([]byte, 0, len(m.state)+9+len(id))
	k = append(k, m.state...)
	k = append(k, 0)
	k = m.appendSortTime(k)
	return append(k, id...)
}

func (m *convMeta) appendSortTime(k []byte) []byte {
	if m.state == string(banban.StateWaiting) {
		return appendMicros(k, m.requested, false)
	}
	return appendMicros(k, m.updated, true)
}

// desk holds the desk buckets of one transaction.
type desk struct {
	convs, meta, order, tickets, staff, teams, sessions, outbox, due, counters *bbolt.Bucket
}

func openDesk(tx *bbolt.Tx) *desk {
	return &desk{
		convs: tx.Bucket(bucketConvs), meta: tx.Bucket(bucketConvMeta), order: tx.Bucket(bucketConvOrder),
		tickets: tx.Bucket(bucketTickets), staff: tx.Bucket(bucketStaff), teams: tx.Bucket(bucketTeams),
		sessions: tx.Bucket(bucketSessions), outbox: tx.Bucket(bucketOutbox), due: tx.Bucket(bucketOutboxDue),
		counters: tx.Bucket(bucketCounters),
	}
}

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
	// messages is how many messages are stored, lastSeq the Seq of the
	// last one (0 without messages): what a save checks that it appends.
	messages, lastSeq int64
	// requested and updated are microseconds since 1970: the handoff's
	// request time (0001-01-01 without a handoff) and the last update.
	requested, updated int64
	// state is the current state, the zero value read as StateBot.
	state, ticket, team, assignee, channel, citizen string
}

func metaOf(c *banban.Conversation, version int64) convMeta {
	m := convMeta{version: version, messages: int64(len(c.Messages)), requested: time.Time{}.UnixMicro(),
		updated: c.Updated.UnixMicro(), state: string(c.CurrentState()), team: c.Team, assignee: c.Assignee,
		channel: c.Channel, citizen: c.Citizen}
	if n := len(c.Messages); n > 0 {
		m.lastSeq = int64(c.Messages[n-1].Seq)
	}
	if h := c.Handoff; h != nil {
		m.requested, m.ticket = h.RequestedAt.UnixMicro(), h.Ticket
	}
	return m
}

// encode encodes m: the numbers as varints, then the strings, each a
// uvarint length and its bytes.
func (m *convMeta) encode() []byte {
	nums := m.numbers()
	b := make([]byte, 0, len(nums)*binary.MaxVarintLen64+6+len(m.state)+len(m.ticket)+len(m.team)+
		len(m.assignee)+len(m.channel)+len(m.citizen))
	for _, v := range nums {
		b = binary.AppendVarint(b, *v)
	}
	for _, s := range []string{m.state, m.ticket, m.team, m.assignee, m.channel, m.citizen} {
		b = appendField(b, []byte(s))
	}
	return b
}

var errBadMeta = errors.New("malformed conversation record")

func decodeMeta(b []byte) (convMeta, error) {
	var m convMeta
	for _, v := range m.numbers() {
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

// numbers are the fields of m that encode writes as varints, in order.
func (m *convMeta) numbers() []*int64 {
	return []*int64{&m.version, &m.messages, &m.lastSeq, &m.requested, &m.updated}
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
	convs, meta, order, msgs, tickets, staff, teams, sessions, outbox, due, counters *bbolt.Bucket
}

func openDesk(tx *bbolt.Tx) *desk {
	return &desk{
		convs: tx.Bucket(bucketConvs), meta: tx.Bucket(bucketConvMeta), order: tx.Bucket(bucketConvOrder),
		msgs:    tx.Bucket(bucketMessages),
		tickets: tx.Bucket(bucketTickets), staff: tx.Bucket(bucketStaff), teams: tx.Bucket(bucketTeams),
		sessions: tx.Bucket(bucketSessions), outbox: tx.Bucket(bucketOutbox), due: tx.Bucket(bucketOutboxDue),
		counters: tx.Bucket(bucketCounters),
	}
}

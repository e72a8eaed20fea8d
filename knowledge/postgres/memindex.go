package postgres

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
)

// Keyword search scores from an index in memory, in each process that
// searches: for every term, the chunks holding it with its frequency, and
// for every chunk its length and what filters look at. A search for common
// terms must weigh every chunk holding one of them, tens of thousands at
// 100,000 chunks: a loop over arrays in memory does that in a few
// milliseconds, where fetching them from the database (even cut down by the
// score tiers of plan.go) takes tens.
//
// The index is a copy of chunk_terms at one version of the store, named by
// a genKey. A search reads the version of its snapshot with the corpus
// statistics, and scores from memory only when the index is of exactly that
// version: its results are then those of the database path, which the
// search takes otherwise (and while the index is first read). An index
// behind the snapshot is brought up to it first, by reading again the
// chunks of the documents changed since (doc_changes, see the migration),
// which after one import batch takes milliseconds; one too far behind is
// read again whole. Replaced and deleted chunks leave dead slots behind,
// dropped when they outnumber the live ones.

// memLogGenerations is how many generations of changed documents writers
// keep in doc_changes.
const memLogGenerations = 1000

// memMaxDelta is the most changed documents an index is brought up to date
// by; past it the index is read again whole.
const memMaxDelta = 5000

// genKey names a version of a store: the oid of its corpus_stats table
// (a schema dropped and made again starts over with a new one) and the
// generation of its last write.
type genKey struct {
	table, gen int64
}

// memIndex is the keyword index of one version of the store. Searches hold
// mu for reading while they score; bringing it up to date holds it for
// writing.
type memIndex struct {
	mu       sync.RWMutex
	key      genKey
	termIDs  map[string]int32
	postings [][]memPosting // by term id
	slots    []memSlot
	metas    []memMeta // interned: the chunks of a document mostly share one
	metaIDs  map[memMeta]int32
	docs     map[string][]int32 // the slots of each document
	dead     int
}

type memPosting struct {
	slot int32
	tf   int32
}

// memSlot is a chunk; meta is -1 once the chunk is replaced or deleted.
type memSlot struct {
	meta   int32
	pos    int32
	length int32
}

// memMeta is what the filters of a search look at, as chunk_terms holds
// it: times are PostgreSQL's microseconds since 2000, so that they compare
// with a filter's time as the database compares them.
type memMeta struct {
	docID, kind, region, department string
	effective, validUntil           int64
	hasEffective, hasValidUntil     bool
}

func newMemIndex(key genKey) *memIndex {
	return &memIndex{key: key, termIDs: make(map[string]int32), metaIDs: make(map[memMeta]int32),
		docs: make(map[string][]int32)}
}

// live counts the chunks the index holds.
func (x *memIndex) live() int { return len(x.slots) - x.dead }

// memRow is a row of memindex_all in binary format: doc_id, pos, kind,
// region, department, effective, valid_until, length, tsv.
type memRow [][]byte

// add puts a chunk_terms row into the index.
func (x *memIndex) add(r memRow) error {
	if len(r) != 9 || len(r[1]) != 4 || len(r[7]) != 4 || !timeOK(r[5]) || !timeOK(r[6]) {
		return errBadRow
	}
	m := memMeta{docID: string(r[0]), kind: string(r[2]), region: string(r[3]), department: string(r[4])}
	m.effective, m.hasEffective = pgTime(r[5])
	m.validUntil, m.hasValidUntil = pgTime(r[6])
	slot := int32(len(x.slots))
	x.slots = append(x.slots, memSlot{meta: x.intern(m), pos: int32(binary.BigEndian.Uint32(r[1])),
		length: int32(binary.BigEndian.Uint32(r[7]))})
	x.docs[m.docID] = append(x.docs[m.docID], slot)
	return eachLexeme(r[8], func(word []byte, tf int) {
		id, ok := x.termIDs[string(word)]
		if !ok {
			id = int32(len(x.postings))
			x.termIDs[string(word)] = id
			x.postings = append(x.postings, nil)
		}
		x.postings[id] = append(x.postings[id], memPosting{slot: slot, tf: int32(tf)})
	})
}

func (x *memIndex) intern(m memMeta) int32 {
	id, ok := x.metaIDs[m]
	if !ok {
		id = int32(len(x.metas))
		x.metas = append(x.metas, m)
		x.metaIDs[m] = id
	}
	return id
}

// timeOK reports whether a timestamptz value is NULL or 8 bytes.
func timeOK(b []byte) bool { return b == nil || len(b) == 8 }

// pgTime decodes a binary timestamptz; ok is false for NULL.
func pgTime(b []byte) (int64, bool) {
	if b == nil {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(b)), true
}

// remove marks the chunks of the documents dead.
func (x *memIndex) remove(docIDs []string) {
	for _, id := range docIDs {
		for _, s := range x.docs[id] {
			x.slots[s].meta = -1
			x.dead++
		}
		delete(x.docs, id)
	}
}

// compact drops the dead slots once they outnumber the live ones.
func (x *memIndex) compact() {
	if x.dead <= x.live() {
		return
	}
	renum := make([]int32, len(x.slots))
	fresh := newMemIndex(x.key)
	for s, sl := range x.slots {
		renum[s] = -1
		if sl.meta < 0 {
			continue
		}
		renum[s] = int32(len(fresh.slots))
		m := x.metas[sl.meta]
		fresh.slots = append(fresh.slots, memSlot{meta: fresh.intern(m), pos: sl.pos, length: sl.length})
		fresh.docs[m.docID] = append(fresh.docs[m.docID], renum[s])
	}
	for term, id := range x.termIDs {
		var ps []memPosting
		for _, p := range x.postings[id] {
			if n := renum[p.slot]; n >= 0 {
				ps = append(ps, memPosting{slot: n, tf: p.tf})
			}
		}
		if len(ps) > 0 {
			fresh.termIDs[term] = int32(len(fresh.postings))
			fresh.postings = append(fresh.postings, ps)
		}
	}
	x.termIDs, x.postings, x.slots, x.metas = fresh.termIDs, fresh.postings, fresh.slots, fresh.metas
	x.metaIDs, x.docs, x.dead = fresh.metaIDs, fresh.docs, 0
}

// memCache is a store's in-memory keyword index and what brings it up to
// date.
type memCache struct {
	idx     atomic.Pointer[memIndex] // nil until first read
	refresh sync.Mutex               // one search brings it up to date at a time
	loading atomic.Bool              // a search is reading it whole
	scratch sync.Pool                // of *memScratch
}

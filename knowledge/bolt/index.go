package bolt

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/banban-gov/banban"
)

// index is the in-memory search index, rebuilt from the file at Open.
// Chunks live in slots: slot i's unit vector is vecs[i*dim:(i+1)*dim], and
// postings name slots. Replacing or deleting a document tombstones its
// slots (group -1) instead of moving the others; compaction drops the dead
// slots once they are more than a quarter of all.
type index struct {
	dim      int
	vecs     []float32
	slots    []slot
	groups   []chunkMeta // filterable metadata, shared by a document's chunks
	termIDs  map[string]int32
	postings [][]posting // by term id
	docs     map[string]*docState
	live     int   // live slots
	totalLen int64 // sum of live slots' lengths, for BM25's average
}

type slot struct {
	group  int32 // index into groups; -1 for a dead slot
	pos    int32 // position of the chunk in its document, for its file key
	length int32 // number of terms, BM25's document length
}

type posting struct {
	slot int32
	tf   int32
}

type docState struct {
	meta  chunkMeta // the document's own metadata, for MatchNames
	names []string
	slots []int32
}

// chunkMeta is the part of a chunk that filters look at, and the
// generation of its file key.
type chunkMeta struct {
	docID      string
	gen        uint64
	kind       banban.Kind
	region     string
	department string
	effective  time.Time
	expires    time.Time
}

func (m *chunkMeta) equal(o *chunkMeta) bool {
	return m.docID == o.docID && m.gen == o.gen && m.kind == o.kind && m.region == o.region && m.department == o.department &&
		m.effective.Equal(o.effective) && m.expires.Equal(o.expires)
}

// match applies f through banban.Filter.Match, so every store filters alike.
func (m *chunkMeta) match(f *banban.Filter) bool {
	c := banban.Chunk{DocID: m.docID, Kind: m.kind, Region: m.region, Department: m.department,
		Effective: m.effective, Expires: m.expires}
	return f.Match(&c)
}

func metaOfChunk(c *banban.Chunk) chunkMeta {
	return chunkMeta{docID: c.DocID, kind: c.Kind, region: c.Region, department: c.Department,
		effective: c.Effective, expires: c.Expires}
}

func metaOfDoc(d *banban.Document) chunkMeta {
	return chunkMeta{docID: d.ID, kind: d.Kind, region: d.Region, department: d.Department,
		effective: d.Effective, expires: d.Expires}
}

func newIndex() *index {
	return &index{termIDs: make(map[string]int32), docs: make(map[string]*docState)}
}

// docUpdate is a document made ready for the index before the writer takes
// the lock, so that the lock is held only to link it in.
type docUpdate struct {
	id     string
	meta   chunkMeta
	names  []string
	groups []chunkMeta
	chunks []chunkUpdate
}

type chunkUpdate struct {
	group  int32 // index into docUpdate.groups
	vec    []float32
	terms  []termFreq
	length int32
}

type termFreq struct {
	term string
	id   int32 // term id, or -1 when not resolved
	tf   int32
}

// setGen records the generation the document's chunks are stored under.
func (u *docUpdate) setGen(gen uint64) {
	for i := range u.groups {
		u.groups[i].gen = gen
	}
}

// resolve looks up the ids of terms the index knows already, so that the
// writer holds the lock for less time. Only the writer changes termIDs, so
// it may read the map while searches read it too.
func (x *index) resolve(u *docUpdate) {
	for i := range u.chunks {
		for j := range u.chunks[i].terms {
			t := &u.chunks[i].terms[j]
			if id, ok := x.termIDs[t.term]; ok {
				t.id = id
			}
		}
	}
}

// groupOf returns the index of m in u.groups, adding it if new.
func (u *docUpdate) groupOf(m chunkMeta) int32 {
	for i := range u.groups {
		if u.groups[i].equal(&m) {
			return int32(i)
		}
	}
	u.groups = append(u.groups, m)
	return int32(len(u.groups) - 1)
}

// unit returns a copy of v scaled to length one, so that cosine similarity
// is a dot product.
func unit(v []float32) []float32 {
	out := slices.Clone(v)
	normalize(out)
	return out
}

// normalize scales v to length one in place. A zero vector stays zero and
// scores 0 against every query.
func normalize(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return
	}
	inv := 1 / math.Sqrt(sum)
	for i, x := range v {
		v[i] = float32(float64(x) * inv)
	}
}

// termFreqs counts the non-empty terms of a chunk.
func termFreqs(terms []string) ([]termFreq, int32) {
	sorted := slices.Clone(terms)
	slices.Sort(sorted)
	var out []termFreq
	var n int32
	for _, t := range sorted {
		if t == "" {
			continue
		}
		n++
		if len(out) > 0 && out[len(out)-1].term == t {
			out[len(out)-1].tf++
			continue
		}
		out = append(out, termFreq{term: strings.Clone(t), id: -1, tf: 1})
	}
	return out, n
}

func (x *index) termID(term string) int32 {
	id, ok := x.termIDs[term]
	if !ok {
		id = int32(len(x.postings))
		x.termIDs[term] = id
		x.postings = append(x.postings, nil)
	}
	return id
}

// remove tombstones a document's slots.
func (x *index) remove(id string) {
	d, ok := x.docs[id]
	if !ok {
		return
	}
	for _, s := range d.slots {
		x.totalLen -= int64(x.slots[s].length)
		x.slots[s].group = -1
	}
	x.live -= len(d.slots)
	delete(x.docs, id)
}

// add links a prepared document in, replacing any earlier version.
func (x *index) add(u *docUpdate) {
	x.remove(u.id)
	if len(u.chunks) > 0 && len(u.chunks[0].vec) != x.dim {
		// Put only allows a new dimension when no live chunk has the old one.
		*x = *x.compacted()
		x.dim = len(u.chunks[0].vec)
	}
	base := int32(len(x.groups))
	x.groups = append(x.groups, u.groups...)
	d := &docState{meta: u.meta, names: u.names, slots: make([]int32, len(u.chunks))}
	for pos := range u.chunks {
		c := &u.chunks[pos]
		s := int32(len(x.slots))
		x.slots = append(x.slots, slot{group: base + c.group, pos: int32(pos), length: c.length})
		x.vecs = append(x.vecs, c.vec...)
		for _, t := range c.terms {
			id := t.id
			if id < 0 {
				id = x.termID(t.term)
			}
			x.postings[id] = append(x.postings[id], posting{slot: s, tf: t.tf})
		}
		d.slots[pos] = s
		x.totalLen += int64(c.length)
	}
	x.live += len(u.chunks)
	x.docs[u.id] = d
}

// grownSlab returns a copy of the vector slab with room for extra more
// vectors of dimension dim, or nil when the slab has room or changes
// dimension. The writer copies before taking the lock, so that readers do
// not wait for a copy of the whole slab.
func (x *index) grownSlab(extra, dim int) []float32 {
	need := len(x.vecs) + extra*dim
	if dim != x.dim || need <= cap(x.vecs) {
		return nil
	}
	slab := make([]float32, len(x.vecs), need+need/4)
	copy(slab, x.vecs)
	return slab
}

func (x *index) needsCompaction() bool {
	return (len(x.slots)-x.live)*4 > len(x.slots)
}

// compacted returns a copy of x without dead slots, unused groups and
// terms that no live slot has.
func (x *index) compacted() *index {
	n := newIndex()
	n.dim, n.live, n.totalLen = x.dim, x.live, x.totalLen
	n.vecs = make([]float32, 0, x.live*x.dim)
	n.slots = make([]slot, 0, x.live)
	remap := make([]int32, len(x.slots))
	groups := make([]int32, len(x.groups))
	for i := range groups {
		groups[i] = -1
	}
	for i, s := range x.slots {
		remap[i] = -1
		if s.group < 0 {
			continue
		}
		if groups[s.group] < 0 {
			groups[s.group] = int32(len(n.groups))
			n.groups = append(n.groups, x.groups[s.group])
		}
		remap[i] = int32(len(n.slots))
		n.slots = append(n.slots, slot{group: groups[s.group], pos: s.pos, length: s.length})
		n.vecs = append(n.vecs, x.vecs[i*x.dim:(i+1)*x.dim]...)
	}
	for term, id := range x.termIDs {
		if ps := remapPostings(x.postings[id], remap); ps != nil {
			n.termIDs[term] = int32(len(n.postings))
			n.postings = append(n.postings, ps)
		}
	}
	for id, d := range x.docs {
		slots := make([]int32, len(d.slots))
		for j, s := range d.slots {
			slots[j] = remap[s]
		}
		n.docs[id] = &docState{meta: d.meta, names: d.names, slots: slots}
	}
	return n
}

// remapPostings keeps the postings of live slots under their new numbers,
// nil when none is left. The new slice has an eighth spare, so that the
// next imports do not reallocate every posting list under the lock.
func remapPostings(ps []posting, remap []int32) []posting {
	live := 0
	for _, p := range ps {
		if remap[p.slot] >= 0 {
			live++
		}
	}
	if live == 0 {
		return nil
	}
	out := make([]posting, 0, live+live/8)
	for _, p := range ps {
		if r := remap[p.slot]; r >= 0 {
			out = append(out, posting{slot: r, tf: p.tf})
		}
	}
	return out
}

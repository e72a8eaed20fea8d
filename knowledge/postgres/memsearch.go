package postgres

import (
	"cmp"
	"context"
	"slices"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

// search ranks the chunks from memory, bringing the index up to the
// version of the transaction's snapshot first. ok is false when the index
// cannot be of that version now (it is being read whole, or is already of
// a later one): the caller then asks the database.
func (c *memCache) search(ctx context.Context, tx querier, ks *keywordSearch, k int, f banban.Filter) ([]scored, bool, error) {
	if top, ok := c.score(ks, k, f); ok {
		return top, true, nil
	}
	if err := c.catchUp(ctx, tx, ks.key); err != nil {
		return nil, false, err
	}
	top, ok := c.score(ks, k, f)
	return top, ok, nil
}

// score ranks from memory if the index is of the version ks was read at.
func (c *memCache) score(ks *keywordSearch, k int, f banban.Filter) ([]scored, bool) {
	x := c.idx.Load()
	if x == nil {
		return nil, false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.key != ks.key {
		return nil, false
	}
	sc, _ := c.scratch.Get().(*memScratch)
	if sc == nil {
		sc = &memScratch{}
	}
	defer c.scratch.Put(sc)
	trace("memory")
	return x.rank(ks, k, f, sc), true
}

// catchUp brings the index to the version key, reading in tx, unless a
// search is reading it whole or it is of a later version already.
func (c *memCache) catchUp(ctx context.Context, tx querier, key genKey) error {
	if c.loading.Load() {
		return nil
	}
	c.refresh.Lock()
	defer c.refresh.Unlock()
	x := c.idx.Load()
	if x != nil {
		x.mu.RLock()
		have := x.key
		x.mu.RUnlock()
		switch {
		case have == key, have.table == key.table && have.gen > key.gen:
			return nil
		case have.table == key.table && key.gen-have.gen <= memLogGenerations:
			done, err := x.update(ctx, tx, key)
			if done || err != nil {
				return err
			}
		}
	}
	c.loading.Store(true)
	defer c.loading.Store(false)
	fresh := newMemIndex(key)
	if err := fresh.read(ctx, tx, query("memindex_all")); err != nil {
		return err
	}
	c.idx.Store(fresh)
	return nil
}

// update brings the index to the version key by reading again the
// documents changed since its own; done is false when they are too many.
func (x *memIndex) update(ctx context.Context, tx querier, key genKey) (done bool, err error) {
	ids, ok, err := changedSince(ctx, tx, x.key.gen)
	if !ok || err != nil {
		return false, err
	}
	var changed []memRow
	rows, _ := tx.Query(ctx, query("memindex_docs"), ids)
	if err := collectMemRows(rows, func(r memRow) error {
		changed = append(changed, cloneRow(r))
		return nil
	}); err != nil {
		return false, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(ids)
	for _, r := range changed {
		if err := x.add(r); err != nil {
			// Half applied: start again from nothing.
			x.key = genKey{}
			return false, err
		}
	}
	x.key = key
	x.compact()
	return true, nil
}

// changedSince returns the documents changed after generation gen, read in
// tx; ok is false when they are more than memMaxDelta, too many to bring a
// copy in memory up to date by.
func changedSince(ctx context.Context, tx querier, gen int64) (ids []string, ok bool, err error) {
	rows, _ := tx.Query(ctx, query("memindex_changes"), gen)
	ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(ids) > memMaxDelta {
		return nil, false, err
	}
	return ids, true, nil
}

// read fills an empty index with the rows of sql.
func (x *memIndex) read(ctx context.Context, tx querier, sql string, args ...any) error {
	rows, _ := tx.Query(ctx, sql, args...)
	return collectMemRows(rows, x.add)
}

// collectMemRows calls fn with each row, checking that each column is in
// the binary format add decodes (text reads the same in both).
func collectMemRows(rows pgx.Rows, fn func(memRow) error) error {
	defer rows.Close()
	for i, fd := range rows.FieldDescriptions() {
		if fd.Format != pgx.BinaryFormatCode && !slices.Contains([]int{0, 2, 3, 4}, i) {
			return errBadRow
		}
	}
	for rows.Next() {
		if err := fn(rows.RawValues()); err != nil {
			return err
		}
	}
	return rows.Err()
}

// cloneRow copies a row out of the connection's buffer.
func cloneRow(r memRow) memRow {
	out := make(memRow, len(r))
	for i, v := range r {
		if v != nil {
			out[i] = slices.Clone(v)
		}
	}
	return out
}

// memScratch is the working memory of one search, reused.
type memScratch struct {
	scores  []float64
	touched []int32
	pass    []bool
}

// rank sums the BM25 weights of ks's terms in each chunk passing f, term
// by term in query order as the embedded store does (the same arithmetic
// as keywordSearch.candidate), and returns the best k.
func (x *memIndex) rank(ks *keywordSearch, k int, f banban.Filter, sc *memScratch) []scored {
	if len(sc.scores) < len(x.slots) {
		sc.scores = make([]float64, len(x.slots)+len(x.slots)/4)
	}
	pass := x.passing(f, sc)
	lenNorm := bm25K1 * bm25B / ks.avg
	for i := range ks.terms {
		t := &ks.terms[i]
		id, ok := x.termIDs[t.lex]
		if !ok {
			continue
		}
		for _, p := range x.postings[id] {
			sl := x.slots[p.slot]
			if sl.meta < 0 || pass != nil && !pass[sl.meta] {
				continue
			}
			if sc.scores[p.slot] == 0 {
				sc.touched = append(sc.touched, p.slot)
			}
			sc.scores[p.slot] += bm25Weight(t.idf, int(p.tf), float64(sl.length), lenNorm)
		}
	}
	top := newTopK(k)
	for _, s := range sc.touched {
		if score := sc.scores[s]; top.admits(score) {
			sl := x.slots[s]
			top.push(scored{docID: x.metas[sl.meta].docID, pos: int(sl.pos), score: score})
		}
		sc.scores[s] = 0
	}
	sc.touched = sc.touched[:0]
	return top.sorted()
}

// passing returns, for each interned metadata, whether f lets it through;
// nil when f lets everything through.
func (x *memIndex) passing(f banban.Filter, sc *memScratch) []bool {
	if noFilter(f) {
		return nil
	}
	if cap(sc.pass) < len(x.metas) {
		sc.pass = make([]bool, len(x.metas)+len(x.metas)/4)
	}
	sc.pass = sc.pass[:len(x.metas)]
	mf := newMemFilter(f)
	for i := range x.metas {
		sc.pass[i] = mf.match(&x.metas[i])
	}
	return sc.pass
}

// memFilter is a filter with its time as the database compares it.
type memFilter struct {
	f    banban.Filter
	docs map[string]bool
	at   int64
}

func newMemFilter(f banban.Filter) memFilter {
	mf := memFilter{f: f, at: pgMicros(f)}
	if len(f.DocIDs) > 0 {
		mf.docs = make(map[string]bool, len(f.DocIDs))
		for _, id := range f.DocIDs {
			mf.docs[id] = true
		}
	}
	return mf
}

// pgMicros is f.At as pgx sends a timestamptz: microseconds since 2000,
// the nanoseconds cut off.
func pgMicros(f banban.Filter) int64 {
	const unixToY2K = 946684800 * 1_000_000
	return f.At.Unix()*1_000_000 + int64(f.At.Nanosecond())/1000 - unixToY2K
}

// match is the condition withFilter writes, on a chunk's metadata.
func (mf *memFilter) match(m *memMeta) bool {
	f := &mf.f
	switch {
	case len(f.Kinds) > 0 && !slices.Contains(f.Kinds, banban.Kind(m.kind)),
		f.Region != "" && m.region != f.Region,
		f.Department != "" && m.department != f.Department,
		mf.docs != nil && !mf.docs[m.docID]:
		return false
	case f.At.IsZero():
		return true
	}
	return (!m.hasEffective || m.effective <= mf.at) && (!m.hasValidUntil || m.validUntil > mf.at)
}

// topK keeps the best k of the chunks pushed: a heap whose root is the
// worst kept.
type topK struct {
	k int
	h []scored
}

func newTopK(k int) *topK { return &topK{k: k, h: make([]scored, 0, min(k, 1024))} }

// worse orders chunks as results are ranked, reversed: lower score, then
// later document id, then later position.
func worse(a, b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	if a.docID != b.docID {
		return a.docID > b.docID
	}
	return a.pos > b.pos
}

// admits reports whether a chunk of this score may enter.
func (t *topK) admits(score float64) bool { return len(t.h) < t.k || score >= t.h[0].score }

func (t *topK) push(s scored) {
	if len(t.h) < t.k {
		t.h = append(t.h, s)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !worse(t.h[i], t.h[p]) {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	if !worse(t.h[0], s) {
		return
	}
	t.h[0] = s
	for i := 0; ; {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(t.h) && worse(t.h[l], t.h[w]) {
			w = l
		}
		if r < len(t.h) && worse(t.h[r], t.h[w]) {
			w = r
		}
		if w == i {
			return
		}
		t.h[i], t.h[w] = t.h[w], t.h[i]
		i = w
	}
}

// sorted returns the chunks kept, best first.
func (t *topK) sorted() []scored {
	slices.SortFunc(t.h, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.docID, b.docID); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	return t.h
}

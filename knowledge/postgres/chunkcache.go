package postgres

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// A store small enough to scan (see Options.ExactScanLimit) is also kept
// whole in memory, in each process that searches it: every chunk decoded,
// with its unit vector. A vector search then ranks every chunk in memory,
// exactly as the embedded store does, instead of having the database
// compute a distance for each of them and send back rows to decode; under
// the web chat load benchmark that scan was two thirds of the database's
// work. Keyword searches take their hits from it too instead of reading
// them again.
//
// Like the keyword index (memindex.go), the copy is of one version of the
// store, a genKey, and is brought up to date by reading again the
// documents changed since (doc_changes). A copy is never changed once made,
// only replaced, so searches read it without a lock.

// chunkCache holds the current copy; refresh lets one search at a time
// make a new one.
type chunkCache struct {
	refresh sync.Mutex
	set     atomic.Pointer[chunkSet]
}

// chunkSet is every chunk of one version of a store.
type chunkSet struct {
	key    genKey
	chunks []cachedChunk // in document id and position order
	at     map[chunkKey]int32
}

type chunkKey struct {
	docID string
	pos   int
}

type cachedChunk struct {
	chunk banban.Chunk // with its vector
	unit  []float32
	pos   int
}

// covers reports whether the copy is of version key or a later one.
func (cs *chunkSet) covers(key genKey) bool {
	return cs != nil && cs.key.table == key.table && cs.key.gen >= key.gen
}

// current returns a copy of version key or later, making one if needed.
func (c *chunkCache) current(ctx context.Context, pool *pgxpool.Pool, key genKey) (*chunkSet, error) {
	if cs := c.set.Load(); cs.covers(key) {
		return cs, nil
	}
	c.refresh.Lock()
	defer c.refresh.Unlock()
	if cs := c.set.Load(); cs.covers(key) {
		return cs, nil
	}
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	var now genKey
	var n int64
	if err := tx.QueryRow(ctx, query("cache_key")).Scan(&now.table, &now.gen, &n); err != nil {
		return nil, err
	}
	cs, err := c.set.Load().next(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	c.set.Store(cs)
	return cs, nil
}

// drop forgets the copy, for a store grown too large to keep.
func (c *chunkCache) drop() {
	if c.set.Load() != nil {
		c.set.Store(nil)
	}
}

// next returns the copy of version key, read in tx at that version: cs
// with the documents changed since brought in again when cs is recent
// enough, else every chunk.
func (cs *chunkSet) next(ctx context.Context, tx pgx.Tx, key genKey) (*chunkSet, error) {
	if cs == nil || cs.key.table != key.table || key.gen-cs.key.gen > memLogGenerations {
		return readChunkSet(ctx, tx, key, nil, query("cache_all"))
	}
	ids, ok, err := changedSince(ctx, tx, cs.key.gen)
	if err != nil {
		return nil, err
	}
	if !ok {
		return readChunkSet(ctx, tx, key, nil, query("cache_all"))
	}
	changed := make(map[string]bool, len(ids))
	for _, id := range ids {
		changed[id] = true
	}
	kept := make([]cachedChunk, 0, len(cs.chunks))
	for _, c := range cs.chunks {
		if !changed[c.chunk.DocID] {
			kept = append(kept, c)
		}
	}
	return readChunkSet(ctx, tx, key, kept, query("cache_docs"), ids)
}

// readChunkSet makes the copy of version key from kept and the rows of
// sql.
func readChunkSet(ctx context.Context, tx pgx.Tx, key genKey, kept []cachedChunk, sql string, args ...any) (*chunkSet, error) {
	cands, err := collectCandidates(tx.Query(ctx, sql, args...))
	if err != nil {
		return nil, err
	}
	all := kept
	for _, c := range cands {
		all = append(all, cachedChunk{chunk: c.chunk, unit: unit(c.chunk.Vector), pos: c.pos})
	}
	slices.SortFunc(all, func(a, b cachedChunk) int {
		if c := cmp.Compare(a.chunk.DocID, b.chunk.DocID); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	cs := &chunkSet{key: key, chunks: all, at: make(map[chunkKey]int32, len(all))}
	for i, c := range all {
		cs.at[chunkKey{c.chunk.DocID, c.pos}] = int32(i)
	}
	return cs, nil
}

// nearest ranks every chunk passing f by its cosine with the unit query q
// and returns the best k, equal scores in document id and position order.
func (cs *chunkSet) nearest(q []float32, k int, f banban.Filter) []banban.Hit {
	top := newTopK(k)
	all := noFilter(f)
	for i := range cs.chunks {
		c := &cs.chunks[i]
		if !all && !f.Match(&c.chunk) {
			continue
		}
		if score := float64(dot(q, c.unit)); top.admits(score) {
			top.push(scored{docID: c.chunk.DocID, pos: c.pos, score: score})
		}
	}
	best := top.sorted()
	hits := make([]banban.Hit, len(best))
	for i, s := range best {
		hits[i] = banban.Hit{Chunk: cs.chunks[cs.at[chunkKey{s.docID, s.pos}]].chunk, Score: s.score}
	}
	return hits
}

// hits returns the chunks of top with their scores, without vectors as
// the database path reads them; ok is false when one is missing.
func (cs *chunkSet) hits(top []scored) ([]banban.Hit, bool) {
	out := make([]banban.Hit, len(top))
	for i, s := range top {
		j, ok := cs.at[chunkKey{s.docID, s.pos}]
		if !ok {
			return nil, false
		}
		c := cs.chunks[j].chunk
		c.Vector = nil
		out[i] = banban.Hit{Chunk: c, Score: s.score}
	}
	return out, true
}

// cachedNearest answers a vector search of a small store from the copy in
// memory; ok is false when the store is too large to keep in memory.
func (s *Store) cachedNearest(ctx context.Context, q []float32, dim, k int, f banban.Filter) (hits []banban.Hit, ok bool, err error) {
	var key genKey
	var n int64
	if err := s.pool.QueryRow(ctx, query("cache_key")).Scan(&key.table, &key.gen, &n); err != nil {
		return nil, false, err
	}
	if n*int64(dim) > s.scanLimit { // s.cache is nil for a negative limit
		s.cache.drop()
		return nil, false, nil
	}
	cs, err := s.cache.current(ctx, s.pool, key)
	if err != nil {
		return nil, false, err
	}
	return cs.nearest(q, k, f), true, nil
}

// cachedHits returns the chunks of a keyword search's top from the copy in
// memory when it is of the version the search read.
func (s *Store) cachedHits(key genKey, top []scored) ([]banban.Hit, bool) {
	if s.cache == nil {
		return nil, false
	}
	cs := s.cache.set.Load()
	if cs == nil || cs.key != key {
		return nil, false
	}
	return cs.hits(top)
}

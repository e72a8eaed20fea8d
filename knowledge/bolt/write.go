package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Put stores the entries in one transaction, each replacing any earlier
// version of its document; a later entry for the same id wins.
func (s *Store) Put(ctx context.Context, entries []banban.Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return errClosed()
	}
	updates, dim, err := s.prepare(entries)
	if err != nil {
		return err
	}
	n := 0
	for _, u := range updates {
		n += len(u.chunks)
	}
	slab := s.idx.grownSlab(n, dim)
	if dim == s.idx.dim {
		for _, u := range updates {
			s.idx.resolve(u)
		}
	}
	write := func(tx *bbolt.Tx) error { return writeEntries(tx, entries, updates) }
	return s.commit(ctx, write, func(x *index) {
		if slab != nil && len(slab) == len(x.vecs) {
			x.vecs = slab
		}
		for _, u := range updates {
			x.add(u)
		}
	})
}

// writeEntries writes the entries under the generation of tx and records
// that generation in their updates.
func writeEntries(tx *bbolt.Tx, entries []banban.Entry, updates []*docUpdate) error {
	gen := uint64(tx.ID())
	b := openBuckets(tx)
	for i := range entries {
		if err := b.writeEntry(&entries[i], gen); err != nil {
			return err
		}
		updates[i].setGen(gen)
	}
	return nil
}

// Delete removes documents and their chunks; unknown ids are ignored.
func (s *Store) Delete(ctx context.Context, docIDs ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(docIDs) == 0 {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return errClosed()
	}
	write := func(tx *bbolt.Tx) error {
		b := openBuckets(tx)
		for _, id := range docIDs {
			if err := b.deleteDoc(id); err != nil {
				return err
			}
		}
		return nil
	}
	return s.commit(ctx, write, func(x *index) {
		for _, id := range docIDs {
			x.remove(id)
		}
	})
}

// commit runs write in one read-write transaction and, only if it commits,
// apply on the in-memory index under mu; a failed transaction changes
// nothing in memory. The commit's fsync runs without mu, so searches go on
// meanwhile; applyMu, held from the commit to the end of apply, lets a
// search that finds the file ahead of the index wait for it (see
// Store.search). The caller holds writeMu.
func (s *Store) commit(ctx context.Context, write func(*bbolt.Tx) error, apply func(*index)) error {
	tx, err := s.db.Begin(true)
	if err != nil {
		return fmt.Errorf("bolt: begin: %w", err)
	}
	if err := write(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := ctx.Err(); err != nil {
		tx.Rollback()
		return err
	}
	s.applyMu.Lock()
	err = tx.Commit()
	if err == nil {
		s.mu.Lock()
		apply(s.idx)
		s.mu.Unlock()
	}
	s.applyMu.Unlock()
	if err != nil {
		return fmt.Errorf("bolt: commit: %w", err)
	}
	if s.idx.needsCompaction() {
		// Build the compacted copy without the lock; searches keep using
		// the old index until the swap.
		n := s.idx.compacted()
		s.mu.Lock()
		s.idx = n
		s.mu.Unlock()
	}
	return nil
}

// prepare checks the entries and makes them ready for the index. It
// returns the vector dimension of the batch. The caller holds writeMu.
func (s *Store) prepare(entries []banban.Entry) ([]*docUpdate, int, error) {
	dim := s.dim()
	updates := make([]*docUpdate, len(entries))
	for i := range entries {
		e := &entries[i]
		if err := checkDocID(e.Doc.ID); err != nil {
			return nil, 0, err
		}
		u := &docUpdate{id: e.Doc.ID, meta: metaOfDoc(&e.Doc), names: cleanNames(e.Names)}
		u.chunks = make([]chunkUpdate, len(e.Chunks))
		for j := range e.Chunks {
			c := &e.Chunks[j]
			if c.DocID != e.Doc.ID {
				return nil, 0, banban.Errorf(banban.EINVALID, "片段 %s 不属于文档 %s", c.ID, e.Doc.ID)
			}
			if dim == 0 && len(c.Vector) == 0 {
				return nil, 0, banban.Errorf(banban.EINVALID, "片段 %s 没有向量", c.ID)
			}
			if dim == 0 {
				dim = len(c.Vector)
			}
			if len(c.Vector) != dim {
				return nil, 0, banban.Errorf(banban.ECONFLICT, "片段 %s 的向量为 %d 维，与索引的 %d 维不一致", c.ID, len(c.Vector), dim)
			}
			terms, length := termFreqs(c.Terms)
			u.chunks[j] = chunkUpdate{group: u.groupOf(metaOfChunk(c)), vec: unit(c.Vector), terms: terms, length: length}
		}
		updates[i] = u
	}
	return updates, dim, nil
}

func checkDocID(id string) error {
	if id == "" {
		return banban.Errorf(banban.EINVALID, "文档缺少编号")
	}
	if strings.IndexByte(id, 0) >= 0 {
		return banban.Errorf(banban.EINVALID, "文档编号 %q 含有非法字符", id)
	}
	return nil
}

func cleanNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, strings.Clone(n))
		}
	}
	return out
}

// buckets are the buckets of one transaction.
type buckets struct {
	docs, names, chunks, search, vectors, sources *bbolt.Bucket
}

func openBuckets(tx *bbolt.Tx) *buckets {
	return &buckets{
		docs: tx.Bucket(bucketDocs), names: tx.Bucket(bucketNames), chunks: tx.Bucket(bucketChunks),
		search: tx.Bucket(bucketSearch), vectors: tx.Bucket(bucketVectors), sources: tx.Bucket(bucketSources),
	}
}

func (b *buckets) writeEntry(e *banban.Entry, gen uint64) error {
	id := e.Doc.ID
	if err := b.deleteDoc(id); err != nil {
		return err
	}
	if err := putJSON(b.docs, []byte(id), &e.Doc); err != nil {
		return err
	}
	d := &e.Doc
	names := nameRecord{Names: cleanNames(e.Names), Kind: d.Kind, Region: d.Region, Department: d.Department,
		Effective: d.Effective, Expires: d.Expires}
	if err := putJSON(b.names, []byte(id), &names); err != nil {
		return err
	}
	for pos := range e.Chunks {
		if err := b.writeChunk(chunkKey(id, gen, int32(pos)), &e.Chunks[pos]); err != nil {
			return err
		}
	}
	if e.Doc.Source == "" {
		return nil
	}
	return putJSON(b.sources, []byte(e.Doc.Source), banban.SourceInfo{DocID: id, Hash: e.Doc.Hash})
}

// writeChunk stores c for display without its terms and vector, which go
// in compact binary form to the search and vector buckets.
func (b *buckets) writeChunk(key []byte, c *banban.Chunk) error {
	display := *c
	display.Terms, display.Vector = nil, nil
	if err := putJSON(b.chunks, key, &display); err != nil {
		return err
	}
	search, err := encodeSearch(c)
	if err != nil {
		return banban.WrapError(banban.EINVALID, err, "片段 %s 的日期无法保存", c.ID)
	}
	if err := b.search.Put(key, search); err != nil {
		return writeError(err)
	}
	return writeError(b.vectors.Put(key, encodeVector(c.Vector)))
}

// deleteDoc removes a document, its names, chunks and source entry.
func (b *buckets) deleteDoc(id string) error {
	raw := b.docs.Get([]byte(id))
	if raw == nil {
		return nil
	}
	var doc struct {
		Source string `json:"source"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("bolt: decode document %q: %w", id, err)
	}
	if err := b.deleteSource(doc.Source, id); err != nil {
		return err
	}
	var keys [][]byte
	prefix := chunkPrefix(id)
	c := b.chunks.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		for _, bk := range []*bbolt.Bucket{b.chunks, b.search, b.vectors} {
			if err := bk.Delete(k); err != nil {
				return writeError(err)
			}
		}
	}
	if err := b.names.Delete([]byte(id)); err != nil {
		return writeError(err)
	}
	return writeError(b.docs.Delete([]byte(id)))
}

// deleteSource forgets a source path if it still belongs to the document.
func (b *buckets) deleteSource(path, id string) error {
	if path == "" {
		return nil
	}
	raw := b.sources.Get([]byte(path))
	if raw == nil {
		return nil
	}
	var info banban.SourceInfo
	if err := json.Unmarshal(raw, &info); err != nil {
		return fmt.Errorf("bolt: decode source %q: %w", path, err)
	}
	if info.DocID != id {
		return nil
	}
	return writeError(b.sources.Delete([]byte(path)))
}

func putJSON(b *bbolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("bolt: encode %q: %w", key, err)
	}
	return writeError(b.Put(key, raw))
}

// writeError gives the size limits of bbolt their error code.
func writeError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, berrors.ErrKeyTooLarge), errors.Is(err, berrors.ErrValueTooLarge):
		return banban.WrapError(banban.ETOOLARGE, err, "文档编号、来源路径或内容过长")
	}
	return fmt.Errorf("bolt: write: %w", err)
}

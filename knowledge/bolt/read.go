package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/banban-gov/banban"
	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Document returns one document by id.
func (s *Store) Document(ctx context.Context, id string) (banban.Document, error) {
	if err := ctx.Err(); err != nil {
		return banban.Document{}, err
	}
	var doc banban.Document
	err := s.view(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bucketDocs).Get([]byte(id))
		if raw == nil {
			return notFound(id)
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			return fmt.Errorf("bolt: decode document %q: %w", id, err)
		}
		return nil
	})
	return doc, err
}

// Chunks returns a document's chunks in order. One read transaction sees
// one version of the document.
func (s *Store) Chunks(ctx context.Context, docID string) ([]banban.Chunk, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	chunks := []banban.Chunk{}
	err := s.view(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketDocs).Get([]byte(docID)) == nil {
			return notFound(docID)
		}
		prefix := chunkPrefix(docID)
		c := tx.Bucket(bucketChunks).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			chunk, err := decodeChunk(tx, k, v)
			if err != nil {
				return err
			}
			chunks = append(chunks, chunk)
		}
		return nil
	})
	return chunks, err
}

// Sources maps each imported source path to its document id and hash.
func (s *Store) Sources(ctx context.Context) (map[string]banban.SourceInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]banban.SourceInfo)
	err := s.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSources).ForEach(func(k, v []byte) error {
			var info banban.SourceInfo
			if err := json.Unmarshal(v, &info); err != nil {
				return fmt.Errorf("bolt: decode source %q: %w", k, err)
			}
			out[string(k)] = info
			return nil
		})
	})
	return out, err
}

// search ranks chunks with rank under the read lock and reads them from
// the file. A writer commits to the file before it updates the index, so
// the file can be ahead: a ranked chunk's key is gone, and fetch reports
// errStale. The second attempt holds applyMu, which waits for the writer
// to finish updating the index and keeps the next commit out until the
// hits are read.
func (s *Store) search(rank func(x *index) ([]scored, error)) ([]banban.Hit, error) {
	hits, err := s.searchOnce(rank)
	if !errors.Is(err, errStale) {
		return hits, err
	}
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	return s.searchOnce(rank)
}

func (s *Store) searchOnce(rank func(x *index) ([]scored, error)) ([]banban.Hit, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, errClosed()
	}
	top, err := rank(s.idx)
	if err != nil {
		return nil, err
	}
	return s.fetch(top)
}

// errStale reports a ranked chunk that a newer transaction has replaced or
// deleted in the file.
var errStale = errors.New("bolt: the index is behind the file")

// fetch reads the chunks of ranked slots from the file. The caller holds mu
// for reading, so the index does not change under it; the file may have
// moved on, which fetch reports as errStale.
func (s *Store) fetch(top []scored) ([]banban.Hit, error) {
	if len(top) == 0 {
		return nil, nil
	}
	hits := make([]banban.Hit, len(top))
	err := s.view(func(tx *bbolt.Tx) error {
		chunks := tx.Bucket(bucketChunks)
		for i, sc := range top {
			sl := s.idx.slots[sc.slot]
			g := &s.idx.groups[sl.group]
			key := chunkKey(g.docID, g.gen, sl.pos)
			if c, ok := s.hits.get(key); ok {
				hits[i] = banban.Hit{Chunk: c, Score: sc.score}
				continue
			}
			raw := chunks.Get(key)
			if raw == nil {
				return errStale
			}
			c, err := decodeChunk(tx, key, raw)
			if err != nil {
				return err
			}
			s.hits.put(key, c)
			c.Vector = nil
			hits[i] = banban.Hit{Chunk: c, Score: sc.score}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return hits, nil
}

// decodeChunk decodes a stored chunk and joins its terms and vector.
func decodeChunk(tx *bbolt.Tx, key, raw []byte) (banban.Chunk, error) {
	var c banban.Chunk
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("bolt: decode chunk %q: %w", key, err)
	}
	_, encoded, err := decodeSearch(tx.Bucket(bucketSearch).Get(key), c.DocID)
	if err != nil {
		return c, fmt.Errorf("bolt: decode search record of chunk %q: %w", key, err)
	}
	terms, err := decodeTerms(encoded)
	if err != nil {
		return c, fmt.Errorf("bolt: decode terms of chunk %q: %w", key, err)
	}
	c.Terms = terms
	if raw := tx.Bucket(bucketVectors).Get(key); len(raw) > 0 {
		c.Vector = make([]float32, len(raw)/4)
		decodeVector(c.Vector, raw)
	}
	return c, nil
}

// view runs fn in a read transaction.
func (s *Store) view(fn func(*bbolt.Tx) error) error {
	err := s.db.View(fn)
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return errClosed()
	}
	return err
}

func notFound(id string) error {
	return banban.Errorf(banban.ENOTFOUND, "找不到文档 %s", id)
}

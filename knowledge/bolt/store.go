// Package bolt is Banban's embedded knowledge store, the default
// banban.Store. One bbolt file holds the documents, their chunks with terms
// and vectors, names, imported sources and the index info; an in-memory
// index, rebuilt from the file at Open, answers searches: brute-force cosine
// over one contiguous slab of unit vectors, BM25 over an inverted index, and
// substring matching of normalised document names. It is the only package
// that imports bbolt.
//
// A write goes to the file in one bbolt transaction and, once that has
// committed, into the in-memory index under a lock: a failed write changes
// neither, and a search sees each document either before or after a write,
// never half of it (see Store.search for how a search that reads the file
// after a commit but ranked before the index caught up is retried).
package bolt

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/banban-gov/banban"
	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var _ banban.Store = (*Store)(nil)

// Options configures Open.
type Options struct {
	// Timeout bounds the wait for the file lock, which another process
	// using the same file holds. Zero means one second.
	Timeout time.Duration
}

// Store is a banban.Store kept in one bbolt file. It is safe for
// concurrent use.
type Store struct {
	db      *bbolt.DB
	scratch sync.Pool // of *scratch, for keyword search
	hits    hitCache

	// writeMu serialises writers. A writer holding it may read idx without
	// mu, since only writers change idx.
	writeMu sync.Mutex

	// applyMu is held by a writer from its commit until the index reflects
	// it. Lock order: writeMu, applyMu, mu.
	applyMu sync.Mutex

	// mu guards idx, info, hasInfo and closed. A search holds it for
	// reading from its scan until its hits are read from the file; a
	// writer holds it to apply a committed transaction to idx.
	mu      sync.RWMutex
	idx     *index
	info    banban.IndexInfo
	hasInfo bool
	closed  bool
}

// Open opens the store in the file at path, creating it if missing, and
// loads its search index into memory. A file written with another embedder
// opens fine: callers compare IndexInfo with their embedder.
func Open(path string, opts Options) (*Store, error) {
	bopts := &bbolt.Options{
		Timeout: cmp.Or(opts.Timeout, time.Second),
		// The hashmap freelist stays fast as a large file fragments.
		FreelistType: bbolt.FreelistMapType,
	}
	db, err := openDB(path, bopts)
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{db: db}
	if err := s.load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	return s, nil
}

// openDB opens the bbolt file. bbolt panics on some damaged files (a
// freelist page of garbage, say); openDB reports that as an error. The file
// descriptor of such a file leaks, which is acceptable for a process that
// cannot start without its store.
func openDB(path string, opts *bbolt.Options) (db *bbolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: %v", errCorrupted, r)
		}
	}()
	return bbolt.Open(path, 0o600, opts)
}

var errCorrupted = errors.New("corrupted file")

func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("bolt: open %s: the file is locked by another process: %w", path, err)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, errCorrupted):
		return fmt.Errorf("bolt: open %s: not a knowledge store, or corrupted: %w", path, err)
	}
	return fmt.Errorf("bolt: open %s: %w", path, err)
}

// Close releases the file. It waits for a running write and may be called
// more than once.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.idx = newIndex()
	s.mu.Unlock()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("bolt: close: %w", err)
	}
	return nil
}

// errClosed reports a call on a closed store.
func errClosed() error { return banban.Errorf(banban.EUNAVAILABLE, "知识库已关闭") }

// IndexInfo returns how the index was built.
func (s *Store) IndexInfo(ctx context.Context) (banban.IndexInfo, bool, error) {
	if err := ctx.Err(); err != nil {
		return banban.IndexInfo{}, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return banban.IndexInfo{}, false, errClosed()
	}
	return s.info, s.hasInfo, nil
}

// SetIndexInfo records how the index is built. It refuses, with ECONFLICT,
// another embedder or dimension while the store holds chunks.
func (s *Store) SetIndexInfo(ctx context.Context, info banban.IndexInfo) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if info.Dim <= 0 || info.Embedder == "" {
		return banban.Errorf(banban.EINVALID, "索引信息缺少向量模型名称或维度")
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return errClosed()
	}
	if err := s.checkInfo(info); err != nil {
		return err
	}
	raw, err := json.Marshal(info)
	if err != nil {
		return fmt.Errorf("bolt: encode index info: %w", err)
	}
	write := func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyIndex, raw) }
	return s.commit(ctx, write, func(*index) { s.info, s.hasInfo = info, true })
}

// checkInfo refuses info when live chunks were built differently. The
// caller holds writeMu.
func (s *Store) checkInfo(info banban.IndexInfo) error {
	if s.idx.live == 0 {
		return nil
	}
	if s.hasInfo && (s.info.Embedder != info.Embedder || s.info.Dim != info.Dim) {
		return banban.Errorf(banban.ECONFLICT, "知识库已由向量模型 %s（%d 维）建立索引，不能改为 %s（%d 维）；请先清空知识库",
			s.info.Embedder, s.info.Dim, info.Embedder, info.Dim)
	}
	if !s.hasInfo && s.idx.dim != info.Dim {
		return banban.Errorf(banban.ECONFLICT, "知识库中的向量为 %d 维，不能改为 %d 维；请先清空知识库", s.idx.dim, info.Dim)
	}
	return nil
}

// dim is the dimension every vector must have: the index info's, or that
// of the stored chunks, or 0 when neither is known. The caller holds mu or
// writeMu.
func (s *Store) dim() int {
	switch {
	case s.hasInfo:
		return s.info.Dim
	case s.idx.live > 0:
		return s.idx.dim
	}
	return 0
}

// Stats counts documents and chunks.
func (s *Store) Stats(ctx context.Context) (banban.Stats, error) {
	if err := ctx.Err(); err != nil {
		return banban.Stats{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return banban.Stats{}, errClosed()
	}
	return banban.Stats{Documents: len(s.idx.docs), Chunks: s.idx.live}, nil
}

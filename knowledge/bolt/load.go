package bolt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"

	bbolt "go.etcd.io/bbolt"
)

var errNotStore = errors.New("a bolt database, but not a knowledge store")

// load prepares a new file or checks an existing one, then rebuilds the
// in-memory index from it. A damaged file can make bbolt panic or fault on
// a page read; load turns that into an error instead of a crash.
func (s *Store) load() (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errCorrupted, r)
		}
	}()
	var fresh bool
	check := func(tx *bbolt.Tx) error {
		var cerr error
		fresh, cerr = checkLayout(tx)
		return cerr
	}
	if err := s.db.View(check); err != nil {
		return err
	}
	if fresh {
		if err := s.db.Update(createLayout); err != nil {
			return fmt.Errorf("create buckets: %w", err)
		}
	}
	if err := ensureDeskBuckets(s.db); err != nil {
		return fmt.Errorf("create desk buckets: %w", err)
	}
	return s.db.View(func(tx *bbolt.Tx) error {
		if raw := tx.Bucket(bucketMeta).Get(keyIndex); raw != nil {
			if err := json.Unmarshal(raw, &s.info); err != nil {
				return fmt.Errorf("decode index info: %w", err)
			}
			s.hasInfo = true
		}
		idx, err := loadIndex(tx)
		s.idx = idx
		return err
	})
}

// checkLayout reports whether the file is empty; otherwise it must be a
// store of this format.
func checkLayout(tx *bbolt.Tx) (fresh bool, err error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		tx.ForEach(func([]byte, *bbolt.Bucket) error { empty = false; return nil })
		if !empty {
			return false, errNotStore
		}
		return true, nil
	}
	if f := meta.Get(keyFormat); string(f) != formatVersion {
		return false, fmt.Errorf("file format %q is not %q: import the knowledge base into a new file", f, formatVersion)
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			return false, fmt.Errorf("bucket %q is missing", name)
		}
	}
	return false, nil
}

func createLayout(tx *bbolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Put(keyFormat, []byte(formatVersion))
}

// loadIndex rebuilds the index: documents from the names bucket, then
// chunks from the search and vector buckets walked in step (they share
// keys). It decodes no display JSON.
func loadIndex(tx *bbolt.Tx) (*index, error) {
	x := newIndex()
	if err := loadDocs(tx, x); err != nil {
		return nil, err
	}
	n := tx.Bucket(bucketVectors).Stats().KeyN
	l := &loader{x: x}
	sc, vc := tx.Bucket(bucketSearch).Cursor(), tx.Bucket(bucketVectors).Cursor()
	vk, vv := vc.First()
	for sk, sv := sc.First(); sk != nil; sk, sv = sc.Next() {
		if !bytes.Equal(sk, vk) {
			return nil, fmt.Errorf("chunk %q has no vector", sk)
		}
		if err := l.chunk(sk, sv, vv, n); err != nil {
			return nil, err
		}
		vk, vv = vc.Next()
	}
	if vk != nil {
		return nil, fmt.Errorf("vector %q without a chunk", vk)
	}
	for id, ps := range x.postings {
		if cap(ps) > len(ps)+len(ps)/4 {
			// Keep an eighth spare of append's doubling (see remapPostings).
			x.postings[id] = append(make([]posting, 0, len(ps)+len(ps)/8), ps...)
		}
	}
	return x, nil
}

func loadDocs(tx *bbolt.Tx, x *index) error {
	return tx.Bucket(bucketNames).ForEach(func(k, v []byte) error {
		var r nameRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode names of %q: %w", k, err)
		}
		id := string(k)
		x.docs[id] = &docState{
			meta: chunkMeta{docID: id, kind: r.Kind, region: r.Region, department: r.Department,
				effective: r.Effective, expires: r.Expires},
			names: cleanNames(r.Names),
		}
		return nil
	})
}

// loader adds stored chunks to an index.
type loader struct {
	x   *index
	doc *docState
	ids []int32 // scratch: term ids of one chunk
}

func (l *loader) chunk(key, search, vec []byte, total int) error {
	x := l.x
	docID, gen, pos, ok := splitChunkKey(key)
	d := x.docs[string(docID)]
	if !ok || d == nil {
		return fmt.Errorf("chunk %q of unknown document", key)
	}
	m, terms, err := decodeSearch(search, d.meta.docID)
	if err != nil {
		return fmt.Errorf("chunk %q: %w", key, err)
	}
	m.gen = gen
	if err := l.vector(key, vec, total); err != nil {
		return err
	}
	if l.doc != d || !x.groups[len(x.groups)-1].equal(&m) {
		x.groups = append(x.groups, m)
	}
	l.doc = d
	s := int32(len(x.slots))
	length, err := l.terms(terms, s)
	if err != nil {
		return fmt.Errorf("chunk %q: %w", key, err)
	}
	x.slots = append(x.slots, slot{group: int32(len(x.groups) - 1), pos: pos, length: length})
	d.slots = append(d.slots, s)
	x.live++
	x.totalLen += int64(length)
	return nil
}

// vector appends a stored vector to the slab as a unit vector, sizing the
// slab for all total vectors on the first.
func (l *loader) vector(key, raw []byte, total int) error {
	x := l.x
	if x.dim == 0 {
		x.dim = len(raw) / 4
		x.vecs = make([]float32, 0, total*x.dim)
	}
	if len(raw) != 4*x.dim || x.dim == 0 {
		return fmt.Errorf("chunk %q has a vector of %d bytes, want %d", key, len(raw), 4*x.dim)
	}
	off := len(x.vecs)
	x.vecs = append(x.vecs, make([]float32, x.dim)...)
	decodeVector(x.vecs[off:], raw)
	normalize(x.vecs[off:])
	return nil
}

// terms adds a chunk's postings and returns its length. It looks terms up
// without allocating; only a term seen for the first time is copied.
func (l *loader) terms(raw []byte, s int32) (int32, error) {
	x := l.x
	l.ids = l.ids[:0]
	err := eachTerm(raw, func(t []byte) {
		if len(t) == 0 {
			return
		}
		id, ok := x.termIDs[string(t)]
		if !ok {
			id = x.termID(string(t))
		}
		l.ids = append(l.ids, id)
	})
	if err != nil {
		return 0, err
	}
	slices.Sort(l.ids)
	for i := 0; i < len(l.ids); {
		j := i + 1
		for j < len(l.ids) && l.ids[j] == l.ids[i] {
			j++
		}
		id := l.ids[i]
		x.postings[id] = append(x.postings[id], posting{slot: s, tf: int32(j - i)})
		i = j
	}
	return int32(len(l.ids)), nil
}

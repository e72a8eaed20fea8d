package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/banban-gov/banban"
)

// The file layout. Every chunk is stored under the key
// docID 0x00 generation(uint64) position(uint32), integers big-endian, in
// three buckets, so one prefix scan returns a document's chunks in order
// and a rebuild at Open walks the search and vector buckets in step. The
// generation is the id of the transaction that wrote the chunk: a new
// version of a document has new keys, which is how a search notices that
// the file has moved past the in-memory index (see Store.search). What the
// index needs is kept apart from the display JSON, so Open decodes no text.
var (
	bucketMeta    = []byte("meta")    // format, index info
	bucketDocs    = []byte("docs")    // doc id -> Document JSON
	bucketNames   = []byte("names")   // doc id -> nameRecord JSON
	bucketChunks  = []byte("chunks")  // chunk key -> Chunk JSON without terms and vector
	bucketSearch  = []byte("search")  // chunk key -> search record: filter metadata and terms
	bucketVectors = []byte("vectors") // chunk key -> little-endian float32s
	bucketSources = []byte("sources") // source path -> SourceInfo JSON

	allBuckets = [][]byte{bucketMeta, bucketDocs, bucketNames, bucketChunks, bucketSearch, bucketVectors, bucketSources}

	keyFormat = []byte("format")
	keyIndex  = []byte("index")
)

// formatVersion marks a file as a Banban store; a later layout bumps it.
// Version 2 added the generation to chunk keys and the search bucket.
const formatVersion = "banban-store/2"

// chunkPrefix is the common prefix of a document's chunk keys. The zero
// byte keeps "a" from matching the chunks of "a/b".
func chunkPrefix(docID string) []byte {
	k := make([]byte, len(docID)+1)
	copy(k, docID)
	return k
}

const keySuffix = 1 + 8 + 4 // zero byte, generation, position

func chunkKey(docID string, gen uint64, pos int32) []byte {
	k := make([]byte, len(docID)+keySuffix)
	copy(k, docID)
	binary.BigEndian.PutUint64(k[len(docID)+1:], gen)
	binary.BigEndian.PutUint32(k[len(docID)+9:], uint32(pos))
	return k
}

// splitChunkKey splits a chunk key into its parts.
func splitChunkKey(k []byte) (docID []byte, gen uint64, pos int32, ok bool) {
	n := len(k) - keySuffix
	if n < 0 || k[n] != 0 {
		return nil, 0, 0, false
	}
	return k[:n], binary.BigEndian.Uint64(k[n+1:]), int32(binary.BigEndian.Uint32(k[n+9:])), true
}

func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// decodeVector decodes b into dst, which must have room for len(b)/4 values.
func decodeVector(dst []float32, b []byte) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

// nameRecord is what name matching needs of a document: its normalised
// names and the metadata filters look at.
type nameRecord struct {
	Names      []string    `json:"names"`
	Kind       banban.Kind `json:"kind"`
	Region     string      `json:"region,omitempty"`
	Department string      `json:"department,omitempty"`
	Effective  time.Time   `json:"effective,omitzero"`
	Expires    time.Time   `json:"expires,omitzero"`
}

// encodeSearch encodes a chunk's search record: kind, region, department,
// effective and expiry dates, then the terms, each field a uvarint length
// and its bytes.
func encodeSearch(c *banban.Chunk) ([]byte, error) {
	n := 64
	for _, t := range c.Terms {
		n += binary.MaxVarintLen32 + len(t)
	}
	b := make([]byte, 0, n)
	b = appendField(b, []byte(c.Kind))
	b = appendField(b, []byte(c.Region))
	b = appendField(b, []byte(c.Department))
	for _, t := range []time.Time{c.Effective, c.Expires} {
		var tb []byte
		if !t.IsZero() {
			var err error
			if tb, err = t.MarshalBinary(); err != nil {
				return nil, fmt.Errorf("encode date of chunk %s: %w", c.ID, err)
			}
		}
		b = appendField(b, tb)
	}
	for _, t := range c.Terms {
		b = appendField(b, []byte(t))
	}
	return b, nil
}

func appendField(b, field []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(field)))
	return append(b, field...)
}

var errBadRecord = errors.New("malformed search record")

// nextField splits the first field off b.
func nextField(b []byte) (field, rest []byte, err error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return nil, nil, errBadRecord
	}
	return b[w : w+int(n)], b[w+int(n):], nil
}

// decodeSearch decodes the metadata of a search record and returns its
// terms still encoded, for eachTerm.
func decodeSearch(b []byte, docID string) (m chunkMeta, terms []byte, err error) {
	var f [5][]byte
	for i := range f {
		if f[i], b, err = nextField(b); err != nil {
			return m, nil, err
		}
	}
	m = chunkMeta{docID: docID, kind: banban.Kind(f[0]), region: string(f[1]), department: string(f[2])}
	if len(f[3]) > 0 {
		err = m.effective.UnmarshalBinary(f[3])
	}
	if len(f[4]) > 0 && err == nil {
		err = m.expires.UnmarshalBinary(f[4])
	}
	return m, b, err
}

// eachTerm calls fn with each encoded term. The slice is only valid during
// the call, which lets a rebuild look terms up without allocating.
func eachTerm(b []byte, fn func(term []byte)) error {
	for len(b) > 0 {
		t, rest, err := nextField(b)
		if err != nil {
			return err
		}
		fn(t)
		b = rest
	}
	return nil
}

func decodeTerms(b []byte) ([]string, error) {
	var terms []string
	err := eachTerm(b, func(t []byte) { terms = append(terms, string(t)) })
	return terms, err
}

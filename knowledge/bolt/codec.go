package bolt

import (
	"encoding/binary"
	"errors"
	"math"
)

// The file layout. Every chunk is stored under the key
// docID 0x00 position(uint32, big-endian) in three buckets, so one prefix
// scan returns a document's chunks in order and a rebuild at Open walks
// the three buckets in step.
var (
	bucketMeta    = []byte("meta")    // format, index info
	bucketDocs    = []byte("docs")    // doc id -> Document JSON
	bucketNames   = []byte("names")   // doc id -> normalised names JSON
	bucketChunks  = []byte("chunks")  // chunk key -> Chunk JSON without terms and vector
	bucketTerms   = []byte("terms")   // chunk key -> terms, each uvarint length + bytes
	bucketVectors = []byte("vectors") // chunk key -> little-endian float32s
	bucketSources = []byte("sources") // source path -> SourceInfo JSON

	allBuckets = [][]byte{bucketMeta, bucketDocs, bucketNames, bucketChunks, bucketTerms, bucketVectors, bucketSources}

	keyFormat = []byte("format")
	keyIndex  = []byte("index")
)

// formatVersion marks a file as a Banban store; a later layout bumps it.
const formatVersion = "banban-store/1"

// chunkPrefix is the common prefix of a document's chunk keys. The zero
// byte keeps "a" from matching the chunks of "a/b".
func chunkPrefix(docID string) []byte {
	k := make([]byte, len(docID)+1)
	copy(k, docID)
	return k
}

func chunkKey(docID string, pos int) []byte {
	k := make([]byte, len(docID)+5)
	copy(k, docID)
	binary.BigEndian.PutUint32(k[len(docID)+1:], uint32(pos))
	return k
}

// splitChunkKey returns the document id of a chunk key.
func splitChunkKey(k []byte) (docID []byte, ok bool) {
	if len(k) < 5 || k[len(k)-5] != 0 {
		return nil, false
	}
	return k[:len(k)-5], true
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

func encodeTerms(terms []string) []byte {
	n := 0
	for _, t := range terms {
		n += binary.MaxVarintLen32 + len(t)
	}
	b := make([]byte, 0, n)
	for _, t := range terms {
		b = binary.AppendUvarint(b, uint64(len(t)))
		b = append(b, t...)
	}
	return b
}

var errBadTerms = errors.New("malformed terms record")

// eachTerm calls fn with each encoded term. The slice is only valid during
// the call, which lets a rebuild look terms up without allocating.
func eachTerm(b []byte, fn func(term []byte)) error {
	for len(b) > 0 {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return errBadTerms
		}
		fn(b[w : w+int(n)])
		b = b[w+int(n):]
	}
	return nil
}

func decodeTerms(b []byte) ([]string, error) {
	var terms []string
	err := eachTerm(b, func(t []byte) { terms = append(terms, string(t)) })
	return terms, err
}

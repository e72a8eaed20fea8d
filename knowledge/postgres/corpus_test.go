package postgres

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
)

// corpus generates a synthetic knowledge base shaped like a real one, the
// same shape as the embedded store's benchmark corpus: documents of several
// chunks, about 60 terms a chunk drawn from a vocabulary with a Zipf-like
// distribution (a few terms in most chunks, most terms rare), random
// vectors, and metadata to filter on.
//
// Unlike the embedded store's corpus, whose vectors are independent
// Gaussian noise (all a brute-force scan needs), vectors here have the
// cluster structure of real text embeddings, because the benchmark measures
// the recall of an approximate (HNSW) index, and independent Gaussian
// vectors in 256 dimensions have no near neighbours to find: every vector
// is about as far from a query as every other (see bench_test.go). Each
// document is about one of corpusTopics topics: a document's vector is its
// topic's centre plus noise, a chunk's its document's plus noise, and a
// query's a topic's centre plus noise, a question on that topic.
type corpus struct {
	rng      *rand.Rand
	zipf     *rand.Zipf
	vocab    []string
	dim      int
	chunks   int // per document
	terms    int // per chunk
	topics   [][]float32
	gaussian bool // independent Gaussian vectors instead, for comparison
}

// corpusTopics is the number of topics; with 100,000 chunks a topic has
// about 100.
const corpusTopics = 1000

// Noise levels, relative to a topic centre's per-coordinate deviation of 1:
// chunks of one document have a cosine similarity of about 0.75, of one
// topic about 0.5, of different topics about 0.
const (
	docNoise   = 0.7
	chunkNoise = 0.7
)

func newCorpus(seed uint64, dim, vocab, chunksPerDoc, termsPerChunk int) *corpus {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	words := make([]string, vocab)
	for i := range words {
		words[i] = fmt.Sprintf("词%d", i)
	}
	// Topics come from a fixed seed, so corpora of any seed share them:
	// queries from one find documents from another.
	trng := rand.New(rand.NewPCG(42, 42))
	topics := make([][]float32, corpusTopics)
	for i := range topics {
		topics[i] = gaussian(trng, dim, nil, 1)
	}
	return &corpus{
		rng:    rng,
		zipf:   rand.NewZipf(rng, 1.1, 2, uint64(vocab-1)),
		vocab:  words,
		dim:    dim,
		chunks: chunksPerDoc,
		terms:  termsPerChunk,
		topics: topics,
	}
}

// gaussian returns base (or zero) plus Gaussian noise of deviation sigma.
func gaussian(rng *rand.Rand, dim int, base []float32, sigma float64) []float32 {
	v := make([]float32, dim)
	for i := range v {
		v[i] = float32(sigma * rng.NormFloat64())
		if base != nil {
			v[i] += base[i]
		}
	}
	return v
}

var (
	corpusRegions = []string{"广州市", "深圳市", "佛山市", "东莞市"}
	corpusKinds   = []banban.Kind{banban.KindItem, banban.KindItem, banban.KindFAQ, banban.KindPolicy}
)

// entry returns document number n: one in five has expired.
func (c *corpus) entry(n int) banban.Entry {
	doc := banban.Document{
		ID:         fmt.Sprintf("gen/%06d", n),
		Kind:       corpusKinds[n%len(corpusKinds)],
		Title:      fmt.Sprintf("事项%d", n),
		Region:     corpusRegions[n%len(corpusRegions)],
		Department: fmt.Sprintf("部门%d", n%7),
		Source:     fmt.Sprintf("gen/%06d.md", n),
		Hash:       fmt.Sprintf("h%d", n),
	}
	if n%5 == 0 {
		doc.Expires = storetest.Day(2024, 12, 31)
	}
	specs := make([]storetest.ChunkSpec, c.chunks)
	centre := gaussian(c.rng, c.dim, c.topics[c.rng.IntN(len(c.topics))], docNoise)
	for i := range specs {
		vec := gaussian(c.rng, c.dim, centre, chunkNoise)
		if c.gaussian {
			vec = gaussian(c.rng, c.dim, nil, 1)
		}
		specs[i] = storetest.ChunkSpec{Section: fmt.Sprintf("第%d节", i), Text: c.text(), Terms: c.termList(), Vector: vec}
		doc.Sections = append(doc.Sections, banban.Section{Heading: specs[i].Section, Text: specs[i].Text})
	}
	return storetest.NewEntry(doc, specs...)
}

// text is about 300 characters of filler, the size of a real chunk.
func (c *corpus) text() string {
	var b strings.Builder
	for b.Len() < 900 {
		b.WriteString(c.vocab[c.zipf.Uint64()])
	}
	return b.String()
}

func (c *corpus) termList() []string {
	out := make([]string, c.terms)
	for i := range out {
		out[i] = c.vocab[c.zipf.Uint64()]
	}
	return out
}

// query returns 3 to 8 terms, drawn like chunk terms.
func (c *corpus) query() []string {
	out := make([]string, 3+c.rng.IntN(6))
	for i := range out {
		out[i] = c.vocab[c.zipf.Uint64()]
	}
	return out
}

// vector returns a query vector: a question on a random topic.
func (c *corpus) vector() []float32 {
	if c.gaussian {
		return gaussian(c.rng, c.dim, nil, 1)
	}
	return gaussian(c.rng, c.dim, c.topics[c.rng.IntN(len(c.topics))], docNoise)
}

package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/banban-gov/banban"
)

// Corpus generates a synthetic knowledge base shaped like a real one, for
// the stores' benchmarks and for tests that need many documents: documents
// of several chunks, tens of terms a chunk drawn from a vocabulary with a
// Zipf-like distribution (a few terms in most chunks, most terms rare),
// vectors, and metadata to filter on. What it generates depends only on
// the arguments of NewCorpus and the order of calls.
//
// Vectors have the cluster structure of real text embeddings, because
// independent Gaussian vectors in 256 dimensions have no near neighbours
// to find: every vector is about as far from a query as every other, and
// the recall of an approximate (HNSW) index means nothing on them. Each
// document is about one of corpusTopics topics: a document's vector is its
// topic's centre plus noise, a chunk's its document's plus noise, and a
// query's a topic's centre plus noise, a question on that topic.
type Corpus struct {
	// Gaussian makes every chunk and query vector independent Gaussian
	// noise instead, for comparison with the clustered vectors.
	Gaussian bool

	rng    *rand.Rand
	zipf   *rand.Zipf
	vocab  []string
	dim    int
	chunks int // per document
	terms  int // per chunk
	topics [][]float32
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

// NewCorpus returns the corpus of seed: vectors of dimension dim, a
// vocabulary of vocab words, chunksPerDoc chunks a document and
// termsPerChunk terms a chunk.
func NewCorpus(seed uint64, dim, vocab, chunksPerDoc, termsPerChunk int) *Corpus {
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
		topics[i] = gaussianVector(trng, dim, nil, 1)
	}
	return &Corpus{
		rng:    rng,
		zipf:   rand.NewZipf(rng, 1.1, 2, uint64(vocab-1)),
		vocab:  words,
		dim:    dim,
		chunks: chunksPerDoc,
		terms:  termsPerChunk,
		topics: topics,
	}
}

// gaussianVector returns base (or zero) plus Gaussian noise of deviation
// sigma.
func gaussianVector(rng *rand.Rand, dim int, base []float32, sigma float64) []float32 {
	v := make([]float32, dim)
	for i := range v {
		v[i] = float32(sigma * rng.NormFloat64())
		if base != nil {
			v[i] += base[i]
		}
	}
	return v
}

// Dim returns the dimension of the corpus's vectors.
func (c *Corpus) Dim() int { return c.dim }

// Vocab returns the corpus's vocabulary, the most frequent words first.
// The caller must not change it.
func (c *Corpus) Vocab() []string { return c.vocab }

var (
	corpusRegions = []string{"广州市", "深圳市", "佛山市", "东莞市"}
	corpusKinds   = []banban.Kind{banban.KindItem, banban.KindItem, banban.KindFAQ, banban.KindPolicy}
)

// Entry returns document number n with new text, terms and vectors: its
// id, title, kind, region and department follow from n alone, and one
// document in five has expired.
func (c *Corpus) Entry(n int) banban.Entry {
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
		doc.Expires = Day(2024, 12, 31)
	}
	specs := make([]ChunkSpec, c.chunks)
	centre := gaussianVector(c.rng, c.dim, c.topics[c.rng.IntN(len(c.topics))], docNoise)
	for i := range specs {
		vec := gaussianVector(c.rng, c.dim, centre, chunkNoise)
		if c.Gaussian {
			vec = gaussianVector(c.rng, c.dim, nil, 1)
		}
		specs[i] = ChunkSpec{Section: fmt.Sprintf("第%d节", i), Text: c.Text(), Terms: c.TermList(), Vector: vec}
		doc.Sections = append(doc.Sections, banban.Section{Heading: specs[i].Section, Text: specs[i].Text})
	}
	return NewEntry(doc, specs...)
}

// Entries returns the n documents first to first+n-1, as n calls of Entry
// would.
func (c *Corpus) Entries(first, n int) []banban.Entry {
	out := make([]banban.Entry, n)
	for i := range out {
		out[i] = c.Entry(first + i)
	}
	return out
}

// Text returns about 300 characters of filler, the size of a real chunk.
func (c *Corpus) Text() string {
	var b strings.Builder
	for b.Len() < 900 {
		b.WriteString(c.vocab[c.zipf.Uint64()])
	}
	return b.String()
}

// TermList returns the terms of one chunk.
func (c *Corpus) TermList() []string {
	out := make([]string, c.terms)
	for i := range out {
		out[i] = c.vocab[c.zipf.Uint64()]
	}
	return out
}

// Query returns the terms of a keyword query: 3 to 8, drawn like chunk
// terms.
func (c *Corpus) Query() []string {
	out := make([]string, 3+c.rng.IntN(6))
	for i := range out {
		out[i] = c.vocab[c.zipf.Uint64()]
	}
	return out
}

// Vector returns a query vector: a question on a random topic.
func (c *Corpus) Vector() []float32 {
	if c.Gaussian {
		return gaussianVector(c.rng, c.dim, nil, 1)
	}
	return gaussianVector(c.rng, c.dim, c.topics[c.rng.IntN(len(c.topics))], docNoise)
}

// Vectors returns n query vectors, as n calls of Vector would.
func (c *Corpus) Vectors(n int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		out[i] = c.Vector()
	}
	return out
}

// Queries returns n keyword queries, as n calls of Query would.
func (c *Corpus) Queries(n int) [][]string {
	out := make([][]string, n)
	for i := range out {
		out[i] = c.Query()
	}
	return out
}

// Questions returns n questions as a hybrid search asks them, the query
// vector and the keyword query of each, drawn in turn: vecs[i] by Vector,
// then terms[i] by Query.
func (c *Corpus) Questions(n int) (vecs [][]float32, terms [][]string) {
	vecs, terms = make([][]float32, n), make([][]string, n)
	for i := range vecs {
		vecs[i], terms[i] = c.Vector(), c.Query()
	}
	return vecs, terms
}

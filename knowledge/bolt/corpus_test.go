package bolt

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
)

// corpus generates a synthetic knowledge base shaped like a real one:
// documents of several chunks, about 60 terms a chunk drawn from a
// vocabulary with a Zipf-like distribution (a few terms in most chunks,
// most terms rare), random vectors, and metadata to filter on.
type corpus struct {
	rng    *rand.Rand
	zipf   *rand.Zipf
	vocab  []string
	dim    int
	chunks int // per document
	terms  int // per chunk
}

func newCorpus(seed uint64, dim, vocab, chunksPerDoc, termsPerChunk int) *corpus {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	words := make([]string, vocab)
	for i := range words {
		words[i] = fmt.Sprintf("词%d", i)
	}
	return &corpus{
		rng:    rng,
		zipf:   rand.NewZipf(rng, 1.1, 2, uint64(vocab-1)),
		vocab:  words,
		dim:    dim,
		chunks: chunksPerDoc,
		terms:  termsPerChunk,
	}
}

var (
	corpusRegions = []string{"广州市", "深圳市", "佛山市", "东莞市"}
	corpusKinds   = []banban.Kind{banban.KindItem, banban.KindItem, banban.KindFAQ, banban.KindPolicy}
)

// entry returns document number n.
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
	for i := range specs {
		specs[i] = storetest.ChunkSpec{Section: fmt.Sprintf("第%d节", i), Text: c.text(), Terms: c.termList(), Vector: c.vector()}
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

func (c *corpus) vector() []float32 {
	v := make([]float32, c.dim)
	for i := range v {
		v[i] = float32(c.rng.NormFloat64())
	}
	return v
}

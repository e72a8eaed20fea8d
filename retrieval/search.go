package retrieval

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/banban-gov/banban"
)

// Index is the part of a Store the Searcher reads.
type Index interface {
	VectorSearch(ctx context.Context, vec []float32, k int, f banban.Filter) ([]banban.Hit, error)
	KeywordSearch(ctx context.Context, terms []string, k int, f banban.Filter) ([]banban.Hit, error)
	MatchNames(ctx context.Context, query string, f banban.Filter) ([]banban.NameMatch, error)
	Chunks(ctx context.Context, docID string) ([]banban.Chunk, error)
}

// Weigher gives a term's inverse document frequency. A Tokenizer that also
// implements it lets the Searcher weigh query-term coverage by rarity.
type Weigher interface {
	IDF(term string) float64
}

// Searcher runs hybrid search: dense vectors, BM25 keywords and exact names,
// fused by reciprocal rank.
type Searcher struct {
	Index     Index
	Tokenizer banban.Tokenizer
	Embedder  banban.Embedder
	// Candidates is how many hits each retriever contributes (default 40).
	Candidates int
	// Weights weigh the retrievers in the fusion (zero: DefaultWeights).
	Weights Weights
	// Now gives the time used for validity filtering (default time.Now).
	Now func() time.Time
}

// Query is one search.
type Query struct {
	Text   string
	Filter banban.Filter
	// K is how many fused hits to return (default 10).
	K int
	// MaxPerDoc caps the hits of one document (0: no cap), so that a
	// document whose name the question holds, which lifts all its chunks,
	// does not crowd every other document out of the results.
	MaxPerDoc int
}

// Hit is a fused search result with the evidence behind its score.
type Hit struct {
	banban.Hit
	VectorScore  float64 `json:"vector_score"`
	KeywordScore float64 `json:"keyword_score"`
	// Ranks are 1-based; 0 means the retriever did not return the chunk.
	VectorRank  int `json:"vector_rank,omitempty"`
	KeywordRank int `json:"keyword_rank,omitempty"`
	NameRank    int `json:"name_rank,omitempty"`
	// Name is the document name found in the query, if any.
	Name      string `json:"name,omitempty"`
	ExactName bool   `json:"exact_name,omitempty"`
	// Coverage is the IDF-weighted share of the query's terms found in the
	// chunk (with its title and aliases), from 0 to 1.
	Coverage float64 `json:"coverage"`
}

// Result is the outcome of a search.
type Result struct {
	Terms []string
	Hits  []Hit
}

// Search runs the query. Documents outside their validity window at Now are
// never returned.
func (s *Searcher) Search(ctx context.Context, q Query) (Result, error) {
	f := q.Filter
	if f.At.IsZero() {
		f.At = s.now()
	}
	terms := s.Tokenizer.Terms(q.Text)
	lists, err := s.retrieve(ctx, q.Text, terms, f)
	if err != nil {
		return Result{Terms: terms}, err
	}
	w := s.Weights
	if w == (Weights{}) {
		w = DefaultWeights
	}
	hits := capPerDoc(fuse(lists, w), q.MaxPerDoc)
	k := q.K
	if k <= 0 {
		k = 10
	}
	if len(hits) > k {
		hits = hits[:k]
	}
	weights := s.termWeights(terms)
	for i := range hits {
		hits[i].Coverage = Coverage(weights, hits[i].Chunk.Terms)
	}
	return Result{Terms: terms, Hits: hits}, nil
}

func (s *Searcher) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// retrieve runs the three retrievers. The dense search (with its embedding
// call, which may go over the network) runs beside the keyword and name
// searches, so a question costs the slower of the two, not their sum.
func (s *Searcher) retrieve(ctx context.Context, text string, terms []string, f banban.Filter) (rankLists, error) {
	n := s.Candidates
	if n <= 0 {
		n = 40
	}
	var lists rankLists
	var vecErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		lists.vector, vecErr = s.vectorSearch(ctx, text, n, f)
	}()
	err := s.lexical(ctx, text, terms, n, f, &lists)
	wg.Wait()
	if err == nil {
		err = vecErr
	}
	if err != nil {
		return lists, err
	}
	lists.extra, err = s.nameOnlyChunks(ctx, lists, f)
	return lists, err
}

func (s *Searcher) vectorSearch(ctx context.Context, text string, n int, f banban.Filter) ([]banban.Hit, error) {
	vecs, err := s.Embedder.Embed(ctx, []string{text})
	if err != nil {
		return nil, fmt.Errorf("embed query: %w", err)
	}
	hits, err := s.Index.VectorSearch(ctx, vecs[0], n, f)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	return hits, nil
}

// lexical runs the keyword and name searches into lists.
func (s *Searcher) lexical(ctx context.Context, text string, terms []string, n int, f banban.Filter, lists *rankLists) error {
	var err error
	if len(terms) > 0 {
		if lists.keyword, err = s.Index.KeywordSearch(ctx, terms, n, f); err != nil {
			return fmt.Errorf("keyword search: %w", err)
		}
	}
	if lists.names, err = s.Index.MatchNames(ctx, NormalizeName(text), f); err != nil {
		return fmt.Errorf("name match: %w", err)
	}
	return nil
}

// nameOnlyChunks fetches the chunks of name-matched documents that neither
// other retriever returned, so a document named in the question is always a
// candidate.
func (s *Searcher) nameOnlyChunks(ctx context.Context, l rankLists, f banban.Filter) ([]banban.Chunk, error) {
	seen := make(map[string]bool)
	for _, h := range l.vector {
		seen[h.Chunk.DocID] = true
	}
	for _, h := range l.keyword {
		seen[h.Chunk.DocID] = true
	}
	var out []banban.Chunk
	for i, m := range l.names {
		if seen[m.DocID] || i >= maxNameDocs {
			continue
		}
		seen[m.DocID] = true
		chunks, err := s.Index.Chunks(ctx, m.DocID)
		if err != nil {
			return nil, fmt.Errorf("chunks of %s: %w", m.DocID, err)
		}
		for _, c := range chunks {
			if f.Match(&c) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// maxNameDocs bounds how many name-matched documents are pulled in.
const maxNameDocs = 8

func (s *Searcher) termWeights(terms []string) map[string]float64 {
	w := make(map[string]float64, len(terms))
	idf, _ := s.Tokenizer.(Weigher)
	for _, t := range terms {
		if idf != nil {
			w[t] = idf.IDF(t)
		} else {
			w[t] = 1
		}
	}
	return w
}

// Coverage is the weighted share of query terms present in a chunk's terms.
func Coverage(weights map[string]float64, chunkTerms []string) float64 {
	if len(weights) == 0 {
		return 0
	}
	// A query has a few terms: scanning the chunk's for each is cheaper
	// than a set of them, which was a tenth of a turn's CPU under load.
	var got, all float64
	for _, t := range SortedTerms(weights) {
		w := weights[t]
		all += w
		if slices.Contains(chunkTerms, t) {
			got += w
		}
	}
	if all == 0 {
		return 0
	}
	return got / all
}

// capPerDoc keeps at most max hits of each document, in order.
func capPerDoc(hits []Hit, max int) []Hit {
	if max <= 0 {
		return hits
	}
	count := make(map[string]int)
	out := hits[:0]
	for _, h := range hits {
		if count[h.Chunk.DocID] < max {
			count[h.Chunk.DocID]++
			out = append(out, h)
		}
	}
	return out
}

// SortedTerms returns the terms of a weight map in order. Sums of weights
// iterate in this order: floating-point addition depends on order, and map
// order would let ties between chunks flip from run to run.
func SortedTerms(weights map[string]float64) []string {
	terms := make([]string, 0, len(weights))
	for t := range weights {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	return terms
}

// sortHits orders hits by score, then chunk id for a stable order.
func sortHits(hits []Hit) {
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Chunk.ID < hits[j].Chunk.ID
	})
}

// Missing returns the terms that occur in no chunk passing f: a question
// whose rarest word the knowledge base never uses is about something it does
// not cover (渔船登记), however well its other words match.
func (s *Searcher) Missing(ctx context.Context, terms []string, f banban.Filter) ([]string, error) {
	if f.At.IsZero() {
		f.At = s.now()
	}
	var out []string
	for _, t := range terms {
		hits, err := s.Index.KeywordSearch(ctx, []string{t}, 1, f)
		if err != nil {
			return nil, fmt.Errorf("look up %q: %w", t, err)
		}
		if len(hits) == 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// IDF returns a term's weight from the tokenizer, or 1 when it has none.
func (s *Searcher) IDF(term string) float64 {
	if w, ok := s.Tokenizer.(Weigher); ok {
		return w.IDF(term)
	}
	return 1
}

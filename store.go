package banban

import (
	"context"
	"time"
)

// Entry is one document ready for storage: the parsed document, its chunks
// with terms and vectors filled in, and its normalised names (title and
// aliases) for exact name matching.
type Entry struct {
	Doc    Document
	Chunks []Chunk
	Names  []string
}

// IndexInfo records how an index was built. A store refuses vectors of any
// other dimension, and callers refuse to query with another embedder.
type IndexInfo struct {
	Embedder  string    `json:"embedder"`
	Dim       int       `json:"dim"`
	CreatedAt time.Time `json:"created_at"`
}

// SourceInfo is what a store remembers of an imported file, to skip
// re-importing it when its content hash has not changed.
type SourceInfo struct {
	DocID string `json:"doc"`
	Hash  string `json:"hash"`
}

// NameMatch is a document whose normalised title or alias occurs in a query.
type NameMatch struct {
	DocID string
	Name  string
	// Exact is true when the whole query is the name.
	Exact bool
}

// Stats counts what a store holds.
type Stats struct {
	Documents int `json:"documents"`
	Chunks    int `json:"chunks"`
}

// Store keeps the knowledge base and answers the three kinds of search that
// retrieval fuses. Every implementation passes the suite in
// knowledge/storetest. Error contract:
//   - a missing document is an *Error with code ENOTFOUND;
//   - a vector whose length differs from the index dimension is an *Error
//     with code ECONFLICT, and nothing is written (whether the index was built
//     by the configured embedder is checked by retrieval.EnsureIndex, which
//     compares IndexInfo);
//   - an entry whose chunks name another document, or an empty id, is EINVALID;
//   - a cancelled context returns ctx.Err() (possibly wrapped);
//   - a closed store returns EUNAVAILABLE; Close may be called again;
//   - any other failure leaves the store as it was before the call.
//
// Search hits carry the stored chunk with its Terms (Vector may be left out);
// k <= 0 returns nothing; equal scores are ordered by document id, then
// chunk position, so results are reproducible. In one Put, a repeated
// document id means the later entry wins.
type Store interface {
	// Put stores each entry, replacing any earlier version of the same
	// document id, all in one transaction: readers see either the old or the
	// new version of a document, never a mix.
	Put(ctx context.Context, entries []Entry) error
	// Delete removes documents and their chunks; unknown ids are ignored.
	Delete(ctx context.Context, docIDs ...string) error
	// Document returns one document by id.
	Document(ctx context.Context, id string) (Document, error)
	// Chunks returns a document's chunks in order.
	Chunks(ctx context.Context, docID string) ([]Chunk, error)
	// Sources maps each imported source path to its document id and hash.
	Sources(ctx context.Context) (map[string]SourceInfo, error)
	// VectorSearch returns the k chunks passing f nearest to vec by cosine
	// similarity, best first, Score being the similarity.
	VectorSearch(ctx context.Context, vec []float32, k int, f Filter) ([]Hit, error)
	// KeywordSearch ranks chunks passing f by BM25 over their Terms, best
	// first; chunks sharing no term are not returned.
	KeywordSearch(ctx context.Context, terms []string, k int, f Filter) ([]Hit, error)
	// MatchNames returns documents passing f (judged on the document's own
	// metadata) whose names occur in the query, longest name first, each
	// document once with its longest matching name. Callers normalise both
	// the names they store and the query (retrieval.NormalizeName).
	MatchNames(ctx context.Context, query string, f Filter) ([]NameMatch, error)
	// IndexInfo returns how the index was built; ok is false for an empty,
	// never-initialised store.
	IndexInfo(ctx context.Context) (info IndexInfo, ok bool, err error)
	// SetIndexInfo records how the index is built. It returns ECONFLICT when
	// the store already holds chunks built differently.
	SetIndexInfo(ctx context.Context, info IndexInfo) error
	// Stats counts documents and chunks.
	Stats(ctx context.Context) (Stats, error)
	// Close releases the store.
	Close() error
}

// Embedder turns texts into vectors of a fixed dimension.
type Embedder interface {
	// Embed returns one vector per text, each of length Dim().
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Name identifies the embedder and its settings (model, version), so an
	// index built with one is never queried with another.
	Name() string
	// Dim is the vector length.
	Dim() int
}

// Tokenizer turns text into normalised keyword-search terms: simplified
// characters, lower case, stop words removed, synonyms mapped so that both
// names of a thing produce a shared term.
type Tokenizer interface {
	Terms(text string) []string
}

package banban

import (
	"fmt"
	"time"
)

// Chunk is the unit of retrieval: one item section, one FAQ pair, or one
// structural piece of a policy. It carries copies of its document's metadata
// so stores can filter without a join.
type Chunk struct {
	// ID is "<doc id>#<ordinal>", stable for a given version of a document.
	ID      string `json:"id"`
	DocID   string `json:"doc"`
	Ordinal int    `json:"ordinal"`
	Kind    Kind   `json:"kind"`
	// Title is the document title; Section the heading the chunk belongs to.
	Title   string `json:"title"`
	Section string `json:"section"`
	// Text is the chunk's text as written, for display.
	Text string `json:"text"`
	// Terms are the normalised keyword-search terms (jieba search-mode tokens
	// plus synonym canonical forms) of the title, aliases, section and text.
	Terms []string `json:"terms,omitempty"`
	// Vector is the embedding of the chunk's indexed text.
	Vector []float32 `json:"-"`

	Department string    `json:"department,omitempty"`
	Region     string    `json:"region,omitempty"`
	Effective  time.Time `json:"effective,omitzero"`
	Expires    time.Time `json:"expires,omitzero"`
}

// ChunkID builds the id of the n-th chunk of a document.
func ChunkID(docID string, n int) string { return fmt.Sprintf("%s#%d", docID, n) }

// ValidAt reports whether the chunk's document is in force at time t.
func (c *Chunk) ValidAt(t time.Time) bool { return validAt(c.Effective, c.Expires, t) }

// Filter restricts a search. Zero values mean no restriction, except At:
// a zero At means "now" to the caller that fills it in; stores treat a zero At
// as no validity check.
type Filter struct {
	Kinds      []Kind    `json:"kinds,omitempty"`
	Region     string    `json:"region,omitempty"`
	Department string    `json:"department,omitempty"`
	DocIDs     []string  `json:"docs,omitempty"`
	At         time.Time `json:"at,omitzero"`
}

// Match reports whether c passes the filter.
func (f Filter) Match(c *Chunk) bool {
	if len(f.Kinds) > 0 && !containsKind(f.Kinds, c.Kind) {
		return false
	}
	if f.Region != "" && c.Region != f.Region {
		return false
	}
	if f.Department != "" && c.Department != f.Department {
		return false
	}
	if len(f.DocIDs) > 0 && !containsString(f.DocIDs, c.DocID) {
		return false
	}
	if !f.At.IsZero() && !c.ValidAt(f.At) {
		return false
	}
	return true
}

func containsKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Hit is one ranked search result: a chunk with its score from one retriever
// or from the fusion of several.
type Hit struct {
	Chunk Chunk   `json:"chunk"`
	Score float64 `json:"score"`
}

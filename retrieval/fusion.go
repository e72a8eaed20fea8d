package retrieval

import "github.com/banban-gov/banban"

// rankLists are the ranked outputs of the three retrievers.
type rankLists struct {
	vector  []banban.Hit
	keyword []banban.Hit
	names   []banban.NameMatch
	// extra are chunks of name-matched documents no other retriever found.
	extra []banban.Chunk
}

// Reciprocal rank fusion constants. RRF adds 1/(k+rank) per list instead of
// summing raw scores, because cosine similarities, BM25 scores and name
// matches live on scales that cannot be compared; k=60 is the value of the
// original RRF paper and damps the difference between neighbouring ranks.
// A name found in the question is the strongest evidence a citizen gives, so
// it weighs more than either search.
const (
	rrfK          = 60.0
	weightVector  = 1.0
	weightKeyword = 1.0
	weightName    = 1.5
)

// fuse merges the lists into one ranking of chunks.
func fuse(l rankLists) []Hit {
	byID := make(map[string]*Hit)
	var order []string
	get := func(c banban.Chunk) *Hit {
		h, ok := byID[c.ID]
		if !ok {
			h = &Hit{Hit: banban.Hit{Chunk: c}}
			byID[c.ID] = h
			order = append(order, c.ID)
		}
		return h
	}
	for i, v := range l.vector {
		h := get(v.Chunk)
		h.VectorRank, h.VectorScore = i+1, v.Score
		h.Score += weightVector / (rrfK + float64(i+1))
	}
	for i, k := range l.keyword {
		h := get(k.Chunk)
		h.KeywordRank, h.KeywordScore = i+1, k.Score
		h.Score += weightKeyword / (rrfK + float64(i+1))
	}
	for _, c := range l.extra {
		get(c)
	}
	docRank := make(map[string]banban.NameMatch, len(l.names))
	rank := make(map[string]int, len(l.names))
	for i, m := range l.names {
		if _, ok := rank[m.DocID]; !ok {
			rank[m.DocID], docRank[m.DocID] = i+1, m
		}
	}
	hits := make([]Hit, 0, len(order))
	for _, id := range order {
		h := byID[id]
		if r, ok := rank[h.Chunk.DocID]; ok {
			m := docRank[h.Chunk.DocID]
			h.NameRank, h.Name, h.ExactName = r, m.Name, m.Exact
			h.Score += weightName / (rrfK + float64(r))
		}
		hits = append(hits, *h)
	}
	sortHits(hits)
	return hits
}

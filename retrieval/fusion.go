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

// rrfK is the reciprocal rank fusion constant. RRF adds w/(k+rank) per list
// instead of summing raw scores, because cosine similarities, BM25 scores and
// name matches live on scales that cannot be compared; k=60 is the value of
// the original RRF paper and damps the difference between neighbouring ranks.
const rrfK = 60.0

// Weights are the weights of the three retrievers in the fusion.
type Weights struct {
	Vector, Keyword, Name float64
}

// DefaultWeights suit a real embedding model. A name found in the question is
// the strongest evidence a citizen gives, so it weighs more than either search.
var DefaultWeights = Weights{Vector: 1, Keyword: 1, Name: 1.5}

// LexicalVectorWeight is the vector weight for an embedder that only hashes
// words (the offline default): its vectors repeat what BM25 already knows,
// less well (jieba's general-language IDF instead of the knowledge base's),
// so they only break ties. Measured on the ncp-policy benchmark, weight 1
// gives hit@1 0.653 and weight 0.02 gives 0.728.
const LexicalVectorWeight = 0.02

// fuse merges the lists into one ranking of chunks.
func fuse(l rankLists, w Weights) []Hit {
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
		h.Score += w.Vector / (rrfK + float64(i+1))
	}
	for i, k := range l.keyword {
		h := get(k.Chunk)
		h.KeywordRank, h.KeywordScore = i+1, k.Score
		h.Score += w.Keyword / (rrfK + float64(i+1))
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
			h.Score += w.Name / (rrfK + float64(r))
		}
		hits = append(hits, *h)
	}
	sortHits(hits)
	return hits
}

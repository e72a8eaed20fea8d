package bot

import (
	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
)

// docHits are the hits of one document, best first.
type docHits struct {
	id       string
	title    string
	score    float64 // best fused score
	coverage float64 // best coverage
	name     string  // the longest name of the document found in the question
	hits     []retrieval.Hit
}

// groupByDoc groups fused hits by document, keeping the documents in the
// order of their best hit.
func groupByDoc(hits []retrieval.Hit) []docHits {
	var out []docHits
	idx := make(map[string]int)
	for _, h := range hits {
		i, ok := idx[h.Chunk.DocID]
		if !ok {
			i = len(out)
			idx[h.Chunk.DocID] = i
			out = append(out, docHits{id: h.Chunk.DocID, title: h.Chunk.Title, score: h.Score, name: h.Name})
		}
		d := &out[i]
		d.hits = append(d.hits, h)
		if h.Coverage > d.coverage {
			d.coverage = h.Coverage
		}
	}
	return out
}

// decision is what to do with a search result.
type decision struct {
	action  banban.Action
	reason  string
	options []docHits
}

// clarifyMargin is how much more of the question the best of several
// equally named documents must cover to be chosen without asking back.
const clarifyMargin = 0.12

// decide picks the action for a search result: decline when nothing covers
// the question well enough (never answer from nowhere), clarify when the
// question names something several different documents are called by, and
// otherwise answer from the best document.
func decide(docs []docHits, minCoverage float64) decision {
	if len(docs) == 0 {
		return decision{action: banban.ActionDecline, reason: "no_hits"}
	}
	top := docs[0]
	if top.coverage < minCoverage && top.name == "" {
		return decision{action: banban.ActionDecline, reason: "low_coverage"}
	}
	if opts := sharedName(docs); len(opts) > 1 {
		if opts[0].coverage-opts[1].coverage < clarifyMargin {
			return decision{action: banban.ActionClarify, reason: "ambiguous", options: opts}
		}
	}
	return decision{action: banban.ActionAnswer}
}

// sharedName returns the documents with different titles that the question
// names by the same, longest name (营业执照 for both the sole-trader and the
// company registration), best covered first.
func sharedName(docs []docHits) []docHits {
	longest := ""
	for _, d := range docs {
		if len([]rune(d.name)) > len([]rune(longest)) {
			longest = d.name
		}
	}
	if longest == "" {
		return nil
	}
	var out []docHits
	titles := make(map[string]bool)
	for _, d := range docs {
		if d.name == longest && !titles[d.title] {
			titles[d.title] = true
			out = append(out, d)
		}
	}
	sortByCoverage(out)
	if len(out) > maxOptions {
		out = out[:maxOptions]
	}
	return out
}

// maxOptions is the most choices offered in one clarification.
const maxOptions = 4

func sortByCoverage(ds []docHits) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].coverage > ds[j-1].coverage; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

package bot

import (
	"github.com/banban-gov/banban/retrieval"
)

// regionTerms returns the terms of the region every hit belongs to. A
// knowledge base is usually about one place, and citizens name it (示例市的
// 消费券在哪里领?): a word every candidate document shares says nothing about
// which of them the question is about, yet jieba may weigh a city's name as a
// rare word. Terms of a region only some hits have (广州 among guides of
// 广东省) still tell documents apart and are kept.
func (b *Bot) regionTerms(hits []retrieval.Hit) map[string]bool {
	var common map[string]bool
	seen := make(map[string]bool)
	for _, h := range hits {
		r := h.Chunk.Region
		if r == "" {
			return nil
		}
		if seen[r] {
			continue
		}
		seen[r] = true
		terms := make(map[string]bool)
		for _, t := range b.tok.Terms(r) {
			if common == nil || common[t] {
				terms[t] = true
			}
		}
		common = terms
	}
	return common
}

// dropTerms deletes the given terms from a weight map.
func dropTerms(weights map[string]float64, terms map[string]bool) {
	for t := range terms {
		delete(weights, t)
	}
}

// docRegionTerms returns the terms of one document's region, which every
// passage of the document shares.
func (b *Bot) docRegionTerms(region string) map[string]bool {
	if region == "" {
		return nil
	}
	out := make(map[string]bool)
	for _, t := range b.tok.Terms(region) {
		out[t] = true
	}
	return out
}

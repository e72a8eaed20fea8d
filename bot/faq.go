package bot

import (
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
)

// faqBody returns the answer of the best-matching question, verbatim: the
// one whose question shares the most of the citizen's words (a long answer
// may mention them all without being about them). The FAQ's chunks search
// found come first and win ties, in the search's order; the FAQ's other
// questions follow, since a question may match one whose answer happens to
// share no word with it (礼拜天政务服务中心开门吗 and 政务服务中心的办公时间
// 是怎样的, answered by 周一至周五…每周六…).
func (b *Bot) faqBody(doc banban.Document, t turn, hits []retrieval.Hit) (string, []string) {
	weights := b.faqWeights(doc, t)
	best, bestScore := banban.Section{}, -1.0
	consider := func(s banban.Section) {
		if strings.TrimSpace(s.Text) == "" {
			return
		}
		if sc := retrieval.Coverage(weights, b.tok.Terms(s.Heading)); sc > bestScore {
			best, bestScore = s, sc
		}
	}
	for _, h := range hits {
		consider(banban.Section{Heading: h.Chunk.Section, Text: h.Chunk.Text})
	}
	for _, s := range doc.Sections {
		consider(s)
	}
	if bestScore < 0 {
		return "", nil
	}
	return strings.TrimSpace(best.Text), []string{best.Heading}
}

// faqWeights weighs the terms an FAQ question should share with the
// citizen's. The kind of answer asked for counts as well: 礼拜六去政务大厅能办事不
// asks for opening hours without saying so, and of the FAQ's questions about
// the hall, 政务服务中心的办公时间是怎样的 is the one that answers it; the asked
// section's own name (办理时间) is what the tokenizer makes of 办公时间.
func (b *Bot) faqWeights(doc banban.Document, t turn) map[string]float64 {
	weights := b.queryWeights(t.matchText())
	dropTerms(weights, b.docRegionTerms(doc.Region))
	if t.section == "" {
		return weights
	}
	idf, _ := b.tok.(retrieval.Weigher)
	for _, term := range b.tok.Terms(t.section) {
		if _, ok := weights[term]; !ok && idf != nil {
			weights[term] = idf.IDF(term)
		}
	}
	return weights
}

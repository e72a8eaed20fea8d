package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
)

// docHits are the hits of one document, best first.
type docHits struct {
	id    string
	title string
	score float64 // best fused score
	// topic is the best share of the question's topic terms (its terms other
	// than section words) that one of the document's chunks contains.
	topic float64
	name  string // the longest name of the document found in the question
	hits  []retrieval.Hit
}

// sectionTerms are the canonical terms the tokenizer's synonym table gives
// section words (多少钱 -> 收费, 在哪 -> 地点). Every item guide has them, so
// they say nothing about which item a question is about.
var sectionTerms = map[string]bool{
	"时限": true, "收费": true, "地点": true, "材料": true,
	"电话": true, "流程": true, "条件": true, "依据": true, "办理时间": true,
}

// cueTerms are the specific section cues that are words of their own (周末,
// 窗口, 上班): like section terms, they tell which part of a guide is wanted,
// not which guide. Generic cues (要求, 规定) are often the topic itself.
var cueTerms = func() map[string]bool {
	m := make(map[string]bool)
	for _, sc := range sectionCues {
		for _, c := range sc.specific {
			m[c] = true
		}
	}
	return m
}()

// topicWeights weighs the question's topic terms by IDF.
func topicWeights(terms []string, idf func(string) float64) map[string]float64 {
	w := make(map[string]float64, len(terms))
	for _, t := range terms {
		if !sectionTerms[t] && !cueTerms[t] {
			w[t] = idf(t)
		}
	}
	return w
}

// rarestTerm returns the topic term with the highest weight that is a word
// (two or more characters) of at least minIDF, or "".
func rarestTerm(weights map[string]float64, minIDF float64) string {
	best, bestW := "", minIDF
	for t, w := range weights {
		if w >= bestW && utf8.RuneCountInString(t) >= 2 && (w > bestW || t < best) {
			best, bestW = t, w
		}
	}
	return best
}

// groupByDoc groups fused hits by document, keeping the documents in the
// order of their best hit.
func groupByDoc(hits []retrieval.Hit, weights map[string]float64) []docHits {
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
		if c := retrieval.Coverage(weights, h.Chunk.Terms); c > d.topic {
			d.topic = c
		}
	}
	return out
}

// decision is what to do with a search result.
type decision struct {
	action  banban.Action
	reason  string
	options []docHits
	// answer is the index of the document to answer from.
	answer int
}

// confidentTopic is the topic coverage above which a question's rarest
// word being unknown to the knowledge base no longer means it asks about
// something else: jieba cuts some words oddly (上一年级 holds 上一年), and
// such a fragment is absent from every guide.
const confidentTopic = 0.6

// clarifyMargin is how much more of the question the best of several
// equally named documents must cover to be chosen without asking back.
const clarifyMargin = 0.12

// choose decides what to do with a question's search result: decide, and
// when it answers a question asking for no section or for an amount, let a
// policy answer over the item the question names (policyOverNamed).
// In a conversation with a document in focus, a one-word question is a
// follow-up, never vague (需要本人去吗 after 离婚登记).
func choose(docs []docHits, t turn, minTopic float64, unknownTerm bool, weights map[string]float64, focused bool) decision {
	if !focused {
		if opts := vagueOptions(docs, minTopic, len(weights)); len(opts) > 0 {
			return decision{action: banban.ActionClarify, reason: "vague", options: opts}
		}
	}
	d := decide(docs, minTopic, unknownTerm, containsAny(t.norm, bundleCues))
	if d.action == banban.ActionClarify {
		if i := titleWinner(docs, d.options, weights); i >= 0 {
			d = decision{action: banban.ActionAnswer, answer: i}
		}
	}
	if d.action == banban.ActionAnswer && (t.section == "" || amountSections[t.section]) {
		d.answer = policyOverNamed(docs, d.answer)
	}
	return d
}

// titleMargin is how much more of a question one equally named
// document's title must hold for it to be chosen without asking back.
const titleMargin = 0.1

// titleWinner returns the index in docs of the one option whose title
// holds clearly more of the question's topic than the others' (社保卡补办:
// both card guides are called 社保卡 and mention 补办, but only 社会保障卡挂失
// 补办 says it in its title), or -1.
func titleWinner(docs, opts []docHits, weights map[string]float64) int {
	best, second, pick := -1.0, -1.0, ""
	for _, o := range opts {
		v := titleShare(o.title, weights)
		switch {
		case v > best:
			second, best, pick = best, v, o.id
		case v > second:
			second = v
		}
	}
	if best-second < titleMargin {
		return -1
	}
	for i, d := range docs {
		if d.id == pick {
			return i
		}
	}
	return -1
}

// titleShare is the share of the question's topic weight whose terms the
// title contains.
func titleShare(title string, weights map[string]float64) float64 {
	var in, all float64
	for term, w := range weights {
		all += w
		if strings.Contains(title, term) {
			in += w
		}
	}
	if all == 0 {
		return 0
	}
	return in / all
}

// vagueRank bounds how deep in the ranking vagueOptions looks, and
// vagueMinOptions is how many equally fitting items make a question vague.
const (
	vagueRank       = 6
	vagueMinOptions = 3
	// vagueScoreShare is how close to the best fused score an option must
	// rank: when keyword and vector search both put one guide clearly first
	// (那离婚呢 and 离婚登记), the question is not vague.
	vagueScoreShare = 0.93
)

// vagueOptions returns the item guides and bundles that fit a question of
// one topic word equally well (补办怎么弄, 证件丢了怎么办: every guide on a
// replacement holds 补办 or 丢), when there are at least vagueMinOptions of
// them, the question names none and they rank about equally; nil
// otherwise. Such a question is asked back, not answered from whichever
// guide happens to rank first.
func vagueOptions(docs []docHits, minTopic float64, topicTerms int) []docHits {
	if topicTerms != 1 || len(docs) < vagueMinOptions || docs[0].name != "" {
		return nil
	}
	floor := max(minTopic, docs[0].topic-0.01)
	var out []docHits
	titles := make(map[string]bool)
	for _, d := range docs[:min(len(docs), vagueRank)] {
		if d.topic >= floor && d.score >= docs[0].score*vagueScoreShare &&
			(isKind(d, banban.KindItem) || isKind(d, banban.KindBundle)) && !titles[d.title] {
			titles[d.title] = true
			out = append(out, d)
		}
	}
	if len(out) < vagueMinOptions {
		return nil
	}
	return out[:min(len(out), maxOptions)]
}

// decide picks the action for a search result: decline when nothing covers
// the question's topic well enough or its rarest word is unknown to the
// knowledge base (never answer from nowhere), clarify when the question names
// something several different documents are called by, and otherwise answer
// from the best document. A document named in the question is enough
// evidence on its own.
func decide(docs []docHits, minTopic float64, unknownTerm, wantsBundle bool) decision {
	if len(docs) == 0 {
		return decision{action: banban.ActionDecline, reason: "no_hits"}
	}
	if opts := sharedName(docs); len(opts) > 1 && opts[0].topic-opts[1].topic < clarifyMargin {
		if i := betterCovered(docs, opts); i >= 0 {
			return decision{action: banban.ActionAnswer, answer: i}
		}
		return decision{action: banban.ActionClarify, reason: "ambiguous", options: opts}
	}
	if i := bundleFor(docs, wantsBundle); i >= 0 {
		return decision{action: banban.ActionAnswer, answer: i}
	}
	i := max(clearlyBetter(docs, minTopic), 0)
	if top := docs[i]; top.name == "" {
		if unknownTerm && top.topic < confidentTopic {
			return decision{action: banban.ActionDecline, reason: "unknown_term"}
		}
		if top.topic < minTopic {
			return decision{action: banban.ActionDecline, reason: "low_coverage"}
		}
	}
	return decision{action: banban.ActionAnswer, answer: i}
}

// betterCovered returns the index of a well-ranked document outside the
// equally named ones that covers the question clearly better than they do,
// or -1: 退休了提公积金 names 公积金, which several guides are called, but the
// retirement withdrawal covers the whole question.
func betterCovered(docs []docHits, opts []docHits) int {
	named := make(map[string]bool, len(opts))
	for _, o := range opts {
		named[o.id] = true
	}
	for i, d := range docs[:min(len(docs), betterCoveredRank)] {
		if !named[d.id] && d.topic > opts[0].topic+clarifyMargin/2 {
			return i
		}
	}
	return -1
}

// betterCoveredRank bounds how deep in the ranking betterCovered looks.
const betterCoveredRank = 10

// sharedName returns the documents with different titles that the question
// names by the same, longest name (营业执照 for both the sole-trader and the
// company registration), best covered first.
func sharedName(docs []docHits) []docHits {
	longest := ""
	for _, d := range docs {
		if utf8.RuneCountInString(d.name) > utf8.RuneCountInString(longest) {
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
	sortByTopic(out)
	if len(out) > maxOptions {
		out = out[:maxOptions]
	}
	return out
}

// maxOptions is the most choices offered in one clarification.
const maxOptions = 4

func sortByTopic(ds []docHits) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].topic > ds[j-1].topic; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// bundleRank bounds how deep in the ranking bundleFor looks.
const bundleRank = 5

// bundleMinTopic is the coverage a bundle needs to answer a question that
// asks for everything at once: such a question shares few words with the
// bundle (我明年退休，一共要办哪几件事 shares only 退休), so far less than the
// usual coverage is enough.
const bundleMinTopic = 0.15

// bundleFor returns the index of the 一件事 bundle to answer a question that
// asks for everything to do at once (一共要办哪几件事, 能一起办吗), or -1.
func bundleFor(docs []docHits, wantsBundle bool) int {
	if !wantsBundle {
		return -1
	}
	for i, d := range docs[:min(len(docs), bundleRank)] {
		if len(d.hits) > 0 && d.hits[0].Chunk.Kind == banban.KindBundle && d.topic >= bundleMinTopic {
			return i
		}
	}
	return -1
}

// policyMargin is how much more of a question a policy must cover than the
// item guide the question names for the policy to answer instead.
const policyMargin = 0.1

// policyRank bounds how deep in the ranking policyOverNamed looks.
const policyRank = 5

// policyOverNamed returns the index of the document to answer from when
// the question names an item but asks for none of its sections, or for an
// amount: a policy among the best ranked that covers the question clearly
// better, or else answer. 低保边缘家庭的收入线是多少 names 低保, whose guide
// tells how to apply, while the figure asked for is set by the policy on 低保
// standards; a guide answers a question about its own procedure, which this
// one does not ask.
func policyOverNamed(docs []docHits, answer int) int {
	named := docs[answer]
	if named.name == "" || !isKind(named, banban.KindItem) {
		return answer
	}
	best, bestTopic := answer, named.topic+policyMargin
	for i, d := range docs[:min(len(docs), policyRank)] {
		if isKind(d, banban.KindPolicy) && (d.topic > bestTopic || best == answer && d.topic >= bestTopic) {
			best, bestTopic = i, d.topic
		}
	}
	return best
}

// clearlyBetterMargin and clearlyBetterRank bound clearlyBetter: how much
// more of the question a runner-up must cover, and how far down it may be.
const (
	clearlyBetterMargin = 0.3
	clearlyBetterRank   = 3
	// namedMargin and namedFullTopic are the margin and the coverage a
	// runner-up needs to override a document the question names.
	namedMargin    = 0.25
	namedFullTopic = 0.95
)

// clearlyBetter returns the index of a runner-up that covers far more of
// the question's topic than the best-ranked document, which no name in the
// question supports, or -1. Keyword ranking rewards the words that say what
// is asked (个体户登记窗口周末上班吗: 周末, 上班, 窗口), which a guide on
// something else may hold all of; the guide on 个体户 holds the topic.
func clearlyBetter(docs []docHits, minTopic float64) int {
	margin := clearlyBetterMargin
	if docs[0].name != "" {
		// A name in the question is strong evidence; only a guide that
		// covers the whole question overrides it (生孩子的津贴怎么领 names
		// the birth bundle by 生孩子, but the maternity allowance guide
		// holds 生孩子, 津贴 and 领).
		margin = namedMargin
	}
	best, bestTopic := -1, max(minTopic, docs[0].topic+margin)
	for i, d := range docs[1:min(len(docs), clearlyBetterRank)] {
		if docs[0].name != "" && (d.name != "" || d.topic < namedFullTopic) {
			continue
		}
		if d.topic > bestTopic || best < 0 && d.topic >= bestTopic {
			best, bestTopic = i+1, d.topic
		}
	}
	return best
}

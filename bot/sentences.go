package bot

import (
	"regexp"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Limits of a policy answer: one passage, not the whole article.
const (
	maxPolicyRunes = 600
	policyChunks   = 3
)

// policyBody answers from a policy with the passage that best matches the
// question: the best-scoring sentence of the document's best chunks and the
// sentences after it, up to the length limit. A policy usually states the
// matter first (通知要求，一手抓疫情防控。) and the particulars after it, so
// the sentences that follow the best match carry the answer more often than
// other scattered matches do.
func (b *Bot) policyBody(doc banban.Document, question string, hits []retrieval.Hit) (string, []string) {
	if len(hits) > policyChunks {
		hits = hits[:policyChunks]
	}
	figure := answerPattern(textnorm.Normalize(question))
	weights := b.passageWeights(doc, question, figure != nil)
	best, bestScore, bestSec := "", 0.0, ""
	for _, h := range hits {
		if s, sc := b.bestSentence(doc, h.Chunk.Text, weights, figure); sc > bestScore {
			best, bestScore, bestSec = s, sc, h.Chunk.Section
		}
	}
	if best == "" {
		return "", nil
	}
	var secs []string
	if bestSec != "" {
		secs = []string{bestSec}
	}
	return "《" + doc.Title + "》\n" + passageFrom(documentText(doc), best), secs
}

// bestSentence returns the sentence of a chunk's text that starts the
// best-scoring window, and its score. A window holding the kind of figure
// the question asks for (figure, when not nil) scores higher.
func (b *Bot) bestSentence(doc banban.Document, text string, weights map[string]float64, figure *regexp.Regexp) (string, float64) {
	sents := splitSentences(text)
	terms := make([][]string, len(sents))
	for i, s := range sents {
		terms[i] = b.tok.Terms(s)
	}
	best, bestScore := "", 0.0
	for i, s := range sents {
		if s == doc.Title {
			continue
		}
		end := min(len(terms), i+scoreWindow)
		sc := windowScore(weights, terms[i:end])
		if figure != nil && figure.MatchString(strings.Join(sents[i:end], "")) {
			sc *= answerBoost
		}
		if sc > bestScore {
			best, bestScore = s, sc
		}
	}
	return best, bestScore
}

// passageWeights weighs the question's terms for choosing a passage of doc.
// Words of the document's region count for nothing and words of its title
// for less: the whole document is about them, so they say little about
// which of its passages answers (灵活就业社保补贴每个季度啥时候去申报, asked of
// the 灵活就业人员社会保险补贴实施办法, is told apart by 季度 and 申报). When the
// question asks for a figure, the figure stands for the words that ask for
// it: 多少钱 reads as 收费, yet a sentence on 分娩费用 states no amount.
func (b *Bot) passageWeights(doc banban.Document, question string, wantsFigure bool) map[string]float64 {
	weights := b.queryWeights(question)
	dropTerms(weights, b.docRegionTerms(doc.Region))
	if wantsFigure {
		dropTerms(weights, sectionTerms)
	}
	for _, t := range b.tok.Terms(doc.Title) {
		if w, ok := weights[t]; ok {
			weights[t] = w * titleWeight
		}
	}
	return weights
}

// titleWeight scales the weight of a question word in the title of the
// document a passage is chosen from (measured on the ncp-policy benchmark:
// 1 gives fact recall 0.676, 0.5 gives 0.687, 0.2 gives 0.691).
const titleWeight = 0.2

// scoreWindow is how many sentences, from a candidate start on, are scored
// together: a passage is chosen by where the question's words are densest,
// not by its single best sentence, since an answer often spreads over the
// sentence that names the matter and the ones that give the figures.
const scoreWindow = 2

// windowScore is the IDF weight of the question's terms found in a window
// of sentences, counting each term once and damping the first sentence's
// contribution for length a little.
func windowScore(weights map[string]float64, window [][]string) float64 {
	have := make(map[string]int)
	for i, ts := range window {
		for _, t := range ts {
			if _, ok := have[t]; !ok {
				have[t] = i
			}
		}
	}
	var sum float64
	for _, t := range retrieval.SortedTerms(weights) {
		if i, ok := have[t]; ok {
			w := weights[t]
			if i > 0 {
				w *= 0.5
			}
			sum += w
		}
	}
	return sum
}

// documentText is a whole document as one text, sections on their own lines.
func documentText(doc banban.Document) string {
	var sb strings.Builder
	for _, sec := range doc.Sections {
		if sec.Heading != "" {
			sb.WriteString(sec.Heading + "\n")
		}
		sb.WriteString(sec.Text + "\n")
	}
	return sb.String()
}

// passageFrom returns the text of the document from the anchor sentence on,
// ending at a sentence end within maxPolicyRunes (or after the anchor alone
// when it is longer). It cuts the original text rather than rejoining
// sentences, so the passage reads exactly as the document does.
func passageFrom(text, anchor string) string {
	start := strings.Index(text, anchor)
	if start < 0 {
		return anchor
	}
	rest := []rune(text[start:])
	end := len([]rune(anchor))
	for i := end; i < len(rest) && i < maxPolicyRunes; i++ {
		if isSentenceEnd(rest[i]) {
			end = i + 1
		}
	}
	return strings.TrimSpace(string(rest[:end]))
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '\n':
		return true
	}
	return false
}

func (b *Bot) queryWeights(question string) map[string]float64 {
	idf, _ := b.tok.(retrieval.Weigher)
	w := make(map[string]float64)
	for _, t := range b.tok.Terms(question) {
		if idf != nil {
			w[t] = idf.IDF(t)
		} else {
			w[t] = 1
		}
	}
	return w
}

// splitSentences cuts text after sentence-ending punctuation and at line
// breaks, keeping the punctuation. Semicolons do not end a sentence: policy
// clauses joined by them (符合条件的…；逾期的…) answer one question together.
func splitSentences(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for _, r := range text {
		if r == '\n' {
			flush()
			continue
		}
		cur.WriteRune(r)
		if isSentenceEnd(r) {
			flush()
		}
	}
	flush()
	return out
}

package bot

import (
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
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
	weights := b.queryWeights(question)
	best, bestScore, bestSec := "", 0.0, ""
	for _, h := range hits {
		for _, s := range splitSentences(h.Chunk.Text) {
			if s == doc.Title {
				continue
			}
			if sc := b.sentenceScore(weights, s); sc > bestScore {
				best, bestScore, bestSec = s, sc, h.Chunk.Section
			}
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

// sentenceScore is the IDF weight of the question's terms the sentence
// contains, lightly damped by length so a long sentence does not win only
// by saying more.
func (b *Bot) sentenceScore(weights map[string]float64, s string) float64 {
	have := make(map[string]bool)
	for _, t := range b.tok.Terms(s) {
		have[t] = true
	}
	var sum float64
	for t, w := range weights {
		if have[t] {
			sum += w
		}
	}
	return sum / (1 + float64(len([]rune(s)))/400)
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

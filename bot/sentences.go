package bot

import (
	"sort"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
)

// Limits of a policy answer: the best few sentences, not the whole article.
const (
	maxPolicySentences = 3
	maxPolicyRunes     = 400
	policyChunks       = 3
)

type sentence struct {
	text  string
	chunk int // rank of the chunk it came from
	pos   int // position within the chunk
	score float64
	sec   string
}

// policyBody answers from a policy with the sentences that best match the
// question, in document order, taken from the document's best chunks.
func (b *Bot) policyBody(doc banban.Document, question string, hits []retrieval.Hit) (string, []string) {
	if len(hits) > policyChunks {
		hits = hits[:policyChunks]
	}
	weights := b.queryWeights(question)
	var all []sentence
	for ci, h := range hits {
		for si, s := range splitSentences(h.Chunk.Text) {
			all = append(all, sentence{text: s, chunk: ci, pos: si, sec: h.Chunk.Section,
				score: b.sentenceScore(weights, s)})
		}
	}
	picked := pickSentences(all)
	if len(picked) == 0 {
		return "", nil
	}
	var sb strings.Builder
	sb.WriteString("《" + doc.Title + "》")
	var secs []string
	seen := map[string]bool{}
	for _, s := range picked {
		sb.WriteString("\n" + s.text)
		if s.sec != "" && !seen[s.sec] {
			seen[s.sec] = true
			secs = append(secs, s.sec)
		}
	}
	return sb.String(), secs
}

// pickSentences chooses the best-scoring sentences within the limits and
// returns them in reading order.
func pickSentences(all []sentence) []sentence {
	ranked := make([]sentence, len(all))
	copy(ranked, all)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].score > ranked[j].score })
	var picked []sentence
	runes := 0
	for _, s := range ranked {
		if s.score <= 0 || len(picked) >= maxPolicySentences {
			break
		}
		n := len([]rune(s.text))
		if runes > 0 && runes+n > maxPolicyRunes {
			continue
		}
		picked = append(picked, s)
		runes += n
	}
	sort.SliceStable(picked, func(i, j int) bool {
		if picked[i].chunk != picked[j].chunk {
			return picked[i].chunk < picked[j].chunk
		}
		return picked[i].pos < picked[j].pos
	})
	return picked
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
// breaks, keeping the punctuation.
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
		switch r {
		case '。', '！', '？', '；', '!', '?', ';':
			flush()
		}
	}
	flush()
	return out
}

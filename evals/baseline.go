package evals

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/knowledge"
)

// SplitFunc splits text into chunks of at most size characters with overlap.
type SplitFunc func(text string, size, overlap int) ([]string, error)

// Baseline is the plain pipeline a Go developer would assemble from
// langchaingo alone: a recursive character splitter at 512 characters with 64
// overlap over each whole document, the same embedder as Banban, cosine
// top-k, and the best chunk as the answer. It always answers.
type Baseline struct {
	emb    banban.Embedder
	chunks []baseChunk
}

type baseChunk struct {
	doc  string
	text string
	vec  []float32
}

// Baseline chunking settings, as a langchaingo tutorial would set them.
const (
	baselineChunkSize = 512
	baselineOverlap   = 64
	baselineTopK      = 5
)

// NewBaseline reads and indexes every document of fsys.
func NewBaseline(ctx context.Context, fsys fs.FS, emb banban.Embedder, split SplitFunc) (*Baseline, error) {
	paths, err := knowledge.Files(fsys)
	if err != nil {
		return nil, fmt.Errorf("list knowledge base: %w", err)
	}
	b := &Baseline{emb: emb}
	for _, p := range paths {
		doc, err := knowledge.ParseFile(fsys, p, 20<<20)
		if err != nil {
			continue // the baseline skips what it cannot read
		}
		parts, err := split(wholeText(doc), baselineChunkSize, baselineOverlap)
		if err != nil {
			return nil, fmt.Errorf("split %s: %w", p, err)
		}
		if err := b.add(ctx, doc.ID, parts); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *Baseline) add(ctx context.Context, docID string, parts []string) error {
	if len(parts) == 0 {
		return nil
	}
	vecs, err := b.emb.Embed(ctx, parts)
	if err != nil {
		return fmt.Errorf("embed %s: %w", docID, err)
	}
	for i, p := range parts {
		b.chunks = append(b.chunks, baseChunk{doc: docID, text: p, vec: normalize(vecs[i])})
	}
	return nil
}

// wholeText is a document as one text, the way a generic loader sees it.
func wholeText(doc banban.Document) string {
	var sb strings.Builder
	sb.WriteString(doc.Title)
	for _, s := range doc.Sections {
		sb.WriteString("\n\n")
		if s.Heading != "" {
			sb.WriteString(s.Heading + "\n")
		}
		sb.WriteString(s.Text)
	}
	return sb.String()
}

// Reply answers with the chunk most similar to the question.
func (b *Baseline) Reply(ctx context.Context, req bot.Request) (bot.Reply, error) {
	vecs, err := b.emb.Embed(ctx, []string{req.Text})
	if err != nil {
		return bot.Reply{}, fmt.Errorf("embed question: %w", err)
	}
	q := normalize(vecs[0])
	type scored struct {
		i     int
		score float64
	}
	all := make([]scored, len(b.chunks))
	for i, c := range b.chunks {
		all[i] = scored{i, dot(q, c.vec)}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].score > all[j].score })
	ans := banban.Answer{Action: banban.ActionAnswer}
	seen := map[string]bool{}
	for _, s := range all[:min(baselineTopK, len(all))] {
		c := b.chunks[s.i]
		if ans.Text == "" {
			ans.Text = c.text
		}
		if !seen[c.doc] {
			seen[c.doc] = true
			ans.Citations = append(ans.Citations, banban.Citation{DocID: c.doc, Score: s.score})
		}
	}
	return bot.Reply{ConversationID: req.ConversationID, Answer: ans}, nil
}

func normalize(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if n == 0 {
		return out
	}
	inv := 1 / math.Sqrt(n)
	for i, x := range v {
		out[i] = float32(float64(x) * inv)
	}
	return out
}

func dot(a, b []float32) float64 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return float64(s)
}

// Package hashembed is Banban's default Embedder, which needs no model and
// no network. A text's vector is a feature-hashed bag of its jieba words,
// weighted by IDF, and of its Chinese character bigrams, which still match
// when jieba cuts the same phrase differently in a question and in a guide.
// Term counts are damped (1 + ln tf) and the vector is L2-normalised. The
// same text gives the same vector on every run and every machine, so an
// index built in one place can be queried in another.
package hashembed

import (
	"context"
	"fmt"

	"github.com/banban-gov/banban"
)

var _ banban.Embedder = (*Embedder)(nil)

// DefaultDim is the vector length New uses when given none.
const DefaultDim = 256

// Analyzer cuts text into words and weighs them; the jieba Tokenizer is one.
type Analyzer interface {
	// Words returns the normalised words of text, stop words included.
	Words(text string) []string
	// IDF returns a word's inverse document frequency; a word weighing 0 or
	// less is left out of the vector.
	IDF(word string) float64
}

// Embedder turns texts into hashed feature vectors. It is safe for
// concurrent use if its Analyzer is.
type Embedder struct {
	an  Analyzer
	dim int
}

// New returns an Embedder of dim dimensions (DefaultDim if dim <= 0) that
// cuts and weighs words with an.
func New(an Analyzer, dim int) *Embedder {
	if dim <= 0 {
		dim = DefaultDim
	}
	return &Embedder{an: an, dim: dim}
}

// Name identifies the feature scheme and dimension. Changing how features
// are chosen, weighted or hashed must change the version in the name, so
// that stores built with the old scheme refuse the new one.
func (e *Embedder) Name() string { return fmt.Sprintf("hashembed-v1-%d", e.dim) }

// Dim is the vector length.
func (e *Embedder) Dim() int { return e.dim }

// Embed returns one unit vector per text. A text without a weighted word
// (empty, punctuation, stop words only) gets the zero vector.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, text := range texts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[i] = e.vector(text)
	}
	return out, nil
}

package jieba

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Terms returns the keyword-search terms of text: its normalised words as
// jieba cuts them for search (whole words and the dictionary words inside
// them), without punctuation, spaces, stop words or question fillers, and
// with every synonym replaced by its group's canonical term. Numbers and Latin
// words are kept. Documents and questions go through the same function, so
// both names of a thing yield a shared term. Terms may repeat; the count is
// the term frequency.
func (t *Tokenizer) Terms(text string) []string {
	if len(text) > maxCachedText || t.closed() {
		return t.terms(text)
	}
	if terms, ok := t.cache.get(text); ok {
		return slices.Clone(terms)
	}
	terms := t.terms(text)
	t.cache.put(text, terms)
	return slices.Clone(terms)
}

func (t *Tokenizer) terms(text string) []string {
	words := t.cut(text)
	if len(words) == 0 {
		return nil
	}
	out := make([]string, 0, len(words)+len(words)/2)
	for _, w := range words {
		out = t.appendTerm(out, w)
		for _, part := range t.longParts(w) {
			// 统一社会信用代码 holds 社会信用代码, a name of itself: its
			// canonical term is already there.
			if c, ok := t.canon[part]; !ok || c != t.canon[w] {
				out = t.appendTerm(out, part)
			}
		}
	}
	return out
}

// appendTerm appends w unless it is a stop word, replacing a synonym by its
// group's canonical term. A synonym is never a stop word. Replacing rather
// than adding keeps one term per meaning, so the share of a question's terms
// a chunk covers does not halve when the citizen says 多少钱 and the guide
// says 收费.
func (t *Tokenizer) appendTerm(out []string, w string) []string {
	if canon, syn := t.canon[w]; syn {
		return append(out, canon)
	}
	if t.stop[w] {
		return out
	}
	return append(out, w)
}

// longParts returns the lexicon terms of minLong runes or more inside w,
// which jieba's search mode leaves out: 城乡居民基本医疗保险 holds
// 基本医疗保险, and a question about the latter should find it.
func (t *Tokenizer) longParts(w string) []string {
	r := []rune(w)
	if len(r) <= minLong {
		return nil
	}
	var parts []string
	for i := 0; i+minLong <= len(r); i++ {
		for j := i + minLong; j <= len(r); j++ {
			if j-i == len(r) {
				continue
			}
			if s := string(r[i:j]); t.long[s] {
				parts = append(parts, s)
			}
		}
	}
	return parts
}

// Words returns the normalised words of text as jieba cuts them for search,
// without punctuation and spaces but with stop words, and without synonym
// mapping: the raw material for sentence scoring and hashed embeddings.
func (t *Tokenizer) Words(text string) []string {
	return t.cut(text)
}

// IDF returns the inverse document frequency of a term, as Terms or Words
// return it, from jieba's table. A stop word or filler gets 0: it says
// nothing about the topic. The table leaves out single characters, so an
// unknown single character gets half the table's median (证, 卡 and 费 are
// common); numbers, user-dictionary words and the canonical names of
// synonyms get the median (domain terms are moderately rare). Any other
// unknown word was guessed by jieba's HMM from characters it could not place
// (房想 in 买了房想把户口迁过来) and is more often a mis-cut than a rare
// word, so it gets a third of the median.
func (t *Tokenizer) IDF(term string) float64 {
	if _, syn := t.canon[term]; !syn && t.stop[term] {
		return 0
	}
	if v, ok := t.idf[term]; ok {
		return v
	}
	if utf8.RuneCountInString(term) == 1 {
		return t.median / 2
	}
	if _, syn := t.canon[term]; syn || t.user[term] || isNumber(term) {
		return t.median
	}
	return t.median / 3
}

// cut normalises text and returns jieba's search-mode words that hold a
// letter or a digit.
func (t *Tokenizer) cut(text string) []string {
	norm := textnorm.Normalize(text)
	// The read lock, released after the call, also keeps t and so the Jieba
	// reachable: gojieba's finalizer would otherwise be free to run during
	// the C call, which does not keep its receiver alive.
	t.mu.RLock()
	if t.jb == nil {
		t.mu.RUnlock()
		return nil
	}
	words := t.jb.CutForSearch(norm, true)
	t.mu.RUnlock()
	out := words[:0]
	for _, w := range words {
		if isWord(w) {
			out = append(out, w)
		}
	}
	return out
}

// isWord reports whether w holds a letter (Chinese characters are letters)
// or a digit, as opposed to punctuation and spaces.
func isWord(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

// isNumber reports whether w is made of digits only.
func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

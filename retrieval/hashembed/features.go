package hashembed

import (
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// bigramShare weighs a character bigram against the text's average word:
// bigrams back up the words, they should not outvote them.
const bigramShare = 0.5

// Feature kinds, hashed with the feature so a word and a bigram of the same
// two characters land in unrelated buckets.
const (
	kindWord   = 'w'
	kindBigram = 'b'
)

// bag counts features in order of first appearance; summing in a fixed order
// keeps vectors bit-identical from run to run.
type bag struct {
	index map[feature]int
	feats []feature
	tf    []int
	w     []float64
}

// feature is a word or a bigram.
type feature struct {
	kind byte
	key  string
}

func newBag() *bag { return &bag{index: make(map[feature]int)} }

func (b *bag) add(kind byte, key string, weight float64) {
	f := feature{kind, key}
	if i, ok := b.index[f]; ok {
		b.tf[i]++
		return
	}
	b.index[f] = len(b.feats)
	b.feats = append(b.feats, f)
	b.tf, b.w = append(b.tf, 1), append(b.w, weight)
}

// vector builds the normalised hashed vector of text.
func (e *Embedder) vector(text string) []float32 {
	b := newBag()
	var idfSum float64
	var n int
	for _, w := range e.an.Words(text) {
		idf := e.an.IDF(w)
		if idf <= 0 {
			continue
		}
		b.add(kindWord, w, idf)
		idfSum += idf
		n++
	}
	// A text of stop words only says nothing; its bigrams would be noise.
	if n > 0 {
		addBigrams(b, textnorm.Normalize(text), float64(bigramShare*(idfSum/float64(n))))
	}
	return project(b, e.dim)
}

// addBigrams adds every pair of adjacent Chinese characters.
func addBigrams(b *bag, norm string, weight float64) {
	prev := -1 // byte offset of the previous rune if it is Chinese
	for i, r := range norm {
		if !unicode.Is(unicode.Han, r) {
			prev = -1
			continue
		}
		if prev >= 0 {
			b.add(kindBigram, norm[prev:i+utf8.RuneLen(r)], weight)
		}
		prev = i
	}
}

// project hashes the bag's features into dim signed buckets and scales the
// result to unit length. The explicit float64 conversions stop the compiler
// from fusing a multiply and an add, which some processors round
// differently.
func project(b *bag, dim int) []float32 {
	acc := make([]float64, dim)
	for i, f := range b.feats {
		h := fnv1a(f.kind, f.key)
		v := float64(sublinear(b.tf[i]) * b.w[i])
		if h>>63 == 1 {
			v = -v
		}
		acc[h%uint64(dim)] += v
	}
	var sq float64
	for _, x := range acc {
		sq += float64(x * x)
	}
	out := make([]float32, dim)
	if sq == 0 {
		return out
	}
	norm := math.Sqrt(sq)
	for i, x := range acc {
		out[i] = float32(x / norm)
	}
	return out
}

// fnv1a is the 64-bit FNV-1a hash of kind followed by key.
func fnv1a(kind byte, key string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	h = (h ^ uint64(kind)) * prime
	for i := 0; i < len(key); i++ {
		h = (h ^ uint64(key[i])) * prime
	}
	return h
}

// sublinear returns 1 + ln tf from a table, so that vectors do not depend on
// a platform's math.Log; counts past the table saturate, which no chunk of
// a guide reaches.
func sublinear(tf int) float64 {
	if tf > len(lnTable) {
		tf = len(lnTable)
	}
	return lnTable[tf-1]
}

// lnTable holds 1 + ln n for n = 1..64.
var lnTable = [...]float64{
	1.0, 1.6931471805599454, 2.09861228866811, 2.386294361119891,
	2.6094379124341005, 2.791759469228055, 2.9459101490553135, 3.0794415416798357,
	3.1972245773362196, 3.302585092994046, 3.3978952727983707, 3.4849066497880004,
	3.5649493574615367, 3.6390573296152584, 3.70805020110221, 3.772588722239781,
	3.833213344056216, 3.8903717578961645, 3.9444389791664403, 3.995732273553991,
	4.044522437723423, 4.091042453358316, 4.13549421592915, 4.178053830347945,
	4.218875824868201, 4.258096538021482, 4.295836866004329, 4.332204510175204,
	4.367295829986475, 4.401197381662156, 4.433987204485146, 4.465735902799727,
	4.49650756146648, 4.526360524616162, 4.555348061489413, 4.58351893845611,
	4.610917912644224, 4.637586159726386, 4.663561646129646, 4.688879454113936,
	4.713572066704308, 4.737669618283368, 4.761200115693562, 4.7841896339182615,
	4.80666248977032, 4.828641396489095, 4.850147601710058, 4.871201010907891,
	4.891820298110627, 4.912023005428146, 4.931825632724326, 4.951243718581427,
	4.970291913552122, 4.9889840465642745, 5.007333185232471, 5.02535169073515,
	5.04305126783455, 5.060443010546419, 5.07753744390572, 5.0943445622221,
	5.110873864173311, 5.127134385045092, 5.143134726391533, 5.1588830833596715,
}

package jieba

import (
	"bufio"
	_ "embed"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

var (
	//go:embed dict/user.dict
	embeddedUserDict string
	//go:embed dict/synonyms.txt
	embeddedSynonyms string
	//go:embed dict/fillers.txt
	embeddedFillers string
	//go:embed dict/keep.txt
	embeddedKeep string
)

// defaultFreq is the frequency of a user-dictionary term that gives none.
// At jieba's median frequency (3 in 60 million) a domain term loses to two
// common words (开 + 公司 beat 开公司); at a few hundred it stays whole
// without swallowing the words around it.
const defaultFreq = 200

// defaultTag is the part of speech of a user-dictionary term that gives none.
const defaultTag = "n"

// dictWord is one line of a jieba user dictionary.
type dictWord struct {
	word string
	freq int
	tag  string
}

// lexicon is everything the tokenizer reads from files.
type lexicon struct {
	userWords []dictWord
	stop      map[string]bool
	canon     map[string]string
	long      map[string]bool
	idf       map[string]float64
	median    float64
}

func loadLexicon(cfg Config, paths map[string]string) (*lexicon, error) {
	userText, userName, err := readOr(cfg.UserDict, embeddedUserDict, "embedded dict/user.dict")
	if err != nil {
		return nil, err
	}
	synText, synName, err := readOr(cfg.Synonyms, embeddedSynonyms, "embedded dict/synonyms.txt")
	if err != nil {
		return nil, err
	}
	words, err := parseUserDict(userText, userName)
	if err != nil {
		return nil, err
	}
	groups, err := parseSynonyms(synText, synName)
	if err != nil {
		return nil, err
	}
	lex := &lexicon{canon: canonicalMap(groups)}
	lex.userWords = addGroupWords(words, groups)
	lex.long = longWords(lex.userWords)
	if lex.stop, err = loadStopWords(paths[stopWordsFile], lex.canon); err != nil {
		return nil, err
	}
	if lex.idf, lex.median, err = loadIDF(paths[idfFile]); err != nil {
		return nil, err
	}
	return lex, nil
}

// readOr returns the content of the file at path, or fallback when path is
// empty, with a name for error messages.
func readOr(path, fallback, fallbackName string) (text, name string, err error) {
	if path == "" {
		return fallback, fallbackName, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("read jieba data file: %w", err)
	}
	return string(b), path, nil
}

// dataLines calls fn with the fields of each non-empty line of text, after
// dropping comments, and the line's number.
func dataLines(text string, fn func(n int, fields []string) error) error {
	for i, line := range strings.Split(text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if err := fn(i+1, fields); err != nil {
			return err
		}
	}
	return nil
}

// parseUserDict reads lines of "term [freq] [tag]", normalising each term.
// A term listed twice keeps its first line.
func parseUserDict(text, name string) ([]dictWord, error) {
	var words []dictWord
	seen := make(map[string]bool)
	err := dataLines(text, func(n int, f []string) error {
		w := dictWord{word: textnorm.Normalize(f[0]), freq: defaultFreq, tag: defaultTag}
		rest := f[1:]
		if len(rest) > 0 {
			if freq, err := strconv.Atoi(rest[0]); err == nil {
				if freq <= 0 {
					return fmt.Errorf("%s line %d: frequency %d is not positive", name, n, freq)
				}
				w.freq, rest = freq, rest[1:]
			}
		}
		if len(rest) > 1 {
			return fmt.Errorf("%s line %d: want \"term [freq] [tag]\", got %d fields", name, n, len(f))
		}
		if len(rest) == 1 {
			w.tag = rest[0]
		}
		if !seen[w.word] {
			seen[w.word] = true
			words = append(words, w)
		}
		return nil
	})
	return words, err
}

// parseSynonyms reads groups of normalised terms, canonical first. A group
// needs two terms and a term may be in one group only.
func parseSynonyms(text, name string) ([][]string, error) {
	var groups [][]string
	where := make(map[string]int)
	err := dataLines(text, func(n int, f []string) error {
		if len(f) < 2 {
			return fmt.Errorf("%s line %d: a synonym group needs at least two terms", name, n)
		}
		g := make([]string, len(f))
		for i, t := range f {
			g[i] = textnorm.Normalize(t)
			if prev, dup := where[g[i]]; dup {
				return fmt.Errorf("%s line %d: %q is already in the group on line %d", name, n, t, prev)
			}
			where[g[i]] = n
		}
		groups = append(groups, g)
		return nil
	})
	return groups, err
}

// canonicalMap maps every term of every group, the canonical one included,
// to the group's canonical term.
func canonicalMap(groups [][]string) map[string]string {
	m := make(map[string]string)
	for _, g := range groups {
		for _, t := range g {
			m[t] = g[0]
		}
	}
	return m
}

// addGroupWords appends the synonym terms missing from the user dictionary,
// so that jieba cuts each of them as one word.
func addGroupWords(words []dictWord, groups [][]string) []dictWord {
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		seen[w.word] = true
	}
	for _, g := range groups {
		for _, t := range g {
			if !seen[t] {
				seen[t] = true
				words = append(words, dictWord{word: t, freq: defaultFreq, tag: defaultTag})
			}
		}
	}
	return words
}

// minLong is the rune length from which jieba's search mode no longer
// reports a word found inside a longer one: it adds only the two- and
// three-character words inside a word.
const minLong = 4

// longWords returns the user-dictionary terms of minLong runes or more, which
// the tokenizer looks for inside longer words itself.
func longWords(words []dictWord) map[string]bool {
	long := make(map[string]bool)
	for _, w := range words {
		if utf8.RuneCountInString(w.word) >= minLong {
			long[w.word] = true
		}
	}
	return long
}

// loadStopWords returns jieba's stop words plus the embedded fillers, minus
// numbers, the embedded kept words and every synonym term.
func loadStopWords(path string, canon map[string]string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read jieba stop words: %w", err)
	}
	stop := make(map[string]bool, 2048)
	add := func(_ int, f []string) error {
		for _, w := range f {
			stop[textnorm.Normalize(w)] = true
		}
		return nil
	}
	// jieba's list has no comments, and "#" is one of its entries.
	for _, line := range strings.Split(string(b), "\n") {
		add(0, strings.Fields(line))
	}
	dataLines(embeddedFillers, add)
	dataLines(embeddedKeep, func(_ int, f []string) error {
		for _, w := range f {
			delete(stop, textnorm.Normalize(w))
		}
		return nil
	})
	for w := range stop {
		if _, syn := canon[w]; syn || isNumber(w) {
			delete(stop, w)
		}
	}
	return stop, nil
}

// loadIDF reads jieba's "word idf" lines and returns the table with its
// median, which stands in for words the table lacks.
func loadIDF(path string) (map[string]float64, float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("read jieba idf table: %w", err)
	}
	defer f.Close()
	idf := make(map[string]float64, 1<<18)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		word, val, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, 0, fmt.Errorf("%s line %d: bad idf value: %w", path, n, err)
		}
		idf[word] = v
	}
	if err := sc.Err(); err != nil {
		return nil, 0, fmt.Errorf("read jieba idf table: %w", err)
	}
	if len(idf) == 0 {
		return nil, 0, fmt.Errorf("jieba idf table %s is empty", path)
	}
	vals := make([]float64, 0, len(idf))
	for _, v := range idf {
		vals = append(vals, v)
	}
	slices.Sort(vals)
	return idf, vals[len(vals)/2], nil
}

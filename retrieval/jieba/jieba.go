// Package jieba is Banban's Chinese tokenizer: it cuts normalised text into
// words with jieba (through gojieba, the only package that imports it), drops
// stop words and question fillers, and maps the many names of a government
// service (社保卡, 社会保障卡) onto one shared term, so that keyword search
// matches a citizen's words against a guide's. It owns the 政务 user
// dictionary and synonym table in dict/, and serves jieba's IDF table to
// callers that weigh terms.
package jieba

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/yanyiwu/gojieba"

	"github.com/banban-gov/banban"
)

var _ banban.Tokenizer = (*Tokenizer)(nil)

// Dictionary files that Config.DictDir must hold, named as jieba names them.
const (
	mainDictFile  = "jieba.dict.utf8"
	hmmModelFile  = "hmm_model.utf8"
	idfFile       = "idf.utf8"
	stopWordsFile = "stop_words.utf8"
)

// Config says where the tokenizer's dictionaries are.
type Config struct {
	// DictDir holds jieba's jieba.dict.utf8, hmm_model.utf8, idf.utf8 and
	// stop_words.utf8. Empty means the copies in gojieba's module directory,
	// which exist only where the module source is (a development machine,
	// not a binary built with -trimpath and copied elsewhere).
	DictDir string
	// UserDict is a user dictionary file in the format of dict/user.dict.
	// Empty means the embedded 政务 dictionary.
	UserDict string
	// Synonyms is a synonym table in the format of dict/synonyms.txt. Empty
	// means the embedded table.
	Synonyms string
}

// Tokenizer cuts Chinese text into keyword-search terms. It is safe for
// concurrent use: cppjieba's cutting methods are const and read shared
// tables only, so cuts run in parallel under a read lock; the write lock
// only keeps Close from freeing the C object under a running cut.
type Tokenizer struct {
	mu sync.RWMutex
	jb *gojieba.Jieba // nil once closed

	stop   map[string]bool   // stop words and fillers, minus kept words
	canon  map[string]string // synonym member -> canonical term
	long   map[string]bool   // lexicon terms of minLong runes or more
	user   map[string]bool   // user-dictionary words
	idf    map[string]float64
	median float64 // IDF of terms missing from the table
	cache  termCache
}

// New loads jieba's dictionaries, the user dictionary and the synonym table.
// It takes about a second and some 170 MB, so a process should build one
// Tokenizer and share it.
func New(cfg Config) (*Tokenizer, error) {
	paths, err := dictPaths(cfg.DictDir)
	if err != nil {
		return nil, err
	}
	lex, err := loadLexicon(cfg, paths)
	if err != nil {
		return nil, err
	}
	userDict, err := writeUserDict(lex.userWords)
	if err != nil {
		return nil, err
	}
	// cppjieba reads the user dictionary while it is constructed and never
	// again, so the temporary file can go as soon as NewJieba returns.
	defer os.Remove(userDict)
	jb := gojieba.NewJieba(paths[mainDictFile], paths[hmmModelFile], userDict,
		paths[idfFile], paths[stopWordsFile])
	return &Tokenizer{
		jb:     jb,
		stop:   lex.stop,
		canon:  lex.canon,
		long:   lex.long,
		user:   userWordSet(lex.userWords),
		idf:    lex.idf,
		median: lex.median,
	}, nil
}

// Close frees jieba's memory. Terms and Words return nothing afterwards.
func (t *Tokenizer) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.jb != nil {
		t.jb.Free()
		t.jb = nil
	}
}

// dictPaths returns the path of each jieba dictionary file in dir, checking
// that it exists: gojieba panics on a missing file and cppjieba aborts the
// process on one it cannot open.
func dictPaths(dir string) (map[string]string, error) {
	if dir == "" {
		dir = gojieba.DICT_DIR
	}
	paths := make(map[string]string, 4)
	for _, name := range []string{mainDictFile, hmmModelFile, idfFile, stopWordsFile} {
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err == nil && fi.IsDir() {
			err = errors.New("is a directory")
		}
		if err != nil {
			return nil, fmt.Errorf("jieba dictionary file %s missing (DictDir must hold %s, %s, %s and %s): %w",
				p, mainDictFile, hmmModelFile, idfFile, stopWordsFile, err)
		}
		paths[name] = p
	}
	return paths, nil
}

// writeUserDict writes the user dictionary in the strict format cppjieba
// reads (no comments, three columns) to a temporary file.
func writeUserDict(words []dictWord) (string, error) {
	f, err := os.CreateTemp("", "banban-jieba-*.dict")
	if err != nil {
		return "", fmt.Errorf("create jieba user dictionary: %w", err)
	}
	for _, w := range words {
		if _, err = fmt.Fprintf(f, "%s %d %s\n", w.word, w.freq, w.tag); err != nil {
			break
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write jieba user dictionary: %w", err)
	}
	return f.Name(), nil
}

func userWordSet(words []dictWord) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w.word] = true
	}
	return m
}

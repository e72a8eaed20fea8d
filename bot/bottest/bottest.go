// Package bottest builds the real parts tests need: the sample knowledge
// base in a real embedded store, searched with real jieba, and a bot over
// it. It is imported only by tests.
package bottest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/knowledge"
	"github.com/banban-gov/banban/knowledge/bolt"
	"github.com/banban-gov/banban/knowledge/samplekb"
	"github.com/banban-gov/banban/retrieval"
	"github.com/banban-gov/banban/retrieval/hashembed"
	"github.com/banban-gov/banban/retrieval/jieba"
)

// Fixture is the sample knowledge base, imported once per test binary.
type Fixture struct {
	Store    *bolt.Store
	Tok      *jieba.Tokenizer
	Searcher *retrieval.Searcher
	dir      string
}

var (
	once sync.Once
	fix  *Fixture
	err  error
)

// Sample returns the shared fixture, building it on first use.
func Sample(tb testing.TB) *Fixture {
	tb.Helper()
	once.Do(func() { fix, err = build() })
	if err != nil {
		tb.Fatalf("build sample knowledge base: %v", err)
	}
	return fix
}

// Cleanup releases the shared fixture; call it from TestMain after m.Run.
func Cleanup() {
	if fix != nil {
		fix.Store.Close()
		fix.Tok.Close()
		os.RemoveAll(fix.dir)
	}
}

func build() (*Fixture, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "banban-sample-*")
	if err != nil {
		return nil, err
	}
	tok, err := jieba.New(jieba.Config{})
	if err != nil {
		return nil, err
	}
	st, err := bolt.Open(filepath.Join(dir, "kb.db"), bolt.Options{})
	if err != nil {
		return nil, err
	}
	emb := hashembed.New(tok, 256)
	if err := retrieval.EnsureIndex(ctx, st, emb); err != nil {
		return nil, err
	}
	im := &knowledge.Importer{Store: st, Indexer: &retrieval.Indexer{Tokenizer: tok, Embedder: emb}}
	rep, err := im.Import(ctx, samplekb.FS(), false)
	if err != nil {
		return nil, err
	}
	if len(rep.Errors) > 0 {
		return nil, fmt.Errorf("import %s: %w", rep.Errors[0].Path, rep.Errors[0].Err)
	}
	s := &retrieval.Searcher{Index: st, Tokenizer: tok, Embedder: emb,
		Weights: retrieval.Weights{Vector: retrieval.LexicalVectorWeight, Keyword: 1, Name: 1.5}}
	return &Fixture{Store: st, Tok: tok, Searcher: s, dir: dir}, nil
}

// Bot returns a bot over the sample knowledge base.
func (f *Fixture) Bot(cfg bot.Config) *bot.Bot {
	return bot.New(f.Searcher, f.Store, f.Tok, nil, cfg)
}

// EmptyStore opens a fresh embedded store in the test's temporary
// directory, closed when the test ends.
func EmptyStore(tb testing.TB) *bolt.Store {
	tb.Helper()
	st, err := bolt.Open(filepath.Join(tb.TempDir(), "desk.db"), bolt.Options{})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

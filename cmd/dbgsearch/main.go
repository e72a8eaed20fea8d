// Command dbgsearch is a throwaway debugging tool (not committed).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"bufio"

	"github.com/banban-gov/banban/knowledge"
	"github.com/banban-gov/banban/knowledge/bolt"
	"github.com/banban-gov/banban/retrieval"
	"github.com/banban-gov/banban/retrieval/hashembed"
	"github.com/banban-gov/banban/retrieval/jieba"
)

func main() {
	ctx := context.Background()
	tok, _ := jieba.New(jieba.Config{})
	emb := hashembed.New(tok, 256)
	dir, _ := os.MkdirTemp("", "dbg")
	st, err := bolt.Open(dir+"/x.db", bolt.Options{})
	if err != nil { panic(err) }
	retrieval.EnsureIndex(ctx, st, emb)
	im := &knowledge.Importer{Store: st, Indexer: &retrieval.Indexer{Tokenizer: tok, Embedder: emb}}
	im.Import(ctx, os.DirFS(os.Args[1]), false)
	s := &retrieval.Searcher{Index: st, Tokenizer: tok, Embedder: emb}
	if len(os.Args) > 3 {
		score(ctx, s, os.Args[2])
		return
	}
	f, _ := os.Open(os.Args[2])
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c struct{ ID, Question string; Expect struct{ Sources []string; Action any } }
		json.Unmarshal(sc.Bytes(), &c)
		res, _ := s.Search(ctx, retrieval.Query{Text: c.Question, K: 20})
		fmt.Printf("%s %v %v %q terms=%v\n", c.ID, c.Expect.Action, c.Expect.Sources, c.Question, res.Terms)
		sec := map[string]bool{"时限":true,"收费":true,"地点":true,"材料":true,"电话":true,"流程":true,"条件":true,"依据":true}
		if len(res.Hits) > 0 {
			have := map[string]bool{}
			for _, t := range res.Hits[0].Chunk.Terms { have[t] = true }
			var got, all, maxw float64; maxMissing := false
			seen := map[string]bool{}
			for _, t := range res.Terms { if sec[t] || seen[t] { continue }; seen[t] = true; w := tok.IDF(t); all += w; if have[t] { got += w }
				if w > maxw { maxw = w; maxMissing = !have[t] } }
			fmt.Printf("   FEAT topiccov=%.2f maxmissing=%v\n", got/(all+1e-9), maxMissing)
		}
		for _, h := range res.Hits {
			fmt.Printf("   %-32s %-10s s=%.4f cov=%.2f v=%d(%.2f) k=%d(%.1f) n=%d %s\n", h.Chunk.DocID, h.Chunk.Section, h.Score, h.Coverage, h.VectorRank, h.VectorScore, h.KeywordRank, h.KeywordScore, h.NameRank, h.Name)
		}
	}
}

func score(ctx context.Context, s *retrieval.Searcher, path string) {
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	n, h1, h3 := 0, 0, 0
	for sc.Scan() {
		var c struct{ ID, Question string; Expect struct{ Sources []string } }
		json.Unmarshal(sc.Bytes(), &c)
		if len(c.Expect.Sources) == 0 { continue }
		res, _ := s.Search(ctx, retrieval.Query{Text: c.Question, K: 20})
		var docs []string
		seen := map[string]bool{}
		for _, h := range res.Hits { if !seen[h.Chunk.DocID] { seen[h.Chunk.DocID] = true; docs = append(docs, h.Chunk.DocID) } }
		n++
		for i, d := range docs { for _, e := range c.Expect.Sources { if d == e { if i == 0 { h1++ }; if i < 3 { h3++ } } } }
	}
	fmt.Printf("n=%d hit@1=%.3f hit@3=%.3f\n", n, float64(h1)/float64(n), float64(h3)/float64(n))
}

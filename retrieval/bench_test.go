package retrieval_test

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/banban-gov/banban/knowledge"
	"github.com/banban-gov/banban/knowledge/bolt"
	"github.com/banban-gov/banban/knowledge/samplekb"
	"github.com/banban-gov/banban/retrieval"
	"github.com/banban-gov/banban/retrieval/hashembed"
	"github.com/banban-gov/banban/retrieval/jieba"
)

var benchChunks = flag.Int("bench.chunks", 100_000, "chunks in the synthetic benchmark store")

// The synthetic corpus: item guides of ten sections each, whose sentences
// are drawn at random (fixed seed) from the sample knowledge base, so the
// text is real 政务 Chinese and jieba, the synonyms and the embedder do real
// work.
const sectionsPerDoc = 10

func sampleSentences(tb testing.TB) []string {
	tb.Helper()
	var out []string
	err := fs.WalkDir(samplekb.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		b, err := fs.ReadFile(samplekb.FS(), path)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(b), "\n") {
			for _, s := range strings.SplitAfter(line, "。") {
				if s = strings.TrimSpace(s); len([]rune(s)) >= 12 && !strings.ContainsAny(s[:1], "-#:") {
					out = append(out, s)
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func syntheticKB(tb testing.TB, docs int) fstest.MapFS {
	tb.Helper()
	sents := sampleSentences(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	fsys := fstest.MapFS{}
	for i := 0; i < docs; i++ {
		var sb strings.Builder
		fmt.Fprintf(&sb, "---\nid: syn-%06d\nkind: item\ntitle: 示例事项%06d\nregion: 示例市\n---\n", i, i)
		for s := 0; s < sectionsPerDoc; s++ {
			fmt.Fprintf(&sb, "\n## 第%d部分\n", s+1)
			for k := 0; k < 3; k++ {
				sb.WriteString(sents[rng.IntN(len(sents))])
			}
			sb.WriteString("\n")
		}
		fsys[fmt.Sprintf("items/syn-%06d.md", i)] = &fstest.MapFile{Data: []byte(sb.String())}
	}
	return fsys
}

type benchEnv struct {
	dir      string
	store    *bolt.Store
	tok      *jieba.Tokenizer
	emb      *hashembed.Embedder
	importer *knowledge.Importer
}

func newBenchEnv(tb testing.TB) *benchEnv {
	tb.Helper()
	dir, err := os.MkdirTemp("", "banban-bench-*")
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := jieba.New(jieba.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	st, err := bolt.Open(filepath.Join(dir, "bench.db"), bolt.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	emb := hashembed.New(tok, hashembed.DefaultDim)
	if err := retrieval.EnsureIndex(context.Background(), st, emb); err != nil {
		tb.Fatal(err)
	}
	return &benchEnv{dir: dir, store: st, tok: tok, emb: emb,
		importer: &knowledge.Importer{Store: st, Indexer: &retrieval.Indexer{Tokenizer: tok, Embedder: emb}}}
}

func (e *benchEnv) close() {
	e.store.Close()
	e.tok.Close()
	os.RemoveAll(e.dir)
}

// BenchmarkImport imports the synthetic corpus (parse, segment, jieba,
// embed, store) and reports chunks per second.
func BenchmarkImport(b *testing.B) {
	fsys := syntheticKB(b, *benchChunks/sectionsPerDoc)
	for i := 0; i < b.N; i++ {
		env := newBenchEnv(b)
		start := time.Now()
		rep, err := env.importer.Import(context.Background(), fsys, false)
		took := time.Since(start)
		if err != nil || len(rep.Errors) > 0 {
			b.Fatalf("import: %v %v", err, rep.Errors)
		}
		b.ReportMetric(float64(rep.Chunks)/took.Seconds(), "chunks/s")
		env.close()
	}
}

var (
	loadedOnce sync.Once
	loaded     *benchEnv
	loadedHeap float64
)

// loadedEnv imports the synthetic corpus once and measures the heap it holds.
func loadedEnv(b *testing.B) *benchEnv {
	loadedOnce.Do(func() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		loaded = newBenchEnv(b)
		if _, err := loaded.importer.Import(context.Background(), syntheticKB(b, *benchChunks/sectionsPerDoc), false); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		loadedHeap = float64(after.HeapAlloc-before.HeapAlloc) / float64(*benchChunks)
	})
	return loaded
}

var benchQuestions = []string{
	"结婚登记需要带什么材料", "社保卡丢了怎么补办", "开个小饭馆要办啥证", "公积金租房提取额度是多少",
	"新生儿落户要多久", "残疾人证在哪里办", "护照办理收费标准", "居住证申请条件",
	"灵活就业人员怎么交社保", "退休需要准备哪些材料", "低保申请流程", "二手房过户几天能办完",
}

// BenchmarkHybridQuery runs the full hybrid search (jieba, embedding, vector
// and BM25 search, name match, fusion) against the loaded store and reports
// latency percentiles and heap bytes per chunk.
func BenchmarkHybridQuery(b *testing.B) {
	env := loadedEnv(b)
	s := &retrieval.Searcher{Index: env.store, Tokenizer: env.tok, Embedder: env.emb,
		Weights: retrieval.Weights{Vector: retrieval.LexicalVectorWeight, Keyword: 1, Name: 1.5}}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := s.Search(ctx, retrieval.Query{Text: benchQuestions[i%len(benchQuestions)], K: 20})
		lat = append(lat, time.Since(start))
		if err != nil || len(res.Hits) == 0 {
			b.Fatalf("search: %v, %d hits", err, len(res.Hits))
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(loadedHeap, "heap-B/chunk")
}

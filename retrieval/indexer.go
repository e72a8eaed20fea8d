package retrieval

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/banban-gov/banban"
)

// Indexer fills in the search terms and vectors of a document's chunks. The
// Searcher must use the same Tokenizer and Embedder, which is why both live in
// this package.
type Indexer struct {
	Tokenizer banban.Tokenizer
	Embedder  banban.Embedder
}

// Index returns the store entry for doc: its chunks with Terms and Vector set
// and its normalised names.
func (ix *Indexer) Index(ctx context.Context, doc banban.Document, chunks []banban.Chunk) (banban.Entry, error) {
	names := strings.Join(doc.Names(), " ")
	texts := make([]string, len(chunks))
	for i := range chunks {
		c := &chunks[i]
		c.Terms = ix.Tokenizer.Terms(names + " " + c.Section + "\n" + c.Text)
		texts[i] = EmbeddingText(c)
	}
	if len(chunks) > 0 {
		vecs, err := ix.Embedder.Embed(ctx, texts)
		if err != nil {
			return banban.Entry{}, fmt.Errorf("embed %s: %w", doc.ID, err)
		}
		if len(vecs) != len(chunks) {
			return banban.Entry{}, fmt.Errorf("embed %s: got %d vectors for %d chunks", doc.ID, len(vecs), len(chunks))
		}
		for i := range chunks {
			chunks[i].Vector = vecs[i]
		}
	}
	return banban.Entry{Doc: doc, Chunks: chunks, Names: indexNames(doc.Names())}, nil
}

// EmbeddingText is what gets embedded for a chunk: its title and section give
// a bare "1. 身份证原件" line the context it needs to be found.
func EmbeddingText(c *banban.Chunk) string {
	return c.Title + " " + c.Section + "\n" + c.Text
}

// EnsureIndex checks that the store's index was built by emb, and records emb
// on a new store. It returns an ECONFLICT error naming both embedders when
// they differ, because vectors of two embedders cannot be compared.
func EnsureIndex(ctx context.Context, store banban.Store, emb banban.Embedder) error {
	info, ok, err := store.IndexInfo(ctx)
	if err != nil {
		return fmt.Errorf("read index info: %w", err)
	}
	if ok {
		if info.Embedder != emb.Name() || info.Dim != emb.Dim() {
			return banban.Errorf(banban.ECONFLICT,
				"知识库索引由向量模型 %s（%d 维）构建，当前配置的是 %s（%d 维）；请改回原配置，或删除数据目录后重新导入知识库",
				info.Embedder, info.Dim, emb.Name(), emb.Dim())
		}
		return nil
	}
	return store.SetIndexInfo(ctx, banban.IndexInfo{Embedder: emb.Name(), Dim: emb.Dim(), CreatedAt: time.Now().UTC()})
}

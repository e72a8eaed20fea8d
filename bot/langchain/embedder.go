// Package langchain adapts langchaingo, and is the only package that imports
// it: an Embedder for any OpenAI-compatible embeddings endpoint (OpenAI
// itself, or a self-hosted server such as vLLM or Xinference serving a
// Chinese embedding model), and the recursive character splitter that the
// evaluation baseline cuts documents with.
package langchain

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tmc/langchaingo/embeddings"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/banban-gov/banban"
)

var _ banban.Embedder = (*Embedder)(nil)

// EmbedderConfig says which endpoint and model to embed with.
type EmbedderConfig struct {
	// BaseURL is the API root; requests go to BaseURL + "/embeddings".
	// Empty means DefaultBaseURL.
	BaseURL string
	// APIKey is sent as a bearer token. Empty sends a placeholder.
	APIKey string
	// Model names the embedding model. Required.
	Model string
	// Dim is the vector length the model returns. Required: it is checked
	// on every response, since an index cannot mix dimensions.
	Dim int
	// Timeout bounds each HTTP request. Zero means DefaultTimeout.
	Timeout time.Duration
	// BatchSize is the number of texts per request. Zero means
	// DefaultBatchSize, which self-hosted servers accept.
	BatchSize int
}

// DefaultBatchSize is the number of texts per request when
// EmbedderConfig.BatchSize is zero.
const DefaultBatchSize = 32

// Embedder embeds texts with an OpenAI-compatible endpoint. It is safe for
// concurrent use.
type Embedder struct {
	emb  *embeddings.EmbedderImpl
	name string
	dim  int
}

// NewEmbedder returns an Embedder for cfg. It does not contact the endpoint,
// and langchaingo's OPENAI_* environment fallbacks never apply (see
// newClient).
func NewEmbedder(cfg EmbedderConfig) (*Embedder, error) {
	ep := endpoint{what: "向量模型", baseURL: cfg.BaseURL, apiKey: cfg.APIKey, model: cfg.Model, timeout: cfg.Timeout}
	llm, err := newClient(ep, openai.WithEmbeddingModel(cfg.Model))
	if err != nil {
		return nil, err
	}
	if cfg.Dim <= 0 {
		return nil, banban.Errorf(banban.EINVALID, "向量模型配置的维度无效：%d。", cfg.Dim)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	// langchaingo's newline stripping rewrites the caller's slice in place;
	// current embedding models do not need it.
	emb, err := embeddings.NewEmbedder(llm,
		embeddings.WithBatchSize(cfg.BatchSize), embeddings.WithStripNewLines(false))
	if err != nil {
		return nil, fmt.Errorf("new langchaingo embedder: %w", err)
	}
	return &Embedder{emb: emb, name: fmt.Sprintf("openai:%s:%d", cfg.Model, cfg.Dim), dim: cfg.Dim}, nil
}

// Name is "openai:<model>:<dim>".
func (e *Embedder) Name() string { return e.name }

// Dim is the vector length.
func (e *Embedder) Dim() int { return e.dim }

// Embed returns one vector per text, in order. A cancelled context returns
// ctx.Err(); an unreachable, overloaded or failing endpoint is EUNAVAILABLE;
// vectors of another length than Dim are ECONFLICT; a refused request
// (bad key, unknown model) is EINTERNAL, and ETOOLARGE when the endpoint
// says the request is too large.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	vecs, err := e.emb.EmbedDocuments(ctx, texts)
	if err != nil {
		return nil, classify(ctx, err)
	}
	if len(vecs) != len(texts) {
		return nil, banban.WrapError(banban.EINTERNAL,
			fmt.Errorf("got %d vectors for %d texts", len(vecs), len(texts)), "向量服务返回的结果数量不符。")
	}
	for _, v := range vecs {
		if len(v) != e.dim {
			return nil, banban.Errorf(banban.ECONFLICT,
				"向量服务返回的向量维度为 %d，与配置的 %d 不符。", len(v), e.dim)
		}
	}
	return vecs, nil
}

// embedStatusMessages are the messages for an error status from the
// embeddings endpoint, by the code statusError.code gives it.
var embedStatusMessages = map[string]string{
	banban.EUNAVAILABLE: "向量服务繁忙或出错，请稍后再试。",
	banban.ETOOLARGE:    "送往向量服务的文本过长。",
	banban.EINTERNAL:    "向量服务拒绝了请求，请检查模型与密钥配置。",
}

// classify turns a failed request into a coded error.
func classify(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("embed: %w", ctx.Err())
	}
	var te *transportError
	if errors.As(err, &te) {
		return banban.WrapError(banban.EUNAVAILABLE, te.cause, "向量服务暂时无法连接，请稍后再试。")
	}
	var se *statusError
	if errors.As(err, &se) {
		return banban.WrapError(se.code(), se, "%s", embedStatusMessages[se.code()])
	}
	if errors.Is(err, openai.ErrEmptyResponse) || errors.Is(err, openai.ErrUnexpectedResponseLength) {
		return banban.WrapError(banban.EINTERNAL, err, "向量服务返回的结果数量不符。")
	}
	// A body that is not the expected JSON, typically from a proxy page.
	return banban.WrapError(banban.EUNAVAILABLE, err, "向量服务返回了无法识别的结果，请稍后再试。")
}

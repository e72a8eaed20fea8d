package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/bot/forms"
	"github.com/banban-gov/banban/bot/langchain"
	"github.com/banban-gov/banban/channels/webhook"
	"github.com/banban-gov/banban/knowledge"
	"github.com/banban-gov/banban/knowledge/bolt"
	"github.com/banban-gov/banban/knowledge/postgres"
	"github.com/banban-gov/banban/retrieval"
	"github.com/banban-gov/banban/retrieval/hashembed"
	"github.com/banban-gov/banban/retrieval/jieba"
)

// App is Banban wired together: every command and the end-to-end tests
// build one with Open.
type App struct {
	Config    Config
	Logger    *slog.Logger
	Store     Backend
	Tokenizer *jieba.Tokenizer
	Embedder  banban.Embedder
	Searcher  *retrieval.Searcher
	Bot       *bot.Bot
	Desk      *desk.Desk
	// Webhook delivers tickets to BANBAN_WEBHOOK_URL; nil when unset.
	Webhook *webhook.Sender
}

// Backend is a store for both the knowledge base and the help desk.
type Backend interface {
	banban.Store
	banban.DeskStore
}

// defaultDim is the offline embedder's dimension.
const defaultDim = 256

// Open builds the App from cfg. The caller must Close it.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (_ *App, err error) {
	a := &App{Config: cfg, Logger: logger}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if a.Tokenizer, err = jieba.New(jieba.Config{DictDir: cfg.JiebaDictDir, UserDict: cfg.UserDict, Synonyms: cfg.Synonyms}); err != nil {
		return nil, fmt.Errorf("load jieba: %w", err)
	}
	if a.Embedder, err = newEmbedder(cfg, a.Tokenizer); err != nil {
		return nil, err
	}
	if a.Store, err = openStore(ctx, cfg, a.Embedder.Dim()); err != nil {
		return nil, err
	}
	if err = retrieval.EnsureIndex(ctx, a.Store, a.Embedder); err != nil {
		return nil, err
	}
	a.Searcher = &retrieval.Searcher{Index: a.Store, Tokenizer: a.Tokenizer, Embedder: a.Embedder,
		Weights: fusionWeights(cfg)}
	gen, err := newChat(cfg)
	if err != nil {
		return nil, err
	}
	a.Bot = bot.New(a.Searcher, a.Store, a.Tokenizer, nil, bot.Config{LLM: gen, LLMTimeout: cfg.LLMTimeout})
	key, err := dataKey(cfg)
	if err != nil {
		return nil, err
	}
	deskCfg := desk.Config{Calendar: cfg.Calendar, WaitExpiry: cfg.WaitExpiry, Sealer: forms.Sealer{Key: key},
		Forms: &forms.Filler{Docs: a.Store, Names: a.Store, Proposer: formProposer(gen)}}
	if cfg.WebhookURL != "" {
		if a.Webhook, err = webhook.New(a.Store, webhook.Config{URL: cfg.WebhookURL, Secret: cfg.WebhookSecret}); err != nil {
			return nil, err
		}
		a.Webhook.Logger = logger
		deskCfg.Notify = a.Webhook.Notify
	}
	a.Desk = desk.New(a.Store, a.Bot, a.Store, deskCfg)
	return a, nil
}

func newEmbedder(cfg Config, tok *jieba.Tokenizer) (banban.Embedder, error) {
	if cfg.EmbeddingURL == "" {
		dim := cfg.EmbeddingDim
		if dim == 0 {
			dim = defaultDim
		}
		return hashembed.New(tok, dim), nil
	}
	emb, err := langchain.NewEmbedder(langchain.EmbedderConfig{
		BaseURL: cfg.EmbeddingURL, APIKey: cfg.EmbeddingKey, Model: cfg.EmbeddingModel,
		Dim: cfg.EmbeddingDim, Timeout: cfg.EmbeddingTimeout,
	})
	if err != nil {
		return nil, fmt.Errorf("embedding endpoint: %w", err)
	}
	return emb, nil
}

// fusionWeights gives dense search a full vote only with a real embedding
// model, unless configured otherwise.
func fusionWeights(cfg Config) retrieval.Weights {
	w := retrieval.DefaultWeights
	switch {
	case cfg.VectorWeight >= 0:
		w.Vector = cfg.VectorWeight
	case cfg.EmbeddingURL == "":
		w.Vector = retrieval.LexicalVectorWeight
	}
	return w
}

// openStore opens PostgreSQL when a database URL is configured, and the
// embedded store in the data directory otherwise.
func openStore(ctx context.Context, cfg Config, dim int) (Backend, error) {
	if cfg.DatabaseURL != "" {
		st, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{Schema: cfg.DatabaseSchema, Dim: dim,
			MaxConns: int32(cfg.DatabaseMaxConns), BulkImport: cfg.BulkImport})
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL store: %w", err)
		}
		return st, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	st, err := bolt.Open(filepath.Join(cfg.DataDir, "banban.db"), bolt.Options{})
	if err != nil {
		return nil, fmt.Errorf("open store in %s: %w", cfg.DataDir, err)
	}
	return st, nil
}

// Importer returns an importer into the App's store.
func (a *App) Importer() *knowledge.Importer {
	return &knowledge.Importer{
		Store:   a.Store,
		Indexer: &retrieval.Indexer{Tokenizer: a.Tokenizer, Embedder: a.Embedder},
		Logger:  a.Logger,
		// Only PostgreSQL gains from one large write; the embedded store
		// imports as fast in batches, with less memory.
		BulkIntoEmpty: a.Config.BulkImport && a.Config.DatabaseURL != "",
	}
}

// Close releases everything Open acquired.
func (a *App) Close() error {
	var errs []error
	if a.Store != nil {
		errs = append(errs, a.Store.Close())
	}
	if a.Tokenizer != nil {
		a.Tokenizer.Close()
	}
	return errors.Join(errs...)
}

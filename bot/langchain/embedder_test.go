package langchain

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

const testKey = "test-key"

// fakeOpenAI is an in-process OpenAI-compatible embeddings endpoint. Each
// vector is [len(text in runes), position in batch, 0, 0, ...] with dim
// entries, so tests can check order.
type fakeOpenAI struct {
	dim    int           // length of the vectors returned
	status int           // if not 0 or 200, reply with this status and an error body
	delay  time.Duration // wait before replying

	mu      sync.Mutex
	batches [][]string
	models  []string
}

func (f *fakeOpenAI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.Error(w, `{"error":{"message":"no such route"}}`, http.StatusNotFound)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testKey {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":{"message":"Incorrect API key provided"}}`))
		return
	}
	var req struct {
		Model string   `json:"model"`
		Input []string `json:"input"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.batches = append(f.batches, req.Input)
	f.models = append(f.models, req.Model)
	f.mu.Unlock()
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if f.status != 0 && f.status != http.StatusOK {
		w.WriteHeader(f.status)
		w.Write([]byte(`{"error":{"message":"model overloaded"}}`))
		return
	}
	json.NewEncoder(w).Encode(f.response(req.Model, req.Input))
}

func (f *fakeOpenAI) response(model string, input []string) map[string]any {
	data := make([]map[string]any, len(input))
	for i, text := range input {
		vec := make([]float32, f.dim)
		if f.dim >= 2 {
			vec[0], vec[1] = float32(len([]rune(text))), float32(i)
		}
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": vec}
	}
	return map[string]any{"object": "list", "data": data, "model": model,
		"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1}}
}

// startFake serves f and returns an EmbedderConfig pointing at it.
func startFake(t *testing.T, f *fakeOpenAI) EmbedderConfig {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return EmbedderConfig{BaseURL: srv.URL + "/v1/", APIKey: testKey, Model: "bge-m3", Dim: 4}
}

func newTestEmbedder(t *testing.T, cfg EmbedderConfig) *Embedder {
	t.Helper()
	e, err := NewEmbedder(cfg)
	if err != nil {
		t.Fatalf("NewEmbedder(%+v): %v", cfg, err)
	}
	return e
}

func TestEmbedBatchesInOrder(t *testing.T) {
	f := &fakeOpenAI{dim: 4}
	cfg := startFake(t, f)
	cfg.BatchSize = 2
	e := newTestEmbedder(t, cfg)
	texts := []string{"社保卡", "结婚登记\n需要什么材料", "居住证"}
	vecs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	wantFirst := []float32{3, 11, 3} // rune counts, newline kept
	wantSecond := []float32{0, 1, 0} // position within each batch of 2
	for i, v := range vecs {
		if len(v) != 4 || v[0] != wantFirst[i] || v[1] != wantSecond[i] {
			t.Errorf("vector %d = %v, want [%v %v 0 0]", i, v, wantFirst[i], wantSecond[i])
		}
	}
	if got := len(f.batches); got != 2 {
		t.Errorf("requests = %d, want 2 batches of at most 2", got)
	}
	if f.models[0] != "bge-m3" {
		t.Errorf("model sent = %q, want bge-m3", f.models[0])
	}
	if texts[1] != "结婚登记\n需要什么材料" {
		t.Errorf("Embed changed the caller's texts: %q", texts[1])
	}
	if e.Name() != "openai:bge-m3:4" || e.Dim() != 4 {
		t.Errorf("Name, Dim = %q, %d; want openai:bge-m3:4, 4", e.Name(), e.Dim())
	}
}

func TestEmbedErrors(t *testing.T) {
	tests := []struct {
		name     string
		fake     *fakeOpenAI
		edit     func(*EmbedderConfig)
		wantCode string
	}{
		{"server error", &fakeOpenAI{dim: 4, status: http.StatusServiceUnavailable}, nil, banban.EUNAVAILABLE},
		{"rate limited", &fakeOpenAI{dim: 4, status: http.StatusTooManyRequests}, nil, banban.EUNAVAILABLE},
		{"request too large", &fakeOpenAI{dim: 4, status: http.StatusRequestEntityTooLarge}, nil, banban.ETOOLARGE},
		{"wrong key", &fakeOpenAI{dim: 4}, func(c *EmbedderConfig) { c.APIKey = "wrong" }, banban.EINTERNAL},
		{"wrong path", &fakeOpenAI{dim: 4}, func(c *EmbedderConfig) { c.BaseURL += "x" }, banban.EINTERNAL},
		{"wrong dimension", &fakeOpenAI{dim: 3}, nil, banban.ECONFLICT},
		{"timeout", &fakeOpenAI{dim: 4, delay: 300 * time.Millisecond},
			func(c *EmbedderConfig) { c.Timeout = 50 * time.Millisecond }, banban.EUNAVAILABLE},
		{"unreachable", &fakeOpenAI{dim: 4},
			func(c *EmbedderConfig) { c.BaseURL = "http://127.0.0.1:1/v1" }, banban.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := startFake(t, tt.fake)
			if tt.edit != nil {
				tt.edit(&cfg)
			}
			_, err := newTestEmbedder(t, cfg).Embed(context.Background(), []string{"社保卡"})
			if got := banban.ErrorCode(err); got != tt.wantCode {
				t.Errorf("Embed error = %v (code %q), want code %q", err, got, tt.wantCode)
			}
		})
	}
}

func TestEmbedErrorKeepsCause(t *testing.T) {
	cfg := startFake(t, &fakeOpenAI{dim: 4, status: http.StatusInternalServerError})
	_, err := newTestEmbedder(t, cfg).Embed(context.Background(), []string{"社保卡"})
	if err == nil || !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), "model overloaded") {
		t.Errorf("Embed error = %v, want the status and the endpoint's message in the cause", err)
	}
	if msg := banban.ErrorMessage(err); strings.Contains(msg, "500") {
		t.Errorf("safe message %q exposes internal detail", msg)
	}
}

func TestEmbedCancelled(t *testing.T) {
	cfg := startFake(t, &fakeOpenAI{dim: 4, delay: 200 * time.Millisecond})
	e := newTestEmbedder(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := e.Embed(ctx, []string{"社保卡"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Embed past its deadline: got %v, want context.DeadlineExceeded", err)
	}
}

func TestEmbedNothing(t *testing.T) {
	f := &fakeOpenAI{dim: 4}
	e := newTestEmbedder(t, startFake(t, f))
	vecs, err := e.Embed(context.Background(), nil)
	if err != nil || len(vecs) != 0 || len(f.batches) != 0 {
		t.Errorf("Embed(nil) = %v, %v after %d requests; want no vectors, no error, no request", vecs, err, len(f.batches))
	}
}

func TestEmbedIgnoresEnvironment(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "from-env")
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
	t.Setenv("OPENAI_API_BASE", "http://127.0.0.1:1/v1")
	f := &fakeOpenAI{dim: 4}
	if _, err := newTestEmbedder(t, startFake(t, f)).Embed(context.Background(), []string{"社保卡"}); err != nil {
		t.Fatalf("Embed with OPENAI_* set: %v", err)
	}
	if len(f.batches) != 1 {
		t.Errorf("requests to the configured endpoint = %d, want 1", len(f.batches))
	}
}

func TestNewEmbedderConfig(t *testing.T) {
	tests := []struct {
		name     string
		cfg      EmbedderConfig
		wantCode string
		wantName string
	}{
		{"no model", EmbedderConfig{Dim: 4}, banban.EINVALID, ""},
		{"no dimension", EmbedderConfig{Model: "m"}, banban.EINVALID, ""},
		{"defaults", EmbedderConfig{Model: "text-embedding-3-small", Dim: 1536}, "", "openai:text-embedding-3-small:1536"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEmbedder(tt.cfg)
			if got := banban.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("NewEmbedder(%+v) error = %v, want code %q", tt.cfg, err, tt.wantCode)
			}
			if err == nil && e.Name() != tt.wantName {
				t.Errorf("Name() = %q, want %q", e.Name(), tt.wantName)
			}
		})
	}
}

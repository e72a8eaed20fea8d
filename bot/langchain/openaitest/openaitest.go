// Package openaitest runs an in-process fake of an OpenAI-compatible chat
// completions endpoint for tests: it answers POST /v1/chat/completions both
// as one JSON reply and as a server-sent event stream, the way OpenAI, vLLM
// and Ollama do, and records every request it receives. What it answers,
// how slowly, and whether it fails are set per server.
package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Key is the API key the fake accepts.
const Key = "sk-openaitest-secret-key"

// Request is what the fake received in one call.
type Request struct {
	Model       string
	System      string
	User        string
	Stream      bool
	Temperature *float64
}

// Options set how a fake behaves.
type Options struct {
	// Reply returns the answer to a request. Nil answers "好的。".
	Reply func(Request) string
	// Status, when set and not 200, fails every request with it and an
	// OpenAI-style error body.
	Status int
	// Delay is waited before replying (the client may give up first).
	Delay time.Duration
	// ChunkRunes is how many runes each streamed event carries (default 4).
	ChunkRunes int
	// ChunkDelay is waited between streamed events.
	ChunkDelay time.Duration
	// FinishReason is the reply's finish reason (default "stop"); "length"
	// says the model hit its token limit.
	FinishReason string
	// Cut ends a stream after its content, without a finish reason or
	// [DONE], as a dropped connection does.
	Cut bool
}

// Server is a running fake.
type Server struct {
	// URL is the API root to configure a client with ("http://…/v1").
	URL  string
	opts Options

	mu       sync.Mutex
	requests []Request
}

// New starts a fake that stops when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.ChunkRunes <= 0 {
		opts.ChunkRunes = 4
	}
	if opts.FinishReason == "" {
		opts.FinishReason = "stop"
	}
	s := &Server{opts: opts}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	s.URL = ts.URL + "/v1"
	return s
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ServeHTTP answers one chat completions request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		writeError(w, http.StatusNotFound, "no such route")
		return
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+Key {
		writeError(w, http.StatusUnauthorized, "Incorrect API key provided: "+strings.TrimPrefix(got, "Bearer "))
		return
	}
	req, err := decode(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	if !sleep(r, s.opts.Delay) {
		return
	}
	if s.opts.Status != 0 && s.opts.Status != http.StatusOK {
		writeError(w, s.opts.Status, "model overloaded")
		return
	}
	text := "好的。"
	if s.opts.Reply != nil {
		text = s.opts.Reply(req)
	}
	if req.Stream {
		s.stream(w, r, req.Model, text)
		return
	}
	writeJSON(w, map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": time.Now().Unix(), "model": req.Model,
		"choices": []map[string]any{{"index": 0, "finish_reason": s.opts.FinishReason,
			"message": map[string]string{"role": "assistant", "content": text}}},
		"usage": map[string]int{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
	})
}

func decode(r *http.Request) (Request, error) {
	var body struct {
		Model       string   `json:"model"`
		Stream      bool     `json:"stream"`
		Temperature *float64 `json:"temperature"`
		Messages    []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return Request{}, fmt.Errorf("decode request: %w", err)
	}
	req := Request{Model: body.Model, Stream: body.Stream, Temperature: body.Temperature}
	for _, m := range body.Messages {
		switch m.Role {
		case "system":
			req.System += m.Content
		case "user":
			req.User += m.Content
		}
	}
	return req, nil
}

// stream sends text as OpenAI does: a role event, content events, a
// finish event, a usage event and [DONE].
func (s *Server) stream(w http.ResponseWriter, r *http.Request, model, text string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	flusher, _ := w.(http.Flusher)
	event := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(delta map[string]string, finish any) map[string]any {
		return map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
			"choices": []map[string]any{{"index": 0, "delta": delta, "finish_reason": finish}}}
	}
	event(chunk(map[string]string{"role": "assistant", "content": ""}, nil))
	runes := []rune(text)
	for i := 0; i < len(runes); i += s.opts.ChunkRunes {
		if i > 0 && !sleep(r, s.opts.ChunkDelay) {
			return
		}
		event(chunk(map[string]string{"content": string(runes[i:min(len(runes), i+s.opts.ChunkRunes)])}, nil))
	}
	if s.opts.Cut {
		return
	}
	event(chunk(map[string]string{}, s.opts.FinishReason))
	event(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
		"choices": []any{}, "usage": map[string]int{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// sleep waits d unless the client gives up first; it reports whether the
// client is still there.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	select {
	case <-time.After(d):
		return true
	case <-r.Context().Done():
		return false
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg, "type": "invalid_request_error"}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

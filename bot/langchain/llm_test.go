package langchain

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/langchain/openaitest"
)

const chatAnswer = "结婚登记不收费[1]。结婚证也不收工本费[1]。"

func echoAnswer(openaitest.Request) string { return chatAnswer }

func newTestChat(t *testing.T, srv *openaitest.Server, edit func(*ChatConfig)) *Chat {
	t.Helper()
	cfg := ChatConfig{BaseURL: srv.URL, APIKey: openaitest.Key, Model: "qwen2.5-7b-instruct"}
	if edit != nil {
		edit(&cfg)
	}
	c, err := NewChat(cfg)
	if err != nil {
		t.Fatalf("NewChat(%+v): %v", cfg, err)
	}
	return c
}

func TestChatComplete(t *testing.T) {
	srv := openaitest.New(t, openaitest.Options{Reply: echoAnswer})
	c := newTestChat(t, srv, func(c *ChatConfig) { c.Temperature = 0.2 })
	got, err := c.Complete(context.Background(), "系统说明", "结婚登记收费吗？")
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if got != chatAnswer {
		t.Errorf("Complete = %q, want %q", got, chatAnswer)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %d, want 1", len(reqs))
	}
	r := reqs[0]
	if r.System != "系统说明" || r.User != "结婚登记收费吗？" || r.Model != "qwen2.5-7b-instruct" || r.Stream {
		t.Errorf("request = %+v, want the system and user messages to the configured model, not streamed", r)
	}
	if r.Temperature == nil || *r.Temperature != 0.2 {
		t.Errorf("temperature sent = %v, want 0.2", r.Temperature)
	}
}

func TestChatStream(t *testing.T) {
	srv := openaitest.New(t, openaitest.Options{Reply: echoAnswer, ChunkRunes: 3})
	c := newTestChat(t, srv, nil)
	var chunks []string
	got, err := c.Stream(context.Background(), "系统说明", "结婚登记收费吗？", func(s string) error {
		chunks = append(chunks, s)
		return nil
	})
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if got != chatAnswer || strings.Join(chunks, "") != chatAnswer {
		t.Errorf("Stream = %q from chunks %q, want %q", got, chunks, chatAnswer)
	}
	if len(chunks) < 2 {
		t.Errorf("chunks = %q, want the reply in several pieces", chunks)
	}
	if reqs := srv.Requests(); len(reqs) != 1 || !reqs[0].Stream {
		t.Errorf("requests = %+v, want one streamed request", reqs)
	}
}

func TestChatStreamStopsWhenTold(t *testing.T) {
	srv := openaitest.New(t, openaitest.Options{Reply: echoAnswer, ChunkRunes: 2})
	stop := errors.New("stop here")
	calls := 0
	got, err := newTestChat(t, srv, nil).Stream(context.Background(), "s", "u", func(string) error {
		calls++
		return stop
	})
	if err != stop {
		t.Errorf("Stream error = %v, want the callback's error unchanged", err)
	}
	if calls != 1 || got != "结婚" {
		t.Errorf("after stopping: %d calls, text %q; want 1 call and the first chunk", calls, got)
	}
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name       string
		opts       openaitest.Options
		edit       func(*ChatConfig)
		wantCode   string
		streamOnly bool // a reply sent at once is in time
	}{
		{"server error", openaitest.Options{Status: http.StatusInternalServerError}, nil, banban.EUNAVAILABLE, false},
		{"rate limited", openaitest.Options{Status: http.StatusTooManyRequests}, nil, banban.EUNAVAILABLE, false},
		{"prompt too large", openaitest.Options{Status: http.StatusRequestEntityTooLarge}, nil, banban.ETOOLARGE, false},
		{"wrong key", openaitest.Options{}, func(c *ChatConfig) { c.APIKey = "sk-wrong-key-1234" }, banban.EINTERNAL, false},
		{"wrong path", openaitest.Options{}, func(c *ChatConfig) { c.BaseURL += "/x" }, banban.EINTERNAL, false},
		{"slow", openaitest.Options{Delay: time.Second}, func(c *ChatConfig) { c.Timeout = 50 * time.Millisecond }, banban.EUNAVAILABLE, false},
		{"slow stream", openaitest.Options{Reply: echoAnswer, ChunkDelay: 200 * time.Millisecond},
			func(c *ChatConfig) { c.Timeout = 100 * time.Millisecond }, banban.EUNAVAILABLE, true},
		{"cut at the length limit", openaitest.Options{Reply: echoAnswer, FinishReason: "length"}, nil, banban.EUNAVAILABLE, false},
		{"stream cut short", openaitest.Options{Reply: echoAnswer, Cut: true}, nil, banban.EUNAVAILABLE, true},
		{"unreachable", openaitest.Options{}, func(c *ChatConfig) { c.BaseURL = "http://127.0.0.1:1/v1" }, banban.EUNAVAILABLE, false},
	}
	for _, tt := range tests {
		for _, mode := range []string{"complete", "stream"} {
			if tt.streamOnly && mode != "stream" {
				continue
			}
			t.Run(tt.name+"/"+mode, func(t *testing.T) {
				srv := openaitest.New(t, tt.opts)
				err := call(newTestChat(t, srv, tt.edit), context.Background(), mode)
				if got := banban.ErrorCode(err); got != tt.wantCode {
					t.Errorf("error = %v (code %q), want code %q", err, got, tt.wantCode)
				}
			})
		}
	}
}

// call runs Complete or Stream and returns the error.
func call(c *Chat, ctx context.Context, mode string) error {
	if mode == "stream" {
		_, err := c.Stream(ctx, "s", "u", func(string) error { return nil })
		return err
	}
	_, err := c.Complete(ctx, "s", "u")
	return err
}

func TestChatErrorsNeverShowTheKey(t *testing.T) {
	const key = "sk-wrong-key-1234"
	srv := openaitest.New(t, openaitest.Options{})
	c := newTestChat(t, srv, func(c *ChatConfig) { c.APIKey = key })
	for _, mode := range []string{"complete", "stream"} {
		err := call(c, context.Background(), mode)
		if err == nil || strings.Contains(err.Error(), key) || strings.Contains(banban.ErrorMessage(err), key) {
			t.Errorf("%s: error = %v, want an error without the key", mode, err)
		}
		if !strings.Contains(err.Error(), "401") {
			t.Errorf("%s: error = %v, want the status in the cause", mode, err)
		}
	}
}

func TestChatContextErrorsPassThrough(t *testing.T) {
	tests := []struct {
		name  string
		opts  openaitest.Options
		modes []string
	}{
		{"slow to answer", openaitest.Options{Reply: echoAnswer, Delay: time.Second}, []string{"complete", "stream"}},
		{"stalls mid-stream", openaitest.Options{Reply: echoAnswer, ChunkDelay: time.Second}, []string{"stream"}},
	}
	for _, tt := range tests {
		for _, mode := range tt.modes {
			t.Run(tt.name+"/"+mode, func(t *testing.T) {
				c := newTestChat(t, openaitest.New(t, tt.opts), nil)
				ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
				defer cancel()
				start := time.Now()
				if err := call(c, ctx, mode); !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("past its deadline: got %v, want context.DeadlineExceeded", err)
				}
				if took := time.Since(start); took > 500*time.Millisecond {
					t.Errorf("returned after %v, want soon after the deadline", took)
				}
			})
		}
	}
}

func TestChatIgnoresEnvironment(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "from-env")
	t.Setenv("OPENAI_MODEL", "from-env")
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
	srv := openaitest.New(t, openaitest.Options{Reply: echoAnswer})
	if _, err := newTestChat(t, srv, nil).Complete(context.Background(), "s", "u"); err != nil {
		t.Fatalf("Complete with OPENAI_* set: %v", err)
	}
	if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Model != "qwen2.5-7b-instruct" {
		t.Errorf("requests = %+v, want one to the configured endpoint and model", reqs)
	}
}

func TestNewChatNeedsAModel(t *testing.T) {
	if _, err := NewChat(ChatConfig{BaseURL: "http://127.0.0.1:1/v1"}); banban.ErrorCode(err) != banban.EINVALID {
		t.Errorf("NewChat without a model: error %v, want code %q", err, banban.EINVALID)
	}
}

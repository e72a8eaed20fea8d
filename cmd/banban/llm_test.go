package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/langchain/openaitest"
)

func TestLLMConfig(t *testing.T) {
	runConfigCases(t, []configCase{
		{"off by default", nil, "", func(c Config) bool { return c.LLMURL == "" && c.LLMTimeout == 8*time.Second }},
		{"configured", map[string]string{"BANBAN_LLM_URL": "http://127.0.0.1:8000/v1", "BANBAN_LLM_MODEL": "qwen2.5-7b-instruct",
			"BANBAN_LLM_API_KEY": "sk-x", "BANBAN_LLM_TIMEOUT": "5s"}, "", func(c Config) bool {
			return c.LLMURL == "http://127.0.0.1:8000/v1" && c.LLMModel == "qwen2.5-7b-instruct" && c.LLMKey == "sk-x" && c.LLMTimeout == 5*time.Second
		}},
		{"endpoint without model", map[string]string{"BANBAN_LLM_URL": "http://127.0.0.1:8000/v1"}, "BANBAN_LLM_MODEL", nil},
		{"bad timeout", map[string]string{"BANBAN_LLM_TIMEOUT": "soon"}, "BANBAN_LLM_TIMEOUT", nil},
	})
}

func TestLLMFlagsOverrideEnvironment(t *testing.T) {
	cfg := Config{LLMURL: "http://env/v1", LLMModel: "env-model", LLMKey: "env-key"}
	fs := newFlags("ask")
	llmFlags(fs, &cfg)
	if err := fs.Parse([]string{"--llm-url", "http://flag/v1", "--llm-model", "flag-model"}); err != nil {
		t.Fatal(err)
	}
	if cfg.LLMURL != "http://flag/v1" || cfg.LLMModel != "flag-model" || cfg.LLMKey != "env-key" {
		t.Errorf("config = %+v, want the flags over the environment and the key kept", cfg)
	}
}

// TestAskWithChatModel runs a question through an App wired to a fake chat
// endpoint, as `banban ask --llm-url` does.
func TestAskWithChatModel(t *testing.T) {
	const said = "结婚登记不收费[1]。"
	srv := openaitest.New(t, openaitest.Options{Reply: func(openaitest.Request) string { return said }})
	tests := []struct {
		name         string
		url          string
		wantText     string
		wantRequests int
	}{
		{"with a model", srv.URL, said, 1},
		{"without one", "", "《结婚登记》\n【收费标准】", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Requests())
			cfg := testConfig(t, "bolt")
			cfg.LLMURL, cfg.LLMModel, cfg.LLMKey = tt.url, "fake", openaitest.Key
			ctx := context.Background()
			app, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer app.Close()
			if err := app.loadSampleIfEmpty(ctx); err != nil {
				t.Fatal(err)
			}
			rep, err := app.Bot.Reply(ctx, bot.Request{Channel: "cli", Text: "结婚登记要收费吗？"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(rep.Answer.Text, tt.wantText) || !strings.Contains(rep.Answer.Text, "依据：《结婚登记》收费标准") {
				t.Errorf("answer = %q, want it to start with %q and cite its source", rep.Answer.Text, tt.wantText)
			}
			if got := len(srv.Requests()) - before; got != tt.wantRequests {
				t.Errorf("requests to the model = %d, want %d", got, tt.wantRequests)
			}
		})
	}
}

package main

import (
	"flag"
	"fmt"
	"github.com/banban-gov/banban/bot/forms"

	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/langchain"
)

var _ bot.Generator = (*langchain.Chat)(nil)

// llmFlags lets a command override the chat model's environment variables.
func llmFlags(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.LLMURL, "llm-url", cfg.LLMURL, "OpenAI 兼容对话接口地址（覆盖 BANBAN_LLM_URL）")
	fs.StringVar(&cfg.LLMModel, "llm-model", cfg.LLMModel, "对话模型名称（覆盖 BANBAN_LLM_MODEL）")
	fs.StringVar(&cfg.LLMKey, "llm-key", cfg.LLMKey, "对话接口密钥（命令行参数他人可见，建议用 BANBAN_LLM_API_KEY）")
}

// newChat returns the chat model the bot phrases answers with. A nil
// Generator, when no endpoint is configured, keeps the extracted answers:
// that is bot.Config's meaning of nil, not a missing value.
func newChat(cfg Config) (bot.Generator, error) {
	if cfg.LLMURL == "" {
		return nil, nil
	}
	chat, err := langchain.NewChat(langchain.ChatConfig{
		BaseURL: cfg.LLMURL, APIKey: cfg.LLMKey, Model: cfg.LLMModel, Timeout: cfg.LLMTimeout,
	})
	if err != nil {
		return nil, fmt.Errorf("chat model: %w", err)
	}
	return chat, nil
}

// formProposer lets the chat model, when one is configured, propose form
// values the rules do not find; nil without a model.
func formProposer(gen bot.Generator) *forms.Proposer {
	if gen == nil {
		return nil
	}
	return &forms.Proposer{LLM: gen}
}

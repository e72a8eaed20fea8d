package langchain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/banban-gov/banban"
)

// ChatConfig says which OpenAI-compatible chat endpoint and model to
// generate answers with: OpenAI itself, or a self-hosted server such as vLLM
// or Ollama serving a Chinese instruction model.
type ChatConfig struct {
	// BaseURL is the API root; requests go to BaseURL + "/chat/completions".
	// Empty means DefaultBaseURL.
	BaseURL string
	// APIKey is sent as a bearer token. Empty sends a placeholder. It never
	// appears in an error.
	APIKey string
	// Model names the chat model. Required.
	Model string
	// Timeout bounds each HTTP request, streaming included. Zero means
	// DefaultTimeout; callers usually set a shorter deadline on the context.
	Timeout time.Duration
	// Temperature is the sampling temperature. Zero, the most literal, suits
	// answers that must restate official text.
	Temperature float64
}

// Chat generates text with an OpenAI-compatible chat endpoint. It is safe
// for concurrent use.
type Chat struct {
	llm         *openai.LLM
	temperature float64
	key         string
}

// NewChat returns a Chat for cfg. It does not contact the endpoint, and, as
// with NewEmbedder, langchaingo's OPENAI_* environment fallbacks never apply.
func NewChat(cfg ChatConfig) (*Chat, error) {
	llm, err := newClient(endpoint{what: "大模型", baseURL: cfg.BaseURL, apiKey: cfg.APIKey, model: cfg.Model, timeout: cfg.Timeout})
	if err != nil {
		return nil, err
	}
	return &Chat{llm: llm, temperature: cfg.Temperature, key: cfg.APIKey}, nil
}

// Complete sends one system and one user message and returns the model's
// reply. Errors follow Stream's contract.
func (c *Chat) Complete(ctx context.Context, system, user string) (string, error) {
	resp, err := c.llm.GenerateContent(ctx, messages(system, user), llms.WithTemperature(c.temperature))
	if err != nil {
		return "", c.classify(ctx, err)
	}
	if len(resp.Choices) == 0 {
		return "", banban.Errorf(banban.EUNAVAILABLE, "大模型服务没有返回内容，请稍后再试。")
	}
	if err := unfinished(resp.Choices[0].StopReason, false); err != nil {
		return "", err
	}
	return resp.Choices[0].Content, nil
}

// Stream is Complete with the reply streamed: onChunk receives each piece
// of text as it arrives, in order, and Stream returns the whole text. When
// onChunk returns an error, the request is abandoned and Stream returns the
// text so far with that error, unchanged. A cancelled or expired context
// returns ctx.Err() (wrapped); an unreachable, overloaded, failing or slow
// endpoint is EUNAVAILABLE; a refused request (bad key, unknown model) is
// EINTERNAL, and ETOOLARGE when the prompt is too long for the endpoint.
func (c *Chat) Stream(ctx context.Context, system, user string, onChunk func(string) error) (string, error) {
	var got strings.Builder
	var stop error
	fn := func(_ context.Context, chunk []byte) error {
		if len(chunk) == 0 {
			return nil
		}
		got.Write(chunk)
		stop = onChunk(string(chunk))
		return stop
	}
	resp, err := c.llm.GenerateContent(ctx, messages(system, user),
		llms.WithTemperature(c.temperature), llms.WithStreamingFunc(fn))
	switch {
	case stop != nil:
		return got.String(), stop
	case err == nil && ctx.Err() != nil:
		// langchaingo ends a stream cut by the context as if it had finished.
		err = ctx.Err()
	case err == nil && len(resp.Choices) > 0:
		err = unfinished(resp.Choices[0].StopReason, true)
	}
	if err != nil {
		return got.String(), c.classify(ctx, err)
	}
	return got.String(), nil
}

// unfinished returns an error for a reply the model did not finish: cut at
// its length limit, withheld by a content filter, or, for a stream, ended
// without a finish reason (a dropped connection). Half an answer can leave
// out the material a citizen most needs.
func unfinished(reason string, streamed bool) error {
	switch {
	case reason == "length" || reason == "content_filter":
		return banban.Errorf(banban.EUNAVAILABLE, "大模型的回答不完整（%s）。", reason)
	case reason == "" && streamed:
		return banban.Errorf(banban.EUNAVAILABLE, "大模型的回答中途中断。")
	}
	return nil
}

func messages(system, user string) []llms.MessageContent {
	return []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, system),
		llms.TextParts(llms.ChatMessageTypeHuman, user),
	}
}

// chatStatusMessages are the messages for an error status from the chat
// endpoint, by the code statusError.code gives it.
var chatStatusMessages = map[string]string{
	banban.EUNAVAILABLE: "大模型服务繁忙或出错，请稍后再试。",
	banban.ETOOLARGE:    "送往大模型服务的内容过长。",
	banban.EINTERNAL:    "大模型服务拒绝了请求，请检查模型与密钥配置。",
}

// classify turns a failed request into a coded error whose cause never
// holds the API key: an endpoint may echo the key it was sent in its error
// message.
func (c *Chat) classify(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("chat: %w", ctx.Err())
	}
	var be *banban.Error
	if errors.As(err, &be) {
		return err
	}
	var te *transportError
	if errors.As(err, &te) {
		return banban.WrapError(banban.EUNAVAILABLE, redact(te.cause, c.key), "大模型服务暂时无法连接，请稍后再试。")
	}
	var se *statusError
	if errors.As(err, &se) {
		cause := redact(fmt.Errorf("chat endpoint returned status %d: %s", se.status, se.message), c.key)
		return banban.WrapError(se.code(), cause, "%s", chatStatusMessages[se.code()])
	}
	// A stream cut by the client's own timeout, a body that is not the
	// expected JSON (typically a proxy's page), or an empty reply.
	return banban.WrapError(banban.EUNAVAILABLE, redact(err, c.key), "大模型服务没有正常返回，请稍后再试。")
}

// redact returns err with every occurrence of key in its text replaced.
func redact(err error, key string) error {
	if key == "" || key == placeholderKey || !strings.Contains(err.Error(), key) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), key, "[redacted]"))
}

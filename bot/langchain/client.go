package langchain

import (
	"net/http"
	"strings"
	"time"

	"github.com/tmc/langchaingo/llms/openai"

	"github.com/banban-gov/banban"
)

// Defaults for the optional endpoint fields of EmbedderConfig and
// ChatConfig.
const (
	DefaultBaseURL = "https://api.openai.com/v1"
	DefaultTimeout = 30 * time.Second
)

// placeholderKey is sent when no API key is configured: langchaingo refuses
// an empty key, and self-hosted servers such as vLLM ignore it (their own
// examples use "EMPTY").
const placeholderKey = "EMPTY"

// endpoint is what an Embedder and a Chat both need to reach an
// OpenAI-compatible API.
type endpoint struct {
	// what names the kind of model in errors shown to users, such as
	// "向量模型" or "大模型".
	what    string
	baseURL string
	apiKey  string
	model   string
	timeout time.Duration
}

// newClient returns a langchaingo client for ep, with the defaults filled
// in and extra options added. It does not contact the endpoint. Every
// setting is passed explicitly, so langchaingo's fallbacks to the OPENAI_*
// environment variables never apply: configuration is read once, in
// cmd/banban. A missing model or a client langchaingo refuses is EINVALID,
// and the error never holds the API key.
func newClient(ep endpoint, extra ...openai.Option) (*openai.LLM, error) {
	if strings.TrimSpace(ep.model) == "" {
		return nil, banban.Errorf(banban.EINVALID, "%s配置缺少模型名称。", ep.what)
	}
	ep.baseURL = strings.TrimRight(ep.baseURL, "/")
	if ep.baseURL == "" {
		ep.baseURL = DefaultBaseURL
	}
	if ep.apiKey == "" {
		ep.apiKey = placeholderKey
	}
	if ep.timeout <= 0 {
		ep.timeout = DefaultTimeout
	}
	opts := []openai.Option{
		openai.WithBaseURL(ep.baseURL),
		openai.WithToken(ep.apiKey),
		openai.WithModel(ep.model),
		openai.WithOrganization(""),
		openai.WithHTTPClient(doer{&http.Client{Timeout: ep.timeout}}),
	}
	llm, err := openai.New(append(opts, extra...)...)
	if err != nil {
		return nil, banban.WrapError(banban.EINVALID, redact(err, ep.apiKey), "%s配置无效。", ep.what)
	}
	return llm, nil
}

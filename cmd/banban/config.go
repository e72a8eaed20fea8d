package main

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/channels/wechat"
)

// Config is everything Banban reads from its environment, read once at
// start. Flags override the matching variables.
type Config struct {
	// DatabaseURL selects PostgreSQL for every command (DATABASE_URL or
	// --database-url); empty keeps the embedded store.
	DatabaseURL string
	// DatabaseSchema is the PostgreSQL schema holding Banban's tables
	// (BANBAN_DATABASE_SCHEMA).
	DatabaseSchema string
	// DatabaseMaxConns bounds the PostgreSQL connection pool
	// (BANBAN_DATABASE_MAX_CONNS).
	DatabaseMaxConns int
	// BulkImport lets one large write into an empty or small PostgreSQL
	// store build its search indexes at once (postgres.Options.BulkImport),
	// and a first import send every document in one write: set by the
	// commands that import, never by serve, whose readers would wait.
	BulkImport bool
	DataDir    string // BANBAN_DATA_DIR: where the embedded store lives
	Addr       string // BANBAN_ADDR: the HTTP listen address

	JiebaDictDir string // BANBAN_JIEBA_DICT_DIR: jieba's dictionaries (default: gojieba's own)
	UserDict     string // BANBAN_USER_DICT: the 政务 user dictionary (default: the shipped one)
	Synonyms     string // BANBAN_SYNONYMS: the synonym table (default: the shipped one)

	EmbeddingURL     string        // BANBAN_EMBEDDING_URL: OpenAI-compatible endpoint; empty = offline embedder
	EmbeddingModel   string        // BANBAN_EMBEDDING_MODEL
	EmbeddingKey     string        // BANBAN_EMBEDDING_API_KEY (never logged)
	EmbeddingDim     int           // BANBAN_EMBEDDING_DIM
	EmbeddingTimeout time.Duration // BANBAN_EMBEDDING_TIMEOUT
	// VectorWeight is the weight of dense search in the fusion
	// (BANBAN_VECTOR_WEIGHT); negative means automatic: a tie-breaker for the
	// offline embedder, a full vote for an embedding model.
	VectorWeight float64

	LLMURL     string        // BANBAN_LLM_URL: OpenAI-compatible chat endpoint; empty = extracted answers only
	LLMModel   string        // BANBAN_LLM_MODEL
	LLMKey     string        // BANBAN_LLM_API_KEY (never logged)
	LLMTimeout time.Duration // BANBAN_LLM_TIMEOUT: past it, the extracted answer is sent

	LogLevel slog.Level // BANBAN_LOG_LEVEL: debug, info, warn, error

	// Calendar is the staff's business hours (BANBAN_HOURS, BANBAN_WORKDAYS,
	// BANBAN_HOLIDAYS, BANBAN_MAKEUP_WORKDAYS).
	Calendar   *desk.Calendar
	WaitExpiry time.Duration // BANBAN_WAIT_EXPIRY: an unclaimed handoff becomes a call-back ticket after it

	WebhookURL    string // BANBAN_WEBHOOK_URL: receives tickets as signed JSON; empty = none
	WebhookSecret string // BANBAN_WEBHOOK_SECRET: HMAC key for tickets out and status updates in (never logged)
	TrustProxy    bool   // BANBAN_TRUST_PROXY: take the client address from X-Forwarded-For
	// DataKey encrypts personal data in form drafts (BANBAN_DATA_KEY: 64 hex
	// digits or base64 of 32 bytes); empty uses a key file in DataDir.
	DataKey string
	// DraftRetention is how long form drafts are kept after a
	// conversation's last activity (BANBAN_DRAFT_RETENTION).
	DraftRetention time.Duration
	// WeChat configures the 公众号 and 小程序 channels (BANBAN_WECHAT_*,
	// BANBAN_MINIPROGRAM_*, BANBAN_WECOM_*, BANBAN_PUBLIC_URL; see wechat.ConfigFromEnv).
	WeChat wechat.Config
	// RateLimits turns the per-client rate limits on (BANBAN_RATE_LIMITS);
	// only a load test on loopback turns them off.
	RateLimits bool
}

// envVar describes one variable: its name, default and how to set it.
type envVar struct {
	name, def, help string
	set             func(c *Config, v string) error
}

// envVars is the one table of Banban's configuration.
var envVars = []envVar{
	{"DATABASE_URL", "", "PostgreSQL 连接串（含 pgvector）；为空则用嵌入式存储", func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{"BANBAN_DATABASE_SCHEMA", "public", "PostgreSQL 中存放帮办数据表的 schema", func(c *Config, v string) error { c.DatabaseSchema = v; return nil }},
	{"BANBAN_DATABASE_MAX_CONNS", "16", "PostgreSQL 连接池上限（一次问答会并行执行多条查询）", setInt(func(c *Config) *int { return &c.DatabaseMaxConns })},
	{"BANBAN_DATA_DIR", "data", "嵌入式存储的数据目录", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"BANBAN_ADDR", "127.0.0.1:8080", "HTTP 监听地址", func(c *Config, v string) error { c.Addr = v; return nil }},
	{"BANBAN_JIEBA_DICT_DIR", "", "jieba 词典目录（含 jieba.dict.utf8 等）", func(c *Config, v string) error { c.JiebaDictDir = v; return nil }},
	{"BANBAN_USER_DICT", "", "政务用户词典文件", func(c *Config, v string) error { c.UserDict = v; return nil }},
	{"BANBAN_SYNONYMS", "", "同义词表文件", func(c *Config, v string) error { c.Synonyms = v; return nil }},
	{"BANBAN_EMBEDDING_URL", "", "OpenAI 兼容向量接口地址；为空则用离线向量", func(c *Config, v string) error { c.EmbeddingURL = v; return nil }},
	{"BANBAN_EMBEDDING_MODEL", "", "向量模型名称", func(c *Config, v string) error { c.EmbeddingModel = v; return nil }},
	{"BANBAN_EMBEDDING_API_KEY", "", "向量接口密钥", func(c *Config, v string) error { c.EmbeddingKey = v; return nil }},
	{"BANBAN_EMBEDDING_DIM", "0", "向量维度（离线向量默认 256）", setInt(func(c *Config) *int { return &c.EmbeddingDim })},
	{"BANBAN_EMBEDDING_TIMEOUT", "30s", "向量接口超时", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.EmbeddingTimeout = d
		return err
	}},
	{"BANBAN_VECTOR_WEIGHT", "auto", "向量检索在融合排序中的权重；auto 表示离线向量仅作并列时的参考，向量模型按 1 计", func(c *Config, v string) error {
		if v == "auto" {
			c.VectorWeight = -1
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			return fmt.Errorf("want auto or a non-negative number")
		}
		c.VectorWeight = f
		return nil
	}},
	{"BANBAN_LLM_URL", "", "OpenAI 兼容对话接口地址；设置后由大模型依据检索到的原文组织回答并核对，为空则直接摘录原文", func(c *Config, v string) error { c.LLMURL = v; return nil }},
	{"BANBAN_LLM_MODEL", "", "对话模型名称", func(c *Config, v string) error { c.LLMModel = v; return nil }},
	{"BANBAN_LLM_API_KEY", "", "对话接口密钥", func(c *Config, v string) error { c.LLMKey = v; return nil }},
	{"BANBAN_LLM_TIMEOUT", "8s", "大模型回答超时，超时则直接摘录原文", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.LLMTimeout = d
		return err
	}},
	{"BANBAN_HOURS", "09:00-17:30", "人工服务时间（工作日内）", func(c *Config, v string) error {
		var err error
		c.calendar().Open, c.calendar().Close, err = desk.ParseHours(v)
		return err
	}},
	{"BANBAN_WORKDAYS", "1-5", "每周工作日，1=周一 … 7=周日，如 1-5 或 1,2,3,4,5,6", func(c *Config, v string) error {
		days, err := parseWeekdays(v)
		c.calendar().Weekdays = days
		return err
	}},
	{"BANBAN_HOLIDAYS", "", "法定节假日（不提供人工服务），逗号分隔的日期或日期段，如 2026-10-01..2026-10-07", func(c *Config, v string) error {
		dates, err := parseDates(v)
		c.calendar().Holidays = dates
		return err
	}},
	{"BANBAN_MAKEUP_WORKDAYS", "", "调休上班的周末日期，格式同上", func(c *Config, v string) error {
		dates, err := parseDates(v)
		c.calendar().Workdays = dates
		return err
	}},
	{"BANBAN_WAIT_EXPIRY", "30m", "人工排队无人接入的最长等待时间，超时转为回访工单", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.WaitExpiry = d
		return err
	}},
	{"BANBAN_DATA_KEY", "", "加密申请表草稿中个人信息的密钥（32 字节，64 位十六进制或 base64）；为空则使用数据目录中的 data.key（首次启动自动生成）", func(c *Config, v string) error { c.DataKey = v; return nil }},
	{"BANBAN_DRAFT_RETENTION", "720h", "申请表草稿在会话最后活动后的保留时长，过期删除", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		c.DraftRetention = d
		return err
	}},
	{"BANBAN_WEBHOOK_URL", "", "接收转人工和留言工单的地址（如 12345 协同平台）；为空则不推送", func(c *Config, v string) error { c.WebhookURL = v; return nil }},
	{"BANBAN_WEBHOOK_SECRET", "", "工单推送和状态回传的 HMAC 签名密钥", func(c *Config, v string) error { c.WebhookSecret = v; return nil }},
	{"BANBAN_TRUST_PROXY", "false", "位于反向代理之后时设为 true，按 X-Forwarded-For 识别客户端地址", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.TrustProxy = b
		return err
	}},
	{"BANBAN_RATE_LIMITS", "true", "按客户端地址和会话限制请求频率（仅压测时关闭）", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		c.RateLimits = b
		return err
	}},
	{"BANBAN_LOG_LEVEL", "info", "日志级别：debug、info、warn、error", func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
}

func setInt(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("want a non-negative whole number")
		}
		*field(c) = n
		return nil
	}
}

// LoadConfig reads the environment through getenv.
func LoadConfig(getenv func(string) string) (Config, error) {
	var c Config
	var errs []string
	for _, v := range envVars {
		val := getenv(v.name)
		if val == "" {
			val = v.def
		}
		if err := v.set(&c, val); err != nil {
			errs = append(errs, fmt.Sprintf("%s=%q: %v", v.name, val, err))
		}
	}
	if c.EmbeddingURL != "" && (c.EmbeddingModel == "" || c.EmbeddingDim == 0) {
		errs = append(errs, "BANBAN_EMBEDDING_URL 已设置时，必须同时设置 BANBAN_EMBEDDING_MODEL 和 BANBAN_EMBEDDING_DIM")
	}
	if c.LLMURL != "" && c.LLMModel == "" {
		errs = append(errs, "BANBAN_LLM_URL 已设置时，必须同时设置 BANBAN_LLM_MODEL")
	}
	var err error
	if c.WeChat, err = wechat.ConfigFromEnv(getenv); err != nil {
		errs = append(errs, err.Error())
	}
	if c.WebhookURL != "" && c.WebhookSecret == "" {
		errs = append(errs, "BANBAN_WEBHOOK_URL 已设置时，必须同时设置 BANBAN_WEBHOOK_SECRET")
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("配置错误：\n  %s", strings.Join(errs, "\n  "))
	}
	return c, nil
}

// printEnvHelp lists the variables for `banban help`.
func printEnvHelp() {
	fmt.Fprintln(os.Stderr, "\n环境变量：")
	for _, v := range envVars {
		def := v.def
		if def == "" {
			def = "（空）"
		}
		fmt.Fprintf(os.Stderr, "  %-26s %s，默认 %s\n", v.name, v.help, def)
	}
	fmt.Fprintln(os.Stderr, "  微信公众号：BANBAN_WECHAT_APPID、BANBAN_WECHAT_SECRET、BANBAN_WECHAT_TOKEN、BANBAN_WECHAT_AES_KEY、BANBAN_WECHAT_PATH（默认 /wechat/oa）")
	fmt.Fprintln(os.Stderr, "  微信小程序：BANBAN_MINIPROGRAM_APPID、BANBAN_MINIPROGRAM_SECRET、BANBAN_MINIPROGRAM_TEMPLATE_ID、BANBAN_MINIPROGRAM_PAGE")
	fmt.Fprintln(os.Stderr, "  BANBAN_PUBLIC_URL：对外访问地址，用于微信消息中的依据链接")
}

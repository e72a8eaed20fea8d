package wechat

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Secret is a credential (app secret, token, AES key). It prints, logs and
// marshals as "[redacted]", so a Config can be logged whole.
type Secret string

const redacted = "[redacted]"

// String hides the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString hides the secret from %#v.
func (s Secret) GoString() string { return s.String() }

// LogValue hides the secret from log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText hides the secret from encoders.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// OfficialAccount configures the 公众号 message server and its
// customer-service messages. It is on when AppID and Token are set.
type OfficialAccount struct {
	AppID  string // BANBAN_WECHAT_APPID
	Secret Secret // BANBAN_WECHAT_SECRET
	// Token signs every request WeChat sends (BANBAN_WECHAT_TOKEN).
	Token Secret
	// AESKey is the 43-character EncodingAESKey of safe mode
	// (BANBAN_WECHAT_AES_KEY); empty accepts plaintext mode only.
	AESKey Secret
	// Path is where WeChat posts messages (BANBAN_WECHAT_PATH, default
	// /wechat/oa).
	Path string
}

// MiniProgram configures the 小程序 API. It is on when AppID and Secret are
// set.
type MiniProgram struct {
	AppID  string // BANBAN_MINIPROGRAM_APPID
	Secret Secret // BANBAN_MINIPROGRAM_SECRET
	// TemplateID is the subscribe-message template that tells an absent
	// citizen a staff member replied (BANBAN_MINIPROGRAM_TEMPLATE_ID);
	// empty sends none.
	TemplateID string
	// Page is the mini-program page the notification opens
	// (BANBAN_MINIPROGRAM_PAGE, default pages/index/index).
	Page string
	// Fields name the template's keywords (default thing1 for who, thing2
	// for the reply's start, time3 for when).
	Fields TemplateFields
	// SessionTTL is how long a sign-in lasts (default 30 days).
	SessionTTL time.Duration
}

// CustomerService configures 微信客服 (WeChat Customer Service, run from
// WeCom): WeCom calls Path when a citizen writes to one of the company's
// customer-service accounts, Banban pulls the messages (sync_msg) and
// answers them (send_msg). It is on when CorpID, Secret and Token are set.
type CustomerService struct {
	CorpID string // BANBAN_WECOM_CORPID
	// Secret is the 微信客服 secret (BANBAN_WECOM_KF_SECRET).
	Secret Secret
	// Token and AESKey sign and encrypt WeCom's callbacks
	// (BANBAN_WECOM_KF_TOKEN, BANBAN_WECOM_KF_AES_KEY, 43 characters).
	Token  Secret
	AESKey Secret
	// Path is the callback address (BANBAN_WECOM_KF_PATH, default
	// /wechat/kf).
	Path string
}

// TemplateFields are the keyword names of the subscribe-message template.
type TemplateFields struct {
	Who, Text, Time string
}

// Config configures the WeChat channels. Zero values take the defaults.
type Config struct {
	OA OfficialAccount
	MP MiniProgram
	KF CustomerService
	// PublicURL is Banban's public address (BANBAN_PUBLIC_URL, e.g.
	// https://banban.example.gov.cn); citations link documents there.
	// Empty links only a document's own official address.
	PublicURL string
	// Budget is how long a 公众号 request may wait for the answer before it
	// is acknowledged and the answer follows as a customer-service message.
	// WeChat gives up after 5 seconds and retries (default 4.5s).
	Budget time.Duration
	// TurnTimeout bounds the desk's work on one message (default 60s).
	TurnTimeout time.Duration
	// MaxBytes is the longest text sent in one WeChat message; longer text
	// is split. WeChat refuses text over 2,048 bytes (default 2,000).
	MaxBytes int
	// MaxParts caps the messages one answer is split into (default 5).
	MaxParts int
	// Quota is how many customer-service messages WeChat allows after each
	// citizen message, within Window (default 5, the 2023 rule).
	Quota int
	// Window is how long after a citizen's message customer-service
	// messages may reach them (default 48h).
	Window time.Duration
	// Away is how long a mini-program user may go without polling before a
	// staff reply is also sent as a subscribe message (default 2m).
	Away time.Duration
	// CommonQuestions are offered in the welcome message.
	CommonQuestions []string
	// APIBase replaces https://api.weixin.qq.com and
	// https://qyapi.weixin.qq.com (WeCom) in every outbound call
	// (tests point it at a fake). It is process-wide: the SDK keeps it in a
	// global, so two channels with different bases cannot coexist.
	APIBase string
}

// ConfigFromEnv reads the configuration through getenv (os.Getenv in
// cmd/banban; nothing in this package reads the environment itself).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		OA: OfficialAccount{AppID: getenv("BANBAN_WECHAT_APPID"), Secret: Secret(getenv("BANBAN_WECHAT_SECRET")),
			Token: Secret(getenv("BANBAN_WECHAT_TOKEN")), AESKey: Secret(getenv("BANBAN_WECHAT_AES_KEY")),
			Path: getenv("BANBAN_WECHAT_PATH")},
		MP: MiniProgram{AppID: getenv("BANBAN_MINIPROGRAM_APPID"), Secret: Secret(getenv("BANBAN_MINIPROGRAM_SECRET")),
			TemplateID: getenv("BANBAN_MINIPROGRAM_TEMPLATE_ID"), Page: getenv("BANBAN_MINIPROGRAM_PAGE")},
		KF: CustomerService{CorpID: getenv("BANBAN_WECOM_CORPID"), Secret: Secret(getenv("BANBAN_WECOM_KF_SECRET")),
			Token: Secret(getenv("BANBAN_WECOM_KF_TOKEN")), AESKey: Secret(getenv("BANBAN_WECOM_KF_AES_KEY")),
			Path: getenv("BANBAN_WECOM_KF_PATH")},
		PublicURL: getenv("BANBAN_PUBLIC_URL"),
	}
	return c, c.Validate()
}

// Validate reports a half-configured channel in Chinese, naming the
// variable and never its value.
func (c Config) Validate() error {
	oa := c.OA
	if oa.AppID != "" || oa.Token != "" || oa.Secret != "" || oa.AESKey != "" {
		switch {
		case oa.AppID == "":
			return fmt.Errorf("公众号配置缺少 BANBAN_WECHAT_APPID")
		case oa.Token == "":
			return fmt.Errorf("公众号配置缺少 BANBAN_WECHAT_TOKEN")
		case oa.Secret == "":
			return fmt.Errorf("公众号配置缺少 BANBAN_WECHAT_SECRET（发送客服消息需要）")
		case oa.AESKey != "" && len(oa.AESKey) != 43:
			return fmt.Errorf("BANBAN_WECHAT_AES_KEY 应为 43 个字符")
		case oa.Path != "" && !strings.HasPrefix(oa.Path, "/"):
			return fmt.Errorf("BANBAN_WECHAT_PATH 应以 / 开头")
		}
	}
	mp := c.MP
	if (mp.AppID == "") != (mp.Secret == "") {
		return fmt.Errorf("小程序配置须同时设置 BANBAN_MINIPROGRAM_APPID 和 BANBAN_MINIPROGRAM_SECRET")
	}
	return c.KF.validate()
}

func (kf CustomerService) validate() error {
	if kf == (CustomerService{}) {
		return nil
	}
	switch {
	case kf.CorpID == "":
		return fmt.Errorf("微信客服配置缺少 BANBAN_WECOM_CORPID")
	case kf.Secret == "":
		return fmt.Errorf("微信客服配置缺少 BANBAN_WECOM_KF_SECRET")
	case kf.Token == "":
		return fmt.Errorf("微信客服配置缺少 BANBAN_WECOM_KF_TOKEN")
	case len(kf.AESKey) != 43:
		return fmt.Errorf("BANBAN_WECOM_KF_AES_KEY 应为 43 个字符（企业微信回调必须加密）")
	case kf.Path != "" && !strings.HasPrefix(kf.Path, "/"):
		return fmt.Errorf("BANBAN_WECOM_KF_PATH 应以 / 开头")
	}
	return nil
}

// OAEnabled reports whether the 公众号 server is configured.
func (c Config) OAEnabled() bool { return c.OA.AppID != "" && c.OA.Token != "" }

// MPEnabled reports whether the mini-program API is configured.
func (c Config) MPEnabled() bool { return c.MP.AppID != "" && c.MP.Secret != "" }

// KFEnabled reports whether 微信客服 is configured.
func (c Config) KFEnabled() bool { return c.KF.CorpID != "" && c.KF.Secret != "" && c.KF.Token != "" }

func (c Config) withDefaults() Config {
	if c.OA.Path == "" {
		c.OA.Path = "/wechat/oa"
	}
	if c.KF.Path == "" {
		c.KF.Path = "/wechat/kf"
	}
	if c.MP.Page == "" {
		c.MP.Page = "pages/index/index"
	}
	if c.MP.Fields == (TemplateFields{}) {
		c.MP.Fields = TemplateFields{Who: "thing1", Text: "thing2", Time: "time3"}
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	setDuration(&c.MP.SessionTTL, 30*24*time.Hour)
	setDuration(&c.Budget, 4500*time.Millisecond)
	setDuration(&c.TurnTimeout, time.Minute)
	setDuration(&c.Window, 48*time.Hour)
	setDuration(&c.Away, 2*time.Minute)
	setInt(&c.MaxBytes, 2000)
	setInt(&c.MaxParts, 5)
	setInt(&c.Quota, 5)
	if c.CommonQuestions == nil {
		c.CommonQuestions = defaultQuestions
	}
	return c
}

func setDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

func setInt(n *int, def int) {
	if *n <= 0 {
		*n = def
	}
}

package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/miniprogram"
	mpconfig "github.com/silenceper/wechat/v2/miniprogram/config"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
	"github.com/sirupsen/logrus"
)

// apiHost is WeChat's API address, as the SDK writes it.
const apiHost = "https://api.weixin.qq.com"

// customSendURL is the customer-service send endpoint. It is called here
// rather than through the SDK's message.Manager.Send, which takes no
// context and reports WeChat's error code only inside its message text:
// the code tells a closed 48-hour window from a failure.
const customSendURL = apiHost + "/cgi-bin/message/custom/send?access_token="

// WeChat error codes that change what we do.
const (
	errcodeBadToken     = 40001 // access token invalid: fetch a new one
	errcodeBadToken2    = 40014
	errcodeTokenExpired = 42001
	errcodeOutOfTime    = 45015 // the 48-hour window has closed
	errcodeOutOfQuota   = 45047 // the window's message quota is used up
	errcodeUnsubscribed = 43004 // the user no longer follows the account
)

// errWindowClosed means WeChat will not take a customer-service message to
// this user until they write again.
var errWindowClosed = errors.New("customer-service window closed")

// httpTimeout bounds every SDK call that takes no context.
const httpTimeout = 10 * time.Second

// tokenCache is the SDK's in-memory cache that can also forget the access
// tokens it holds, when WeChat says one is no longer valid (another
// process fetched a newer one, or it was revoked).
type tokenCache struct {
	*cache.Memory
	mu   sync.Mutex
	keys map[string]bool
}

var _ cache.Cache = (*tokenCache)(nil)

func newTokenCache() *tokenCache {
	return &tokenCache{Memory: cache.NewMemory(), keys: map[string]bool{}}
}

// Set stores a value and remembers its key.
func (t *tokenCache) Set(key string, val interface{}, timeout time.Duration) error {
	t.mu.Lock()
	t.keys[key] = true
	t.mu.Unlock()
	return t.Memory.Set(key, val, timeout)
}

func (t *tokenCache) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k := range t.keys {
		_ = t.Memory.Delete(k)
	}
}

// clients are the SDK's 公众号 and mini-program clients, and the 微信客服
// access tokens; any may be nil.
type clients struct {
	oa           *officialaccount.OfficialAccount
	mp           *miniprogram.MiniProgram
	oaTokens     *tokenCache
	mpTokens     *tokenCache
	kfTokens     credential.AccessTokenContextHandle
	kfTokenCache *tokenCache
	// prevBase is the API base before this channel set Config.APIBase.
	prevBase string
}

func newClients(cfg Config) clients {
	// The SDK logs whole messages (openids, citizens' words) at debug level
	// through logrus, and its root package turns debug on at init: it is
	// not imported, and logrus is held at warnings (the SDK's are free of
	// personal data) in case anything else turns it on. We log ourselves.
	logrus.SetLevel(logrus.WarnLevel)
	// The SDK's HTTP client has no timeout; it is process-wide.
	util.DefaultHTTPClient = &http.Client{Timeout: httpTimeout}
	var cl clients
	if cfg.APIBase != "" {
		cl.prevBase = setAPIBase(cfg.APIBase)
	}
	if cfg.OAEnabled() {
		cl.oaTokens = newTokenCache()
		cl.oa = officialaccount.NewOfficialAccount(&oaconfig.Config{AppID: cfg.OA.AppID, AppSecret: string(cfg.OA.Secret),
			Token: string(cfg.OA.Token), EncodingAESKey: string(cfg.OA.AESKey), Cache: cl.oaTokens})
	}
	if cfg.MPEnabled() {
		cl.mpTokens = newTokenCache()
		cl.mp = miniprogram.NewMiniProgram(&mpconfig.Config{AppID: cfg.MP.AppID, AppSecret: string(cfg.MP.Secret),
			Cache: cl.mpTokens})
	}
	if cfg.KFEnabled() {
		cl.kfTokenCache = newTokenCache()
		cl.kfTokens = kfTokens(cfg, cl.kfTokenCache)
	}
	return cl
}

// apiBase is the address the SDK's calls go to instead of WeChat's, which
// the SDK keeps process-wide.
var apiBase struct {
	sync.Mutex
	current string
}

// setAPIBase sends the SDK's calls to base ("" for WeChat's own hosts) and
// returns the base it replaces, which the channel restores when it closes.
func setAPIBase(base string) string {
	apiBase.Lock()
	defer apiBase.Unlock()
	prev := apiBase.current
	apiBase.current = base
	if base == "" {
		util.SetURIModifier(nil)
		return prev
	}
	base = strings.TrimRight(base, "/")
	hosts := strings.NewReplacer(apiHost, base, qyapiHost, base)
	util.SetURIModifier(func(uri string) string { return hosts.Replace(uri) })
	return prev
}

// send sends one text to a citizen of a channel: a 公众号 customer-service
// message or a 微信客服 message. It returns errWindowClosed when WeChat
// refuses for the window or quota.
func (cl clients) send(ctx context.Context, channel, to, text string) error {
	if channel == ChannelKF {
		return cl.kfSend(ctx, to, text)
	}
	return cl.sendText(ctx, to, text)
}

// sendText sends one customer-service text message. It returns
// errWindowClosed when WeChat refuses for the window or quota.
func (cl clients) sendText(ctx context.Context, openID, text string) error {
	tokens := cl.oa.GetContext().AccessTokenHandle
	return withToken(cl.oaTokens, func() error {
		token, err := accessToken(ctx, tokens)
		if err != nil {
			return fmt.Errorf("get access token: %w", err)
		}
		resp, err := util.PostJSONContext(ctx, customSendURL+token, message.NewCustomerTextMessage(openID, text))
		if err != nil {
			return fmt.Errorf("send customer-service message: %w", err)
		}
		return util.DecodeWithCommonError(resp, "custom/send")
	})
}

// notify sends a subscribe message to a mini-program user.
func (cl clients) notify(msg *subscribe.Message) error {
	return withToken(cl.mpTokens, func() error { return cl.mp.GetSubscribe().Send(msg) })
}

// code2Session exchanges a mini-program login code for the user's openid.
// The session key it also returns never leaves this function.
func (cl clients) code2Session(ctx context.Context, code string) (string, error) {
	res, err := cl.mp.GetAuth().Code2SessionContext(ctx, code)
	if err != nil {
		return "", fmt.Errorf("code2session: %w", err)
	}
	if res.OpenID == "" {
		return "", errors.New("code2session: no openid")
	}
	return res.OpenID, nil
}

func accessToken(ctx context.Context, h credential.AccessTokenHandle) (string, error) {
	if hc, ok := h.(credential.AccessTokenContextHandle); ok {
		return hc.GetAccessTokenContext(ctx)
	}
	return h.GetAccessToken()
}

// withToken runs call, and once more with a fresh access token when WeChat
// says the cached one is no longer valid. WeChat's window codes become
// errWindowClosed.
func withToken(tokens *tokenCache, call func() error) error {
	err := call()
	if code := wechatCode(err); code == errcodeBadToken || code == errcodeBadToken2 || code == errcodeTokenExpired {
		tokens.reset()
		err = call()
	}
	switch wechatCode(err) {
	case errcodeOutOfTime, errcodeOutOfQuota, errcodeUnsubscribed:
		return fmt.Errorf("%w: %w", errWindowClosed, err)
	}
	return err
}

// wechatCode is the error code WeChat answered with, or 0.
func wechatCode(err error) int64 {
	var ce *util.CommonError
	if errors.As(err, &ce) {
		return ce.ErrCode
	}
	return 0
}

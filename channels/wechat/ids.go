package wechat

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"regexp"
	"strings"

	"github.com/banban-gov/banban"
)

// Channel names, as staff see them on each conversation.
const (
	ChannelOA = "wechat-oa"
	ChannelMP = "wechat-mp"
	ChannelKF = "wecom-kf"
)

// Conversation id prefixes: a conversation's channel can be told from its id
// alone, without reading it, for every desk update.
const (
	prefixOA = "wxoa-"
	prefixMP = "wxmp-"
	prefixKF = "wxkf-"
)

// userHash is a stable pseudonym of a WeChat user of one app: the same user
// always continues the same conversation, and the openid itself never
// appears in an id, a session or a log line.
func userHash(appID, openID string) string {
	sum := sha256.Sum256([]byte(appID + "|" + openID))
	return hex.EncodeToString(sum[:16])
}

// ConversationID is the conversation of a 公众号, mini-program or 微信客服
// user: "wxoa-", "wxmp-" or "wxkf-" and 32 hex characters, within the
// desk's id rules ([A-Za-z0-9_-], at most 128 characters). For 微信客服,
// appID is the CorpID and the account ("corpid|open_kfid") and openID the
// external_userid.
func ConversationID(channel, appID, openID string) string {
	switch channel {
	case ChannelMP:
		return prefixMP + userHash(appID, openID)
	case ChannelKF:
		return prefixKF + userHash(appID, openID)
	}
	return prefixOA + userHash(appID, openID)
}

// channelOf names the channel of a conversation id, or "" for others.
func channelOf(id string) string {
	switch {
	case strings.HasPrefix(id, prefixOA):
		return ChannelOA
	case strings.HasPrefix(id, prefixMP):
		return ChannelMP
	case strings.HasPrefix(id, prefixKF):
		return ChannelKF
	}
	return ""
}

// secretParams matches the query parameters of WeChat API addresses that
// carry credentials; the SDK puts whole addresses into its errors.
var secretParams = regexp.MustCompile(`(?i)(access_token|secret|corpsecret|js_code|appid|corpid|openid|signature)=[^&\s"]*`)

// safeError is an error's text fit for a log line: credentials in API
// addresses removed, ID and mobile numbers masked.
func safeError(err error) string {
	return banban.MaskPII(secretParams.ReplaceAllString(err.Error(), "$1=***"))
}

func errAttr(err error) slog.Attr { return slog.String("err", safeError(err)) }

package wechat

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/util"
)

// qyapiHost is WeCom's API address, as the SDK writes it.
const qyapiHost = "https://qyapi.weixin.qq.com"

// 微信客服 endpoints, called here with the SDK's HTTP helpers and access
// tokens rather than through its work/kf client, whose calls take no
// context and drop WeCom's error codes.
const (
	kfSyncURL  = qyapiHost + "/cgi-bin/kf/sync_msg?access_token="
	kfSendURL  = qyapiHost + "/cgi-bin/kf/send_msg?access_token="
	kfEventURL = qyapiHost + "/cgi-bin/kf/send_msg_on_event?access_token="
)

// WeCom codes for a message the 48-hour window or its 5-message quota no
// longer allows, or a session that no longer takes them.
const (
	errcodeKFQuota   = 95001
	errcodeKFSession = 95018
)

// kfMessage is one entry of sync_msg's msg_list.
type kfMessage struct {
	MsgID          string `json:"msgid"`
	OpenKfID       string `json:"open_kfid"`
	ExternalUserID string `json:"external_userid"`
	SendTime       int64  `json:"send_time"`
	// Origin is 3 for a message from the citizen, 4 for a system event,
	// 5 for a message sent by a WeCom servicer.
	Origin  int    `json:"origin"`
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
	Event struct {
		EventType      string `json:"event_type"`
		OpenKfID       string `json:"open_kfid"`
		ExternalUserID string `json:"external_userid"`
		WelcomeCode    string `json:"welcome_code"`
	} `json:"event"`
}

// kfOriginCitizen marks a message the citizen wrote.
const kfOriginCitizen = 3

type kfSyncResult struct {
	util.CommonError
	NextCursor string      `json:"next_cursor"`
	HasMore    int         `json:"has_more"`
	MsgList    []kfMessage `json:"msg_list"`
}

type kfText struct {
	Content string `json:"content"`
}

func decodeJSON(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// kfTokens returns the 微信客服 access-token handle over its own cache.
func kfTokens(cfg Config, cache *tokenCache) credential.AccessTokenContextHandle {
	return credential.NewWorkAccessToken(cfg.KF.CorpID, string(cfg.KF.Secret), "", credential.CacheKeyWorkPrefix+"kf_", cache)
}

// kfCall posts body to a 微信客服 endpoint with an access token, once more
// with a fresh one when WeCom says it expired, and decodes the answer
// into out (which embeds util.CommonError). The window codes become
// errWindowClosed.
func (cl clients) kfCall(ctx context.Context, endpoint, name string, body any, out interface{ commonError() error }) error {
	err := withToken(cl.kfTokenCache, func() error {
		token, err := cl.kfTokens.GetAccessTokenContext(ctx)
		if err != nil {
			return fmt.Errorf("get WeCom access token: %w", err)
		}
		resp, err := util.PostJSONContext(ctx, endpoint+token, body)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := decodeJSON(resp, out); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return out.commonError()
	})
	switch wechatCode(err) {
	case errcodeKFQuota, errcodeKFSession:
		return fmt.Errorf("%w: %w", errWindowClosed, err)
	}
	return err
}

// commonError is the call's error code as an error, or nil.
func (r *kfSyncResult) commonError() error { return codeError(r.CommonError, "kf/sync_msg") }

type kfPlain struct{ util.CommonError }

func (r *kfPlain) commonError() error { return codeError(r.CommonError, "kf/send_msg") }

func codeError(ce util.CommonError, api string) error {
	if ce.ErrCode == 0 {
		return nil
	}
	return &util.CommonError{ErrCode: ce.ErrCode, ErrMsg: api + ": " + ce.ErrMsg}
}

// kfSync pulls one page of 微信客服 messages after cursor.
func (cl clients) kfSync(ctx context.Context, cursor, token, openKfID string) (kfSyncResult, error) {
	var res kfSyncResult
	body := map[string]any{"cursor": cursor, "token": token, "limit": 1000, "open_kfid": openKfID}
	err := cl.kfCall(ctx, kfSyncURL, "kf/sync_msg", body, &res)
	return res, err
}

// kfSend sends a text to a 微信客服 citizen ("open_kfid|external_userid").
func (cl clients) kfSend(ctx context.Context, to, text string) error {
	kfID, user, ok := splitKFCitizen(to)
	if !ok {
		return fmt.Errorf("kf/send_msg: malformed recipient")
	}
	body := map[string]any{"touser": user, "open_kfid": kfID, "msgtype": "text", "text": kfText{Content: text}}
	return cl.kfCall(ctx, kfSendURL, "kf/send_msg", body, &kfPlain{})
}

// kfWelcome answers an enter_session event with its welcome code.
func (cl clients) kfWelcome(ctx context.Context, code, text string) error {
	body := map[string]any{"code": code, "msgtype": "text", "text": kfText{Content: text}}
	return cl.kfCall(ctx, kfEventURL, "kf/send_msg_on_event", body, &kfPlain{})
}

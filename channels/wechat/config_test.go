package wechat_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban/channels/wechat"
)

func TestConfigFromEnv(t *testing.T) {
	full := map[string]string{"BANBAN_WECHAT_APPID": "wx1", "BANBAN_WECHAT_TOKEN": "t",
		"BANBAN_WECHAT_SECRET": "s", "BANBAN_WECHAT_AES_KEY": testAESKey}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range full {
			m[a] = b
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name           string
		env            map[string]string
		wantErr        string
		wantOA, wantMP bool
	}{
		{"nothing set: both off", nil, "", false, false},
		{"official account", full, "", true, false},
		{"no token", with("BANBAN_WECHAT_TOKEN", ""), "BANBAN_WECHAT_TOKEN", false, false},
		{"short AES key", with("BANBAN_WECHAT_AES_KEY", "short"), "BANBAN_WECHAT_AES_KEY", false, false},
		{"relative path", with("BANBAN_WECHAT_PATH", "wechat"), "BANBAN_WECHAT_PATH", false, false},
		{"mini-program", map[string]string{"BANBAN_MINIPROGRAM_APPID": "wx2", "BANBAN_MINIPROGRAM_SECRET": "s"}, "", false, true},
		{"half a mini-program", map[string]string{"BANBAN_MINIPROGRAM_APPID": "wx2"}, "BANBAN_MINIPROGRAM_SECRET", false, false},
		{"微信客服 without its token", map[string]string{"BANBAN_WECOM_CORPID": "ww1", "BANBAN_WECOM_KF_SECRET": "s",
			"BANBAN_WECOM_KF_AES_KEY": testAESKey}, "BANBAN_WECOM_KF_TOKEN", false, false},
		{"微信客服 without encryption", map[string]string{"BANBAN_WECOM_CORPID": "ww1", "BANBAN_WECOM_KF_SECRET": "s",
			"BANBAN_WECOM_KF_TOKEN": "t"}, "BANBAN_WECOM_KF_AES_KEY", false, false},
	}
	kf := map[string]string{"BANBAN_WECOM_CORPID": "ww1", "BANBAN_WECOM_KF_SECRET": "s", "BANBAN_WECOM_KF_TOKEN": "t",
		"BANBAN_WECOM_KF_AES_KEY": testAESKey}
	if cfg, err := wechat.ConfigFromEnv(func(k string) string { return kf[k] }); err != nil || !cfg.KFEnabled() {
		t.Errorf("微信客服: err %v, enabled %v; want it on", err, cfg.KFEnabled())
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := wechat.ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || cfg.OAEnabled() != tt.wantOA || cfg.MPEnabled() != tt.wantMP {
				t.Errorf("err %v, OA %v MP %v; want nil, %v, %v", err, cfg.OAEnabled(), cfg.MPEnabled(), tt.wantOA, tt.wantMP)
			}
		})
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	cfg := wechat.Config{OA: wechat.OfficialAccount{AppID: "wx1", Secret: "oa-secret-value", Token: "tok3n",
		AESKey: testAESKey}, MP: wechat.MiniProgram{AppID: "wx2", Secret: "mp-secret-value"}}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "cfg", cfg, "secret", cfg.OA.Secret)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "cfg", cfg)
	asJSON, _ := json.Marshal(cfg)
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", cfg), "%+v": fmt.Sprintf("%+v", cfg), "%#v": fmt.Sprintf("%#v", cfg),
		"%s": fmt.Sprintf("%s", cfg.OA.Secret), "slog": logged.String(), "json": string(asJSON),
	}
	for name, out := range outputs {
		for _, secret := range []string{"oa-secret-value", "tok3n", testAESKey, "mp-secret-value"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output shows a secret: %s", name, out)
			}
		}
	}
}

// TestLogsHoldNoOpenIDsTextOrSecrets runs every path that logs and reads
// the log: openids, citizens' words, phone numbers and credentials stay out.
func TestLogsHoldNoOpenIDsTextOrSecrets(t *testing.T) {
	e := newEnv(t, withConfig(func(c *wechat.Config) { c.Budget = 300 * time.Millisecond }),
		slowLLM(time.Minute, 500*time.Millisecond))
	e.wx.send("o-secretive", "我的电话是13812345678，结婚登记要带什么材料")
	e.wx.waitReceived(1, 5*time.Second) // the slow answer, as a customer-service message
	s, id := e.withStaff("o-secretive")
	e.reply(s, id, "已收到，稍后电话联系您。")
	e.wx.waitReceived(4, 5*time.Second)
	e.wx.revokeTokens()
	e.wx.secret = "rotated" // token fetch now fails: an error path that names the API address
	e.reply(s, id, "再补充一点。")
	token := e.login("o-mp-secretive")
	e.api("POST", "/api/mp/chat", token, map[string]string{"text": "居住证怎么办理"})
	e.api("POST", "/api/mp/login", "", map[string]string{"code": "forged"})
	time.Sleep(300 * time.Millisecond)
	logs := e.logs.String()
	if !strings.Contains(logs, "wechat") {
		t.Fatalf("nothing logged:\n%s", logs)
	}
	for _, bad := range []string{"o-secretive", "o-mp-secretive", "13812345678", "结婚登记", "居住证", "稍后电话",
		"oa-secret-value", "mp-secret-value", "ACCESS-", sessionKey, token} {
		if strings.Contains(logs, bad) {
			t.Errorf("logs hold %q:\n%s", bad, logs)
		}
	}
}

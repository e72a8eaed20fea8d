package wechat

import (
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// TestSDKLogsNoMessages guards the SDK's debug logging, which prints
// openids and whole messages.
func TestSDKLogsNoMessages(t *testing.T) {
	logrus.SetLevel(logrus.DebugLevel) // as the SDK's root package does at init
	newClients(Config{OA: OfficialAccount{AppID: "wx1", Token: "t", Secret: "s"}})
	if logrus.IsLevelEnabled(logrus.DebugLevel) {
		t.Error("the SDK's debug logging is on")
	}
}

func TestTokenCacheForgetsTokens(t *testing.T) {
	c := newTokenCache()
	if err := c.Set("gowechat_officialaccount__access_token_wx1", "T1", time.Hour); err != nil {
		t.Fatal(err)
	}
	_ = c.Memory.Set("other", "kept", time.Hour)
	c.reset()
	if got := c.Get("gowechat_officialaccount__access_token_wx1"); got != nil {
		t.Errorf("token after reset = %v, want gone", got)
	}
	if got := c.Get("other"); got != "kept" {
		t.Errorf("unrelated key after reset = %v, want kept", got)
	}
}

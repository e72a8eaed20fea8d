package main

import (
	"crypto/sha1"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban/channels/wechat"
)

// TestServeMountsWeChat checks that `banban serve` answers WeChat's URL
// verification at the configured path when the 公众号 is configured.
func TestServeMountsWeChat(t *testing.T) {
	cfg := testConfig(t, "bolt")
	var err error
	cfg.WeChat, err = wechat.ConfigFromEnv(func(k string) string {
		return map[string]string{"BANBAN_WECHAT_APPID": "wx0123456789abcdef", "BANBAN_WECHAT_SECRET": "s3cret",
			"BANBAN_WECHAT_TOKEN": "tok"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := launch(t, cfg)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	parts := []string{"tok", ts, "n0nce"}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	q := url.Values{"signature": {hex.EncodeToString(sum[:])}, "timestamp": {ts}, "nonce": {"n0nce"}, "echostr": {"hello"}}
	tests := []struct {
		name string
		q    url.Values
		ok   bool
	}{
		{"signed", q, true},
		{"forged", url.Values{"signature": {"00"}, "timestamp": {ts}, "nonce": {"n0nce"}, "echostr": {"hello"}}, false},
	}
	for _, tt := range tests {
		resp, err := http.Get(srv.URL + "/wechat/oa?" + tt.q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := resp.StatusCode == http.StatusOK && string(body) == "hello"; got != tt.ok {
			t.Errorf("%s: status %d body %q, want verified=%v", tt.name, resp.StatusCode, body, tt.ok)
		}
	}
}

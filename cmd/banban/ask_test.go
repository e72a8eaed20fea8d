package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// TestAskIsOneConversationThroughTheDesk: follow-ups resolve against the
// first question, and 我要办 fills in the form as in the web chat.
func TestAskIsOneConversationThroughTheDesk(t *testing.T) {
	cfg := testConfig(t, "bolt")
	app, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if err := app.loadSampleIfEmpty(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = app.ask(context.Background(), &out, []string{"办护照要带什么材料", "那要多少钱", "我要申请",
		"我叫孙丽，身份证130102197004053353，手机15800001111", "首次申请", "窗口领取", "跳过", "确认"})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"《普通护照签发》", "收费", "预填《普通护照签发》", "申请表：《普通护照签发》，状态 confirmed"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "130***********3353") {
		t.Errorf("the summary to confirm lacks the masked ID number:\n%s", text)
	}
}

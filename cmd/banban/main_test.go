package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startServer runs Banban on a loopback port with a fresh data directory,
// as `banban serve` does, and returns its base URL.
func startServer(t *testing.T) string {
	t.Helper()
	return launch(t, testConfig(t, "bolt")).URL
}

type chatReply struct {
	ConversationID string `json:"conversation_id"`
	Action         string `json:"action"`
	Answer         string `json:"answer"`
	Sources        []struct {
		Doc, Title, Section string
		Score               float64
	} `json:"sources"`
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func post(t *testing.T, url, body string) (int, chatReply) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Post(url+"/api/chat", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r chatReply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode response: %v", err)
	}
	return resp.StatusCode, r
}

func TestServeChatAPI(t *testing.T) {
	url := startServer(t)
	status, first := post(t, url, `{"text": "结婚登记需要什么材料?"}`)
	if status != http.StatusOK || first.Action != "answer" || first.ConversationID == "" {
		t.Fatalf("first turn: status %d, %+v", status, first)
	}
	if len(first.Sources) == 0 || first.Sources[0].Doc != "hy-marriage" || first.Sources[0].Section != "申请材料" {
		t.Errorf("first turn sources = %+v, want hy-marriage 申请材料", first.Sources)
	}
	body, _ := json.Marshal(map[string]string{"conversation_id": first.ConversationID, "text": "那要收费吗?"})
	status, second := post(t, url, string(body))
	if status != http.StatusOK || second.ConversationID != first.ConversationID {
		t.Fatalf("follow-up: status %d, conversation %q, want %q", status, second.ConversationID, first.ConversationID)
	}
	if len(second.Sources) == 0 || second.Sources[0].Section != "收费标准" || !strings.Contains(second.Answer, "不收费") {
		t.Errorf("follow-up answer = %q %+v, want the fee section of hy-marriage", second.Answer, second.Sources)
	}
}

func TestServeRejectsBadInput(t *testing.T) {
	url := startServer(t)
	tests := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"broken json", `{"text": `, http.StatusBadRequest, "invalid"},
		{"oversized", `{"text": "` + strings.Repeat("办", 40000) + `"}`, http.StatusRequestEntityTooLarge, "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, r := post(t, url, tt.body)
			if status != tt.status || r.Error.Code != tt.code || r.Error.Message == "" {
				t.Errorf("status %d error %+v, want %d %q with a message", status, r.Error, tt.status, tt.code)
			}
		})
	}
	// The server keeps serving after bad requests.
	if status, r := post(t, url, `{"text": "你好"}`); status != http.StatusOK || r.Action != "answer" {
		t.Errorf("after bad input: status %d %+v", status, r)
	}
}

// configCase is one environment given to LoadConfig: either wantErr, a
// text the error must contain, or check, which the configuration must pass.
type configCase struct {
	name    string
	env     map[string]string
	wantErr string
	check   func(Config) bool
}

// runConfigCases runs LoadConfig on each case's environment as a subtest.
func runConfigCases(t *testing.T, tests []configCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(c) {
				t.Errorf("LoadConfig = %+v, %v", c, err)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	runConfigCases(t, []configCase{
		{"defaults", nil, "", func(c Config) bool {
			return c.Addr == "127.0.0.1:8080" && c.DataDir == "data" && c.VectorWeight < 0 && c.EmbeddingTimeout == 30*time.Second
		}},
		{"vector weight", map[string]string{"BANBAN_VECTOR_WEIGHT": "0.5"}, "", func(c Config) bool { return c.VectorWeight == 0.5 }},
		{"bad weight", map[string]string{"BANBAN_VECTOR_WEIGHT": "much"}, "BANBAN_VECTOR_WEIGHT", nil},
		{"endpoint without model", map[string]string{"BANBAN_EMBEDDING_URL": "http://127.0.0.1:1/v1"}, "BANBAN_EMBEDDING_MODEL", nil},
		{"bad level", map[string]string{"BANBAN_LOG_LEVEL": "loud"}, "BANBAN_LOG_LEVEL", nil},
	})
}

func TestLoggerMasksPersonalData(t *testing.T) {
	var buf bytes.Buffer
	logger := newLoggerTo(&buf, slog.LevelInfo)
	logger.Info("citizen wrote 身份证110101199003071234", slog.String("phone", "13812345678"))
	out := buf.String()
	if strings.Contains(out, "110101199003071234") || strings.Contains(out, "13812345678") {
		t.Errorf("log line leaks personal data: %s", out)
	}
	if !strings.Contains(out, "110***********1234") || !strings.Contains(out, "138****5678") {
		t.Errorf("log line lacks the masked forms: %s", out)
	}
}

func TestOpenRefusesAnotherEmbedder(t *testing.T) {
	cfg := testConfig(t, "bolt")
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := Open(ctx, cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	app.Close()
	cfg.EmbeddingDim = 128
	_, err = Open(ctx, cfg, logger)
	if err == nil {
		t.Fatal("Open with another embedder dimension succeeded, want a conflict")
	}
	msg := errorText(err)
	if !strings.Contains(msg, "hashembed-v1-256") || !strings.Contains(msg, "hashembed-v1-128") {
		t.Errorf("error %q should name both embedders", msg)
	}
}

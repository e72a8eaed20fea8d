// Package web serves Banban's HTTP JSON API.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
)

// Replier answers a citizen's message.
type Replier interface {
	Reply(ctx context.Context, req bot.Request) (bot.Reply, error)
}

// Server is the HTTP API.
type Server struct {
	Bot    Replier
	Logger *slog.Logger
	// MaxBody is the largest request body accepted (default 64 KiB).
	MaxBody int64
}

// Handler returns the API's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/chat", s.chat)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}

type chatRequest struct {
	ConversationID string `json:"conversation_id"`
	Text           string `json:"text"`
}

type chatSource struct {
	Doc     string  `json:"doc"`
	Title   string  `json:"title"`
	Section string  `json:"section"`
	Score   float64 `json:"score"`
	Updated string  `json:"updated,omitempty"`
	URL     string  `json:"url,omitempty"`
}

type chatResponse struct {
	ConversationID string        `json:"conversation_id"`
	Action         banban.Action `json:"action"`
	Answer         string        `json:"answer"`
	Sources        []chatSource  `json:"sources"`
	Options        []string      `json:"options,omitempty"`
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var req chatRequest
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	start := time.Now()
	rep, err := s.Bot.Reply(r.Context(), bot.Request{ConversationID: req.ConversationID, Channel: "web", Text: req.Text})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.logger().Info("chat", slog.String("conversation", rep.ConversationID),
		slog.String("action", string(rep.Answer.Action)), slog.Duration("took", time.Since(start)))
	writeJSON(w, http.StatusOK, toResponse(rep))
}

func toResponse(rep bot.Reply) chatResponse {
	out := chatResponse{ConversationID: rep.ConversationID, Action: rep.Answer.Action,
		Answer: rep.Answer.Text, Sources: []chatSource{}, Options: rep.Answer.Options}
	for _, c := range rep.Answer.Citations {
		src := chatSource{Doc: c.DocID, Title: c.Title, Section: c.Section, Score: c.Score, URL: c.URL}
		if !c.Updated.IsZero() {
			src.Updated = c.Updated.Format("2006-01-02")
		}
		out.Sources = append(out.Sources, src)
	}
	return out
}

// decode reads a JSON body no larger than MaxBody.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	max := s.MaxBody
	if max <= 0 {
		max = 64 << 10
	}
	r.Body = http.MaxBytesReader(w, r.Body, max)
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return banban.Errorf(banban.ETOOLARGE, "请求内容过大（上限 %d 字节）", max)
		}
		return banban.WrapError(banban.EINVALID, err, "请求格式错误，需要 JSON：{\"conversation_id\": \"…\", \"text\": \"…\"}")
	}
	return nil
}

// statusOf maps error codes to HTTP status codes, in one place.
var statusOf = map[string]int{
	banban.EINVALID:     http.StatusBadRequest,
	banban.ENOTFOUND:    http.StatusNotFound,
	banban.ECONFLICT:    http.StatusConflict,
	banban.ETOOLARGE:    http.StatusRequestEntityTooLarge,
	banban.EUNAVAILABLE: http.StatusServiceUnavailable,
	banban.EINTERNAL:    http.StatusInternalServerError,
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := banban.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.logger().Error("request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	writeJSON(w, status, map[string]string{"error": code, "message": banban.ErrorMessage(err)})
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Package web serves Banban's web chat and the 帮办 staff console: the HTTP
// JSON API and event streams over the help desk (bot/desk), the embedded
// pages and widget, and server-rendered pages of knowledge-base documents.
// It turns HTTP into desk calls and back and holds no business logic: who
// answers, queues, tickets and hours are the desk's.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

// Channel is the channel name of conversations started here.
const Channel = "web"

// Rate is a token bucket: PerSecond tokens are earned each second up to
// Burst. The zero Rate takes the default; a negative PerSecond disables the
// limit (the load benchmark does).
type Rate struct {
	PerSecond float64
	Burst     int
}

// Config tunes the server. Zero values take the defaults.
type Config struct {
	// MaxBody is the largest request body accepted (default 64 KiB).
	MaxBody int64
	// RatePerIP limits API requests per client address (default 20/s,
	// burst 40); IPv6 clients count per /64.
	RatePerIP Rate
	// RatePerConversation limits a citizen's messages and actions per
	// conversation (default 2/s, burst 6).
	RatePerConversation Rate
	// LoginPerIP limits failed staff sign-ins per client address (default
	// 5 per minute).
	LoginPerIP Rate
	// MaxTrackedKeys caps the addresses and conversations each limiter
	// remembers (default 10,000); past it, idle ones are forgotten first.
	MaxTrackedKeys int
	// TrustProxy takes the client address from the last X-Forwarded-For
	// entry, which the reverse proxy in front of Banban appends. Leave it
	// off without such a proxy: clients can write that header themselves.
	TrustProxy bool
	// Heartbeat is the interval of event-stream keep-alive comments and of
	// the staff presence report (default 20s).
	Heartbeat time.Duration
	// TicketSecret is the HMAC secret of ticket status callbacks (POST
	// /api/tickets/{ticket}/status); empty refuses them.
	TicketSecret string
	// SecureCookie marks the staff session cookie Secure (serve over HTTPS).
	SecureCookie bool
	// ChannelWindow, when set, reports whether another channel can still
	// reach a conversation's citizen (WeChat's customer-service window), for
	// the staff console.
	ChannelWindow func(banban.Conversation) (ChannelWindow, bool)
}

// ChannelWindow is how long a channel can still send the citizen staff
// replies, and how many wait for the citizen's next message.
type ChannelWindow struct {
	Open     bool      `json:"open"`
	ClosesAt time.Time `json:"closes_at,omitzero"`
	Pending  int       `json:"pending"`
}

// Documents reads knowledge-base documents for the document pages.
type Documents interface {
	Document(ctx context.Context, id string) (banban.Document, error)
}

// Server is the web chat and staff console over one help desk.
type Server struct {
	desk *desk.Desk
	docs Documents
	cfg  Config
	log  *slog.Logger

	ipLimit, convLimit, loginLimit *limiter
	origins                        *http.CrossOriginProtection
	online                         presence

	done      chan struct{}
	closeOnce sync.Once
	// now gives the current time for signature checks (default time.Now).
	now func() time.Time
}

// New returns a server over d; docs (may be nil) serves the document pages
// that answers link to.
func New(d *desk.Desk, docs Documents, cfg Config, logger *slog.Logger) *Server {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 64 << 10
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 20 * time.Second
	}
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{desk: d, docs: docs, cfg: cfg, log: logger, done: make(chan struct{}), now: time.Now,
		origins: http.NewCrossOriginProtection()}
	s.ipLimit = newLimiter(cfg.RatePerIP, Rate{20, 40}, cfg.MaxTrackedKeys)
	s.convLimit = newLimiter(cfg.RatePerConversation, Rate{2, 6}, cfg.MaxTrackedKeys)
	s.loginLimit = newLimiter(cfg.LoginPerIP, Rate{5.0 / 60, 5}, cfg.MaxTrackedKeys)
	return s
}

// Close ends every open event stream; call it when the HTTP server shuts
// down (http.Server.RegisterOnShutdown), since Shutdown waits for
// handlers and streams never end by themselves. It may be called again.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}

// Handler returns every route, wrapped in logging, security headers and the
// per-address limit.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.citizenRoutes(mux)
	s.staffRoutes(mux)
	mux.HandleFunc("POST /api/tickets/{ticket}/status", s.ticketStatus)
	mux.HandleFunc("GET /docs/{id}", s.document)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, banban.Errorf(banban.ENOTFOUND, "接口不存在"))
	})
	pageRoutes(mux)
	return s.logRequests(s.guard(mux))
}

func (s *Server) citizenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/chat", s.chat)
	mux.HandleFunc("POST /api/chat/stream", s.chatStream)
	mux.HandleFunc("GET /api/availability", s.availability)
	mux.HandleFunc("GET /api/conversations/{id}", s.conversation)
	mux.HandleFunc("GET /api/conversations/{id}/events", s.conversationEvents)
	mux.HandleFunc("POST /api/conversations/{id}/handoff", s.handoff)
	mux.HandleFunc("POST /api/conversations/{id}/cancel", s.cancel)
	mux.HandleFunc("POST /api/conversations/{id}/leave-message", s.leaveMessage)
	mux.HandleFunc("POST /api/conversations/{id}/rating", s.rate)
	mux.HandleFunc("GET /api/conversations/{id}/draft", s.citizenDraft)
	mux.HandleFunc("GET /conversations/{id}/draft/print", s.citizenDraftPage)
}

func (s *Server) staffRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/staff/login", s.login)
	mux.Handle("POST /api/staff/logout", s.staffOnly(s.logout))
	mux.Handle("GET /api/staff/me", s.staffOnly(s.me))
	mux.Handle("GET /api/staff/queue", s.staffOnly(s.queue))
	mux.Handle("GET /api/staff/events", s.staffOnly(s.staffEvents))
	mux.Handle("GET /api/staff/staff", s.staffOnly(s.staffList))
	mux.Handle("GET /api/staff/conversations/{id}", s.staffOnly(s.staffConversation))
	mux.Handle("GET /api/staff/conversations/{id}/draft.json", s.staffOnly(s.staffDraftJSON))
	mux.Handle("GET /staff/conversations/{id}/draft/print", s.staffGate(s.staffDraftPage, s.draftPageFail))
	for name, act := range s.staffActions() {
		mux.Handle("POST /api/staff/conversations/{id}/"+name, s.staffOnly(s.act(act)))
	}
}

// guard sets the headers every response carries, refuses cross-site
// requests that change anything (login CSRF, forged citizen actions), and
// applies the per-address limit to the API and document pages.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if err := s.origins.Check(r); err != nil {
			s.fail(w, r, banban.WrapError(codeForbidden, err, msgCrossSite))
			return
		}
		if limited(r.URL.Path) {
			if ok, wait := s.ipLimit.take(s.clientIP(r)); !ok {
				s.tooMany(w, r, wait)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/banban-gov/banban"
)

// requestNote collects what a request's log line tells beyond the route:
// the conversation and the internal cause of a failure. Handlers fill it;
// message text never goes in.
type requestNote struct {
	conversation string
	staff        string
	err          error
}

type noteKey struct{}

func noteOf(r *http.Request) *requestNote {
	n, _ := r.Context().Value(noteKey{}).(*requestNote)
	return n
}

// noteConversation names the conversation a request is about.
func noteConversation(r *http.Request, id string) {
	if n := noteOf(r); n != nil && id != "" {
		n.conversation = id
	}
}

// noteStaff names the staff member a request acts for, for the audit trail.
func noteStaff(r *http.Request, username string) {
	if n := noteOf(r); n != nil {
		n.staff = username
	}
}

// noteError records why a request failed.
func noteError(r *http.Request, err error) {
	if n := noteOf(r); n != nil {
		n.err = err
	}
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one line per request: method, route pattern (never
// the path, which holds conversation and document ids), status, duration
// conversation id and staff member; failures add their masked cause.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		note := &requestNote{}
		r = r.WithContext(context.WithValue(r.Context(), noteKey{}, note))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", max(sw.status, http.StatusOK)), slog.Duration("took", time.Since(start))}
		if note.conversation != "" {
			// Ids come from clients and might carry anything.
			attrs = append(attrs, slog.String("conversation", banban.MaskPII(note.conversation)))
		}
		if note.staff != "" {
			attrs = append(attrs, slog.String("staff", banban.MaskPII(note.staff)))
		}
		level := slog.LevelInfo
		if note.err != nil {
			attrs = append(attrs, errAttr(note.err))
			if sw.status >= 500 {
				level = slog.LevelError
			}
		}
		s.log.LogAttrs(r.Context(), level, "http", attrs...)
	})
}

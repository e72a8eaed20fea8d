package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/banban-gov/banban/bot/desk"
)

// sse writes a text/event-stream. Headers go out with the first event, so
// a handler can still answer with a JSON error until then. Every event is
// flushed at once: a buffered event is a message the citizen does not see.
type sse struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
}

func newSSE(w http.ResponseWriter) *sse {
	return &sse{w: w, rc: http.NewResponseController(w)}
}

func (e *sse) start() {
	if e.started {
		return
	}
	e.started = true
	h := e.w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// nginx would otherwise buffer the stream and deliver it in lumps.
	h.Set("X-Accel-Buffering", "no")
	// A stream lives longer than any server write timeout.
	_ = e.rc.SetWriteDeadline(time.Time{})
	e.w.WriteHeader(http.StatusOK)
	_ = e.rc.Flush()
}

// event sends one event; id, when not 0, lets a reconnecting client resume
// with Last-Event-ID.
func (e *sse) event(name string, id int, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", name, err)
	}
	e.start()
	var buf []byte
	if id > 0 {
		buf = append(buf, "id: "+strconv.Itoa(id)+"\n"...)
	}
	buf = append(buf, "event: "+name+"\ndata: "...)
	buf = append(append(buf, data...), "\n\n"...)
	return e.write(buf)
}

// comment sends a comment line, which clients ignore and proxies see as
// traffic, so an idle stream is not cut.
func (e *sse) comment(text string) error {
	e.start()
	return e.write([]byte(": " + text + "\n\n"))
}

func (e *sse) write(b []byte) error {
	if _, err := e.w.Write(b); err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	return e.rc.Flush()
}

// streamLoop is what a long-lived stream reacts to: updates of its own
// conversation, updates of any conversation, and the heartbeat.
type streamLoop struct {
	own, all <-chan desk.Update // either may be nil
	update   func(u desk.Update) error
	beat     func() error // after the keep-alive comment; may be nil
}

// run drives a stream until the client leaves, the server closes or a
// callback fails (a write to a gone client, a revoked session).
func (s *Server) run(ctx context.Context, e *sse, l streamLoop) {
	tick := time.NewTicker(s.cfg.Heartbeat)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case u := <-l.own:
			err = l.update(u)
		case u := <-l.all:
			err = l.update(u)
		case <-tick.C:
			if err = e.comment("ping"); err == nil && l.beat != nil {
				err = l.beat()
			}
		}
		if err != nil {
			return
		}
	}
}

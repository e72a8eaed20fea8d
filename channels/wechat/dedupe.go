package wechat

import (
	"context"
	"sync"
	"time"
)

// WeChat retries a message it got no reply to within 5 seconds, three
// times within about 15 seconds, and shows one reply. Each message is
// worked on once; every attempt shares that work.

// How one message's answer reaches the citizen.
const (
	routeOpen    = iota // not decided yet
	routePassive        // in the reply to an attempt
	routeAsync          // as customer-service messages
)

// pending is one inbound message being answered.
type pending struct {
	mu      sync.Mutex
	done    chan struct{} // closed when parts is set
	parts   []string
	route   int
	waiters int // attempts waiting in claim
	at      time.Time
	// grace is how long an answer waits for a retry after WeChat hung up
	// on an attempt, before it goes as customer-service messages.
	grace time.Duration
	// late sends parts as customer-service messages.
	late func(parts []string)
}

// claim waits for the answer until deadline or until WeChat hangs up
// (ctx), then decides how it travels. It returns the passive reply ("" for
// a bare acknowledgement) and the parts the caller must send as
// customer-service messages once its reply is out.
//
// A retry while the answer is pending waits for it like the first attempt.
// A retry after the answer went passive gets the same reply: WeChat
// retries only when it got no reply, and shows the one it accepts. A retry
// after the answer went to customer-service messages is acknowledged.
func (p *pending) claim(ctx context.Context, deadline time.Time) (reply string, later []string) {
	p.mu.Lock()
	p.waiters++
	p.mu.Unlock()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
	case <-ctx.Done():
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiters--
	switch {
	case p.route == routePassive:
		return first(p.parts), nil
	case p.route == routeAsync:
		return "", nil
	case ctx.Err() != nil:
		p.orphan() // nobody reads this reply; a retry decides
		return "", nil
	case p.ready():
		p.route = routePassive
		if len(p.parts) > 1 {
			later = p.parts[1:]
		}
		return first(p.parts), later
	}
	// Out of time: acknowledge; the worker sends the answer when ready.
	p.route = routeAsync
	return "", nil
}

// orphan gives WeChat's retry grace to come for the answer; past it the
// answer goes as customer-service messages. Called with p.mu held.
func (p *pending) orphan() {
	if p.waiters > 0 {
		return
	}
	time.AfterFunc(p.grace, func() {
		p.mu.Lock()
		if p.route != routeOpen || p.waiters > 0 {
			p.mu.Unlock()
			return
		}
		p.route = routeAsync
		parts, ready := p.parts, p.ready()
		p.mu.Unlock()
		if ready && len(parts) > 0 {
			p.late(parts)
		}
	})
}

// finish records the answer, and sends it when every attempt already gave
// up waiting.
func (p *pending) finish(parts []string) {
	p.mu.Lock()
	p.parts = parts
	close(p.done)
	async := p.route == routeAsync
	p.mu.Unlock()
	if async && len(parts) > 0 {
		p.late(parts)
	}
}

func (p *pending) ready() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func first(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return parts[0]
}

// inflight remembers recent messages by key, long enough to outlive
// WeChat's retries.
type inflight struct {
	mu    sync.Mutex
	ttl   time.Duration
	m     map[string]*pending
	swept time.Time
}

// begin returns the message's entry and whether this is its first
// attempt; a new entry is made by mk.
func (f *inflight) begin(key string, mk func() *pending) (*pending, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if f.m == nil {
		f.m = make(map[string]*pending)
	}
	if now.Sub(f.swept) > f.ttl {
		for k, p := range f.m {
			if now.Sub(p.at) > f.ttl {
				delete(f.m, k)
			}
		}
		f.swept = now
	}
	if p, ok := f.m[key]; ok {
		return p, false
	}
	p := mk()
	p.done, p.at = make(chan struct{}), now
	f.m[key] = p
	return p, true
}

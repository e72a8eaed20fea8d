package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// limiter keeps a token bucket per key (a client address or a
// conversation). It remembers at most max keys: a bucket that has refilled
// is the same as a new one and is dropped at the next sweep, and when every
// remembered key is still busy the least recently used one goes, so a flood
// of distinct addresses cannot grow memory without bound.
type limiter struct {
	rate, burst float64
	max         int
	now         func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// sweepEvery is how often idle buckets are dropped.
const sweepEvery = time.Minute

// newLimiter returns a limiter at r (def when r is zero), or nil (no
// limit) when r.PerSecond is negative.
func newLimiter(r, def Rate, maxKeys int) *limiter {
	if r.PerSecond < 0 {
		return nil
	}
	if r.PerSecond == 0 {
		r = def
	}
	if r.Burst <= 0 {
		r.Burst = max(1, int(r.PerSecond))
	}
	if maxKeys <= 0 {
		maxKeys = 10_000
	}
	return &limiter{rate: r.PerSecond, burst: float64(r.Burst), max: maxKeys, now: time.Now,
		buckets: make(map[string]*bucket)}
}

// take spends a token of key's bucket. When none is left it returns false
// and how long until one is.
func (l *limiter) take(key string) (bool, time.Duration) {
	return l.spend(key, 1)
}

// ready reports whether key has a token left, without spending it.
func (l *limiter) ready(key string) (bool, time.Duration) {
	return l.spend(key, 0)
}

func (l *limiter) spend(key string, n float64) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket(key, now)
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens -= n
	return true, 0
}

// bucket returns key's bucket, making room for a new one if needed.
func (l *limiter) bucket(key string, now time.Time) *bucket {
	if b, ok := l.buckets[key]; ok {
		return b
	}
	if len(l.buckets) >= l.max || now.Sub(l.lastSweep) >= sweepEvery {
		l.sweep(now)
	}
	if len(l.buckets) >= l.max {
		l.evictOldest()
	}
	b := &bucket{tokens: l.burst, at: now}
	l.buckets[key] = b
	return b
}

// sweep drops the buckets that have refilled.
func (l *limiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

func (l *limiter) evictOldest() {
	var oldest string
	var at time.Time
	for k, b := range l.buckets {
		if oldest == "" || b.at.Before(at) {
			oldest, at = k, b.at
		}
	}
	delete(l.buckets, oldest)
}

// limited reports whether a path counts against the per-address limit:
// the API and document pages, not the pages' static files.
func limited(path string) bool {
	for _, p := range []string{"/api/", "/docs/", "/conversations/", "/staff/conversations/"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// clientIP is the address requests are limited by: the peer, or behind a
// trusted proxy the last X-Forwarded-For entry (the one that proxy added;
// earlier entries come from the client and may be forged). IPv6 addresses
// count per /64, the block one subscriber usually holds.
func (s *Server) clientIP(r *http.Request) string {
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if s.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
				addr = last
			}
		}
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// limitConversation spends a token of a conversation's bucket; an empty id
// (a new conversation) is limited by address only.
func (s *Server) limitConversation(w http.ResponseWriter, r *http.Request, id string) bool {
	if id == "" {
		return true
	}
	if ok, wait := s.convLimit.take(id); !ok {
		s.tooMany(w, r, wait)
		return false
	}
	return true
}

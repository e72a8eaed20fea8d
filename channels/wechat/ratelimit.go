package wechat

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/banban-gov/banban"
)

// codeRateLimited refuses a mini-program user who sends too fast.
const codeRateLimited = "rate_limited"

const msgTooMany = "操作过于频繁，请稍后再试。"

// Each mini-program user may act twice a second with bursts of six, as on
// the web chat: every message may cost a model call.
const (
	userRate  = 2.0
	userBurst = 6.0
	// maxBuckets bounds the users remembered; past it the map starts over,
	// which at worst lets a burst through.
	maxBuckets = 10000
)

// limiter is a token bucket per user.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// take spends a token of key's bucket, or says how long to wait for one.
func (l *limiter) take(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil || len(l.buckets) > maxBuckets {
		l.buckets = make(map[string]*bucket)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: userBurst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(userBurst, b.tokens+now.Sub(b.at).Seconds()*userRate)
	b.at = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / userRate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// limit refuses a user over their rate with 429 and Retry-After.
func (c *Channel) limit(w http.ResponseWriter, r *http.Request, u mpUser) bool {
	ok, wait := c.limits.take(u.hash, time.Now())
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(int(math.Ceil(wait.Seconds())), 1)))
		c.fail(w, r, banban.Errorf(codeRateLimited, msgTooMany))
	}
	return ok
}

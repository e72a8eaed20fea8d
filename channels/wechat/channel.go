package wechat

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

// Sessions keeps mini-program sign-ins (banban.DeskStore does): only the
// hash of each token is stored.
type Sessions interface {
	PutSession(ctx context.Context, s banban.Session) error
	Session(ctx context.Context, id string, now time.Time) (banban.Session, error)
	DeleteSession(ctx context.Context, id string) error
}

// dedupeTTL outlives WeChat's three retries within about 15 seconds.
const dedupeTTL = time.Minute

// maxBody bounds a request body; WeChat's messages are a few KiB.
const maxBody = 64 << 10

// Channel is the WeChat side of the help desk: the 公众号 message server,
// customer-service delivery of staff replies, the mini-program API and
// 微信客服.
type Channel struct {
	desk     *desk.Desk
	sessions Sessions
	cfg      Config
	log      *slog.Logger
	api      clients

	seen    inflight
	tracks  tracks
	kf      kfSyncer
	openIDs sync.Map // mini-program user hash -> openid, filled at sign-in
	limits  limiter
	wg      sync.WaitGroup
}

// New returns the WeChat channels over d. sessions stores mini-program
// sign-ins and may be nil when the mini-program is off. New points the SDK
// at cfg.APIBase when set, which is process-wide.
func New(d *desk.Desk, sessions Sessions, cfg Config, logger *slog.Logger) (*Channel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MPEnabled() && sessions == nil {
		return nil, fmt.Errorf("mini-program needs a session store")
	}
	if logger == nil {
		logger = slog.Default()
	}
	cfg = cfg.withDefaults()
	c := &Channel{desk: d, sessions: sessions, cfg: cfg, log: logger, api: newClients(cfg)}
	c.seen.ttl = dedupeTTL
	return c, nil
}

// Routes registers the 公众号 message server at its path (GET for WeChat's
// URL check, POST for messages) and the mini-program API under /api/mp/,
// each only when configured.
func (c *Channel) Routes(mux *http.ServeMux) {
	if c.cfg.OAEnabled() {
		mux.HandleFunc("GET "+c.cfg.OA.Path, c.serveOA)
		mux.HandleFunc("POST "+c.cfg.OA.Path, c.serveOA)
	}
	if c.cfg.MPEnabled() {
		c.mpRoutes(mux)
	}
	if c.cfg.KFEnabled() {
		mux.HandleFunc("GET "+c.cfg.KF.Path, c.serveKF)
		mux.HandleFunc("POST "+c.cfg.KF.Path, c.serveKF)
	}
}

// Start follows the desk's updates until ctx ends: staff replies and desk
// notices go to 公众号 citizens as customer-service messages while their
// window is open, and absent mini-program users get a subscribe message.
// It subscribes before it returns, so no later update is missed.
func (c *Channel) Start(ctx context.Context) {
	updates, stop := c.desk.Subscribe("")
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case u := <-updates:
				if channelOf(u.ConversationID) != "" {
					c.kick(u.ConversationID, u.Seq)
				}
			}
		}
	}()
}

// Close waits for deliveries in flight and, when Config.APIBase was set,
// points the SDK back where it pointed before. Call it after the context
// given to Start has ended and the HTTP server has shut down.
func (c *Channel) Close() {
	c.wg.Wait()
	if c.cfg.APIBase != "" {
		setAPIBase(c.api.prevBase)
	}
}

// now is the desk's clock, so message times, windows and tests agree.
func (c *Channel) now() time.Time { return c.desk.Now() }

// kick delivers what a conversation's update brought, one delivery at a
// time per conversation; updates during a delivery coalesce into one more.
func (c *Channel) kick(id string, seq int) {
	tr := c.tracks.get(id)
	tr.kmu.Lock()
	tr.kseq = max(tr.kseq, seq)
	if tr.running {
		tr.again = true
		tr.kmu.Unlock()
		return
	}
	tr.running = true
	tr.kmu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for {
			tr.kmu.Lock()
			seq := tr.kseq
			tr.again = false
			tr.kmu.Unlock()
			c.deliver(id, seq)
			tr.kmu.Lock()
			if !tr.again {
				tr.running = false
				tr.kmu.Unlock()
				return
			}
			tr.kmu.Unlock()
		}
	}()
}

// deliver acts on a conversation's update by its channel.
func (c *Channel) deliver(id string, seq int) {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.TurnTimeout)
	defer cancel()
	var err error
	switch channelOf(id) {
	case ChannelOA:
		if c.api.oa != nil {
			err = c.flush(ctx, id, seq)
		}
	case ChannelKF:
		if c.api.kfTokens != nil {
			err = c.flush(ctx, id, seq)
		}
	case ChannelMP:
		if c.api.mp != nil {
			err = c.notifyMP(ctx, id, seq)
		}
	}
	if err != nil {
		c.log.Warn("wechat delivery", slog.String("conversation", id), errAttr(err))
	}
}

// goSend sends parts of a turn's answer as customer-service messages in
// the background, after the passive reply went out.
func (c *Channel) goSend(id, openID string, parts []string) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.TurnTimeout)
		defer cancel()
		c.sendParts(ctx, id, openID, parts)
	}()
}

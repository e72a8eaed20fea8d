package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/channels/web"
	"github.com/banban-gov/banban/channels/wechat"
)

// serve runs the web chat, the staff console and the API on ln until ctx
// ends, with the help desk's background work (expiring unclaimed waits,
// delivering tickets), then shuts down gracefully.
func (a *App) serve(ctx context.Context, ln net.Listener) error {
	bg, stopBG := context.WithCancel(ctx)
	defer stopBG()
	wc, err := a.wechat(bg)
	if err != nil {
		return err
	}
	webCfg := a.webConfig()
	if wc != nil {
		defer func() { stopBG(); wc.Close() }() // Close waits for the sender, which stops with bg
		webCfg.ChannelWindow = func(c banban.Conversation) (web.ChannelWindow, bool) {
			w, ok := wc.Window(c)
			return web.ChannelWindow{Open: w.Open, ClosesAt: w.ClosesAt, Pending: w.Pending}, ok
		}
	}
	api := web.New(a.Desk, a.Store, webCfg, a.Logger)
	mux := http.NewServeMux()
	mux.Handle("/", api.Handler())
	if wc != nil {
		wc.Routes(mux)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go a.housekeeping(bg, time.Minute)
	if a.Webhook != nil {
		go a.Webhook.Run(bg)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.Logger.Info("serving", slog.String("addr", ln.Addr().String()))
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	api.Close() // ends the event streams, which Shutdown would wait for
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutCtx)
}

// wechat starts the WeChat channels when configured; nil otherwise.
func (a *App) wechat(ctx context.Context) (*wechat.Channel, error) {
	cfg := a.Config.WeChat
	if !cfg.OAEnabled() && !cfg.MPEnabled() && !cfg.KFEnabled() {
		return nil, nil
	}
	ch, err := wechat.New(a.Desk, a.Store, cfg, a.Logger)
	if err != nil {
		return nil, fmt.Errorf("wechat: %w", err)
	}
	ch.Start(ctx)
	a.Logger.Info("wechat channels on", slog.Bool("official_account", cfg.OAEnabled()), slog.Bool("mini_program", cfg.MPEnabled()),
		slog.Bool("wecom_kf", cfg.KFEnabled()))
	return ch, nil
}

// webConfig is the web server's configuration.
func (a *App) webConfig() web.Config {
	c := web.Config{TrustProxy: a.Config.TrustProxy, TicketSecret: a.Config.WebhookSecret}
	if !a.Config.RateLimits {
		off := web.Rate{PerSecond: -1}
		c.RatePerIP, c.RatePerConversation = off, off
	}
	return c
}

// housekeeping ends unclaimed waits past their expiry every interval, and
// deletes form drafts past their retention every hour.
func (a *App) housekeeping(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var lastPurge time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := a.Desk.ExpireWaits(ctx); err != nil {
			a.Logger.Warn("expire waits", slog.Any("error", err))
		} else if n > 0 {
			a.Logger.Info("expired waits", slog.Int("count", n))
		}
		if time.Since(lastPurge) < time.Hour {
			continue
		}
		lastPurge = time.Now()
		if n, err := a.Desk.PurgeDrafts(ctx, a.Config.DraftRetention); err != nil {
			a.Logger.Warn("purge drafts", slog.Any("error", err))
		} else if n > 0 {
			a.Logger.Info("purged drafts", slog.Int("count", n))
		}
	}
}

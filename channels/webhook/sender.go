package webhook

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/banban-gov/banban"
)

// Outbox is the part of banban.DeskStore the sender works from.
type Outbox interface {
	// DueOutbox returns undelivered items whose NextAt is not after now,
	// oldest first, at most limit.
	DueOutbox(ctx context.Context, now time.Time, limit int) ([]banban.OutboxItem, error)
	// UpdateOutbox records a delivery attempt of an existing item.
	UpdateOutbox(ctx context.Context, it banban.OutboxItem) error
}

// Config says where and how to deliver. Zero durations and Batch take the
// defaults.
type Config struct {
	// URL is the receiver's endpoint (http or https). It may hold a token,
	// so it is never logged.
	URL string
	// Secret is the HMAC key shared with the receiver.
	Secret string
	// Timeout bounds one delivery, response included (default 10s).
	Timeout time.Duration
	// MaxBackoff caps the wait between attempts of one item (default 10m).
	MaxBackoff time.Duration
	// PollEvery is how often Run looks for due items (default 5s).
	PollEvery time.Duration
	// Batch is the most items one Flush reads (default 50).
	Batch int
}

func (c Config) withDefaults() Config {
	c.Timeout = cmp.Or(c.Timeout, 10*time.Second)
	c.MaxBackoff = cmp.Or(c.MaxBackoff, 10*time.Minute)
	c.PollEvery = cmp.Or(c.PollEvery, 5*time.Second)
	c.Batch = cmp.Or(c.Batch, 50)
	return c
}

func (c Config) validate() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The parse error would repeat the URL, which may hold a token.
		return errors.New("webhook: URL must be an absolute http or https URL")
	}
	if c.Secret == "" {
		return errors.New("webhook: a signing secret is required")
	}
	if c.Timeout < 0 || c.MaxBackoff < 0 || c.PollEvery < 0 || c.Batch < 0 {
		return errors.New("webhook: durations and batch must not be negative")
	}
	return nil
}

// Sender delivers due outbox items to one receiver. Set Now and Logger, if
// at all, before use. Run it in one goroutine; Notify is safe to call from
// any. Two Flushes at once may post an item twice, which receivers
// tolerate, but the attempt counts would be off.
type Sender struct {
	// Now returns the current time (default time.Now); tests set a clock
	// they control, so backoff never means sleeping.
	Now func() time.Time
	// Logger gets a line per failed delivery and per store error (default
	// slog.Default()). Lines carry ids, kinds, attempts and statuses, never
	// the payload, which holds personal data.
	Logger *slog.Logger

	box    Outbox
	cfg    Config
	client *resty.Client
	wake   chan struct{}
}

// New returns a sender delivering box's items as cfg says.
func New(box Outbox, cfg Config) (*Sender, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	// No cookie jar: a webhook carries no session.
	client := resty.NewWithClient(&http.Client{}).
		SetTimeout(cfg.Timeout).
		// The outbox is the retry mechanism: it survives restarts and backs
		// off for minutes, so resty must not retry inside one attempt.
		SetRetryCount(0).
		// A redirect is a misconfigured URL; following it would turn the
		// POST into a GET. Report the 3xx as a failure instead.
		SetRedirectPolicy(resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		})).
		// resty's own log lines repeat the URL, which may hold a token; the
		// Sender logs every outcome itself.
		SetLogger(quietLogger{}).
		SetHeader("User-Agent", "Banban-Webhook/1")
	return &Sender{
		Now:    time.Now,
		Logger: slog.Default(),
		box:    box,
		cfg:    cfg,
		client: client,
		wake:   make(chan struct{}, 1),
	}, nil
}

// Notify wakes Run for a Flush before the next poll. It never blocks; the
// desk calls it after storing outbox items.
func (s *Sender) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run flushes every PollEvery, and when notified, until ctx is done. It
// flushes again at once while batches come back full.
func (s *Sender) Run(ctx context.Context) {
	tick := time.NewTicker(s.cfg.PollEvery)
	defer tick.Stop()
	for {
		_, more, err := s.pass(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			s.Logger.LogAttrs(ctx, slog.LevelError, "webhook flush failed", slog.String("error", err.Error()))
		}
		if more && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.wake:
		}
	}
}

// Flush makes one pass over the due items: it posts each, oldest first, and
// records the outcome. It returns how many the receiver accepted. Failed
// deliveries are recorded and logged, not returned; the error is the
// store's or ctx's.
func (s *Sender) Flush(ctx context.Context) (delivered int, err error) {
	delivered, _, err = s.pass(ctx)
	return delivered, err
}

// pass is Flush, also reporting whether the batch was full and every item
// in it was tried (so more may be due).
func (s *Sender) pass(ctx context.Context) (delivered int, more bool, err error) {
	items, err := s.box.DueOutbox(ctx, s.Now(), s.cfg.Batch)
	if err != nil {
		return 0, false, fmt.Errorf("webhook: read due outbox items: %w", err)
	}
	for _, it := range items {
		a := s.deliver(ctx, it)
		if err := ctx.Err(); err != nil && !a.ok() {
			// Not the item's fault: leave it due. If the receiver did get
			// it, the next attempt is a duplicate it drops.
			return delivered, false, fmt.Errorf("webhook: flush: %w", err)
		}
		it = s.record(it, a)
		// A delivered item must be marked even while shutting down.
		if err := s.box.UpdateOutbox(context.WithoutCancel(ctx), it); err != nil {
			return delivered, false, fmt.Errorf("webhook: record delivery %s: %w", it.ID, err)
		}
		if a.ok() {
			delivered++
			continue
		}
		s.logFailure(ctx, it, a)
		if a.receiverDown() {
			// Everything behind this item would fail the same way: one
			// timeout per pass is enough while the receiver is down.
			return delivered, false, nil
		}
	}
	return delivered, len(items) == s.cfg.Batch, nil
}

// record returns it updated with the outcome of one attempt.
func (s *Sender) record(it banban.OutboxItem, a attempt) banban.OutboxItem {
	now := s.Now()
	it.Attempts++
	if a.ok() {
		it.Delivered = now
		it.LastError = ""
		return it
	}
	it.LastError = a.summary()
	it.NextAt = now.Add(backoff(it.Attempts, s.cfg.MaxBackoff))
	return it
}

func (s *Sender) logFailure(ctx context.Context, it banban.OutboxItem, a attempt) {
	level := slog.LevelInfo
	if a.itemFault() {
		// The receiver refuses this item (or it is empty); it is retried in
		// case the receiver is misconfigured for now, but someone should
		// look.
		level = slog.LevelWarn
	}
	s.Logger.LogAttrs(ctx, level, "webhook delivery failed",
		slog.String("delivery", it.ID),
		slog.String("event", it.Kind),
		slog.String("ticket", ticketOf(it.Payload)),
		slog.Int("attempts", it.Attempts),
		slog.Int("status", a.status),
		slog.String("error", it.LastError),
		slog.Time("next_at", it.NextAt))
}

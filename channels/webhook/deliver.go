package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/banban-gov/banban"
)

// attempt is the outcome of one POST: a status, or a transport error.
type attempt struct {
	status int // 0 when no response came
	err    error
}

// errEmptyPayload marks an item the desk stored without a body: a bug
// upstream, and no reason to hold back the items behind it.
var errEmptyPayload = errors.New("empty payload")

func (a attempt) ok() bool { return a.err == nil && a.status >= 200 && a.status < 300 }

// itemFault reports a failure that is about this item rather than the
// receiver's health: an empty payload, or a 4xx other than 408 and 429
// (which are about load).
func (a attempt) itemFault() bool {
	if a.err != nil {
		return errors.Is(a.err, errEmptyPayload)
	}
	return a.status >= 400 && a.status < 500 &&
		a.status != http.StatusRequestTimeout && a.status != http.StatusTooManyRequests
}

// receiverDown reports a failure the next items would meet too.
func (a attempt) receiverDown() bool { return !a.ok() && !a.itemFault() }

// summary is the LastError of a failed attempt: short, and without the URL
// (it may hold a token) or anything from the bodies (personal data).
func (a attempt) summary() string {
	if a.err == nil {
		return "HTTP " + strconv.Itoa(a.status)
	}
	var ne net.Error
	if errors.As(a.err, &ne) && ne.Timeout() {
		return "timeout"
	}
	err := a.err
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}

// deliver posts one item, signed with the current time.
func (s *Sender) deliver(ctx context.Context, it banban.OutboxItem) attempt {
	if len(it.Payload) == 0 {
		return attempt{err: errEmptyPayload}
	}
	ts := strconv.FormatInt(s.Now().Unix(), 10)
	resp, err := s.client.R().
		SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetHeader(HeaderEvent, it.Kind).
		SetHeader(HeaderDelivery, it.ID).
		SetHeader(HeaderTimestamp, ts).
		SetHeader(HeaderSignature, Sign(s.cfg.Secret, ts, it.Payload)).
		SetBody(it.Payload).
		// The answer's body is of no use; drain a little of it ourselves
		// so the connection can be reused, rather than buffer it all.
		SetDoNotParseResponse(true).
		Post(s.cfg.URL)
	if err != nil {
		return attempt{err: err}
	}
	if body := resp.RawBody(); body != nil {
		io.Copy(io.Discard, io.LimitReader(body, 64<<10))
		body.Close()
	}
	return attempt{status: resp.StatusCode()}
}

// firstBackoff is the nominal wait after the first failed attempt; it
// doubles with each further one.
const firstBackoff = 2 * time.Second

// backoff returns the wait after the given number of failed attempts: the
// nominal 2s, 4s, 8s... capped at ceiling, of which the upper half is random
// ("equal jitter"), so items that failed together (a receiver outage) do
// not all come due again in the same second, yet the wait still grows.
func backoff(attempts int, ceiling time.Duration) time.Duration {
	d := ceiling
	if attempts >= 1 && attempts < 32 {
		d = min(ceiling, firstBackoff<<(attempts-1))
	}
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d/2+1)
}

// ticketOf returns the payload's top-level "ticket" field, the ticket
// number, for log lines; it reads nothing else from the payload.
func ticketOf(payload []byte) string {
	var p struct {
		Ticket string `json:"ticket"`
	}
	if json.Unmarshal(payload, &p) != nil {
		return ""
	}
	return p.Ticket
}

// quietLogger drops resty's log lines (a resty.Logger).
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

package desk

import (
	"sync"

	"github.com/banban-gov/banban"
)

// Update tells live clients that a conversation changed: they read the
// messages after the last Seq they have. Updates are notifications, not the
// data, so a client that misses one while busy loses nothing.
type Update struct {
	ConversationID string
	// Seq is the conversation's last message number.
	Seq   int
	State banban.ConvState
	Team  string
}

// hub fans updates out to subscribers of one conversation or of all.
type hub struct {
	mu   sync.Mutex
	subs map[string]map[chan Update]struct{} // "" = every conversation
}

// Subscribe returns a channel of updates to one conversation, or to every
// conversation when id is empty, and a function that ends the subscription.
// A subscriber that does not keep up misses updates, never blocks others.
func (d *Desk) Subscribe(id string) (<-chan Update, func()) {
	return d.hub.subscribe(id)
}

func (h *hub) subscribe(id string) (<-chan Update, func()) {
	ch := make(chan Update, 16)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = make(map[string]map[chan Update]struct{})
	}
	if h.subs[id] == nil {
		h.subs[id] = make(map[chan Update]struct{})
	}
	h.subs[id][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs[id], ch)
			if len(h.subs[id]) == 0 {
				delete(h.subs, id)
			}
			h.mu.Unlock()
		})
	}
}

func (h *hub) publish(u Update) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, key := range []string{u.ConversationID, ""} {
		for ch := range h.subs[key] {
			select {
			case ch <- u:
			default:
			}
		}
	}
}

package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/banban-gov/banban"
)

// Conversations keeps conversation state between turns.
type Conversations interface {
	// Get returns the conversation, or an ENOTFOUND error.
	Get(ctx context.Context, id string) (banban.Conversation, error)
	// Save stores the conversation, replacing an earlier version.
	Save(ctx context.Context, c banban.Conversation) error
}

// MemoryConversations keeps conversations in memory, forgetting those idle
// longer than TTL and the oldest ones beyond Max.
type MemoryConversations struct {
	TTL time.Duration // default 2h
	Max int           // default 100,000
	// Now gives the current time (default time.Now); a bot's default store
	// uses the bot's clock, so a conversation on a test or evaluation clock
	// does not look expired.
	Now func() time.Time

	mu    sync.Mutex
	convs map[string]banban.Conversation
}

var _ Conversations = (*MemoryConversations)(nil)

// Get implements Conversations.
func (m *MemoryConversations) Get(_ context.Context, id string) (banban.Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.convs[id]
	if !ok || m.now().Sub(c.Updated) > m.ttl() {
		return banban.Conversation{}, banban.Errorf(banban.ENOTFOUND, "会话不存在或已过期")
	}
	return c, nil
}

// Save implements Conversations.
func (m *MemoryConversations) Save(_ context.Context, c banban.Conversation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.convs == nil {
		m.convs = make(map[string]banban.Conversation)
	}
	m.convs[c.ID] = c
	if len(m.convs) > m.max() {
		m.evict()
	}
	return nil
}

// evict drops expired conversations, then the oldest until under Max.
func (m *MemoryConversations) evict() {
	var oldestID string
	var oldest time.Time
	for id, c := range m.convs {
		if m.now().Sub(c.Updated) > m.ttl() {
			delete(m.convs, id)
			continue
		}
		if oldestID == "" || c.Updated.Before(oldest) {
			oldestID, oldest = id, c.Updated
		}
	}
	if len(m.convs) > m.max() && oldestID != "" {
		delete(m.convs, oldestID)
	}
}

func (m *MemoryConversations) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *MemoryConversations) ttl() time.Duration {
	if m.TTL > 0 {
		return m.TTL
	}
	return 2 * time.Hour
}

func (m *MemoryConversations) max() int {
	if m.Max > 0 {
		return m.Max
	}
	return 100_000
}

// NewConversationID returns a random, unguessable conversation id.
func NewConversationID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

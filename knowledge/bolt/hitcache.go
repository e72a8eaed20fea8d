package bolt

import (
	"sync"

	"github.com/banban-gov/banban"
)

// hitCache keeps the decoded chunks of recent search hits, since decoding
// a chunk's JSON and terms was a third of a turn's CPU under load. A chunk
// key names its document's generation, which every Put of the document
// replaces, so a cached chunk is never stale: entries of replaced or
// deleted documents are simply never asked for again and age out. Cached
// hits carry no vector (the Store contract allows leaving it out) and share
// their Terms, which callers only read.
type hitCache struct {
	mu  sync.RWMutex
	m   map[string]banban.Chunk
	max int
}

// hitCacheSize bounds the cache: about 16 MB for 1 KB chunks.
const hitCacheSize = 16384

func (c *hitCache) get(key []byte) (banban.Chunk, bool) {
	c.mu.RLock()
	ch, ok := c.m[string(key)] // no allocation for the lookup
	c.mu.RUnlock()
	return ch, ok
}

func (c *hitCache) put(key []byte, ch banban.Chunk) {
	ch.Vector = nil
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]banban.Chunk)
	}
	if len(c.m) >= c.limit() {
		// Drop an eighth, in map order (effectively random): cheaper than
		// tracking recency, and hits that matter come back at once.
		n := len(c.m) / 8
		for k := range c.m {
			if n--; n < 0 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[string(key)] = ch
}

func (c *hitCache) limit() int {
	if c.max > 0 {
		return c.max
	}
	return hitCacheSize
}

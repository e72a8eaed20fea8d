package jieba

import "sync"

// A turn cuts the same short texts again and again — document titles,
// names and section headings, and under load the same popular questions —
// and each cut is a cgo call into jieba. termCache remembers the terms of
// short texts; a text's terms never change for one Tokenizer.
type termCache struct {
	mu sync.RWMutex
	m  map[string][]string
}

const (
	// maxCachedText is the longest text (in bytes) whose terms are cached:
	// questions, titles and headings, not chunk bodies at import.
	maxCachedText = 512
	// maxCachedTexts bounds the cache.
	maxCachedTexts = 8192
)

func (c *termCache) get(text string) ([]string, bool) {
	c.mu.RLock()
	terms, ok := c.m[text]
	c.mu.RUnlock()
	return terms, ok
}

func (c *termCache) put(text string, terms []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string][]string)
	}
	if len(c.m) >= maxCachedTexts {
		n := len(c.m) / 8 // map order: effectively random
		for k := range c.m {
			if n--; n < 0 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[text] = terms
}

// closed reports whether Close was called; a closed Tokenizer returns no
// terms, cached or not.
func (t *Tokenizer) closed() bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.jb == nil
}

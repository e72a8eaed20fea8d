package bolt

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// MatchNames returns the documents passing f with a name that occurs in
// query, each with its longest such name, longest first. Names and query
// are compared as given: callers normalise both the same way.
func (s *Store) MatchNames(ctx context.Context, query string, f banban.Filter) ([]banban.NameMatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, errClosed()
	}
	if query == "" {
		return nil, nil
	}
	var out []banban.NameMatch
	for id, d := range s.idx.docs {
		best := longestIn(query, d.names)
		if best == "" || !d.meta.match(&f) {
			continue
		}
		out = append(out, banban.NameMatch{DocID: id, Name: best, Exact: best == query})
	}
	slices.SortFunc(out, func(a, b banban.NameMatch) int {
		if c := cmp.Compare(utf8.RuneCountInString(b.Name), utf8.RuneCountInString(a.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.DocID, b.DocID)
	})
	return out, nil
}

// longestIn returns the longest of names (in characters) that occurs in
// query, or "".
func longestIn(query string, names []string) string {
	best, bestLen := "", 0
	for _, n := range names {
		if len(n) > len(query) || !strings.Contains(query, n) {
			continue
		}
		if l := utf8.RuneCountInString(n); l > bestLen {
			best, bestLen = n, l
		}
	}
	return best
}

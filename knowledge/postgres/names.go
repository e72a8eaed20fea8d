package postgres

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/jackc/pgx/v5"
)

// MatchNames returns the documents passing f (on the document's own
// metadata) with a name that occurs in q, each with its longest such
// name (of equal lengths, the one given first), longest first. Names and
// query are compared as given: callers normalise both the same way.
func (s *Store) MatchNames(ctx context.Context, q string, f banban.Filter) ([]banban.NameMatch, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	if q == "" {
		return nil, nil
	}
	best, err := s.namesIn(ctx, q, f)
	if err != nil {
		return nil, err
	}
	var out []banban.NameMatch
	for id, n := range best {
		out = append(out, banban.NameMatch{DocID: id, Name: n.name, Exact: n.name == q})
	}
	slices.SortFunc(out, func(a, b banban.NameMatch) int {
		if c := cmp.Compare(utf8.RuneCountInString(b.Name), utf8.RuneCountInString(a.Name)); c != 0 {
			return c
		}
		return cmp.Compare(a.DocID, b.DocID)
	})
	return out, nil
}

type nameAt struct {
	name  string
	pos   int
	runes int
}

// maxSubstringQuery is the longest query, in characters, whose substrings
// name matching looks up by index (at most n(n+1)/2 of them); a longer
// query tests every name.
const maxSubstringQuery = 100

// namesIn returns, for each document passing f with a name in q, its
// longest such name.
func (s *Store) namesIn(ctx context.Context, q string, f banban.Filter) (map[string]nameAt, error) {
	// PostgreSQL refuses invalid UTF-8; no name holds U+FFFF, so a name
	// still matches exactly where it matched in the original.
	q = strings.ToValidUTF8(q, "\uffff")
	sql, args := withFilter(query("match_names_scan"), f, "d", []any{q})
	if utf8.RuneCountInString(q) <= maxSubstringQuery {
		sql, args = withFilter(query("match_names"), f, "d", []any{substrings(q)})
	}
	rows, _ := s.pool.Query(ctx, sql, args...)
	best := make(map[string]nameAt)
	var id string
	var n nameAt
	_, err := pgx.ForEachRow(rows, []any{&id, &n.pos, &n.name}, func() error {
		n.runes = utf8.RuneCountInString(n.name)
		if b, ok := best[id]; !ok || n.runes > b.runes || n.runes == b.runes && n.pos < b.pos {
			best[id] = n
		}
		return nil
	})
	if err != nil {
		return nil, s.fail(ctx, "match names", err)
	}
	return best, nil
}

// substrings returns the distinct non-empty substrings of s, cut at
// character boundaries. A name occurs in s exactly when it is one of them:
// UTF-8 never matches inside a character.
func substrings(s string) []string {
	var starts []int
	for i := range s {
		starts = append(starts, i)
	}
	starts = append(starts, len(s))
	seen := make(map[string]bool)
	var out []string
	for i := 0; i < len(starts)-1; i++ {
		for j := i + 1; j < len(starts); j++ {
			sub := s[starts[i]:starts[j]]
			if !seen[sub] {
				seen[sub] = true
				out = append(out, sub)
			}
		}
	}
	return out
}

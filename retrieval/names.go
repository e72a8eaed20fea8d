package retrieval

import (
	"strings"
	"unicode"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// NormalizeName folds a title, alias or query for exact name matching:
// simplified characters, lower case, and no spaces or punctuation, so that
// "結婚登記" and "结婚 登记?" both become "结婚登记".
func NormalizeName(s string) string {
	s = textnorm.Normalize(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// minNameRunes is the shortest name that may match inside a longer query:
// one-character names (证, 卡) would match nearly everything.
const minNameRunes = 2

// indexNames returns the normalised names of a document worth matching.
func indexNames(names []string) []string {
	out := make([]string, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		n = NormalizeName(n)
		if len([]rune(n)) < minNameRunes || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}

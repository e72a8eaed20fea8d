// Package textnorm normalises Chinese text for indexing and matching:
// traditional characters become simplified, full-width ASCII becomes
// half-width, Latin letters become lower case. It also converts answers to
// traditional characters for citizens who write in them. The tables are
// generated from opencc by gen.sh; the original text is always kept for
// display, only its normalised form is indexed.
package textnorm

import (
	_ "embed"
	"strings"
	"unicode"
)

//go:embed t2s.txt
var t2sData string

//go:embed s2t.txt
var s2tData string

var (
	t2s = parseTable(t2sData)
	s2t = parseTable(s2tData)
)

func parseTable(data string) map[rune]rune {
	m := make(map[rune]rune, 4096)
	for _, line := range strings.Split(data, "\n") {
		from, to, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		fr, tr := []rune(from), []rune(to)
		if len(fr) == 1 && len(tr) == 1 {
			m[fr[0]] = tr[0]
		}
	}
	return m
}

// Normalize returns s with traditional characters simplified, full-width
// ASCII folded to half-width, the ideographic space to a space and letters
// lower-cased. It keeps every other character, so offsets in runes match.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(normRune(r))
	}
	return b.String()
}

func normRune(r rune) rune {
	switch {
	case r < 0x80:
		return unicode.ToLower(r)
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return unicode.ToLower(r - 0xFEE0)
	case r == 0x3000:
		return ' '
	}
	if s, ok := t2s[r]; ok {
		return s
	}
	return r
}

// ToTraditional converts simplified characters to traditional ones,
// character by character.
func ToTraditional(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if t, ok := s2t[r]; ok {
			r = t
		}
		b.WriteRune(r)
	}
	return b.String()
}

// IsTraditional reports whether s is written in traditional characters: it
// has more characters that exist only in traditional form than characters
// that exist only in simplified form.
func IsTraditional(s string) bool {
	trad, simp := 0, 0
	for _, r := range s {
		if _, ok := t2s[r]; ok {
			trad++
		} else if _, ok := s2t[r]; ok {
			simp++
		}
	}
	return trad > simp
}

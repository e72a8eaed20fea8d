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
	"unicode/utf8"
)

//go:embed t2s.txt
var t2sData string

//go:embed s2t.txt
var s2tData string

//go:embed s2t_phrases.txt
var s2tPhraseData string

var (
	t2s = parseTable(t2sData)
	s2t = parseTable(s2tData)
	// s2tPhrases are the words whose traditional form the character table
	// gets wrong (签发 簽發, not 籤發), and the longest of them in runes.
	s2tPhrases, s2tLongest = parsePhrases(s2tPhraseData)
	// s2tPhraseFirst holds the first character of every phrase.
	s2tPhraseFirst = phraseFirsts(s2tPhrases)
)

func phraseFirsts(m map[string]string) map[rune]bool {
	firsts := make(map[rune]bool, 2048)
	for from := range m {
		r, _ := utf8.DecodeRuneInString(from)
		firsts[r] = true
	}
	return firsts
}

func parsePhrases(data string) (map[string]string, int) {
	m := make(map[string]string, 8192)
	longest := 0
	for _, line := range strings.Split(data, "\n") {
		from, to, ok := strings.Cut(line, " ")
		if !ok || utf8.RuneCountInString(from) != utf8.RuneCountInString(to) {
			continue
		}
		m[from] = to
		longest = max(longest, utf8.RuneCountInString(from))
	}
	return m, longest
}

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

// ToTraditional converts simplified characters to traditional ones, word
// by word where a word needs it (the longest known word first, as opencc
// does), character by character elsewhere.
func ToTraditional(s string) string {
	// starts are the byte offsets of the runes, and of the end.
	starts := make([]int, 0, len(s)/2+1)
	for i := range s {
		starts = append(starts, i)
	}
	starts = append(starts, len(s))
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(starts)-1; {
		if to, n := phraseAt(s, starts, i); n > 0 {
			b.WriteString(to)
			i += n
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[starts[i]:])
		if t, ok := s2t[r]; ok {
			r = t
		}
		b.WriteRune(r)
		i++
	}
	return b.String()
}

// phraseAt finds the longest word of s2tPhrases at rune i of s.
func phraseAt(s string, starts []int, i int) (string, int) {
	if r, _ := utf8.DecodeRuneInString(s[starts[i]:]); !s2tPhraseFirst[r] {
		return "", 0
	}
	for n := min(s2tLongest, len(starts)-1-i); n >= 2; n-- {
		if to, ok := s2tPhrases[s[starts[i]:starts[i+n]]]; ok {
			return to, n
		}
	}
	return "", 0
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

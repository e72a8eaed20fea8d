package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// SegmentOptions tunes Segment.
type SegmentOptions struct {
	// MaxRunes is the target chunk length in characters; 500 when zero.
	MaxRunes int
}

// DefaultMaxRunes is the chunk length used when SegmentOptions.MaxRunes is zero.
const DefaultMaxRunes = 500

// piece is a chunk before it becomes one: its section label and text.
type piece struct {
	section string
	text    string
}

// Segment splits a document into chunks by its structure rather than by
// fixed windows. An item or bundle gives one chunk per "## " section and a
// FAQ one per question, a section longer than 2*MaxRunes being split at line
// and then sentence boundaries; a policy is split at its headings and at
// 章/节/条 and 一、/（一） numbered lines, small neighbours under the same
// heading merged and long pieces split at sentence ends. Text keeps its
// original characters; Terms and Vector are left for the indexer.
func Segment(doc banban.Document, opt SegmentOptions) []banban.Chunk {
	maxRunes := opt.MaxRunes
	if maxRunes <= 0 {
		maxRunes = DefaultMaxRunes
	}
	var pieces []piece
	if doc.Kind == banban.KindPolicy {
		pieces = policyPieces(doc.Title, doc.Sections, maxRunes)
	} else {
		pieces = sectionPieces(doc.Sections, maxRunes)
	}
	chunks := make([]banban.Chunk, 0, len(pieces))
	for _, p := range pieces {
		n := len(chunks)
		chunks = append(chunks, banban.Chunk{
			ID: banban.ChunkID(doc.ID, n), DocID: doc.ID, Ordinal: n, Kind: doc.Kind,
			Title: doc.Title, Section: p.section, Text: p.text,
			Department: doc.Department, Region: doc.Region,
			Effective: doc.Effective, Expires: doc.Expires,
		})
	}
	return chunks
}

// sectionPieces gives one piece per non-empty section of an item, bundle or
// FAQ (for a FAQ the heading is the question and the text its answer), and
// several with the same section for a section over 2*maxRunes.
func sectionPieces(sections []banban.Section, maxRunes int) []piece {
	var out []piece
	for _, s := range sections {
		text := strings.TrimSpace(s.Text)
		if text == "" {
			continue
		}
		heading := strings.TrimSpace(s.Heading)
		if utf8.RuneCountInString(text) <= 2*maxRunes {
			out = append(out, piece{heading, text})
			continue
		}
		for _, t := range pack(lineUnits(text, maxRunes), maxRunes) {
			out = append(out, piece{heading, t})
		}
	}
	return out
}

// unit is the smallest span of text a chunk boundary may fall around. sep
// joins it to the unit before it in the same chunk: "\n" when it starts a
// line, "" when it continues one.
type unit struct {
	sep  string
	text string
}

// lineUnits splits text into lines, and lines longer than maxRunes into
// sentences.
func lineUnits(text string, maxRunes int) []unit {
	var out []unit
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if utf8.RuneCountInString(line) <= maxRunes {
			out = append(out, unit{"\n", line})
			continue
		}
		out = append(out, sentenceUnits(line, maxRunes)...)
	}
	return out
}

// sentenceUnits splits text into sentences: line breaks and the sentence
// ends 。！？；!?; (with any closing quotes or brackets after them) end one.
// A sentence over 4*maxRunes is cut at commas or, failing that, at maxRunes.
func sentenceUnits(text string, maxRunes int) []unit {
	var out []unit
	for _, line := range strings.Split(text, "\n") {
		first := true
		for _, raw := range sentences(strings.TrimSpace(line)) {
			s := strings.TrimSpace(raw)
			// Keep the space between two sentences of a line.
			sep := raw[:len(raw)-len(strings.TrimLeftFunc(raw, unicode.IsSpace))]
			if first {
				sep, first = "\n", false
			}
			parts := []string{s}
			if utf8.RuneCountInString(s) > 4*maxRunes {
				parts = cutLong(s, maxRunes)
			}
			for _, p := range parts {
				out = append(out, unit{sep, p})
				sep = ""
			}
		}
	}
	return out
}

const (
	sentenceEnds = "。！？；!?;"
	closers      = "”’」』）)】》\"'"
	commas       = "，,、：:"
)

// sentences splits one line after each sentence end; each sentence keeps
// the white space before it.
func sentences(line string) []string {
	var out []string
	rs := []rune(line)
	start := 0
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune(sentenceEnds, rs[i]) {
			continue
		}
		for i+1 < len(rs) && (strings.ContainsRune(closers, rs[i+1]) || strings.ContainsRune(sentenceEnds, rs[i+1])) {
			i++
		}
		if s := string(rs[start : i+1]); strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
		start = i + 1
	}
	if s := string(rs[start:]); strings.TrimSpace(s) != "" {
		out = append(out, s)
	}
	return out
}

// cutLong cuts an overlong sentence into parts of at most maxRunes, each
// ending at the last comma in its second half when there is one.
func cutLong(s string, maxRunes int) []string {
	var out []string
	rs := []rune(s)
	for len(rs) > maxRunes {
		cut := maxRunes
		for i := maxRunes - 1; i >= maxRunes/2; i-- {
			if strings.ContainsRune(commas, rs[i]) {
				cut = i + 1
				break
			}
		}
		out = append(out, string(rs[:cut]))
		rs = rs[cut:]
	}
	if len(rs) > 0 {
		out = append(out, string(rs))
	}
	return out
}

// pack joins units into chunks of at most maxRunes (a single longer unit
// stays whole). Chunks aim at an even share of the text, so that a long
// section does not end in a scrap.
func pack(units []unit, maxRunes int) []string {
	total := 0
	for _, u := range units {
		total += utf8.RuneCountInString(u.text) + utf8.RuneCountInString(u.sep)
	}
	n := (total + maxRunes - 1) / maxRunes
	target := (total + n - 1) / max(n, 1)
	var (
		out  []string
		cur  strings.Builder
		size int
	)
	for _, u := range units {
		l, sl := utf8.RuneCountInString(u.text), utf8.RuneCountInString(u.sep)
		if size > 0 && (size+sl+l > maxRunes || size >= target) {
			out = append(out, cur.String())
			cur.Reset()
			size = 0
		}
		if size > 0 {
			cur.WriteString(u.sep)
			size += sl
		}
		cur.WriteString(u.text)
		size += l
	}
	if size > 0 {
		out = append(out, cur.String())
	}
	return out
}

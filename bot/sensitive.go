package bot

import (
	_ "embed"
	"strings"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

//go:embed lexicon/sensitive.txt
var sensitiveData string

// sensitiveKind is the category of a sensitive message.
type sensitiveKind string

// Categories of lexicon/sensitive.txt.
const (
	sensitiveIllegal sensitiveKind = "illegal"
	sensitiveCrisis  sensitiveKind = "crisis"
	sensitiveAbuse   sensitiveKind = "abuse"
)

// sensitiveWords maps each category to its words, normalised.
var sensitiveWords = parseSensitive(sensitiveData)

func parseSensitive(data string) map[sensitiveKind][]string {
	out := make(map[sensitiveKind][]string)
	for _, line := range strings.Split(data, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		kind := sensitiveKind(fields[0])
		for _, w := range fields[1:] {
			out[kind] = append(out[kind], textnorm.Normalize(w))
		}
	}
	return out
}

// sensitive returns the category of a normalised message, or "". A crisis
// outranks everything else: a person in danger needs a person.
func sensitive(norm string) sensitiveKind {
	for _, k := range []sensitiveKind{sensitiveCrisis, sensitiveIllegal, sensitiveAbuse} {
		if containsAny(norm, sensitiveWords[k]) {
			return k
		}
	}
	return ""
}

package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
)

// clarify asks which of several documents the citizen means, remembering the
// options and the section asked for so the next turn can pick one.
func (b *Bot) clarify(_ context.Context, conv *banban.Conversation, t turn, opts []docHits) (banban.Answer, error) {
	var sb strings.Builder
	sb.WriteString(msgClarify)
	ids := make([]string, len(opts))
	titles := make([]string, len(opts))
	for i, o := range opts {
		ids[i], titles[i] = o.id, o.title
		fmt.Fprintf(&sb, "\n%d. %s", i+1, o.title)
	}
	conv.Focus = banban.Focus{Options: ids, Section: t.section}
	return banban.Answer{Action: banban.ActionClarify, Text: sb.String(), Options: titles, Reason: "ambiguous"}, nil
}

// resolveOption handles the answer to a pending clarification: a number
// (1, 第二个) or a name. ok is false when the message is not a choice, and
// the pending options are dropped.
func (b *Bot) resolveOption(ctx context.Context, conv *banban.Conversation, t turn) (banban.Answer, bool, error) {
	opts := conv.Focus.Options
	if len(opts) == 0 {
		return banban.Answer{}, false, nil
	}
	section := conv.Focus.Section
	conv.Focus.Options = nil
	docs := make([]banban.Document, 0, len(opts))
	for _, id := range opts {
		d, err := b.docs.Document(ctx, id)
		if err != nil {
			continue // a document removed since the question was asked
		}
		docs = append(docs, d)
	}
	i := pickOption(t.norm, docs)
	if i < 0 {
		return banban.Answer{}, false, nil
	}
	if t.section == "" {
		t.section = section
	}
	ans, err := b.compose(ctx, conv, t, docs[i], nil)
	return ans, true, err
}

var ordinalWords = []string{"一", "二", "三", "四"}

// pickOption returns the index of the chosen document, or -1.
func pickOption(norm string, docs []banban.Document) int {
	s := strings.Trim(norm, " .。!！?？")
	for i := range docs {
		n := strconv.Itoa(i + 1)
		if s == n || s == "第"+n+"个" || s == "第"+n+"项" || s == "第"+n+"种" || s == "选"+n {
			return i
		}
		if i < len(ordinalWords) {
			w := ordinalWords[i]
			if s == w || s == "第"+w+"个" || s == "第"+w+"项" || s == "第"+w+"种" {
				return i
			}
		}
	}
	q := retrieval.NormalizeName(norm)
	best, bestLen := -1, 0
	for i, d := range docs {
		for _, name := range d.Names() {
			n := retrieval.NormalizeName(name)
			if len(n) > bestLen && (strings.Contains(q, n) || (len(q) >= 6 && strings.Contains(n, q))) {
				best, bestLen = i, len(n)
			}
		}
	}
	return best
}

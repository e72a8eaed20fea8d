package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Searcher finds chunks for a question and tells which words the knowledge
// base never uses.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error)
	Missing(ctx context.Context, terms []string, f banban.Filter) ([]string, error)
	IDF(term string) float64
}

// Documents reads whole documents, to answer with the section asked for
// even when search found another section of the same item.
type Documents interface {
	Document(ctx context.Context, id string) (banban.Document, error)
}

// Config tunes the bot. Zero values take the defaults.
type Config struct {
	// MaxQuestionRunes is the longest question accepted (default 500).
	MaxQuestionRunes int
	// MinTopicCoverage is the share of the question's IDF-weighted topic
	// terms (its words other than section words) the best chunk must contain
	// before the bot answers from it, unless the question names the document
	// (default 0.4; measured on evals/cases.jsonl, 0.3 to 0.45 differ by one or two cases).
	MinTopicCoverage float64
	// RareIDF is the weight from which a question's rarest word must occur
	// somewhere in the knowledge base for the bot to answer (default 9).
	RareIDF float64
	// Filter restricts every search (for example to one region).
	Filter banban.Filter
	// LLM, when set, rephrases each extracted answer from the same sections
	// with numbered citations; the result is used only when its figures and
	// names check out against those sections (see generate.go). Nil keeps
	// the extracted answers.
	LLM Generator
	// LLMTimeout bounds each generated answer (default 8s); past it the
	// extracted answer is used.
	LLMTimeout time.Duration
}

// Bot answers citizens' messages.
type Bot struct {
	search Searcher
	docs   Documents
	tok    banban.Tokenizer
	convs  Conversations
	cfg    Config
	// Now gives the current time (default time.Now).
	Now func() time.Time
}

// New returns a bot. convs may be nil for an in-memory store.
func New(s Searcher, d Documents, tok banban.Tokenizer, convs Conversations, cfg Config) *Bot {
	if cfg.MaxQuestionRunes <= 0 {
		cfg.MaxQuestionRunes = 500
	}
	if cfg.MinTopicCoverage <= 0 {
		cfg.MinTopicCoverage = 0.4
	}
	if cfg.RareIDF <= 0 {
		cfg.RareIDF = 9
	}
	b := &Bot{search: s, docs: d, tok: tok, convs: convs, cfg: cfg, Now: time.Now}
	if convs == nil {
		b.convs = &MemoryConversations{Now: func() time.Time { return b.Now() }}
	}
	return b
}

// Request is one message from a citizen.
type Request struct {
	// ConversationID continues a conversation; empty starts one.
	ConversationID string
	Channel        string
	Text           string
}

// Reply is the bot's answer and the conversation it belongs to.
type Reply struct {
	ConversationID string
	Answer         banban.Answer
}

// Reply answers one message and records both in the conversation.
func (b *Bot) Reply(ctx context.Context, req Request) (Reply, error) {
	return b.ReplyStream(ctx, req, nil)
}

// conversation loads the request's conversation or starts a new one. An
// unknown or expired id starts a new conversation under that id, so a client
// that kept its id across a restart keeps talking.
func (b *Bot) conversation(ctx context.Context, req Request) (banban.Conversation, error) {
	if req.ConversationID != "" {
		c, err := b.convs.Get(ctx, req.ConversationID)
		if err == nil {
			return c, nil
		}
		if banban.ErrorCode(err) != banban.ENOTFOUND {
			return c, fmt.Errorf("load conversation: %w", err)
		}
	}
	id := req.ConversationID
	if id == "" {
		id = NewConversationID()
	}
	now := b.Now()
	return banban.Conversation{ID: id, Channel: req.Channel, Created: now, Updated: now}, nil
}

// answer decides what to do with one message.
func (b *Bot) answer(ctx context.Context, conv *banban.Conversation, text string) (banban.Answer, error) {
	n := utf8.RuneCountInString(text)
	switch {
	case n == 0:
		return banban.Answer{Action: banban.ActionDecline, Text: msgEmpty, Reason: "empty"}, nil
	case n > b.cfg.MaxQuestionRunes:
		return banban.Answer{Action: banban.ActionDecline, Reason: "too_long",
			Text: fmt.Sprintf(msgTooLong, b.cfg.MaxQuestionRunes)}, nil
	}
	trad := textnorm.IsTraditional(text)
	t := turn{text: text, norm: textnorm.Normalize(text)}
	t.year, t.yearDerived = b.askedYear(text, b.Now())
	ans, err := b.answerTurn(ctx, conv, t)
	if err != nil {
		return ans, err
	}
	if trad {
		ans = toTraditional(ans)
	}
	return ans, nil
}

// turn is one question with what the bot worked out about it.
type turn struct {
	text    string
	norm    string
	section string
	// year is the year the question asks about ("2027"), or ""; yearDerived
	// tells that the question said it as 明年 or 今年.
	year        string
	yearDerived bool
}

func (b *Bot) answerTurn(ctx context.Context, conv *banban.Conversation, t turn) (banban.Answer, error) {
	switch sensitive(t.norm) {
	case sensitiveCrisis:
		return banban.Answer{Action: banban.ActionHandoff, Text: msgCrisis, Reason: "crisis"}, nil
	case sensitiveIllegal:
		return declineWith(msgIllegal, "illegal"), nil
	case sensitiveAbuse:
		return declineWith(msgAbuse, "abuse"), nil
	}
	switch classify(t.norm) {
	case intentInjection:
		return declineWith(msgInjection, "injection"), nil
	case intentComplaint:
		return banban.Answer{Action: banban.ActionHandoff, Text: msgComplaint, Reason: "complaint"}, nil
	case intentHuman:
		return banban.Answer{Action: banban.ActionHandoff, Text: msgHandoff, Reason: "requested"}, nil
	case intentGreeting:
		return banban.Answer{Action: banban.ActionAnswer, Text: msgGreeting}, nil
	case intentThanks:
		return banban.Answer{Action: banban.ActionAnswer, Text: msgThanks}, nil
	}
	t.section = detectSection(t.norm, b.tok.Terms(t.norm))
	if ans, ok, err := b.resolveOption(ctx, conv, t); ok || err != nil {
		return ans, err
	}
	if t.section == "" && isElliptical(t.norm) {
		t.section = conv.Focus.Section
	}
	if len(conv.Focus.DocIDs) > 0 && isBareFollowUp(t.norm) {
		return b.answerFocus(ctx, conv, t)
	}
	return b.answerSearch(ctx, conv, t)
}

// answerFocus answers a follow-up about the document already in focus.
func (b *Bot) answerFocus(ctx context.Context, conv *banban.Conversation, t turn) (banban.Answer, error) {
	if t.section == "" {
		t.section = conv.Focus.Section
	}
	doc, err := b.docs.Document(ctx, conv.Focus.DocIDs[0])
	if banban.ErrorCode(err) == banban.ENOTFOUND {
		conv.Focus = banban.Focus{}
		return declineWith(msgUnknown, "focus_gone"), nil
	}
	if err != nil {
		return banban.Answer{}, fmt.Errorf("load focus document: %w", err)
	}
	return b.compose(ctx, conv, t, doc, nil)
}

// answerSearch searches the knowledge base and acts on what it finds.
func (b *Bot) answerSearch(ctx context.Context, conv *banban.Conversation, t turn) (banban.Answer, error) {
	res, err := b.search.Search(ctx, retrieval.Query{Text: t.text, Filter: b.cfg.Filter, K: 20, MaxPerDoc: maxHitsPerDoc})
	if err != nil {
		return banban.Answer{}, fmt.Errorf("search: %w", err)
	}
	weights := topicWeights(res.Terms, b.search.IDF)
	dropTerms(weights, b.regionTerms(res.Hits))
	docs := groupByDoc(res.Hits, weights)
	if b.isFollowUp(ctx, conv, t, docs, weights) {
		return b.answerFocus(ctx, conv, t)
	}
	unknown, err := b.unknownRareTerm(ctx, weights)
	if err != nil {
		return banban.Answer{}, err
	}
	d := choose(docs, t, b.cfg.MinTopicCoverage, unknown, weights, len(conv.Focus.DocIDs) > 0)
	switch d.action {
	case banban.ActionClarify:
		return b.clarify(ctx, conv, t, d.options)
	case banban.ActionDecline:
		conv.Focus = banban.Focus{}
		return declineWith(msgUnknown, d.reason), nil
	}
	best := docs[d.answer]
	doc, err := b.docs.Document(ctx, best.id)
	if err != nil {
		return banban.Answer{}, fmt.Errorf("load document %s: %w", best.id, err)
	}
	if d.answer > 0 {
		docs = append([]docHits{best}, append(docs[:d.answer:d.answer], docs[d.answer+1:]...)...)
	}
	return b.compose(ctx, conv, t, doc, docs)
}

// maxHitsPerDoc keeps the search results diverse enough to find a better
// covering document behind the ones the question names.
const maxHitsPerDoc = 4

// unknownRareTerm reports whether the question's rarest word occurs nowhere
// in the knowledge base.
func (b *Bot) unknownRareTerm(ctx context.Context, weights map[string]float64) (bool, error) {
	rare := rarestTerm(weights, b.cfg.RareIDF)
	if rare == "" {
		return false, nil
	}
	missing, err := b.search.Missing(ctx, []string{rare}, b.cfg.Filter)
	if err != nil {
		return false, fmt.Errorf("check %q: %w", rare, err)
	}
	return len(missing) > 0, nil
}

// isFollowUp reports whether a question that asks for a section (多久能拿到?),
// continues the last one (那…呢?) or has one topic word is about the
// document in focus rather
// than a new topic. It is a new topic when search finds another document the
// question names, or whose own name shares a word with the question.
func (b *Bot) isFollowUp(ctx context.Context, conv *banban.Conversation, t turn, docs []docHits, weights map[string]float64) bool {
	if len(conv.Focus.DocIDs) == 0 {
		return false
	}
	// A question of one topic word (需要本人去吗) continues the conversation
	// like one asking for a section, unless it names another document.
	if t.section == "" && !isElliptical(t.norm) && len(weights) > 1 {
		return false
	}
	if len(docs) == 0 || docs[0].id == conv.Focus.DocIDs[0] {
		return true
	}
	if docs[0].name != "" {
		return false
	}
	doc, err := b.docs.Document(ctx, docs[0].id)
	if err != nil {
		return true
	}
	for _, term := range b.tok.Terms(strings.Join(doc.Names(), " ")) {
		if _, ok := weights[term]; ok && utf8.RuneCountInString(term) >= 2 {
			return false
		}
	}
	return true
}

func declineWith(text, reason string) banban.Answer {
	return banban.Answer{Action: banban.ActionDecline, Text: text, Reason: reason}
}

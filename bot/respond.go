package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Respond answers text within conv, whoever keeps the conversation (the
// help desk, which decides first whether the bot may answer at all): it
// updates conv's focus and appends the citizen's message and the bot's
// answer, and saves nothing. When emit is not nil the answer is also sent
// through it as it is written (see ReplyStream); an error from emit stops
// the reply and is returned after conv has been updated.
func (b *Bot) Respond(ctx context.Context, conv *banban.Conversation, text string, emit func(Delta) error) (banban.Answer, error) {
	if emit == nil {
		return b.respond(ctx, conv, text)
	}
	s := &streamSink{emit: emit, trad: textnorm.IsTraditional(strings.TrimSpace(text))}
	run := runFrom(ctx) // a test may have put one there to read the outcome
	run.stream = s
	ans, err := b.respond(withRun(ctx, run), conv, text)
	if err != nil {
		return ans, err
	}
	if !s.done && s.err == nil {
		// respond has already converted this text for a traditional question.
		s.err = emit(Delta{Text: ans.Text})
	}
	if s.err != nil {
		return ans, fmt.Errorf("send reply: %w", s.err)
	}
	return ans, nil
}

// respond answers one message and appends both to conv.
func (b *Bot) respond(ctx context.Context, conv *banban.Conversation, text string) (banban.Answer, error) {
	now := b.Now()
	ans, err := b.answer(ctx, conv, strings.TrimSpace(text))
	if err != nil {
		return ans, err
	}
	conv.Append(
		banban.Message{Role: banban.RoleCitizen, Text: text, At: now},
		banban.Message{Role: banban.RoleBot, Text: ans.Text, At: now, Answer: &ans})
	conv.Updated = now
	return ans, nil
}

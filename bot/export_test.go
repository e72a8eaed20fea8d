package bot

import "context"

// WithOutcome returns a context under which Reply or ReplyStream records
// what became of the generated answer, and a function that reads it:
// "generated", "unverified", "timeout", … or "" when no model was asked.
func WithOutcome(ctx context.Context) (context.Context, func() string) {
	run := &genRun{}
	return withRun(ctx, run), func() string { return string(run.outcome) }
}

// SystemPrompt is the embedded system prompt.
var SystemPrompt = systemPrompt

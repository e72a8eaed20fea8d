package evals

import (
	"context"
	"fmt"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot"
)

// Answerer answers messages within conversations: the bot, or a baseline.
type Answerer interface {
	Reply(ctx context.Context, req bot.Request) (bot.Reply, error)
}

// Run evaluates every case: history first, in one new conversation, then
// the question, timed. A case whose answerer fails is recorded with its error
// and counts as failed; the run goes on.
func Run(ctx context.Context, a Answerer, cases []Case) ([]Result, error) {
	results := make([]Result, 0, len(cases))
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		results = append(results, runCase(ctx, a, c))
	}
	return results, nil
}

func runCase(ctx context.Context, a Answerer, c Case) Result {
	res := Result{ID: c.ID}
	conv := ""
	for _, h := range c.History {
		rep, err := a.Reply(ctx, bot.Request{ConversationID: conv, Channel: "eval", Text: h})
		if err != nil {
			res.Error = fmt.Sprintf("history: %v", err)
			return res
		}
		conv = rep.ConversationID
	}
	start := time.Now()
	rep, err := a.Reply(ctx, bot.Request{ConversationID: conv, Channel: "eval", Text: c.Question})
	res.LatencyMS = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.Action = rep.Answer.Action
	res.Answer = rep.Answer.Text
	res.Sources = sourcesOf(rep.Answer.Citations)
	return res
}

func sourcesOf(cites []banban.Citation) []ResultSource {
	out := make([]ResultSource, 0, len(cites))
	for _, c := range cites {
		out = append(out, ResultSource{Doc: c.DocID, Section: c.Section, Score: c.Score})
	}
	return out
}

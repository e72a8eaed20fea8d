package bot

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Generator writes text with a language model; bot/langchain's Chat is
// one. Stream passes the reply to onChunk piece by piece as it arrives, one
// call at a time and none after Stream returns, and stops, returning
// onChunk's error unchanged, when onChunk fails. A reply the model did not
// finish (cut off, or a stream that ended early) is an error, never a short
// text. Errors: a cancelled or expired context returns ctx.Err() (possibly
// wrapped); an unreachable or failing model is EUNAVAILABLE. The bot never
// shows a Generator's error to a citizen: it answers with the extracted text
// instead.
type Generator interface {
	Complete(ctx context.Context, system, user string) (string, error)
	Stream(ctx context.Context, system, user string, onChunk func(string) error) (string, error)
}

// defaultLLMTimeout bounds a generated answer. The extracted answer is ready
// before the model is asked, so a slow model costs the citizen this wait
// and no more.
const defaultLLMTimeout = 8 * time.Second

// The prompts are data: the system prompt never changes with the question,
// so nothing a citizen writes can rewrite the model's instructions.
var (
	//go:embed prompts/system.txt
	systemPrompt string
	//go:embed prompts/answer.txt
	answerPromptText string
	answerPrompt     = template.Must(template.New("answer").Parse(answerPromptText))
)

// outcome says what became of a generated answer.
type outcome string

const (
	outcomeGenerated  outcome = "generated"   // verified and used
	outcomeModelError outcome = "model_error" // the model failed
	outcomeTimeout    outcome = "timeout"     // the model took longer than LLMTimeout
	outcomeEmpty      outcome = "empty"       // the model returned nothing
	outcomeRefused    outcome = "refused"     // the model said it cannot answer
	outcomeUnverified outcome = "unverified"  // a fact is not in the sources
	outcomeEmitFailed outcome = "emit_failed" // the stream's client went away
)

// genRun is the generation state of one request. It travels in the
// request's context because Reply and ReplyStream share one decision path
// (answerTurn, compose) that has no other per-request options.
type genRun struct {
	stream  *streamSink // nil for Reply
	outcome outcome     // empty when no model was asked
}

type runKey struct{}

func withRun(ctx context.Context, r *genRun) context.Context {
	return context.WithValue(ctx, runKey{}, r)
}

func runFrom(ctx context.Context) *genRun {
	if r, ok := ctx.Value(runKey{}).(*genRun); ok {
		return r
	}
	return &genRun{}
}

// maybeGenerate rephrases a composed answer with the configured model, from
// the sections the answer was extracted from and nothing else, and uses the
// result only if every figure, phone number, date and material name in it is
// found in those sections. Otherwise, or when the model fails, is slow or
// declines, or no model is configured, ans is returned unchanged. body is
// the extracted text at the start of ans.Text; the rest of ans.Text (the
// source line) and the citations are kept.
func (b *Bot) maybeGenerate(ctx context.Context, t turn, doc banban.Document, sections []string, body string, ans banban.Answer) banban.Answer {
	if b.cfg.LLM == nil {
		return ans
	}
	run := runFrom(ctx)
	g, err := newGeneration(t.text, doc, sections, body)
	if err != nil {
		run.outcome = outcomeModelError
		return ans
	}
	timeout := b.cfg.LLMTimeout
	if timeout <= 0 {
		timeout = defaultLLMTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var text string
	if run.stream != nil {
		text, run.outcome = g.stream(ctx, b.cfg.LLM, run.stream)
	} else {
		text, run.outcome = g.complete(ctx, b.cfg.LLM)
	}
	if run.outcome != outcomeGenerated {
		return ans
	}
	footer, ok := strings.CutPrefix(ans.Text, body)
	if !ok {
		footer = ""
	}
	tail := g.legend() + footer
	if run.stream != nil {
		run.stream.finish(tail)
	}
	ans.Text = text + tail
	return ans
}

// generation is one request to the model: its prompt and how to check what
// comes back.
type generation struct {
	system, user string
	sources      []source
	verify       *verifier
}

// source is one numbered passage in a prompt.
type source struct {
	N     int
	Label string
	Text  string
}

// maxSourceRunes bounds each passage in a prompt; the verifier checks
// against the same clipped text the model saw.
const maxSourceRunes = 2000

func newGeneration(question string, doc banban.Document, sections []string, body string) (*generation, error) {
	srcs := sourcesOf(doc, sections, body)
	var sb strings.Builder
	err := answerPrompt.Execute(&sb, map[string]any{
		"Title":    escapeTags(doc.Title),
		"Sources":  srcs,
		"Question": escapeTags(banban.MaskPII(question)),
	})
	if err != nil {
		return nil, fmt.Errorf("answer prompt: %w", err)
	}
	texts := make([]string, 0, 2*len(srcs))
	for _, s := range srcs {
		texts = append(texts, s.Text, s.Label)
	}
	return &generation{system: systemPrompt, user: sb.String(), sources: srcs,
		verify: newVerifier(texts, doc.Names(), len(srcs))}, nil
}

// sourcesOf numbers the passages of doc an answer was extracted from: each
// section of an item guide, or the extracted passage of a policy or FAQ.
func sourcesOf(doc banban.Document, sections []string, body string) []source {
	title := "《" + doc.Title + "》"
	var out []source
	if doc.Kind == banban.KindItem || doc.Kind == banban.KindBundle {
		for _, h := range sections {
			if s, ok := doc.Section(h); ok && strings.TrimSpace(s.Text) != "" {
				out = append(out, source{N: len(out) + 1, Label: escapeTags(title + h), Text: clip(s.Text)})
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	label := title
	if len(sections) > 0 {
		label += sections[0]
	}
	text := strings.TrimPrefix(body, title+"\n")
	return []source{{N: 1, Label: escapeTags(label), Text: clip(text)}}
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= maxSourceRunes {
		return escapeTags(s)
	}
	return escapeTags(string([]rune(s)[:maxSourceRunes]))
}

// escapeTags keeps text from closing or opening the prompt's <source> and
// <question> tags: a question that writes </question> stays inside.
func escapeTags(s string) string {
	return strings.NewReplacer("<", "＜", ">", "＞", `"`, "＂").Replace(s)
}

// legend names the numbered sources when there are several; a single one
// is the answer's 依据 line.
func (g *generation) legend() string {
	if len(g.sources) < 2 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\n")
	for _, s := range g.sources {
		fmt.Fprintf(&sb, "\n[%d] %s", s.N, s.Label)
	}
	return sb.String()
}

// complete asks the model for the whole answer at once and checks it.
func (g *generation) complete(ctx context.Context, llm Generator) (string, outcome) {
	text, err := llm.Complete(ctx, g.system, g.user)
	if err != nil {
		return "", failure(err)
	}
	var seg segmenter
	sentences := seg.push(text)
	sentences = append(sentences, seg.finish()...)
	for _, s := range sentences {
		if o := g.judge(s); o != outcomeGenerated {
			return "", o
		}
	}
	if seg.text() == "" {
		return "", outcomeEmpty
	}
	return seg.text(), outcomeGenerated
}

// judge checks one sentence.
func (g *generation) judge(sentence string) outcome {
	if containsAny(textnorm.Normalize(sentence), refusals) {
		return outcomeRefused
	}
	if g.verify.unsupported(sentence) != "" {
		return outcomeUnverified
	}
	return outcomeGenerated
}

// refusals are what models say instead of answering; the prompt asks for
// 无法回答 exactly, but models do not always obey.
var refusals = []string{
	"无法回答", "不知道", "无法确定", "没有提到", "没有提及", "未提及", "未提到", "没有相关信息", "未找到",
	"抱歉", "对不起", "作为ai", "作为一个ai", "语言模型",
}

func failure(err error) outcome {
	if errors.Is(err, context.DeadlineExceeded) {
		return outcomeTimeout
	}
	return outcomeModelError
}

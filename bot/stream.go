package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Delta is one piece of a streamed reply. A client appends Text to what it
// shows for the reply; when Reset is set it first takes back everything it
// showed for this reply, because a generated sentence failed its check or
// the model stopped early. A channel that cannot take text back (WeChat)
// sends Text as a new message: it begins with a correction notice.
type Delta struct {
	Text  string `json:"text"`
	Reset bool   `json:"reset,omitempty"`
}

// msgCorrection starts the text that replaces a generated answer already
// partly shown.
const msgCorrection = "（更正：上面的回答未能通过核对，请以下面的办事指南原文为准。）\n\n"

// ReplyStream is Reply with the answer sent through emit as it is written.
// With a model configured, a generated answer goes out sentence by
// sentence, each checked against the sources before it is sent; if one
// fails, or the model errs or runs out of time, a Reset delta with a
// correction notice follows and then the extracted answer. Any other answer
// (without a model, a decline, a question back) is sent as one delta. emit
// is never called concurrently, nor after ReplyStream returns; an error from
// it stops the reply and is returned, with the reply as recorded in the
// conversation. A nil emit sends nothing.
func (b *Bot) ReplyStream(ctx context.Context, req Request, emit func(Delta) error) (Reply, error) {
	conv, err := b.conversation(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	before := len(conv.Messages)
	ans, err := b.Respond(ctx, &conv, req.Text, emit)
	if len(conv.Messages) > before {
		if serr := b.convs.Save(ctx, conv); serr != nil {
			return Reply{}, fmt.Errorf("save conversation: %w", serr)
		}
	}
	if err != nil {
		return Reply{ConversationID: conv.ID, Answer: ans}, err
	}
	return Reply{ConversationID: conv.ID, Answer: ans}, nil
}

// streamSink sends one reply's deltas.
type streamSink struct {
	emit  func(Delta) error
	trad  bool // the question was written in traditional characters
	shown bool // generated text has been sent and not taken back
	done  bool // the whole answer has been sent
	err   error
}

func (s *streamSink) send(d Delta) error {
	if s.err != nil {
		return s.err
	}
	if s.trad {
		d.Text = textnorm.ToTraditional(d.Text)
	}
	s.err = s.emit(d)
	return s.err
}

// retract takes back the generated text already shown.
func (s *streamSink) retract() {
	if s.shown {
		s.send(Delta{Reset: true, Text: msgCorrection})
		s.shown = false
	}
}

// finish sends the end of a generated answer.
func (s *streamSink) finish(tail string) {
	if tail != "" {
		s.send(Delta{Text: tail})
	}
	s.done = true
}

// errRejected stops a stream whose sentence failed its check.
var errRejected = errors.New("generated sentence rejected")

// stream asks the model for the answer as a stream and sends each sentence
// that passes its check; the first that does not ends the stream.
func (g *generation) stream(ctx context.Context, llm Generator, s *streamSink) (string, outcome) {
	var seg segmenter
	result := outcomeGenerated
	send := func(sentences []string) error {
		for _, sent := range sentences {
			if result != outcomeGenerated {
				return errRejected
			}
			if result = g.judge(sent); result != outcomeGenerated {
				return errRejected
			}
			if err := s.send(Delta{Text: sent}); err != nil {
				result = outcomeEmitFailed
				return err
			}
			s.shown = true
		}
		return nil
	}
	_, err := llm.Stream(ctx, g.system, g.user, func(chunk string) error { return send(seg.push(chunk)) })
	if err == nil {
		err = send(seg.finish())
	}
	switch {
	case result != outcomeGenerated:
	case err != nil:
		result = failure(err)
	case seg.text() == "":
		result = outcomeEmpty
	}
	if result != outcomeGenerated {
		s.retract()
		return "", result
	}
	return seg.text(), result
}

// segmenter cuts streamed text into sentences: after sentence-ending
// punctuation and at line breaks, so each list item is checked on its own.
// Blank pieces are held back and sent with the next sentence, and none is
// sent at the start or the end, so the sentences joined are the answer.
type segmenter struct {
	buf     string
	pending string
	out     strings.Builder
}

// push adds a chunk and returns the sentences it completes.
func (s *segmenter) push(chunk string) []string {
	s.buf += chunk
	var out []string
	for {
		i := strings.IndexFunc(s.buf, isSentenceEnd)
		if i < 0 {
			return out
		}
		_, size := utf8.DecodeRuneInString(s.buf[i:])
		if sent := s.release(s.buf[:i+size]); sent != "" {
			out = append(out, sent)
		}
		s.buf = s.buf[i+size:]
	}
}

// finish returns the last sentence, if it did not end with punctuation.
func (s *segmenter) finish() []string {
	rest := strings.TrimRightFunc(s.buf, unicode.IsSpace)
	s.buf = ""
	if sent := s.release(rest); sent != "" {
		return []string{sent}
	}
	return nil
}

func (s *segmenter) release(piece string) string {
	if strings.TrimSpace(piece) == "" {
		if s.out.Len() > 0 {
			s.pending += piece
		}
		return ""
	}
	if s.out.Len() == 0 {
		piece = strings.TrimLeftFunc(piece, unicode.IsSpace)
	} else {
		piece = s.pending + piece
	}
	s.pending = ""
	s.out.WriteString(piece)
	return piece
}

// text is every sentence released so far.
func (s *segmenter) text() string { return s.out.String() }

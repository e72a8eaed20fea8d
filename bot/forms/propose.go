package forms

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval/textnorm"
)

// Completer is a chat model (bot/langchain.Chat).
type Completer interface {
	Complete(ctx context.Context, system, user string) (string, error)
}

// Proposer asks a chat model for the values a citizen's answer gives when
// the rules found none (腿的问题 for 残疾类别, 退休了去那边养老 for 备案类型).
// The model only proposes: a value counts when its evidence is the
// citizen's own words and the Go validators accept it, so a model cannot
// put into a form what the citizen did not say. Personal numbers are
// masked before the message leaves Banban, and are left to the rules.
type Proposer struct {
	LLM Completer
	// Timeout bounds one call; zero means DefaultProposeTimeout.
	Timeout time.Duration
}

// DefaultProposeTimeout is how long a form turn waits for the model.
const DefaultProposeTimeout = 3 * time.Second

// proposal is one value the model proposes.
type proposal struct {
	Field    string `json:"field"`
	Value    string `json:"value"`
	Evidence string `json:"evidence"`
}

const proposeSystem = `你是政务服务申请表的填表助手。市民刚回答了申请表的问题。请只根据市民这条消息的原话，找出它为下列字段给出的值。
规则：
1. 只提取市民明确说出的内容，不推测、不补全；原话没有给出的字段不要输出。
2. 选项字段的值必须是给出的选项之一。
3. evidence 必须是市民原话中一字不差的片段，是该值的依据。
4. 被星号遮盖的号码不要输出。
只输出 JSON 数组，不要其他文字，例如：[{"field":"字段名","value":"值","evidence":"原话片段"}]；没有可提取的值时输出 []。`

// propose returns the claims the model makes for d's open fields that pass
// every check; nil when there is no model, it fails or it proposes nothing
// acceptable.
func (p *Proposer) propose(ctx context.Context, d *banban.FormDraft, text string, now time.Time) []claim {
	if p == nil || p.LLM == nil {
		return nil
	}
	open := openFields(d)
	if len(open) == 0 {
		return nil
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultProposeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := p.LLM.Complete(ctx, proposeSystem, proposeUser(open, text))
	if err != nil {
		return nil
	}
	var props []proposal
	if err := json.Unmarshal([]byte(jsonArray(out)), &props); err != nil {
		return nil
	}
	var claims []claim
	for _, pr := range props {
		if c, ok := accept(open, pr, text, now); ok && !slices.ContainsFunc(claims, func(o claim) bool { return o.field == c.field }) {
			claims = append(claims, c)
		}
	}
	return claims
}

// openFields are the fields asked for, then the others without a value.
func openFields(d *banban.FormDraft) []banban.FormField {
	var asked, rest []banban.FormField
	for _, f := range d.Fields {
		switch _, done := d.Values[f.Name]; {
		case slices.Contains(d.Asking, f.Name):
			asked = append(asked, f)
		case !done:
			rest = append(rest, f)
		}
	}
	return append(asked, rest...)
}

func proposeUser(open []banban.FormField, text string) string {
	var b strings.Builder
	b.WriteString("字段：\n")
	for _, f := range open {
		fmt.Fprintf(&b, "- %s（%s", f.Name, f.Label)
		if len(f.Options) > 0 {
			fmt.Fprintf(&b, "；选项：%s", strings.Join(f.Options, "、"))
		}
		b.WriteString("）\n")
	}
	fmt.Fprintf(&b, "市民消息：%s", banban.MaskPII(text))
	return b.String()
}

// jsonArray cuts the JSON array out of a reply that may wrap it in prose
// or a code fence.
func jsonArray(s string) string {
	i, j := strings.Index(s, "["), strings.LastIndex(s, "]")
	if i < 0 || j < i {
		return "[]"
	}
	return s[i : j+1]
}

// accept checks one proposal: an open field, evidence found in the
// citizen's message, a value the validators accept and, unless it is a
// choice among options, a value the evidence itself gives (so 两千块 may
// become 2000, but no name, address or number appears that was not said).
func accept(open []banban.FormField, pr proposal, text string, now time.Time) (claim, bool) {
	i := slices.IndexFunc(open, func(f banban.FormField) bool { return f.Name == pr.Field })
	if i < 0 || strings.TrimSpace(pr.Evidence) == "" || strings.Contains(pr.Value+pr.Evidence, "*") {
		return claim{}, false
	}
	f := open[i]
	msg, ev := squeeze(text), squeeze(pr.Evidence)
	if ev == "" || !strings.Contains(msg, ev) {
		return claim{}, false
	}
	v, err := Validate(f, pr.Value, now)
	if err != nil {
		return claim{}, false
	}
	if f.Type != banban.FieldEnum {
		switch w, err := Validate(f, pr.Evidence, now); {
		case err == nil && w.Text == v.Text:
		case !strings.Contains(msg, squeeze(v.Text)):
			return claim{}, false
		}
	}
	return claim{field: f.Name, raw: v.Text}, true
}

// squeeze normalises text for finding one piece in another: simplified
// characters, folded width, no spaces or punctuation.
func squeeze(s string) string {
	return normOption(fold(textnorm.Normalize(s)))
}

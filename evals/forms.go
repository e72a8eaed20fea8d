package evals

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

// FormCase is one form-filling conversation (evals/forms.jsonl): the
// citizen's turns in one new conversation, and the draft expected after
// the last one.
type FormCase struct {
	ID string `json:"id"`
	// Now, when set, is the clock for the whole conversation, so that
	// relative dates (下周一) have one right answer.
	Now    time.Time  `json:"now,omitzero"`
	Turns  []string   `json:"turns"`
	Expect FormExpect `json:"expect"`
}

// FormExpect is the draft a form case expects.
type FormExpect struct {
	// Doc is the item or bundle applied for.
	Doc string `json:"doc"`
	// State is the draft's state: confirmed, cancelled or collecting.
	State string `json:"state"`
	// Values are the expected values by field name ("" for a skipped field).
	Values map[string]string `json:"values"`
}

// FormResult is how one form case went.
type FormResult struct {
	ID      string `json:"id"`
	Doc     string `json:"doc,omitempty"`
	State   string `json:"state,omitempty"`
	StateOK bool   `json:"state_ok"`
	// Fields is the number of expected values, Correct how many matched.
	Fields  int `json:"fields"`
	Correct int `json:"correct"`
	// Wrong names the fields whose value differed ("field: got X, want Y").
	Wrong []string `json:"wrong,omitempty"`
	Error string   `json:"error,omitempty"`
	// Transcript is the conversation ("问：…" and "答：…" lines) of a case
	// that failed, to see where it went wrong.
	Transcript []string `json:"transcript,omitempty"`
}

// FormMetrics summarises a form run: field accuracy is correct expected
// values over expected values; state accuracy is the share of cases
// ending in the expected document and state.
type FormMetrics struct {
	Cases         int     `json:"cases"`
	Fields        int     `json:"fields"`
	CorrectFields int     `json:"correct_fields"`
	FieldAccuracy float64 `json:"field_accuracy"`
	StateAccuracy float64 `json:"state_accuracy"`
}

// ReadFormCases parses JSON Lines form cases.
func ReadFormCases(r io.Reader) ([]FormCase, error) {
	var cases []FormCase
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var c FormCase
		if err := json.Unmarshal([]byte(text), &c); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		switch {
		case c.ID == "" || len(c.Turns) == 0 || c.Expect.Doc == "":
			return nil, fmt.Errorf("line %d: a form case needs id, turns and expect.doc", line)
		case seen[c.ID]:
			return nil, fmt.Errorf("line %d: duplicate case id %q", line, c.ID)
		}
		seen[c.ID] = true
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read form cases: %w", err)
	}
	return cases, nil
}

// LoadFormCases reads a form cases file.
func LoadFormCases(path string) ([]FormCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open form cases: %w", err)
	}
	defer f.Close()
	cases, err := ReadFormCases(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cases, nil
}

// RunForms sends each case's turns through the desk (which must have a
// form filler configured) in a new conversation, reloads the conversation
// (so the draft goes through sealing and opening) and scores its draft. A
// case with its own clock runs with the desk's Now set to it.
func RunForms(ctx context.Context, d *desk.Desk, cases []FormCase) ([]FormResult, FormMetrics, error) {
	results := make([]FormResult, 0, len(cases))
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return results, ScoreForms(results), err
		}
		results = append(results, runFormCase(ctx, d, c))
	}
	return results, ScoreForms(results), nil
}

func runFormCase(ctx context.Context, d *desk.Desk, c FormCase) (res FormResult) {
	if !c.Now.IsZero() {
		defer func(old func() time.Time) { d.Now = old }(d.Now)
		d.Now = func() time.Time { return c.Now }
	}
	res = FormResult{ID: c.ID, Fields: len(c.Expect.Values)}
	id := ""
	var transcript []string
	defer func() {
		if res.Error != "" || !res.StateOK || len(res.Wrong) > 0 {
			res.Transcript = transcript
		}
	}()
	for i, t := range c.Turns {
		transcript = append(transcript, "问："+t)
		out, err := d.Send(ctx, desk.Incoming{ConversationID: id, Channel: "eval", Text: t}, nil)
		if err != nil {
			res.Error = fmt.Sprintf("turn %d: %v", i+1, err)
			return res
		}
		id = out.Conversation.ID
		if out.Answer != nil {
			transcript = append(transcript, "答："+out.Answer.Text)
		}
	}
	conv, err := d.Conversation(ctx, id)
	if err != nil {
		res.Error = fmt.Sprintf("reload: %v", err)
		return res
	}
	scoreDraft(&res, c.Expect, conv.Draft)
	return res
}

func scoreDraft(res *FormResult, want FormExpect, got *banban.FormDraft) {
	if got == nil {
		got = &banban.FormDraft{}
	}
	res.Doc, res.State = got.DocID, got.State
	res.StateOK = got.DocID == want.Doc && got.State == want.State
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range want.Values {
			if !yield(k) {
				return
			}
		}
	}) {
		v, ok := got.Values[name]
		if got.DocID == want.Doc && ok && v == want.Values[name] {
			res.Correct++
			continue
		}
		res.Wrong = append(res.Wrong, fmt.Sprintf("%s: got %q, want %q", name, v, want.Values[name]))
	}
}

func formMetricValue(m FormMetrics, name string) (float64, bool) {
	switch name {
	case "field_accuracy":
		return m.FieldAccuracy, true
	case "state_accuracy":
		return m.StateAccuracy, true
	}
	return 0, false
}

// WriteFormResults writes form results as JSON Lines.
func WriteFormResults(w io.Writer, results []FormResult) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("write form result %s: %w", r.ID, err)
		}
	}
	return nil
}

// ScoreForms computes the metrics of form results.
func ScoreForms(results []FormResult) FormMetrics {
	m := FormMetrics{Cases: len(results)}
	states := 0
	for _, r := range results {
		m.Fields += r.Fields
		m.CorrectFields += r.Correct
		states += b2i(r.StateOK)
	}
	m.FieldAccuracy = ratio(float64(m.CorrectFields), m.Fields)
	m.StateAccuracy = ratio(float64(states), m.Cases)
	return m
}

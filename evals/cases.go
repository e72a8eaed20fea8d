package evals

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/banban-gov/banban"
)

// Case is one evaluation case (FORMATS.md section 2).
type Case struct {
	ID       string   `json:"id"`
	History  []string `json:"history,omitempty"`
	Question string   `json:"question"`
	Expect   Expect   `json:"expect"`
}

// Expect is what a case expects of the answer to its question.
type Expect struct {
	Actions Actions    `json:"action"`
	Sources []string   `json:"sources,omitempty"`
	Facts   [][]string `json:"facts,omitempty"`
}

// Actions is one action or a list of acceptable actions.
type Actions []banban.Action

// UnmarshalJSON accepts "answer" or ["answer", "clarify"].
func (a *Actions) UnmarshalJSON(b []byte) error {
	var one banban.Action
	if err := json.Unmarshal(b, &one); err == nil {
		*a = Actions{one}
		return nil
	}
	var many []banban.Action
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("action must be a string or a list of strings")
	}
	*a = many
	return nil
}

// MarshalJSON writes a single action as a string.
func (a Actions) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]banban.Action(a))
}

// Allows reports whether act is acceptable.
func (a Actions) Allows(act banban.Action) bool {
	for _, x := range a {
		if x == act {
			return true
		}
	}
	return false
}

// LoadCases reads a cases file.
func LoadCases(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open cases: %w", err)
	}
	defer f.Close()
	cases, err := ReadCases(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cases, nil
}

// ReadCases parses JSON Lines cases, checking each against FORMATS.md.
func ReadCases(r io.Reader) ([]Case, error) {
	var cases []Case
	seen := make(map[string]bool)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var c Case
		if err := json.Unmarshal([]byte(text), &c); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("line %d: duplicate case id %q", line, c.ID)
		}
		seen[c.ID] = true
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	return cases, nil
}

func (c *Case) validate() error {
	switch {
	case c.ID == "":
		return fmt.Errorf("case without id")
	case strings.TrimSpace(c.Question) == "":
		return fmt.Errorf("case %s: empty question", c.ID)
	case len(c.Expect.Actions) == 0:
		return fmt.Errorf("case %s: expect.action missing", c.ID)
	}
	for _, a := range c.Expect.Actions {
		switch a {
		case banban.ActionAnswer, banban.ActionClarify, banban.ActionHandoff, banban.ActionDecline:
		default:
			return fmt.Errorf("case %s: unknown action %q", c.ID, a)
		}
	}
	for i, g := range c.Expect.Facts {
		if len(g) == 0 {
			return fmt.Errorf("case %s: fact group %d is empty", c.ID, i+1)
		}
	}
	return nil
}

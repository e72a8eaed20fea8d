package evals

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/banban-gov/banban"
)

// Result is one evaluated case (FORMATS.md section 3).
type Result struct {
	ID        string         `json:"id"`
	Action    banban.Action  `json:"action"`
	Answer    string         `json:"answer"`
	Sources   []ResultSource `json:"sources"`
	LatencyMS float64        `json:"latency_ms"`
	// Error is set when the answerer failed on this case (an extension).
	Error string `json:"error,omitempty"`
}

// ResultSource is one ranked source of a result.
type ResultSource struct {
	Doc     string  `json:"doc"`
	Section string  `json:"section,omitempty"`
	Score   float64 `json:"score"`
}

// WriteResults writes results as JSON Lines.
func WriteResults(w io.Writer, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		if r.Sources == nil {
			r.Sources = []ResultSource{}
		}
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("write result %s: %w", r.ID, err)
		}
	}
	return nil
}

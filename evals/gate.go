package evals

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Gate is a set of minimum metric values, written "strict_pass=0.85,hit@3=0.9".
// A run below any of them fails the regression gate.
type Gate map[string]float64

// ParseGate reads a gate on question-answering metrics (Metrics); the
// empty string is no gate.
func ParseGate(spec string) (Gate, error) {
	return parseGate(spec, func(name string) bool {
		_, ok := metricValue(Metrics{}, name)
		return ok
	})
}

// ParseFormGate reads a gate on form-filling metrics (FormMetrics), e.g.
// "field_accuracy=0.95,state_accuracy=0.9".
func ParseFormGate(spec string) (Gate, error) {
	return parseGate(spec, func(name string) bool {
		_, ok := formMetricValue(FormMetrics{}, name)
		return ok
	})
}

func parseGate(spec string, known func(string) bool) (Gate, error) {
	g := Gate{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("gate %q: want name=minimum", part)
		}
		if !known(name) {
			return nil, fmt.Errorf("gate %q: unknown metric %q", part, name)
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, fmt.Errorf("gate %q: %w", part, err)
		}
		g[name] = v
	}
	return g, nil
}

// Check returns one line per metric below its minimum.
func (g Gate) Check(m Metrics) []string {
	return g.check(func(name string) float64 {
		v, _ := metricValue(m, name)
		return v
	})
}

// CheckForms is Check for a form-filling run.
func (g Gate) CheckForms(m FormMetrics) []string {
	return g.check(func(name string) float64 {
		v, _ := formMetricValue(m, name)
		return v
	})
}

func (g Gate) check(value func(string) float64) []string {
	var fails []string
	for _, name := range slices.Sorted(maps.Keys(g)) {
		if v := value(name); v < g[name] {
			fails = append(fails, fmt.Sprintf("%s = %.3f < %.3f", name, v, g[name]))
		}
	}
	return fails
}

func metricValue(m Metrics, name string) (float64, bool) {
	switch name {
	case "action_accuracy":
		return m.ActionAccuracy, true
	case "hit@1":
		return m.Hit1, true
	case "hit@3":
		return m.Hit3, true
	case "mrr":
		return m.MRR, true
	case "fact_recall":
		return m.FactRecall, true
	case "strict_pass":
		return m.StrictPass, true
	}
	return 0, false
}

// Beats returns one line per headline metric (hit@1, hit@3, fact recall,
// strict pass) on which a run does not beat the baseline.
func Beats(m, baseline Metrics) []string {
	var fails []string
	for _, name := range []string{"hit@1", "hit@3", "fact_recall", "strict_pass"} {
		v, _ := metricValue(m, name)
		b, _ := metricValue(baseline, name)
		if v <= b {
			fails = append(fails, fmt.Sprintf("%s = %.3f does not beat the baseline's %.3f", name, v, b))
		}
	}
	return fails
}

// headline lists the metrics compared between runs.
var headline = []string{"action_accuracy", "hit@1", "hit@3", "mrr", "fact_recall", "strict_pass"}

// Match returns one line per headline metric that differs from want by more
// than tol: the same knowledge base and cases must score alike on every store.
func Match(m, want Metrics, tol float64) []string {
	var fails []string
	for _, name := range headline {
		v, _ := metricValue(m, name)
		w, _ := metricValue(want, name)
		if math.Abs(v-w) > tol {
			fails = append(fails, fmt.Sprintf("%s = %.3f differs from %.3f by more than %.2f", name, v, w, tol))
		}
	}
	return fails
}

// MatchForms is Match for form-filling runs: every store must fill the
// same fields.
func MatchForms(m, want FormMetrics, tol float64) []string {
	var fails []string
	for _, name := range []string{"field_accuracy", "state_accuracy"} {
		v, _ := formMetricValue(m, name)
		w, _ := formMetricValue(want, name)
		if math.Abs(v-w) > tol {
			fails = append(fails, fmt.Sprintf("%s = %.3f differs from %.3f by more than %.2f", name, v, w, tol))
		}
	}
	return fails
}

// WriteMetrics saves metrics (Metrics or FormMetrics) as JSON.
func WriteMetrics(path string, m any) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode metrics: %w", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write metrics: %w", err)
	}
	return nil
}

// ReadMetrics loads question-answering metrics saved by WriteMetrics.
func ReadMetrics(path string) (Metrics, error) {
	return readMetrics[Metrics](path)
}

// ReadFormMetrics loads form-filling metrics saved by WriteMetrics.
func ReadFormMetrics(path string) (FormMetrics, error) {
	return readMetrics[FormMetrics](path)
}

func readMetrics[M Metrics | FormMetrics](path string) (M, error) {
	var m M
	b, err := os.ReadFile(path)
	if err != nil {
		return m, fmt.Errorf("read metrics: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

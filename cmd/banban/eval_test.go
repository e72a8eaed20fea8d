package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/banban-gov/banban/evals"
)

// TestEvalForms runs `banban eval --forms` on a few conversations of
// evals/forms.jsonl plus one whose expected value is wrong, and checks the
// results file, the metrics and the gate.
func TestEvalForms(t *testing.T) {
	cases, err := evals.LoadFormCases("../../evals/forms.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	wrong := cases[0]
	wrong.ID = "wrong-name"
	wrong.Expect.Values = map[string]string{"name": "别人"}
	dir := t.TempDir()
	casesPath := filepath.Join(dir, "forms.jsonl")
	var lines []string
	for _, c := range append(cases[:3:3], wrong) {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	if err := os.WriteFile(casesPath, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, store := range stores {
		t.Run(store, func(t *testing.T) {
			cfg := testConfig(t, store)
			out, metrics := filepath.Join(dir, store+".jsonl"), filepath.Join(dir, store+".metrics.json")
			err := cmdEval(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), []string{
				"--kb", "../../knowledge/samplekb/kb", "--forms", casesPath, "--out", out,
				"--metrics-out", metrics, "--gate", "field_accuracy=0.99,state_accuracy=0.5",
			})
			if err == nil || !strings.Contains(err.Error(), "field_accuracy") || strings.Contains(err.Error(), "state_accuracy") {
				t.Fatalf("err = %v, want only the field accuracy gate to fail", err)
			}
			m, err := evals.ReadFormMetrics(metrics)
			if err != nil {
				t.Fatal(err)
			}
			wantFields := 1
			for _, c := range cases[:3] {
				wantFields += len(c.Expect.Values)
			}
			if m.Cases != 4 || m.Fields != wantFields || m.CorrectFields != wantFields-1 || m.StateAccuracy != 1 {
				t.Errorf("metrics = %+v, want 4 cases, %d/%d fields, all states right", m, wantFields-1, wantFields)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), `"id":"wrong-name"`) || !strings.Contains(string(b), `name: got \"`) {
				t.Errorf("results do not report the wrong field:\n%s", b)
			}
		})
	}
}

func TestEvalUsage(t *testing.T) {
	cfg := testConfig(t, "bolt")
	for _, args := range [][]string{
		{"--kb", "kb"},
		{"--kb", "kb", "--cases", "a.jsonl", "--forms", "b.jsonl"},
		{"--cases", "a.jsonl"},
	} {
		err := cmdEval(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), args)
		if err == nil || !strings.Contains(err.Error(), "用法") {
			t.Errorf("%v: err = %v, want the usage", args, err)
		}
	}
	err := cmdEval(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		[]string{"--kb", "kb", "--forms", "f.jsonl", "--gate", "hit@1=0.9"})
	if err == nil || !strings.Contains(err.Error(), "unknown metric") {
		t.Errorf("a QA metric gating forms: err = %v", err)
	}
}

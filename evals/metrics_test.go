package evals

import (
	"strings"
	"testing"

	"github.com/banban-gov/banban"
)

func TestReadCases(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
		want    int
	}{
		{"single action", `{"id":"a","question":"q","expect":{"action":"answer"}}`, "", 1},
		{"action list", `{"id":"a","question":"q","expect":{"action":["answer","clarify"]}}`, "", 1},
		{"blank lines", "\n{\"id\":\"a\",\"question\":\"q\",\"expect\":{\"action\":\"decline\"}}\n\n", "", 1},
		{"unknown action", `{"id":"a","question":"q","expect":{"action":"shout"}}`, "unknown action", 0},
		{"missing id", `{"question":"q","expect":{"action":"answer"}}`, "without id", 0},
		{"duplicate", `{"id":"a","question":"q","expect":{"action":"answer"}}` + "\n" + `{"id":"a","question":"q","expect":{"action":"answer"}}`, "duplicate", 0},
		{"bad json", `{"id":`, "line 1", 0},
		{"empty fact group", `{"id":"a","question":"q","expect":{"action":"answer","facts":[[]]}}`, "fact group", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCases(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != tt.want {
				t.Fatalf("got %d cases, err %v; want %d", len(got), err, tt.want)
			}
		})
	}
}

func TestCompute(t *testing.T) {
	cases := []Case{
		{ID: "1", Question: "q", Expect: Expect{Actions: Actions{banban.ActionAnswer}, Sources: []string{"d1"}, Facts: [][]string{{"不收费", "免费"}}}},
		{ID: "2", Question: "q", Expect: Expect{Actions: Actions{banban.ActionAnswer}, Sources: []string{"d2"}, Facts: [][]string{{"5个工作日"}, {"户口簿"}}}},
		{ID: "3", Question: "q", Expect: Expect{Actions: Actions{banban.ActionDecline}}},
		{ID: "4", Question: "q", Expect: Expect{Actions: Actions{banban.ActionAnswer, banban.ActionClarify}}},
	}
	results := []Result{
		{ID: "1", Action: "answer", Answer: "結婚登記免費。", Sources: []ResultSource{{Doc: "d1"}}, LatencyMS: 1},
		{ID: "2", Action: "answer", Answer: "5个工作日", Sources: []ResultSource{{Doc: "x"}, {Doc: "y"}, {Doc: "d2"}}, LatencyMS: 2},
		{ID: "3", Action: "answer", LatencyMS: 3},
		{ID: "4", Action: "clarify", LatencyMS: 4},
	}
	m := Compute(cases, results)
	checks := []struct {
		name      string
		got, want float64
	}{
		{"action accuracy", m.ActionAccuracy, 0.75},
		{"hit@1", m.Hit1, 0.5},
		{"hit@3", m.Hit3, 1},
		{"mrr", m.MRR, (1 + 1.0/3) / 2},
		{"fact recall", m.FactRecall, (1 + 0.5) / 2},
		{"strict pass", m.StrictPass, 0.5},
		{"p50", m.P50, 2},
		{"p95", m.P95, 4},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestGate(t *testing.T) {
	g, err := ParseGate("strict_pass=0.85, hit@3=0.9")
	if err != nil {
		t.Fatal(err)
	}
	if fails := g.Check(Metrics{StrictPass: 0.9, Hit3: 0.95}); len(fails) != 0 {
		t.Errorf("passing run failed the gate: %v", fails)
	}
	if fails := g.Check(Metrics{StrictPass: 0.8, Hit3: 0.95}); len(fails) != 1 {
		t.Errorf("failing run: got %v, want one failure", fails)
	}
	for _, bad := range []string{"strict_pass", "nope=1", "hit@1=x"} {
		if _, err := ParseGate(bad); err == nil {
			t.Errorf("ParseGate(%q) succeeded, want an error", bad)
		}
	}
}

func TestBeats(t *testing.T) {
	better := Metrics{Hit1: 0.9, Hit3: 0.95, FactRecall: 0.8, StrictPass: 0.85}
	worse := Metrics{Hit1: 0.5, Hit3: 0.7, FactRecall: 0.2, StrictPass: 0.2}
	if fails := Beats(better, worse); len(fails) != 0 {
		t.Errorf("Beats(better, worse) = %v, want none", fails)
	}
	if fails := Beats(worse, better); len(fails) != 4 {
		t.Errorf("Beats(worse, better) = %v, want four failures", fails)
	}
}

func TestMatchAndMetricsFile(t *testing.T) {
	m := Metrics{ActionAccuracy: 0.9, Hit1: 0.8, Hit3: 0.9, MRR: 0.85, FactRecall: 0.7, StrictPass: 0.75}
	path := t.TempDir() + "/m.json"
	if err := WriteMetrics(path, m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadMetrics(path)
	if err != nil || got != m {
		t.Fatalf("ReadMetrics = %+v, %v; want %+v", got, err, m)
	}
	near := m
	near.Hit1 += 0.015
	if fails := Match(near, m, 0.02); len(fails) != 0 {
		t.Errorf("Match within tolerance failed: %v", fails)
	}
	far := m
	far.StrictPass -= 0.05
	if fails := Match(far, m, 0.02); len(fails) != 1 {
		t.Errorf("Match = %v, want one failure", fails)
	}
}

package evals_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/banban-gov/banban/bot"
	"github.com/banban-gov/banban/bot/bottest"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/bot/forms"
	"github.com/banban-gov/banban/evals"
)

func TestMain(m *testing.M) {
	code := m.Run()
	bottest.Cleanup()
	os.Exit(code)
}

// TestFormsOverSampleKB runs evals/forms.jsonl through the real desk, bot
// and form filler over the sample knowledge base.
func TestFormsOverSampleKB(t *testing.T) {
	cases, err := evals.LoadFormCases("forms.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Fatalf("forms.jsonl has %d cases, want at least 30", len(cases))
	}
	f := bottest.Sample(t)
	d := desk.New(bottest.EmptyStore(t), f.Bot(bot.Config{}), f.Store,
		desk.Config{Forms: &forms.Filler{Docs: f.Store, Names: f.Store}})
	monday := time.Date(2026, 11, 23, 10, 0, 0, 0, forms.CST)
	d.Now = func() time.Time { return monday }
	results, m, err := evals.RunForms(context.Background(), d, cases)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Error != "" || !r.StateOK || len(r.Wrong) > 0 {
			t.Logf("%s: doc %s state %s (ok %v) %v %s", r.ID, r.Doc, r.State, r.StateOK, r.Wrong, r.Error)
		}
	}
	t.Logf("%d cases: field accuracy %.3f (%d/%d), state accuracy %.3f",
		m.Cases, m.FieldAccuracy, m.CorrectFields, m.Fields, m.StateAccuracy)
	if m.FieldAccuracy < 0.95 {
		t.Errorf("field accuracy = %.3f, want >= 0.95", m.FieldAccuracy)
	}
}

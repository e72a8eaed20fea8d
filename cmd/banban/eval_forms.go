package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/banban-gov/banban/evals"
)

// evalForms runs form-filling conversations (FORMATS-style form cases)
// through the desk, bot and form filler over a fresh store, and prints
// field and state accuracy.
func evalForms(ctx context.Context, cfg Config, logger *slog.Logger, o evalOpts) error {
	gate, err := evals.ParseFormGate(o.gate)
	if err != nil {
		return err
	}
	cases, err := evals.LoadFormCases(o.forms)
	if err != nil {
		return err
	}
	app, done, err := openEvalApp(ctx, cfg, logger, o)
	if err != nil {
		return err
	}
	defer done()
	results, m, err := evals.RunForms(ctx, app.Desk, cases)
	if err != nil {
		return err
	}
	if o.out != "" {
		if err := writeFile(o.out, func(w io.Writer) error { return evals.WriteFormResults(w, results) }); err != nil {
			return err
		}
	}
	for _, r := range results {
		if r.Error != "" || !r.StateOK || len(r.Wrong) > 0 {
			fmt.Fprintf(os.Stderr, "%s：%s %s %v %s\n", r.ID, r.Doc, r.State, r.Wrong, r.Error)
		}
	}
	fmt.Printf("== %s（表单）\ncases            %d\nfield_accuracy   %.3f (%d/%d)\nstate_accuracy   %.3f\n",
		o.name, m.Cases, m.FieldAccuracy, m.CorrectFields, m.Fields, m.StateAccuracy)
	if o.metricsOut != "" {
		if err := evals.WriteMetrics(o.metricsOut, m); err != nil {
			return err
		}
	}
	fails := gate.CheckForms(m)
	if o.match != "" {
		want, err := evals.ReadFormMetrics(o.match)
		if err != nil {
			return err
		}
		fails = append(fails, evals.MatchForms(m, want, matchTolerance)...)
	}
	return gateError(o.name, fails)
}

package forms

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/banban-gov/banban"
)

// reply collects what one message changed, to tell the citizen.
type reply struct {
	intro    []string
	recorded []string // field names
	updated  []string
	skipped  []string
	warnings []string // messages
	errors   []string
	notes    []string
	// again are fields to ask next: values refused, or named as wrong.
	again []string
	// ambiguous are fields a generic word could mean (地址: 户籍地址 or
	// 邮寄地址), to ask which.
	ambiguous []string
}

// apply checks each claimed value and stores the valid ones; a refused
// value clears the field (its old value was said to be wrong) and is asked
// for again.
func apply(d *banban.FormDraft, ex extraction, now time.Time, r *reply) {
	for _, c := range ex.claims {
		f, ok := field(d, c.field)
		if !ok {
			continue
		}
		v, err := Validate(f, c.raw, now)
		if err != nil {
			r.errors = append(r.errors, banban.ErrorMessage(err))
			delete(d.Values, f.Name)
			delete(d.Warnings, f.Name)
			r.again = append(r.again, f.Name)
			continue
		}
		old, had := d.Values[f.Name]
		d.Values[f.Name] = v.Text
		switch {
		case had && old != "" && old != v.Text:
			r.updated = append(r.updated, f.Name)
		case !had || old == "":
			r.recorded = append(r.recorded, f.Name)
		}
		delete(d.Warnings, f.Name)
		if v.Warning != "" {
			d.Warnings[f.Name] = v.Warning
			r.warnings = append(r.warnings, fmt.Sprintf(msgWarning, f.Label, v.Warning))
		}
	}
	r.ambiguous = ex.ambiguous
	for _, m := range ex.mentions {
		if !slices.Contains(r.again, m) && !claimed(ex, m) {
			r.again = append(r.again, m)
		}
	}
}

func claimed(ex extraction, name string) bool {
	for _, c := range ex.claims {
		if c.field == name {
			return true
		}
	}
	return false
}

// next records the reply's news and asks the next question, or shows the
// summary to confirm once every field has a value or was skipped.
func next(d *banban.FormDraft, r *reply, now time.Time) string {
	d.Updated = now
	parts := slices.Clone(r.intro)
	if len(r.recorded) > 0 {
		parts = append(parts, fmt.Sprintf(msgRecorded, labels(d, r.recorded)))
	}
	if len(r.updated) > 0 {
		parts = append(parts, fmt.Sprintf(msgUpdated, labels(d, r.updated)))
	}
	if len(r.skipped) > 0 {
		parts = append(parts, fmt.Sprintf(msgSkipped, labels(d, r.skipped)))
	}
	parts = append(parts, r.warnings...)
	parts = append(parts, r.errors...)
	parts = append(parts, r.notes...)
	if len(r.ambiguous) > 0 {
		parts = append(parts, fmt.Sprintf(msgAmbiguous, labelsJoined(d, r.ambiguous, "还是")))
	}
	ask := r.again
	if len(ask) > 3 {
		ask = ask[:3]
	}
	if len(ask) == 0 {
		ask = stillMissing(d)
	}
	if len(ask) == 0 {
		ask = group(d)
	}
	if len(ask) == 0 {
		d.State, d.Asking = banban.DraftConfirming, nil
		return strings.Join(append(parts, Summary(d)), "\n")
	}
	d.State, d.Asking = banban.DraftCollecting, ask
	return strings.Join(append(parts, question(d, ask, len(r.again) > 0)), "\n")
}

// stillMissing are the fields last asked for that are still missing, so
// that a partial answer is followed by the rest of the same question.
func stillMissing(d *banban.FormDraft) []string {
	var out []string
	for _, name := range d.Asking {
		if _, ok := d.Values[name]; !ok {
			out = append(out, name)
		}
	}
	return out
}

// group chooses the next fields to ask for: the first missing one, with
// the required plain fields right after it (at most three); options and
// optional fields are asked for alone.
func group(d *banban.FormDraft) []string {
	var out []string
	for _, f := range d.Fields {
		if _, ok := d.Values[f.Name]; ok {
			continue
		}
		alone := f.Type == banban.FieldEnum || !f.Required
		switch {
		case len(out) == 0:
			out = append(out, f.Name)
			if alone {
				return out
			}
		case alone || len(out) == 3:
			return out
		default:
			out = append(out, f.Name)
		}
	}
	return out
}

func question(d *banban.FormDraft, ask []string, again bool) string {
	if again {
		return fmt.Sprintf(msgAgain, labels(d, ask))
	}
	if len(ask) > 1 {
		return fmt.Sprintf(msgAskGroup, labels(d, ask))
	}
	f, _ := field(d, ask[0])
	switch {
	case f.Type == banban.FieldEnum:
		opts := make([]string, len(f.Options))
		for i, o := range f.Options {
			opts[i] = fmt.Sprintf("%d. %s", i+1, o)
		}
		return fmt.Sprintf(msgAskEnum, f.Label, strings.Join(opts, "；"))
	case !f.Required:
		return fmt.Sprintf(msgAskOptional, f.Label)
	case f.Type == banban.FieldDate:
		return fmt.Sprintf(msgAskOne, f.Label, msgDateHint)
	}
	return fmt.Sprintf(msgAskOne, f.Label, "")
}

// Summary is the draft's values for the citizen to check, masked (ID and
// phone numbers show only their ends), one numbered line a field.
func Summary(d *banban.FormDraft) string {
	lines := []string{fmt.Sprintf(msgSummaryHead, d.Title)}
	for i, f := range d.Fields {
		v := MaskValue(f, d.Values[f.Name])
		if v == "" {
			v = msgNotGiven
		}
		lines = append(lines, fmt.Sprintf(msgSummaryLine, i+1, f.Label, v))
	}
	return strings.Join(append(lines, msgSummaryFoot), "\n")
}

package forms

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/retrieval"
)

// NameMatcher finds the documents a message names (banban.Store.MatchNames),
// so that 我要办社保卡 applies for that item whatever was in focus.
type NameMatcher interface {
	MatchNames(ctx context.Context, query string, f banban.Filter) ([]banban.NameMatch, error)
}

// Filler runs the application-form dialogue: it starts a draft when a
// citizen wants to apply for an item with a form, then collects, corrects
// and confirms its values.
type Filler struct {
	// Docs reads items and bundles with their forms.
	Docs Documents
	// Names, when set, finds the item a message names; without it only the
	// item in focus is applied for.
	Names NameMatcher
	// Filter restricts name matches, as the bot's searches are restricted.
	Filter banban.Filter
	// Proposer, when set, asks a chat model for values the rules do not
	// find in an answer; its proposals are checked like the citizen's words.
	Proposer *Proposer
}

// Step is what one citizen message did to the form.
type Step struct {
	// Handled is false when the message is not for the form (no draft and
	// no wish to apply, a question, a request for staff): the bot answers it
	// and the draft stays as it was.
	Handled bool
	// Draft is the updated draft (a copy; the conversation's is untouched);
	// nil leaves the conversation's draft as it was.
	Draft *banban.FormDraft
	// Reply is the question, summary or confirmation for the citizen.
	Reply string
	// Cite names the item or bundle applied for (none when no draft was
	// started).
	Cite banban.Citation
	// Options are quick replies: the items the citizen may apply for.
	Options []string
}

// Active reports whether d is being filled or confirmed and its values
// are readable (a draft sealed under another key is not).
func Active(d *banban.FormDraft) bool {
	return d != nil && d.Values != nil && (d.State == banban.DraftCollecting || d.State == banban.DraftConfirming)
}

// Handle takes a citizen's message within conv, read at time now. A wish to
// apply starts a draft for the item it names or, failing that, the item in
// focus, when that item (or bundle) has a form; an active draft takes every
// message that is not a question for the bot.
func (fl *Filler) Handle(ctx context.Context, conv *banban.Conversation, text string, now time.Time) (Step, error) {
	active := Active(conv.Draft)
	if wantsToApply(text) {
		named, err := fl.named(ctx, text)
		if err != nil {
			return Step{}, err
		}
		switch {
		case named != "" && !(active && named == conv.Draft.DocID):
			return fl.start(ctx, conv, named, text, now)
		case !active && len(conv.Focus.DocIDs) > 0:
			st, err := fl.start(ctx, conv, conv.Focus.DocIDs[0], text, now)
			if err != nil || st.Handled {
				return st, err
			}
			return fl.noForm(ctx, conv.Focus.DocIDs[0])
		case !active:
			return fl.which(ctx, conv, text, now)
		}
	}
	if !active {
		return Step{}, nil
	}
	d := clone(conv.Draft)
	reply, ok := fill(d, text, now, func(d *banban.FormDraft) []claim {
		return fl.Proposer.propose(ctx, d, text, now)
	})
	if !ok {
		return Step{}, nil
	}
	return fl.step(ctx, d, reply)
}

// which answers a wish to apply with nothing in focus: the one offered
// item with a form when a clarification is pending, else a question for
// the item (the options that have forms, as quick replies).
func (fl *Filler) which(ctx context.Context, conv *banban.Conversation, text string, now time.Time) (Step, error) {
	var withForm []string
	var titles []string
	for _, id := range conv.Focus.Options {
		d, err := New(ctx, fl.Docs, id, now)
		if err != nil && banban.ErrorCode(err) != banban.ENOTFOUND {
			return Step{}, err
		}
		if d != nil {
			withForm, titles = append(withForm, id), append(titles, d.Title)
		}
	}
	if len(withForm) == 1 {
		return fl.start(ctx, conv, withForm[0], text, now)
	}
	if len(withForm) == 0 {
		return Step{Handled: true, Reply: msgWhichItem}, nil
	}
	return Step{Handled: true, Reply: fmt.Sprintf(msgWhichOption, numbered(titles)), Options: titles}, nil
}

// noForm tells the citizen that the item in focus cannot be filled in
// online, citing it (its guide says how to apply).
func (fl *Filler) noForm(ctx context.Context, docID string) (Step, error) {
	doc, err := fl.Docs.Document(ctx, docID)
	switch {
	case banban.ErrorCode(err) == banban.ENOTFOUND:
		return Step{Handled: true, Reply: msgWhichItem}, nil
	case err != nil:
		return Step{}, fmt.Errorf("load %s: %w", docID, err)
	}
	cite := banban.Citation{DocID: doc.ID, Title: doc.Title, URL: doc.URL, Updated: doc.Updated, Score: 1}
	return Step{Handled: true, Reply: fmt.Sprintf(msgNoForm, doc.Title), Cite: cite}, nil
}

func numbered(items []string) string {
	var b strings.Builder
	for i, it := range items {
		fmt.Fprintf(&b, "\n%d. %s", i+1, it)
	}
	return b.String()
}

// named returns the first document the message names, if any.
func (fl *Filler) named(ctx context.Context, text string) (string, error) {
	if fl.Names == nil {
		return "", nil
	}
	ms, err := fl.Names.MatchNames(ctx, retrieval.NormalizeName(text), fl.Filter)
	if err != nil || len(ms) == 0 {
		return "", err
	}
	return ms[0].DocID, nil
}

// start opens a draft of docID's form, takes the values earlier citizen
// messages and this one already give, and asks for the rest. A document
// without a form is left to the bot.
func (fl *Filler) start(ctx context.Context, conv *banban.Conversation, docID, text string, now time.Time) (Step, error) {
	d, err := New(ctx, fl.Docs, docID, now)
	if banban.ErrorCode(err) == banban.ENOTFOUND || err == nil && d == nil {
		return Step{}, nil
	}
	if err != nil {
		return Step{}, err
	}
	for _, m := range conv.Messages {
		if m.Role == banban.RoleCitizen {
			var quiet reply
			apply(d, extract(d.Fields, filledSet(d), nil, m.Text, now, readStrict), now, &quiet)
		}
	}
	var r reply
	if len(d.Values) > 0 {
		r.intro = append(r.intro, fmt.Sprintf(msgPrefilled, labels(d, slices.Sorted(maps.Keys(d.Values)))))
	}
	apply(d, extract(d.Fields, filledSet(d), nil, text, now, readStrict), now, &r)
	r.intro = append([]string{fmt.Sprintf(msgStart, d.Title)}, r.intro...)
	return fl.step(ctx, d, next(d, &r, now))
}

func (fl *Filler) step(ctx context.Context, d *banban.FormDraft, text string) (Step, error) {
	cite := banban.Citation{DocID: d.DocID, Title: d.Title, Score: 1}
	doc, err := fl.Docs.Document(ctx, d.DocID)
	switch {
	case err == nil:
		cite.Title, cite.URL, cite.Updated = doc.Title, doc.URL, doc.Updated
	case banban.ErrorCode(err) != banban.ENOTFOUND:
		return Step{}, fmt.Errorf("load %s: %w", d.DocID, err)
	}
	return Step{Handled: true, Draft: d, Reply: text, Cite: cite}, nil
}

// Fill applies one citizen message to an active draft at time now and
// returns the reply: the next question, the masked summary to confirm, the
// confirmation or the cancellation. It reports false, leaving d unchanged,
// for a message that is not for the form (a question, a request for staff).
func Fill(d *banban.FormDraft, text string, now time.Time) (string, bool) {
	return fill(d, text, now, nil)
}

// fill is Fill with a second opinion: when the rules find no valid value
// in an answer, propose (a chat model, checked) may.
func fill(d *banban.FormDraft, text string, now time.Time, propose func(*banban.FormDraft) []claim) (string, bool) {
	cmd := command(text)
	switch {
	case isCancel(cmd):
		d.State, d.Asking, d.Updated = banban.DraftCancelled, nil, now
		d.Values, d.Warnings = map[string]string{}, map[string]string{}
		return msgCancelled, true
	case d.State == banban.DraftConfirming && isConfirm(cmd):
		d.State, d.Asking, d.Updated, d.ConfirmedAt = banban.DraftConfirmed, nil, now, now
		return fmt.Sprintf(msgConfirmed, d.Title), true
	case len(d.Asking) > 0 && (isSkip(cmd) || (isLooseSkip(cmd) || isConfirm(cmd)) && allOptional(d, d.Asking)):
		return skip(d, now), true // 确认 when only optional fields are left: nothing more to add
	case onlyApplyWish(cmd), d.State == banban.DraftCollecting && isConfirm(cmd):
		return next(d, &reply{}, now), true // nothing to record: ask again
	}
	question := isQuestion(text) || wantsHuman(text)
	mode := readAnswer
	if question {
		mode = readFree
	}
	ex := extract(d.Fields, filledSet(d), d.Asking, text, now, mode)
	if question && len(ex.claims) == 0 {
		return "", false
	}
	if !question && len(ex.mentions) == 0 && len(ex.ambiguous) == 0 && !anyValid(d, ex, now) {
		if c, ok := offQuestion(d, text, now); ok {
			ex.claims = []claim{c}
		} else if propose != nil {
			if cs := propose(d); len(cs) > 0 {
				ex.claims = cs
			}
		}
	}
	var r reply
	apply(d, ex, now, &r)
	if len(ex.claims) == 0 && len(ex.mentions) == 0 && len(ex.ambiguous) == 0 {
		switch {
		case d.State == banban.DraftConfirming && isDeny(cmd):
			d.Updated = now
			return msgWhichFix, true
		case !wantsToApply(text):
			r.intro = append(r.intro, msgUnclear)
		}
	}
	return next(d, &r, now), true
}

// anyValid reports whether any value the message gives passes its check.
func anyValid(d *banban.FormDraft, ex extraction, now time.Time) bool {
	for _, c := range ex.claims {
		if f, ok := field(d, c.field); ok {
			if _, err := Validate(f, c.raw, now); err == nil {
				return true
			}
		}
	}
	return false
}

// offQuestion finds the one open field, other than those asked, that the
// whole message answers by its form (an option, an address, an ID number,
// a phone number, a credit code or a date), for answers given out of turn
// (按季度 while the phone number was asked). Free text, plain numbers and
// option numbers are never taken out of turn.
func offQuestion(d *banban.FormDraft, text string, now time.Time) (claim, bool) {
	s := trimFillers(strings.TrimSpace(fold(text)))
	var found []claim
	for _, f := range d.Fields {
		if _, done := d.Values[f.Name]; done || slices.Contains(d.Asking, f.Name) {
			continue
		}
		switch {
		case f.Type == banban.FieldText || f.Type == banban.FieldNumber:
			continue
		case f.Type == banban.FieldEnum && ordinalRe.MatchString(normOption(s)):
			continue
		case f.Type == banban.FieldAddress && !clearAddress(s):
			continue
		}
		if _, err := Validate(f, s, now); err == nil {
			found = append(found, claim{field: f.Name, raw: s})
		}
	}
	if len(found) != 1 {
		return claim{}, false
	}
	return found[0], true
}

// allOptional reports whether none of the named fields is required.
func allOptional(d *banban.FormDraft, names []string) bool {
	for _, name := range names {
		if f, ok := field(d, name); !ok || f.Required {
			return false
		}
	}
	return true
}

// clearAddress reports text that is an address beyond doubt, to be taken
// out of turn: two kinds of address marker and a number (示例市新区幸福路88号),
// not just one (走路要拄拐).
func clearAddress(s string) bool {
	marks := map[rune]bool{}
	digit := false
	for _, r := range s {
		if strings.ContainsRune(addressMarks, r) {
			marks[r] = true
		}
		digit = digit || r >= '0' && r <= '9'
	}
	return len(marks) >= 2 && digit
}

// skip marks the optional fields asked for as left empty.
func skip(d *banban.FormDraft, now time.Time) string {
	var r reply
	for _, name := range d.Asking {
		f, _ := field(d, name)
		if f.Required {
			r.notes = append(r.notes, fmt.Sprintf(msgNoSkip, f.Label))
			continue
		}
		d.Values[name] = ""
		delete(d.Warnings, name)
		r.skipped = append(r.skipped, name)
	}
	return next(d, &r, now)
}

// filledSet marks the fields with a value or skipped.
func filledSet(d *banban.FormDraft) map[string]bool {
	m := make(map[string]bool, len(d.Values))
	for k := range d.Values {
		m[k] = true
	}
	return m
}

func clone(d *banban.FormDraft) *banban.FormDraft {
	c := *d
	c.Fields = slices.Clone(d.Fields)
	c.Asking = slices.Clone(d.Asking)
	c.Values = maps.Clone(d.Values)
	c.Warnings = maps.Clone(d.Warnings)
	if c.Warnings == nil {
		c.Warnings = map[string]string{}
	}
	return &c
}

// labels joins the labels of the named fields with 、.
func labels(d *banban.FormDraft, names []string) string { return labelsJoined(d, names, "、") }

func labelsJoined(d *banban.FormDraft, names []string, sep string) string {
	var ls []string
	for _, f := range d.Fields {
		if slices.Contains(names, f.Name) {
			ls = append(ls, f.Label)
		}
	}
	return strings.Join(ls, sep)
}

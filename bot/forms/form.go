package forms

import (
	"context"
	"fmt"
	"time"

	"github.com/banban-gov/banban"
)

// Documents reads knowledge-base documents.
type Documents interface {
	Document(ctx context.Context, id string) (banban.Document, error)
}

// Fields returns the application form of an item, or for a bundle the
// union of its items' forms in the order of its items, each field name
// once (the first item's field wins). Items the knowledge base lacks are
// skipped. A document without a form gives no fields and no error.
func Fields(ctx context.Context, docs Documents, doc banban.Document) ([]banban.FormField, error) {
	if doc.Kind != banban.KindBundle {
		return doc.Form, nil
	}
	seen := map[string]bool{}
	var out []banban.FormField
	for _, id := range doc.Items {
		item, err := docs.Document(ctx, id)
		if banban.ErrorCode(err) == banban.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load bundle item %s: %w", id, err)
		}
		for _, f := range item.Form {
			if !seen[f.Name] {
				seen[f.Name] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// New returns an empty draft of the document's form, or nil when it has
// no form.
func New(ctx context.Context, docs Documents, docID string, now time.Time) (*banban.FormDraft, error) {
	doc, err := docs.Document(ctx, docID)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", docID, err)
	}
	fields, err := Fields(ctx, docs, doc)
	if err != nil || len(fields) == 0 {
		return nil, err
	}
	return &banban.FormDraft{DocID: doc.ID, Title: doc.Title, Fields: fields, State: banban.DraftCollecting,
		Values: map[string]string{}, Warnings: map[string]string{}, Created: now, Updated: now}, nil
}

// field returns the draft's field by name.
func field(d *banban.FormDraft, name string) (banban.FormField, bool) {
	for _, f := range d.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return banban.FormField{}, false
}

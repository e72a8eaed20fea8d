package forms

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/banban-gov/banban"
)

// Export is a draft as staff systems read it: FORMATS-style names, each
// field with its value and the warning of a soft check.
type Export struct {
	Doc         string        `json:"doc"`
	Title       string        `json:"title"`
	State       string        `json:"state"`
	Created     time.Time     `json:"created"`
	Updated     time.Time     `json:"updated"`
	ConfirmedAt time.Time     `json:"confirmed_at,omitzero"`
	Fields      []ExportField `json:"fields"`
}

// ExportField is one field of an exported draft; Value is empty for a
// field not given or skipped.
type ExportField struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
	Value    string `json:"value"`
	Warning  string `json:"warning"`
}

// Exported returns d's export. Values are as d holds them: pass
// Masked(d) for a page that should not show them in full.
func Exported(d *banban.FormDraft) Export {
	e := Export{Doc: d.DocID, Title: d.Title, State: d.State, Created: d.Created, Updated: d.Updated,
		ConfirmedAt: d.ConfirmedAt, Fields: make([]ExportField, 0, len(d.Fields))}
	for _, f := range d.Fields {
		e.Fields = append(e.Fields, ExportField{Name: f.Name, Label: f.Label, Type: f.Type, Required: f.Required,
			Value: d.Values[f.Name], Warning: d.Warnings[f.Name]})
	}
	return e
}

// JSON encodes d's export, indented.
func JSON(d *banban.FormDraft) ([]byte, error) {
	b, err := json.MarshalIndent(Exported(d), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode draft: %w", err)
	}
	return b, nil
}

//go:embed templates/draft.html
var templateFS embed.FS

var pageTmpl = template.Must(template.New("draft.html").Funcs(template.FuncMap{
	"stateLabel": func(s string) string { return stateLabels[s] },
	"day":        func(t time.Time) string { return t.In(CST).Format("2006年1月2日 15:04") },
}).ParseFS(templateFS, "templates/draft.html"))

// HTML writes d as a printable page (A4, Chinese) for the citizen to keep
// or staff to print.
func HTML(w io.Writer, d *banban.FormDraft) error {
	if err := pageTmpl.Execute(w, Exported(d)); err != nil {
		return fmt.Errorf("render draft: %w", err)
	}
	return nil
}

package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/banban-gov/banban"
)

//go:embed templates/doc.html
var templateFiles embed.FS

// docTemplates render document pages; html/template escapes everything the
// knowledge base holds, so an editor's text cannot become markup.
var docTemplates = template.Must(template.ParseFS(templateFiles, "templates/doc.html"))

// The CSP of the document pages: like the chat page, they open inside the
// widget's iframe on other sites.
const cspFramable = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors *"

type docPage struct {
	Title, Kind, Department, Updated, URL string
	Sections                              []docSection
}

type docSection struct {
	Heading    string
	Paragraphs []string
}

var kindLabels = map[banban.Kind]string{
	banban.KindItem:   "办事指南",
	banban.KindBundle: "一件事",
	banban.KindPolicy: "政策文件",
	banban.KindFAQ:    "常见问题",
}

// document renders a knowledge-base document (GET /docs/{id}), the page
// an answer's sources link to; section headings are the anchors.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	var doc banban.Document
	var err error = banban.Errorf(banban.ENOTFOUND, "未找到该办事指南")
	if s.docs != nil {
		doc, err = s.docs.Document(r.Context(), r.PathValue("id"))
	}
	if err != nil {
		noteError(r, err)
		s.renderPage(w, r, statusFor(err), "missing", nil)
		return
	}
	s.renderPage(w, r, http.StatusOK, "doc", pageOf(doc))
}

func pageOf(doc banban.Document) docPage {
	p := docPage{Title: doc.Title, Kind: kindLabels[doc.Kind], Department: doc.Department, URL: doc.URL}
	if !doc.Updated.IsZero() {
		p.Updated = doc.Updated.Format(time.DateOnly)
	}
	for _, sec := range doc.Sections {
		ds := docSection{Heading: strings.TrimSpace(sec.Heading)}
		for line := range strings.SplitSeq(sec.Text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				ds.Paragraphs = append(ds.Paragraphs, line)
			}
		}
		if ds.Heading != "" || len(ds.Paragraphs) > 0 {
			p.Sections = append(p.Sections, ds)
		}
	}
	return p
}

// renderPage renders into a buffer first, so a template failure is a clean
// 500 rather than half a page.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := docTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", cspFramable)
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

package knowledge

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// ParseFile reads one knowledge-base file from fsys, and the sidecar
// NAME.meta.yaml of a non-Markdown file, into a Document as FORMATS.md
// section 1 describes it. A Markdown item, bundle or FAQ is split into
// sections at its "## " headings; a policy keeps every heading as a section.
// Plain text, HTML, Word and PDF files are policies whose text is extracted.
// Source is set to path and Hash to the SHA-256 of the file and its sidecar.
//
// Errors are *banban.Error with code EINVALID, or ETOOLARGE for a file over
// maxSize (DefaultMaxFileSize when maxSize <= 0), whose message names the file
// and the problem in Chinese.
func ParseFile(fsys fs.FS, path string, maxSize int64) (banban.Document, error) {
	src, err := readSource(fsys, path, maxSize)
	if err != nil {
		return banban.Document{}, err
	}
	return parseSource(src)
}

func parseSource(src *source) (banban.Document, error) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(src.data, []byte("\ufeff")))) == 0 {
		return banban.Document{}, invalidf(src.path, "文件为空")
	}
	var (
		doc banban.Document
		err error
	)
	if src.format == formatMarkdown {
		doc, err = parseMarkdown(src)
	} else {
		doc, err = parseExtracted(src)
	}
	if err != nil {
		return banban.Document{}, err
	}
	if doc.Title == "" {
		doc.Title = defaultTitle(doc.Sections)
	}
	doc.Source, doc.Hash = src.path, src.hash
	return doc, nil
}

func parseMarkdown(src *source) (banban.Document, error) {
	text, err := decodeText(src.path, src.data)
	if err != nil {
		return banban.Document{}, err
	}
	fm, body, _, err := splitFrontMatter(src.path, text)
	if err != nil {
		return banban.Document{}, err
	}
	m, err := decodeMeta(src.path, "front matter", fm)
	if err != nil {
		return banban.Document{}, err
	}
	doc, err := m.toDocument(src.path, defaultID(src.path), "")
	if err != nil {
		return banban.Document{}, err
	}
	doc.Sections = markdownSections(body, doc.Kind == banban.KindPolicy)
	return doc, checkBody(src.path, &doc)
}

// checkBody refuses bodies that cannot be answered from: a policy without
// text, a FAQ without questions.
func checkBody(p string, doc *banban.Document) error {
	switch doc.Kind {
	case banban.KindPolicy:
		for _, s := range doc.Sections {
			if s.Text != "" {
				return nil
			}
		}
		return invalidf(p, "policy 没有正文")
	case banban.KindFAQ:
		for _, s := range doc.Sections {
			if s.Heading != "" {
				return nil
			}
		}
		return invalidf(p, "faq 中没有问题：每个问题应写成一行以“## ”开头的标题，答案写在它下面")
	}
	return nil
}

// parseExtracted reads a plain text, HTML, Word or PDF policy.
func parseExtracted(src *source) (banban.Document, error) {
	var m meta
	if src.sidecar != nil {
		text, err := decodeText(src.sidecarPath, src.sidecar)
		if err != nil {
			return banban.Document{}, err
		}
		if m, err = decodeMeta(src.path, path.Base(src.sidecarPath), text); err != nil {
			return banban.Document{}, err
		}
	}
	doc, err := m.toDocument(src.path, defaultID(src.path), banban.KindPolicy)
	if err != nil {
		return banban.Document{}, err
	}
	switch src.format {
	case formatText:
		var text string
		text, err = decodeText(src.path, src.data)
		doc.Sections = textSections(text)
	case formatHTML:
		doc.Sections, err = extractHTML(src.path, src.data)
	case formatDOCX:
		doc.Sections, err = extractDOCX(src.path, src.data)
	case formatPDF:
		doc.Sections, err = extractPDF(src.path, src.data)
	}
	if err != nil {
		return banban.Document{}, err
	}
	if !hasText(doc.Sections) {
		return banban.Document{}, invalidf(src.path, "没有可提取的文字")
	}
	return doc, nil
}

// textSections holds plain text as one untitled section.
func textSections(text string) []banban.Section {
	if text = strings.TrimSpace(text); text == "" {
		return nil
	}
	return []banban.Section{{Text: text}}
}

func hasText(sections []banban.Section) bool {
	for _, s := range sections {
		if s.Text != "" || s.Heading != "" {
			return true
		}
	}
	return false
}

// defaultID is the path relative to the import root without its extension.
func defaultID(p string) string {
	return strings.TrimSuffix(p, path.Ext(p))
}

// maxTitleRunes caps a title taken from the first line of a text.
const maxTitleRunes = 60

// defaultTitle is the first heading, or else the first line of text.
func defaultTitle(sections []banban.Section) string {
	for _, s := range sections {
		if s.Heading != "" {
			return s.Heading
		}
	}
	for _, s := range sections {
		for _, line := range strings.Split(s.Text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				return truncateRunes(line, maxTitleRunes)
			}
		}
	}
	return ""
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

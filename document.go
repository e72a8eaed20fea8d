package banban

import (
	"strings"
	"time"
)

// Kind is the kind of a knowledge-base document, as FORMATS.md section 1 names it.
type Kind string

// The document kinds of FORMATS.md section 1.
const (
	KindItem   Kind = "item"   // 办事指南 item guide
	KindBundle Kind = "bundle" // 一件事 bundle of items
	KindPolicy Kind = "policy" // 政策文件
	KindFAQ    Kind = "faq"    // question and answer pairs
)

// Valid reports whether k is one of the four kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindItem, KindBundle, KindPolicy, KindFAQ:
		return true
	}
	return false
}

// Standard item-guide section names (FORMATS.md section 1).
const (
	SecConditions = "受理条件"
	SecMaterials  = "申请材料"
	SecProcess    = "办理流程"
	SecTimeLimit  = "办理时限"
	SecFees       = "收费标准"
	SecPlace      = "办理地点"
	SecHours      = "办理时间"
	SecPhone      = "咨询电话"
	SecBasis      = "设定依据"
)

// StandardSections lists the standard item sections in their customary order.
var StandardSections = []string{
	SecConditions, SecMaterials, SecProcess, SecTimeLimit, SecFees,
	SecPlace, SecHours, SecPhone, SecBasis,
}

// FormField is one field of an item's application form.
type FormField struct {
	Name     string   `json:"name" yaml:"name"`
	Label    string   `json:"label" yaml:"label"`
	Type     string   `json:"type" yaml:"type"`
	Required bool     `json:"required,omitempty" yaml:"required"`
	Options  []string `json:"options,omitempty" yaml:"options"`
}

// Section is one headed part of a document body. Heading is empty for text
// that comes before the first heading.
type Section struct {
	Heading string `json:"heading"`
	Text    string `json:"text"`
}

// Document is one knowledge-base file after parsing: its metadata and its
// body split into sections. Dates are zero when not given.
type Document struct {
	ID         string      `json:"id"`
	Kind       Kind        `json:"kind"`
	Title      string      `json:"title"`
	Aliases    []string    `json:"aliases,omitempty"`
	Code       string      `json:"code,omitempty"`
	Department string      `json:"department,omitempty"`
	Region     string      `json:"region,omitempty"`
	Updated    time.Time   `json:"updated,omitzero"`
	Effective  time.Time   `json:"effective,omitzero"`
	Expires    time.Time   `json:"expires,omitzero"`
	URL        string      `json:"url,omitempty"`
	Items      []string    `json:"items,omitempty"`
	Form       []FormField `json:"form,omitempty"`
	Sections   []Section   `json:"sections"`
	// Source is the file the document was read from, relative to the import root.
	Source string `json:"source,omitempty"`
	// Hash is the content hash of the source file (and its sidecar), used to skip
	// re-importing an unchanged file.
	Hash string `json:"hash,omitempty"`
}

// ValidAt reports whether the document may be used to answer at time t:
// not before its effective date and not after its expiry date (both inclusive
// whole days).
func (d *Document) ValidAt(t time.Time) bool {
	return validAt(d.Effective, d.Expires, t)
}

// Section returns the section with the given heading.
func (d *Document) Section(heading string) (Section, bool) {
	for _, s := range d.Sections {
		if s.Heading == heading {
			return s, true
		}
	}
	return Section{}, false
}

// Names returns the title followed by the aliases, without empty entries.
func (d *Document) Names() []string {
	names := make([]string, 0, 1+len(d.Aliases))
	if t := strings.TrimSpace(d.Title); t != "" {
		names = append(names, t)
	}
	for _, a := range d.Aliases {
		if a = strings.TrimSpace(a); a != "" {
			names = append(names, a)
		}
	}
	return names
}

// validAt is shared by documents and chunks. Dates are whole days: a document
// that expires on 2026-12-31 is still valid during that day.
func validAt(effective, expires, t time.Time) bool {
	if !effective.IsZero() && t.Before(effective) {
		return false
	}
	if !expires.IsZero() && !t.Before(expires.AddDate(0, 0, 1)) {
		return false
	}
	return true
}

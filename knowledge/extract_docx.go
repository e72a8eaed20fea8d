package knowledge

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/banban-gov/banban"
)

// maxDOCXPart caps how much of one decompressed part of a .docx is read, so a
// small zip cannot expand into gigabytes.
const maxDOCXPart = 64 << 20

// extractDOCX reads the paragraphs of a Word document. Paragraphs in a
// heading style (Heading 1-9, Title, or a style with an outline level)
// become section headings; the others become lines.
func extractDOCX(p string, data []byte) ([]banban.Section, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalidWrap(p, err, "无法读取 Word 文件：不是有效的 .docx 文件（旧的 .doc 格式请先另存为 .docx）")
	}
	var styles map[string]bool
	if f := zipFile(zr, "word/styles.xml"); f != nil {
		// Without styles, headings fall back to the style id alone.
		styles, _ = readDOCXStyles(f)
	}
	f := zipFile(zr, "word/document.xml")
	if f == nil {
		return nil, invalidf(p, "无法读取 Word 文件：缺少 word/document.xml，文件可能已损坏")
	}
	sections, err := readDOCXBody(f, styles)
	if err != nil {
		return nil, invalidWrap(p, err, "无法读取 Word 文件：正文已损坏")
	}
	return sections, nil
}

func zipFile(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// docxStyle is what readDOCXStyles needs of a w:style element.
type docxStyle struct {
	ID      string `xml:"styleId,attr"`
	Name    val    `xml:"name"`
	BasedOn val    `xml:"basedOn"`
	PPr     struct {
		OutlineLvl *val `xml:"outlineLvl"`
	} `xml:"pPr"`
}

type val struct {
	Val string `xml:"val,attr"`
}

// readDOCXStyles maps each paragraph style id to whether it is a heading
// style, following basedOn chains.
func readDOCXStyles(f *zip.File) (map[string]bool, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var doc struct {
		Styles []docxStyle `xml:"style"`
	}
	if err := xml.NewDecoder(io.LimitReader(rc, maxDOCXPart)).Decode(&doc); err != nil {
		return nil, err
	}
	byID := map[string]docxStyle{}
	for _, s := range doc.Styles {
		byID[s.ID] = s
	}
	headings := map[string]bool{}
	for id := range byID {
		s := byID[id]
		for depth := 0; depth < 10; depth++ {
			if styleIsHeading(s) {
				headings[id] = true
				break
			}
			next, ok := byID[s.BasedOn.Val]
			if !ok {
				break
			}
			s = next
		}
	}
	return headings, nil
}

var headingStyleName = regexp.MustCompile(`(?i)^(heading\s*[1-9]|title)$`)

func styleIsHeading(s docxStyle) bool {
	if headingStyleName.MatchString(s.Name.Val) {
		return true
	}
	return s.PPr.OutlineLvl != nil && outlineHeading(s.PPr.OutlineLvl.Val)
}

// outlineHeading reports whether a w:outlineLvl value marks a heading: 0-8
// are levels 1-9, 9 is body text.
func outlineHeading(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 0 && n < 9
}

// docxPara is the paragraph being read.
type docxPara struct {
	text    strings.Builder
	heading bool
}

// readDOCXBody streams word/document.xml into sections.
func readDOCXBody(f *zip.File, styles map[string]bool) ([]banban.Section, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, maxDOCXPart))
	var (
		b     sectionBuilder
		paras []*docxPara // paragraphs nest in text boxes
		inT   bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			paras, inT = docxStart(t, paras, styles, d)
		case xml.EndElement:
			inT = false
			if t.Name.Local == "p" && len(paras) > 0 {
				para := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				docxEmit(&b, para)
			}
		case xml.CharData:
			if inT && len(paras) > 0 {
				paras[len(paras)-1].text.Write(t)
			}
		}
	}
	return b.finish(), nil
}

// docxStart handles an opening tag and reports whether text follows.
func docxStart(t xml.StartElement, paras []*docxPara, styles map[string]bool, d *xml.Decoder) ([]*docxPara, bool) {
	if t.Name.Local == "p" {
		return append(paras, &docxPara{}), false
	}
	if len(paras) == 0 {
		return paras, false
	}
	para := paras[len(paras)-1]
	switch t.Name.Local {
	case "t":
		return paras, true
	case "tab":
		para.text.WriteByte('\t')
	case "br", "cr":
		para.text.WriteByte('\n')
	case "pStyle":
		id := attr(t, "val")
		para.heading = para.heading || styles[id] || (styles == nil && headingStyleName.MatchString(id))
	case "outlineLvl":
		para.heading = para.heading || outlineHeading(attr(t, "val"))
	case "delText", "instrText", "tabs":
		// Deleted text and field codes are not document text; w:tabs holds
		// tab stop definitions, not tab characters.
		_ = d.Skip()
	}
	return paras, false
}

func docxEmit(b *sectionBuilder, para *docxPara) {
	text := strings.TrimSpace(para.text.String())
	if para.heading {
		b.heading(strings.Join(strings.Fields(text), " "))
		return
	}
	b.write(text)
	b.endLine()
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

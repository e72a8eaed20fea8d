package knowledge

import (
	"archive/zip"
	"bytes"
	"flag"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite generated fixtures in testdata")

// docxStyles declares heading styles the way Chinese Word does (style id "1"
// named "heading 1"), the way English Word does ("Heading2"), a custom style
// based on a heading, and a body style.
const docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="ChapterTitle"><w:name w:val="章标题"/><w:basedOn w:val="Heading2"/></w:style>
</w:styles>`

// para returns a w:p element with the given style id ("" for none) and text;
// a tab in text becomes w:tab and the text is split into two runs.
func para(style, text string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	if style != "" {
		b.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>`)
	}
	for i, part := range strings.Split(text, "\t") {
		if i > 0 {
			b.WriteString("<w:r><w:tab/></w:r>")
		}
		r := []rune(part)
		half := len(r) / 2
		b.WriteString("<w:r><w:t>" + html.EscapeString(string(r[:half])) + "</w:t></w:r>")
		b.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + html.EscapeString(string(r[half:])) + "</w:t></w:r>")
	}
	b.WriteString("</w:p>")
	return b.String()
}

// makeDOCX builds a minimal .docx from body XML; styles may be "" to leave
// out word/styles.xml.
func makeDOCX(t testing.TB, styles string, body ...string) []byte {
	t.Helper()
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			strings.Join(body, "\n") + `<w:sectPr/></w:body></w:document>`},
	}
	parts := []string{files[0].name + "\x00" + files[0].data, files[1].name + "\x00" + files[1].data}
	if styles != "" {
		parts = append(parts, "word/styles.xml\x00"+styles)
	}
	return zipParts(t, parts)
}

// workPermitDOCX is the Word policy of testdata/kb.
func workPermitDOCX(t testing.TB) []byte {
	t.Helper()
	return makeDOCX(t, docxStyles,
		para("1", "示例市灵活就业登记办法"),
		para("", "本办法自发布之日起施行。"),
		para("ChapterTitle", "第一章 登记条件"),
		para("", "第一条 在本市从事灵活就业的人员，可以办理就业登记。"),
		`<w:p><w:r><w:t>第二条 登记不收费。</w:t></w:r><w:del><w:r><w:delText>已删除的文字</w:delText></w:r></w:del>`+
			`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>`,
		para("Heading2", "第二章 办理方式"),
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>线上</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>政务服务网</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
		para("", "窗口\t各区政务服务中心"),
		`<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>附则</w:t></w:r></w:p>`,
		para("", "本办法由示例市人力资源和社会保障局负责解释。"),
	)
}

// TestDOCXFixture keeps testdata/kb/policies/work-permit.docx in step with
// its generator; run with -update to rewrite it.
func TestDOCXFixture(t *testing.T) {
	path := filepath.Join("testdata", "kb", "policies", "work-permit.docx")
	want := workPermitDOCX(t)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date; run go test -run TestDOCXFixture -update", path)
	}
}

// zipParts writes a zip from "name\x00data" strings.
func zipParts(t testing.TB, parts []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		name, data, _ := strings.Cut(p, "\x00")
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

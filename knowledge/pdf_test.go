package knowledge

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/banban-gov/banban"
)

// makePDF writes a PDF with one page per content stream and these fonts:
// /F1 the standard Helvetica (WinAnsiEncoding, no ToUnicode); /F2 a Type 0
// font whose ToUnicode CMap maps two-byte codes 0001-0003 to 示例市 and 0004
// to the Kangxi radical ⽰; /F3 a Type 0 font in the predefined GBK-EUC-H
// CMap; /F4 a Type 0 font with glyph-number codes and no ToUnicode.
func makePDF(t testing.TB, pages ...string) []byte {
	t.Helper()
	cmap := "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" +
		"3 beginbfchar\n<0001> <793A>\n<0002> <4F8B>\n<0004> <2F70>\nendbfchar\n" +
		"1 beginbfrange\n<0003> <0003> [<5E02>]\nendbfrange\n" +
		"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
	n := len(pages)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"", // pages, filled in below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /ToUnicode 5 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(cmap), cmap),
		"<< /Type /Font /Subtype /Type0 /BaseFont /STSong /Encoding /GBK-EUC-H >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /Glyphs /Encoding /Identity-H >>",
	}
	kids := ""
	for i, content := range pages {
		page, stream := 8+2*i, 9+2*i
		kids += fmt.Sprintf("%d 0 R ", page)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 6 0 R /F4 7 0 R >> >> /Contents %d 0 R >>", stream),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestExtractPDF(t *testing.T) {
	tests := []struct {
		name  string
		pages []string
		want  string
	}{
		{
			name:  "simple font: Td, TJ, TL and T* start lines",
			pages: []string{"BT /F1 12 Tf 72 700 Td (Hello world) Tj 0 -14 Td [(Sec) -20 (ond)] TJ 14 TL T* (Third) Tj ET"},
			want:  "Hello world\nSecond\nThird",
		},
		{
			name:  "text on one baseline stays one line across text objects",
			pages: []string{"BT /F1 12 Tf 72 700 Td (Left) Tj ET BT /F1 12 Tf 1 0 0 1 200 700 Tm (right) Tj ET"},
			want:  "Leftright",
		},
		{
			name:  "the current transformation matrix places text objects",
			pages: []string{"q 1 0 0 1 0 700 cm BT /F1 12 Tf (One) Tj ET Q q 1 0 0 1 0 680 cm BT /F1 12 Tf (Two) Tj ET Q"},
			want:  "One\nTwo",
		},
		{
			name:  "ToUnicode CMap with bfchar and bfrange, Kangxi radicals unified",
			pages: []string{"BT /F2 12 Tf 1 0 0 1 72 600 Tm <0001000200030004> Tj ET"},
			want:  "示例市示",
		},
		{
			name:  "ActualText replaces the glyphs it spans",
			pages: []string{"BT /F2 12 Tf 72 600 Td /Span << /ActualText <FEFF5E02> >> BDC <0004> Tj EMC <0001> Tj ET"},
			want:  "市示",
		},
		{
			name: "lines wrapped at the margin are joined; page numbers dropped",
			pages: []string{
				"BT /F1 12 Tf 72 700 Td (The applicant must submit the) Tj 0 -14 Td (form in person.) Tj ET " +
					"BT /F1 12 Tf 72 650 Td (Processing takes five working) Tj ET BT /F1 12 Tf 300 40 Td (- 1 -) Tj ET",
				"BT /F1 12 Tf 300 760 Td (2) Tj ET BT /F1 12 Tf 72 700 Td (days.) Tj ET",
			},
			want: "The applicant must submit the form in person.\nProcessing takes five working days.",
		},
		{
			name:  "predefined GBK CMap without ToUnicode",
			pages: []string{"BT /F3 12 Tf 72 700 Td <CABEC0FDCAD0> Tj ET"},
			want:  "示例市",
		},
		{
			name:  "glyph numbers without ToUnicode are dropped, not shown as garbage",
			pages: []string{"BT /F4 12 Tf 72 700 Td <00410042> Tj ET BT /F1 12 Tf 72 680 Td (Readable) Tj ET"},
			want:  "Readable",
		},
		{
			name:  "an inline image is skipped",
			pages: []string{"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q BT /F1 12 Tf 72 700 Td (After) Tj ET"},
			want:  "After",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secs, err := extractPDF("t.pdf", makePDF(t, tt.pages...))
			if err != nil {
				t.Fatalf("extractPDF: %v", err)
			}
			if len(secs) != 1 || secs[0].Heading != "" || secs[0].Text != tt.want {
				t.Errorf("extractPDF = %q, want one section %q", secs, tt.want)
			}
		})
	}
}

func TestExtractPDFWithoutText(t *testing.T) {
	_, err := extractPDF("scan.pdf", makePDF(t, "q 0 0 1 rg 0 0 100 100 re f Q"))
	if banban.ErrorCode(err) != banban.EINVALID || banban.ErrorMessage(err) != "scan.pdf: PDF 中没有可提取的文字（扫描件需要先做文字识别）" {
		t.Errorf("extractPDF(no text) = %v", err)
	}
}

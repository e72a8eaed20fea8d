package knowledge

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/samplekb"
)

func TestFiles(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{
			name: "every supported type, sorted",
			fsys: fstest.MapFS{
				"z.pdf": {}, "a.md": {}, "b/c.docx": {}, "b/d.html": {}, "b/e.htm": {}, "f.txt": {},
				"g.markdown": {}, "UPPER.MD": {},
			},
			want: []string{"UPPER.MD", "a.md", "b/c.docx", "b/d.html", "b/e.htm", "f.txt", "g.markdown", "z.pdf"},
		},
		{
			name: "sidecars, hidden files and directories, the root README and other types are skipped",
			fsys: fstest.MapFS{
				"README.md": {}, "sub/README.md": {}, "a.txt": {}, "a.txt.meta.yaml": {}, "b.pdf": {},
				"b.meta.yaml": {}, ".draft.md": {}, ".git/config.md": {}, "x/.hidden/y.md": {},
				"image.png": {}, "old.doc": {},
			},
			want: []string{"a.txt", "b.pdf", "sub/README.md"},
		},
		{
			name: "empty directory",
			fsys: fstest.MapFS{"dir": {Mode: 0o755 | 1<<31}},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Files(tt.fsys)
			if err != nil {
				t.Fatalf("Files: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Files = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFilesMissingDir(t *testing.T) {
	if _, err := Files(os.DirFS("testdata/no-such-dir")); err == nil {
		t.Error("Files on a missing directory returned no error")
	}
}

// benchmarkKBs are the public benchmark knowledge bases of
// /work/shared/benchmarks and how many files each holds.
var benchmarkKBs = []struct {
	name  string
	files int
}{
	{"gd-items", 2262}, {"bj-faq", 2080}, {"ncp-policy", 599},
}

// benchmarkDir finds the shared benchmarks next to the repository.
func benchmarkDir(t *testing.T) string {
	t.Helper()
	for _, dir := range []string{"../../shared/benchmarks", "../../../shared/benchmarks"} {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
	}
	t.Skip("shared benchmarks not found")
	return ""
}

// TestBenchmarkKBs parses and segments every file of the benchmark
// knowledge bases and checks the chunks keep all the text.
func TestBenchmarkKBs(t *testing.T) {
	dir := benchmarkDir(t)
	for _, kb := range benchmarkKBs {
		t.Run(kb.name, func(t *testing.T) {
			fsys := os.DirFS(filepath.Join(dir, kb.name, "kb"))
			files, err := Files(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) < kb.files {
				t.Errorf("found %d files, want at least %d", len(files), kb.files)
			}
			for _, p := range files {
				doc, err := ParseFile(fsys, p, 0)
				if err != nil {
					t.Errorf("ParseFile(%s): %v", p, err)
					continue
				}
				checkChunks(t, doc, Segment(doc, SegmentOptions{}), DefaultMaxRunes)
			}
		})
	}
}

// checkChunks checks the invariants of any segmentation: ids and ordinals in
// sequence, metadata copied, no empty chunk, no chunk over 4*maxRunes plus
// carried titles, and every character of the body kept in order.
func checkChunks(t *testing.T, doc banban.Document, chunks []banban.Chunk, maxRunes int) {
	t.Helper()
	var body, joined string
	for _, s := range doc.Sections {
		body += s.Text
	}
	for i, c := range chunks {
		if c.ID != banban.ChunkID(doc.ID, i) || c.Ordinal != i || c.DocID != doc.ID || c.Kind != doc.Kind ||
			c.Title != doc.Title || c.Region != doc.Region || c.Department != doc.Department {
			t.Errorf("%s: chunk %d header = %+v", doc.Source, i, c)
		}
		if c.Text == "" || c.Text != strings.TrimSpace(c.Text) {
			t.Errorf("%s: chunk %d text %q is empty or untrimmed", doc.Source, i, c.Text)
		}
		if n := utf8.RuneCountInString(c.Text); n > 4*maxRunes+100 {
			t.Errorf("%s: chunk %d has %d characters", doc.Source, i, n)
		}
		joined += c.Text
	}
	if noSpace(joined) != noSpace(body) {
		t.Errorf("%s: chunks do not keep the body text:\n got %.200s\nwant %.200s", doc.Source, noSpace(joined), noSpace(body))
	}
}

// TestSampleKB parses and segments the sample knowledge base shipped with
// Banban.
func TestSampleKB(t *testing.T) {
	fsys := samplekb.FS()
	files, err := Files(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("the sample knowledge base is empty")
	}
	for _, p := range files {
		doc, err := ParseFile(fsys, p, 0)
		if err != nil {
			t.Errorf("ParseFile(%s): %v", p, err)
			continue
		}
		checkChunks(t, doc, Segment(doc, SegmentOptions{}), DefaultMaxRunes)
	}
}

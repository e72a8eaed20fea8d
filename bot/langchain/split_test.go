package langchain

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

func TestSplitTextSizes(t *testing.T) {
	b, err := os.ReadFile("testdata/guide.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	tests := []struct {
		name          string
		size, overlap int
		minChunks     int
	}{
		{"small chunks", 40, 0, 6},
		{"small with overlap", 40, 10, 6},
		{"medium", 120, 20, 3},
		{"whole text", 2000, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks, err := SplitText(text, tt.size, tt.overlap)
			if err != nil {
				t.Fatalf("SplitText(_, %d, %d): %v", tt.size, tt.overlap, err)
			}
			if len(chunks) < tt.minChunks {
				t.Errorf("got %d chunks, want at least %d", len(chunks), tt.minChunks)
			}
			for i, c := range chunks {
				if n := utf8.RuneCountInString(c); n > tt.size || n == 0 {
					t.Errorf("chunk %d has %d runes, want 1..%d: %q", i, n, tt.size, c)
				}
			}
			// Every clause of the text survives in some chunk.
			joined := strings.Join(chunks, "")
			for _, clause := range []string{"在本市连续居住满六个月", "近期一寸免冠彩色照片一张", "十五个工作日内办结", "020-12345"} {
				if !strings.Contains(joined, clause) {
					t.Errorf("no chunk holds %q", clause)
				}
			}
		})
	}
}

func TestSplitTextOverlap(t *testing.T) {
	text := strings.Repeat("申请人本人到居住地派出所办理，", 20)
	chunks, err := SplitText(text, 50, 20)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(chunks); i++ {
		prev := []rune(chunks[i-1])
		tail := string(prev[len(prev)-5:])
		if !strings.Contains(chunks[i], tail) {
			t.Errorf("chunk %d %q does not repeat the end %q of the one before", i, chunks[i], tail)
		}
	}
}

func TestSplitTextInvalid(t *testing.T) {
	tests := []struct {
		name          string
		size, overlap int
	}{
		{"zero size", 0, 0},
		{"negative overlap", 100, -1},
		{"overlap as large as size", 100, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SplitText("社保卡", tt.size, tt.overlap)
			if got := banban.ErrorCode(err); got != banban.EINVALID {
				t.Errorf("SplitText(_, %d, %d) error = %v, want code %q", tt.size, tt.overlap, err, banban.EINVALID)
			}
		})
	}
}

func TestSplitTextEmpty(t *testing.T) {
	chunks, err := SplitText("", 100, 10)
	if err != nil || len(chunks) != 0 {
		t.Errorf("SplitText(\"\") = %q, %v; want no chunks", chunks, err)
	}
}

package retrieval

import (
	"testing"

	"github.com/banban-gov/banban"
)

func chunk(doc string, n int) banban.Chunk {
	return banban.Chunk{ID: banban.ChunkID(doc, n), DocID: doc, Ordinal: n}
}

func TestFuse(t *testing.T) {
	tests := []struct {
		name  string
		lists rankLists
		want  []string // chunk ids, best first
	}{
		{
			name: "agreement beats a single first place",
			lists: rankLists{
				vector:  []banban.Hit{{Chunk: chunk("a", 0)}, {Chunk: chunk("b", 0)}},
				keyword: []banban.Hit{{Chunk: chunk("c", 0)}, {Chunk: chunk("b", 0)}},
			},
			want: []string{"b#0", "a#0", "c#0"},
		},
		{
			name: "a named document lifts all its chunks",
			lists: rankLists{
				vector:  []banban.Hit{{Chunk: chunk("a", 0)}, {Chunk: chunk("b", 1)}},
				keyword: []banban.Hit{{Chunk: chunk("a", 0)}, {Chunk: chunk("b", 1)}},
				names:   []banban.NameMatch{{DocID: "b", Name: "结婚登记"}},
			},
			want: []string{"b#1", "a#0"},
		},
		{
			name: "name-only chunks are candidates",
			lists: rankLists{
				vector: []banban.Hit{{Chunk: chunk("a", 0)}},
				names:  []banban.NameMatch{{DocID: "z", Name: "居住证"}},
				extra:  []banban.Chunk{chunk("z", 0)},
			},
			want: []string{"z#0", "a#0"},
		},
		{name: "empty", lists: rankLists{}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fuse(tt.lists, DefaultWeights)
			if len(got) != len(tt.want) {
				t.Fatalf("fuse returned %d hits, want %d", len(got), len(tt.want))
			}
			for i, h := range got {
				if h.Chunk.ID != tt.want[i] {
					t.Errorf("hit %d = %s, want %s", i, h.Chunk.ID, tt.want[i])
				}
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	w := map[string]float64{"结婚": 4, "材料": 1}
	tests := []struct {
		name  string
		terms []string
		want  float64
	}{
		{"all", []string{"结婚", "材料", "登记"}, 1},
		{"rare only", []string{"结婚"}, 0.8},
		{"common only", []string{"材料"}, 0.2},
		{"none", []string{"护照"}, 0},
	}
	for _, tt := range tests {
		if got := Coverage(w, tt.terms); got != tt.want {
			t.Errorf("%s: Coverage = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	tests := map[string]string{
		"結婚登記":        "结婚登记",
		"结婚 登记?":      "结婚登记",
		"出生登记（新生儿落户）": "出生登记新生儿落户",
	}
	for in, want := range tests {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

package jieba

import (
	"strings"
	"testing"
)

func TestEmbeddedDataFiles(t *testing.T) {
	words, err := parseUserDict(embeddedUserDict, "user.dict")
	if err != nil {
		t.Fatalf("parse user.dict: %v", err)
	}
	if got, want := len(words), 300; got < want {
		t.Errorf("user.dict holds %d terms, want at least %d", got, want)
	}
	groups, err := parseSynonyms(embeddedSynonyms, "synonyms.txt")
	if err != nil {
		t.Fatalf("parse synonyms.txt: %v", err)
	}
	if got, want := len(groups), 80; got < want {
		t.Errorf("synonyms.txt holds %d groups, want at least %d", got, want)
	}
	// A filler that is also a synonym would be kept as a term, silently
	// contradicting fillers.txt: the two files must agree.
	canon := canonicalMap(groups)
	dataLines(embeddedFillers, func(n int, f []string) error {
		for _, w := range f {
			if _, ok := canon[w]; ok {
				t.Errorf("fillers.txt line %d: %q is also in synonyms.txt", n, w)
			}
		}
		return nil
	})
}

func TestParseUserDict(t *testing.T) {
	tests := []struct {
		name string
		line string
		want dictWord
	}{
		{"term only", "居住证", dictWord{"居住证", defaultFreq, defaultTag}},
		{"term and frequency", "居住证 50", dictWord{"居住证", 50, defaultTag}},
		{"term and tag", "居住证 nz", dictWord{"居住证", defaultFreq, "nz"}},
		{"all three", "居住证 50 nz", dictWord{"居住证", 50, "nz"}},
		{"comment and traditional", "居住證 # 港澳台居民也可申领", dictWord{"居住证", defaultFreq, defaultTag}},
		{"latin lower-cased", "ETC卡", dictWord{"etc卡", defaultFreq, defaultTag}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseUserDict(tt.line, "test")
			if err != nil || len(got) != 1 || got[0] != tt.want {
				t.Errorf("parseUserDict(%q) = %v, %v; want [%v]", tt.line, got, err, tt.want)
			}
		})
	}
}

func TestParseSynonymsNormalises(t *testing.T) {
	groups, err := parseSynonyms("# 注释\n社會保障卡 社保卡 # 俗称\n\nAPP 应用程序\n", "test")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(groups))
	for i, g := range groups {
		got[i] = strings.Join(g, " ")
	}
	if want := "社会保障卡 社保卡|app 应用程序"; strings.Join(got, "|") != want {
		t.Errorf("parseSynonyms groups = %q, want %q", strings.Join(got, "|"), want)
	}
}

package postgres

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
)

func TestLexeme(t *testing.T) {
	long := strings.Repeat("长", 1000) // 3,000 bytes
	tests := []struct {
		name   string
		term   string
		hashed bool
	}{
		{"Plain", "身份证", false},
		{"Quotes", `it's a \ term`, false},
		{"Long", long, true},
		{"TierSeparator", "a" + tierSep + "1", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := lexeme(tc.term)
			if hashed := got != tc.term; hashed != tc.hashed {
				t.Errorf("lexeme(%.20q) = %.30q: hashed %v, want %v", tc.term, got, hashed, tc.hashed)
			}
			if len(got) > maxLexemeBytes-4 || strings.Contains(got, tierSep) {
				t.Errorf("lexeme(%.20q) = %.30q: too long for a tier lexeme, or holds the tier separator", tc.term, got)
			}
		})
	}
	if lexeme(long) == lexeme(long+"x") {
		t.Error("two long terms share a lexeme")
	}
}

func TestTermFreqs(t *testing.T) {
	lex, tf, length := termFreqs([]string{"b", "a", "", "b", "c", "b"})
	if got, want := fmt.Sprint(lex, tf, length), "[a b c] [1 3 1] 5"; got != want {
		t.Errorf("termFreqs: got %s, want %s", got, want)
	}
}

func TestPositionsKeepFrequency(t *testing.T) {
	for _, tf := range []int{1, 2, 255, 256, 257, 1000, maxPosition, maxPosition + 5} {
		pos := positions(tf)
		if len(pos) > maxPositions {
			t.Errorf("positions(%d): %d positions, PostgreSQL keeps %d", tf, len(pos), maxPositions)
		}
		for i := 1; i < len(pos); i++ {
			if pos[i].Position <= pos[i-1].Position {
				t.Errorf("positions(%d): not increasing at %d", tf, i)
			}
		}
		if got, want := int(pos[len(pos)-1].Position), min(tf, maxPosition); got != want {
			t.Errorf("last of positions(%d) = %d, want %d", tf, got, want)
		}
	}
}

func TestTierLexemes(t *testing.T) {
	// In a chunk of average length, a term once has saturation 0.455 (no
	// tier), twice 0.625 (tier 1), three times 0.714 (tier 2).
	c := chunkTerms{lex: []string{"一次", "两次", "三次"}, tf: []int{1, 2, 3}, length: 6}
	stats := map[string]float64{}
	tsv := c.tsvector(6, func(l string, s float64) { stats[l] = max(stats[l], s) })
	var words []string
	for _, l := range tsv.Lexemes {
		words = append(words, strings.ReplaceAll(l.Word, tierSep, "^"))
	}
	if want := []string{"一次", "三次", "三次^2", "两次", "两次^1"}; !slices.Equal(words, want) {
		t.Errorf("tsvector lexemes: got %q, want %q", words, want)
	}
	if !slices.IsSortedFunc(tsv.Lexemes, func(a, b pgtype.TSVectorLexeme) int { return strings.Compare(a.Word, b.Word) }) {
		t.Error("tsvector lexemes are not in byte order")
	}
	if s := stats["两次"+tierSep+"1"]; s < tierFloors[0] || s >= tierFloors[1] {
		t.Errorf("saturation recorded for tier 1: %v", s)
	}
	if s := stats["两次"]; s != 0 {
		t.Errorf("saturation recorded for a term's own lexeme at tier 1: %v, want 0 (tier 0 only)", s)
	}
}

func TestTierCeiling(t *testing.T) {
	tests := []struct {
		name                   string
		smax, tierAvg, avg     float64
		wantAtLeast, wantBelow float64
	}{
		{"SameAverage", 0.7, 100, 100, 0.7, 0.7000001},
		{"ShorterNow", 0.7, 100, 80, 0.7, 0.7000001},
		{"LongerNow", 0.7, 100, 200, 0.8, 0.9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tierCeiling(tc.smax, tc.tierAvg, tc.avg)
			if got < tc.wantAtLeast || got >= tc.wantBelow {
				t.Errorf("tierCeiling(%v, %v, %v) = %v, want in [%v, %v)", tc.smax, tc.tierAvg, tc.avg, got, tc.wantAtLeast, tc.wantBelow)
			}
			// The ceiling must hold for any chunk: brute-force check over
			// frequencies and lengths whose saturation was at most smax.
			for tf := 1; tf < 50; tf++ {
				for length := tf; length < 400; length += 7 {
					if saturation(tf, length, tc.tierAvg) <= tc.smax && saturation(tf, length, tc.avg) > got {
						t.Fatalf("tf %d, length %d: saturation %v now above the ceiling %v",
							tf, length, saturation(tf, length, tc.avg), got)
					}
				}
			}
		})
	}
}

func TestQuoteLexeme(t *testing.T) {
	if got, want := quoteLexeme(`it's \ x`), `'it''s \\ x'`; got != want {
		t.Errorf("quoteLexeme: got %s, want %s", got, want)
	}
}

func TestSubstrings(t *testing.T) {
	got := substrings("社保卡")
	want := []string{"社", "社保", "社保卡", "保", "保卡", "卡"}
	if !slices.Equal(got, want) {
		t.Errorf("substrings(社保卡) = %q, want %q", got, want)
	}
	if got := substrings("aa"); !slices.Equal(got, []string{"a", "aa"}) {
		t.Errorf("substrings(aa) = %q, want each once", got)
	}
}

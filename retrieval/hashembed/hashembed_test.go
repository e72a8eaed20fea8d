package hashembed

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/banban-gov/banban/retrieval/jieba"
)

var (
	tokOnce sync.Once
	tok     *jieba.Tokenizer
	tokErr  error
)

// newEmbedder returns an Embedder over the one jieba Tokenizer of the test
// binary: loading jieba takes about a second.
func newEmbedder(t testing.TB, dim int) *Embedder {
	t.Helper()
	tokOnce.Do(func() { tok, tokErr = jieba.New(jieba.Config{}) })
	if tokErr != nil {
		t.Fatalf("jieba.New: %v", tokErr)
	}
	return New(tok, dim)
}

func embedOne(t testing.TB, e *Embedder, text string) []float32 {
	t.Helper()
	vs, err := e.Embed(context.Background(), []string{text})
	if err != nil {
		t.Fatalf("Embed(%q): %v", text, err)
	}
	if len(vs) != 1 || len(vs[0]) != e.Dim() {
		t.Fatalf("Embed(%q) gave %d vectors, want 1 of length %d", text, len(vs), e.Dim())
	}
	return vs[0]
}

func cosine(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot
}

func norm(v []float32) float64 { return math.Sqrt(cosine(v, v)) }

func TestNameAndDim(t *testing.T) {
	tests := []struct {
		name     string
		dim      int
		wantDim  int
		wantName string
	}{
		{"default", 0, 256, "hashembed-v1-256"},
		{"negative", -3, 256, "hashembed-v1-256"},
		{"custom", 512, 512, "hashembed-v1-512"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEmbedder(t, tt.dim)
			if e.Dim() != tt.wantDim || e.Name() != tt.wantName {
				t.Errorf("New(_, %d): Dim() = %d, Name() = %q; want %d, %q",
					tt.dim, e.Dim(), e.Name(), tt.wantDim, tt.wantName)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	text := "灵活就业人员参加城乡居民基本养老保险，缴费档次自选，咨询电话12333。"
	a := embedOne(t, newEmbedder(t, 0), text)
	b := embedOne(t, newEmbedder(t, 0), text)
	if !slices.Equal(a, b) {
		t.Error("two Embedders gave different vectors for the same text")
	}
	vs, err := newEmbedder(t, 0).Embed(context.Background(), []string{"其他文本", text, text})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vs[1], a) || !slices.Equal(vs[2], a) {
		t.Error("a text's vector depends on the other texts of the batch")
	}
}

func TestUnitLength(t *testing.T) {
	e := newEmbedder(t, 0)
	for _, text := range []string{
		"社保卡", "结婚登记需要带什么材料", strings.Repeat("居住证办理。", 100), "ETC 2024",
	} {
		if got := norm(embedOne(t, e, text)); math.Abs(got-1) > 1e-5 {
			t.Errorf("|Embed(%.20q)| = %v, want 1", text, got)
		}
	}
}

func TestSimilarCloserThanUnrelated(t *testing.T) {
	e := newEmbedder(t, 0)
	tests := []struct {
		name, query, similar, unrelated string
	}{
		{"marriage materials", "结婚登记需要带什么材料",
			"办理结婚登记的当事人应当提交本人的户口簿、身份证等材料", "机动车驾驶证有效期满换证"},
		{"housing fund", "怎么提取住房公积金",
			"职工购买自住住房的，可以申请提取住房公积金账户内的存储余额", "新生儿办理出生医学证明"},
		{"restaurant licence", "开饭店要办食品经营许可证吗",
			"从事餐饮服务的，应当依法取得食品经营许可证", "退休人员领取基本养老金资格认证"},
		{"different cut", "港澳通行证签注", "往来港澳通行证及签注的申领", "城乡居民医疗保险缴费"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := embedOne(t, e, tt.query)
			sim, unrel := cosine(q, embedOne(t, e, tt.similar)), cosine(q, embedOne(t, e, tt.unrelated))
			if sim <= unrel {
				t.Errorf("cos(%q, similar) = %.3f, not above cos(_, unrelated) = %.3f", tt.query, sim, unrel)
			}
		})
	}
}

func TestTraditionalEqualsSimplified(t *testing.T) {
	e := newEmbedder(t, 0)
	tests := []struct{ traditional, simplified string }{
		{"社會保障卡遺失了怎麼補辦？", "社会保障卡遗失了怎么补办?"},
		{"開飯店要辦什麼證", "开饭店要办什么证"},
	}
	for _, tt := range tests {
		if !slices.Equal(embedOne(t, e, tt.traditional), embedOne(t, e, tt.simplified)) {
			t.Errorf("Embed(%q) differs from Embed(%q)", tt.traditional, tt.simplified)
		}
	}
}

func TestEmptyTextGivesZeroVector(t *testing.T) {
	e := newEmbedder(t, 0)
	for _, text := range []string{"", "   ", "？！。，", "的了吗"} {
		v := embedOne(t, e, text)
		for i, x := range v {
			if x != 0 || math.IsNaN(float64(x)) {
				t.Errorf("Embed(%q)[%d] = %v, want 0", text, i, x)
				break
			}
		}
	}
}

func TestEmbedCancelled(t *testing.T) {
	e := newEmbedder(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Embed(ctx, []string{"社保卡"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Embed with a cancelled context: got %v, want context.Canceled", err)
	}
	if vs, err := e.Embed(ctx, nil); err != nil || len(vs) != 0 {
		t.Errorf("Embed(nil) = %v, %v; want no vectors and no error", vs, err)
	}
}

func TestHashKnownAnswers(t *testing.T) {
	// FNV-1a 64 of "ab" is 089c4407b545986a; ours hashes the kind byte
	// first, so kind 'a' with key "b" must give the same value.
	if got, want := fnv1a('a', "b"), uint64(0x089c4407b545986a); got != want {
		t.Errorf("fnv1a('a', \"b\") = %#x, want %#x", got, want)
	}
	for tf := 1; tf <= len(lnTable); tf++ {
		if got, want := sublinear(tf), 1+math.Log(float64(tf)); math.Abs(got-want) > 1e-12 {
			t.Errorf("sublinear(%d) = %v, want %v", tf, got, want)
		}
	}
	if got, want := sublinear(1000), sublinear(len(lnTable)); got != want {
		t.Errorf("sublinear(1000) = %v, want the saturated %v", got, want)
	}
}

func BenchmarkEmbed(b *testing.B) {
	e := newEmbedder(b, 0)
	text := strings.Repeat("申请人持本人居民身份证、户口簿到户籍所在地派出所办理居住登记。"+
		"灵活就业人员可以按月缴纳基本养老保险费，办理时限为5个工作日，不收费。", 6)
	text = string([]rune(text)[:300])
	texts := []string{text}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := e.Embed(context.Background(), texts); err != nil {
			b.Fatal(err)
		}
	}
}

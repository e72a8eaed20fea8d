package bot_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/banban-gov/banban/bot"
)

// turnQuestions mix first questions, follow-ups and declines, as a day of
// citizens would.
var turnQuestions = [][]string{
	{"结婚登记需要带什么材料？", "那要收费吗？", "在哪办？"},
	{"开个小饭馆要办啥证?"},
	{"社保卡丢了怎么补办", "要多久？"},
	{"营业执照怎么办", "1"},
	{"結婚登記要帶什麼材料"},
	{"渔船登记怎么办理？"},
	{"育儿补贴一年能领多少钱？"},
	{"转人工"},
}

// BenchmarkTurn measures one bot turn without a language model on the
// embedded store holding the sample knowledge base, reporting p50 and p99.
func BenchmarkTurn(b *testing.B) {
	f := sample(b)
	bt := f.bot()
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; {
		conv := ""
		for _, q := range turnQuestions[i%len(turnQuestions)] {
			start := time.Now()
			rep, err := bt.Reply(ctx, bot.Request{ConversationID: conv, Text: q})
			lat = append(lat, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			conv = rep.ConversationID
			i++
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

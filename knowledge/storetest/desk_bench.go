package storetest

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

// turnsPerConversation is how many turns a benchmark conversation has
// before its writer starts another.
const turnsPerConversation = 20

// BenchmarkTurns measures chat turns on st from about writers goroutines at
// once, each turn one SaveConversation of a conversation that grows by a
// question and a cited answer, and reports saves/s.
func BenchmarkTurns(b *testing.B, st banban.DeskStore, writers int) {
	b.SetParallelism(max(1, writers/runtime.GOMAXPROCS(0)))
	answer := &banban.Answer{Action: banban.ActionAnswer, Text: strings.Repeat("办理居民身份证需携带户口簿。", 20),
		Citations: []banban.Citation{{DocID: "gd/id-card", Title: "居民身份证申领", Section: "办理材料", Score: 0.8}}}
	var next atomic.Int64
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		g := next.Add(1)
		var c banban.Conversation
		for n := 0; pb.Next(); n++ {
			if n%turnsPerConversation == 0 {
				c = banban.Conversation{ID: fmt.Sprintf("bench-%d-%d", g, n), Channel: "web", Created: time.Now()}
			}
			now := time.Now()
			c.Append(banban.Message{Role: banban.RoleCitizen, Text: "身份证怎么办？", At: now},
				banban.Message{Role: banban.RoleBot, Text: answer.Text, At: now, Answer: answer})
			c.Updated = now
			if err := st.SaveConversation(b.Context(), &c); err != nil {
				b.Errorf("SaveConversation: %v", err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "saves/s")
}

// BenchmarkQueue measures the staff's queue query, every waiting
// conversation of the desk (as bot/desk asks for it), on a store holding
// waiting conversations and others the bot handles.
func BenchmarkQueue(b *testing.B, st banban.DeskStore, waiting, others int) {
	seedQueue(b, st, waiting, others)
	q := banban.ConversationQuery{States: []banban.ConvState{banban.StateWaiting}, Limit: 10000}
	b.ResetTimer()
	for b.Loop() {
		convs, err := st.Conversations(b.Context(), q)
		if err != nil || len(convs) != waiting {
			b.Fatalf("Conversations: got %d, %v; want %d", len(convs), err, waiting)
		}
	}
}

// seedQueue saves the conversations of BenchmarkQueue from many goroutines.
func seedQueue(b *testing.B, st banban.DeskStore, waiting, others int) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < waiting+others; i = int(next.Add(1)) - 1 {
				c := textConv(fmt.Sprintf("web-%05d", i), "你好", deskAt(i))
				if i < waiting {
					c.State, c.Team = banban.StateWaiting, "tax"
					c.Handoff = &banban.Handoff{Ticket: fmt.Sprintf("T%05d", i), RequestedAt: deskAt(i), Team: "tax"}
				}
				if err := st.SaveConversation(b.Context(), &c); err != nil {
					b.Errorf("SaveConversation: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
}

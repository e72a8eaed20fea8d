package postgres

import (
	"fmt"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
)

func TestDesk(t *testing.T) {
	storetest.RunDeskTests(t, func(t *testing.T) banban.DeskStore { return openTest(t, Options{}) })
}

// BenchmarkSaveConversation measures web chat turns, each one save of a
// conversation that grows by two messages, from 8 or 200 writers at once.
func BenchmarkSaveConversation(b *testing.B) {
	for _, writers := range []int{8, 200} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			st := openTest(b, Options{MaxConns: 16})
			storetest.BenchmarkTurns(b, st, writers)
		})
	}
}

// BenchmarkQueue measures the staff's queue query: 300 waiting among 3,000
// conversations.
func BenchmarkQueue(b *testing.B) {
	st := openTest(b, Options{MaxConns: 16})
	storetest.BenchmarkQueue(b, st, 300, 2700)
}

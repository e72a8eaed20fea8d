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

// TestMessagesWrittenOnce saves a conversation turn by turn: each message
// is one row, the record holds none, and a bot answer's text is stored
// once.
func TestMessagesWrittenOnce(t *testing.T) {
	st := openTest(t, Options{})
	c := banban.Conversation{ID: "web-1", Channel: "web"}
	const answer = "请携带户口簿到户籍窗口办理。"
	for turn := 1; turn <= 3; turn++ {
		c.Append(banban.Message{Role: banban.RoleCitizen, Text: "身份证怎么办？"},
			banban.Message{Role: banban.RoleBot, Text: answer, Answer: &banban.Answer{Action: banban.ActionAnswer, Text: answer}})
		if err := st.SaveConversation(t.Context(), &c); err != nil {
			t.Fatalf("turn %d: SaveConversation: %v", turn, err)
		}
	}
	var rows, answers, inRecord int
	err := st.pool.QueryRow(t.Context(), `SELECT count(*), sum((length(doc::text) - length(replace(doc::text, $1, ''))) / length($1))
		FROM conversation_messages`, answer).Scan(&rows, &answers)
	if err == nil {
		err = st.pool.QueryRow(t.Context(), `SELECT strpos(doc::text, $1) FROM conversations`, answer).Scan(&inRecord)
	}
	if err != nil {
		t.Fatal(err)
	}
	if rows != 6 || answers != 3 || inRecord != 0 {
		t.Errorf("got %d message rows holding the answer %d times, and the record holding it at %d; want 6, 3, 0",
			rows, answers, inRecord)
	}
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

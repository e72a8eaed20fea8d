package bolt

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/storetest"
	bbolt "go.etcd.io/bbolt"
)

func TestDesk(t *testing.T) {
	storetest.RunDeskTests(t, func(t *testing.T) banban.DeskStore { return openTemp(t) })
}

// TestDeskBucketsAdded opens a store written before the desk existed: Open
// adds the desk buckets, keeps the format, and the desk works.
func TestDeskBucketsAdded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.db")
	openPath(t, path).Close()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range deskBuckets {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatalf("drop the desk buckets: %v", err)
	}
	st := openPath(t, path)
	defer st.Close()
	c := banban.Conversation{ID: "web-1", Channel: "web"}
	if err := st.SaveConversation(t.Context(), &c); err != nil {
		t.Fatalf("SaveConversation after adding the buckets: %v", err)
	}
	var format string
	st.db.View(func(tx *bbolt.Tx) error { format = string(tx.Bucket(bucketMeta).Get(keyFormat)); return nil })
	if format != formatVersion {
		t.Errorf("format after adding the desk buckets: got %q, want %q", format, formatVersion)
	}
}

// TestMessagesWrittenOnce saves a conversation turn by turn: the messages
// bucket holds each message once, and a bot answer's text once.
func TestMessagesWrittenOnce(t *testing.T) {
	st := openTemp(t)
	c := banban.Conversation{ID: "web-1", Channel: "web"}
	const answer = "请携带户口簿到户籍窗口办理。"
	for turn := 1; turn <= 3; turn++ {
		c.Append(banban.Message{Role: banban.RoleCitizen, Text: "身份证怎么办？"},
			banban.Message{Role: banban.RoleBot, Text: answer, Answer: &banban.Answer{Action: banban.ActionAnswer, Text: answer}})
		if err := st.SaveConversation(t.Context(), &c); err != nil {
			t.Fatalf("turn %d: SaveConversation: %v", turn, err)
		}
	}
	var keys, answers int
	st.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMessages).ForEach(func(_, v []byte) error {
			keys++
			answers += strings.Count(string(v), answer)
			return nil
		})
	})
	if keys != 6 || answers != 3 {
		t.Errorf("messages bucket: got %d messages holding the answer %d times, want 6 and 3", keys, answers)
	}
	var doc string
	st.db.View(func(tx *bbolt.Tx) error { doc = string(tx.Bucket(bucketConvs).Get([]byte(c.ID))); return nil })
	if strings.Contains(doc, answer) {
		t.Errorf("conversation record holds messages: %s", doc)
	}
}

// BenchmarkSaveConversation measures web chat turns, each one save of a
// conversation that grows by two messages, from 8 or 200 writers at once.
func BenchmarkSaveConversation(b *testing.B) {
	for _, writers := range []int{8, 200} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			st, err := Open(filepath.Join(b.TempDir(), "kb.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			storetest.BenchmarkTurns(b, st, writers)
		})
	}
}

// BenchmarkQueue measures the staff's queue query: 300 waiting among 3,000
// conversations.
func BenchmarkQueue(b *testing.B) {
	st, err := Open(filepath.Join(b.TempDir(), "kb.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	storetest.BenchmarkQueue(b, st, 300, 2700)
}

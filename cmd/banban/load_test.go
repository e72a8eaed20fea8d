package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	loadClients = flag.Int("load.clients", 200, "concurrent web chat conversations in BenchmarkChatLoad")
	loadRate    = flag.Float64("load.rate", 300, "turns per second all conversations send together (0: as fast as answered)")
)

// loadQuestions are what the simulated citizens ask, in turn, each client
// starting at a different place; every fifth turn starts a new conversation.
var loadQuestions = []string{
	"开个体户要准备哪些材料？", "那要收费吗？", "开饭店要办什么证？", "在哪里办？",
	"生了孩子要办哪些手续？", "社保卡丢了怎么补办？", "公积金租房提取需要什么条件？", "多久能到账？",
	"护照怎么办理？", "驾驶证到期了怎么换？", "你好", "退休要办哪些事？", "营业执照怎么办？",
	"异地就医怎么备案？", "居住证办理需要什么材料？", "结婚登记要带什么？",
}

// BenchmarkChatLoad drives POST /api/chat over loopback with -load.clients
// concurrent conversations (default 200) on each store, without an LLM,
// sending -load.rate turns per second between them (default 300: each
// conversation writes every 0.67 s, as people in a chat do), and reports the
// turns per second achieved and latency percentiles. A turn's latency counts
// from when it was due, not when it was sent, so a server that falls behind
// shows it (no coordinated omission). Run it with deploy/bench.sh; b.N is
// the total number of turns.
func BenchmarkChatLoad(b *testing.B) {
	for _, store := range stores {
		b.Run(store, func(b *testing.B) {
			cfg := testConfig(b, store)
			cfg.RateLimits = false
			srv := launch(b, cfg)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *loadClients}}
			warm(b, client, srv.URL)
			b.ResetTimer()
			lat, errs, took := drive(client, srv.URL, b.N, *loadClients, *loadRate)
			b.StopTimer()
			if errs > 0 {
				b.Errorf("%d of %d turns failed", errs, b.N)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(len(lat))/took.Seconds(), "turns/s")
			b.ReportMetric(ms(percentile(lat, 0.50)), "p50-ms")
			b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// warm sends each question once, so caches and connections are ready.
func warm(b *testing.B, client *http.Client, base string) {
	for _, q := range loadQuestions {
		if _, err := chatTurn(client, base, "", q); err != nil {
			b.Fatalf("warm-up %q: %v", q, err)
		}
	}
}

// drive runs total turns from n concurrent clients, rate turns per second
// in all (0: each client sends as soon as its last turn is answered), and
// returns each turn's latency, the number of failed turns and the wall time.
func drive(client *http.Client, base string, total, n int, rate float64) ([]time.Duration, int, time.Duration) {
	var next, failed atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, total)
	var wg sync.WaitGroup
	start := time.Now()
	var every time.Duration
	if rate > 0 {
		every = time.Duration(float64(n) / rate * float64(time.Second))
	}
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conv := ""
			due := start.Add(every * time.Duration(c) / time.Duration(n)) // spread the clients' phases
			for turn := 0; next.Add(1) <= int64(total); turn++ {
				if turn%5 == 0 {
					conv = ""
				}
				if every > 0 {
					time.Sleep(time.Until(due))
				} else {
					due = time.Now()
				}
				id, err := chatTurn(client, base, conv, loadQuestions[(c+turn)%len(loadQuestions)])
				d := time.Since(due)
				due = due.Add(every)
				if err != nil {
					failed.Add(1)
					continue
				}
				conv = id
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return lat, int(failed.Load()), time.Since(start)
}

// chatTurn posts one message and returns the conversation id.
func chatTurn(client *http.Client, base, conv, text string) (string, error) {
	body, _ := json.Marshal(map[string]string{"conversation_id": conv, "text": text})
	resp, err := client.Post(base+"/api/chat", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		ConversationID string `json:"conversation_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %d: %v", resp.StatusCode, err)
	}
	return out.ConversationID, nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserTimeout bounds every browser step. It is generous because the
// machine is small and shared: one step may wait on the bot, the store and
// Chromium at once.
const browserTimeout = 60 * time.Second

// chromiumPath finds Chromium: $BANBAN_CHROMIUM, `chromium` on the PATH, or
// Debian's /usr/bin/chromium. Without it the browser tests skip, except on
// CI where they must run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("BANBAN_CHROMIUM")}
	if p, err := exec.LookPath("chromium"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/chromium")
	for _, p := range candidates {
		if info, err := os.Stat(p); p != "" && err == nil && !info.IsDir() {
			return p
		}
	}
	const how = "install it with `apt-get install chromium`, or set BANBAN_CHROMIUM to its path"
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is missing, and CI must run the browser tests: " + how)
	}
	t.Skip("Chromium is missing; " + how)
	return ""
}

// browser is one headless Chromium with its own profile (so its own cookies
// and localStorage) showing one tab.
type browser struct {
	t    *testing.T
	name string
	ctx  context.Context
}

// newBrowser starts Chromium for the test and closes it at the end. The
// flags keep it off the network: this machine has none, and CI needs none.
func newBrowser(t *testing.T, name string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{t: t, name: name, ctx: ctx}
	// The first action starts Chromium and ties it to ctx, so it cannot run
	// under a timeout context; bound it from the outside instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("%s: start Chromium: %v", name, err)
		}
	case <-time.After(browserTimeout):
		t.Fatalf("%s: Chromium did not start within %v", name, browserTimeout)
	}
	b.logConsoleErrors(cancel)
	return b
}

// logConsoleErrors reports the page's uncaught exceptions at the end of the
// test, and when it failed also the console errors (CSP refusals, failed
// requests; the console's sign-in check logs an expected 401).
func (b *browser) logConsoleErrors(cancel context.CancelFunc) {
	var mu sync.Mutex
	var lines []string
	done := make(chan struct{})
	messages := chromedp.Console(b.ctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				lines = append(lines, fmt.Sprintf("%s %s: %s", m.Type, m.URL, m))
				mu.Unlock()
			}
		}
	}()
	b.t.Cleanup(func() {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, l := range lines {
			if b.t.Failed() || strings.HasPrefix(l, string(chromedp.ConsoleException)) {
				b.t.Logf("%s console: %s", b.name, l)
			}
		}
	})
}

// do runs steps within browserTimeout and fails the test with what on error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
}

// waitJS waits until the JavaScript expression is truthy.
func (b *browser) waitJS(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserTimeout)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool]("Boolean("+expr+")",
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(browserTimeout)))
	if err != nil {
		b.t.Fatalf("%s: wait for %s: %v", b.name, what, err)
	}
}

// waitText waits until an element matching the CSS selector contains text.
func (b *browser) waitText(what, selector, text string) {
	b.t.Helper()
	b.waitJS(what, "[...document.querySelectorAll("+jsString(selector)+")]"+
		".some((e) => e.textContent.includes("+jsString(text)+"))")
}

// evalJS evaluates a JavaScript expression in the page and decodes its value.
func evalJS[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: evaluate %s: %v", b.name, expr, err)
	}
	return v
}

// screenshot saves a full-page PNG under evals/results/screenshots (the
// run's output directory, ignored by git) and returns its path.
func (b *browser) screenshot(name string) string {
	b.t.Helper()
	dir := filepath.Join("..", "..", "evals", "results", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, browserTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("%s: screenshot: %v", b.name, err)
	}
	path, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return path
}

// testid selects elements by their data-testid (channels/web/PAGES.md lists
// them).
func testid(id string) chromedp.CSS {
	return chromedp.CSS(`[data-testid="` + id + `"]`)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// cssString quotes s for a CSS attribute selector.
func cssString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

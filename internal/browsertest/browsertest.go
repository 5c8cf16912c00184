// Package browsertest starts Debian's headless Chromium for the tests that
// check pages as a reviewer's browser shows them (the HTML report, the web
// interface). It is imported by tests only.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Chromium finds Debian's Chromium, installing it the way `make browser`
// does when it is absent and this machine can (root with apt-get). The test
// is skipped only when Chromium is neither there nor installable, or is
// absent under -short — except under CI, where it must run.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := find(); p != "" {
		return p
	}
	why := "not installable here (needs root and apt-get)"
	switch _, err := exec.LookPath("apt-get"); {
	case testing.Short():
		why = "not installed (-short does not install it)"
	case err == nil && os.Geteuid() == 0:
		t.Log("chromium is absent; installing it with apt-get (as `make browser` does)")
		install := exec.Command("sh", "-c", "apt-get update && apt-get install -y chromium")
		install.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := install.CombinedOutput()
		if p := find(); err == nil && p != "" {
			return p
		}
		why = fmt.Sprintf("apt-get install chromium failed: %v\n%s", err, lastLines(string(out), 5))
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("chromium is missing and CI is set: %s", why)
	}
	t.Skipf("chromium is missing, %s; `make browser` installs it", why)
	return ""
}

func find() string {
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// Start launches headless Chromium (see Chromium) with a fresh profile and
// the background traffic a test must not see turned off, and returns the
// allocator context to open tabs in with chromedp.NewContext. The browser
// is closed when ctx ends or the test does. extra adds allocator options
// such as chromedp.WindowSize.
func Start(t testing.TB, ctx context.Context, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}, extra...)
	ctx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancel)
	return ctx
}

// Requests records the URL of every request a tab sends, to check that a
// page loads nothing it should not.
type Requests struct {
	mu   sync.Mutex
	urls []string
}

// Listen is the tab listener (chromedp.WithListener or chromedp.Listen)
// that records the requests; the tab must have the network domain enabled
// (see EnableNetwork).
func (r *Requests) Listen(ev any) {
	if e, ok := ev.(*network.EventRequestWillBeSent); ok {
		r.mu.Lock()
		r.urls = append(r.urls, e.Request.URL)
		r.mu.Unlock()
	}
}

// URLs are the requested URLs so far, in order.
func (r *Requests) URLs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.urls...)
}

// EnableNetwork turns on the network events of the tab ctx, without which
// Requests sees nothing.
func EnableNetwork(t testing.TB, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
}

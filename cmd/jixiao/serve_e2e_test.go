package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jixiao/jixiao/internal/browsertest"
)

// e2eOutDir is where the screenshots go: $JIXIAO_TESTOUT/web, else
// testout/web at the top of the repository (ignored by git).
func e2eOutDir(t *testing.T) string {
	base := os.Getenv("JIXIAO_TESTOUT")
	if base == "" {
		base = filepath.Join("..", "..", "testout")
	}
	dir, err := filepath.Abs(filepath.Join(base, "web"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func webTestdata(name string) string {
	p, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "web", name))
	return p
}

// startServe runs `serve` on a random loopback port and returns its base
// URL; the cleanup stops it as SIGTERM would and checks it shut down cleanly.
func startServe(t *testing.T, cfg serveConfig) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, cfg, func(a string) { addr <- a }) }()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		cancel()
		t.Fatalf("serve did not start: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("serve did not start within a minute")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not shut down cleanly: %v", err)
			}
		case <-time.After(shutdownGrace + 10*time.Second):
			t.Error("serve did not stop after its context ended")
		}
	})
	return base
}

// apiUpload posts a file to /api/reports with the token and returns the new
// report's id.
func apiUpload(t *testing.T, base, token, path string) int64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/reports", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", path, res.StatusCode, b)
	}
	var up struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(b, &up); err != nil || up.ID == 0 {
		t.Fatalf("upload %s: %v %s", path, err, b)
	}
	return up.ID
}

// evidenceCheck is what the report page shows for one evidence link.
type evidenceCheck struct {
	Href        string `json:"href"`
	Quote       string `json:"quote"`
	Highlighted string `json:"highlighted"`
	Painted     bool   `json:"painted"`
	Severity    string `json:"severity"`
}

// readEvidence follows every evidence link of the findings to its anchor
// in the text and gathers the highlighted text after it.
const readEvidence = `(() => [...document.querySelectorAll('li.finding a.ev-link')].map(a => {
  const href = a.getAttribute('href');
  const quote = a.textContent;
  const anchor = document.getElementById(href.slice(1));
  let text = '', painted = true, node = anchor ? anchor.nextElementSibling : null;
  while (node && text.length < quote.length) {
    if (node.classList.contains('anchor')) { node = node.nextElementSibling; continue; }
    if (node.tagName !== 'MARK' || !node.classList.contains('ev')) break;
    const bg = getComputedStyle(node).backgroundColor;
    if (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent' || node.getBoundingClientRect().width === 0) painted = false;
    text += node.textContent;
    node = node.nextElementSibling;
  }
  return {href, quote, highlighted: text, painted, severity: a.closest('li.finding').className};
}))()`

type chartCheck struct {
	Chart  string   `json:"chart"`
	Years  []string `json:"years"`
	XTicks []string `json:"xticks"`
	Titles []string `json:"titles"`
}

// readCharts lists, for each chart of the department-wide series, the year
// of every point, the year ticks and the axis titles.
const readCharts = `(() => [...document.querySelectorAll('section.series-block[data-project=""] svg.chart-svg')].map(svg => ({
  chart: svg.dataset.chart,
  years: [...svg.querySelectorAll('g.series circle.pt')].map(c => c.dataset.year),
  xticks: [...svg.querySelectorAll('text.x-tick')].map(t => t.textContent),
  titles: [...svg.querySelectorAll('text.axis-title')].map(t => t.textContent),
})))()`

// TestServeInChromium drives the interface the way a reviewer does, in
// Debian's headless Chromium against `serve` on a loopback port: upload a
// report through the form, find it in the list, open it and see its
// findings' evidence highlighted in the text, open its organisation and find
// a chart with one point per year; a report full of markup shows it as text.
// Every request the pages make must go to the server itself.
func TestServeInChromium(t *testing.T) {
	out := e2eOutDir(t)
	dir := t.TempDir()
	const token = "e2e-token-5f3a"
	base := startServe(t, serveConfig{addr: "127.0.0.1:0", db: filepath.Join(dir, "jixiao.db"), token: token,
		maxUpload: 8 << 20, log: io.Discard})

	// Two earlier years of the series go in through the API; the third
	// through the browser's form.
	apiUpload(t, base, token, webTestdata("dev-030.txt"))
	apiUpload(t, base, token, webTestdata("dev-012.txt"))
	xssID := apiUpload(t, base, token, webTestdata("xss-report.txt"))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var requests browsertest.Requests
	ctx, cancelTab := chromedp.NewContext(browsertest.Start(t, ctx, chromedp.WindowSize(1280, 1000)),
		chromedp.WithListener(requests.Listen))
	defer cancelTab()
	browsertest.EnableNetwork(t, ctx)
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			// Say where the browser is and what it shows, with a fresh
			// context: the failed one may be past its deadline.
			where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 600)`))
			t.Fatalf("%s: %v\npage: %s", step, err, where)
		}
	}
	// do runs one step's actions with a deadline of its own, so a step
	// that hangs fails with the page it hung on.
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 45*time.Second)
		defer cancel()
		must(step, chromedp.Do(sctx, actions...))
	}
	// shot saves the whole page, or with view only what the window shows.
	shot := func(name string, view ...bool) {
		t.Helper()
		action := chromedp.FullScreenshot(100)
		if len(view) > 0 {
			action = chromedp.CaptureScreenshot()
		}
		png, err := chromedp.Run(ctx, action)
		must("screenshot "+name, err)
		p := filepath.Join(out, name)
		must("screenshot "+name, os.WriteFile(p, png, 0o644))
		t.Logf("screenshot %s", p)
	}

	// Upload through the form, with the token.
	do("upload",
		chromedp.Navigate(base+"/upload"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="token"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), token),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{webTestdata("dev-002.txt")}),
		chromedp.Click(chromedp.CSS(`#upload-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#upload-result`)),
	)
	result, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#upload-result`)))
	must("upload result", err)
	if !strings.Contains(result, "已导入：dev-002.txt") {
		t.Errorf("upload result says %q", result)
	}
	shot("1-upload-result.png")

	// The list shows it.
	do("list", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`table.reports`)))
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('a.report-link')].map(a => a.textContent)`))
	must("list", err)
	if !slices.Contains(names, "dev-002.txt") || len(names) != 4 {
		t.Errorf("the list shows %q, want the 4 reports with dev-002.txt", names)
	}
	shot("2-list.png")

	// Open it from the list: the findings' evidence is highlighted.
	do("open report",
		chromedp.Click(chromedp.Search(`//a[@class="report-link" and text()="dev-002.txt"]`)),
		chromedp.WaitVisible(chromedp.CSS(`pre#text`)),
	)
	shot("3-report.png")
	evidence, err := chromedp.Run(ctx, chromedp.Evaluate[[]evidenceCheck](readEvidence))
	must("read evidence", err)
	if len(evidence) == 0 {
		t.Fatal("the report page links no evidence of any finding")
	}
	for _, e := range evidence {
		if !strings.HasPrefix(e.Highlighted, e.Quote) || !e.Painted {
			t.Errorf("evidence %s: highlighted %q (painted %v), want the quote %q", e.Href, e.Highlighted, e.Painted, e.Quote)
		}
	}
	typo := false
	for _, e := range evidence {
		typo = typo || strings.Contains(e.Quote, "按排")
	}
	if !typo {
		t.Errorf("the typo 按排 of dev-002.txt is not among the highlighted evidence: %+v", evidence)
	}
	do("follow evidence", chromedp.Click(chromedp.CSS(`li.finding a.ev-link`)))
	hash, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`))
	must("follow evidence", err)
	if hash != evidence[0].Href {
		t.Errorf("following the first evidence link went to %q, want %q", hash, evidence[0].Href)
	}
	shot("4-report-evidence.png", true)

	// Its organisation: one point per year on every chart that has data.
	do("open organisation",
		chromedp.Click(chromedp.CSS(`dl.fields a[href^="/org"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg[data-chart="score"]`)),
	)
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartCheck](readCharts))
	must("read charts", err)
	years := []string{"2020", "2021", "2022"}
	var score *chartCheck
	for i, c := range charts {
		if c.Chart == "score" {
			score = &charts[i]
		}
		if !slices.Equal(c.XTicks, years) || !slices.Contains(c.Titles, "年度") {
			t.Errorf("chart %s: year axis %q, titles %q", c.Chart, c.XTicks, c.Titles)
		}
	}
	if score == nil || !slices.Equal(score.Years, years) {
		t.Errorf("score chart points by year %+v, want one point in each of %q", score, years)
	}
	if score != nil && !slices.Contains(score.Titles, "分") {
		t.Errorf("score chart's axis titles %q lack 分", score.Titles)
	}
	shot("5-organisation.png")

	// A report full of markup shows it as text and runs none of it.
	do("xss report",
		chromedp.Navigate(fmt.Sprintf("%s/reports/%d", base, xssID)),
		chromedp.WaitVisible(chromedp.CSS(`pre#text`)),
	)
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.__pwned)`))
	must("xss report", err)
	if pwned != "undefined" {
		t.Errorf("markup in a report ran: window.__pwned = %s", pwned)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`pre#text`)))
	must("xss report", err)
	for _, s := range []string{`<script>window.__pwned=1</script>`, `"onmouseover="`, `javascript:window.__pwned=4`} {
		if !strings.Contains(shown, s) {
			t.Errorf("the report's %q is not shown as text", s)
		}
	}
	shot("6-markup-as-text.png")

	urls := requests.URLs()
	if len(urls) == 0 {
		t.Error("no request was recorded; the check of requested URLs saw nothing")
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, base+"/") {
			t.Errorf("a page requested %s, outside the server %s", u, base)
		}
	}
}

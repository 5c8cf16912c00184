package report

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jixiao/jixiao/internal/browsertest"
	"github.com/jixiao/jixiao/pipeline"
)

// pageDOM is what the browser test reads back from the rendered page.
type pageDOM struct {
	Marks       int               `json:"marks"`
	Unpainted   int               `json:"unpainted"` // marks without a highlight colour
	MarkedText  map[string]string `json:"markedText"`
	Anchors     []string          `json:"anchors"`
	BrokenLinks []string          `json:"brokenLinks"`
	Scripts     int               `json:"scripts"`
	Bodies      []string          `json:"bodies"` // each report's text, reference numbers removed
	Findings    int               `json:"findings"`
}

// readDOM gathers, per evidence anchor, the text of the <mark> runs that
// carry it, and checks every in-page link has a target.
const readDOM = `(() => {
  const marks = [...document.querySelectorAll('.body mark')];
  const markedText = {};
  let unpainted = 0;
  for (const m of marks) {
    for (const id of (m.dataset.ev || '').split(' ').filter(Boolean)) markedText[id] = (markedText[id] || '') + m.textContent;
    const bg = getComputedStyle(m).backgroundColor;
    if (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent' || m.getBoundingClientRect().width === 0) unpainted++;
  }
  const brokenLinks = [...document.querySelectorAll('a[href^="#"]')]
    .map(a => a.getAttribute('href').slice(1))
    .filter(id => !document.getElementById(id));
  const bodies = [...document.querySelectorAll('.body')].map(b => {
    const c = b.cloneNode(true);
    c.querySelectorAll('sup.ref').forEach(s => s.remove());
    return c.textContent;
  });
  return {
    marks: marks.length, unpainted, markedText,
    anchors: [...document.querySelectorAll('.body .anchor')].map(a => a.id),
    brokenLinks, scripts: document.scripts.length, bodies,
    findings: document.querySelectorAll('li.finding').length,
  };
})()`

// The HTML report opened in headless Chromium shows every evidence quote
// highlighted whole, links both ways resolve, the report text is shown
// unchanged and as text (a <script> in it does not run), and the page asks
// the network for nothing.
func TestHTMLReportInChromium(t *testing.T) {
	exts := append([]*pipeline.Extraction{handExtraction(t)}, corpusExtractions(t)...)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := HTMLPage(f, exts); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ctx, cancelTab := chromedp.NewContext(browsertest.Start(t, ctx))
	defer cancelTab()

	pageURL := (&url.URL{Scheme: "file", Path: page}).String()
	var requests browsertest.Requests
	if err := chromedp.Listen(ctx, requests.Listen); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	browsertest.EnableNetwork(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom, err := chromedp.Run(ctx, chromedp.Evaluate[pageDOM](readDOM))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}

	placed, findings := 0, 0
	for i, ext := range exts {
		v := newView(ext, "r"+itoa(i+1)+"-", nil)
		findings += v.Total
		for _, e := range v.allEvidence() {
			if !e.Placed() {
				continue
			}
			placed++
			if got := dom.MarkedText[e.ID]; got != e.Quote {
				t.Errorf("%s (%s): highlighted %q, want the quote %q", e.ID, e.Finding.Rule, got, e.Quote)
			}
		}
		if i < len(dom.Bodies) && dom.Bodies[i] != ext.Text {
			t.Errorf("report %d: the page's text differs from the normalised text", i+1)
		}
	}
	if placed == 0 || len(dom.Anchors) != placed || len(dom.MarkedText) != placed {
		t.Errorf("%d evidence anchors and %d highlighted quotes in the page, want %d", len(dom.Anchors), len(dom.MarkedText), placed)
	}
	if dom.Findings != findings {
		t.Errorf("%d findings listed, want %d", dom.Findings, findings)
	}
	if dom.Unpainted != 0 {
		t.Errorf("%d of %d <mark> elements are not visibly highlighted", dom.Unpainted, dom.Marks)
	}
	if len(dom.BrokenLinks) > 0 {
		t.Errorf("links to missing anchors: %v", dom.BrokenLinks)
	}
	if dom.Scripts != 0 {
		t.Errorf("%d <script> elements in the page; report text must stay text", dom.Scripts)
	}
	if len(dom.Bodies) != len(exts) || !strings.Contains(dom.Bodies[0], "<script>alert(1)</script>") {
		t.Error("the report's <script> text is not shown as text")
	}
	for _, u := range requests.URLs() {
		if u != pageURL {
			t.Errorf("page requested %s; it must load nothing", u)
		}
	}
}

package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/jixiao/jixiao/pipeline"
)

// Hostile strings a report may contain. Each must reach the reviewer as
// text, never as markup, an event handler or a link target.
const (
	xssScript = `<script>window.__pwned=1</script>`
	xssAttr   = `x" onmouseover="window.__pwned=1" y="`
	xssURL    = `javascript:window.__pwned=1`
)

// xssStore holds one report whose every field carries the hostile strings.
func xssStore(t *testing.T) *fakeStore {
	t.Helper()
	bad := xssScript + xssAttr + xssURL
	text := "自治区" + bad + "红十字会2022年度项目支出绩效自评报告\n" +
		"年初预算 240 万元。" + xssScript + "\n问题：" + xssAttr + "\n链接：" + xssURL + "\n"
	ext := pipeline.NewExtraction()
	ext.Text = text
	ext.Source = pipeline.Source{Name: bad + ".txt", Format: "text", Extractor: bad}
	r := &ext.Report
	r.Organization, r.Project, r.Year, r.Grade = xssURL, bad, 2022, "优"
	r.Problems = []string{xssAttr}
	r.Suggestions = []string{xssScript}
	r.Sections = []pipeline.Section{{Number: "一", Title: xssScript, Line: 1}}
	r.Indicators = []pipeline.Indicator{{Level1: xssScript, Level3: xssAttr, Target: xssURL, Actual: bad}}
	r.LineItems = []pipeline.LineItem{{Purpose: xssAttr, Amount: pipeline.Amount{Fen: 100}}}
	r.Evidence = map[string]pipeline.Evidence{xssAttr: evidenceAt(t, text, xssAttr)}
	ext.Findings = []pipeline.Finding{{
		Rule: xssScript, Severity: xssAttr, Message: bad,
		Values:   pipeline.Values{xssScript: pipeline.TextValue(xssAttr)},
		Evidence: []pipeline.Evidence{evidenceAt(t, text, xssScript), evidenceAt(t, text, xssURL)},
	}, {
		Rule: ruleCopiedPassage, Severity: pipeline.SeverityInfo, Message: bad,
		Evidence: []pipeline.Evidence{evidenceAt(t, text, xssAttr)},
	}}
	ext.Audit = &pipeline.IndicatorAudit{Rows: []pipeline.AuditRow{{Name: xssScript, Arithmetic: xssAttr, Status: xssURL}}}
	st := newFakeStore()
	doc := pipeline.Document{Name: bad + ".txt", SHA256: "abc", Format: "text"}
	if _, err := st.SaveReport(context.Background(), doc, []byte(text), ext); err != nil {
		t.Fatal(err)
	}
	st.recurring = []pipeline.RecurringProblem{{Organization: xssURL, Project: bad, Problem: xssScript, Earlier: xssAttr,
		Years: []int{2021, 2022}, ReportIDs: []int64{1}}}
	return st
}

func TestXSSReportShowsAsText(t *testing.T) {
	st := xssStore(t)
	s, err := New(Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	bad := xssScript + xssAttr + xssURL
	pages := []string{
		"/", "/reports/1",
		"/org?name=" + url.QueryEscape(xssURL),
		"/org?name=" + url.QueryEscape(xssURL) + "&project=" + url.QueryEscape(bad),
		"/?q=" + url.QueryEscape(`<script>`), "/?organization=" + url.QueryEscape(xssAttr),
		"/reports/1/" + url.PathEscape(xssScript), "/" + url.PathEscape(xssAttr),
		"/reports/1/consistency.html",
	}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			res, body := get(t, s, p)
			if res.StatusCode >= 500 {
				t.Fatalf("status %d", res.StatusCode)
			}
			checkNoActiveContent(t, body)
		})
	}
	// The report page shows every hostile string as it was written.
	_, body := get(t, s, "/reports/1")
	text := visibleText(t, body)
	for _, want := range []string{xssScript, xssAttr, xssURL} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
}

// checkNoActiveContent parses the page as a browser would and fails on any
// script other than the embedded app.js, any event-handler attribute, and
// any link or source outside the server.
func checkNoActiveContent(t *testing.T, page string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				t.Fatal(z.Err())
			}
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if tok.Data == "script" {
			src := attr(tok, "src")
			if src != "/static/app.js" {
				t.Errorf("a script element other than app.js: %s", tok)
			}
		}
		for _, a := range tok.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("event handler attribute %q on <%s>", a.Key, tok.Data)
			}
			if a.Key == "href" || a.Key == "src" || a.Key == "action" {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "?") && v != "#zgotmplz" {
					t.Errorf("<%s %s=%q> leaves the server", tok.Data, a.Key, a.Val)
				}
				if strings.HasPrefix(v, "//") {
					t.Errorf("<%s %s=%q> is protocol-relative", tok.Data, a.Key, a.Val)
				}
			}
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// visibleText is the text a browser shows for an HTML fragment: tags
// dropped, entities decoded.
func visibleText(t testing.TB, fragment string) string {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		}
	}
}

func TestXSSInErrorMessages(t *testing.T) {
	s, err := New(Options{Store: newFakeStore(), Ingest: func(ctx context.Context, name string, data []byte, force bool) ([]int64, error) {
		return nil, &UnreadableError{Reason: name + ": " + xssScript}
	}})
	if err != nil {
		t.Fatal(err)
	}
	res, body := do(t, s, uploadRequest(t, "/upload", xssAttr+".txt", []byte("绩效自评报告"+xssScript), ""))
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	checkNoActiveContent(t, body)
	if !strings.Contains(visibleText(t, body), xssScript) {
		t.Error("the refusal does not show the reason as text")
	}
	res, body = get(t, s, "/org?name="+url.QueryEscape(xssScript))
	wantStatus(t, res, body, http.StatusNotFound)
	checkNoActiveContent(t, body)
	res, body = get(t, s, "/api/reports/"+url.PathEscape(xssScript))
	if strings.Contains(body, "<script") {
		t.Errorf("a JSON error carries raw markup: %s", body)
	}
}

package corpustest_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/jixiao/jixiao/internal/corpustest"
	"github.com/jixiao/jixiao/internal/textload"
	"github.com/jixiao/jixiao/pipeline"
	"github.com/jixiao/jixiao/pipeline/run"
)

// TestEvidenceLines holds every piece of evidence of every labelled text
// report to the exact source line it names: the quote starts on that line
// of the file as written (wraps, blank lines and page furniture included).
// A position map that drifts by one line fails here, not just one that
// says 0.
func TestEvidenceLines(t *testing.T) {
	checked := 0
	for _, dir := range corpora {
		for _, d := range corpustest.Documents(t, dir, "txt") {
			data, err := os.ReadFile(d.Path)
			if err != nil {
				t.Fatal(err)
			}
			raw, _, err := textload.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			lines := sourceLines(raw)
			ext, err := (&run.Runner{}).File(context.Background(), d.Name, data)
			if err != nil {
				t.Fatal(err)
			}
			for what, e := range evidenceOf(ext) {
				checked++
				if msg := onLine(ext.Text, lines, e); msg != "" {
					t.Errorf("%s: %s: %s", d.Name, what, msg)
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d pieces of evidence checked", checked)
	}
}

// sourceLines are the file's lines as Normalize numbers them (CRLF, CR and
// LF end a line; a form feed does not).
func sourceLines(raw string) []string {
	raw = strings.TrimPrefix(raw, "\ufeff")
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	raw = strings.ReplaceAll(raw, "\r", "\n")
	return strings.Split(raw, "\n")
}

// onLine says what is wrong with e, "" when its quote starts on its line.
func onLine(text string, lines []string, e pipeline.Evidence) string {
	if e.Quote == "" {
		return ""
	}
	if !strings.HasPrefix(text[e.Offset:], e.Quote) {
		return fmt.Sprintf("quote %q is not the text at offset %d", e.Quote, e.Offset)
	}
	if e.Line < 1 || e.Line > len(lines) {
		return fmt.Sprintf("line %d outside the file's %d lines", e.Line, len(lines))
	}
	q := []rune(squeeze(e.Quote))
	line := squeeze(lines[e.Line-1])
	next := "" // the next line with text (some texts leave a blank line after each)
	for k := e.Line; k < len(lines) && next == ""; k++ {
		next = squeeze(lines[k])
	}
	// The quote's first character on its line, its first characters on that
	// line and the next (a quote may run on past a wrap).
	head := string(q[:min(4, len(q))])
	if !strings.ContainsRune(line, q[0]) || !strings.Contains(line+next, head) && !strings.Contains(line, string(q[:1])+string(q[1:min(2, len(q))])) {
		return fmt.Sprintf("quote %q does not start on line %d (%q)", e.Quote, e.Line, lines[e.Line-1])
	}
	return ""
}

// evidenceOf lists every piece of evidence of an extraction with a name.
func evidenceOf(ext *pipeline.Extraction) map[string]pipeline.Evidence {
	r := ext.Report
	out := map[string]pipeline.Evidence{}
	for k, e := range r.Evidence {
		out["field "+k] = e
	}
	for i, li := range r.LineItems {
		out[fmt.Sprintf("line item %d", i)] = li.Evidence
	}
	for i, b := range r.Breakdowns {
		out[fmt.Sprintf("breakdown %d", i)] = b.Evidence
		for k, it := range b.Items {
			out[fmt.Sprintf("breakdown %d item %d", i, k)] = it.Evidence
		}
	}
	for i, ind := range r.Indicators {
		out[fmt.Sprintf("indicator %d", i)] = ind.Evidence
	}
	for i, f := range ext.Findings {
		for k, e := range f.Evidence {
			out[fmt.Sprintf("finding %d %s evidence %d", i, f.Rule, k)] = e
		}
	}
	return out
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\f' || r == '\u3000' {
			return -1
		}
		// The model reads full-width digits as ASCII.
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		switch r {
		case '．':
			return '.'
		case '％':
			return '%'
		}
		return r
	}, s)
}

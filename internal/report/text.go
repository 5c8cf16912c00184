package report

import (
	"bufio"
	"io"
	"strings"

	"golang.org/x/text/width"

	"github.com/jixiao/jixiao/pipeline"
)

// ANSI styles; used only when the caller asks for colour.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

var severityColors = map[string]string{
	pipeline.SeverityError:   ansiRed,
	pipeline.SeverityWarning: ansiYellow,
	pipeline.SeverityInfo:    ansiCyan,
}

// Text writes the review of one extraction for a terminal. color adds ANSI
// colours; the caller decides (a TTY, NO_COLOR unset).
func Text(w io.Writer, ext *pipeline.Extraction, color bool) error {
	return TextReviewed(w, ext, nil, color)
}

// TextReviewed is Text with what reviewers recorded (rev may be nil).
func TextReviewed(w io.Writer, ext *pipeline.Extraction, rev *Review, color bool) error {
	v := newView(ext, "", rev)
	t := &textWriter{w: bufio.NewWriter(w), color: color}
	t.header(v)
	t.findings(v)
	t.audit(v.Audit)
	return t.w.Flush()
}

type textWriter struct {
	w     *bufio.Writer
	color bool
}

func (t *textWriter) style(code, s string) string {
	if !t.color || code == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) line(parts ...string) {
	for _, p := range parts {
		t.w.WriteString(p)
	}
	t.w.WriteByte('\n')
}

func (t *textWriter) header(v *view) {
	t.line(t.style(ansiBold, "绩效自评报告审核结果："+oneLine(v.Title)))
	for _, f := range v.Header {
		t.line("  ", f.Label, "：", oneLine(f.Value))
	}
	var figs []string
	for _, f := range v.Figures {
		figs = append(figs, f.Label+" "+oneLine(f.Value))
	}
	t.line("  主要数据：", strings.Join(figs, " | "))
	t.line()
}

func (t *textWriter) findings(v *view) {
	if v.Total == 0 {
		t.line(t.style(ansiBold, "未发现问题。"))
		t.line()
		return
	}
	var counts []string
	for _, g := range v.Groups {
		counts = append(counts, g.Label+" "+itoa(len(g.Findings))+" 项")
	}
	t.line(t.style(ansiBold, "发现问题 "+itoa(v.Total)+" 项"), "（", strings.Join(counts, "，"), "）")
	for _, g := range v.Groups {
		t.line()
		t.line(t.style(ansiBold+severityColors[g.Severity], g.Label+"（"+itoa(len(g.Findings))+"）"))
		for _, f := range g.Findings {
			t.finding(f)
		}
	}
	t.line()
}

func (t *textWriter) finding(f *findingView) {
	t.line("  ", itoa(f.N), ". ", oneLine(f.Message), " ", t.style(ansiDim, "["+oneLine(f.RuleName)+" "+oneLine(f.Rule)+"]"))
	if m := f.MarkText(); m != "" {
		t.line("     审核：", oneLine(m))
	}
	if len(f.Values) > 0 {
		var vals []string
		for _, kv := range f.Values {
			vals = append(vals, oneLine(kv.Label)+" "+oneLine(kv.Value))
		}
		t.line("     数据：", strings.Join(vals, "；"))
	}
	for _, e := range f.Evidence {
		t.line("     依据：", e.Where(), "  ", t.style(ansiDim, "「"+oneLine(e.Quote)+"」"))
	}
}

func (t *textWriter) audit(a *auditView) {
	if a == nil {
		return
	}
	t.line(t.style(ansiBold, "指标复核（逐行重新计分）"))
	rows := [][]string{auditColumns}
	for _, r := range a.Rows {
		rows = append(rows, r.Cells())
	}
	for i, s := range AlignColumns(rows) {
		s = "  " + s
		if i == 0 {
			s = t.style(ansiBold, s)
		} else if a.Rows[i-1].Off {
			s = t.style(ansiYellow, s)
		}
		t.line(s)
	}
	t.line("  自评总分 ", a.Stated, "，复核总分 ", a.Recomputed, "，自评−复核 ", a.Difference)
	for _, r := range a.Rows {
		if r.Off && r.Arithmetic != "" {
			t.line("  ", oneLine(r.Name), "：", oneLine(r.Arithmetic))
		}
	}
	t.line()
}

// AlignColumns lays rows out for a terminal: each row becomes one line of
// its cells, each kept on one line (see oneLine), padded to the widest cell
// of its column and two spaces apart. Widths count Chinese characters as two
// columns, as terminals show them (text/tabwriter counts them as one).
func AlignColumns(rows [][]string) []string {
	var widths []int
	for _, row := range rows {
		for c, cell := range row {
			if c == len(widths) {
				widths = append(widths, 0)
			}
			widths[c] = max(widths[c], displayWidth(oneLine(cell)))
		}
	}
	lines := make([]string, len(rows))
	var b strings.Builder
	for i, row := range rows {
		b.Reset()
		for c, cell := range row {
			cell = oneLine(cell)
			b.WriteString(cell)
			if c < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[c]-displayWidth(cell)+2))
			}
		}
		lines[i] = strings.TrimRight(b.String(), " ")
	}
	return lines
}

// DisplayWidth counts terminal columns: Chinese and full-width characters
// take two.
func DisplayWidth(s string) int { return displayWidth(s) }

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// oneLine folds line breaks so a quote or a cell stays on one line, and
// shows control characters as U+FFFD so report text cannot send escape
// sequences to the reviewer's terminal.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r == '\r' || r == '\f' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '\uFFFD'
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

package report

import (
	"bufio"
	"io"
	"strings"

	"github.com/jixiao/jixiao/pipeline"
)

// Markdown writes the review of one extraction as a Markdown document, for
// pasting into a reply to the reporting body. Report text is escaped so it
// cannot turn into markup.
func Markdown(w io.Writer, ext *pipeline.Extraction) error {
	return MarkdownReviewed(w, ext, nil)
}

// MarkdownReviewed is Markdown with what reviewers recorded (rev may be nil).
func MarkdownReviewed(w io.Writer, ext *pipeline.Extraction, rev *Review) error {
	v := newView(ext, "", rev)
	b := bufio.NewWriter(w)
	line := func(parts ...string) {
		for _, p := range parts {
			b.WriteString(p)
		}
		b.WriteByte('\n')
	}

	line("# 绩效自评报告审核结果：", mdCell(v.Title))
	line()
	line("| 事项 | 内容 |")
	line("| --- | --- |")
	for _, f := range v.Header {
		line("| ", f.Label, " | ", mdCell(f.Value), " |")
	}
	line()
	line("## 主要数据")
	line()
	heads, cells := make([]string, len(v.Figures)), make([]string, len(v.Figures))
	for i, f := range v.Figures {
		heads[i], cells[i] = f.Label, mdCell(f.Value)
	}
	line("| ", strings.Join(heads, " | "), " |")
	line("|", strings.Repeat(" --- |", len(heads)))
	line("| ", strings.Join(cells, " | "), " |")
	line()

	line("## 发现的问题")
	line()
	if v.Total == 0 {
		line("未发现问题。")
		line()
	}
	for _, g := range v.Groups {
		line("### ", g.Label, "（", itoa(len(g.Findings)), "）")
		line()
		for _, f := range g.Findings {
			line(itoa(f.N), ". **", mdCell(f.Message), "**（", mdCell(f.RuleName), " `", strings.ReplaceAll(oneLine(f.Rule), "`", "'"), "`）")
			if m := f.MarkText(); m != "" {
				line("   - 审核：", mdCell(m))
			}
			if len(f.Values) > 0 {
				var vals []string
				for _, kv := range f.Values {
					vals = append(vals, mdCell(kv.Label)+"："+mdCell(kv.Value))
				}
				line("   - 数据：", strings.Join(vals, "；"))
			}
			for _, e := range f.Evidence {
				line("   - 依据（", e.Where(), "）：「", mdEscape(oneLine(e.Quote)), "」")
			}
		}
		line()
	}

	if a := v.Audit; a != nil {
		line("## 指标复核（逐行重新计分）")
		line()
		line("| ", strings.Join(auditColumns, " | "), " | 计算过程 |")
		line("|", strings.Repeat(" --- |", len(auditColumns)+1))
		for _, r := range a.Rows {
			cells := r.Cells()
			for i := range cells {
				cells[i] = mdCell(cells[i])
			}
			line("| ", strings.Join(cells, " | "), " | ", mdCell(OrDash(r.Arithmetic)), " |")
		}
		line()
		line("自评总分 ", a.Stated, "，复核总分 ", a.Recomputed, "，自评−复核 ", mdEscape(a.Difference), "。")
		line()
	}
	return b.Flush()
}

// mdEscape backslash-escapes the characters that are markup anywhere in a
// line (escaped text never starts a line here), so a quote from the report
// renders as written; digits and dots stay readable in the raw file.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCell escapes a table cell and keeps it on one line.
func mdCell(s string) string { return mdEscape(oneLine(s)) }

package check

import (
	"fmt"
	"strings"

	"github.com/jixiao/jixiao/pipeline"
)

func init() {
	register(Rule{ID: "structure.missing_section", Severity: pipeline.SeverityWarning, Check: missingSection,
		Values: map[string]pipeline.ValueKind{"missing": pipeline.ValueList}})
	register(Rule{ID: "structure.numbering", Severity: pipeline.SeverityInfo, Check: numbering,
		Values: map[string]pipeline.ValueKind{"number": pipeline.ValueText, "expected": pipeline.ValueCount, "level": pipeline.ValueCount}})
	register(Rule{ID: "problems.missing", Severity: pipeline.SeverityWarning, Check: problemsMissing})
}

// requiredSections are the template's sections (domain.md), each satisfied
// by headings of the same meaning. Section five may be split in two
// (经验做法 and 存在问题), so either half satisfies it.
var requiredSections = []struct {
	name      string
	canonical []string
}{
	{"基本情况", []string{"basic"}},
	{"绩效评价工作开展情况", []string{"work"}},
	{"综合评价情况及评价结论", []string{"conclusion"}},
	{"绩效评价指标分析", []string{"analysis"}},
	{"主要经验及做法、存在的问题及原因分析", []string{"experience", "problems"}},
	{"有关建议", []string{"suggestions"}},
	{"其他需要说明的问题", []string{"other"}},
}

func missingSection(in *Input) []pipeline.Finding {
	have := map[string]bool{}
	for _, s := range in.Report.Sections {
		if s.Level == 1 && s.Canonical != "" {
			have[s.Canonical] = true
		}
	}
	present := 0
	for _, req := range requiredSections {
		for _, c := range req.canonical {
			if have[c] {
				present++
				break
			}
		}
	}
	if present < len(requiredSections)-1 {
		// Not the template's outline (a department's own, a short
		// narrative before a form): nothing to compare with. A report
		// that follows the template and leaves out one section is.
		return nil
	}
	var missing []string
	for _, req := range requiredSections {
		found := false
		for _, c := range req.canonical {
			found = found || have[c]
		}
		if !found {
			missing = append(missing, req.name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return []pipeline.Finding{{
		Message: fmt.Sprintf("报告缺少自评报告模板要求的部分：%s", strings.Join(missing, "、")),
		Values:  pipeline.Values{"missing": pipeline.ListValue(missing)},
	}}
}

// ocrSure is the OCR confidence (0–100) under which a heading's number may
// be a misreading: Tesseract reads a clear section number at 90 and more,
// a smudged bracket or a numeral under a seal far lower.
const ocrSure = 85

// misread: the section's number was recognised from an image with too
// little confidence to call its numbering a defect of the report; OCR
// noise alone raises no finding.
func misread(in *Input, s *pipeline.Section) bool {
	if in.Doc == nil {
		return false
	}
	c := in.Doc.Evidence(s.Offset, s.Offset+len(s.Number)).Confidence
	return c > 0 && c < ocrSure
}

// numbering: a top-level heading number that skips or repeats, or a
// sub-heading that skips, repeats or restarts inside its section.
func numbering(in *Input) []pipeline.Finding {
	var out []pipeline.Finding
	prev := map[int]*pipeline.Section{}
	seen := map[string]bool{}
	for i := range in.Report.Sections {
		s := &in.Report.Sections[i]
		key := s.Number + s.Title
		if seen[key] {
			continue // a copied passage, reported as text.duplicate_passage
		}
		seen[key] = true
		for l := s.Level + 1; l <= 4; l++ {
			delete(prev, l) // sub-numbering starts again under a new heading
		}
		p := prev[s.Level]
		prev[s.Level] = s
		want := 1
		if p != nil {
			want = p.Value + 1
		}
		got := s.Value
		if got == want || got == 0 || misread(in, s) || p != nil && misread(in, p) {
			continue
		}
		what := "跳号"
		switch {
		case p != nil && got == p.Value:
			what = "重复"
		case got < want:
			what = "重新编号"
		}
		prevText := "（无）"
		if p != nil {
			prevText = headingLabel(p)
		}
		out = append(out, pipeline.Finding{
			Message: fmt.Sprintf("标题编号%s：“%s”前一个同级标题为“%s”", what, headingLabel(s), prevText),
			Values: pipeline.Values{"number": pipeline.TextValue(s.Number), "expected": pipeline.CountValue(want),
				"level": pipeline.CountValue(s.Level)},
			Evidence: []pipeline.Evidence{{Quote: headingQuote(in, s), Line: s.Line, Page: s.Page, Offset: s.Offset}},
		})
	}
	return out
}

// headingLabel writes a heading as the report numbers it: 五、…, （二）…, 3. …
func headingLabel(s *pipeline.Section) string {
	switch {
	case strings.HasPrefix(s.Number, "（"):
		return s.Number + s.Title
	case s.Number != "" && s.Number[0] >= '0' && s.Number[0] <= '9':
		return s.Number + ". " + s.Title
	}
	return s.Number + "、" + s.Title
}

func headingQuote(in *Input, s *pipeline.Section) string {
	ev := in.Doc.Evidence(s.Offset, min(len(in.Doc.Text), s.Offset+len(s.Number)+len(s.Title)+6))
	if i := strings.IndexByte(ev.Quote, '\n'); i >= 0 {
		return ev.Quote[:i]
	}
	return ev.Quote
}

func problemsMissing(in *Input) []pipeline.Finding {
	if len(in.Report.Problems) > 0 {
		return nil
	}
	return []pipeline.Finding{{
		Message: "报告未说明存在的问题（或仅称“暂无问题”），自评报告应如实分析存在的问题及原因",
	}}
}

// Package extract reads the contract's fields out of a normalised report:
// who reports on what and for which year, the budget and its breakdowns,
// the self-evaluation table, the score and grade, the problems and
// suggestions, the outline and the dates. It states nothing the report does
// not: an absent figure stays nil, an absent name "".
package extract

import (
	"regexp"
	"strings"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/pipeline"
)

// Extract reads every field of the contract from doc.
func Extract(doc *document.Doc) pipeline.Report {
	r := pipeline.NewExtraction().Report
	r.Evidence = map[string]pipeline.Evidence{}
	body := bodyText(doc)
	bodyEnd := len(body)
	ps := paras(doc)
	hs := findHeadings(ps)
	table := parseTable(doc)

	id := readIdentity(ps, doc, body, table)
	r.Organization, r.Project, r.Kind, r.Year = id.Organization, id.Project, id.Kind, id.Year
	addEvidence(doc, r.Evidence, "organization", id.OrgAt, id.OrgLen)
	addEvidence(doc, r.Evidence, "project", id.ProjectAt, id.ProjectLen)
	addEvidence(doc, r.Evidence, "year", id.YearAt, id.YearLen)

	fs := figures(body)
	var totals []figure
	r.Breakdowns, totals = breakdownsOf(doc, body, fs)
	r.Budget = budgetFrom(doc, body, fs, r.Evidence)
	r.Score, r.Grade = scoreAndGrade(doc, body, table, r.Evidence)

	if table != nil {
		mergeTable(&r, table)
	}
	soleBreakdownBudget(&r, totals)
	r.LineItems = lineItems(r.Breakdowns, r.Budget)

	r.Problems = problems(body, ps, hs, bodyEnd)
	if len(r.Problems) == 0 && table != nil && len(table.Problems) > 0 {
		r.Problems = table.Problems // a form's 存在问题 cell
		r.Evidence["problems"] = table.Evidence["problems"]
	}
	r.Suggestions = suggestions(body, ps, hs, bodyEnd)
	r.Sections = sections(doc, hs)
	r.Dates = datesOf(doc)
	return r
}

// bodyText returns the report's own running text: the text with its tables
// and site chrome blanked out (every byte but line breaks made a space), so
// the patterns of prose read no cell and no page chrome while every offset
// stays that of doc.Text.
func bodyText(doc *document.Doc) string {
	var b []byte
	for i := range doc.Blocks {
		blk := &doc.Blocks[i]
		if blk.Kind != document.TableBlock && blk.Kind != document.ChromeBlock {
			continue
		}
		if b == nil {
			b = []byte(doc.Text)
		}
		for k := blk.Start; k < blk.End; k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
	}
	if b == nil {
		return doc.Text
	}
	return string(b)
}

func addEvidence(doc *document.Doc, ev map[string]pipeline.Evidence, key string, at, n int) {
	if at >= 0 && n > 0 {
		ev[key] = doc.Evidence(at, at+n)
	}
}

// mergeTable takes the table's rows, and its money where the text states
// none (the text is what the reviewer reads first).
func mergeTable(r *pipeline.Report, t *Table) {
	if t.Indicators != nil {
		r.Indicators = t.Indicators
	}
	r.ExecutionRow = t.ExecutionRow
	r.TableTotal = t.Total
	if e, ok := t.Evidence["total"]; ok {
		r.Evidence["table_total"] = e
	}
	fill := func(dst **pipeline.Amount, src *pipeline.Amount, key string) {
		if *dst == nil && src != nil {
			*dst = src
			if e, ok := t.Evidence[key]; ok {
				r.Evidence[key] = e
			}
		}
	}
	fill(&r.Budget.Planned, t.Planned, "planned")
	fill(&r.Budget.Adjusted, t.Adjusted, "adjusted")
	fill(&r.Budget.Executed, t.Executed, "executed")
	if r.Budget.ExecutionRate == nil && t.ExecutionRow != nil && t.ExecutionRow.Rate != nil {
		r.Budget.ExecutionRate = t.ExecutionRow.Rate
		r.Evidence["execution_rate"] = t.ExecutionRow.Evidence
	}
	if r.Grade == "" && t.Grade != "" {
		r.Grade = t.Grade
		r.Evidence["grade"] = t.Evidence["grade"]
	}
	r.Breakdowns = append(r.Breakdowns, t.Funding...)
	if r.Score == nil && t.Total != nil {
		r.Score = t.Total
		if e, ok := t.Evidence["total"]; ok {
			r.Evidence["score"] = e
		}
	}
}

func problems(text string, ps []para, hs []heading, bodyEnd int) []string {
	reg, ok := listRegion(text, ps, hs, problemLabelRe, problemHeadRe, []string{"问题", "不足"}, bodyEnd, func(t string) bool {
		return strings.Contains(t, "其他") || strings.Contains(t, "其它") || strings.Contains(t, "说明")
	})
	if !ok {
		return []string{}
	}
	var out []string
	for _, it := range listItems(text, reg) {
		if !noProblemRe.MatchString(it) {
			out = append(out, it)
		}
	}
	return nonNil(out)
}

// noProblemRe is a statement that there is nothing to report
// (暂无需要说明的问题, 未发现明显问题, 无).
var noProblemRe = regexp.MustCompile(`^(无|暂无|没有|未发现|不存在)[。.]?$|(暂无|未发现|没有发现|不存在|无)[^，。；]{0,12}问题`)

func suggestions(text string, ps []para, hs []heading, bodyEnd int) []string {
	reg, ok := listRegion(text, ps, hs, suggestionLabelRe, suggestionHeadRe, []string{"建议", "措施", "下一步"}, bodyEnd, func(string) bool { return false })
	if !ok {
		return []string{}
	}
	return nonNil(listItems(text, reg))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

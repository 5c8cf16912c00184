// Package check runs the consistency rules of the extraction contract over
// one extracted report. Each rule is a small unit in its own file with its
// identifier, severity, a Chinese message naming the figures, and evidence;
// rules register themselves with register in an init function.
package check

import (
	"sort"
	"strings"

	"github.com/jixiao/jixiao/internal/document"
	"github.com/jixiao/jixiao/internal/passage"
	"github.com/jixiao/jixiao/pipeline"
)

// Input is what a rule reads: the document model and the extracted report.
type Input struct {
	Doc    *document.Doc
	Report *pipeline.Report

	// Work that several rules share, done once per report on first use.
	compact *passage.Text
	rows    []indRow
	rowsSet bool
}

// compactText is the text without white space, shared by the duplicate and
// the copied-year rules.
func (in *Input) compactText() *passage.Text {
	if in.compact == nil {
		in.compact = passage.Compact(in.Doc.Text)
	}
	return in.compact
}

// Rule is one consistency check.
type Rule struct {
	ID       string
	Severity string
	Check    func(in *Input) []pipeline.Finding
	// Values declares the keys and kinds of the figures the rule's
	// findings name (see pipeline.DeclareValues).
	Values map[string]pipeline.ValueKind
}

var rules []Rule

// register adds a rule; called from the init function of each rule's file.
func register(r Rule) {
	pipeline.DeclareValues(r.ID, r.Values)
	rules = append(rules, r)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
}

// Rules returns the registered rules in identifier order.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// Run applies every rule and returns the findings, each stamped with its
// rule's identifier and severity, never nil.
func Run(doc *document.Doc, r *pipeline.Report) []pipeline.Finding {
	in := &Input{Doc: doc, Report: r}
	out := []pipeline.Finding{}
	if !looksLikeReport(doc, r) {
		// Checking a meeting notice against the template only buries the
		// one thing worth saying.
		return append(out, pipeline.Finding{
			Rule:     "document.not_a_report",
			Severity: pipeline.SeverityWarning,
			Message:  "该文件不像绩效自评报告：未找到“绩效”字样、预算年度、预算金额、得分或报告的章节，未进行一致性检查",
			Evidence: []pipeline.Evidence{},
		})
	}
	for _, rule := range rules {
		for _, f := range rule.Check(in) {
			if tableRules[rule.ID] && misreadFigures(in, rule.ID, f) {
				continue
			}
			f.Rule = rule.ID
			if f.Severity == "" {
				f.Severity = rule.Severity
			}
			if f.Evidence == nil {
				f.Evidence = []pipeline.Evidence{}
			}
			out = append(out, f)
		}
	}
	return out
}

// looksLikeReport: a self-evaluation report says 绩效 somewhere, or at least
// states two of a year, a budget, a score or grade, and template sections.
func looksLikeReport(doc *document.Doc, r *pipeline.Report) bool {
	if strings.Contains(doc.Text, "绩效") {
		return true
	}
	signs := 0
	if r.Year != 0 {
		signs++
	}
	if r.Budget.Planned != nil || r.Budget.Adjusted != nil || r.Budget.Executed != nil {
		signs++
	}
	if r.Score != nil || r.Grade != "" {
		signs++
	}
	canon := 0
	for _, s := range r.Sections {
		if s.Canonical != "" {
			canon++
		}
	}
	if canon >= 2 {
		signs++
	}
	return signs >= 2
}
